"""Events as rows ready for the store, a few thousand at a time.

An import streams :class:`EventBatch` objects into :meth:`EventStore.import_batches`
instead of building the whole timeline first, so its memory does not grow with the
file.  A batch holds exactly what the ``events`` table stores (ISO dates, positions,
precisions), so a reader that can work out positions for a whole column at once (the
sheet CSV reader does, with numpy) makes no :class:`~viewer.model.event.Event` at all;
:meth:`EventBatch.from_events` is the way in for every other reader.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, fields
from itertools import islice

from viewer.model.event import Event
from viewer.model.images import Image

__all__ = ["BATCH_SIZE", "EventBatch", "batches_of"]

#: Events per batch: big enough for ``executemany`` to run at full speed, small enough
#: that a batch's Python strings stay a few megabytes.
BATCH_SIZE = 5000


@dataclass(slots=True)
class EventBatch:
    """Parallel lists, one entry per event, in the ``events`` table's terms.

    ``end`` is ``None`` and ``end_precision`` ``None`` for a point; ``category`` is a
    name (``""``: none); ``extra`` is JSON text; ``tags`` a tuple of names per event.
    """

    title: list[str] = field(default_factory=list)
    description: list[str] = field(default_factory=list)
    start: list[str] = field(default_factory=list)
    end: list[str | None] = field(default_factory=list)
    start_pos: list[float] = field(default_factory=list)
    end_pos: list[float] = field(default_factory=list)
    start_until: list[float] = field(default_factory=list)
    end_from: list[float] = field(default_factory=list)
    start_precision: list[int] = field(default_factory=list)
    end_precision: list[int | None] = field(default_factory=list)
    category: list[str] = field(default_factory=list)
    source_url: list[str] = field(default_factory=list)
    display_date: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)
    tags: list[tuple[str, ...]] = field(default_factory=list)
    #: :func:`~viewer.model.event.edge_flags` of each event's dates.
    qualifiers: list[int] = field(default_factory=list)
    #: the speaker notes of each event
    notes: list[str] = field(default_factory=list)
    #: the images of the events that have some, by row (most have none)
    images: dict[int, tuple[Image, ...]] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.title)

    def append(self, event: Event) -> None:
        end = event.end
        start = event.start
        self.title.append(event.title)
        self.description.append(event.description)
        self.start.append(start.iso())
        self.end.append(end.iso() if end is not None else None)
        self.start_pos.append(start.begin())
        until = start.finish()
        self.start_until.append(until)
        self.end_pos.append(end.finish() if end is not None else until)
        self.end_from.append((end or start).begin())
        self.start_precision.append(int(start.precision))
        self.end_precision.append(int(end.precision) if end is not None else None)
        self.category.append((event.category or "").strip())
        self.source_url.append(event.source_url)
        self.display_date.append(event.display_date)
        self.extra.append(json.dumps(event.extra, ensure_ascii=False, sort_keys=True))
        self.tags.append(tuple(event.tags))
        self.qualifiers.append(event.edges)
        if event.images:
            self.images[len(self.notes)] = event.images
        self.notes.append(event.notes)

    def extend_rows(self, other: EventBatch, start: int, stop: int) -> None:
        """Append rows ``start`` to ``stop`` of ``other``, every field (a reader's
        plain rows, worked out a column at a time, among the rows read one by one)."""
        base = len(self)
        for f in fields(self):
            if f.name == "images":
                self.images.update(
                    {base + i - start: v for i, v in other.images.items() if start <= i < stop}
                )
            else:
                getattr(self, f.name).extend(getattr(other, f.name)[start:stop])

    @classmethod
    def from_events(cls, events: Iterable[Event]) -> EventBatch:
        batch = cls()
        for event in events:
            batch.append(event)
        return batch


def batches_of(events: Iterable[Event], size: int = BATCH_SIZE) -> Iterator[EventBatch]:
    """``events`` in batches of ``size``."""
    it = iter(events)
    while chunk := list(islice(it, size)):
        yield EventBatch.from_events(chunk)
