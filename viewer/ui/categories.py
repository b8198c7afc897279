"""The open document's categories as the views show them: colours, names, counts."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import replace

from PySide6.QtGui import QColor

from viewer.model.colors import SINGLE_COLOR
from viewer.model.event import Category
from viewer.model.filters import Filters
from viewer.store import EventStore


class Categories:
    """The categories read at the last change, in the sidebar's order.

    The timeline, the list, the sidebar and a presentation key events by category
    id; this gives each of them what it takes, and keeps a filter that hides
    categories by name right when one is renamed.
    """

    def __init__(self) -> None:
        self._categories: list[Category] = []
        self._names: dict[int, str] = {}  # id → name at the last read

    def __iter__(self) -> Iterator[Category]:
        return iter(self._categories)

    def __len__(self) -> int:
        return len(self._categories)

    def forget(self) -> None:
        """Another document: its ids say nothing of the last one's names."""
        self._categories = []
        self._names = {}

    def read(self, store: EventStore | None, filters: Filters) -> Filters | None:
        """Read the categories from ``store``; ``filters`` with the hidden categories
        under their new names if one was renamed (else None).

        The filter names categories; a rename (or its undo) keeps the category's id,
        so the names it holds are translated through the ids seen at the last read
        and a hidden category stays hidden.
        """
        self._categories = store.categories() if store is not None else []
        before = self._names
        self._names = {c.id: c.name for c in self._categories if c.id is not None}
        renamed = {
            before[i]: name for i, name in self._names.items() if i in before and before[i] != name
        }
        if not filters.hidden_categories & renamed.keys():
            return None
        hidden = frozenset(renamed.get(n, n) for n in filters.hidden_categories)
        return replace(filters, hidden_categories=hidden)

    def color_list(self) -> list[QColor | None]:
        """The category colours by category id (the arrays' category keys)."""
        top = max((c.id for c in self._categories if c.id is not None), default=-1)
        colors: list[QColor | None] = [None] * (top + 1)
        for c in self._categories:
            if c.id is not None:
                colors[c.id] = QColor(c.color)
        return colors or [QColor(SINGLE_COLOR)]

    def uncategorised_color(self) -> QColor | None:
        """Events without a category: grey beside categorised ones; in a timeline
        with no categories at all, the one colour, not the grey that sets them apart."""
        return None if self._categories else QColor(SINGLE_COLOR)

    def names(self) -> dict[int, tuple[str, str]]:
        """Category key → ``(name, colour)``, for the event list."""
        return {c.id: (c.name, c.color) for c in self._categories if c.id is not None}

    def colors(self) -> dict[str, str]:
        """Category name → colour, in the sidebar's order."""
        return {c.name: c.color for c in self._categories}

    def counted(self, counts: Mapping[int, int]) -> list[tuple[Category, int]]:
        """Each category with its number of events (``counts`` by category key)."""
        return [(c, counts.get(c.id or 0, 0)) for c in self._categories]
