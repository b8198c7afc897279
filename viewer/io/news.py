"""News-agency style text timelines ("Below is a timeline of key events …").

Such a text has a lead paragraph, then for each event a line holding only a date or a
range ("Sept. 13, 2023", "May 16-17, 2024") followed by one or more lines of text, then
a credits line ("(Reporting by …)") and often page furniture copied from the web page
("Comments", "Share", "Advertisement").  The format has no markup, so the importer
relies on :func:`viewer.model.parse.is_date_line` deciding that a *whole* line is a
date: a sentence that merely mentions a date stays part of its event.

Event titles are not in the text: each is derived from the start of the event's text
(:func:`headline`), so an export writes descriptions and dates, and titles come back
by the same derivation.
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TextIO

from viewer.io.errors import FormatError
from viewer.model.dates import DateError, PartialDate, Precision, format_year
from viewer.model.event import Event, Timeline
from viewer.model.parse import DateSyntaxError, parse_date, parse_date_line

__all__ = ["headline", "looks_like_news", "read_news", "read_news_file", "write_news"]

#: Longest derived title, in characters, before it is cut at a word with an ellipsis.
TITLE_LIMIT = 72
#: Where a long first sentence may be cut into a headline without an ellipsis.
_CLAUSE_BREAKS = (", ", "; ", ": ", " – ", " — ", " and ", " but ", " after ", " while ")

_LINE_BREAK_RE = re.compile(r"\r\n|\r|\n")

# Web-page furniture that copy-pasted articles carry along; dropped wherever it is.
_FURNITURE_RE = re.compile(
    r"""^(?:
        comments?(?:\s*\(\d+\))?
      | \d+\s+comments?
      | share(?:\s+this(?:\s+article)?)?
      | advertisement(?:\s*[·•|-]?\s*scroll\s+to\s+continue)?
      | scroll\s+to\s+continue
      | our\s+standards:.*
      | purchase\s+licensing\s+rights.*
      | opens\s+new\s+tab
      | suggested\s+topics:?
    )$""",
    re.IGNORECASE | re.VERBOSE,
)
_CREDIT_WORDS = (
    r"(?:(?:additional\s+)?reporting|writing|written|editing|edited|compiled|"
    r"research|graphics?|photos?)\s+by\b"
)
#: "(Reporting by …; editing by …)": the credits end the timeline.
_CREDITS_RE = re.compile(rf"^\(\s*(?P<body>{_CREDIT_WORDS}.*?)\s*\)$", re.IGNORECASE)
#: The same without parentheses, trusted only as the text's last line (a body
#: sentence may start "Reporting by the BBC showed …").
_BARE_CREDITS_RE = re.compile(rf"^(?P<body>{_CREDIT_WORDS}.*)$", re.IGNORECASE)
#: "(Source: …)", which :func:`write_news` uses for a source that is not a credit.
_SOURCE_RE = re.compile(r"^\(\s*sources?\s*:\s*(?P<body>.*?)\s*\)$", re.IGNORECASE)

# "SEOUL (Reuters) – ", "WASHINGTON, June 17 (AP) — ": the dateline before a lead.
_DATELINE_RE = re.compile(r"^[^()]{0,60}?\([A-Za-z][A-Za-z .&'-]{0,30}\)\s*[-–—]+\s*")
_TIMELINE_OF_RE = re.compile(
    r"\b(?:below|here|following)\s+(?:is|are)\s+(?:a\s+)?(?:brief\s+|short\s+|quick\s+)?"
    r"(?:timeline|chronology|list)\s+of\s+(?P<subject>.+?)[.:!]?$"
    r"|\b(?:below|here)\s+are\s+(?P<key>(?:some\s+(?:of\s+the\s+)?)?(?:key|main|major|"
    r"important)\s+(?:events|dates|moments|facts)\b.+?)[.:!]?$",
    re.IGNORECASE,
)
# "… over the last two decades": true when written, stale as a title.
_SINCE_WHEN_RE = re.compile(r"\s+(?:over|during|in|from)\s+the\s+(?:last|past)\b.*$", re.IGNORECASE)

# Words whose final dot does not end a sentence ("Gen. Kim", "Sept. 13").
_ABBREVIATIONS = frozenset(
    {
        "mr", "mrs", "ms", "dr", "prof", "gen", "lt", "col", "maj", "capt", "sgt", "adm",
        "gov", "sen", "rep", "rev", "st", "jr", "sr", "no", "vs", "etc", "inc", "corp",
        "co", "ltd", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept",
        "oct", "nov", "dec", "approx", "est", "dept", "univ",
    }
)  # fmt: skip
_SENTENCE_END_RE = re.compile(r"[.!?][\"'”’)]*\s+(?=[\"'“‘(]?[A-Z0-9])")
_INITIALS_RE = re.compile(r"(?:[A-Za-z]\.)*[A-Za-z]")

# News style (AP/Reuters) month forms: short months are spelt out.
_NEWS_MONTHS = (
    "Jan.", "Feb.", "March", "April", "May", "June",
    "July", "Aug.", "Sept.", "Oct.", "Nov.", "Dec.",
)  # fmt: skip


# -- text helpers ---------------------------------------------------------------------


def sentences(text: str) -> list[str]:
    """The sentences of a paragraph, not fooled by "U.S.", "Gen." or "Sept."."""
    sentences: list[str] = []
    begin = 0
    for m in _SENTENCE_END_RE.finditer(text):
        end = m.start()
        if text[end] == ".":
            # The word before the dot, found backwards: splitting all of text[begin:end]
            # made a long paragraph full of "Mr." and "Gen." quadratic.
            stop = end
            while stop > begin and text[stop - 1].isspace():
                stop -= 1
            start = stop
            while start > begin and not text[start - 1].isspace():
                start -= 1
            word = text[start:stop].lstrip("\"'“‘(")
            if word.lower() in _ABBREVIATIONS or _INITIALS_RE.fullmatch(word):
                continue
        sentences.append(text[begin : m.end()].strip())
        begin = m.end()
    rest = text[begin:].strip()
    return [*sentences, rest] if rest else sentences


def _first_sentence(text: str) -> str:
    return next(iter(sentences(text)), "")


def headline(text: str, limit: int = TITLE_LIMIT) -> str:
    """A short title for an event from its text: the first sentence, trimmed.

    News timelines give no titles, so one is derived: the first sentence of the first
    paragraph without its final full stop; when that is longer than ``limit`` it ends
    at a clause boundary (", ", "; ", " and "…) past two fifths of the limit, or else is
    cut at a word and ends with "…".
    """
    paragraph = next((p for p in re.split(r"\n\s*\n", text) if p.strip()), "")
    sentence = " ".join(_first_sentence(" ".join(paragraph.split())).split())
    if sentence.endswith(".") and not sentence.endswith("..") and sentence != ".":
        last = sentence[:-1].split()[-1] if sentence[:-1].split() else ""
        if not (last.lower() in _ABBREVIATIONS or _INITIALS_RE.fullmatch(last)):
            sentence = sentence[:-1]
    if len(sentence) <= limit:
        return sentence
    room = sentence[: limit - 1]
    # A whole clause reads as a headline by itself; a cut mid-clause gets an ellipsis.
    clause = max(room.rfind(sep) for sep in _CLAUSE_BREAKS)
    if clause >= limit * 2 // 5:
        return room[:clause].rstrip(" ,;:–—-")
    if sentence[limit - 1] == " ":
        cut = room
    elif " " in room:
        cut = room[: room.rfind(" ")]
    else:
        cut = room
    return cut.rstrip(" ,;:–—-") + "…"


def _paragraphs(lines: list[str], joined: bool) -> list[str]:
    """Paragraphs from stripped lines ("" marks a blank line).

    When the text separates paragraphs with blank lines (``joined``), consecutive lines
    are one hard-wrapped paragraph; otherwise, as in copied web articles, every line is
    a paragraph of its own.
    """
    if not joined:
        return [line for line in lines if line]
    paragraphs: list[str] = []
    current: list[str] = []
    for line in [*lines, ""]:
        if line:
            current.append(line)
        elif current:
            paragraphs.append(" ".join(current))
            current = []
    return paragraphs


def _timeline_title(lead: list[str]) -> str:
    """The lead's "Below is a timeline of …" subject, else its first sentence."""
    for paragraph in lead:
        for sentence in sentences(_DATELINE_RE.sub("", paragraph)):
            m = _TIMELINE_OF_RE.search(sentence)
            subject = m and (m.group("subject") or m.group("key"))
            subject = _SINCE_WHEN_RE.sub("", subject or "").strip()
            if subject:
                return headline(subject[0].upper() + subject[1:])
    if not lead:
        return ""
    return headline(_DATELINE_RE.sub("", lead[0]))


