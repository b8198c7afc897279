"""The default layout kept in the file: each event's lane, placed on every write.

The lanes (table ``lanes``) are those of :func:`viewer.model.lanes.default_lanes` at
the scale kept in ``derived.layout_scale``.  Packing a million events takes about two
seconds, so it is done when a file is migrated or a large import arrives
(:func:`relayout_all`), and
every other write places just the events it writes (:func:`place`): an event keeps
its lane if it still fits there (or the lane undo gives back), else takes the lowest
free one.  Finding the neighbours that could be in the way is one index range
query on ``start_pos``: no mark is longer than ``derived.max_extent``.
"""

from __future__ import annotations

import sqlite3

import numpy as np

from viewer.model.lanes import default_lanes, default_scale, free_lane, mark_extents, within_reach
from viewer.store.bulk import read_columns

__all__ = [
    "derived",
    "note_extent",
    "place",
    "read_lanes",
    "relayout_all",
    "set_derived",
    "set_lane",
    "write_lanes",
]

_POSITIONS = {
    "ids": ("id", np.int64),
    "begin": ("start_pos", np.float64),
    "finish": ("end_pos", np.float64),
    "is_range": ("end IS NOT NULL", np.bool_),
}


def derived(conn: sqlite3.Connection, key: str) -> float | None:
    row = conn.execute("SELECT value FROM derived WHERE key = ?", (key,)).fetchone()
    return None if row is None else float(row[0])


def set_derived(conn: sqlite3.Connection, key: str, value: float) -> None:
    conn.execute(
        "INSERT INTO derived(key, value) VALUES (?, ?) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        (key, float(value)),
    )


def _longest(begin: np.ndarray, finish: np.ndarray, is_range: np.ndarray, scale: float) -> float:
    if len(begin) == 0:
        return 0.0
    lo, hi = mark_extents(begin, finish, is_range, scale)
    return float((hi - lo).max())


def read_lanes(conn: sqlite3.Connection, ids: np.ndarray, where: str = "") -> np.ndarray:
    """The lane of each of ``ids`` (sorted, as a scan of ``events`` gives them), ``-1``
    for an event not placed; ``where`` limits the rows of ``lanes`` read."""
    cols = read_columns(
        conn, {"ids": ("id", np.int64), "lane": ("lane", np.int32)}, table="lanes", where=where
    )
    known, lanes = cols["ids"], cols["lane"]
    if len(known) == len(ids) and np.array_equal(known, ids):
        return lanes  # every event placed: the usual case
    out = np.full(len(ids), -1, dtype=np.int32)
    if len(known):
        k = np.minimum(np.searchsorted(known, ids), len(known) - 1)
        found = known[k] == ids
        out[found] = lanes[k[found]]
    return out


def relayout_all(
    conn: sqlite3.Connection,
    known: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray] | None = None,
    *,
    lanes: tuple[np.ndarray, float] | None = None,
) -> int:
    """Pack every event's lane afresh, at a scale for the data's span; the lanes used.

    ``known`` gives the columns ``(ids, begin, finish, is_range)`` of every event, ids
    ascending, when the caller has them (an import into an empty file), so that
    nothing is read back; ``lanes`` the lanes packed already, and their scale.  Runs
    inside the caller's transaction.
    """
    if known is None:
        cols = read_columns(conn, _POSITIONS)
        known = (cols["ids"], cols["begin"], cols["finish"], cols["is_range"])
    ids, begin, finish, rng = known
    conn.execute("DELETE FROM lanes")
    if len(ids) == 0:
        conn.execute("DELETE FROM derived WHERE key IN ('layout_scale', 'max_extent')")
        return 0
    if lanes is None:
        scale = default_scale(float(begin.min()), float(finish.max()))
        packed = default_lanes(begin, finish, rng, scale)
    else:
        packed, scale = lanes
    # one sort to make the index on lanes, not a million updates of it
    index = conn.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = 'lanes_lane'"
    ).fetchone()
    if index is not None:
        conn.execute("DROP INDEX lanes_lane")
    write_lanes(conn, ids, packed)
    if index is not None:
        conn.execute(index[0])
    set_derived(conn, "layout_scale", scale)
    set_derived(conn, "max_extent", _longest(begin, finish, rng, scale))
    return int(packed.max()) + 1


def write_lanes(conn: sqlite3.Connection, ids: np.ndarray, lanes: np.ndarray) -> None:
    """Set the lanes of many events (ids ascending)."""
    conn.executemany(
        "INSERT INTO lanes(id, lane) VALUES (?, ?) "
        "ON CONFLICT(id) DO UPDATE SET lane = excluded.lane",
        zip(ids.tolist(), lanes.tolist(), strict=True),
    )


def set_lane(conn: sqlite3.Connection, event_id: int, lane: int) -> None:
    conn.execute(
        "INSERT INTO lanes(id, lane) VALUES (?, ?) ON CONFLICT(id) DO UPDATE SET lane = ?",
        (event_id, lane, lane),
    )


def note_extent(
    conn: sqlite3.Connection, begin: float, finish: float, is_range: bool
) -> tuple[float, float]:
    """Keep ``derived`` right for a mark about to be placed, however it is placed:
    the layout's scale (set by the first event) and ``max_extent`` (widened when this
    mark is longer than any before, so that :func:`place` sees it in the way).
    ``(scale, max_extent)``."""
    scale = derived(conn, "layout_scale")
    if scale is None:
        scale = default_scale(begin, finish)
        set_derived(conn, "layout_scale", scale)
    extent = _longest(
        np.array([begin], dtype=np.float64),
        np.array([finish], dtype=np.float64),
        np.array([is_range]),
        scale,
    )
    before = derived(conn, "max_extent") or 0.0
    if extent > before:
        set_derived(conn, "max_extent", extent)
    return scale, max(before, extent)


def place(
    conn: sqlite3.Connection,
    begin: float,
    finish: float,
    is_range: bool,
    *,
    event_id: int | None = None,
    prefer: int | None = None,
) -> int:
    """The lane for an event about to be written with these positions.

    ``event_id`` (an edit) is left out of its own way; ``prefer`` is kept if the event
    fits there.  Sets the layout's scale when this is the first event, and widens
    ``max_extent`` when this mark is longer than any before.
    """
    scale, longest = note_extent(conn, begin, finish, is_range)
    # marks reach at most ``reach`` beyond their periods (gap included), and none is
    # longer than ``longest``: anything in the way starts in this window
    reach = 2 * within_reach(scale)
    rows = conn.execute(
        "SELECT e.start_pos, e.end_pos, e.end IS NOT NULL, coalesce(l.lane, -1) "
        "FROM events e INDEXED BY events_start_pos LEFT JOIN lanes l ON l.id = e.id "
        "WHERE e.start_pos > ? AND e.start_pos < ? AND e.end_pos > ? AND e.id IS NOT ?",
        (begin - longest - reach, finish + reach, begin - reach, event_id),
    ).fetchall()
    if rows:
        cols = np.array(rows, dtype=np.float64).T
        others = (cols[0], cols[1], cols[2].astype(bool), cols[3].astype(np.int64))
    else:
        empty = np.zeros(0)
        others = (empty, empty, empty.astype(bool), empty.astype(np.int64))
    return free_lane(begin, finish, is_range, scale, others, prefer)
