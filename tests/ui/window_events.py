"""Events shared by the main-window tests: 14 events, points and ranges, day/month/year
precision, three categories (5 Politics, 5 Science, 4 Sport), some tags."""

from __future__ import annotations

from pathlib import Path

from viewer.model.dates import PartialDate
from viewer.model.event import Category, Event, Timeline
from viewer.store import EventStore


def d(*parts: int) -> PartialDate:
    return PartialDate(*parts)


CATEGORIES = [
    Category("Politics", "#4e79a7"),
    Category("Science", "#59a14f"),
    Category("Sport", "#e15759"),
]
EVENTS = [
    Event("Treaty signed", d(1990, 3, 15), category="Politics", tags=("diplomacy",)),
    Event("Election", d(1992, 11), category="Politics", tags=("vote",)),
    Event("Moon base", d(1995), category="Science", tags=("space",)),
    Event("Olympics", d(1996, 7, 19), d(1996, 8, 4), category="Sport", tags=("games",)),
    Event("Genome draft", d(2000, 6, 26), category="Science", tags=("biology",)),
    Event("Summit", d(2001, 7), category="Politics", tags=("diplomacy",)),
    Event("World Cup", d(2002, 5, 31), d(2002, 6, 30), category="Sport", tags=("games",)),
    Event("Mars rover", d(2004, 1), category="Science", tags=("space",)),
    Event("Crisis", d(2007), d(2009), category="Politics", description="A long crisis."),
    Event("Marathon record", d(2008, 9, 28), category="Sport"),
    Event("Higgs boson", d(2012, 7, 4), category="Science", tags=("physics",)),
    Event("Referendum", d(2016, 6), category="Politics", tags=("vote",)),
    Event("Pandemic", d(2020, 3), d(2022), category="Science"),
    Event("Cup final", d(2022, 12, 18), category="Sport", tags=("games",)),
]
TITLES = [e.title for e in EVENTS]


def make_store(path: Path, events: list[Event] = EVENTS, title: str = "Test timeline") -> Path:
    with EventStore.open(path) as store:
        store.import_timeline(Timeline(title=title, events=list(events), categories=CATEGORIES))
    return path
