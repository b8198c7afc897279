"""What a source's own date text says beyond its date fields.

TimelineJS (JSON and sheet) keeps a date as numbers (``year``, ``month``…) and, beside
them, the text a person wrote (``display_date``: "c. 1450", "the 1960s", "before
1200").  The numbers cannot say "about" or "before"; the text can.  On import, a
display date that reads as the same dates with a qualifier gives them that qualifier
(and a decade or century gives the span its fields start); on export, a qualified
event writes its qualifier there, the one place the format has for it.
"""

from __future__ import annotations

import re

from viewer.model.dates import DateError, PartialDate, format_range
from viewer.model.event import Event
from viewer.model.parse import parse_date_range

__all__ = ["display_date_for", "may_qualify", "read_display_date", "read_qualifiers"]

# Cheap to test on every row of a big sheet; only text it matches is parsed.
_HINT_RE = re.compile(
    r"\b(?:c|ca|circa|about|around|approx|approximately|roughly|before|after|by|since|"
    r"until|till|probably|possibly|perhaps|early|mid|late|century|centuries|millennium|"
    r"millennia)\b|[~?%]|\d0'?s\b|\d[xX]|\.\.",
    re.IGNORECASE,
)


def may_qualify(text: str) -> bool:
    """Whether a display date may say more than its fields (a word or mark for it)."""
    return bool(text) and _HINT_RE.search(text) is not None


def read_qualifiers(
    start: PartialDate, end: PartialDate | None, display_date: str
) -> tuple[PartialDate, PartialDate | None]:
    """``start`` and ``end`` with what ``display_date`` says of them.

    Taken only where the text reads as the same dates: "c. 1450" beside year 1450
    makes it approximate, "the 1960s" beside year 1960 (and no end) makes it
    1960–1969.  Text that says other dates, or is not a date at all ("Spring"),
    changes nothing: the fields are the data.
    """
    if not may_qualify(display_date):
        return start, end
    try:
        said_start, said_end = parse_date_range(display_date)
    except DateError:
        return start, end
    if said_start.nominal != start.nominal:
        return start, end
    if end is None or (said_end is not None and said_end.nominal == end.nominal):
        return said_start, said_end
    return start, end


def read_display_date(
    start: PartialDate, end: PartialDate | None, display_date: str
) -> tuple[PartialDate, PartialDate | None, str]:
    """:func:`read_qualifiers`, and the display date to keep: none where it is just
    the qualified dates as the app writes them (what :func:`display_date_for` wrote),
    so that an export imported again is the same event."""
    start, end = read_qualifiers(start, end, display_date)
    qualified = start.qualifier or (end is not None and end.qualifier)
    if qualified and display_date == format_range(start, end):
        display_date = ""
    return start, end, display_date


def display_date_for(event: Event) -> str:
    """The display date to export for ``event``.

    Its own ``display_date`` where it says the event's dates, or where the dates are
    exact (then it may be free text, "Spring 1999", which is kept); otherwise, for a
    qualified date, its dates as people read them ("c. 1450"), so that the qualifier
    is not lost.
    """
    shown = event.display_date
    if not (event.start.qualifier or (event.end is not None and event.end.qualifier)):
        return shown
    if shown and read_qualifiers(event.start.nominal, _nominal(event.end), shown) == (
        event.start,
        event.end,
    ):
        return shown
    return event.date_text()


def _nominal(date: PartialDate | None) -> PartialDate | None:
    return None if date is None else date.nominal
