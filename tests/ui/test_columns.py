"""From the store's columns to what the views draw (viewer.ui.columns)."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from viewer.model.dates import PartialDate
from viewer.model.event import Event
from viewer.store import EventStore
from viewer.ui.columns import arrays_from_columns, category_index, lazy_dates, subset

EVENTS = [
    Event("Summit", PartialDate(2000, 7), category="Diplomacy"),
    Event("Votes", PartialDate(2006, 10, 14), PartialDate(2017, 12, 22), category="UN"),
    Event("Visit", PartialDate(2019, 4, 25)),
    Event("Founding", PartialDate(-43)),
]


def store_columns():
    store = EventStore.open(":memory:")
    store.add_events(EVENTS)
    return store.columns()


def test_dates_are_formatted_lazily_and_exactly():
    cols = store_columns()
    dates = lazy_dates(cols)
    assert dates._cache == {}
    assert dates[1] == "July 2000"
    assert list(dates) == [
        "44 BC",
        "July 2000",
        "14 October 2006 – 22 December 2017",
        "25 April 2019",
    ]
    assert dates[-1] == "25 April 2019"
    assert dates[0:2] == ["44 BC", "July 2000"]


def test_arrays_keep_order_categories_and_vague_extents():
    cols = store_columns()
    index = category_index(["Diplomacy", "UN"])
    arrays = arrays_from_columns(cols, index)
    assert arrays.ids.tolist() == cols.ids
    assert arrays.category.tolist() == [-1, 0, 1, -1]
    assert arrays.is_range.tolist() == [False, False, True, False]
    july = PartialDate(2000, 7)
    assert arrays.begin[1] == july.begin() and arrays.start_finish[1] == july.finish()
    assert np.all(arrays.finish >= arrays.begin)


def test_a_timeline_without_categories_draws_in_one_colour():
    assert category_index([]) == {"": 0}


@given(st.lists(st.booleans(), min_size=4, max_size=4))
def test_subset_takes_exactly_the_chosen_rows(keep):
    cols = store_columns()
    positions = [i for i, k in enumerate(keep) if k]
    part = subset(cols, positions)
    assert part.ids == [cols.ids[i] for i in positions]
    assert part.titles == [cols.titles[i] for i in positions]
    assert part.end == [cols.end[i] for i in positions]
    assert len(part) == len(positions)
