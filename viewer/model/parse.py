"""Forgiving free-text dates: what people type and what news timelines print.

Used by the news importer (date lines such as "Sept. 13, 2023" or "May 16-17, 2024")
and by the event editor, where people type dates.  The parser keeps exactly the
precision the text states ("July 2000" is a month, never 1 July 2000), and it refuses
what a :class:`~viewer.model.dates.PartialDate` cannot represent ("3/4/1999", "9 pm
GMT", "the 1900s", which is a decade or a century) instead of guessing.

What historians write about a date is kept as its
:class:`~viewer.model.dates.Qualifier`, never as invented precision: "c. 1450",
"circa 3000 BC", "around 1040" and "~1450" are approximate; "1455?" and "probably
1455" uncertain; "before 1200" and "after 1300" open on one side.  Decades and
centuries are spans of years: "the 1960s" is 1960–1969, "19th century" 1801–1900,
"2nd millennium BC" 2000–1001 BC, and "early/mid/late" takes an approximate third of
one ("early 1990s" is c. 1990 – c. 1993).  The EDTF forms of the same (level 1:
``1450~``, ``1455?``, ``1455%``, ``196X``, ``19XX``, ``..1200``, ``1300..``,
``1450~/1500``, ``../1200``) are read too.

Two kinds of failure are told apart because the news importer needs the difference:
:class:`DateSyntaxError` means the text is not shaped like a date at all (it is prose
and belongs to an event's text), while a plain :class:`DateError` means it is shaped
like a date but names one that does not exist or cannot be represented ("Feb. 30,
2023", "0 BC", "March 3" with no year), which is worth reporting.  Both are
:class:`DateError`, and for any ``str`` nothing else is ever raised.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, NamedTuple

from viewer.model.dates import (
    EDTF_MARKS,
    MONTH_NAMES,
    DateError,
    PartialDate,
    Qualifier,
    check_open_ends,
    check_range,
    days_from_civil,
    format_range,
)

__all__ = [
    "DateSyntaxError",
    "is_date_line",
    "parse_date",
    "parse_date_line",
    "parse_date_range",
    "parse_span",
]


class DateSyntaxError(DateError):
    """Text that is not shaped like a date at all (as opposed to an impossible date)."""


#: Longer text is prose, not a date; the cap keeps range splitting cheap on long lines.
_MAX_LENGTH = 200
#: Numbers longer than this cannot be a year (the deep-time limit has 12 digits).
_MAX_DIGITS = 12

_EXPECTED_DATE = (
    "expected a date such as 'March 3, 1999', '3 March 1999', '1999-03-03', "
    "'March 1999', '1999', '44 BC' or 'AD 79'"
)
_EXPECTED_RANGE = _EXPECTED_DATE + ", or a range such as '1939–1945' or 'May 16-17, 2024'"

_MONTHS: dict[str, int] = {"sept": 9}
for _number, _name in enumerate(MONTH_NAMES, start=1):
    _MONTHS[_name.lower()] = _number
    _MONTHS[_name[:3].lower()] = _number

_WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_WEEKDAYS: dict[str, int] = {
    "tues": 1,
    "weds": 2,
    "thur": 3,
    "thurs": 3,
}
for _number, _name in enumerate(_WEEKDAY_NAMES):
    _WEEKDAYS[_name.lower()] = _number
    _WEEKDAYS[_name[:3].lower()] = _number

_SCALES = {"million": 10**6, "billion": 10**9}

# Words before a date that say something about it (they never move it).
_QUALIFIERS: dict[str, Qualifier] = {
    **dict.fromkeys(
        ("c", "ca", "circa", "about", "around", "approx", "approximately", "roughly"),
        Qualifier.APPROXIMATE,
    ),
    **dict.fromkeys(("probably", "possibly", "perhaps"), Qualifier.UNCERTAIN),
    **dict.fromkeys(("before", "by", "until", "till"), Qualifier.BEFORE),
    **dict.fromkeys(("after", "since"), Qualifier.AFTER),
}
# "early 1990s", "mid-19th century", "late 1960s": a third of a decade or a century.
_PARTS = ("early", "mid", "late")
_ZONES = frozenset(
    {
        "utc", "gmt", "et", "est", "edt", "ct", "cst", "cdt", "mt", "mst", "mdt", "pt",
        "pst", "pdt", "bst", "cet", "cest", "eet", "eest", "msk", "ist", "jst", "kst",
    }
)  # fmt: skip
_CENTURY_WORDS = frozenset({"century", "centuries", "millennium", "millennia"})

_TOKEN_RE = re.compile(
    r"""
      (?P<space>\s+)
    | (?P<time>\d{1,2}:\d{2}(?::\d{2})?)(?![\d:])
    | (?P<grouped>\d{1,3}(?:,\d{3})+)(?![\d,])
    | (?P<decimal>\d+\.\d+)(?![\d.])
    | (?P<ordinal>\d{1,2}(?:st|nd|rd|th))(?![a-z])
    | (?P<number>\d+)
    | (?P<era>b\.?c\.?(?:e\.?)?|a\.?d\.?|c\.?e\.?)(?![a-z])
    | (?P<ampm>[ap]\.?m\.?)(?![a-z])
    | (?P<word>[a-z]+\.?)
    | (?P<comma>,)
    | (?P<mark>[?~])
    | (?P<other>.)
    """,
    re.VERBOSE | re.ASCII,
)

_ISO_RE = re.compile(
    r"(?P<before>\.\.)?"
    r"(?P<year>[+-]?\d{4,12})"
    r"(?:-(?P<month>\d{2})"
    r"(?:-(?P<day>\d{2})"
    r"(?:[t ](?P<hour>\d{2})(?::(?P<minute>\d{2})(?::(?P<second>\d{2}))?)?)?)?)?"
    r"(?P<mark>[~?%])?(?P<after>\.\.)?",
    re.ASCII,
)
# EDTF unspecified digits: "196x" is the 1960s, "19xx" 1900–1999, "1xxx" 1000–1999.
_UNSPECIFIED_RE = re.compile(r"(?P<digits>\d{1,3})(?P<xs>x{1,3})(?P<mark>[~?%])?", re.ASCII)
# An EDTF interval: "1450~/1500", "../1200", "1300/..", "1960/1969".
_EDTF_INTERVAL_RE = re.compile(r"(?P<left>[^/\s]+)/(?P<right>[^/\s]+)", re.ASCII)
_SLASHED_RE = re.compile(r"\d{1,4}[/.]\d{1,2}[/.]\d{1,4}", re.ASCII)
_DASHES = "-–—‒‐−"  # hyphen-minus, en, em, figure dash, hyphen, minus sign
_TO_RE = re.compile(r"\s+to\s+")


class _Tok(NamedTuple):
    """One lexical token; ``value`` depends on ``kind`` (month number, int, …)."""

    kind: str
    text: str
    value: Any = None


@dataclass(slots=True)
class _Fragment:
    """What one side of a range states; a range borrows missing fields across sides."""

    year: int | None = None
    month: int | None = None
    day: int | None = None
    time: tuple[int, int | None, int | None] | None = None
    weekday: int | None = None
    qualifier: Qualifier = Qualifier.NONE
    #: The last year of a span of years ("the 1960s": ``year`` 1960, ``span_end`` 1969).
    span_end: int | None = None

    @property
    def anchored(self) -> bool:
        """True when the text is recognisably a date (names a month or a year).

        A bare "16" or "3 pm" is not: on its own it is prose, not a date line.
        """
        return self.year is not None or self.month is not None

    @property
    def time_only(self) -> bool:
        return self.time is not None and self.day is None and not self.anchored

    def complete(self) -> PartialDate:
        if not self.anchored or (self.day is not None and self.month is None):
            raise DateSyntaxError("not a complete date")
        if self.year is None:
            raise DateError("no year is given")
        date = PartialDate(
            self.year, self.month, self.day, *(self.time or ()), qualifier=self.qualifier
        )
        if self.weekday is not None:
            if date.day is None:
                raise DateSyntaxError("a weekday needs a day")
            assert date.month is not None
            actual = (days_from_civil(date.year, date.month, date.day) + 3) % 7
            if actual != self.weekday:
                day_text = PartialDate(date.year, date.month, date.day).format()
                named, actual_name = _WEEKDAY_NAMES[self.weekday], _WEEKDAY_NAMES[actual]
                raise DateError(f"{day_text} was a {actual_name}, not a {named}")
        return date

    def complete_end(self) -> PartialDate:
        """The last date this side covers: the span's last year, or the date itself."""
        if self.span_end is None:
            return self.complete()
        return PartialDate(self.span_end, qualifier=self.qualifier)


