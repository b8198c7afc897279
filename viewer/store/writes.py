"""Writing events one by one, and placing each in the default layout's lanes.

:meth:`Writes.add_event`, :meth:`Writes.update_event` and :meth:`Writes.delete_events`
are what the editor's undoable commands (:mod:`viewer.ui.commands`) call.  Each is a
transaction of its own, or a part of the caller's (``atomic()`` nests), and keeps
what an undo needs to put things back exactly: an event added with an id keeps it,
and an event written keeps its lane when it still fits there (or takes the lane it
is given, as an undo gives back the one it had), else the lowest free lane
(:func:`viewer.store.layout.place`).  A view that holds every event in memory can
place them more cheaply than SQLite's neighbour queries (:meth:`Writes.set_placer`,
a :data:`Placer`).

Whole timelines are written in bulk instead (:mod:`viewer.store.imports`).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable
from typing import Any

from viewer.model.event import Event
from viewer.store.core import StoreError, timestamp
from viewer.store.images import Images
from viewer.store.layout import note_extent, place, set_lane

__all__ = ["Placer", "Writes"]

#: Places an event in the default layout from what the caller holds in memory:
#: ``(begin, finish, is_range, event_id, prefer, placed_so_far) -> lane``, or ``None``
#: to leave it to the store.  ``placed_so_far`` are ``(begin, finish, is_range,
#: lane)`` of the events this transaction placed already (not committed yet, so not
#: in the caller's view).
Placer = Callable[
    [float, float, bool, int | None, int | None, list[tuple[float, float, bool, int]]], int | None
]

_INSERT_EVENT = (
    "INSERT INTO events(id, title, description, start, end, start_pos, end_pos, "
    "start_until, end_from, start_precision, end_precision, category_id, source_url, "
    "display_date, extra, qualifiers, notes, created, updated) "
    "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
)


def _event_values(event: Event, category_id: int | None) -> tuple[Any, ...]:
    """The ``events`` columns of ``event`` from ``title`` to ``notes``."""
    return (
        event.title,
        event.description,
        event.start.iso(),
        event.end.iso() if event.end else None,
        event.begin,
        event.finish,
        event.start.finish(),
        (event.end or event.start).begin(),
        int(event.start.precision),
        int(event.end.precision) if event.end else None,
        category_id,
        event.source_url,
        event.display_date,
        json.dumps(event.extra, ensure_ascii=False, sort_keys=True),
        event.edges,
        event.notes,
    )


class Writes(Images):
    """Adding, changing and deleting events (a part of
    :class:`~viewer.store.EventStore`)."""

    def __init__(self, conn: sqlite3.Connection, path: str, *, readonly: bool) -> None:
        super().__init__(conn, path, readonly=readonly)
        self._placer: Placer | None = None

    def set_placer(self, placer: Placer | None) -> None:
        """Place events with ``placer`` (a view holding every event in memory) rather
        than by asking SQLite for their neighbours, which costs more the more events
        crowd there."""
        self._placer = placer

    def _lane_for(self, event: Event, *, prefer: int | None, event_id: int | None) -> int:
        begin, finish, rng = event.begin, event.finish, event.is_range
        lane = None
        if self._placer is not None and not self._repacked:
            # (the placer's lanes are those before this transaction: not after a repack)
            lane = self._placer(begin, finish, rng, event_id, prefer, self._placed)
            if lane is not None:
                note_extent(self._conn, begin, finish, rng)
        if lane is None:
            lane = place(self._conn, begin, finish, rng, event_id=event_id, prefer=prefer)
        self._placed.append((begin, finish, rng, lane))
        return lane

    def add_event(self, event: Event, *, lane: int | None = None) -> int:
        """Insert an event (with its own id when it has one, as undo needs); its id.

        ``lane`` is kept if the event fits there (undo gives back the lane it had),
        else it takes the lowest free lane.
        """
        if not event.title.strip():
            raise StoreError("an event needs a headline")
        with self.atomic() as conn:
            category_id = self._category_id(event.category)
            now = timestamp()
            placed = self._lane_for(event, prefer=lane, event_id=None)
            cur = conn.execute(
                _INSERT_EVENT, (event.id, *_event_values(event, category_id), now, now)
            )
            event_id = int(cur.lastrowid or 0)
            set_lane(conn, event_id, placed)
            if event.tags and self._set_tags(event_id, event.tags):
                self._touch("tags")
            if event.images:
                self._write_images(event_id, event.images)
            self._touch_events(added=[event_id])
            return event_id

    def update_event(self, event: Event, *, lane: int | None = None) -> None:
        """Write an event over the one with its id.

        It keeps its lane if it still fits there (or ``lane``, as undo asks), else it
        takes the lowest free lane.
        """
        if event.id is None:
            raise StoreError("cannot update an event that has no id")
        if not event.title.strip():
            raise StoreError("an event needs a headline")
        with self.atomic() as conn:
            if conn.execute("SELECT 1 FROM events WHERE id = ?", (event.id,)).fetchone() is None:
                raise StoreError(f"there is no event {event.id}")
            prefer = lane if lane is not None else self.lanes_of([event.id]).get(event.id)
            values = _event_values(event, self._category_id(event.category))
            placed = self._lane_for(event, prefer=prefer, event_id=event.id)
            conn.execute(
                "UPDATE events SET title=?, description=?, start=?, end=?, start_pos=?, "
                "end_pos=?, start_until=?, end_from=?, start_precision=?, end_precision=?, "
                "category_id=?, source_url=?, display_date=?, extra=?, qualifiers=?, notes=?, "
                "updated=? "
                "WHERE id=?",
                (*values, timestamp(), event.id),
            )
            set_lane(conn, event.id, placed)
            self._write_images(event.id, event.images)
            if self._set_tags(event.id, event.tags):
                self._drop_unused_tags()
                self._touch("tags")
            self._touch_events(changed=[event.id])

    def delete_events(self, ids: Iterable[int]) -> list[Event]:
        """Delete events; returns them as they were (each once, however often named),
        so undo can put them back."""
        with self.atomic() as conn:
            removed = self.get_events(dict.fromkeys(int(i) for i in ids))
            gone = [e.id for e in removed if e.id is not None]
            conn.executemany("DELETE FROM events WHERE id = ?", [(i,) for i in gone])
            if any(e.tags for e in removed):
                self._drop_unused_tags()
                self._touch("tags")
            self._touch_events(removed=gone)
            return removed
