"""Calendar ticks: exact boundaries, readable labels and bounded counts at every zoom."""

from __future__ import annotations

import itertools
import math
import re
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from viewer.model.dates import (
    SECONDS_PER_DAY,
    SECONDS_PER_YEAR,
    PartialDate,
    civil_from_position,
    year_from_position,
    year_start,
)
from viewer.ui.timeline.ticks import (
    TickLevel,
    calendar_ticks,
    estimate_text_width,
    format_position,
)

AFTERNOON = PartialDate(2023, 9, 13, 14).begin()
HOUR = 3600.0


def all_ticks(levels: list[TickLevel]) -> list[tuple[float, str]]:
    return sorted(tick for level in levels for tick in level.ticks)


def positions(levels: list[TickLevel]) -> list[float]:
    return [pos for pos, _ in all_ticks(levels)]


def labels(levels: list[TickLevel]) -> list[str]:
    return [label for _, label in all_ticks(levels) if label]


def is_year_start(pos: float) -> bool:
    year = year_from_position(pos)
    return any(year_start(y) == pos for y in (year - 1, year, year + 1))


def check_basic(levels: list[TickLevel], vmin: float, vmax: float, pixels: float) -> None:
    assert len(levels) == 2
    pos = positions(levels)
    assert pos == sorted(set(pos)), "ticks are distinct and sorted"
    assert all(vmin <= p <= vmax for p in pos)
    assert len(pos) <= pixels / 60.0 + 1
    for level in levels:
        assert level.positions == sorted(level.positions)
        assert level.spacing > 0
        assert level.name


# -- zoom levels ------------------------------------------------------------------------


def test_ten_seconds_ticks_whole_seconds_with_clock_labels() -> None:
    vmin, vmax = AFTERNOON + 0.5, AFTERNOON + 10.5
    levels = calendar_ticks(vmin, vmax, 800)
    check_basic(levels, vmin, vmax, 800)
    pos = positions(levels)
    assert len(pos) >= 5
    assert all(p == int(p) for p in pos)
    minor = [label for label in levels[1].labels if label]
    assert "14:00:05" in minor
    assert all(re.fullmatch(r"(\d+ \w{3} \d{4} )?\d\d:\d\d:\d\d", label) for label in minor)
    # The first labelled tick whose full label fits carries the date.
    assert re.fullmatch(r"13 Sep 2023 14:00:0\d", labels(levels)[0])


def test_one_hour_ticks_minutes() -> None:
    vmin, vmax = AFTERNOON, AFTERNOON + HOUR
    levels = calendar_ticks(vmin, vmax, 1000)
    check_basic(levels, vmin, vmax, 1000)
    pos = positions(levels)
    step = pos[1] - pos[0]
    assert step in (60, 120, 300, 600)
    assert all(p % step == 0 for p in pos)
    assert "14:30" in labels(levels)
    assert any("2023" in label for label in labels(levels))


def test_one_day_ticks_hours_and_labels_midnight_with_the_date() -> None:
    vmin, vmax = AFTERNOON, AFTERNOON + SECONDS_PER_DAY
    levels = calendar_ticks(vmin, vmax, 1200)
    check_basic(levels, vmin, vmax, 1200)
    major, minor = levels
    assert major.positions == [PartialDate(2023, 9, 14).begin()]
    assert major.labels == ["14 Sep"]
    step = minor.positions[1] - minor.positions[0]
    assert step in (HOUR, 2 * HOUR, 3 * HOUR)
    assert all(re.fullmatch(r"\d\d:00", label) for label in minor.labels[2:] if label)
    assert labels(levels)[0].startswith("13 Sep 2023 ")


def test_new_year_midnight_shows_the_year() -> None:
    midnight = PartialDate(2024, 1, 1).begin()
    levels = calendar_ticks(midnight - 6 * HOUR, midnight + 6 * HOUR, 1000)
    assert (midnight, "1 Jan 2024") in levels[0].ticks