def _lex(text: str) -> list[_Tok]:
    """Tokens of normalised (lower-case, single-spaced) text.

    Raises :class:`DateSyntaxError` at the first word that has no place in a date, so
    that a line of prose (most lines an importer sees) is given up on early.
    """
    tokens: list[_Tok] = []
    for m in _TOKEN_RE.finditer(text):
        kind = m.lastgroup
        s = m.group()
        if kind == "space":
            continue
        if kind == "time":
            parts = [int(p) for p in s.split(":")]
            tokens.append(
                _Tok("time", s, (parts[0], parts[1], parts[2] if len(parts) > 2 else None))
            )
        elif kind in ("number", "grouped"):
            digits = s.replace(",", "")
            if len(digits) > _MAX_DIGITS:
                raise DateSyntaxError("number too long for a year")
            tokens.append(_Tok(kind, s, int(digits)))
        elif kind == "decimal":
            if len(s) > 2 * _MAX_DIGITS:
                raise DateSyntaxError("number too long for a year")
            tokens.append(_Tok("decimal", s, Decimal(s)))
        elif kind == "ordinal":
            tokens.append(_Tok("ordinal", s, int(s[:-2])))
        elif kind == "era":
            tokens.append(_Tok("era", s, "bc" if s.startswith("b") else "ad"))
        elif kind == "ampm":
            tokens.append(_Tok("ampm", s, s[0] + "m"))
        elif kind == "mark":
            tokens.append(_Tok("mark", s, EDTF_MARKS[s]))
        elif kind == "word":
            tok = _word(s)
            if tok.kind == "word":
                raise DateSyntaxError("unexpected text")
            tokens.append(tok)
        elif kind == "other":
            raise DateSyntaxError("unexpected text")
        else:
            assert kind is not None
            tokens.append(_Tok(kind, s))
    return tokens


