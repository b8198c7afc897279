"""TimelineData, the one pipeline every view reads, held to the store it follows.

Whatever happens to the store (edits of every kind, imports, undo), what the pipeline
holds must be what reading the store afresh gives: ``all`` the columns of
``store.load_arrays()``, ``shown`` the events of ``store.filtered_ids(filters)`` (the
SQL reference), the counts those of a fresh count, and what the arrays derived (the
running reach, the lane order, the lookup by id) what they would derive anew.  The
``patched`` signal must say where the rows of ``shown`` went, since every view patches
its own state by it.
"""

from __future__ import annotations

import random
import shutil
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

import viewer.ui.data as data_module
from viewer.model.dates import PartialDate
from viewer.model.event import Event, Timeline
from viewer.model.filters import Filters
from viewer.store import EventArrays, EventStore
from viewer.store.columns import COLUMN_DTYPES, Patch, running_max
from viewer.ui.data import TimelineData

CATEGORIES = ("Politics", "Science", "Sport")
TAGS = ("alpha", "beta", "gamma", "delta")
WORDS = ("summit", "treaty", "launch", "vote", "storm", "match", "Ωμέγα", "naïve", "café")


# -- making events and stores ---------------------------------------------------------


def random_date(rng: random.Random) -> PartialDate:
    year = rng.choice([rng.randint(-600, 2030), rng.randint(1990, 2000)])
    kind = rng.random()
    if kind < 0.2:
        return PartialDate(year)
    month = rng.randint(1, 12)
    if kind < 0.4:
        return PartialDate(year, month)
    day = rng.randint(1, 28)
    if kind < 0.9:
        return PartialDate(year, month, day)
    return PartialDate(year, month, day, rng.randint(0, 23), rng.randint(0, 59))


def random_event(rng: random.Random, n: int = 0) -> Event:
    start = random_date(rng)
    end = None
    if rng.random() < 0.3:
        other = random_date(rng)
        start, end = sorted((start, other), key=lambda d: (d.begin(), d.finish()))
        if end.finish() < start.finish():
            end = None
    words = rng.sample(WORDS, rng.randint(1, 3))
    return Event(
        title=f"{' '.join(words).capitalize()} {n}",
        start=start,
        end=end,
        description=rng.choice(["", f"About the {rng.choice(WORDS)}.", "Plain text"]),
        category=rng.choice([None, *CATEGORIES]),
        tags=tuple(rng.sample(TAGS, rng.randint(0, 2))),
    )


def add_all(store: EventStore, events: list[Event]) -> list[int]:
    """Add events in one transaction (one change for the pipeline); their ids."""
    with store.atomic():
        return [store.add_event(e) for e in events]


