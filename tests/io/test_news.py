"""News-style text timelines: the Reuters seed, odd encodings, extra forms, bad input."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from viewer.io.errors import FormatError
from viewer.io.news import headline, looks_like_news, read_news, read_news_file, write_news
from viewer.model.dates import CALENDAR_YEAR_LIMIT, DEEP_TIME_LIMIT, PartialDate, days_in_month
from viewer.model.event import Event, Timeline

DATA = Path(__file__).resolve().parents[1] / "data" / "news"

SEED_DATES = [
    ("2000-07", None),
    ("2006-10-14", "2017-12-22"),
    ("2019-04-25", None),
    ("2020-02", None),
    ("2022-02-24", None),
    ("2022-05-26", None),
    ("2023-07-25", None),
    ("2023-09-13", None),
    ("2023-10-13", None),
    ("2023-11-21", None),
    ("2024-01-04", None),
    ("2024-03-28", None),
    ("2024-05-16", "2024-05-17"),
    ("2024-06-18", "2024-06-19"),
]


def iso_pairs(timeline: Timeline) -> list[tuple[str, str | None]]:
    return [(e.start.iso(), e.end.iso() if e.end else None) for e in timeline.events]


# -- the seed ---------------------------------------------------------------------------


def test_seed_imports_fourteen_events(seed_path):
    timeline = read_news_file(seed_path)
    assert iso_pairs(timeline) == SEED_DATES
    assert timeline.source == "Reporting by Joyce Lee; editing by Miral Fahmy and Andrew Heavens"
    assert timeline.title == "Key events in relations between Russia and North Korea"
    assert timeline.description.startswith("SEOUL (Reuters) – Russian President Vladimir Putin")
    assert timeline.description.endswith("over the last two decades.")
    assert all("Comments" not in e.description for e in timeline.events)


def test_seed_events_keep_text_and_date_as_written(seed_path):
    events = read_news_file(seed_path).events
    assert [e.display_date for e in events[:2]] == ["July, 2000", "Oct. 14, 2006 – Dec. 22, 2017"]
    assert events[-2].display_date == "May 16-17, 2024"
    invasion = events[4]
    assert invasion.title == "Russia invades Ukraine"
    assert invasion.description == (
        "Russia invades Ukraine. North Korea backs Moscow, blaming the “hegemonic policy” "
        "and “high-handedness” of the United States and the West."
    )
    assert events[-1].description == "The dates for Putin’s second visit to North Korea."
    for event in events:
        assert 0 < len(event.title) <= 80
        assert event.description.startswith(event.title.removesuffix("…"))


def test_seed_sniffs_and_round_trips(seed_path):
    text = seed_path.read_text(encoding="utf-8")
    assert looks_like_news(text)
    timeline = read_news(text)
    again = read_news(write_news(timeline))
    assert again == timeline


# -- encodings and line ends ------------------------------------------------------------


def test_bom_crlf_and_blank_line_paragraphs():
    timeline = read_news_file(DATA / "bom_crlf.txt")
    assert timeline.title == "Summits between the two leaders since 2019"
    assert timeline.description.startswith("MOSCOW (Reuters)")  # no BOM
    assert iso_pairs(timeline) == [
        ("2019-04-25", None),
        ("2023-09-13", None),
        ("2024-06-18", "2024-06-19"),
    ]
    cosmodrome = timeline.events[1]
    assert cosmodrome.description == (
        "The leaders meet at the Vostochny cosmodrome.\n\nThey tour the launch site."
    )
    assert cosmodrome.title == "The leaders meet at the Vostochny cosmodrome"
    assert timeline.source == "Reporting by A. Writer; Editing by B. Editor"
    assert all("\r" not in e.description and "Scroll" not in e.description for e in timeline.events)


@pytest.mark.parametrize("newline", ["\r\n", "\r", "\n"])
@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"])
def test_any_line_end_with_or_without_bom(tmp_path, newline, bom):
    lines = ["Lead.", "July, 2000", "First.", "Second line.", "1971", "Later."]
    path = tmp_path / "timeline.txt"
    path.write_bytes(bom + newline.join(lines).encode("utf-8"))
    timeline = read_news_file(path)
    assert timeline.title == "Lead"
    assert iso_pairs(timeline) == [("2000-07", None), ("1971", None)]
    assert timeline.events[0].description == "First.\n\nSecond line."


def test_line_numbers_count_crlf_once(tmp_path):
    path = tmp_path / "bad.txt"
    path.write_bytes(b"Lead.\r\nJuly, 2000\r\nText.\r\n\r\nFeb. 30, 2023\r\nText.\r\n")
    with pytest.raises(FormatError, match="line 5"):
        read_news_file(path)


def test_not_utf8_names_the_file():
    path = DATA / "latin1.txt"
    with pytest.raises(FormatError) as info:
        read_news_file(path)
    assert info.value.source == str(path)
    assert "latin1.txt" in str(info.value)
    assert "UTF-8" in str(info.value)


# -- forms and structure ----------------------------------------------------------------


def test_extra_date_forms():
    timeline = read_news_file(DATA / "extra_forms.txt")
    assert timeline.title == "The first Moon landings and what followed them"
    assert iso_pairs(timeline) == [
        ("1969-07-16", "1969-07-24"),
        ("1969-11", None),
        ("1971", None),
        ("1971-01-31", "1971-02-09"),
    ]
    assert [e.display_date for e in timeline.events] == [
        "July 16 – July 24, 1969",
        "Nov. 1969",
        "1971",
        "Jan. 31 – Feb. 9, 1971",
    ]
    assert timeline.source == "Reporting by C. Reporter"


def test_sentence_with_a_date_does_not_split_an_event():
    apollo_11, apollo_12 = read_news_file(DATA / "extra_forms.txt").events[:2]
    assert apollo_11.title == "Apollo 11 flies to the Moon and back"
    assert "On July 20, 1969 Neil Armstrong" in apollo_11.description
    assert apollo_12.description == (
        "Apollo 12 lands in the Ocean of Storms.\n\n"
        "The crew visit the Surveyor 3 probe, which had landed in April 1967."
    )


def test_page_furniture_is_dropped():
    text = (
        "Lead.\nAdvertisement\nJuly, 2000\nA visit.\nAdvertisement · Scroll to continue\n"
        "More text.\n(Reporting by X)\nComments\nShare\nOur Standards: The Trust Principles.\n"
        "Related: another story\n"
    )
    timeline = read_news(text)
    assert timeline.events[0].description == "A visit.\n\nMore text."
    assert timeline.source == "Reporting by X"
    assert timeline.description == "Lead."


def test_unparenthesised_credits_only_as_the_last_line():
    text = "Lead.\nJuly, 2000\nReporting by the press showed a visit.\n1971\nText.\n"
    assert read_news(text).events[0].description == "Reporting by the press showed a visit."
    assert read_news(text + "Reporting by Jane Doe; Editing by John Roe\n").source == (
        "Reporting by Jane Doe; Editing by John Roe"
    )


def test_title_falls_back_to_the_first_sentence_without_dateline():
    text = "SEOUL (Reuters) – Kim met Putin. They talked.\nJuly, 2000\nA visit.\n"
    assert read_news(text).title == "Kim met Putin"
    assert read_news("July, 2000\nA visit.\n").title == ""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Russia invades Ukraine. North Korea backs Moscow.", "Russia invades Ukraine"),
        ("The U.S. and Britain act. Then more.", "The U.S. and Britain act"),
        ("Gen. Kim arrives. Then more.", "Gen. Kim arrives"),
        ("Talks resume in Sept. 2023 in Geneva.", "Talks resume in Sept. 2023 in Geneva"),
        ("Is it over? Nobody knows.", "Is it over?"),
        ("A" * 100, "A" * 71 + "…"),
        (
            "Putin visits North Korea in the first year of his presidency and holds a summit "
            "meeting with Kim Jong Il.",
            "Putin visits North Korea in the first year of his presidency",
        ),
        (
            "North Korea closes its borders with Russia, and with China, due to the COVID-19 "
            "pandemic.",
            "North Korea closes its borders with Russia, and with China",
        ),
        (
            "Putin and Kim Jong Un meet in Vladivostok in the Russian Far East for their first "
            "summit.",
            "Putin and Kim Jong Un meet in Vladivostok in the Russian Far East for…",
        ),
    ],
)
def test_headline(text, expected):
    assert headline(text) == expected
    assert len(headline(text)) <= 72


# -- errors -----------------------------------------------------------------------------


def test_impossible_date_line_names_file_and_line():
    path = DATA / "bad_date.txt"
    with pytest.raises(FormatError) as info:
        read_news_file(path)
    error = info.value
    assert (error.source, error.where) == (str(path), "line 4")
    assert str(error).startswith(f"{path}, line 4: ")
    assert "February 2023 has no day 30" in str(error)


def test_backwards_range_names_file_and_line():
    path = DATA / "bad_range.txt"
    with pytest.raises(FormatError) as info:
        read_news_file(path)
    assert info.value.where == "line 4"
    assert "bad_range.txt" in str(info.value)
    assert "the end (14 October 2006) is before the start (22 December 2017)" in str(info.value)


def test_date_line_without_text():
    with pytest.raises(FormatError, match=r"line 4: the date line 'Sept. 13, 2023' has no event"):
        read_news_file(DATA / "no_text.txt")
    with pytest.raises(FormatError, match=r"line 2: .* has no event text"):
        read_news("Lead.\nJuly, 2000\n\nComments\n")


def test_no_date_lines():
    with pytest.raises(FormatError, match="no date lines found") as info:
        read_news_file(DATA / "no_dates.txt")
    assert info.value.where is None
    with pytest.raises(FormatError, match="no date lines found"):
        read_news("")


def test_read_news_names_the_source_given():
    with pytest.raises(FormatError, match=r"^paste, line 1: "):
        read_news("Feb. 30, 2023\nText.\n", "paste")


def test_sniffing():
    assert looks_like_news("Lead\nJuly, 2000\nA visit.\n")
    assert looks_like_news("Feb. 30, 2023\nText.\n")  # the importer will say what is wrong
    assert not looks_like_news("July, 2000\n")
    assert not looks_like_news("Just prose about March 3, 1999.\nMore prose.\n")
    assert not looks_like_news('{"events": [{"start_date": {"year": "1999"}}]}')
    assert not looks_like_news("Year,Month,Day,Headline\n1969,7,20,Moon landing\n")
    assert not looks_like_news("")


# -- writing ----------------------------------------------------------------------------


def test_write_news_style():
    timeline = Timeline(
        title="Key events",
        description="Below is a timeline of key events.",
        source="Reporting by X",
        events=[
            Event("Alpha", PartialDate(2000, 7), description="Alpha."),
            Event("Bravo", PartialDate(2023, 9, 13), description="Bravo."),
            Event(
                "Charlie",
                PartialDate(2024, 5, 16),
                PartialDate(2024, 5, 17),
                description="Charlie.",
            ),
            Event("Delta", PartialDate(1971, 1, 31), PartialDate(1971, 2, 9), description="Delta."),
            Event("Echo", PartialDate(1939), PartialDate(1945), description="Echo."),
            Event("Foxtrot", PartialDate(-43), PartialDate(14), description="Foxtrot."),
            Event("Golf", PartialDate(2020, 3), PartialDate(2020, 5), description="Golf."),
            Event("Hotel", PartialDate(2023, 9, 13, 21, 5), description="Hotel."),
        ],
    )
    assert write_news(timeline).splitlines() == [
        "Below is a timeline of key events.",
        "July, 2000",
        "Alpha.",
        "Sept. 13, 2023",
        "Bravo.",
        "May 16-17, 2024",
        "Charlie.",
        "Jan. 31 – Feb. 9, 1971",
        "Delta.",
        "1939–1945",
        "Echo.",
        "44 BC – AD 14",
        "Foxtrot.",
        "March–May 2020",
        "Golf.",
        "Sept. 13, 2023 9:05 p.m.",
        "Hotel.",
        "(Reporting by X)",
    ]


def test_write_news_keeps_display_date_only_while_it_is_true():
    event = Event("Alpha", PartialDate(2000, 7), description="Alpha.", display_date="Jul. 2000")
    assert write_news(Timeline(events=[event])).splitlines() == ["Jul. 2000", "Alpha."]
    moved = event.evolve(start=PartialDate(2001, 7))
    assert write_news(Timeline(events=[moved])).splitlines() == ["July, 2001", "Alpha."]


def test_write_news_keeps_titles_that_are_not_derived():
    events = [
        Event("Moon landing", PartialDate(1969, 7, 20), description="Apollo 11 lands."),
        Event("Untitled text", PartialDate(1970), description=""),
    ]
    timeline = Timeline(title="Space", source="NASA", events=events)
    text = write_news(timeline)
    assert text.splitlines() == [
        "Space",
        "July 20, 1969",
        "Moon landing",
        "Apollo 11 lands.",
        "1970",
        "Untitled text",
        "(Source: NASA)",
    ]
    again = read_news(text)
    assert again.title == "Space"
    assert again.source == "NASA"
    assert [e.title for e in again.events] == ["Moon landing", "Untitled text"]


def test_write_news_quotes_text_that_would_read_as_structure():
    events = [
        Event("1971", PartialDate(1971)),
        Event("Comments", PartialDate(1972), description="Comments"),
        Event("Credits", PartialDate(1973), description="(Reporting by nobody)"),
        Event("Last", PartialDate(1974), description="Reporting by the press."),
    ]
    text = write_news(Timeline(title="July, 2000", events=events))
    assert text.splitlines() == [
        "“July, 2000”",
        "1971",
        "“1971”",
        "1972",
        "“Comments”",
        "1973",
        "Credits",
        "“(Reporting by nobody)”",
        "1974",
        "Last",
        "“Reporting by the press.”",
    ]
    again = read_news(text)
    assert [e.description for e in again.events] == [
        "“1971”",
        "“Comments”",
        "Credits\n\n“(Reporting by nobody)”",
        "Last\n\n“Reporting by the press.”",
    ]
    assert again.source == ""


@st.composite
def dates(draw: st.DrawFn) -> PartialDate:
    """Any date, deep time included (the writer spells rounded deep years in full)."""
    if draw(st.booleans()):
        return PartialDate(draw(st.integers(-DEEP_TIME_LIMIT, DEEP_TIME_LIMIT)))
    year = draw(st.integers(-CALENDAR_YEAR_LIMIT, CALENDAR_YEAR_LIMIT))
    fields = [year, draw(st.integers(1, 12))]
    fields.append(draw(st.integers(1, days_in_month(year, fields[1]))))
    fields += draw(st.lists(st.integers(0, 23), max_size=1))
    if len(fields) == 4:
        fields += draw(st.lists(st.integers(0, 59), max_size=2))
    return PartialDate(*fields[: draw(st.integers(1, len(fields)))])


WORDS = ["Talks", "resume", "in", "the", "capital", "leaders", "meet", "and", "sign", "a", "deal"]
paragraphs = st.lists(st.sampled_from(WORDS), min_size=1, max_size=12).map(
    lambda words: " ".join(words) + "."
)
descriptions = st.lists(paragraphs, min_size=1, max_size=3).map("\n\n".join)


@settings(deadline=None, max_examples=50)
@given(st.lists(st.tuples(dates(), dates(), st.booleans(), descriptions), min_size=1, max_size=5))
def test_write_then_read_gives_the_same_dates_and_descriptions(rows):
    events = []
    for a, b, is_range, description in rows:
        start, end = sorted([a, b])
        events.append(Event(headline(description), start, end if is_range else None, description))
    timeline = Timeline(title="Lead", description="Lead.", source="Reporting by X", events=events)
    again = read_news(write_news(timeline))
    assert [(e.start, e.end, e.description, e.title) for e in again.events] == [
        (e.start, e.end, e.description, e.title) for e in events
    ]
    assert (again.title, again.description, again.source) == ("Lead", "Lead.", "Reporting by X")


def test_a_long_paragraph_full_of_abbreviations_reads_in_linear_time():
    # Each "Mr." looked at the whole paragraph so far: these 440 kB took 33 s.
    text = "March 3, 1999\n" + "Mr. Kim met Gen. Park " * 20_000 + "\n"
    started = time.perf_counter()
    (event,) = read_news(text).events
    assert time.perf_counter() - started < 5
    assert event.title.startswith("Mr. Kim met Gen. Park Mr. Kim")


def test_a_text_that_is_only_a_full_stop_still_has_a_title():
    assert headline(".") == "."
    timeline = read_news("March 3, 1999\n.\n")
    assert [e.title for e in timeline.events] == ["."]
    assert read_news(write_news(timeline)).events == timeline.events
