"""The streaming exporters write what the whole-document writers wrote, byte for byte.

Exports stream event by event (``write_*_to``, and :func:`viewer.io.formats.export_to`
around them, reading a store's events one at a time).  Before they did, each format
had a writer that built the whole document in memory: TimelineJS one dict given to
``json.dumps(doc, indent=2, ensure_ascii=False, default=str)``, the sheet CSV a list
of rows given to one ``csv.writer``, the news text a list of lines joined at the end.
Those writers are kept here, as they were, as the reference: the streamed text must
equal theirs for any timeline (BCE and deep-time years, partial dates, ranges, text in
any script, extras of any shape, no events at all), must read back as the same events,
and must come out while the events are still being read, not after.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, TextIO

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from viewer.io import news, sheet_csv, timelinejs
from viewer.io.formats import export_to, open_import, read_file
from viewer.io.media import with_media_image
from viewer.io.news import headline, read_news, write_news, write_news_to
from viewer.io.sheet_csv import COLUMNS, read_sheet_csv, write_sheet_csv, write_sheet_csv_to
from viewer.io.timelinejs import (
    categories_for,
    fallback_title,
    read_timelinejs,
    write_timelinejs,
    write_timelinejs_to,
)
from viewer.model.dates import (
    CALENDAR_YEAR_LIMIT,
    DEEP_TIME_LIMIT,
    PartialDate,
    Precision,
    days_in_month,
)
from viewer.model.event import Era, Event, Timeline
from viewer.store import EventStore

DATA = Path(__file__).resolve().parents[1] / "data"
SHARED = Path(__file__).resolve().parents[2].parent / "shared"

StreamWriter = Callable[[Timeline, Iterable[Event], TextIO], None]


# -- the whole-document writers, as they were before exports streamed -------------------


def whole_timelinejs(timeline: Timeline) -> str:
    doc: dict[str, Any] = {}
    title = timelinejs._write_title(timeline)
    if title:
        doc["title"] = title
    doc["events"] = [timelinejs._write_event(event) for event in timeline.events]
    if timeline.eras:
        doc["eras"] = [timelinejs._write_era(era) for era in timeline.eras]
    if "scale" in timeline.extra:
        doc["scale"] = timeline.extra["scale"]
    others = timeline.extra.get("top_level")
    if isinstance(others, dict):
        for key, value in others.items():
            doc.setdefault(key, value)
    return json.dumps(doc, indent=2, ensure_ascii=False, default=str) + "\n"


def whole_sheet_csv(timeline: Timeline) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    rows: list[dict[str, str]] = []
    title = sheet_csv._title_row(timeline)
    if title is not None:
        rows.append(title)
    rows.extend(sheet_csv._event_row(event) for event in timeline.events)
    rows.extend(sheet_csv._era_row(era) for era in timeline.eras)
    for row in rows:
        # (since: text a spreadsheet would take for a formula is defused)
        writer.writerow(
            [sheet_csv._defused(row.get(c, ""), c not in sheet_csv._TEXT_COLUMNS) for c in COLUMNS]
        )
    return buffer.getvalue()


def whole_news(timeline: Timeline) -> str:
    lines: list[tuple[str, bool]] = []
    lead = news._text_paragraphs(timeline.description)
    if timeline.title and news._timeline_title(lead) != timeline.title:
        lines.append((" ".join(timeline.title.split()), True))
    lines.extend((paragraph, True) for paragraph in lead)
    for event in timeline.events:
        paragraphs = news._text_paragraphs(event.description)
        title = " ".join(event.title.split())
        if title and (not paragraphs or headline("\n\n".join(paragraphs)) != title):
            paragraphs.insert(0, title)
        lines.append((news._date_line(event), False))
        lines.extend((paragraph, True) for paragraph in paragraphs or ["Untitled event"])
    source = " ".join(timeline.source.split())
    if source.startswith("(") and source.endswith(")"):
        source = source[1:-1].strip()
    if source:
        credit = f"({source})"
        lines.append((credit if news._CREDITS_RE.match(credit) else f"(Source: {source})", False))
    out = [
        f"“{line}”"
        if is_text and news._reads_as_structure(line, last=i == len(lines) - 1)
        else line
        for i, (line, is_text) in enumerate(lines)
    ]
    return "\n".join(out) + "\n"


#: format name → (the streaming writer, the whole-document writer of today, the reference)
WRITERS: dict[str, tuple[StreamWriter, Callable[[Timeline], str], Callable[[Timeline], str]]] = {
    "timelinejs": (write_timelinejs_to, write_timelinejs, whole_timelinejs),
    "csv": (write_sheet_csv_to, write_sheet_csv, whole_sheet_csv),
    "news": (write_news_to, write_news, whole_news),
}


# -- streaming helpers ------------------------------------------------------------------


def header_of(timeline: Timeline, *, decoy: bool = False) -> Timeline:
    """The document without its events (``decoy``: with an event the writer must not
    read: the events come apart)."""
    stray = [Event("Not to be written", PartialDate(1111))] if decoy else []
    return Timeline(
        title=timeline.title,
        description=timeline.description,
        source=timeline.source,
        events=stray,
        categories=list(timeline.categories),
        eras=list(timeline.eras),
        extra=timeline.extra,
    )


class Pulled:
    """A one-pass iterator over events that counts how many were taken."""

    def __init__(self, events: Iterable[Event]) -> None:
        self._events = iter(events)
        self.taken = 0

    def __iter__(self) -> Iterator[Event]:
        for event in self._events:
            self.taken += 1
            yield event


class Watched(io.StringIO):
    """Text written, and how many events had been taken at each write."""

    def __init__(self, pulled: Pulled) -> None:
        super().__init__()
        self.pulled = pulled
        self.taken_at: list[tuple[int, int]] = []  # (characters so far, events taken)

    def write(self, s: str) -> int:
        n = super().write(s)
        self.taken_at.append((self.tell(), self.pulled.taken))
        return n


def streamed(fmt: str, timeline: Timeline) -> str:
    writer = WRITERS[fmt][0]
    out = io.StringIO()
    writer(header_of(timeline, decoy=True), Pulled(timeline.events), out)
    return out.getvalue()


def exported(fmt: str, timeline: Timeline) -> str:
    """Through :func:`export_to`, as the command line and the window export."""
    out = io.BytesIO()
    export_to(header_of(timeline), iter(timeline.events), fmt, out)
    return out.getvalue().decode("utf-8")


def has_no_lines(timeline: Timeline) -> bool:
    """A news document with nothing to write (no events, and a title, lead and source
    that are blank or say nothing)."""
    return not any(news._news_lines(timeline, timeline.events))


def assert_streams_as_whole(fmt: str, timeline: Timeline) -> None:
    _stream, today, reference = WRITERS[fmt]
    want = reference(timeline)
    if fmt == "news" and has_no_lines(timeline):
        # The one difference: with no line to write, the whole-document writer wrote a
        # lone line break ("\n".join([]) + "\n"), the streaming one writes nothing.
        # Neither reads back as a news timeline (it has no date line).
        assert want == "\n"
        want = ""
    assert streamed(fmt, timeline) == want
    assert today(timeline) == want
    assert exported(fmt, timeline) == want


# -- timelines of every kind ------------------------------------------------------------

TEXT_CHARS = st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")
plain_text = st.text(TEXT_CHARS, max_size=24)
odd_text = st.sampled_from(
    [
        "",
        " ",
        'He said "hi", then left',
        "a,b;c\nd",
        "x\r\ny",
        "Ωμέγα — “quotes” 😀",
        "\u2028line\u2029sep",
        "1971",
        "Comments",
        "(Reporting by nobody)",
        "July, 2000",
        "<p>tag &amp; entity</p>",
    ]
)
texts = plain_text | odd_text
titles = texts.filter(str.strip)
json_leaf = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),  # not JSON: the reader refuses them
    st.text(max_size=6),
)
json_values = st.recursive(
    json_leaf,
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3)
    ),
    max_leaves=8,
)


@st.composite
def partial_dates(draw: st.DrawFn) -> PartialDate:
    precision = draw(st.sampled_from(list(Precision)))
    if precision is Precision.YEAR:
        return PartialDate(
            draw(
                st.integers(-3000, 3000)
                | st.sampled_from([0, -1, -43, -44, 1, -753])
                | st.integers(-DEEP_TIME_LIMIT, DEEP_TIME_LIMIT)
            )
        )
    year = draw(st.integers(-1000, 2100) | st.integers(-CALENDAR_YEAR_LIMIT, CALENDAR_YEAR_LIMIT))
    month = draw(st.integers(1, 12))
    parts = [year, month]
    if precision >= Precision.DAY:
        parts.append(draw(st.integers(1, days_in_month(year, month))))
    for p, top in ((Precision.HOUR, 23), (Precision.MINUTE, 59), (Precision.SECOND, 59)):
        if precision >= p:
            parts.append(draw(st.integers(0, top)))
    return PartialDate(*parts)


@st.composite
def date_ranges(draw: st.DrawFn) -> tuple[PartialDate, PartialDate | None]:
    start = draw(partial_dates())
    if not draw(st.booleans()):
        return start, None
    first, second = sorted((start, draw(partial_dates())), key=lambda d: d.begin())
    if second.finish() < first.finish():
        return first, None
    return first, second


event_extras = st.fixed_dictionaries(
    {},
    optional={
        "media": st.fixed_dictionaries(
            {"url": st.sampled_from(["https://example.org/a.jpg", "<blockquote>q</blockquote>"])},
            optional={"caption": texts, "credit": texts, "thumbnail": texts},
        ),
        "background": st.sampled_from([{"color": "#123456"}, {"url": "https://e.org/b.png"}]),
        "unique_id": st.text("abcdef-0123", min_size=1, max_size=8),
        "start_date": st.just({"millisecond": "5"}),
        "end_date": st.just({"display_date": "later"}),
        "type": st.sampled_from(["", "x", "title", "Era"]),
        "autolink": st.booleans(),
        "odd": json_values,
    },
)


@st.composite
def events(draw: st.DrawFn) -> Event:
    start, end = draw(date_ranges())
    description = draw(texts | st.lists(plain_text, max_size=3).map("\n\n".join))
    extra = dict(draw(event_extras))
    if draw(st.integers(0, 5)) == 0:
        title = fallback_title(description)
        extra["text"] = {"headline": draw(st.sampled_from(["", None, "  "]))}
    else:
        title = draw(titles)
    category = draw(st.none() | st.sampled_from(["Politics", 'Ünï, "quoted"', " pad ", "a\nb"]))
    if category is None and draw(st.booleans()):
        extra["group"] = draw(st.sampled_from(["", "  "]))
    return Event(
        title=title,
        start=start,
        end=end,
        description=description,
        category=category,
        tags=tuple(draw(st.lists(st.sampled_from(["t1", "t2"]), max_size=2, unique=True))),
        display_date=draw(st.just("") | texts),
        extra=extra,
    )


@st.composite
def eras(draw: st.DrawFn) -> Era:
    start, end = draw(date_ranges())
    extra: dict[str, Any] = {}
    if draw(st.booleans()):
        extra["text"] = {"text": draw(texts)}
    if draw(st.booleans()):
        extra["background"] = {"color": "white"}
    return Era(draw(texts), start, end or start, extra)


title_extras = st.fixed_dictionaries(
    {},
    optional={
        "scale": st.sampled_from(["human", "cosmological"]) | json_leaf,
        "media": st.fixed_dictionaries({"url": st.just("https://e.org/t.png")}),
        "background": st.sampled_from([{"color": "#abcdef"}, {"url": "https://e.org/b.png"}]),
        "unique_id": st.text("xyz", max_size=4),
        "display_date": texts,
        "group": texts,
        "start_date": st.fixed_dictionaries({"year": st.sampled_from(["-44", 1999, ""])}),
        "text": st.fixed_dictionaries({}, optional={"x": json_values}),
        "top_level": st.dictionaries(
            st.sampled_from(["title", "events", "eras", "scale", "other", "more"]),
            json_values,
            max_size=3,
        ),
    },
)


#: Keys a reader can put in ``extra["top_level"]`` (the others are a document's own).
READ_TOP_LEVEL = ["other", "more"]


@st.composite
def timelines(draw: st.DrawFn, top_level: Sequence[str] | None = None) -> Timeline:
    """Any timeline; ``top_level`` limits the keys of ``extra["top_level"]`` (by default
    they may clash with the document's own: the writer must keep its own)."""
    evs = draw(st.lists(events(), max_size=5))
    extra = dict(draw(title_extras))
    if top_level is not None and "top_level" in extra:
        extra["top_level"] = {k: v for k, v in extra["top_level"].items() if k in top_level}
    return Timeline(
        title=draw(texts),
        description=draw(texts),
        source=draw(st.just("") | texts | st.just("(Reporting by A. Writer)")),
        events=evs,
        categories=categories_for(evs),
        eras=draw(st.lists(eras(), max_size=2)),
        extra=extra,
    )


EMPTY = [
    pytest.param(Timeline(), id="nothing"),
    pytest.param(Timeline(title="Only a title"), id="title"),
    pytest.param(Timeline(source="Reporting by X"), id="source"),
    pytest.param(
        Timeline(eras=[Era("An era", PartialDate(-500), PartialDate(-27))]), id="eras-only"
    ),
    pytest.param(Timeline(extra={"scale": "human", "top_level": {"other": [1, {}]}}), id="extra"),
]
FORMATS = list(WRITERS)


# -- streamed = whole -------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(timeline=timelines())
def test_streamed_output_is_the_whole_documents(fmt: str, timeline: Timeline) -> None:
    assert_streams_as_whole(fmt, timeline)


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("timeline", EMPTY)
def test_documents_without_events_stream_as_whole(fmt: str, timeline: Timeline) -> None:
    assert_streams_as_whole(fmt, timeline)


def data_timelines() -> list[Any]:
    files = [
        DATA / "timelinejs" / "ancient.json",
        DATA / "timelinejs" / "sheet.csv",
        DATA / "news" / "bom_crlf.txt",
        DATA / "news" / "extra_forms.txt",
        DATA / "thetimeline" / "tiny.timeline",
        SHARED / "seed" / "russia-north-korea-timeline.txt",
        *sorted((SHARED / "fixtures" / "timelinejs").glob("*")),
        *sorted((SHARED / "fixtures" / "thetimelineproj").glob("*.timeline")),
    ]
    return [pytest.param(path, id=path.name) for path in files if path.is_file()]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("path", data_timelines())
def test_the_data_files_stream_as_whole(fmt: str, path: Path) -> None:
    assert_streams_as_whole(fmt, read_file(path))


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_store_exports_as_its_whole_document(fmt: str) -> None:
    """What the command line does: the header and the events read from the store."""
    timeline = read_file(DATA / "timelinejs" / "ancient.json")
    with EventStore.open(":memory:") as store:
        store.import_timeline(timeline)
        store.add_event(Event("Tagged", PartialDate(-1), tags=("a", "b"), source_url="x"))
        whole = store.export_timeline()
        out = io.BytesIO()
        export_to(store.timeline_header(), store.iter_events(), fmt, out)
    assert out.getvalue().decode("utf-8") == WRITERS[fmt][2](whole)


@pytest.mark.parametrize("fmt", FORMATS)
def test_output_comes_while_the_events_are_read(fmt: str) -> None:
    """Streaming: each event is written before many more are taken (the news writer
    looks one line ahead), so memory does not grow with the document."""
    timeline = Timeline(
        title="Streaming",
        events=[
            Event(f"Event {k}", PartialDate(1900 + k, 1 + k % 12), description=f"Text {k}.")
            for k in range(50)
        ],
    )
    pulled = Pulled(timeline.events)
    out = Watched(pulled)
    WRITERS[fmt][0](header_of(timeline), pulled, out)
    assert pulled.taken == 50
    assert out.getvalue() == WRITERS[fmt][2](timeline)
    text = out.getvalue()
    for k in range(50):
        mark = f"Event {k}" if fmt != "news" else f"Text {k}."
        end = text.index(mark) + len(mark)
        # the first write that holds this event's text was made with at most 2 more taken
        taken = next(n for chars, n in out.taken_at if chars >= end)
        assert taken <= k + 2, (k, taken)


# -- export then import -----------------------------------------------------------------


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(timelines(top_level=READ_TOP_LEVEL))
def test_timelinejs_export_reads_back_as_the_same_events(timeline: Timeline) -> None:
    back = read_timelinejs(streamed("timelinejs", timeline))
    # no tags in TimelineJS; a media kept in extra is read back as the event's image
    assert back.events == [with_media_image(e.evolve(tags=()), None) for e in timeline.events]
    assert back.categories == timeline.categories
    assert [(e.title, e.start, e.end) for e in back.eras] == [
        (e.title, e.start, e.end) for e in timeline.eras
    ]
    assert (back.title, back.description) == (timeline.title, timeline.description)


SHEET_GROUPS = st.sampled_from(["Politics", "Science & Tech", 'Ünï, "quoted"', "a\nb", " pad "])


@st.composite
def sheet_events(draw: st.DrawFn) -> Event:
    """Events as a sheet keeps them: the extras it has columns for."""
    start, end = draw(date_ranges())
    description = draw(texts)
    extra: dict[str, Any] = {}
    if draw(st.booleans()):
        extra["media"] = {
            "url": draw(
                st.sampled_from(["https://example.org/a.jpg", "<blockquote>q</blockquote>"])
            ),
            "credit": draw(texts),
            "caption": draw(texts),
            "thumbnail": draw(st.sampled_from(["", "https://example.org/t.jpg"])),
        }
    if draw(st.booleans()):
        extra["background"] = draw(
            st.sampled_from([{"color": "#123456"}, {"color": "white"}, {"url": "https://e.org/b"}])
        )
    if start.second is not None and draw(st.booleans()):
        extra["start_date"] = {"millisecond": draw(st.sampled_from(["0", "5", "250"]))}
    if draw(st.integers(0, 5)) == 0:
        title = fallback_title(description)
        extra["text"] = {"headline": draw(st.sampled_from(["", " ", "\t"]))}
    else:
        title = draw(titles)
    category = draw(st.none() | SHEET_GROUPS)
    if category is None and draw(st.booleans()):
        extra["group"] = "  "
    return Event(
        title=title,
        start=start,
        end=end,
        description=description,
        category=category,
        display_date=draw(st.just("") | texts),
        extra=extra,
    )


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(sheet_events(), max_size=5), texts, texts)
def test_sheet_csv_export_reads_back_as_the_same_events(
    evs: list[Event], title: str, description: str
) -> None:
    timeline = Timeline(
        title=title, description=description, events=evs, categories=categories_for(evs)
    )
    back = read_sheet_csv(streamed("csv", timeline))
    assert back.events == evs
    assert (back.title, back.description) == (title, description)


