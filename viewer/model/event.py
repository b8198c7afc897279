"""Events, categories and whole timelines as plain Python values (no Qt, no SQL)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from viewer.model.dates import PartialDate, Qualifier, check_open_ends, check_range, format_range
from viewer.model.images import Image

#: Bits of :func:`edge_flags`: how the timeline draws an event's two ends.
SOFT_START = 1  # the start is approximate or uncertain: a soft edge
SOFT_END = 2  # the end is
OPEN_START = 4  # "before 1200": open towards the past
OPEN_END = 8  # "after 1300": open towards the future


def edge_flags(start: PartialDate, end: PartialDate | None) -> int:
    """The :data:`SOFT_START` … :data:`OPEN_END` bits of an event's dates (0: exact)."""
    last = end if end is not None else start
    flags = 0
    if start.qualifier.soft:
        flags |= SOFT_START
    if last.qualifier.soft:
        flags |= SOFT_END
    if start.qualifier & Qualifier.BEFORE:
        flags |= OPEN_START
    if last.qualifier & Qualifier.AFTER:
        flags |= OPEN_END
    return flags


@dataclass(frozen=True, slots=True)
class Category:
    """A named group of events with a display colour (``#rrggbb``).

    An empty colour means "not chosen": the store then picks an unused default.
    """

    name: str
    color: str = ""
    id: int | None = None


@dataclass(frozen=True, slots=True)
class Event:
    """One event: a point (``end is None``) or a range; ``end`` is never before ``start``.

    ``display_date`` keeps the date text a source gave (e.g. TimelineJS's
    ``display_date``, or the news line "May 16-17, 2024"); ``extra`` keeps
    format-specific fields (media, background, unique id…) so that an export gives
    them back.  ``description`` is stored exactly as given (it may hold HTML).
    ``notes`` are the presenter's speaker notes (plain text, never shown to an
    audience).  ``images`` are its pictures (:class:`~viewer.model.images.Image`), in
    the order they show.
    """

    title: str
    start: PartialDate
    end: PartialDate | None = None
    description: str = ""
    category: str | None = None
    tags: tuple[str, ...] = ()
    source_url: str = ""
    display_date: str = ""
    extra: dict[str, Any] = field(default_factory=dict, compare=True, hash=False)
    notes: str = ""
    images: tuple[Image, ...] = ()
    id: int | None = None

    def __post_init__(self) -> None:
        check_range(self.start, self.end)
        check_open_ends(self.start, self.end)

    @property
    def begin(self) -> float:
        """Axis position where the event starts (start of its start's period)."""
        return self.start.begin()

    @property
    def finish(self) -> float:
        """Axis position where the event ends (end of its end's period, exclusive)."""
        return (self.end or self.start).finish()

    @property
    def is_range(self) -> bool:
        return self.end is not None

    @property
    def edges(self) -> int:
        """How its ends are drawn: the bits of :func:`edge_flags`."""
        return edge_flags(self.start, self.end)

    def date_text(self) -> str:
        """The formatted date ("16–17 May 2024")."""
        return format_range(self.start, self.end)

    def evolve(self, **changes: Any) -> Event:
        return replace(self, **changes)


@dataclass(frozen=True, slots=True)
class Era:
    """A labelled span drawn behind the events (TimelineJS ``eras``)."""

    title: str
    start: PartialDate
    end: PartialDate
    extra: dict[str, Any] = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        check_range(self.start, self.end)


@dataclass(slots=True)
class Timeline:
    """A whole timeline document as importers produce and exporters consume it."""

    title: str = ""
    description: str = ""
    source: str = ""
    events: list[Event] = field(default_factory=list)
    categories: list[Category] = field(default_factory=list)
    eras: list[Era] = field(default_factory=list)
    #: Format-specific fields of the title slide (media, background…), kept for export.
    extra: dict[str, Any] = field(default_factory=dict)