def _word(s: str) -> _Tok:
    w = s.rstrip(".")
    if w in _MONTHS:
        return _Tok("month", s, _MONTHS[w])
    if w in _WEEKDAYS:
        return _Tok("weekday", s, _WEEKDAYS[w])
    if w in _SCALES:
        return _Tok("scale", s, _SCALES[w])
    if w in ("year", "years"):
        return _Tok("years", s)
    if w in ("ago", "of", "at", "the"):
        return _Tok(w, s)
    if w in _QUALIFIERS:
        return _Tok("qualifier", s, _QUALIFIERS[w])
    if w in _PARTS:
        return _Tok("part", s, _PARTS.index(w))
    if w in _ZONES:
        return _Tok("zone", s)
    if w in _CENTURY_WORDS:
        return _Tok("century", s)
    if w == "s":  # "1990s"
        return _Tok("decade", s)
    return _Tok("word", s)


class _Grammar:
    """Recursive descent over one side's tokens, producing a :class:`_Fragment`.

    Accepted shapes: ``[weekday] (month [day] | day [of] month | day) [year] [time]``,
    ``year``, and a lone ``time`` (the end of "14:30–15:45").
    """

    def __init__(self, tokens: list[_Tok]) -> None:
        self.tokens = tokens
        self.i = 0

    def peek(self, ahead: int = 0) -> _Tok | None:
        j = self.i + ahead
        return self.tokens[j] if j < len(self.tokens) else None

    def kind(self, ahead: int = 0) -> str | None:
        tok = self.peek(ahead)
        return tok.kind if tok else None

    def take(self) -> _Tok:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def comma(self) -> None:
        if self.kind() == "comma":
            self.i += 1

    def fragment(self) -> _Fragment:
        f = _Fragment()
        if self.kind() == "weekday":
            f.weekday = self.take().value
            self.comma()
        if self.kind() == "month":
            f.month = self.take().value
            self.comma()
            if self.is_day():
                f.day = self.take().value
                self.comma()
        elif self.is_day():
            j = 2 if self.kind(1) == "of" else 1
            if self.kind(j) == "month":
                f.day = self.take().value
                self.i = self.i + j - 1
                f.month = self.take().value
            else:
                f.day = self.take().value
            self.comma()
        f.year = self.year(anchored=f.month is not None)
        if f.year is not None and self.kind(1) in ("time", "number", "at"):
            self.comma()  # "Sept. 13, 2023, 9:05 p.m."
        f.time = self.time()
        if f.time is not None and f.day is None and (f.month is not None or f.year is not None):
            raise DateSyntaxError("a time needs a day")
        if self.i != len(self.tokens) or f == _Fragment():
            raise DateSyntaxError("unexpected text")
        return f

    def is_day(self) -> bool:
        tok = self.peek()
        if tok is None:
            return False
        if tok.kind == "ordinal":
            return True
        return (
            tok.kind == "number"
            and len(tok.text) <= 2
            and tok.value <= 31
            and self.kind(1) not in ("era", "scale", "ampm")
        )

    def year(self, *, anchored: bool) -> int | None:
        tok = self.peek()
        if tok is None:
            return None
        if tok.kind == "era" and tok.value == "ad":  # "AD 79"
            if self.kind(1) not in ("number", "grouped"):
                raise DateSyntaxError("AD without a year")
            self.take()
            return _era_year(self.take().value, "ad")
        if tok.kind not in ("number", "grouped", "decimal"):
            return None
        following = self.kind(1)
        if following == "scale":  # "65 million years ago"
            self.take()
            scale = self.take().value
            if self.kind() != "years" or self.kind(1) != "ago":
                raise DateSyntaxError("expected 'years ago'")
            self.i += 2
            years_ago = Decimal(tok.value) * scale
            if years_ago != years_ago.to_integral_value():
                raise DateError(
                    f"{tok.text} {'million' if scale == 10**6 else 'billion'} "
                    "years is not a whole number of years"
                )
            if years_ago < 1:
                raise DateError("there is no year 0: 1 BC is followed by AD 1")
            return 1 - int(years_ago)
        if tok.kind == "decimal":
            return None
        if following == "era":  # "44 BC", "79 AD"
            self.take()
            return _era_year(tok.value, self.take().value)
        if tok.kind == "number" and len(tok.text) >= 3:
            self.take()
            if tok.value == 0:
                raise DateError("there is no year 0: 1 BC is followed by AD 1")
            return int(tok.value)
        if tok.kind == "number" and anchored and self.kind(1) in (None, "time", "at", "comma"):
            raise DateError(
                f"the year '{tok.text}' is ambiguous: write it in full, such as "
                f"19{tok.text:0>2} or AD {tok.value}"
            )
        return None

    def time(self) -> tuple[int, int | None, int | None] | None:
        at = self.kind() == "at"
        if at:
            self.i += 1
        tok = self.peek()
        if tok is not None and tok.kind == "time":
            self.take()
            hour, minute, second = tok.value
            if self.kind() == "ampm":
                hour = _twelve_hour(hour, self.take().value)
            return (hour, minute, second)
        if (
            tok is not None
            and tok.kind == "number"
            and len(tok.text) <= 2
            and self.kind(1) == "ampm"
        ):
            self.take()
            return (_twelve_hour(tok.value, self.take().value), None, None)
        if at:
            raise DateSyntaxError("'at' without a time")
        return None