# -- reading --------------------------------------------------------------------------


@dataclass
class _Block:
    """A date line and the text lines after it, while reading."""

    line_number: int
    date_text: str
    start: PartialDate
    end: PartialDate | None
    lines: list[str] = field(default_factory=list)
    #: Why the date line names an impossible date or range, if it does.
    error: str | None = None


@dataclass
class _Scan:
    """A text split into lead, dated blocks and credits (no errors raised for sniffing)."""

    lead: list[str] = field(default_factory=list)
    blocks: list[_Block] = field(default_factory=list)
    credits: list[str] = field(default_factory=list)
    joined: bool = False


def _split_lines(text: str) -> list[str]:
    if text.startswith("\ufeff"):
        text = text[1:]
    return _LINE_BREAK_RE.split(text)


def _scan(text: str) -> _Scan:
    lines = [line.strip() for line in _split_lines(text)]
    content = [i for i, line in enumerate(lines) if line and not _FURNITURE_RE.match(line)]
    last_content = content[-1] if content else -1
    scan = _Scan()
    # A blank line between two content lines means blank lines separate paragraphs.
    scan.joined = any(not lines[i] for i in range(content[0], last_content)) if content else False
    for index, line in enumerate(lines):
        if line and _FURNITURE_RE.match(line):
            continue
        credit = _CREDITS_RE.match(line) or _SOURCE_RE.match(line)
        if not credit and index == last_content and scan.blocks:
            credit = _BARE_CREDITS_RE.match(line)
        if credit:
            scan.credits.append(credit.group("body"))
            if scan.blocks:
                # The credits close the article; what follows is related links and
                # page furniture, not events.
                break
            continue
        block: _Block | None = None
        if line:
            try:
                start, end = parse_date_line(line)
            except DateSyntaxError:
                pass
            except DateError as e:
                # Date-shaped but impossible: still where an event starts (so sniffing
                # sees a news text), and an error when importing.
                block = _Block(index + 1, line, PartialDate(1), None, error=str(e))
            else:
                block = _Block(index + 1, line, start, end)
        if block is not None:
            scan.blocks.append(block)
        elif scan.blocks:
            scan.blocks[-1].lines.append(line)
        else:
            scan.lead.append(line)
    return scan