WORDS = ["Talks", "resume", "in", "the", "capital", "leaders", "meet", "and", "sign", "a", "deal"]
news_paragraphs = st.lists(st.sampled_from(WORDS), min_size=1, max_size=10).map(
    lambda words: " ".join(words) + "."
)
news_descriptions = st.lists(news_paragraphs, min_size=1, max_size=3).map("\n\n".join)


@settings(max_examples=60, deadline=None)
@given(st.lists(date_ranges(), min_size=1, max_size=5), st.data())
def test_news_export_reads_back_as_the_same_events(
    dates: list[tuple[PartialDate, PartialDate | None]], data: st.DataObject
) -> None:
    evs = []
    for start, end in dates:
        description = data.draw(news_descriptions)
        evs.append(Event(headline(description), start, end, description))
    timeline = Timeline(title="Lead", description="Lead.", source="Reporting by X", events=evs)
    back = read_news(streamed("news", timeline))
    assert [(e.start, e.end, e.title, e.description) for e in back.events] == [
        (e.start, e.end, e.title, e.description) for e in evs
    ]
    assert (back.title, back.description, back.source) == ("Lead", "Lead.", "Reporting by X")


EXTENSIONS = {"timelinejs": ".json", "csv": ".csv", "news": ".txt"}


def store_events(store: EventStore) -> list[Event]:
    return [e.evolve(id=None) for e in store.iter_events()]


