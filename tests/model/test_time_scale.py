"""The time scale: linear is the identity; logarithmic is time before a reference in
decades of years, monotonic, finite and inverse everywhere."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from viewer.model.dates import SECONDS_PER_YEAR, PartialDate, year_start
from viewer.model.time_scale import LINEAR, TimeScale, crowded_on_linear_axis

NOW = year_start(2026)
LOG = TimeScale.log(now=NOW)
#: Every time a timeline may hold, and more: 10^11 years either side.
DEEP = 1e11 * SECONDS_PER_YEAR
times = st.floats(min_value=-DEEP, max_value=DEEP, allow_nan=False)
scales = st.sampled_from([LOG, TimeScale.log(PartialDate(1950)), TimeScale.log(now=0.0)])


@given(scales, times)
def test_the_log_scale_comes_back_to_the_same_time(scale: TimeScale, t: float) -> None:
    back = scale.from_axis(scale.to_axis(t))
    # (to within rounding of the larger of the time and the reference: microseconds now)
    assert math.isclose(back, t, rel_tol=1e-12, abs_tol=1e-13 * max(abs(t), abs(scale.ref), 1.0))


@given(scales, times, times)
def test_the_log_scale_never_turns_back(scale: TimeScale, a: float, b: float) -> None:
    lo, hi = sorted((a, b))
    assert scale.to_axis(lo) <= scale.to_axis(hi)


@given(scales, st.floats(min_value=-1e6, max_value=1e6, allow_nan=False))
def test_any_axis_coordinate_is_a_finite_time(scale: TimeScale, u: float) -> None:
    assert math.isfinite(scale.from_axis(u))


@given(scales, st.lists(times, min_size=1, max_size=50))
def test_arrays_map_as_the_numbers_do(scale: TimeScale, values: list[float]) -> None:
    arr = np.sort(np.array(values))
    u = scale.to_axis(arr)
    assert isinstance(u, np.ndarray) and np.all(np.isfinite(u))
    assert np.all(np.diff(u) >= 0)  # sorted columns stay sorted
    assert u.tolist() == pytest.approx([scale.to_axis(float(v)) for v in arr])


def test_linear_is_the_identity() -> None:
    arr = np.array([-DEEP, 0.0, 1.5e9])
    assert LINEAR.to_axis(arr) is arr and LINEAR.from_axis(arr) is arr
    assert LINEAR.seconds_shift(1e9, 3600.0) == 3600.0
    assert LINEAR.is_linear and not LOG.is_linear


@pytest.mark.parametrize(
    ("years", "u"),
    [(0, 0.0), (1, -math.log10(2)), (9, -1.0), (99, -2.0), (1.38e10, -math.log10(1.38e10 + 1))],
)
def test_decades_of_years_before_the_reference(years: float, u: float) -> None:
    assert LOG.to_axis(NOW - years * SECONDS_PER_YEAR) == pytest.approx(u, abs=1e-12)
    assert LOG.axis_of_years(years) == pytest.approx(u, abs=1e-12)
    assert LOG.years_before(u) == pytest.approx(years, rel=1e-9, abs=1e-9)


def test_after_the_reference_the_axis_goes_on_up() -> None:
    ten_years_on = LOG.to_axis(NOW + 9 * SECONDS_PER_YEAR)
    assert ten_years_on == pytest.approx(1.0)
    assert LOG.years_before(ten_years_on) == pytest.approx(-9.0)


def test_a_shift_along_the_axis_is_more_time_further_back() -> None:
    recent = LOG.seconds_shift(NOW - 10 * SECONDS_PER_YEAR, 0.1)
    deep = LOG.seconds_shift(NOW - 1e6 * SECONDS_PER_YEAR, 0.1)
    assert 0 < recent < deep
    assert deep / recent == pytest.approx((1e6 + 1) / 11, rel=1e-6)


def test_a_reference_date_is_kept_as_the_file_keeps_it() -> None:
    scale = TimeScale.log(PartialDate(1950))
    assert scale.ref == year_start(1950)
    assert scale.to_json() == {"kind": "log", "reference": "1950"}
    assert TimeScale.from_json(scale.to_json()) == scale
    assert TimeScale.from_json({"kind": "log"}, now=NOW) == LOG
    assert TimeScale.from_json(LINEAR.to_json()) is LINEAR
    for junk in (None, "log", {"kind": "spiral"}, {"kind": "log", "reference": 1950}):
        assert TimeScale.from_json(junk, now=NOW) in (LINEAR, LOG)
    assert TimeScale.from_json({"kind": "log", "reference": "not a date"}, now=NOW) == LOG
    assert scale.describe() == "logarithmic (before 1950)"
    with pytest.raises(ValueError, match="no such time scale"):
        TimeScale.of("spiral")


def _years_ago(*years: float) -> tuple[np.ndarray, np.ndarray]:
    begin = np.sort(NOW - np.array(years, dtype=np.float64) * SECONDS_PER_YEAR)
    return begin, begin + SECONDS_PER_YEAR


def test_a_cosmology_timeline_crowds_a_linear_axis() -> None:
    # (cosmo.json's events: two by the Big Bang, two by the present)
    cosmo = _years_ago(13.8e9, 13.7996e9, 12.8e9, 4.6e9, 538.8e6, 315_000, 5500)
    assert crowded_on_linear_axis(*cosmo)
    # nine of eleven in the last few thousand years
    assert crowded_on_linear_axis(*_years_ago(13.8e9, 4.5e9, *range(1000, 10000, 1000)))


def test_ordinary_and_evenly_spread_timelines_are_not_crowded() -> None:
    assert not crowded_on_linear_axis(*_years_ago(*range(1, 200)))  # two centuries
    assert not crowded_on_linear_axis(*_years_ago(*np.linspace(1e3, 4e9, 40)))
    assert not crowded_on_linear_axis(*_years_ago(13.8e9, 10))  # two events