def test_one_month_ticks_days_on_calendar_boundaries() -> None:
    vmin, vmax = PartialDate(2023, 9, 10).begin(), PartialDate(2023, 10, 10).begin()
    levels = calendar_ticks(vmin, vmax, 1000)
    check_basic(levels, vmin, vmax, 1000)
    assert all(p % SECONDS_PER_DAY == 0 for p in positions(levels))
    days = [civil_from_position(p)[2] for p in positions(levels)]
    assert 1 in days
    assert levels[0].ticks == ((PartialDate(2023, 10, 1).begin(), "Oct 2023"),)
    assert "21 Sep" in labels(levels) or "20 Sep" in labels(levels)
    assert re.fullmatch(r"\d+ Sep 2023", labels(levels)[0])


@pytest.mark.parametrize("step", [1, 2, 5, 10, 15])
def test_day_steps_use_day_of_month_boundaries(step: int) -> None:
    # Steps of days restart on the 1st of every month and never crowd it.
    vmin, vmax = PartialDate(2024, 1, 1).begin(), PartialDate(2024, 12, 31).begin()
    pixels = (vmax - vmin) / SECONDS_PER_DAY * 60 / (0.8 * step) + 10
    levels = calendar_ticks(vmin, vmax, min(pixels, 40_000), min_spacing_px=60)
    pos = positions(levels)
    gaps = [(b - a) / SECONDS_PER_DAY for a, b in itertools.pairwise(pos)]
    allowed = {1 + k * step for k in range(31)}
    assert all(civil_from_position(p)[2] in allowed for p in pos)
    assert min(gaps) >= math.ceil(0.8 * step)


def test_one_year_ticks_months_at_month_begins() -> None:
    vmin, vmax = PartialDate(2023, 6, 15).begin(), PartialDate(2024, 6, 15).begin()
    levels = calendar_ticks(vmin, vmax, 1000)
    check_basic(levels, vmin, vmax, 1000)
    expected = [PartialDate(2023, m).begin() for m in range(7, 13)] + [
        PartialDate(2024, m).begin() for m in range(1, 7)
    ]
    assert positions(levels) == expected
    assert levels[0].ticks == ((PartialDate(2024, 1).begin(), "2024"),)
    assert levels[1].labels == [
        "Jul 2023",
        "Aug",
        "Sep",
        "Oct",
        "Nov",
        "Dec",
        "Feb",
        "Mar",
        "Apr",
        "May",
        "Jun",
    ]


def test_quarter_and_half_year_steps() -> None:
    vmin, vmax = year_start(2020), year_start(2024)
    pos = positions(calendar_ticks(vmin, vmax, 900))
    months = {civil_from_position(p)[1] for p in pos}
    assert months <= {1, 4, 7, 10}
    assert all(civil_from_position(p)[2] == 1 for p in pos)


def test_thirty_years_ticks_years() -> None:
    vmin, vmax = year_start(1990) + 1000, year_start(2020) + 1000
    levels = calendar_ticks(vmin, vmax, 1000)
    check_basic(levels, vmin, vmax, 1000)
    assert all(is_year_start(p) for p in positions(levels))
    assert "2000" in levels[0].labels
    years = [int(label) for label in labels(levels)]
    assert years == sorted(years)
    assert {b - a for a, b in itertools.pairwise(years)} in ({2}, {5})


def test_three_thousand_years_across_the_era() -> None:
    vmin, vmax = year_start(-1500), year_start(1500)
    levels = calendar_ticks(vmin, vmax, 600)
    check_basic(levels, vmin, vmax, 600)
    text = labels(levels)
    assert "1000 BC" in text
    assert "AD 500" in text
    assert "500 BC" in text
    # No year zero: the era starts at AD 1, and years count on both sides of it.
    assert not any(label in ("0", "AD 0", "0 BC") for label in text)
    assert (year_start(1), "AD 1") in all_ticks(levels)
    # "1000 BC" is astronomical year -999.
    assert (year_start(-999), "1000 BC") in all_ticks(levels)
    assert all(is_year_start(p) for p in positions(levels))


