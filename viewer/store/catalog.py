"""What describes the events: the document's metadata, categories, tags and eras.

:class:`Catalog` reads and writes the small tables beside ``events``:

* ``meta``: title, description and source (:meth:`Catalog.meta`), and the document's
  ``extra`` (JSON) from the file it was imported from;
* ``categories``: a name and a colour each.  An event names its category by id, so a
  rename or a new colour keeps its events; naming a category that does not exist
  creates it (``_category_id``), with the first palette colour not in use;
* ``tags`` and ``event_tags``: ``tags.uses`` (kept by triggers, see
  :mod:`viewer.store.schema`) counts the events carrying each tag, so the sidebar's
  counts cost nothing and a tag no event carries any more is dropped cheaply;
* ``eras``: named spans drawn behind the events.

:meth:`Catalog.timeline_header` is the document without its events.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, cast

import numpy as np

from viewer.model.colors import CATEGORY_COLORS, category_color
from viewer.model.dates import PartialDate
from viewer.model.event import Category, Era, Timeline
from viewer.store.bulk import read_columns
from viewer.store.core import StoreCore, StoreError, timestamp

__all__ = ["META_KEYS", "Catalog", "unused_color"]

#: The metadata a document always has (possibly empty).
META_KEYS = ("title", "description", "source")
#: The ``meta`` key of how the file is viewed (JSON: grouping, bands…), not exported.
VIEW_KEY = "view"


class Catalog(StoreCore):
    """Metadata, categories, tags and eras (a part of
    :class:`~viewer.store.EventStore`)."""

    # -- metadata ------------------------------------------------------------------

    def meta(self) -> dict[str, str]:
        """Title, description and source (always present, possibly empty)."""
        values = dict.fromkeys(META_KEYS, "")
        with self._reading() as conn:
            for key, value in conn.execute(
                "SELECT key, value FROM meta WHERE key != ?", (VIEW_KEY,)
            ):
                values[key] = value
        return values

    def meta_with_extra(self) -> dict[str, str]:
        """Every metadata value, ``extra`` included (what an undo of an import restores)."""
        with self._reading() as conn:
            return dict(conn.execute("SELECT key, value FROM meta").fetchall())

    def set_meta(self, **values: str) -> None:
        with self.atomic() as conn:
            for key, value in values.items():
                conn.execute(
                    "INSERT INTO meta(key, value) VALUES (?, ?) "
                    "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                    (key, value),
                )
            self._touch("meta")

    @property
    def title(self) -> str:
        return self.meta()["title"]

    def view_settings(self) -> dict[str, Any]:
        """How this file is viewed (the grouping, its bands' order…), kept in the file;
        ``{}`` when nothing was kept or what was kept cannot be read."""
        with self._reading() as conn:
            return _view_settings(conn)

    def set_view_settings(self, settings: Mapping[str, Any]) -> None:
        """Keep how this file is viewed (merged into what is kept; JSON values).  Not
        an edit: nothing is told of it, and undo does not take it back."""
        with self.atomic() as conn:
            merged = {**_view_settings(conn), **settings}
            conn.execute(
                "INSERT INTO meta(key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (VIEW_KEY, json.dumps(merged, ensure_ascii=False, sort_keys=True)),
            )

    def timeline_header(self) -> Timeline:
        """The document without its events: title, categories, eras, extra."""
        with self._reading() as conn:
            meta = self.meta()
            extra_text = conn.execute("SELECT value FROM meta WHERE key = 'extra'").fetchone()
            return Timeline(
                title=meta["title"],
                description=meta["description"],
                source=meta["source"],
                events=[],
                categories=[Category(c.name, c.color) for c in self.categories()],
                eras=self.eras(),
                extra=json.loads(extra_text[0]) if extra_text else {},
            )

    # -- categories ----------------------------------------------------------------

    def categories(self) -> list[Category]:
        with self._reading() as conn:
            rows = conn.execute(
                "SELECT id, name, color FROM categories ORDER BY name COLLATE NOCASE"
            ).fetchall()
        return [Category(name, color, id_) for id_, name, color in rows]

    def category(self, name: str) -> Category | None:
        with self._reading() as conn:
            row = conn.execute(
                "SELECT id, name, color FROM categories WHERE name = ?", (name,)
            ).fetchone()
        return Category(row[1], row[2], row[0]) if row else None

    def category_counts(self) -> tuple[list[tuple[Category, int]], int]:
        """Each category with its number of events, and the number without one."""
        with self._reading():
            counts = dict(self.category_keys_counted())
            return [(c, counts.get(c.id, 0)) for c in self.categories()], counts.get(None, 0)

    def category_keys_counted(self) -> list[tuple[int | None, int]]:
        """``(category id or None, number of events)`` for each category in use."""
        with self._reading() as conn:
            return conn.execute(
                "SELECT category_id, count(*) FROM events GROUP BY category_id"
            ).fetchall()

    def next_color(self) -> str:
        """The colour a new category gets unless it is given one."""
        return unused_color({c.color.lower() for c in self.categories()})

    def add_category(self, name: str, color: str | None = None) -> Category:
        name = name.strip()
        if not name:
            raise StoreError("a category needs a name")
        with self.atomic() as conn:
            if self.category(name) is not None:
                raise StoreError(f"there is already a category named {name!r}")
            color = color or self.next_color()
            cur = conn.execute("INSERT INTO categories(name, color) VALUES (?, ?)", (name, color))
            self._touch("categories")
            return Category(name, color, cur.lastrowid)

    def _category_id(self, name: str | None, *, create: bool = True) -> int | None:
        """The id of the category ``name`` (created if missing, unless ``create`` is
        false); ``None`` for a blank name (no category).  Inside a transaction."""
        name = (name or "").strip()  # as add_category stores it
        if not name:
            return None
        found = self.category(name)
        if found is not None:
            return found.id
        if not create:
            raise StoreError(f"there is no category named {name!r}")
        return self.add_category(name).id

    def update_category(
        self, name: str, *, new_name: str | None = None, color: str | None = None
    ) -> None:
        """Rename and/or recolour a category (its events keep it: they name its id)."""
        with self.atomic() as conn:
            cat = self.category(name)
            if cat is None:
                raise StoreError(f"there is no category named {name!r}")
            if new_name is not None and new_name.strip() != name:
                new_name = new_name.strip()
                if not new_name:
                    raise StoreError("a category needs a name")
                if self.category(new_name) is not None:
                    raise StoreError(f"there is already a category named {new_name!r}")
                conn.execute("UPDATE categories SET name = ? WHERE id = ?", (new_name, cat.id))
            if color is not None:
                conn.execute("UPDATE categories SET color = ? WHERE id = ?", (color, cat.id))
            self._touch("categories")

    def delete_category(self, name: str, *, reassign_to: str | None = None) -> list[int]:
        """Delete a category, moving its events to ``reassign_to`` (or to none).

        Returns the ids of the events that were in it, so the step can be undone.
        """
        with self.atomic() as conn:
            cat = self.category(name)
            if cat is None:
                raise StoreError(f"there is no category named {name!r}")
            target = self._category_id(reassign_to, create=False) if reassign_to else None
            if target == cat.id:
                raise StoreError("cannot move events to the category being deleted")
            ids = [
                r[0] for r in conn.execute("SELECT id FROM events WHERE category_id = ?", (cat.id,))
            ]
            conn.execute(
                "UPDATE events SET category_id = ?, updated = ? WHERE category_id = ?",
                (target, timestamp(), cat.id),
            )
            conn.execute("DELETE FROM categories WHERE id = ?", (cat.id,))
            self._touch("categories")
            self._touch_events(changed=ids)
            return ids

    def set_event_categories(self, ids: Iterable[int], name: str | None) -> None:
        """Put these events in the category ``name`` (created if missing; ``None``:
        in none)."""
        with self.atomic() as conn:
            cat_id = self._category_id(name)
            ids = list(ids)
            now = timestamp()
            conn.executemany(
                "UPDATE events SET category_id = ?, updated = ? WHERE id = ?",
                [(cat_id, now, i) for i in ids],
            )
            self._touch_events(changed=ids)

    # -- tags ----------------------------------------------------------------------

    def tag_counts(self) -> list[tuple[str, int]]:
        """Each tag in use with its number of events, by name."""
        with self._reading() as conn:
            if not self.has_lanes:  # an older file: no counts kept
                return list(
                    conn.execute(
                        "SELECT t.name, count(et.event_id) FROM tags t "
                        "JOIN event_tags et ON et.tag_id = t.id GROUP BY t.id "
                        "ORDER BY t.name COLLATE NOCASE"
                    )
                )
            return list(
                conn.execute(
                    "SELECT name, uses FROM tags WHERE uses > 0 ORDER BY name COLLATE NOCASE"
                )
            )

    def tag_pairs(
        self, ids: Sequence[int] | None = None
    ) -> tuple[np.ndarray, np.ndarray, list[str]]:
        """The tags events carry, as columns: ``(event ids, tag of each as an index into
        names, names)``, names sorted as the sidebar lists them; of every event, or of
        ``ids`` only (names: just theirs)."""
        where, params = "", cast(tuple[int, ...], ())
        if ids is not None:
            wanted = sorted({int(i) for i in ids})
            if not wanted:
                return np.zeros(0, np.int64), np.zeros(0, np.int32), []
            where = f"event_id IN ({','.join('?' * len(wanted))})"
            params = tuple(wanted)
        with self._reading() as conn:
            cols = read_columns(
                conn,
                {"ids": ("event_id", np.int64), "tag": ("tag_id", np.int64)},
                "event_tags",
                where,
                params,
            )
            used = np.unique(cols["tag"]).tolist()
            tags = conn.execute(
                f"SELECT id, name FROM tags WHERE id IN ({','.join('?' * len(used))}) "
                "ORDER BY name COLLATE NOCASE",
                used,
            ).fetchall()
        names = [name for _id, name in tags]
        tag_ids = np.array([tid for tid, _name in tags], dtype=np.int64)
        index = np.zeros(len(cols["tag"]), dtype=np.int32)
        if len(tag_ids):
            order = np.argsort(tag_ids)
            k = np.minimum(np.searchsorted(tag_ids[order], cols["tag"]), len(order) - 1)
            index = order[k].astype(np.int32)
        return cols["ids"], index, names

    def _tags_of(self, event_id: int) -> tuple[str, ...]:
        return tuple(
            r[0]
            for r in self._conn.execute(
                "SELECT t.name FROM event_tags et JOIN tags t ON t.id = et.tag_id "
                "WHERE et.event_id = ? ORDER BY t.name COLLATE NOCASE",
                (event_id,),
            )
        )

    def _set_tags(self, event_id: int, tags: Sequence[str]) -> bool:
        """Give an event exactly these tags; whether that changed its tags."""
        wanted = tuple(dict.fromkeys(t.strip() for t in tags if t.strip()))
        conn = self._conn
        had = self._tags_of(event_id)
        if sorted(had) == sorted(wanted):
            return False
        conn.execute("DELETE FROM event_tags WHERE event_id = ?", (event_id,))
        for tag in wanted:
            conn.execute("INSERT OR IGNORE INTO tags(name) VALUES (?)", (tag,))
            conn.execute(
                "INSERT OR IGNORE INTO event_tags(event_id, tag_id) "
                "SELECT ?, id FROM tags WHERE name = ?",
                (event_id, tag),
            )
        return True

    def _drop_unused_tags(self) -> None:
        self._conn.execute("DELETE FROM tags WHERE uses <= 0")

    # -- eras ----------------------------------------------------------------------

    def eras(self) -> list[Era]:
        with self._reading() as conn:
            rows = conn.execute(
                "SELECT title, start, end, extra FROM eras ORDER BY start_pos, id"
            ).fetchall()
        return [
            Era(title, PartialDate.from_iso(s), PartialDate.from_iso(e), json.loads(extra))
            for title, s, e, extra in rows
        ]

    def era_spans(self) -> list[tuple[str, float, float]]:
        """``(title, begin, finish)`` of each era in axis seconds, for drawing."""
        with self._reading() as conn:
            rows = conn.execute(
                "SELECT title, start_pos, end_pos FROM eras ORDER BY start_pos, id"
            ).fetchall()
        return [(title, float(a), float(b)) for title, a, b in rows]

    def _add_era(self, era: Era) -> int:
        cur = self._conn.execute(
            "INSERT INTO eras(title, start, end, start_pos, end_pos, extra) VALUES (?,?,?,?,?,?)",
            (
                era.title,
                era.start.iso(),
                era.end.iso(),
                era.start.begin(),
                era.end.finish(),
                json.dumps(era.extra, ensure_ascii=False, sort_keys=True),
            ),
        )
        self._touch("eras")
        return int(cur.lastrowid or 0)


def _view_settings(conn: sqlite3.Connection) -> dict[str, Any]:
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (VIEW_KEY,)).fetchone()
    if row is None:
        return {}
    try:
        value = json.loads(row[0])
    except (TypeError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}


def unused_color(used: set[str]) -> str:
    """The first palette colour not in ``used`` (lower case), else a further one."""
    for color in CATEGORY_COLORS:
        if color not in used:
            return color
    return category_color(len(used))