def _era_year(number: int, era: str) -> int:
    if number == 0:
        raise DateError("there is no year 0: 1 BC is followed by AD 1")
    return 1 - number if era == "bc" else number


def _twelve_hour(hour: int, ampm: str) -> int:
    if not 1 <= hour <= 12:
        raise DateError(f"{hour} {ampm} is not a time: 12-hour clock times run from 1 to 12")
    return hour % 12 + (12 if ampm == "pm" else 0)


def _normalise(text: str) -> str:
    """Compatibility forms folded (NBSP, full-width digits), format characters dropped."""
    text = unicodedata.normalize("NFKC", text)
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    return " ".join(text.split()).lower()


_SOFT = Qualifier.APPROXIMATE | Qualifier.UNCERTAIN
_OPEN = Qualifier.BEFORE | Qualifier.AFTER
# "mid-1990s", "19th-century": the hyphen joins words, it does not make a range.
_JOINED_RE = re.compile(r"\b(early|mid|late)-|-(century|centuries|millennium|millennia)\b")


def _iso_fragment(m: re.Match[str]) -> _Fragment:
    parts = [m.group(k) for k in ("year", "month", "day", "hour", "minute", "second")]
    date = PartialDate(int(parts[0]), *(int(p) if p is not None else None for p in parts[1:]))
    time = None
    if date.hour is not None:
        time = (date.hour, date.minute, date.second)
    qualifier = EDTF_MARKS.get(m.group("mark") or "", Qualifier.NONE)
    if m.group("before"):
        qualifier |= Qualifier.BEFORE
    if m.group("after"):
        qualifier |= Qualifier.AFTER
    return _Fragment(date.year, date.month, date.day, time, qualifier=qualifier)