def test_year_zero_is_one_bc() -> None:
    levels = calendar_ticks(year_start(-4), year_start(5), 1000)
    ticks = dict(all_ticks(levels))
    assert ticks[year_start(0)] == "1 BC"
    assert ticks[year_start(1)] == "AD 1"
    assert ticks[year_start(-1)] == "2 BC"


def test_age_of_the_universe() -> None:
    vmin, vmax = year_start(-13_800_000_000), year_start(2025)
    levels = calendar_ticks(vmin, vmax, 1000)
    check_basic(levels, vmin, vmax, 1000)
    text = labels(levels)
    assert len(text) >= 4
    assert all(re.fullmatch(r"\d+(\.\d+)?B years ago|AD 1", label) for label in text)
    assert "10B years ago" in text
    assert all(is_year_start(p) for p in positions(levels))


def test_deep_time_zoomed_in_keeps_labels_distinct() -> None:
    vmin, vmax = year_start(-66_000_000), year_start(-65_000_000)
    text = labels(calendar_ticks(vmin, vmax, 1000))
    assert len(text) == len(set(text)) >= 4
    assert all(label.endswith("M years ago") for label in text)
    assert "65.6M years ago" in text


def test_quarter_steps_in_deep_time_keep_their_decimals() -> None:
    text = labels(calendar_ticks(year_start(-70_000_000), year_start(-60_000_000), 500))
    assert text == ["67.5M years ago", "65M years ago", "62.5M years ago"]


def test_first_tick_context_never_hides_a_major_label() -> None:
    midnight = PartialDate(2024, 1, 1).begin()
    levels = calendar_ticks(midnight - 10, midnight + 20, 460)
    assert levels[0].ticks == ((midnight, "1 Jan 2024"),)
    assert "23:59:55" in labels(levels)


def test_deep_time_never_ticks_months() -> None:
    vmin = year_start(-5_000_000)
    levels = calendar_ticks(vmin, vmin + 2 * SECONDS_PER_YEAR, 1000)
    pos = positions(levels)
    assert 1 <= len(pos) <= 3
    assert all(is_year_start(p) for p in pos)
    assert all(label.endswith(" BC") for label in labels(levels))


def test_milliseconds() -> None:
    vmin, vmax = AFTERNOON + 0.01, AFTERNOON + 1.3
    levels = calendar_ticks(vmin, vmax, 1000)
    check_basic(levels, vmin, vmax, 1000)
    assert ".50" in labels(levels) or ".5" in labels(levels)
    assert levels[0].labels == ["14:00:01"]


@pytest.mark.parametrize(
    ("vmin", "vmax", "pixels"),
    [
        (0.0, 0.0, 800),
        (10.0, 5.0, 800),
        (math.nan, 5.0, 800),
        (0.0, math.inf, 800),
        (0.0, 100.0, 0),
        (0.0, 100.0, -5),
    ],
)
def test_empty_or_invalid_span_gives_no_ticks(vmin: float, vmax: float, pixels: float) -> None:
    assert calendar_ticks(vmin, vmax, pixels) == []


def test_wider_labels_widen_the_step() -> None:
    vmin, vmax = year_start(1900), year_start(2000)
    narrow = positions(calendar_ticks(vmin, vmax, 1000))
    wide = calendar_ticks(vmin, vmax, 1000, text_width=lambda text: 30.0 * len(text))
    pos = positions(wide)
    assert len(pos) < len(narrow)
    xs = [(p - vmin) / (vmax - vmin) * 1000 for p in pos]
    assert all(b - a >= 120 + 10 for a, b in itertools.pairwise(xs))


