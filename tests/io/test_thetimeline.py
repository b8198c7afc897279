"""Import of the Timeline desktop app's ``.timeline`` XML."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from viewer.io.errors import FormatError
from viewer.io.thetimeline import looks_like_thetimeline, read_thetimeline
from viewer.io.timelinejs import read_timelinejs, write_timelinejs
from viewer.model.dates import PartialDate, Precision, Qualifier
from viewer.model.event import Category

DATA = Path(__file__).resolve().parents[1] / "data" / "thetimeline"
SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "fixtures" / "thetimelineproj"


def data(name: str) -> str:
    return (DATA / name).read_bytes().decode("utf-8")


def shared(name: str) -> str:
    path = SHARED / name
    if not path.is_file():
        pytest.skip(f"shared fixture {path} is absent")
    return path.read_bytes().decode("utf-8")


def doc(events: str = "", head: str = "") -> str:
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<timeline>\n<version>2.3.0</version>\n'
        f"{head}<categories/>\n<events>{events}</events>\n</timeline>\n"
    )


def event(start: str, end: str, text: str = "x") -> str:
    return f"<event><start>{start}</start><end>{end}</end><text>{text}</text></event>"


def test_own_sample() -> None:
    timeline = read_thetimeline(data("tiny.timeline"), source="/some/where/tiny.timeline")
    assert timeline.title == "tiny"
    assert timeline.source == "/some/where/tiny.timeline"
    assert timeline.categories == [
        Category("Politics", "#ff8000"),
        Category("Civil wars", "#0a141e"),
        Category("Battles", timeline.categories[2].color),
    ]
    ides, war, battle, milestone = timeline.events
    assert ides.title == "Ides of March"
    assert ides.start == PartialDate(-43, 3, 15)  # astronomical: 44 BC
    assert ides.start.format() == "15 March 44 BC"
    assert ides.end is None
    assert ides.description == "Caesar is stabbed <23 times> & dies."
    assert ides.source_url == "https://en.wikipedia.org/wiki/Ides_of_March"
    assert ides.category == "Politics"
    assert ides.extra == {}

    assert war.title == "Caesar's civil war"
    # fuzzy: both ends approximate, drawn soft and shown "c. 9 August 49 BC"
    approx = Qualifier.APPROXIMATE
    assert (war.start, war.end) == (
        PartialDate(-48, 8, 9, qualifier=approx),
        PartialDate(-44, 3, 15, qualifier=approx),
    )
    assert war.date_text() == "c. 9 August 49 BC – c. 15 March 45 BC"
    assert war.extra == {"container_id": 1}

    assert battle.title == "Battle of Pharsalus"
    assert battle.start == PartialDate(-48, 8, 9, 9, 30)
    assert battle.end == PartialDate(-48, 8, 9, 17, 45)
    assert battle.category == "Battles"
    assert battle.extra == {"container": 1, "progress": 40}

    assert milestone.title == "(not a subevent)"
    assert milestone.start == PartialDate(2020, 10, 18, 5, 36, 57)
    assert milestone.end is None
    assert milestone.extra == {"milestone": True}

    (era,) = timeline.eras
    assert era.title == "Late Republic"
    assert (era.start, era.end) == (PartialDate(-132, 1, 1), PartialDate(-26, 1, 1))
    assert era.extra == {"color": "#c8b4a0"}


def test_own_sample_converts_to_timelinejs() -> None:
    timeline = read_thetimeline(data("tiny.timeline"))
    again = read_timelinejs(write_timelinejs(timeline))
    # TimelineJS has no place for source_url: everything else comes back.
    assert again.events == [e.evolve(source_url="") for e in timeline.events]
    assert again.eras == timeline.eras
    assert [c.name for c in again.categories] == ["Politics", "Civil wars", "Battles"]


def test_fixture_versions() -> None:
    timeline = read_thetimeline(shared("versions.timeline"), source="versions.timeline")
    assert len(timeline.events) == 59
    assert [(c.name, c.color) for c in timeline.categories] == [
        ("Planned Release", "#80ff80"),
        ("Correction Release", "#ff80ff"),
        ("Future Release", "#80ffff"),
    ]
    first = timeline.events[0]
    assert first.title == "Timeline 0.20.0"
    assert first.start == PartialDate(2013, 3, 30, 11, 16)
    assert first.end is None
    assert first.category == "Planned Release"
    assert first.description.startswith("Timeline 0.20.0, released on 30 March 2013")
    midnight = timeline.events[1]
    assert midnight.start == PartialDate(2013, 7, 7)
    assert midnight.start.precision is Precision.DAY
    assert timeline.events[-1].start == PartialDate(2020, 10, 18, 5, 36, 57)
    assert all(e.category for e in timeline.events)


def test_looks_like_thetimeline() -> None:
    assert looks_like_thetimeline(data("tiny.timeline"))
    assert looks_like_thetimeline("\ufeff<!-- c --><timeline><events/></timeline>")
    assert not looks_like_thetimeline('{"events": []}')
    assert not looks_like_thetimeline("<?xml version='1.0'?><svg/>")
    assert not looks_like_thetimeline("")


@pytest.mark.parametrize(
    ("text", "where", "fragment"),
    [
        ("<timeline><events>", "line 1, column 19", "invalid XML"),
        ("", "line 1, column 1", "invalid XML"),
        (
            '<?xml version="1.0"?>\n<!DOCTYPE t [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            "<timeline>&x;</timeline>",
            "line 2",
            "DOCTYPE",
        ),
        ("<svg/>", "svg", "<timeline>"),
        ("<timeline><version>1</version></timeline>", "events", "<events>"),
        (doc(head="<timetype>numtime</timetype>"), "timetype", "not supported"),
        (
            doc(event("2013-02-30 00:00:00", "2013-03-01 00:00:00")),
            "events/event[1]/start",
            "no day 30",
        ),
        (doc(event("x", "2013-03-01 00:00:00")), "events/event[1]/start", "not a time"),
        (doc(event("2013-03-01 00:00:00", "")), "events/event[1]/end", "not a time"),
        (
            doc(
                event("2000-01-01 00:00:00", "2000-01-01 00:00:00")
                + event("2013-03-02 00:00:00", "2013-03-01 00:00:00")
            ),
            "events/event[2]/end",
            "before the start",
        ),
        (
            "<timeline><categories><category><name>a</name><color>1,2,300</color>"
            "</category></categories><events/></timeline>",
            "categories/category[1]/color",
            "colour",
        ),
    ],
)
def test_bad_input_names_the_place(text: str, where: str, fragment: str) -> None:
    with pytest.raises(FormatError) as info:
        read_thetimeline(text)
    assert info.value.where == where
    assert fragment in info.value.message


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=60))
def test_any_text_gives_a_timeline_or_a_format_error(text: str) -> None:
    with contextlib.suppress(FormatError):
        read_thetimeline(doc(text))
    with contextlib.suppress(FormatError):
        read_thetimeline(text)
    looks_like_thetimeline(text)


@pytest.mark.parametrize(
    "progress",
    ["²", "٣", "1" * 5000, "-5", "4.5"],
    ids=["superscript", "arabic-indic", "5000-digits", "negative", "fraction"],
)
def test_a_progress_that_is_not_a_number_names_the_place(progress: str) -> None:
    at_midnight = "2000-01-01 00:00:00"
    text = doc(
        f"<event><start>{at_midnight}</start><end>{at_midnight}</end><text>x</text>"
        f"<progress>{progress}</progress></event>"
    )
    with pytest.raises(FormatError, match="is not a number") as info:
        read_thetimeline(text)
    assert info.value.where == "events/event[1]/progress"


def test_a_container_id_too_long_for_a_number_stays_in_the_title() -> None:
    digits = "9" * 5000
    text = doc(event("2000-01-01 00:00:00", "2000-01-01 00:00:00", f"[{digits}]Siege"))
    (siege,) = read_thetimeline(text).events
    assert siege.title == f"[{digits}]Siege"
    assert "container_id" not in siege.extra


def test_a_blank_title_falls_back_to_the_description_as_in_timelinejs() -> None:
    at_midnight = "2000-01-01 00:00:00"
    described = (
        f"<event><start>{at_midnight}</start><end>{at_midnight}</end><text> </text>"
        "<description>The walls are breached at dawn.</description></event>"
    )
    bare = event(at_midnight, at_midnight, "[7]")
    first, second = read_thetimeline(doc(described + bare)).events
    assert first.title == "The walls are breached at dawn."
    assert (second.title, second.extra) == ("(untitled)", {"container_id": 7})