def _unspecified_fragment(m: re.Match[str]) -> _Fragment:
    """EDTF's unspecified digits: "196x" is 1960–1969."""
    digits, xs = m.group("digits"), m.group("xs")
    if len(digits) + len(xs) != 4:
        raise DateSyntaxError("unspecified digits need a four-digit year")
    first = int(digits) * 10 ** len(xs)
    if first == 0:
        raise DateError("there is no year 0: 1 BC is followed by AD 1")
    qualifier = EDTF_MARKS.get(m.group("mark") or "", Qualifier.NONE)
    return _Fragment(first, qualifier=qualifier, span_end=first + 10 ** len(xs) - 1)


def _span_fragment(body: list[_Tok]) -> _Fragment:
    """A decade ("1960s", "1450s BC") or a century or millennium ("19th century",
    "5th century BC", "2nd millennium BC") as a span of years."""
    kinds = [t.kind for t in body]
    era = "ad"
    if kinds and kinds[-1] == "era":
        era = body[-1].value
        body, kinds = body[:-1], kinds[:-1]
    if kinds == ["number", "decade"]:
        n, text = body[0].value, body[0].text
        if len(text) < 3:
            raise DateError(
                f"the decade '{text}s' is ambiguous: write it in full, such as 19{text:0>2}s"
            )
        if n % 10:
            raise DateError(f"'{text}s' is not a decade: a decade is written like 1960s")
        if n % 100 == 0:
            raise DateError(
                f"'the {text}s' can mean the decade {n}–{n + 9} or the century "
                f"{n}–{n + 99}: write the years, such as {n}–{n + 9}"
            )
        first, last = n, n + 9
    elif kinds == ["ordinal", "century"]:
        n = body[0].value
        size = 1000 if body[1].text.startswith("millenni") else 100
        if n == 0:
            raise DateError(f"there is no 0th {body[1].text.rstrip('.')}")
        first, last = size * (n - 1) + 1, size * n
    else:
        raise DateSyntaxError("unexpected text")
    if era == "bc":  # counted backwards: the 1450s BC run from 1459 BC to 1450 BC
        first, last = 1 - last, 1 - first
    return _Fragment(first, span_end=last)


def _part_of(fragment: _Fragment, part: int) -> None:
    """Narrow a span to its early, middle or late third (approximately)."""
    assert fragment.year is not None and fragment.span_end is not None
    first, last = fragment.year, fragment.span_end
    length = last - first + 1
    third, wide = length // 3, -(-length // 3)
    if part == 0:
        last = first + wide - 1
    elif part == 1:
        first, last = first + third, last - third
    else:
        first = last - wide + 1
    fragment.year, fragment.span_end = first, last
    fragment.qualifier |= Qualifier.APPROXIMATE


