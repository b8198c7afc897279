"""Errors raised by importers: they name the file and the place in it."""

from __future__ import annotations


class FormatError(ValueError):
    """A file that cannot be imported, with where and what is wrong.

    ``where`` is a line ("line 12"), a JSON path ("events[3].start_date.year") or a
    CSV row ("row 5, column 'Year'"); ``source`` is the file name when known.
    """

    def __init__(
        self, message: str, *, source: str | None = None, where: str | None = None
    ) -> None:
        self.message = message
        self.source = source
        self.where = where
        super().__init__(str(self))

    def __str__(self) -> str:
        place = ", ".join(p for p in (self.source, self.where) if p)
        return f"{place}: {self.message}" if place else self.message

    def with_source(self, source: str) -> FormatError:
        """The same error, naming ``source`` as the file."""
        return FormatError(self.message, source=source, where=self.where)
