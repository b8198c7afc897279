"""Swimlanes: which band (a category's or a tag's) each shown event is drawn in.

A :class:`Grouping` is made for the (filtered) events a timeline shows and holds, for
each row of the arrays the timeline draws, the index of its band, bands in the order
they are drawn.  Grouping by category gives each event one band.  Grouping by tag
gives an event a band for each of its tags (and "No tag" when it has none), so the
arrays drawn have one row per copy (:attr:`Grouping.rows`): the copies share the
event's id, and selecting it highlights every one.

Everything here is numpy over the arrays' columns, no Qt and no Python object per
event: grouping a million events by category costs a few vectorised passes.  The lanes
within the bands are laid out by :class:`~viewer.ui.timeline.layout.LaneLayouts`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from viewer.store.columns import EventArrays

__all__ = [
    "GROUP_MODES",
    "NO_CATEGORY",
    "NO_TAG",
    "BandSpec",
    "GroupSettings",
    "Grouper",
    "Grouping",
    "TagPairs",
    "TagTable",
    "by_category",
    "by_tag",
    "ordered",
]

#: How a timeline can be grouped (``"none"``: one band of everything, no headers).
GROUP_MODES = ("none", "category", "tag")
#: The band names of events without a category or a tag (and the keys they are kept as).
NO_CATEGORY = "No category"
NO_TAG = "No tag"


@dataclass(frozen=True, slots=True)
class BandSpec:
    """One band: ``key`` is what it is kept as in the file (the category's or tag's
    name, ``""`` for the events without one), ``name`` what its header says, ``color``
    its colour key (a category key, ``-1`` neutral)."""

    key: str
    name: str
    color: int = -1
    collapsed: bool = False


#: ``(event ids, tag of each as an index into names, names)``: the tags events carry
#: (:meth:`~viewer.store.EventStore.tag_pairs`).
TagPairs = tuple[np.ndarray, np.ndarray, Sequence[str]]


@dataclass(frozen=True, slots=True)
class TagTable:
    """By tag: the band of each tag (by name) and of the events without one
    (``untagged``, ``-1``: no such band), and ``read``, which gives the tags that
    events (ids) carry now: so that an edit can find the bands of an event."""

    band_of: Mapping[str, int]
    untagged: int
    read: Callable[[np.ndarray], TagPairs]

    def bands_of(self, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
        """``(index into ids, band)`` of each copy of the events ``ids``: a copy per
        band of its tags (ascending), or in "No tag"; ``None`` when one needs a band
        that there is not (a new tag, or "No tag" when every event had one)."""
        pair_ids, pair_tags, names = self.read(ids)
        index = {int(i): k for k, i in enumerate(ids.tolist())}
        per: list[set[int]] = [set() for _ in range(len(ids))]
        for i, t in zip(pair_ids.tolist(), pair_tags.tolist(), strict=True):
            band = self.band_of.get(names[int(t)])
            k = index.get(int(i))
            if band is None or k is None:
                return None
            per[k].add(band)
        which: list[int] = []
        bands: list[int] = []
        for k, mine in enumerate(per):
            if not mine:
                if self.untagged < 0:
                    return None
                mine = {self.untagged}
            which.extend([k] * len(mine))
            bands.extend(sorted(mine))
        return np.array(which, dtype=np.int64), np.array(bands, dtype=np.int64)


@dataclass(eq=False)
class Grouping:
    """The band of every row of :attr:`arrays` (``group``: band index, in draw order).

    ``rows`` are the positions in the arrays given to :func:`by_tag` of each row drawn
    (ascending, repeated for an event in several bands), ``None`` when the rows are the
    given ones (a grouping by category).
    """

    mode: str
    bands: tuple[BandSpec, ...]
    group: np.ndarray  # int16 band index per row drawn
    arrays: EventArrays  # the rows drawn
    rows: np.ndarray | None = None
    counts: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    #: by category: ``(lowest key, band of each key from it)``, ``-1`` for a key
    #: no shown event has (so that an edit can find the band of a category)
    category_table: tuple[int, np.ndarray] | None = None
    #: by tag, when the tags of an edited event can be read (see :class:`TagTable`)
    tag_table: TagTable | None = None

    def __post_init__(self) -> None:
        if len(self.counts) != len(self.bands):
            self.counts = np.bincount(self.group, minlength=len(self.bands)).astype(np.int64)

    @property
    def has_copies(self) -> bool:
        """Whether an event may be drawn more than once (in several bands)."""
        return self.rows is not None

    def collapsed_mask(self) -> np.ndarray:
        return np.array([b.collapsed for b in self.bands], dtype=bool)

    def keys(self) -> list[str]:
        return [b.key for b in self.bands]


def ordered(keys: Iterable[str], order: Sequence[str]) -> list[str]:
    """``keys`` in the order kept (``order``), those it does not name after them in the
    order given."""
    keys = list(dict.fromkeys(keys))
    rank = {k: i for i, k in enumerate(order)}
    known = sorted((k for k in keys if k in rank), key=rank.__getitem__)
    return known + [k for k in keys if k not in rank]


def _group_dtype(n_bands: int) -> type[np.signedinteger]:
    return np.int16 if n_bands < 2**15 else np.int32


def by_category(
    arrays: EventArrays,
    names: Mapping[int, str],
    *,
    order: Sequence[str] = (),
    collapsed: Iterable[str] = (),
) -> Grouping:
    """A band per category among ``arrays`` (``names``: category key → name, in the
    catalog's order), then "No category"; ``order`` is the band order kept (keys),
    ``collapsed`` the keys of the collapsed bands."""
    # (the keys are small: counted, not sorted)
    lo = int(arrays.category.min()) if len(arrays) else 0
    per_key = np.bincount(arrays.category - lo) if len(arrays) else np.zeros(0, np.int64)
    keys_present = np.flatnonzero(per_key) + lo
    present = {int(k) for k in keys_present.tolist()}
    by_name: dict[str, int] = {}
    for key, name in names.items():
        if key in present:
            by_name[name] = key
    catalog = list(by_name)
    if present - set(by_name.values()):  # none, or a key with no name: one band
        catalog.append("")
    shut = set(collapsed)
    keys = ordered(catalog, order)
    bands = tuple(BandSpec(k, k or NO_CATEGORY, by_name.get(k, -1), k in shut) for k in keys)
    # category key → band index through a lookup table over the keys present
    hi = int(keys_present.max()) if len(keys_present) else 0
    dtype = _group_dtype(len(bands))
    table = np.full(hi - lo + 1, -1, dtype=dtype)
    if "" in keys:  # the keys with no name
        table[keys_present - lo] = keys.index("")
    for b, spec in enumerate(bands):
        if spec.key:
            table[by_name[spec.key] - lo] = b
    group = table[arrays.category - lo] if len(arrays) else np.zeros(0, dtype)
    counts = np.bincount(
        table[keys_present - lo], weights=per_key[keys_present - lo], minlength=len(bands)
    ).astype(np.int64)
    return Grouping("category", bands, group, arrays, counts=counts, category_table=(lo, table))


def by_tag(
    arrays: EventArrays,
    pairs: TagPairs,
    *,
    order: Sequence[str] = (),
    collapsed: Iterable[str] = (),
    tags_of: Callable[[np.ndarray], TagPairs] | None = None,
) -> Grouping:
    """A band per tag carried by the events of ``arrays``, then "No tag"; ``pairs``
    are every ``(event id, tag index into names)`` and the tag names
    (:meth:`~viewer.store.EventStore.tag_pairs`).  An event with several tags is drawn
    in each of their bands.  ``tags_of`` reads the pairs of some events (ids) as they
    are now: with it an edit can be followed in the bands (:class:`TagTable`)."""
    pair_ids, pair_tags, names = pairs
    pos = arrays.indices_of(pair_ids) if len(pair_ids) else np.zeros(0, dtype=np.int64)
    here = pos >= 0
    pos, tag = pos[here], np.asarray(pair_tags)[here]
    tagged = np.zeros(len(arrays), dtype=bool)
    tagged[pos] = True
    untagged = np.flatnonzero(~tagged)
    used = np.unique(tag) if len(tag) else np.zeros(0, dtype=np.int32)
    catalog = [names[int(t)] for t in used.tolist()]
    if len(untagged):
        catalog.append("")
    shut = set(collapsed)
    keys = ordered(catalog, order)
    band_of = {k: b for b, k in enumerate(keys)}
    table = np.zeros(len(names) + 1, dtype=np.int64)
    for t in used.tolist():
        table[t] = band_of[names[int(t)]]
    rows = np.concatenate([pos, untagged]).astype(np.int64)
    group = np.concatenate([table[tag], np.full(len(untagged), band_of.get("", 0), dtype=np.int64)])
    srt = np.lexsort((group, rows))  # rows ascending (the arrays' time order), bands within
    rows, group = rows[srt], group[srt]
    bands = tuple(BandSpec(k, k or NO_TAG, -1, k in shut) for k in keys)
    dtype = _group_dtype(len(bands))
    drawn = arrays.repeat(rows) if len(rows) != len(arrays) else arrays
    tags = None if tags_of is None else TagTable(band_of, band_of.get("", -1), tags_of)
    copies = rows if drawn is not arrays else None
    return Grouping("tag", bands, group.astype(dtype), drawn, copies, tag_table=tags)


@dataclass
class GroupSettings:
    """How a file's events are grouped, as kept in the file (its view settings'
    ``"groups"``): the mode, and per mode the bands' order and the collapsed ones."""

    mode: str = "none"
    order: dict[str, list[str]] = field(default_factory=dict)
    collapsed: dict[str, set[str]] = field(default_factory=dict)

    @classmethod
    def from_json(cls, value: object) -> GroupSettings:
        """Settings from what the file keeps; anything unreadable is left out."""
        out = cls()
        if not isinstance(value, dict):
            return out
        mode = value.get("mode")
        out.mode = mode if mode in GROUP_MODES else "none"
        bands = value.get("bands")
        if isinstance(bands, dict):
            for m, spec in bands.items():
                if m not in GROUP_MODES or not isinstance(spec, dict):
                    continue
                order, shut = spec.get("order", []), spec.get("collapsed", [])
                if isinstance(order, list) and order:
                    out.order[m] = [k for k in order if isinstance(k, str)]
                if isinstance(shut, list) and shut:
                    out.collapsed[m] = {k for k in shut if isinstance(k, str)}
        return out

    def to_json(self) -> dict[str, object]:
        modes = sorted(set(self.order) | set(self.collapsed))
        return {
            "mode": self.mode,
            "bands": {
                m: {
                    "order": list(self.order.get(m, [])),
                    "collapsed": sorted(self.collapsed.get(m, set())),
                }
                for m in modes
            },
        }

    def group(
        self,
        arrays: EventArrays,
        names: Mapping[int, str],
        pairs: Callable[[], TagPairs],
        tags_of: Callable[[np.ndarray], TagPairs] | None = None,
    ) -> Grouping | None:
        """``arrays`` in the bands of these settings (``None``: not grouped);
        ``names`` are the category names by key, ``pairs`` reads the events' tags and
        ``tags_of`` those of some events (see :func:`by_tag`)."""
        mode = self.mode
        order = self.order.get(mode, [])
        shut = self.collapsed.get(mode, set())
        if mode == "category":
            return by_category(arrays, names, order=order, collapsed=shut)
        if mode == "tag":
            return by_tag(arrays, pairs(), order=order, collapsed=shut, tags_of=tags_of)
        return None

    def toggle(self, key: str) -> bool:
        """Collapse band ``key`` of the current mode, or expand it; whether it is now
        collapsed."""
        shut = self.collapsed.setdefault(self.mode, set())
        if key in shut:
            shut.discard(key)
            return False
        shut.add(key)
        return True

    def move(self, keys: Sequence[str], key: str, index: int) -> None:
        """Put band ``key`` at ``index`` among the bands ``keys`` (in their order now)."""
        rest = [k for k in keys if k != key]
        index = max(0, min(index, len(rest)))
        self.order[self.mode] = [*rest[:index], key, *rest[index:]]


#: What puts events in swimlanes: the events shown → their bands (``None``: no bands).
Grouper = Callable[[EventArrays], Grouping | None]