def read_news(text: str, source: str | None = None) -> Timeline:
    """Import a news-style text timeline.

    ``source`` names the file in error messages (the timeline's own ``source`` comes
    from the credits line).  The first lead sentence, or the subject of "Below is a
    timeline of …", becomes the title and the whole lead the description; each date line
    starts an event whose ``display_date`` keeps the line as written.  Raises
    :class:`FormatError` naming the line for an impossible date or a backwards range, a
    date line with no text after it, or a text with no date lines at all.
    """
    scan = _scan(text)
    if not scan.blocks:
        raise FormatError(
            "no date lines found: expected a line holding only a date, such as "
            "'March 3, 1999' or 'May 16-17, 2024', before each event's text",
            source=source,
        )
    events: list[Event] = []
    for block in scan.blocks:
        if block.error is not None:
            raise FormatError(block.error, source=source, where=f"line {block.line_number}")
        paragraphs = _paragraphs(block.lines, scan.joined)
        if not paragraphs:
            raise FormatError(
                f"the date line {block.date_text!r} has no event text after it",
                source=source,
                where=f"line {block.line_number}",
            )
        description = "\n\n".join(paragraphs)
        events.append(
            Event(
                title=headline(description),
                start=block.start,
                end=block.end,
                description=description,
                display_date=block.date_text,
            )
        )
    lead = _paragraphs(scan.lead, scan.joined)
    return Timeline(
        title=_timeline_title(lead),
        description="\n\n".join(lead),
        source="; ".join(scan.credits),
        events=events,
    )