def test_context_label_never_overlaps_its_neighbours() -> None:
    vmin, vmax = AFTERNOON, AFTERNOON + 6 * HOUR
    pixels = 700
    ticks = all_ticks(calendar_ticks(vmin, vmax, pixels))
    boxes = []
    for pos, label in ticks:
        if label:
            x = (pos - vmin) / (vmax - vmin) * pixels
            width = estimate_text_width(label)
            boxes.append((x - width / 2, x + width / 2))
    assert boxes[0][0] >= 0 and boxes[-1][1] <= pixels
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(boxes))


def test_typical_call_is_fast() -> None:
    spans = [
        (AFTERNOON, AFTERNOON + HOUR),
        (year_start(1990), year_start(2030)),
        (year_start(-1500), year_start(1500)),
        (year_start(-13_800_000_000), year_start(2025)),
    ]
    for vmin, vmax in spans:
        best = math.inf
        for _ in range(20):
            start = time.perf_counter()
            calendar_ticks(vmin, vmax, 1600)
            best = min(best, time.perf_counter() - start)
        assert best < 1e-3


# -- format_position --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pos", "span", "expected"),
    [
        (AFTERNOON + 2 * 60 + 3.25, 5.0, "13 September 2023 14:02:03.250"),
        (AFTERNOON + 2 * 60 + 3.25, 60.0, "13 September 2023 14:02:03"),
        (AFTERNOON + 2 * 60 + 3.25, 2 * HOUR, "13 September 2023 14:02"),
        (AFTERNOON, 60 * SECONDS_PER_DAY, "13 September 2023"),
        (AFTERNOON, 10 * SECONDS_PER_YEAR, "September 2023"),
        (AFTERNOON, 300 * SECONDS_PER_YEAR, "2023"),
        (year_start(-43) + 100, 3000 * SECONDS_PER_YEAR, "44 BC"),
        (year_start(79) + 100, 3000 * SECONDS_PER_YEAR, "AD 79"),
        (year_start(-64_999_999), 1e7 * SECONDS_PER_YEAR, "65 million years ago"),
        (year_start(-64_999_999), 10 * SECONDS_PER_YEAR, "65,000,000 BC"),
    ],
)
def test_format_position(pos: float, span: float, expected: str) -> None:
    assert format_position(pos, span) == expected


def test_format_position_of_nothing() -> None:
    assert format_position(math.nan, 10.0) == ""


# -- properties -------------------------------------------------------------------------


@settings(max_examples=400, deadline=None)
@given(
    start=st.floats(-4e17, 4e17),
    log_width=st.floats(-3.0, 17.9),
    pixels=st.floats(100.0, 4000.0),
    min_spacing=st.sampled_from([40.0, 60.0, 100.0]),
)
def test_ticks_are_sorted_inside_and_bounded(
    start: float, log_width: float, pixels: float, min_spacing: float
) -> None:
    vmin = start
    vmax = min(start + 10**log_width, 4e17)
    if not vmax > vmin:
        return
    levels = calendar_ticks(vmin, vmax, pixels, min_spacing_px=min_spacing)
    assert len(levels) == 2
    ticks = all_ticks(levels)
    pos = [p for p, _ in ticks]
    assert pos == sorted(set(pos))
    assert all(vmin <= p <= vmax for p in pos)
    assert len(pos) <= pixels / min_spacing + 2
    # Neighbouring labels keep clear of each other.
    xs = [((p - vmin) / (vmax - vmin) * pixels, label) for p, label in ticks if label]
    for (xa, a), (xb, b) in itertools.pairwise(xs):
        assert xb - xa >= (estimate_text_width(a) + estimate_text_width(b)) / 2


@settings(max_examples=200, deadline=None)
@given(start=st.floats(-4e17, 4e17), pixels=st.floats(100.0, 4000.0))
def test_zoomed_far_out_stays_bounded(start: float, pixels: float) -> None:
    levels = calendar_ticks(-4e17, 4e17, pixels)
    assert 0 < len(positions(levels)) <= pixels / 60 + 2