def _take_qualifiers(tokens: list[_Tok]) -> tuple[Qualifier, list[_Tok]]:
    """Qualifier words and "~" before a date, and "?" after it: what is left is the date."""
    qualifier = Qualifier.NONE
    i, j = 0, len(tokens)
    while i < j and (tokens[i].kind == "qualifier" or tokens[i].text == "~"):
        if tokens[i].value & _OPEN and qualifier & _OPEN:
            raise DateError("a date can be open on one side only ('before' or 'after')")
        qualifier |= tokens[i].value
        i += 1
    while j > i and tokens[j - 1].kind == "mark":
        qualifier |= tokens[j - 1].value
        j -= 1
    body = tokens[i:j]
    if any(t.kind in ("qualifier", "mark") for t in body):
        raise DateSyntaxError("unexpected text")
    return qualifier, body


def _parse_side(text: str) -> _Fragment:
    """One date, possibly incomplete (a range side may borrow its year or month)."""
    m = _ISO_RE.fullmatch(text)
    if m:
        return _iso_fragment(m)
    m = _UNSPECIFIED_RE.fullmatch(text)
    if m:
        return _unspecified_fragment(m)
    if _SLASHED_RE.fullmatch(text):
        raise DateError(
            "numeric dates such as 3/4/1999 are ambiguous (3 April or March 4?): "
            "write the month's name, or use ISO 1999-04-03"
        )
    text = _JOINED_RE.sub(lambda m: f"{m.group(1)} " if m.group(1) else f" {m.group(2)}", text)
    text = re.sub(r"(\d)'s\b", r"\1s", text)  # "1960's"
    qualifier, body = _take_qualifiers(_lex(text))
    the = bool(body) and body[0].kind == "the"
    part: int | None = None
    if the:
        body = body[1:]
    if body and body[0].kind == "part":
        part = body[0].value
        body = body[1:]
    if any(t.kind in ("decade", "century") for t in body):
        fragment = _span_fragment(body)
        if part is not None:
            _part_of(fragment, part)
    else:
        if the or (part is not None and not body):
            raise DateSyntaxError("unexpected text")
        zones = [t for t in body if t.kind == "zone"]
        fragment = _Grammar([t for t in body if t.kind != "zone"]).fragment()
        if zones and not fragment.anchored:
            raise DateSyntaxError("unexpected text")
        if zones:
            raise DateError(
                f"time zones ('{zones[0].text}') cannot be stored: "
                "give the local time without a zone"
            )
        if part is not None:
            raise DateError(
                f"'{_PARTS[part]}' needs a decade or a century, such as 'early 1990s' or "
                "'late 19th century': for a year, write 'c. 2020' or give the months"
            )
    fragment.qualifier |= qualifier
    return fragment


def _edtf_interval(text: str) -> tuple[PartialDate, PartialDate | None] | None:
    """An EDTF interval ("1450~/1500", "../1200", "1300/..", "196x/197x"), or None when
    the text is not one."""
    m = _EDTF_INTERVAL_RE.fullmatch(text)
    if not m:
        return None
    sides: list[_Fragment | None] = []
    for side in (m.group("left"), m.group("right")):
        if side == "..":
            sides.append(None)
            continue
        iso = _ISO_RE.fullmatch(side)
        unspecified = _UNSPECIFIED_RE.fullmatch(side)
        if iso is None and unspecified is None:
            return None
        sides.append(_iso_fragment(iso) if iso else _unspecified_fragment(unspecified))  # type: ignore[arg-type]
    left, right = sides
    if left is None and right is None:
        raise DateError("an interval needs at least one date")
    if left is None:
        assert right is not None
        right.qualifier |= Qualifier.BEFORE
        return right.complete(), None
    if right is None:
        left.qualifier |= Qualifier.AFTER
        return left.complete_end(), None
    return left.complete(), right.complete_end()


