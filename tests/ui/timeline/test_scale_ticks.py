"""Ticks on any time scale: decades of years ago on a logarithmic axis, read as people
say them, never overlapping."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from viewer.model.dates import PartialDate, year_start
from viewer.model.time_scale import LINEAR, TimeScale
from viewer.ui.timeline.scale_ticks import amount_text, scale_ticks, years_label
from viewer.ui.timeline.ticks import LABEL_GAP_PX, calendar_ticks, estimate_text_width

NOW = year_start(2026)
LOG = TimeScale.log(now=NOW)


def labels(levels) -> list[str]:
    return [label for level in levels for _, label in level.ticks if label]


@pytest.mark.parametrize(
    ("years", "text"),
    [
        (13.8e9, "13.8 billion years ago"),
        (1e9, "1 billion years ago"),
        (1e8, "100 million years ago"),
        (1e6, "1 million years ago"),
        (1e4, "10,000 years ago"),
        (100, "100 years ago"),
        (10, "10 years ago"),
        (1, "1 year ago"),
        (0, "now"),
        (-10, "in 10 years"),
        (-1, "in 1 year"),
    ],
)
def test_labels_read_as_people_say_them(years: float, text: str) -> None:
    assert years_label(years, LOG) == text


def test_with_a_reference_date_labels_count_from_it() -> None:
    scale = TimeScale.log(PartialDate(1950))
    assert years_label(0, scale) == "1950"
    assert years_label(100, scale) == "100 years before 1950"
    assert years_label(-10, scale) == "10 years after 1950"


def test_amounts() -> None:
    assert [amount_text(n) for n in (2.5, 20, 300, 12_345, 6.6e7, 4.54e9)] == [
        "2.5", "20", "300", "12,345", "66 million", "4.54 billion",
    ]  # fmt: skip


def test_the_whole_of_cosmic_time_in_decades() -> None:
    levels = scale_ticks(LOG, -10.5, 0.3, 1500)
    shown = labels(levels)
    assert "now" in shown
    assert "100 million years ago" in shown and "1 million years ago" in shown
    assert "10,000 years ago" in shown and "100 years ago" in shown
    # (every second decade: the ticks are whole decades)
    for u, _ in levels[0].ticks:
        assert u == 0.0 or LOG.years_before(u) == pytest.approx(10 ** round(-u), rel=1e-9)


def test_zoomed_in_there_are_twos_and_fives() -> None:
    shown = labels(scale_ticks(LOG, -6.5, -3.5, 1500))
    assert {"1 million years ago", "100,000 years ago", "10,000 years ago"} <= set(shown)
    assert "500,000 years ago" in shown and "20,000 years ago" in shown


def test_where_the_scale_is_nearly_linear_the_calendar_labels_it() -> None:
    u0, u1 = LOG.to_axis(year_start(1870)), LOG.to_axis(year_start(1950))
    shown = labels(scale_ticks(LOG, u0, u1, 1500))
    assert "1900" in shown and "1920" in shown
    # and around the present, "now" stays among the dates
    recent = labels(scale_ticks(LOG, -0.05, 0.01, 1500))
    assert "now" in recent and any("2025" in t or "Nov" in t or "Dec" in t for t in recent)


def test_the_future_side() -> None:
    shown = labels(scale_ticks(LOG, -1.5, 1.5, 1200))
    assert "now" in shown and "in 10 years" in shown and "10 years ago" in shown


def test_linear_is_the_calendar() -> None:
    a, b = year_start(1900), year_start(2000)
    assert scale_ticks(LINEAR, a, b, 1000) == calendar_ticks(a, b, 1000)


def test_nothing_for_an_empty_or_broken_range() -> None:
    assert scale_ticks(LOG, 1.0, 1.0, 800) == []
    assert scale_ticks(LOG, float("nan"), 1.0, 800) == []
    assert scale_ticks(LOG, -3.0, 1.0, 0) == []


@settings(max_examples=150, deadline=None)
@given(
    st.floats(min_value=-12.0, max_value=3.0),
    st.floats(min_value=1e-7, max_value=15.0),
    st.floats(min_value=120.0, max_value=3000.0),
    st.sampled_from([LOG, TimeScale.log(PartialDate(1950))]),
)
def test_labels_never_overlap_nor_stick_out(u0: float, width: float, px: float, scale) -> None:
    u1 = u0 + width
    levels = scale_ticks(scale, u0, u1, px)
    spans = []
    for level in levels:
        for u, label in level.ticks:
            assert u0 <= u <= u1
            if label:
                x, w = (u - u0) / (u1 - u0) * px, estimate_text_width(label)
                assert x - w / 2 >= 0 and x + w / 2 <= px
                spans.append((x - w / 2, x + w / 2))
    spans.sort()
    for (_, b), (a, _) in itertools.pairwise(spans):
        assert a >= b + LABEL_GAP_PX - 1e-6