def read_news_file(path: str | os.PathLike[str]) -> Timeline:
    """Import a news-style text file (UTF-8, with or without BOM; any line ends).

    Raises :class:`FormatError` naming the file when it is not UTF-8 text; ``OSError``
    when it cannot be read.
    """
    name = os.fspath(path)
    with open(path, "rb") as f:
        data = f.read()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise FormatError(
            f"not UTF-8 text (byte 0x{data[e.start]:02x} at offset {e.start}); "
            "save the file as UTF-8 and import it again",
            source=name,
        ) from None
    return read_news(text, source=name)


def looks_like_news(text: str) -> bool:
    """True when the text has a date line followed by event text (format sniffing)."""
    return any(any(block.lines) for block in _scan(text).blocks)


# -- writing --------------------------------------------------------------------------


def _news_year(year: int) -> str:
    """A year as :func:`format_year` writes it, or in full where that is rounded."""
    text = format_year(year)
    try:
        if parse_date(text) == PartialDate(year):
            return text
    except DateError:
        pass
    return f"{1 - year:,} BC"  # "13,800,000,001 BC" where "13.8 billion years ago" rounds


def _news_time(date: PartialDate) -> str:
    """ "9 p.m." (hour precision), "9:05 p.m.", "9:05:30 p.m.", or "" without a time."""
    if date.hour is None:
        return ""
    hour = date.hour % 12 or 12
    suffix = "a.m." if date.hour < 12 else "p.m."
    if date.minute is None:
        return f"{hour} {suffix}"
    if date.second is None:
        return f"{hour}:{date.minute:02d} {suffix}"
    return f"{hour}:{date.minute:02d}:{date.second:02d} {suffix}"


def _news_date(date: PartialDate) -> str:
    """One date in news style: "2000", "July, 2000", "Sept. 13, 2023 9:05 p.m.", with
    its qualifier in the words people read ("c. 1450", "1455?", "before 1200")."""
    return date.qualifier.written(_news_nominal(date))


def _news_nominal(date: PartialDate) -> str:
    year = _news_year(date.year)
    if date.month is None:
        return year
    month = _NEWS_MONTHS[date.month - 1]
    if date.day is None:
        return f"{month}, {year}"
    text = f"{month} {date.day}, {year}"
    time = _news_time(date)
    return f"{text} {time}" if time else text


