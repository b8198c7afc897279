"""The SQLite schema and its forward migrations.

The version lives in ``PRAGMA user_version``.  Each migration moves the schema from
version ``n - 1`` to ``n`` and runs inside the same transaction as the version bump,
so a file is never left half-migrated.  A file newer than :data:`SCHEMA_VERSION` is
refused before anything is written to it.

Version 2 keeps in the file what is costly to work out again for a big timeline:

* the ``lanes`` table: each event's lane in the default layout
  (:func:`viewer.model.lanes.default_lanes`), with an index to read the lanes a view
  shows first.  A table of its own, so that laying out a million events writes a
  million small rows rather than rewriting every event; an event without a row there
  (one written by another program) is not placed yet, and the app places it when it
  reads it;
* ``tags.uses``, how many events carry each tag, kept by triggers, so the sidebar's
  counts and dropping unused tags cost nothing per edit;
* the ``derived`` table for values of that kind (``layout_scale``: the default
  layout's pixels per second; ``max_extent``: the longest mark in it, in seconds).

It also makes the full-text index again without per-column sizes (``columnsize=0``:
nothing here ranks by them, and filling the index of a million events takes 15 %
less time).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

#: The application id stamped in the file header ("TLVW"), so other tools can tell.
APPLICATION_ID = 0x544C5657

_V1 = """
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE categories (
    id    INTEGER PRIMARY KEY,
    name  TEXT NOT NULL UNIQUE,
    color TEXT NOT NULL
);
CREATE TABLE events (
    id              INTEGER PRIMARY KEY,
    title           TEXT NOT NULL,
    description     TEXT NOT NULL DEFAULT '',
    start           TEXT NOT NULL,          -- ISO 8601 to the stated precision
    end             TEXT,                   -- NULL for a point event
    start_pos       REAL NOT NULL,          -- axis seconds where the event begins
    end_pos         REAL NOT NULL,          -- axis seconds where it finishes (exclusive)
    start_until     REAL NOT NULL,          -- where the start date's own period ends
    end_from        REAL NOT NULL,          -- where the end date's own period begins
    start_precision INTEGER NOT NULL,
    end_precision   INTEGER,
    category_id     INTEGER REFERENCES categories(id) ON DELETE SET NULL,
    source_url      TEXT NOT NULL DEFAULT '',
    display_date    TEXT NOT NULL DEFAULT '',
    extra           TEXT NOT NULL DEFAULT '{}',   -- JSON: format-specific fields
    created         TEXT NOT NULL,
    updated         TEXT NOT NULL,
    CHECK (end_pos >= start_pos)
);
CREATE INDEX events_start_pos ON events(start_pos);
CREATE INDEX events_end_pos ON events(end_pos);
CREATE INDEX events_category ON events(category_id);
CREATE TABLE tags (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);
CREATE TABLE event_tags (
    event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    tag_id   INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
    PRIMARY KEY (event_id, tag_id)
) WITHOUT ROWID;
CREATE INDEX event_tags_tag ON event_tags(tag_id);
CREATE TABLE eras (
    id        INTEGER PRIMARY KEY,
    title     TEXT NOT NULL,
    start     TEXT NOT NULL,
    end       TEXT NOT NULL,
    start_pos REAL NOT NULL,
    end_pos   REAL NOT NULL,
    extra     TEXT NOT NULL DEFAULT '{}'
);
CREATE VIRTUAL TABLE events_fts USING fts5(
    title, description, content='events', content_rowid='id',
    tokenize='unicode61 remove_diacritics 2'
);
CREATE TRIGGER events_fts_insert AFTER INSERT ON events BEGIN
    INSERT INTO events_fts(rowid, title, description)
    VALUES (new.id, new.title, new.description);
END;
CREATE TRIGGER events_fts_delete AFTER DELETE ON events BEGIN
    INSERT INTO events_fts(events_fts, rowid, title, description)
    VALUES ('delete', old.id, old.title, old.description);
END;
CREATE TRIGGER events_fts_update AFTER UPDATE OF title, description ON events BEGIN
    INSERT INTO events_fts(events_fts, rowid, title, description)
    VALUES ('delete', old.id, old.title, old.description);
    INSERT INTO events_fts(rowid, title, description)
    VALUES (new.id, new.title, new.description);
END;
"""


_V2 = """
CREATE TABLE lanes (
    id   INTEGER PRIMARY KEY REFERENCES events(id) ON DELETE CASCADE,
    lane INTEGER NOT NULL
);
CREATE INDEX lanes_lane ON lanes(lane);
CREATE TABLE derived (
    key   TEXT PRIMARY KEY,
    value REAL NOT NULL
);
ALTER TABLE tags ADD COLUMN uses INTEGER NOT NULL DEFAULT 0;
UPDATE tags SET uses = (SELECT count(*) FROM event_tags WHERE tag_id = tags.id);
CREATE TRIGGER event_tags_count_insert AFTER INSERT ON event_tags BEGIN
    UPDATE tags SET uses = uses + 1 WHERE id = new.tag_id;
