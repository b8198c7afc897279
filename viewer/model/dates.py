"""Partial dates with an explicit precision, on the proleptic Gregorian calendar.

A :class:`PartialDate` keeps exactly the fields its source stated: "July 2000" is
``PartialDate(2000, 7)`` and never becomes 1 July 2000.  Years use astronomical
numbering internally (year 0 is 1 BC, year -43 is 44 BC), as ISO 8601 does; people
are shown "44 BC" / "AD 79".

Every date covers an interval of the time axis, ``[begin(), finish())``, measured in
seconds from 1970-01-01T00:00:00 (proleptic Gregorian, no leap seconds).  The day
arithmetic is exact for any integer year, so deep time (13.8 billion years ago) lands
on the same axis as an afternoon in 2024.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from enum import IntEnum, IntFlag

SECONDS_PER_DAY = 86_400
#: Years beyond this (in either direction) may only be given to year precision.
CALENDAR_YEAR_LIMIT = 999_999
#: The widest deep-time year accepted (a little beyond the age of the universe).
DEEP_TIME_LIMIT = 100_000_000_000
#: Mean Gregorian year, used for axis arithmetic only (never to invent a date).
SECONDS_PER_YEAR = 365.2425 * SECONDS_PER_DAY

MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
MONTH_ABBREVIATIONS = tuple(name[:3] for name in MONTH_NAMES)


class DateError(ValueError):
    """A date that does not exist or cannot be understood."""


class Precision(IntEnum):
    """How much of a date its source stated, coarsest first."""

    YEAR = 0
    MONTH = 1
    DAY = 2
    HOUR = 3
    MINUTE = 4
    SECOND = 5

    @property
    def label(self) -> str:
        return self.name.lower()


class Qualifier(IntFlag):
    """What a source said about a date besides the date itself (EDTF level 1).

    None of these changes where the date lies: "c. 1450" covers the year 1450, as
    "1450" does (a filter by date treats it by that nominal span); they change how it
    is drawn and written.  ``BEFORE`` and ``AFTER`` make the date one end of an open
    span ("before 1200": some time up to 1200), and exclude each other.
    """

    NONE = 0
    #: "c. 1450", "circa", "about", "around": EDTF ``1450~``.
    APPROXIMATE = 1
    #: "1455?", "probably 1455": EDTF ``1455?`` (both at once: ``1455%``).
    UNCERTAIN = 2
    #: "before 1200", "by 1200", "until 1200": EDTF ``..1200``.
    BEFORE = 4
    #: "after 1300", "since 1300": EDTF ``1300..``.
    AFTER = 8

    @property
    def soft(self) -> bool:
        """Approximate or uncertain: a date drawn with soft edges."""
        return bool(self & (Qualifier.APPROXIMATE | Qualifier.UNCERTAIN))

    def written(self, date_text: str) -> str:
        """A date's text with this qualifier in words: "c. 1450", "1455?", "before
        1200" (what the parser reads back)."""
        text = date_text
        if self & Qualifier.APPROXIMATE:
            text = "c. " + text
        if self & Qualifier.UNCERTAIN:
            text += "?"
        if self & Qualifier.BEFORE:
            text = "before " + text
        if self & Qualifier.AFTER:
            text = "after " + text
        return text

    def describe(self) -> str:
        """Words for people, as the event dialog says how a date was read."""
        words = []
        if self & Qualifier.APPROXIMATE:
            words.append("approximate")
        if self & Qualifier.UNCERTAIN:
            words.append("uncertain")
        if self & Qualifier.BEFORE:
            words.append("open before")
        if self & Qualifier.AFTER:
            words.append("open after")
        return ", ".join(words)


_ALL_QUALIFIERS = int(
    Qualifier.APPROXIMATE | Qualifier.UNCERTAIN | Qualifier.BEFORE | Qualifier.AFTER
)


def is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def days_in_month(year: int, month: int) -> int:
    if month == 2:
        return 29 if is_leap(year) else 28
    return 30 if month in (4, 6, 9, 11) else 31


