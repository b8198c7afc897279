"""Dates a column at a time agree with PartialDate, date by date."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from viewer.generate import _shifted, synthetic_batches
from viewer.model.date_arrays import DateColumns, civil_from_days, days_from_civil
from viewer.model.dates import DateError, PartialDate
from viewer.model.dates import civil_from_days as civil_one
from viewer.model.dates import days_from_civil as days_one

_FIELDS = st.tuples(
    st.one_of(st.integers(-3000, 3000), st.integers(-(10**11), 10**11)),
    st.integers(-1, 13),
    st.integers(-1, 32),
    st.integers(-1, 24),
    st.integers(-1, 60),
    st.integers(-1, 60),
)


def _date(fields: tuple[int, ...]) -> PartialDate | None:
    """The PartialDate of these fields (-1: not given), or None if there is none."""
    given = []
    for k, value in enumerate(fields):
        if value < 0 and k > 0:
            if any(v >= 0 for v in fields[k + 1 :]):
                return None  # a finer field without this one
            break
        given.append(value)
    try:
        return PartialDate(*given)
    except DateError:
        return None


@settings(max_examples=500, deadline=None)
@given(st.lists(_FIELDS, min_size=1, max_size=30))
def test_columns_agree_with_partial_dates(rows) -> None:
    cols = DateColumns.of(*(np.array(c, dtype=np.int64) for c in zip(*rows, strict=True)))
    ok = cols.check()
    dates = [_date(r) for r in rows]
    assert ok.tolist() == [d is not None for d in dates]
    good = np.flatnonzero(ok)
    valid = cols.take(good)
    expected = [d for d in dates if d is not None]
    assert valid.begin().tolist() == [d.begin() for d in expected]
    assert valid.finish().tolist() == [d.finish() for d in expected]
    assert valid.precision.tolist() == [int(d.precision) for d in expected]
    assert valid.iso() == [d.iso() for d in expected]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(-(10**8), 10**8), min_size=1, max_size=50))
def test_days_round_trip_like_the_scalar_functions(days) -> None:
    y, m, d = civil_from_days(np.array(days))
    assert list(zip(y.tolist(), m.tolist(), d.tolist(), strict=True)) == [
        civil_one(x) for x in days
    ]
    assert days_from_civil(y, m, d).tolist() == [days_one(*civil_one(x)) for x in days]


def test_generated_ranges_shift_as_partial_dates_do() -> None:
    for batch in synthetic_batches(3000, seed=4, size=1000):
        for start, end in zip(batch.start, batch.end, strict=True):
            a = PartialDate.from_iso(start)
            if end is not None:
                b = PartialDate.from_iso(end)
                assert b.precision == a.precision
                assert b > a
        assert batch.start_pos == [PartialDate.from_iso(s).begin() for s in batch.start]


@given(st.sampled_from([0, 1, 2, 4]), st.integers(1, 2000), st.integers(1850, 2025))
def test_shifted_is_partial_date_shifted(precision, units, year) -> None:
    start = PartialDate(year, 2, 28, 23, 59).with_precision(precision)
    fields = [year, 2, 28, 23, 59, -1]
    for k in range(precision + 1, 5):
        fields[k] = -1
    cols = DateColumns.of(*(np.array([f]) for f in fields))
    moved = _shifted(cols, np.array([precision]), np.array([units]))
    assert moved.iso() == [start.shifted(units).iso()]