END;
CREATE TRIGGER event_tags_count_delete AFTER DELETE ON event_tags BEGIN
    UPDATE tags SET uses = uses - 1 WHERE id = old.tag_id;
END;
"""


def _migrate_to_1(conn: sqlite3.Connection) -> None:
    for statement in _split(_V1):
        conn.execute(statement)


_FTS_V2 = (
    """
DROP TRIGGER events_fts_insert;
DROP TRIGGER events_fts_delete;
DROP TRIGGER events_fts_update;
DROP TABLE events_fts;
"""
    + _V1[_V1.index("CREATE VIRTUAL TABLE events_fts") :].replace(
        "tokenize='unicode61 remove_diacritics 2'",
        "tokenize='unicode61 remove_diacritics 2', columnsize=0",
    )
    + """
INSERT INTO events_fts(events_fts) VALUES ('rebuild');
"""
)


# Version 3: dates may carry an EDTF qualifier ("1450~", "1455?", "..1200", "1300..")
# in ``start`` and ``end``, which an older version cannot read; ``qualifiers`` keeps
# the bits of :func:`viewer.model.event.edge_flags` that the timeline draws from, so
# reading them costs no string work per event.  No older file holds a qualifier.
_V3 = """
ALTER TABLE events ADD COLUMN qualifiers INTEGER NOT NULL DEFAULT 0;
"""


# Version 4: the presenter's speaker notes of each event (plain text).
_V4 = """
ALTER TABLE events ADD COLUMN notes TEXT NOT NULL DEFAULT '';
"""


# Version 5: the events' images.  The bytes come last in each row (``data`` after
# ``thumbnail``), so that reading what an event has (the columns before them) never
# reads a blob's overflow pages; ``digest`` (SHA-256 of the bytes) tells an unchanged
# image from a new one without comparing megabytes.  A link (an image not stored)
# has empty bytes and its address in ``url``.
_V5 = """
CREATE TABLE images (
    id        INTEGER PRIMARY KEY,
    event_id  INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    position  INTEGER NOT NULL,
    url       TEXT NOT NULL DEFAULT '',
    caption   TEXT NOT NULL DEFAULT '',
    credit    TEXT NOT NULL DEFAULT '',
    name      TEXT NOT NULL DEFAULT '',
    extra     TEXT NOT NULL DEFAULT '{}',
    size      INTEGER NOT NULL DEFAULT 0,
    digest    TEXT NOT NULL DEFAULT '',
    thumbnail BLOB NOT NULL DEFAULT x'',
    data      BLOB NOT NULL DEFAULT x''
);
CREATE INDEX images_event ON images(event_id, position);
"""


def _migrate_to_5(conn: sqlite3.Connection) -> None:
    for statement in _split(_V5):
        conn.execute(statement)


def _migrate_to_4(conn: sqlite3.Connection) -> None:
    for statement in _split(_V4):
        conn.execute(statement)


def _migrate_to_3(conn: sqlite3.Connection) -> None:
    for statement in _split(_V3):
        conn.execute(statement)


def _migrate_to_2(conn: sqlite3.Connection) -> None:
    from viewer.store.layout import relayout_all

    for statement in _split(_V2) + _split(_FTS_V2):
        conn.execute(statement)
    relayout_all(conn)


def _split(script: str) -> list[str]:
    """Split a schema script into statements (triggers contain inner semicolons)."""
    statements: list[str] = []
    buffer = ""
    for line in script.splitlines(keepends=True):
        if line.lstrip().startswith("--"):
            continue
        buffer += line
        if sqlite3.complete_statement(buffer):
            statements.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        statements.append(buffer.strip())
    return statements


#: ``MIGRATIONS[n - 1]`` takes a file from version ``n - 1`` to ``n``.
MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [
    _migrate_to_1,
    _migrate_to_2,
    _migrate_to_3,
    _migrate_to_4,
    _migrate_to_5,
]
SCHEMA_VERSION = len(MIGRATIONS)
#: Versions whose files this one reads as they are when it may not upgrade them (a
#: read-only file): what each later version added has a stand-in while it is missing
#: (no lanes: the views place the events; no ``qualifiers``: no date has one; no
#: ``notes``: none has notes; no ``images``: none has images).
READ_AS_IS = frozenset({1, 2, 3, 4})