@pytest.mark.parametrize(
    ("source", "fmt"),
    [
        ("timelinejs/ancient.json", "timelinejs"),
        ("timelinejs/ancient.json", "csv"),
        ("timelinejs/sheet.csv", "csv"),
        ("timelinejs/sheet.csv", "timelinejs"),
        ("thetimeline/tiny.timeline", "timelinejs"),
        ("news/extra_forms.txt", "news"),
        ("news/bom_crlf.txt", "news"),
    ],
)
def test_a_store_exported_and_imported_again_keeps_its_events(
    tmp_path: Path, source: str, fmt: str
) -> None:
    """The command line's round trip: file → store → export_to → file → store."""
    first = tmp_path / "first.db"
    with EventStore.open(first) as store:
        src = open_import(DATA / source)
        store.import_batches(src.header, src.batches, total=src.total)
        out_path = tmp_path / ("export" + EXTENSIONS[fmt])
        with out_path.open("wb") as f:
            export_to(store.timeline_header(), store.iter_events(), fmt, f)
        before = store_events(store)
        title = store.title
    with EventStore.open(tmp_path / "second.db") as again:
        src = open_import(out_path)
        again.import_batches(src.header, src.batches, total=src.total)
        after = store_events(again)
        assert again.title == title

    def core(e: Event) -> tuple[Any, ...]:
        return (e.start, e.end, e.category)

    assert [core(e) for e in after] == [core(e) for e in before]
    if fmt == "csv" and source.endswith(".json"):  # no columns for some JSON extras
        assert [(e.title, e.description, e.display_date) for e in after] == [
            (e.title, e.description, e.display_date) for e in before
        ]
    else:
        if fmt == "timelinejs":  # a sheet's media column is the JSON's image
            before = [with_media_image(e, None) for e in before]
        assert after == [e.evolve(tags=(), source_url="") for e in before]
