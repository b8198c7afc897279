"""Reading whole columns out of SQLite into numpy arrays, fast.

Fetching a million rows through the ``sqlite3`` module makes a Python tuple and a
Python number for every value: about 1.7 s for eight columns of a million events,
5.6 s when sorted by SQL.  Here each column comes out of *one* scan as one string,
``group_concat`` of its values, which numpy parses in C: 1.3 s for the same eight
columns, most of it inside SQLite, which lets go of the GIL meanwhile, so a loader
thread leaves the window responsive.  (Measured on the project's 2-core machine;
see :mod:`viewer.bench`.)

Exactness: positions are whole seconds, so they are read as integers (exact for any
value a position can take, up to 9.2e18).  A scan also counts the values that are not
whole; if there are any (a file written by another program), every column is read
again in one scan of its own, the floats printed with 17 significant digits, which
gives every double back exactly.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

__all__ = ["read_columns"]

#: How a column is read: ``(SQL expression, numpy type)``; a float column is checked.
ColumnSpec = tuple[str, type[np.generic]]


def _parse(text: str | None, dtype: type[np.generic], *, floats: bool = False) -> np.ndarray:
    """Numbers from a ``group_concat``: read as integers (four times quicker than
    floats, and exact: a whole double read back as an integer converts back to the
    same double) unless ``floats``."""
    if not text:
        return np.zeros(0, dtype=dtype)
    kind = np.float64 if floats else np.int64
    return np.fromstring(text, dtype=kind, sep=" ").astype(dtype, copy=False)


def read_columns(
    conn: sqlite3.Connection,
    columns: Mapping[str, ColumnSpec],
    table: str = "events",
    where: str = "",
    params: Sequence[Any] = (),
) -> dict[str, np.ndarray]:
    """The columns of every row of ``table`` (``where`` filters), in one scan.

    All columns come in the same row order (the table's scan order).  An expression
    must never be NULL (use ``coalesce``).
    """
    names = list(columns)
    clause = f" WHERE {where}" if where else ""

    def scan(exact: bool) -> tuple[Any, ...]:
        select: list[str] = []
        for name in names:
            expr, dtype = columns[name]
            if np.dtype(dtype).kind != "f":
                select.append(f"group_concat(({expr}), ' ')")
            elif exact:
                select.append(f"group_concat(printf('%!.17g', ({expr})), ' ')")
            else:
                select.append(f"group_concat(CAST(({expr}) AS INTEGER), ' ')")
        if fractions and not exact:
            # the largest part of a second any of them has, over every row (an
            # aggregate max of the row's own max)
            select.append(f"max(max({', '.join(fractions)}, 0))")
        sql = f"SELECT {', '.join(select)} FROM {table}{clause}"
        return tuple(conn.execute(sql, params).fetchone())

    floats = [n for n in names if np.dtype(columns[n][1]).kind == "f"]
    fractions = [f"abs(({columns[n][0]}) - CAST(({columns[n][0]}) AS INTEGER))" for n in floats]
    row = scan(False)
    if fractions and row[len(names)]:
        # not all whole seconds: every column again, from one scan of its own (the
        # order of two scans may differ: SQL may take one from an index), the floats
        # printed exactly
        row = scan(True)
        return {
            name: _parse(row[k], columns[name][1], floats=name in floats)
            for k, name in enumerate(names)
        }
    return {name: _parse(row[k], columns[name][1]) for k, name in enumerate(names)}
