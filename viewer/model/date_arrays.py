"""Partial dates a column at a time (numpy): positions, checks and ISO text.

The same calendar as :class:`~viewer.model.dates.PartialDate`, for readers and
generators that handle many dates at once (an import of a million rows makes no
date object).  A date is six integer arrays, ``year`` to ``second``, where ``-1``
marks a field the source did not give: the precision is that of the last field
given, so "July 2000" is ``(2000, 7, -1, -1, -1, -1)`` and nothing is invented.

:func:`check` says which rows are valid dates at all; rows it refuses are for the
caller to hand to :class:`PartialDate` one by one, which says what is wrong.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from viewer.model.dates import CALENDAR_YEAR_LIMIT, DEEP_TIME_LIMIT, SECONDS_PER_DAY, Precision

__all__ = [
    "DateColumns",
    "civil_from_days",
    "days_from_civil",
    "days_in_month",
]

_UNIT = np.array([0, 0, SECONDS_PER_DAY, 3600, 60, 1], dtype=np.int64)  # by precision
_TWO = [f"{i:02d}" for i in range(100)]


def days_from_civil(year: np.ndarray, month: np.ndarray, day: np.ndarray) -> np.ndarray:
    """Days from 1970-01-01 (proleptic Gregorian), element-wise; see the scalar one."""
    year = np.asarray(year, dtype=np.int64)
    month = np.asarray(month, dtype=np.int64)
    day = np.asarray(day, dtype=np.int64)
    y = year - (month <= 2)
    era = y // 400
    yoe = y - era * 400
    mp = (month + 9) % 12
    doy = (153 * mp + 2) // 5 + day - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146_097 + doe - 719_468


def civil_from_days(days: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Inverse of :func:`days_from_civil`: ``(year, month, day)`` arrays."""
    z = np.asarray(days, dtype=np.int64) + 719_468
    era = z // 146_097
    doe = z - era * 146_097
    yoe = (doe - doe // 1460 + doe // 36_524 - doe // 146_096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    day = doy - (153 * mp + 2) // 5 + 1
    month = np.where(mp < 10, mp + 3, mp - 9)
    return yoe + era * 400 + (month <= 2), month, day


def days_in_month(year: np.ndarray, month: np.ndarray) -> np.ndarray:
    """How many days each month has (element-wise)."""
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    table = np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], dtype=np.int64)
    m = np.clip(month, 1, 12) - 1
    return table[m] + ((m == 1) & leap)


@dataclass(frozen=True, slots=True)
class DateColumns:
    """Many partial dates: six ``int64`` arrays, ``-1`` where a field is not given."""

    year: np.ndarray
    month: np.ndarray
    day: np.ndarray
    hour: np.ndarray
    minute: np.ndarray
    second: np.ndarray

    @classmethod
    def of(cls, *fields: np.ndarray) -> DateColumns:
        """From ``year`` and any further fields (missing ones: not given)."""
        arrays = [np.asarray(f, dtype=np.int64) for f in fields]
        n = len(arrays[0])
        arrays += [np.full(n, -1, dtype=np.int64)] * (6 - len(arrays))
        return cls(*arrays)

    def __len__(self) -> int:
        return len(self.year)

    def fields(self) -> tuple[np.ndarray, ...]:
        return (self.year, self.month, self.day, self.hour, self.minute, self.second)

    @property
    def precision(self) -> np.ndarray:
        """The precision of each date (``int8``, :class:`Precision` values)."""
        given = np.stack([f >= 0 for f in self.fields()[1:]], axis=1)
        return given.sum(axis=1).astype(np.int8)

    def check(self) -> np.ndarray:
        """Which rows are valid dates: fields in range, none finer than a missing one,
        a month or day only within the calendar's years."""
        y, mo, d, h, mi, s = self.fields()
        ok = np.abs(y) <= DEEP_TIME_LIMIT
        # no finer field without the coarser ones
        ok &= ~((mo < 0) & (d >= 0)) & ~((d < 0) & (h >= 0))
        ok &= ~((h < 0) & (mi >= 0)) & ~((mi < 0) & (s >= 0))
        ok &= (mo < 0) | ((mo >= 1) & (mo <= 12) & (np.abs(y) <= CALENDAR_YEAR_LIMIT))
        ok &= (d < 0) | ((d >= 1) & (d <= days_in_month(y, mo)))
        ok &= (h < 0) | (h <= 23)
        ok &= (mi < 0) | (mi <= 59)
        ok &= (s < 0) | (s <= 59)
        return ok

    def begin(self) -> np.ndarray:
        """Where each date's period starts (axis seconds, as ``float64``)."""
        y, mo, d, h, mi, s = self.fields()
        days = days_from_civil(y, np.where(mo < 0, 1, mo), np.where(d < 0, 1, d))
        seconds = np.maximum(h, 0) * 3600 + np.maximum(mi, 0) * 60 + np.maximum(s, 0)
        return (days * SECONDS_PER_DAY + seconds).astype(np.float64)

    def finish(self) -> np.ndarray:
        """Where each date's period ends (exclusive), as ``PartialDate.finish``."""
        y, mo = self.year, self.month
        p = self.precision
        next_year = days_from_civil(y + 1, np.ones_like(y), np.ones_like(y)) * SECONDS_PER_DAY
        index = y * 12 + np.maximum(mo, 1)  # the next month, counted from year 0
        next_month = days_from_civil(index // 12, index % 12 + 1, np.ones_like(y)) * SECONDS_PER_DAY
        begin = self.begin()
        out = begin + _UNIT[p]
        out = np.where(p == Precision.MONTH, next_month, out)
        out = np.where(p == Precision.YEAR, next_year, out)
        return out.astype(np.float64)

    def iso(self) -> list[str]:
        """Each date as ``PartialDate.iso`` writes it ("2000-07", "-0043-03-15")."""
        out: list[str] = []
        append = out.append
        years: dict[int, str] = {}
        two = _TWO
        for y, mo, d, h, mi, s in zip(*(f.tolist() for f in self.fields()), strict=True):
            text = years.get(y)
            if text is None:
                text = years[y] = f"-{-y:04d}" if y < 0 else f"{y:04d}"
            if mo < 0:
                append(text)
            elif d < 0:
                append(f"{text}-{two[mo]}")
            elif h < 0:
                append(f"{text}-{two[mo]}-{two[d]}")
            elif mi < 0:
                append(f"{text}-{two[mo]}-{two[d]}T{two[h]}")
            elif s < 0:
                append(f"{text}-{two[mo]}-{two[d]}T{two[h]}:{two[mi]}")
            else:
                append(f"{text}-{two[mo]}-{two[d]}T{two[h]}:{two[mi]}:{two[s]}")
        return out

    def take(self, rows: np.ndarray) -> DateColumns:
        return DateColumns(*(f[rows] for f in self.fields()))