def _news_range(start: PartialDate, end: PartialDate | None) -> str:
    """A date or range in news style, sharing fields as "May 16-17, 2024" does."""
    if end is None:
        return _news_date(start)
    if start.qualifier or end.qualifier:  # each end in full: "c. 1450 – 1500"
        return f"{_news_date(start)} – {_news_date(end)}"
    if start.precision == end.precision and start.year == end.year:
        year = _news_year(start.year)
        if start.precision is Precision.DAY:
            assert start.month is not None and end.month is not None
            if start.month == end.month:
                return f"{_NEWS_MONTHS[start.month - 1]} {start.day}-{end.day}, {year}"
            return (
                f"{_NEWS_MONTHS[start.month - 1]} {start.day} – "
                f"{_NEWS_MONTHS[end.month - 1]} {end.day}, {year}"
            )
        if start.precision is Precision.MONTH:
            assert start.month is not None and end.month is not None
            return f"{_NEWS_MONTHS[start.month - 1]}–{_NEWS_MONTHS[end.month - 1]} {year}"
        if start.precision > Precision.DAY and start.with_precision(
            Precision.DAY
        ) == end.with_precision(Precision.DAY):
            return f"{_news_date(start)}–{_news_time(end)}"
    if start.precision is end.precision is Precision.YEAR and start.year >= 1000:
        return f"{start.year}–{end.year}"
    return f"{_news_date(start)} – {_news_date(end)}"


def _date_line(event: Event) -> str:
    """The event's ``display_date`` when it still says the event's dates, else a new one.

    An edited event may keep a stale ``display_date``; writing it would change the
    dates on the next import.
    """
    shown = " ".join(event.display_date.split())
    if shown:
        try:
            start, end = parse_date_line(shown)
        except DateError:
            pass
        else:
            if (start, end) == (event.start, event.end):
                return shown
    return _news_range(event.start, event.end)


def _text_paragraphs(text: str) -> list[str]:
    """Paragraphs as single lines (the format has one paragraph per line)."""
    return [" ".join(p.split()) for p in re.split(r"\n\s*\n", text) if p.strip()]


def _reads_as_structure(line: str, last: bool) -> bool:
    """Whether a text line would be read back as a date line, credits or furniture."""
    if _FURNITURE_RE.match(line) or _CREDITS_RE.match(line) or _SOURCE_RE.match(line):
        return True
    if last and _BARE_CREDITS_RE.match(line):
        return True
    try:
        parse_date_line(line)
    except DateSyntaxError:
        return False
    except DateError:
        return True
    return True


def write_news(timeline: Timeline) -> str:
    """Export in the same news style, so that :func:`read_news` gives back the dates,
    descriptions, lead and source.

    Titles are not written when they are what :func:`headline` derives from the
    description; any other title is written as the first paragraph, so it is not lost.
    Line breaks inside a paragraph become spaces.  Events keep the timeline's order.
    The format has no escaping, so a paragraph that would read back as a date line,
    credits or page furniture (an event described only as "1971", say) is written in
    quotation marks: the file stays readable at the cost of the marks.
    """
    out = io.StringIO()
    write_news_to(timeline, timeline.events, out)
    return out.getvalue()


def _news_lines(header: Timeline, events: Iterable[Event]) -> Iterator[tuple[str, bool]]:
    """``(line, is text that must not read as structure)``, in the file's order."""
    lead = _text_paragraphs(header.description)
    if header.title and _timeline_title(lead) != header.title:
        yield " ".join(header.title.split()), True
    for paragraph in lead:
        yield paragraph, True
    for event in events:
        paragraphs = _text_paragraphs(event.description)
        title = " ".join(event.title.split())
        if title and (not paragraphs or headline("\n\n".join(paragraphs)) != title):
            paragraphs.insert(0, title)
        yield _date_line(event), False
        for paragraph in paragraphs or ["Untitled event"]:
            yield paragraph, True
    source = " ".join(header.source.split())
    if source.startswith("(") and source.endswith(")"):
        source = source[1:-1].strip()
    if source:
        credit = f"({source})"
        yield (credit if _CREDITS_RE.match(credit) else f"(Source: {source})", False)


def write_news_to(header: Timeline, events: Iterable[Event], out: TextIO) -> None:
    """Write :func:`write_news`'s text event by event (a line of lookahead: the last
    line reads differently)."""
    lines = _news_lines(header, events)
    current = next(lines, None)
    while current is not None:
        following = next(lines, None)
        line, is_text = current
        if is_text and _reads_as_structure(line, last=following is None):
            line = f"“{line}”"
        out.write(line + "\n")
        current = following
