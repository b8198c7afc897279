"""Which character separates the cells of a CSV file: comma, semicolon, tab or pipe.

A spreadsheet saves "CSV" with the list separator of its locale: a comma in English,
a semicolon in most of Europe (where the comma is the decimal mark), and "Unicode
text" is tab-separated.  ``csv.Sniffer`` is not used: it guesses from how often each
character appears per line, so a description full of commas inside quotes makes a
semicolon file look comma-separated, and it raises on files it cannot decide.

Instead each candidate is tried the way the file will be read: the first rows are
parsed with ``csv.reader`` and that delimiter, which counts delimiters only outside
quotes (and follows a quoted cell over line breaks).  The candidates are ranked by

1. how many header cells are names the caller knows (a TimelineJS sheet's ``Year``,
   ``Headline`` …: column names hold no separators, so only the right delimiter splits
   the header into them);
2. whether the header splits at all;
3. how many of the rows after it have the header's number of cells (a wrong
   delimiter gives counts that vary from row to row);
4. the number of header cells;

and a tie goes to the comma, the default.
"""

from __future__ import annotations

import csv
import io
import itertools
from collections.abc import Callable

__all__ = ["DELIMITERS", "delimiter_name", "sniff_delimiter"]

#: The delimiters recognised, in the order a tie is decided, and their names.
DELIMITERS = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}
#: Rows after the header looked at for consistency.
_ROWS = 20


def delimiter_name(delimiter: str) -> str:
    """``"semicolon-separated"`` and the like, for people."""
    return f"{DELIMITERS.get(delimiter, repr(delimiter))}-separated"


def _records(text: str, delimiter: str, whole: bool) -> list[list[str]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    records: list[list[str]] = []
    try:
        records.extend(itertools.islice(reader, _ROWS + 1))
    except csv.Error:  # broken quoting: judge by the rows before it
        whole = False
    if not whole and len(records) > 1 and len(records) <= _ROWS:
        records.pop()  # the last one may be cut where the text ends
    return records


def sniff_delimiter(
    text: str, known: Callable[[str], bool] | None = None, *, whole: bool = True
) -> str:
    """The delimiter of CSV ``text`` (the start of a file, if not ``whole``); ``known``
    tells a header cell that is an expected column name.  Never raises."""
    best = ","
    best_score: tuple[int, ...] = (-1,)
    for delimiter in DELIMITERS:
        records = _records(text, delimiter, whole)
        header = records[0] if records else []
        width = len(header)
        names = sum(1 for cell in header if known(cell)) if known else 0
        body = [r for r in records[1:] if r]
        steady = sum(1 for r in body if len(r) == width)
        score = (names, int(width > 1), steady, width)
        if score > best_score:
            best, best_score = delimiter, score
    return best