def _splits(text: str) -> list[tuple[str, str]]:
    """Candidate (start, end) texts, likeliest separators first.

    " to " and spaced dashes come before bare hyphens, which may belong to an ISO
    date ("2024-05-05 – 2024-05-09").
    """
    spaced: list[tuple[str, str]] = []
    tight: list[tuple[str, str]] = []
    for m in _TO_RE.finditer(text):
        spaced.append((text[: m.start()], text[m.end() :]))
    for i, ch in enumerate(text):
        if ch in _DASHES:
            pair = (text[:i].strip(), text[i + 1 :].strip())
            is_spaced = 0 < i < len(text) - 1 and text[i - 1] == " " and text[i + 1] == " "
            (spaced if is_spaced else tight).append(pair)
    return [(a, b) for a, b in spaced + tight if a and b]


def _combine(left: _Fragment, right: _Fragment) -> tuple[PartialDate, PartialDate]:
    """Complete two sides, sharing what the text shares.

    "14:30–15:45" ends on the start's day; "May 16-17, 2024" ends in the start's month;
    "16–17 May 2024", "March–May 2020" and "Jan. 31 – Feb. 9, 1971" start in the end's
    year (and "16–17 May" in its month).  Nothing else is borrowed.
    """
    if right.time_only:
        if left.day is None:
            raise DateSyntaxError("a time range needs a day")
        right.year, right.month, right.day = left.year, left.month, left.day
    elif right.day is not None and right.month is None:  # "17, 2024" after "May 16"
        if left.month is None or left.day is None or left.year is not None:
            raise DateSyntaxError("a day range needs a month")
        right.month = left.month
    if left.year is None and right.year is not None:
        if left.day is not None and left.month is None:  # "16" before "17 May 2024"
            if right.month is None or right.day is None:
                raise DateSyntaxError("a day range needs a month")
            left.month = right.month
        if left.anchored or left.day is not None:
            left.year = right.year
    if not (left.anchored or right.anchored):
        raise DateSyntaxError("not a date range")
    return left.complete(), right.complete_end()


def _check_length(text: str) -> str:
    if len(text) > 4 * _MAX_LENGTH:
        raise DateSyntaxError(f"cannot read the text as a date: {_EXPECTED_DATE}")
    norm = _normalise(text)
    if not norm:
        raise DateSyntaxError(f"no date given: {_EXPECTED_DATE}")
    if len(norm) > _MAX_LENGTH:
        raise DateSyntaxError(f"cannot read the text as a date (too long): {_EXPECTED_DATE}")
    return norm


def parse_date(text: str) -> PartialDate:
    """One date as people write it, to exactly the precision the text states.

    Accepts ISO 8601 ("1999-03-03", "-0043-03-15", "2024-05-05T14:30:15"), month names
    and abbreviations in either order ("March 3, 1999", "3 March 1999", "Sept. 13,
    2023", "July, 2000", "Nov. 1969"), an optional weekday (checked) and time ("9:05
    pm", "21:05", "9 pm" is hour precision), eras ("44 BC", "AD 79", "79 CE") and deep
    time ("65 million years ago"), with a qualifier ("c. 1450", "1455?", "before
    1200", "1450~").  Raises :class:`DateSyntaxError` for text that is not a date and
    :class:`DateError` for a date that does not exist, or for a span of years ("the
    1960s"), which is not one date (:func:`parse_span` reads those).
    """
    norm = _check_length(text)
    try:
        fragment = _parse_side(norm)
        if fragment.span_end is not None:
            first, last = fragment.complete(), fragment.complete_end()
            raise DateError(f"it is a span of years ({format_range(first, last)}), not one date")
        return fragment.complete()
    except DateSyntaxError:
        raise DateSyntaxError(f"cannot read {text.strip()!r} as a date: {_EXPECTED_DATE}") from None
    except DateError as e:
        raise DateError(f"{text.strip()!r} is not a valid date: {e}") from None


# "AD 602–629" and "500–400 BC": one era written once for both years.
_SHARED_AD_RE = re.compile(
    r"^\s*(?:a\.?d\.?|c\.?e\.?)\s*(\d[\d,]*)\s*[-–—]\s*(\d[\d,]*)\s*$", re.IGNORECASE
)
_SHARED_BC_RE = re.compile(
    r"^\s*(\d[\d,]*)\s*[-–—]\s*(\d[\d,]*)\s*(b\.?c\.?(?:e\.?)?)\s*$", re.IGNORECASE
)


