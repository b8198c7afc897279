"""What the filter sidebar asks of the store: a plain value, compared by equality."""

from __future__ import annotations

from dataclasses import dataclass, field

from viewer.model.dates import PartialDate


@dataclass(frozen=True, slots=True)
class Filters:
    """A filter over events; the default filter lets every event through.

    ``hidden_categories`` holds category names whose events are hidden (``""`` hides
    events without a category), so a category created later is shown by default.
    ``tags`` keeps events carrying *any* of the given tags (empty: no tag filter).
    ``date_from``/``date_to`` keep events overlapping that span (either may be open).
    """

    text: str = ""
    hidden_categories: frozenset[str] = field(default_factory=frozenset)
    tags: frozenset[str] = field(default_factory=frozenset)
    date_from: PartialDate | None = None
    date_to: PartialDate | None = None

    @property
    def is_empty(self) -> bool:
        return self == Filters()