def make_store(path: Path, n: int = 120, seed: int = 7) -> EventStore:
    rng = random.Random(seed)
    store = EventStore.open(path)
    store.set_meta(title="Pipeline test")
    add_all(store, [random_event(rng, i) for i in range(n)])
    # a few ties on dates, which the sort breaks by finish and then id
    same = PartialDate(1995, 5, 5)
    add_all(store, [Event(f"Tie {k}", same, category="Sport", tags=("alpha",)) for k in range(4)])
    return store


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store made once (made anew for each test it is slow: SQLite syncs the disk)."""
    path = tmp_path_factory.mktemp("template") / "pipeline.db"
    make_store(path).close()
    assert not Path(f"{path}-wal").exists()
    return path


@pytest.fixture
def store(tmp_path: Path, template: Path) -> Iterator[EventStore]:
    path = tmp_path / "pipeline.db"
    shutil.copyfile(template, path)
    s = EventStore.open(path)
    yield s
    s.close()


@pytest.fixture
def data(qtbot, store: EventStore) -> Iterator[TimelineData]:
    d = TimelineData()
    store.subscribe(d.apply)
    d.open(store)
    touch(d)
    yield d
    store.unsubscribe(d.apply)
    d.close()


# -- what is compared -------------------------------------------------------------------


def touch(data: TimelineData) -> None:
    """Make what the views derive from the arrays (so that edits patch them too)."""
    for arrays in (data.all, data.shown):
        _ = arrays.reach, arrays.lane_begin, arrays.lane_finish
        arrays.index_of(0)


def assert_same_columns(got: EventArrays, want: EventArrays) -> None:
    for name in COLUMN_DTYPES:
        g, w = getattr(got, name), getattr(want, name)
        assert g.dtype == w.dtype, name
        assert np.array_equal(g, w), f"column {name} differs"
    assert list(got.titles) == list(want.titles)
    assert list(got.dates) == list(want.dates)


def assert_derived_consistent(arrays: EventArrays) -> None:
    """What the arrays derived (and patched in place) is what they would derive anew."""
    assert np.array_equal(arrays.reach, running_max(arrays.finish))
    order = arrays.lane_order
    assert np.array_equal(order, np.argsort(arrays.lane, kind="stable"))
    assert np.array_equal(arrays.lane_begin, arrays.begin[order])
    assert np.array_equal(arrays.lane_finish, arrays.finish[order])
    sorted_ids, pos = arrays.sorted_ids()
    assert np.array_equal(sorted_ids, np.sort(arrays.ids))
    assert np.array_equal(arrays.ids[pos], sorted_ids)
    assert np.array_equal(arrays.indices_of(arrays.ids), np.arange(len(arrays)))
    # sorted by begin, then finish, then id
    keys = list(
        zip(arrays.begin.tolist(), arrays.finish.tolist(), arrays.ids.tolist(), strict=True)
    )
    assert keys == sorted(keys)


def fresh_category_counts(store: EventStore) -> dict[int, int]:
    return {-1 if k is None else k: n for k, n in store.category_keys_counted()}


def fresh_tag_counts(store: EventStore) -> list[tuple[str, int]]:
    """The tags the sidebar lists, counted from the events themselves."""
    counts = Counter(tag for event in store.iter_events() for tag in event.tags)
    return sorted(counts.items(), key=lambda item: item[0].lower())


def assert_matches_store(data: TimelineData, store: EventStore) -> None:
    fresh = store.load_arrays()
    assert_same_columns(data.all, fresh)
    assert data.total == store.count() == len(fresh)
    want = store.filtered_ids(data.filters)
    assert data.shown.ids.tolist() == want
    if data.filters.is_empty:
        assert data.shown is data.all
    else:
        keep = np.isin(fresh.ids, np.asarray(want, dtype=np.int64))
        assert_same_columns(data.shown, fresh.where(keep))
    for arrays in (data.all, data.shown):
        assert_derived_consistent(arrays)
    assert data.category_counts() == fresh_category_counts(store)
    assert store.tag_counts() == fresh_tag_counts(store)


def check_patch(before: np.ndarray, after: np.ndarray, patch: Patch) -> None:
    """``patch`` says where the rows of ``before`` went in ``after``."""
    kept = np.setdiff1d(np.arange(len(before)), patch.removed)
    assert len(after) == len(before) - len(patch.removed) + len(patch.inserted)
    assert np.array_equal(after[patch.new_position(kept)], before[kept])
    inserted_ids = set(after[patch.inserted].tolist())
    removed_ids = set(before[patch.removed].tolist())
    assert inserted_ids | removed_ids <= set(patch.ids.tolist())
    # every row is either kept (and found at its new place) or inserted
    assert sorted(np.concatenate([patch.new_position(kept), patch.inserted]).tolist()) == list(
        range(len(after))
    )


class Recorder:
    """What the pipeline emitted."""

    def __init__(self, data: TimelineData) -> None:
        self.patches: list[Patch] = []
        self.resets = 0
        self.filtered = 0
        self.shown_changed = 0
        self.counts = 0
        data.patched.connect(self.patches.append)
        data.reset.connect(self._reset)
        data.filtered.connect(self._filtered)
        data.shownChanged.connect(self._shown)
        data.countsChanged.connect(self._counts)

    def _reset(self) -> None:
        self.resets += 1

    def _filtered(self) -> None:
        self.filtered += 1

    def _shown(self) -> None:
        self.shown_changed += 1

    def _counts(self) -> None:
        self.counts += 1

    def clear(self) -> None:
        self.patches.clear()
        self.resets = self.filtered = self.shown_changed = self.counts = 0


# -- edits ------------------------------------------------------------------------------


def random_edit(store: EventStore, rng: random.Random, serial: list[int]) -> str:
    """One commit of some kind; what it was (for the failure message)."""
    ids = store.filtered_ids(Filters())
    serial[0] += 1
    n = 1000 + serial[0]
    kind = rng.choice(
        [
            "add",
            "update-date",
            "update-date",
            "update-text",
            "update-category",
            "update-tags",
            "delete",
            "add-many",
            "delete-many",
            "set-categories",
            "mixed",
            "import",
        ]
    )
    if not ids:
        kind = "add"
    if kind == "add":
        store.add_event(random_event(rng, n))
    elif kind.startswith("update"):
        old = store.get_event(rng.choice(ids))
        assert old is not None
        fresh = random_event(rng, n)
        changes = {
            "update-date": {"start": fresh.start, "end": fresh.end},
            "update-text": {"title": fresh.title, "description": fresh.description},
            "update-category": {"category": fresh.category},
            "update-tags": {"tags": fresh.tags},
        }[kind]
        store.update_event(old.evolve(**changes))
    elif kind == "delete":
        store.delete_events([rng.choice(ids)])
    elif kind == "add-many":
        add_all(store, [random_event(rng, n * 10 + k) for k in range(rng.randint(2, 6))])
    elif kind == "delete-many":
        store.delete_events(rng.sample(ids, min(len(ids), rng.randint(2, 5))))
    elif kind == "set-categories":
        store.set_event_categories(
            rng.sample(ids, min(len(ids), 4)), rng.choice([None, *CATEGORIES])
        )
    elif kind == "mixed":  # one commit that adds, changes and removes
        with store.atomic():
            a, b = rng.sample(ids, 2) if len(ids) > 1 else (ids[0], ids[0])
            old = store.get_event(a)
            assert old is not None
            store.update_event(old.evolve(start=random_date(rng), end=None))
            store.add_event(random_event(rng, n))
            if b != a:
                store.delete_events([b])
    else:
        events = [random_event(rng, n * 10 + k) for k in range(rng.randint(1, 5))]
        store.import_timeline(Timeline(events=events))
    return kind


FILTERS = [
    pytest.param(Filters(), id="none"),
    pytest.param(Filters(hidden_categories=frozenset({"Politics"})), id="hide-one"),
    pytest.param(Filters(hidden_categories=frozenset({""})), id="hide-uncategorised"),
    pytest.param(Filters(hidden_categories=frozenset({"Sport", "", "Nope"})), id="hide-several"),
    pytest.param(Filters(tags=frozenset({"alpha"})), id="tag"),
    pytest.param(Filters(tags=frozenset({"beta", "delta"})), id="tags-any"),
    pytest.param(Filters(tags=frozenset({"no-such-tag"})), id="tag-unknown"),
    pytest.param(Filters(date_from=PartialDate(1990)), id="from"),
    pytest.param(Filters(date_to=PartialDate(-1)), id="to-bce"),
    pytest.param(
        Filters(date_from=PartialDate(1995, 5), date_to=PartialDate(1995, 5, 5)), id="range"
    ),
    pytest.param(Filters(text="summit"), id="text"),
    pytest.param(Filters(text="tre"), id="text-prefix"),
    pytest.param(Filters(text="cafe"), id="text-diacritics"),
    pytest.param(Filters(text='"vote" OR -x*'), id="text-operators"),
    pytest.param(Filters(text="zzzz"), id="text-nothing"),
    pytest.param(
        Filters(
            text="storm",
            hidden_categories=frozenset({"Science"}),
            tags=frozenset({"alpha", "gamma"}),
            date_from=PartialDate(-300),
        ),
        id="everything",
    ),
]


# -- opening ----------------------------------------------------------------------------


def test_opening_delivers_every_event(data: TimelineData, store: EventStore) -> None:
    assert data.ready and not data.loading and data.preview is None
    assert_matches_store(data, store)
    assert data.category_counts() == fresh_category_counts(store)


def test_opening_progressively_delivers_every_event_after_a_preview(
    qtbot, store: EventStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(data_module, "PROGRESSIVE_LIMIT", 10)
    monkeypatch.setattr(data_module, "PREVIEW_LANES", 2)
    d = TimelineData()
    loading: list[bool] = []
    d.loadingChanged.connect(loading.append)
    try:
        with qtbot.waitSignal(d.loadingChanged, timeout=5000, check_params_cb=lambda v: not v):
            d.open(store)
            # the first frame: the first lanes only, but the whole file's span and counts
            assert d.loading and not d.ready
            assert d.preview is not None
            assert 0 < len(d.all) < store.count()
            assert set(d.all.lane.tolist()) <= {0, 1}
            assert d.preview.span == store.span()
            assert d.category_counts() == fresh_category_counts(store)
        assert loading == [True, False]
        assert d.ready and d.preview is None
        assert_matches_store(d, store)
    finally:
        d.close()


def test_opening_another_store_and_none(qtbot, tmp_path: Path, data: TimelineData) -> None:
    other = EventStore.open(":memory:")
    add_all(other, [random_event(random.Random(k), k) for k in range(30)])
    try:
        data.open(other)
        assert_matches_store(data, other)
        data.open(None)
        assert len(data.all) == 0 and len(data.shown) == 0 and data.total == 0
    finally:
        other.close()


# -- patches ---------------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(4))
def test_edits_patch_the_arrays_as_a_fresh_read_would(
    data: TimelineData, store: EventStore, seed: int
) -> None:
    rng = random.Random(seed)
    seen = Recorder(data)
    serial = [0]
    for step in range(30):
        before = data.shown.ids.copy()
        seen.clear()
        kind = random_edit(store, rng, serial)
        note = f"step {step}: {kind}"
        assert seen.counts >= 1, note
        if seen.resets:  # a change the store could not list: everything read again
            assert not seen.patches, note
        else:
            assert len(seen.patches) == 1, note
            check_patch(before, data.shown.ids, seen.patches[0])
        assert_matches_store(data, store)
        touch(data)


def test_one_edit_moves_its_row_in_place(data: TimelineData, store: EventStore) -> None:
    a = data.all
    first, last = int(a.ids[0]), int(a.ids[-1])
    event = store.get_event(first)
    assert event is not None
    seen = Recorder(data)
    store.update_event(event.evolve(start=PartialDate(2999), end=None, title="Moved"))
    assert data.all is a  # the same arrays, changed in place
    assert int(a.ids[-1]) == first and int(a.ids[-2]) == last
    (patch,) = seen.patches
    assert patch.removed.tolist() == [0] and patch.inserted.tolist() == [len(a) - 1]
    assert_matches_store(data, store)
    assert data.all.titles[len(a) - 1] == "Moved"  # the cached text was dropped


def test_a_change_of_everything_reads_everything_again(
    data: TimelineData, store: EventStore
) -> None:
    seen = Recorder(data)
    events = [random_event(random.Random(k), k) for k in range(250)]
    result = store.import_timeline(Timeline(events=events))  # > PLACE_LIMIT: lanes repacked
    assert seen.resets == 1 and not seen.patches
    assert_matches_store(data, store)
    seen.clear()
    store.undo_import(result)
    assert_matches_store(data, store)


def test_undo_and_redo_of_an_import(data: TimelineData, store: EventStore) -> None:
    data.set_filters(Filters(tags=frozenset({"gamma"})))
    events = [random_event(random.Random(k), k) for k in range(8)]
    result = store.import_timeline(Timeline(events=events))
    assert_matches_store(data, store)
    meta = store.meta_with_extra()
    undone = store.undo_import(result)
    assert_matches_store(data, store)
    store.redo_import(undone, meta)
    assert_matches_store(data, store)


def test_changes_that_are_not_events_leave_the_arrays(
    data: TimelineData, store: EventStore
) -> None:
    a = data.all
    seen = Recorder(data)
    categories: list[int] = []
    data.categoriesChanged.connect(lambda: categories.append(1))
    store.set_meta(title="Renamed")
    store.add_category("Brand new")
    store.update_category("Brand new", color="#123456")
    assert data.all is a and not seen.patches and not seen.resets
    assert len(categories) == 2
    assert_matches_store(data, store)


def test_deleting_a_category_moves_its_events(data: TimelineData, store: EventStore) -> None:
    data.set_filters(Filters(hidden_categories=frozenset({"Science"})))
    store.delete_category("Politics", reassign_to="Science")
    assert_matches_store(data, store)
    store.delete_category("Science")
    assert_matches_store(data, store)


# -- filters ----------------------------------------------------------------------------


@pytest.mark.parametrize("filters", FILTERS)
def test_a_filter_shows_what_sql_finds(
    data: TimelineData, store: EventStore, filters: Filters
) -> None:
    seen = Recorder(data)
    data.set_filters(filters)
    assert data.filters == filters
    assert seen.filtered == (0 if filters.is_empty else 1)
    assert_matches_store(data, store)
    data.set_filters(Filters())
    assert data.shown is data.all
    assert_matches_store(data, store)


@pytest.mark.parametrize("filters", FILTERS[1:])
def test_edits_while_filtered_keep_the_filtered_view(
    data: TimelineData, store: EventStore, filters: Filters
) -> None:
    data.set_filters(filters)
    touch(data)
    rng = random.Random(repr(filters))
    seen = Recorder(data)
    serial = [0]
    for step in range(16):
        before = data.shown.ids.copy()
        seen.clear()
        kind = random_edit(store, rng, serial)
        if seen.patches:
            assert len(seen.patches) == 1, f"step {step}: {kind}"
            check_patch(before, data.shown.ids, seen.patches[0])
        assert_matches_store(data, store)
        touch(data)


def test_edits_that_move_events_in_and_out_of_the_filter(
    data: TimelineData, store: EventStore
) -> None:
    data.set_filters(
        Filters(
            text="beacon",
            tags=frozenset({"alpha"}),
            hidden_categories=frozenset({"Sport"}),
            date_from=PartialDate(1900),
        )
    )
    touch(data)
    assert len(data.shown) == 0
    new_id = store.add_event(
        Event("Beacon lit", PartialDate(1950), category="Science", tags=("alpha",))
    )
    assert data.shown.ids.tolist() == [new_id]
    event = store.get_event(new_id)
    assert event is not None
    for changes in (
        {"category": "Sport"},  # hidden
        {"category": None},
        {"tags": ("beta",)},  # no longer tagged
        {"tags": ("alpha", "beta")},
        {"title": "Lantern lit"},  # no longer found by the text
        {"title": "Beacon relit"},
        {"start": PartialDate(1800)},  # before the range
        {"start": PartialDate(1950, 2, 3)},
    ):
        event = event.evolve(**changes)
        store.update_event(event)
        assert_matches_store(data, store)
        touch(data)
    assert data.shown.ids.tolist() == [new_id]
    store.delete_events([new_id])
    assert len(data.shown) == 0
    assert_matches_store(data, store)


def test_a_new_category_with_a_hidden_name_is_hidden(data: TimelineData, store: EventStore) -> None:
    data.set_filters(Filters(hidden_categories=frozenset({"Later"})))
    touch(data)
    ids = store.filtered_ids(Filters())[:5]
    store.set_event_categories(ids, "Later")  # created by this very commit
    assert not set(ids) & set(data.shown.ids.tolist())
    assert_matches_store(data, store)


#: Filters that are not empty but that every event of the test store passes.
PASSING_ALL = [
    pytest.param(Filters(hidden_categories=frozenset({"Nope"})), id="hide-a-name-no-event-has"),
    pytest.param(Filters(date_from=PartialDate(-9999)), id="a-range-holding-everything"),
]


@pytest.mark.parametrize("filters", PASSING_ALL)
def test_a_filter_every_event_passes_still_shows_them_all(
    data: TimelineData, store: EventStore, filters: Filters
) -> None:
    data.set_filters(filters)
    assert data.shown.ids.tolist() == store.filtered_ids(filters) == data.all.ids.tolist()
    assert_matches_store(data, store)


@pytest.mark.parametrize("filters", PASSING_ALL)
def test_an_edit_under_a_filter_every_event_passes_is_patched_right(
    data: TimelineData, store: EventStore, filters: Filters
) -> None:
    data.set_filters(filters)
    touch(data)
    seen = Recorder(data)
    before = data.shown.ids.copy()
    event = store.get_event(int(data.all.ids[0]))
    assert event is not None
    store.update_event(event.evolve(start=PartialDate(2999), end=None))  # first to last
    assert_matches_store(data, store)  # the arrays themselves are right
    (patch,) = seen.patches
    check_patch(before, data.shown.ids, patch)  # the patch is not


def test_a_category_renamed_to_a_hidden_name_is_hidden(
    data: TimelineData, store: EventStore
) -> None:
    # (the name may stay hidden after its category was deleted: the sidebar keeps it)
    data.set_filters(Filters(hidden_categories=frozenset({"Later"})))
    touch(data)
    store.update_category("Politics", new_name="Later")
    assert_matches_store(data, store)


def test_filtered_is_emitted_after_every_refresh(data: TimelineData, store: EventStore) -> None:
    seen = Recorder(data)
    data.set_filters(Filters(text="summit"))
    assert (seen.filtered, seen.shown_changed) == (1, 1)
    data.set_filters(Filters(text="summit"))  # the same filter: nothing to refresh
    assert (seen.filtered, seen.shown_changed) == (1, 1)
    data.set_filters(Filters(text="summit "))  # the same words: the same events
    assert seen.filtered == 2
    assert_matches_store(data, store)
    data.set_filters(Filters(text="summit", hidden_categories=frozenset({"Nope"})))
    assert seen.filtered == 3
    assert_matches_store(data, store)
    data.set_filters(Filters(tags=frozenset({"beta"})))
    assert seen.filtered == 4 and seen.shown_changed >= 2
    assert_matches_store(data, store)
    # a change the store cannot list refreshes the filter, and says so
    seen.clear()
    store.import_timeline(Timeline(events=[random_event(random.Random(k), k) for k in range(300)]))
    assert seen.resets == 1 and seen.filtered == 1
    assert_matches_store(data, store)
    data.set_filters(Filters())
    assert seen.filtered == 2
    assert data.shown is data.all


# -- counts -----------------------------------------------------------------------------


def test_counts_follow_edits(data: TimelineData, store: EventStore) -> None:
    rng = random.Random(5)
    serial = [0]
    data.category_counts()  # counted now, patched from here on
    for _ in range(40):
        random_edit(store, rng, serial)
        assert data.category_counts() == fresh_category_counts(store)
        assert store.tag_counts() == fresh_tag_counts(store)
    store.delete_events(store.filtered_ids(Filters()))
    assert data.category_counts() == {}
    assert store.tag_counts() == []
    assert_matches_store(data, store)


def test_counts_are_a_copy(data: TimelineData, store: EventStore) -> None:
    counts = data.category_counts()
    counts.clear()
    assert data.category_counts() == fresh_category_counts(store)


# -- threads: big files -----------------------------------------------------------------


@pytest.fixture
def threaded(qtbot, store: EventStore, monkeypatch: pytest.MonkeyPatch) -> Iterator[TimelineData]:
    """The pipeline as for a big file: progressive open, search in a thread."""
    monkeypatch.setattr(data_module, "PROGRESSIVE_LIMIT", 10)
    d = TimelineData()
    store.subscribe(d.apply)
    with qtbot.waitSignal(d.loadingChanged, timeout=5000, check_params_cb=lambda v: not v):
        d.open(store)
    touch(d)
    yield d
    store.unsubscribe(d.apply)
    d.close()


def test_a_typed_search_in_a_thread_shows_what_sql_finds(
    qtbot, threaded: TimelineData, store: EventStore
) -> None:
    seen = Recorder(threaded)
    with qtbot.waitSignal(threaded.filtered, timeout=5000):
        threaded.set_filters(Filters(text="summit"))
        assert seen.filtered == 0  # the ids are still to come
    assert seen.filtered == 1
    assert_matches_store(threaded, store)
    # only the newest of quickly typed queries is applied
    seen.clear()
    with qtbot.waitSignal(threaded.filtered, timeout=5000):
        for text in ("s", "st", "sto", "stor", "storm"):
            threaded.set_filters(Filters(text=text))
    qtbot.wait(100)
    threaded.wait(5.0)
    qtbot.wait(50)
    assert seen.filtered == 1
    assert threaded.filters.text == "storm"
    assert_matches_store(threaded, store)


def test_edits_while_a_threaded_search_is_shown(
    qtbot, threaded: TimelineData, store: EventStore
) -> None:
    with qtbot.waitSignal(threaded.filtered, timeout=5000):
        threaded.set_filters(Filters(text="treaty", hidden_categories=frozenset({"Sport"})))
    touch(threaded)
    rng = random.Random(3)
    serial = [0]
    for _ in range(15):
        random_edit(store, rng, serial)
        assert_matches_store(threaded, store)
        touch(threaded)
    new_id = store.add_event(Event("Treaty signed", PartialDate(2001), category="Politics"))
    assert new_id in threaded.shown.ids.tolist()
    assert_matches_store(threaded, store)
    # typing on after edits searches the edited events
    with qtbot.waitSignal(threaded.filtered, timeout=5000):
        threaded.set_filters(Filters(text="treaty sig", hidden_categories=frozenset({"Sport"})))
    assert threaded.shown.ids.tolist() == [new_id]
    assert_matches_store(threaded, store)


def test_a_filter_chosen_while_loading_is_applied_when_loaded(
    qtbot, store: EventStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(data_module, "PROGRESSIVE_LIMIT", 10)
    d = TimelineData()
    try:
        with qtbot.waitSignal(d.filtered, timeout=5000):
            d.open(store)
            assert d.loading
            d.set_filters(Filters(tags=frozenset({"alpha"}), date_to=PartialDate(2000)))
        assert not d.loading
        assert_matches_store(d, store)
    finally:
        d.close()


def test_a_big_store_search_after_an_import_of_everything(
    qtbot, threaded: TimelineData, store: EventStore
) -> None:
    with qtbot.waitSignal(threaded.filtered, timeout=5000):
        threaded.set_filters(Filters(text="vote"))
    events = [
        Event(f"Vote number {k}", PartialDate(1800 + k), category="Politics") for k in range(260)
    ]
    with qtbot.waitSignal(threaded.filtered, timeout=5000):
        store.import_timeline(Timeline(events=events))  # everything: searched again
    threaded.wait(5.0)
    assert_matches_store(threaded, store)