def _spell_out_shared_era(text: str) -> str:
    """ "AD 602–629" → "AD 602 – AD 629"; "500–400 BC" → "500 BC – 400 BC"."""
    if m := _SHARED_AD_RE.match(text):
        return f"AD {m.group(1)} – AD {m.group(2)}"
    if m := _SHARED_BC_RE.match(text):
        return f"{m.group(1)} BC – {m.group(2)} BC"
    return text


def parse_date_range(text: str) -> tuple[PartialDate, PartialDate | None]:
    """A date, or a range of two, as ``(start, end)``; ``end`` is None for one date.

    Ranges use "-", "–", "—" or " to ", spaced or not, and may share fields the way
    news copy does: "May 16-17, 2024", "Jan. 31 – Feb. 9, 1971", "March–May 2020",
    "16–17 May 2024", "1939–1945", "44 BC – AD 14", "2024-05-05 – 2024-05-09".  A
    hyphenated ISO date is one date, not a range.  The end may equal the start but
    not come before it.  An era written once covers both years: "AD 602–629",
    "500–400 BC".
    """
    norm = _check_length(_spell_out_shared_era(text))
    original = text.strip()
    whole_error: DateError | None = None
    try:
        interval = _edtf_interval(norm)
        if interval is not None:
            check_range(*interval)
            check_open_ends(*interval)
            return interval
        fragment = _parse_side(norm)
        if fragment.span_end is not None:  # "the 1960s"
            return fragment.complete(), fragment.complete_end()
        return fragment.complete(), None
    except DateSyntaxError:
        pass
    except DateError as e:
        whole_error = e
    split_error: DateError | None = None
    for left, right in _splits(norm):
        try:
            start, end = _combine(_parse_side(left), _parse_side(right))
            check_range(start, end)
            check_open_ends(start, end)
        except DateSyntaxError:
            continue
        except DateError as e:
            split_error = split_error or e
            continue
        return start, end
    if whole_error is not None:
        raise DateError(f"{original!r} is not a valid date: {whole_error}")
    if split_error is not None:
        raise DateError(f"{original!r} is not a valid date range: {split_error}")
    raise DateSyntaxError(f"cannot read {original!r} as a date: {_EXPECTED_RANGE}")


def parse_span(text: str) -> tuple[PartialDate, PartialDate]:
    """The first and last date a text covers: one date is both ("1999" is
    ``(1999, 1999)``), a span of years its ends ("the 1960s" is ``(1960, 1969)``).

    For a field that takes one end of a range, or one side of a filter: "until the
    1960s" ends with 1969.  A range ("1939–1945") is refused: it is two dates.
    """
    norm = _check_length(text)
    try:
        fragment = _parse_side(norm)
        return fragment.complete(), fragment.complete_end()
    except DateSyntaxError:
        raise DateSyntaxError(f"cannot read {text.strip()!r} as a date: {_EXPECTED_DATE}") from None
    except DateError as e:
        raise DateError(f"{text.strip()!r} is not a valid date: {e}") from None


def parse_date_line(line: str) -> tuple[PartialDate, PartialDate | None]:
    """A whole line as a date or range, allowing the punctuation news copy ends it with.

    "July, 2000:" and "Sept. 13, 2023." are date lines; the trailing ",.;:" is dropped
    before parsing (eras and "p.m." still read without their final dot).
    """
    return parse_date_range(line.strip().rstrip(",.;:").rstrip())


def is_date_line(line: str) -> bool:
    """True only when the whole line is a date or date range.

    A sentence that merely contains a date ("On March 3, 1999 the talks failed.") is
    not, nor is a bare number of one or two digits (a year needs three digits or an
    era, so "12" is not read as AD 12).  An impossible date ("Feb. 30, 2023") is not a
    date line either; :func:`parse_date_line` tells why.
    """
    try:
        parse_date_line(line)
    except DateError:
        return False
    return True