def days_from_civil(year: int, month: int, day: int) -> int:
    """Days from 1970-01-01 to the given proleptic Gregorian date (exact for any year)."""
    y = year - (month <= 2)
    era = y // 400
    yoe = y - era * 400
    mp = (month + 9) % 12
    doy = (153 * mp + 2) // 5 + day - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146_097 + doe - 719_468


def civil_from_days(days: int) -> tuple[int, int, int]:
    """Inverse of :func:`days_from_civil`: ``(year, month, day)``."""
    z = days + 719_468
    era = z // 146_097
    doe = z - era * 146_097
    yoe = (doe - doe // 1460 + doe // 36_524 - doe // 146_096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    day = doy - (153 * mp + 2) // 5 + 1
    month = mp + 3 if mp < 10 else mp - 9
    return yoe + era * 400 + (month <= 2), month, day


def year_start(year: int) -> float:
    """Axis position of 1 January of an (astronomical) year."""
    return float(days_from_civil(year, 1, 1) * SECONDS_PER_DAY)


def civil_from_position(pos: float) -> tuple[int, int, int, int, int, int]:
    """``(year, month, day, hour, minute, second)`` of an axis position (floored)."""
    whole = int(pos // 1)
    days, rest = divmod(whole, SECONDS_PER_DAY)
    year, month, day = civil_from_days(days)
    hour, rest = divmod(rest, 3600)
    minute, second = divmod(rest, 60)
    return year, month, day, hour, minute, second


def year_from_position(pos: float) -> int:
    """The astronomical year containing an axis position, even in deep time."""
    if abs(pos) < 4e13:  # within about a million years: exact
        return civil_from_position(pos)[0]
    year = 1970 + int(pos // SECONDS_PER_YEAR)
    # The mean-year estimate can land one year off near 1 January (calendar years
    # are 365 or 366 days, not 365.2425): settle it against the exact year starts.
    while year_start(year) > pos:
        year -= 1
    while year_start(year + 1) <= pos:
        year += 1
    return year


def format_year(year: int) -> str:
    """A year for people: "2023", "AD 79", "44 BC", "65 million years ago"."""
    if year >= 1000:
        return str(year)
    if year >= 1:
        return f"AD {year}"
    bc = 1 - year
    if bc >= 1_000_000_000:
        return f"{bc / 1e9:.4g} billion years ago"
    if bc >= 1_000_000:
        return f"{bc / 1e6:.4g} million years ago"
    if bc >= 10_000:
        return f"{bc:,} BC"
    return f"{bc} BC"


_FIELD_NAMES = ("year", "month", "day", "hour", "minute", "second")

_ISO_RE = re.compile(
    r"^(?P<before>\.\.)?"
    r"(?P<year>[+-]?\d{1,12})"
    r"(?:-(?P<month>\d{2})"
    r"(?:-(?P<day>\d{2})"
    r"(?:[T ](?P<hour>\d{2})(?::(?P<minute>\d{2})(?::(?P<second>\d{2}))?)?)?)?)?"
    r"(?P<mark>[~?%])?(?P<after>\.\.)?$"
)
#: EDTF's marks after a date and the qualifiers they stand for.
EDTF_MARKS = {
    "~": Qualifier.APPROXIMATE,
    "?": Qualifier.UNCERTAIN,
    "%": Qualifier.APPROXIMATE | Qualifier.UNCERTAIN,
}


@dataclass(frozen=True, slots=True)
class PartialDate:
    """A proleptic Gregorian date known to some precision.

    Fields finer than the precision are ``None``; a field may only be given when
    every coarser field is.  ``hour`` alone is hour precision, and so on.
    ``qualifier`` keeps what the source said about the date ("c.", "?", "before"),
    which never moves it (:class:`Qualifier`).
    """

    year: int
    month: int | None = None
    day: int | None = None
    hour: int | None = None
    minute: int | None = None
    second: int | None = None
    qualifier: Qualifier = field(default=Qualifier.NONE, kw_only=True)

    def __post_init__(self) -> None:
        if not isinstance(self.qualifier, Qualifier):
            if not isinstance(self.qualifier, int) or isinstance(self.qualifier, bool):
                raise DateError(f"qualifier must be a Qualifier, not {self.qualifier!r}")
            if self.qualifier & ~_ALL_QUALIFIERS:
                raise DateError(f"no such qualifier: {self.qualifier!r}")
            object.__setattr__(self, "qualifier", Qualifier(self.qualifier))
        if self.qualifier & Qualifier.BEFORE and self.qualifier & Qualifier.AFTER:
            raise DateError("a date cannot be both 'before' and 'after'")
        fields = (self.year, self.month, self.day, self.hour, self.minute, self.second)
        for name, value in zip(_FIELD_NAMES, fields, strict=True):
            if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
                raise DateError(f"{name} must be a whole number, not {value!r}")
        seen_none = False
        for value in fields[1:]:
            if value is None:
                seen_none = True
            elif seen_none:
                raise DateError("a date cannot give a finer field without the coarser ones")
        if abs(self.year) > DEEP_TIME_LIMIT:
            raise DateError(f"year {self.year} is out of range")
        if self.month is not None:
            if abs(self.year) > CALENDAR_YEAR_LIMIT:
                raise DateError(f"year {self.year} can only be given as a year (no month or day)")
            if not 1 <= self.month <= 12:
                raise DateError(f"month {self.month} does not exist")
        if self.day is not None:
            assert self.month is not None
            last = days_in_month(self.year, self.month)
            if not 1 <= self.day <= last:
                raise DateError(
                    f"{MONTH_NAMES[self.month - 1]} {format_year(self.year)} has no day {self.day}"
                )
        if self.hour is not None and not 0 <= self.hour <= 23:
            raise DateError(f"hour {self.hour} does not exist")
        if self.minute is not None and not 0 <= self.minute <= 59:
            raise DateError(f"minute {self.minute} does not exist")
        if self.second is not None and not 0 <= self.second <= 59:
            raise DateError(f"second {self.second} does not exist")

    # -- precision and axis position -------------------------------------------------

    @property
    def precision(self) -> Precision:
        if self.month is None:
            return Precision.YEAR
        if self.day is None:
            return Precision.MONTH
        if self.hour is None:
            return Precision.DAY
        if self.minute is None:
            return Precision.HOUR
        if self.second is None:
            return Precision.MINUTE
        return Precision.SECOND

    def begin(self) -> float:
        """Axis position (seconds from 1970) where this date's period starts."""
        days = days_from_civil(self.year, self.month or 1, self.day or 1)
        seconds = (self.hour or 0) * 3600 + (self.minute or 0) * 60 + (self.second or 0)
        return float(days * SECONDS_PER_DAY + seconds)

    def finish(self) -> float:
        """Axis position where this date's period ends (exclusive).

        Computed without building the next date, which may not be representable
        (December 999999 is a valid month; "January 1000000" is not).
        """
        if self.month is None:
            return year_start(self.year + 1)
        if self.day is None:
            index = self.year * 12 + self.month  # the next month, counted from year 0
            return float(days_from_civil(index // 12, index % 12 + 1, 1) * SECONDS_PER_DAY)
        unit = {
            Precision.DAY: SECONDS_PER_DAY,
            Precision.HOUR: 3600,
            Precision.MINUTE: 60,
            Precision.SECOND: 1,
        }[self.precision]
        return self.begin() + unit

    @property
    def nominal(self) -> PartialDate:
        """The date itself, without its qualifier."""
        return self if not self.qualifier else replace(self, qualifier=Qualifier.NONE)

    def qualified(self, qualifier: Qualifier) -> PartialDate:
        """The same date with another qualifier."""
        return replace(self, qualifier=Qualifier(qualifier))

    def next_period(self) -> PartialDate:
        """The date one unit of this date's precision later ("July 2000" → "August 2000")."""
        return self.shifted(1)

    def shifted(self, units: int) -> PartialDate:
        """Move by whole units of this date's own precision, keeping the precision
        and the qualifier ("c. 1450" moved by a year is "c. 1451")."""
        p = self.precision
        if p is Precision.YEAR:
            moved = PartialDate(self.year + units)
        elif p is Precision.MONTH:
            assert self.month is not None
            index = self.year * 12 + (self.month - 1) + units
            moved = PartialDate(index // 12, index % 12 + 1)
        else:
            unit_seconds = {
                Precision.DAY: SECONDS_PER_DAY,
                Precision.HOUR: 3600,
                Precision.MINUTE: 60,
                Precision.SECOND: 1,
            }[p]
            moved = PartialDate.from_position(self.begin() + units * unit_seconds, p)
        return moved.qualified(self.qualifier) if self.qualifier else moved

    @classmethod
    def from_position(cls, pos: float, precision: Precision) -> PartialDate:
        """The date of the given precision containing an axis position."""
        if precision is Precision.YEAR:
            return cls(year_from_position(pos))
        year, month, day, hour, minute, second = civil_from_position(pos)
        parts = (year, month, day, hour, minute, second)[: precision + 1]
        return cls(*parts)

    def with_precision(self, precision: Precision) -> PartialDate:
        """This date truncated to a coarser precision (never invents finer fields)."""
        parts = (self.year, self.month, self.day, self.hour, self.minute, self.second)
        kept = parts[1 : min(precision, self.precision) + 1]
        return PartialDate(self.year, *kept, qualifier=self.qualifier)

    # -- ordering --------------------------------------------------------------------

    def sort_key(self) -> tuple[float, int]:
        return (self.begin(), int(self.precision))

    def __lt__(self, other: PartialDate) -> bool:
        return self.sort_key() < other.sort_key()

    def __le__(self, other: PartialDate) -> bool:
        return self.sort_key() <= other.sort_key()

    def __gt__(self, other: PartialDate) -> bool:
        return self.sort_key() > other.sort_key()

    def __ge__(self, other: PartialDate) -> bool:
        return self.sort_key() >= other.sort_key()

    # -- text ------------------------------------------------------------------------

    def iso(self) -> str:
        """Storage form: ISO 8601 to the stated precision ("2000-07", "-0043-03-15"),
        with the qualifier as EDTF writes it ("1450~", "1455?", "1455%", "..1200",
        "1300..")."""
        text = self._iso()
        q = self.qualifier
        if not q:
            return text
        if q & Qualifier.APPROXIMATE and q & Qualifier.UNCERTAIN:
            text += "%"
        elif q & Qualifier.APPROXIMATE:
            text += "~"
        elif q & Qualifier.UNCERTAIN:
            text += "?"
        if q & Qualifier.BEFORE:
            text = ".." + text
        if q & Qualifier.AFTER:
            text += ".."
        return text

    def _iso(self) -> str:
        y = self.year
        text = f"-{-y:04d}" if y < 0 else f"{y:04d}"
        if self.month is None:
            return text
        text += f"-{self.month:02d}"
        if self.day is None:
            return text
        text += f"-{self.day:02d}"
        if self.hour is None:
            return text
        text += f"T{self.hour:02d}"
        if self.minute is None:
            return text
        text += f":{self.minute:02d}"
        if self.second is None:
            return text
        return text + f":{self.second:02d}"

    @classmethod
    def from_iso(cls, text: str) -> PartialDate:
        """Parse the :meth:`iso` form (also accepts a space before the time)."""
        m = _ISO_RE.match(text.strip())
        if not m or (m.group("before") and m.group("after")):
            raise DateError(f"not an ISO date: {text!r}")
        parts = [m.group(k) for k in _FIELD_NAMES]
        qualifier = EDTF_MARKS.get(m.group("mark") or "", Qualifier.NONE)
        if m.group("before"):
            qualifier |= Qualifier.BEFORE
        if m.group("after"):
            qualifier |= Qualifier.AFTER
        return cls(
            int(parts[0]),
            *(int(p) if p is not None else None for p in parts[1:]),
            qualifier=qualifier,
        )

    def format(self) -> str:
        """Shortest unambiguous form for people: "July 2000", "25 April 2019", "44 BC",
        with the qualifier in words: "c. 1450", "1455?", "before 1200"."""
        return self.qualifier.written(self._format())

    def _format(self) -> str:
        year = format_year(self.year)
        if self.month is None:
            return year
        month = MONTH_NAMES[self.month - 1]
        if self.day is None:
            return f"{month} {year}"
        text = f"{self.day} {month} {year}"
        time = self.format_time()
        return f"{text} {time}" if time else text

    def format_time(self) -> str:
        if self.hour is None:
            return ""
        if self.minute is None:
            # "2 pm", not "14:00", which would claim the minute is known.
            return f"{(self.hour - 1) % 12 + 1} {'am' if self.hour < 12 else 'pm'}"
        if self.second is None:
            return f"{self.hour:02d}:{self.minute:02d}"
        return f"{self.hour:02d}:{self.minute:02d}:{self.second:02d}"

    def __str__(self) -> str:
        return self.format()


def check_range(start: PartialDate, end: PartialDate | None) -> None:
    """Raise :class:`DateError` if ``end`` lies before ``start``."""
    if end is not None and end.begin() < start.begin():
        raise DateError(f"the end ({end.format()}) is before the start ({start.format()})")


def check_open_ends(start: PartialDate, end: PartialDate | None) -> None:
    """Raise :class:`DateError` unless a range is open only before its start or after
    its end (EDTF ``../1400`` and ``1300/..``): "after 1300 – 1400" says nothing
    a line can show."""
    if end is None:
        return
    if start.qualifier & Qualifier.AFTER or end.qualifier & Qualifier.BEFORE:
        raise DateError(
            "a range can be open only before its start or after its end, "
            "such as 'before 1100 – 1200' or '1100 – after 1200'"
        )


def format_range(start: PartialDate, end: PartialDate | None) -> str:
    """A date or range for people, sharing what both ends share.

    "16–17 May 2024", "January–March 2020", "14 October 2006 – 22 December 2017".
    Qualified ends are written each in full: "c. 1450 – 1500", "c. 1450 – c. 1500".
    """
    if end is None or end == start:
        return start.format()
    if start.qualifier or end.qualifier:
        return f"{start.format()} – {end.format()}"
    same_prec = start.precision == end.precision
    if same_prec and start.precision <= Precision.DAY and start.year == end.year:
        year = format_year(start.year)
        if start.precision is Precision.MONTH:
            assert start.month is not None and end.month is not None
            return f"{MONTH_NAMES[start.month - 1]}–{MONTH_NAMES[end.month - 1]} {year}"
        if start.precision is Precision.DAY:
            assert start.month is not None and end.month is not None
            if start.month == end.month:
                return f"{start.day}–{end.day} {MONTH_NAMES[start.month - 1]} {year}"
            return (
                f"{start.day} {MONTH_NAMES[start.month - 1]} – "
                f"{end.day} {MONTH_NAMES[end.month - 1]} {year}"
            )
    if (
        same_prec
        and start.precision > Precision.DAY
        and start.with_precision(Precision.DAY) == end.with_precision(Precision.DAY)
    ):
        day = start.with_precision(Precision.DAY).format()
        return f"{day} {start.format_time()}–{end.format_time()}"
    if same_prec and start.precision is Precision.YEAR:
        if start.year >= 1000:
            return f"{start.year}–{end.year}"
        if start.year >= 1 and end.year < 1000:
            return f"AD {start.year}–{end.year}"  # "AD 602–629"
        if start.year >= -9998 and end.year <= 0:
            return f"{1 - start.year}–{1 - end.year} BC"  # "500–400 BC"
    return f"{start.format()} – {end.format()}"
