"""The event store: opening safely, transactions, undo, filters, search, round trips."""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from viewer.generate import synthetic_timeline
from viewer.model.colors import CATEGORY_COLORS
from viewer.model.dates import PartialDate
from viewer.model.event import Category, Era, Event, Timeline
from viewer.model.filters import Filters
from viewer.store import Change, EventStore, ImportCancelled, ImportResult, StoreError, fts_query
from viewer.store.filtering import FilterState

DATA = Path(__file__).resolve().parents[1] / "data" / "store"
SIDECARS = ("-wal", "-shm", "-journal")
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


# -- helpers --------------------------------------------------------------------------


def add_all(store: EventStore, events: Iterable[Event]) -> list[int]:
    """Add events in one transaction; their ids."""
    with store.atomic():
        return [store.add_event(e) for e in events]


def searched(store: EventStore, text: str) -> list[int]:
    """The ids (sorted) a search for ``text`` finds, the same both ways the store
    searches: by the full-text index alone (the views) and by SQL with the filters."""
    found = store.search_ids(text).tolist()
    assert sorted(store.filtered_ids(Filters(text=text))) == found
    return found


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def sidecars(path: Path) -> list[str]:
    return [s for s in SIDECARS if Path(str(path) + s).exists()]


def without_ids(timeline: Timeline) -> Timeline:
    return Timeline(
        title=timeline.title,
        description=timeline.description,
        source=timeline.source,
        events=[e.evolve(id=None) for e in timeline.events],
        categories=[Category(c.name, c.color) for c in timeline.categories],
        eras=list(timeline.eras),
        extra=dict(timeline.extra),
    )


PUTIN = Event(
    "Putin visits North Korea",
    PartialDate(2000, 7),
    description="Summit with Kim Jong Il, his first visit.",
    category="Politics",
    tags=("visit",),
    display_date="July, 2000",
)
RESOLUTIONS = Event(
    "UN resolutions",
    PartialDate(2006, 10, 14),
    PartialDate(2017, 12, 22),
    description="Russia votes for nine <b>Security Council</b> resolutions.",
    category="UN",
    tags=("sanctions",),
    source_url="https://example.org/un",
)
VLADIVOSTOK = Event(
    "Summit in Vladivostok",
    PartialDate(2019, 4, 25),
    description="Putin and Kim Jong Un meet in the Russian Far East.",
    category="Politics",
    tags=("summit", "visit"),
)
BORDER = Event(
    "Border closes",
    PartialDate(2020, 2),
    description="North Korea closes its borders due to COVID-19 in Zürich style.",
)
CAESAR = Event(
    "Caesar assassinated",
    PartialDate(-43, 3, 15),
    description="The Ides of March, 44 BC.",
    category="History",
)
BIG_BANG = Event(
    "Big Bang",
    PartialDate(-13_800_000_000),
    description="The universe begins.",
    category="Science",
    extra={"media": {"url": "https://example.org/cmb.png"}},
)
SAMPLE = (PUTIN, RESOLUTIONS, VLADIVOSTOK, BORDER, CAESAR, BIG_BANG)


@pytest.fixture
def store(db_path: Path) -> Iterator[EventStore]:
    s = EventStore.open(db_path)
    yield s
    s.close()


@pytest.fixture
def filled(store: EventStore) -> dict[str, int]:
    """The sample events, by title → id."""
    ids = add_all(store, SAMPLE)
    return {e.title: i for e, i in zip(SAMPLE, ids, strict=True)}


def make_store_file(path: Path, events: tuple[Event, ...] = SAMPLE) -> None:
    with EventStore.open(path) as s:
        s.set_meta(title="A timeline")
        add_all(s, events)


# -- opening: files that are not ours are refused and left untouched ------------------


def _text_file(path: Path) -> None:
    path.write_text("July, 2000\nPutin visits North Korea.\n", encoding="utf-8")


def _png_file(path: Path) -> None:
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200))


def _empty_file(path: Path) -> None:
    path.write_bytes(b"")


def _truncated_store(path: Path) -> None:
    real = path.with_name("real.db")
    make_store_file(real)
    path.write_bytes(real.read_bytes()[:2000])


def _other_program(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE contacts (name TEXT, phone TEXT)")
    conn.execute("INSERT INTO contacts VALUES ('Ann', '123')")
    conn.commit()
    conn.close()


def _other_program_wal(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("CREATE TABLE moz_places (url TEXT)")
    conn.commit()
    conn.close()


def _foreign_app_id(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA application_id = 1234")
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()


NOT_OURS = [
    pytest.param(_text_file, "not a timeline file (not an SQLite database)", id="text"),
    pytest.param(_png_file, "not a timeline file (not an SQLite database)", id="png"),
    pytest.param(_empty_file, "is empty, not a timeline file", id="empty"),
    pytest.param(_truncated_store, "is damaged or not a timeline file", id="truncated"),
    pytest.param(_other_program, "an SQLite database of another program", id="other-program"),
    pytest.param(_other_program_wal, "an SQLite database of another program", id="other-wal"),
    pytest.param(_foreign_app_id, "an SQLite database of another program", id="app-id"),
]


@pytest.mark.parametrize("readonly", [False, True], ids=["rw", "ro"])
@pytest.mark.parametrize(("make", "message"), NOT_OURS)
def test_a_file_that_is_not_a_store_is_refused_untouched(
    tmp_path: Path, make, message: str, readonly: bool
) -> None:
    path = tmp_path / "suspect.db"
    make(path)
    assert sidecars(path) == []
    before = digest(path), path.stat().st_size, path.stat().st_mtime_ns
    with pytest.raises(StoreError) as info:
        EventStore.open(path, readonly=readonly)
    assert message in str(info.value)
    assert str(path) in str(info.value)
    assert (digest(path), path.stat().st_size, path.stat().st_mtime_ns) == before
    assert sidecars(path) == []


def test_shipped_sample_files_are_refused(tmp_path: Path) -> None:
    for name in ("notes.txt", "picture.png"):
        path = tmp_path / name
        shutil.copy(DATA / name, path)
        before = digest(path)
        with pytest.raises(StoreError, match="not a timeline file"):
            EventStore.open(path)
        assert digest(path) == before
        assert sidecars(path) == []


def test_folder_and_missing_files(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="is a folder"):
        EventStore.open(tmp_path)
    missing = tmp_path / "missing.db"
    with pytest.raises(StoreError, match="does not exist"):
        EventStore.open(missing, create=False)
    with pytest.raises(StoreError, match="does not exist"):
        EventStore.open(missing, readonly=True)
    assert not missing.exists()
    with pytest.raises(StoreError, match=r"folder .* does not exist"):
        EventStore.open(tmp_path / "no" / "such" / "dir.db")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
@pytest.mark.timeout(20)
def test_a_named_pipe_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    pipe = tmp_path / "pipe.db"
    os.mkfifo(pipe)
    for readonly in (False, True):
        with pytest.raises(StoreError, match="not a regular file"):
            EventStore.open(pipe, readonly=readonly)


def test_new_store_is_created_and_reopens(db_path: Path) -> None:
    make_store_file(db_path)
    with EventStore.open(db_path, create=False) as s:
        assert s.count() == len(SAMPLE)
        assert s.title == "A timeline"
        assert s.meta() == {"title": "A timeline", "description": "", "source": ""}


# -- read-only ------------------------------------------------------------------------


def _assert_every_write_refused(s: EventStore) -> None:
    event = s.events()[0]
    writes = [
        lambda: s.add_event(Event("New", PartialDate(2001))),
        lambda: s.update_event(event.evolve(title="Changed")),
        lambda: s.delete_events([event.id]),
        lambda: s.add_category("New"),
        lambda: s.update_category("Politics", color="#000000"),
        lambda: s.delete_category("Politics"),
        lambda: s.set_event_categories([event.id], "UN"),
        lambda: s.set_meta(title="Changed"),
        lambda: s.import_timeline(Timeline(events=[Event("New", PartialDate(2001))])),
    ]
    for write in writes:
        with pytest.raises(StoreError, match="read-only"):
            write()


def test_explicit_read_only_open_reads_and_refuses_writes(db_path: Path) -> None:
    make_store_file(db_path)
    before = digest(db_path), db_path.stat().st_mtime_ns
    with EventStore.open(db_path, readonly=True) as s:
        assert s.readonly
        assert s.count() == len(SAMPLE)
        assert [s.get_event(i).title for i in searched(s, "vlad")] == [VLADIVOSTOK.title]
        _assert_every_write_refused(s)
        # Even SQL that bypasses the store's checks cannot write.
        with pytest.raises(sqlite3.OperationalError):
            s._conn.execute("DELETE FROM events")
        assert s.count() == len(SAMPLE)
    assert (digest(db_path), db_path.stat().st_mtime_ns) == before
    assert sidecars(db_path) == []


@pytest.mark.skipif(IS_ROOT, reason="root can write a file whatever its mode")
def test_write_protected_file_opens_read_only(db_path: Path) -> None:
    make_store_file(db_path)
    before = digest(db_path)
    db_path.chmod(0o444)
    try:
        with EventStore.open(db_path) as s:
            assert s.readonly
            assert s.count() == len(SAMPLE)
            _assert_every_write_refused(s)
    finally:
        db_path.chmod(0o644)
    assert digest(db_path) == before


# -- transactions ---------------------------------------------------------------------


def test_each_write_is_a_transaction(store: EventStore, filled: dict[str, int]) -> None:
    before = store.events()
    with pytest.raises(StoreError, match="headline"):
        add_all(store, [Event("Fine", PartialDate(1990)), Event("  ", PartialDate(1991))])
    with pytest.raises(StoreError, match="there is no event"):
        store.update_event(PUTIN.evolve(id=999_999, category="Brand new"))
    with pytest.raises(StoreError):
        store.delete_category("Politics", reassign_to="No such category")
    assert store.events() == before
    assert store.category("Brand new") is None
    assert [c.name for c in store.categories()] == ["History", "Politics", "Science", "UN"]


def test_a_file_another_program_is_writing_is_a_store_error(
    db_path: Path, store: EventStore, filled: dict[str, int]
) -> None:
    store._conn.execute("PRAGMA busy_timeout = 0")  # fail at once instead of in 5 s
    before = store.events()
    other = sqlite3.connect(db_path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(StoreError, match=r"could not save to .*: another program is writing"):
            store.add_event(Event("Blocked", PartialDate(2001)))
        with pytest.raises(StoreError, match="try again when it has finished"):
            store.import_timeline(Timeline(events=[Event("Blocked too", PartialDate(2002))]))
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert store.events() == before
    store.add_event(Event("Free again", PartialDate(2003)))
    assert store.count() == len(SAMPLE) + 1


@pytest.mark.parametrize("nested", [False, True], ids=["outermost", "nested"])
def test_a_transaction_sqlite_rolled_back_itself_keeps_the_first_error(
    store: EventStore, filled: dict[str, int], nested: bool
) -> None:
    # After a full disk (SQLITE_FULL) SQLite may roll the whole transaction back on its
    # own; a second ROLLBACK failed with "no transaction is active" and hid the cause.
    before = store.events()
    with pytest.raises(RuntimeError, match="disk full"), store.atomic() as conn:
        store.add_event(Event("Half written", PartialDate(2001)))
        inner = store.atomic() if nested else contextlib.nullcontext()
        with inner:
            conn.execute("ROLLBACK")  # as SQLite does by itself
            raise RuntimeError("disk full")
    assert store.events() == before
    store.add_event(Event("Written", PartialDate(2002)))
    assert store.count() == len(SAMPLE) + 1


@pytest.mark.parametrize("bad", ["a\ud800b", "\udfff"], ids=["high", "low"])
def test_text_that_is_not_unicode_is_a_store_error_and_writes_nothing(
    store: EventStore, filled: dict[str, int], bad: str
) -> None:
    # Only JSON escapes give such text ("\\ud800"); SQLite cannot encode it.
    before = store.events(), store.categories()
    with pytest.raises(StoreError, match="not valid Unicode"):
        store.add_event(Event(bad, PartialDate(2001)))
    with pytest.raises(StoreError, match="not valid Unicode"):
        store.import_timeline(
            Timeline(
                events=[
                    Event("Fine", PartialDate(2001)),
                    Event("x", PartialDate(1), description=bad),
                ]
            )
        )
    with pytest.raises(StoreError, match="not valid Unicode"):
        store.add_category(f"Cat {bad}")
    assert (store.events(), store.categories()) == before


def test_import_is_all_or_nothing_when_an_event_fails(
    store: EventStore, filled: dict[str, int]
) -> None:
    store.set_meta(title="Mine")
    before = (store.events(), store.categories(), store.meta(), store.eras(), store.tag_counts())
    bad = Timeline(
        title="Theirs",
        description="Imported",
        events=[
            Event("One", PartialDate(1901), category="Fresh A", tags=("new",)),
            Event("   ", PartialDate(1902), category="Fresh B"),  # blank title, midway
            Event("Three", PartialDate(1903), category="Fresh C"),
        ],
        categories=[Category("Fresh D", "#123456")],
        eras=[Era("An era", PartialDate(1900), PartialDate(1910))],
    )
    with pytest.raises(StoreError, match="headline"):
        store.import_timeline(bad)
    after = (store.events(), store.categories(), store.meta(), store.eras(), store.tag_counts())
    assert after == before
    assert store.count() == len(SAMPLE)


def test_import_can_be_cancelled_from_the_progress_callback(store: EventStore) -> None:
    store.add_event(PUTIN)
    calls: list[tuple[int, int]] = []

    def progress(done: int, total: int) -> bool:
        calls.append((done, total))
        return done < 1000

    timeline = synthetic_timeline(1200, seed=3)
    with pytest.raises(ImportCancelled, match="cancelled"):
        store.import_timeline(timeline, progress=progress)
    assert calls == [(500, 1200), (1000, 1200)]
    assert store.count() == 1
    assert [c.name for c in store.categories()] == ["Politics"]
    assert store.meta()["title"] == ""

    calls.clear()
    result = store.import_timeline(timeline, progress=lambda d, t: calls.append((d, t)) is None)
    assert calls == [(500, 1200), (1000, 1200), (1200, 1200)]
    assert len(result.event_ids) == 1200
    assert store.count() == 1201


def test_nested_atomic_inner_rollback_keeps_outer_work(store: EventStore) -> None:
    seen: list[Change] = []
    store.subscribe(seen.append)
    with store.atomic():
        outer = store.add_event(PUTIN)
        with pytest.raises(RuntimeError), store.atomic():
            store.add_event(BORDER)
            store.add_category("Inner only")
            store.set_meta(title="Inner title")
            raise RuntimeError("inner step fails")
        assert store.count() == 1
    assert [e.title for e in store.events()] == [PUTIN.title]
    assert store.get_event(outer) == PUTIN.evolve(id=outer)
    assert store.category("Inner only") is None
    assert store.title == ""
    # Told once, and only about what the committed work changed.
    assert [c.parts for c in seen] == [frozenset({"events", "tags", "categories"})]
    assert seen[0].added == {outer} and not seen[0].changed and not seen[0].removed


def test_subscribers_hear_once_per_outermost_commit_and_not_on_rollback(
    store: EventStore,
) -> None:
    seen: list[Change] = []
    store.subscribe(seen.append)
    store.add_category("Politics")
    assert [c.parts for c in seen] == [frozenset({"categories"})]
    seen.clear()
    plain = store.add_event(Event("Plain", PartialDate(1999)))
    assert [c.parts for c in seen] == [frozenset({"events"})]
    assert seen[0].added == {plain}
    seen.clear()
    with store.atomic():
        store.add_event(Event("Tagged", PartialDate(1998), tags=("x",)))
        store.set_meta(title="T")
        store.update_category("Politics", color="#000000")
        assert seen == []  # nothing before the commit
    assert [c.parts for c in seen] == [frozenset({"events", "tags", "meta", "categories"})]
    seen.clear()
    with pytest.raises(ValueError), store.atomic():
        store.add_event(Event("Gone", PartialDate(1997)))
        raise ValueError("rolled back")
    with pytest.raises(StoreError):
        store.add_event(Event("", PartialDate(1997)))
    assert seen == []
    assert store.count() == 2
    store.unsubscribe(seen.append)
    store.set_meta(title="U")
    assert seen == []


# -- driver errors: what SQLite refuses is a StoreError, for reads as for writes -----

#: Every public read, called as the views and the command line call it.
READS: dict[str, Callable[[EventStore], object]] = {
    "arrays_for": lambda s: s.arrays_for([1, 2]),
    "arrays_in_lanes": lambda s: s.arrays_in_lanes(0, 4),
    "categories": lambda s: s.categories(),
    "category": lambda s: s.category("Politics"),
    "category_counts": lambda s: s.category_counts(),
    "category_keys_counted": lambda s: s.category_keys_counted(),
    "count": lambda s: s.count(),
    "era_spans": lambda s: s.era_spans(),
    "eras": lambda s: s.eras(),
    "events": lambda s: s.events(),
    "export_timeline": lambda s: s.export_timeline(),
    "filtered_ids": lambda s: s.filtered_ids(Filters(text="vlad", tags=frozenset({"visit"}))),
    "get_event": lambda s: s.get_event(1),
    "get_events": lambda s: s.get_events([1, 2]),
    "image_count": lambda s: s.image_count(),
    "image_data": lambda s: s.image_data(1),
    "image_index": lambda s: s.image_index([1, 2]),
    "image_thumbnail": lambda s: s.image_thumbnail(1),
    "images_of": lambda s: s.images_of(1),
    "iter_events": lambda s: next(s.iter_events()),
    "lane_count": lambda s: s.lane_count(),
    "lanes_of": lambda s: s.lanes_of([1, 2]),
    "layout_scale": lambda s: s.layout_scale(),
    "load_arrays": lambda s: s.load_arrays(),
    "meta": lambda s: s.meta(),
    "meta_with_extra": lambda s: s.meta_with_extra(),
    "next_color": lambda s: s.next_color(),
    "prefix_terms": lambda s: s.prefix_terms("vl"),
    "search_ids": lambda s: s.search_ids("vlad", among=[1, 2]),
    "span": lambda s: s.span(),
    "span_dates": lambda s: s.span_dates(),
    "start_counts": lambda s: s.start_counts(np.array([0.0, 1e9, 2e9])),
    "tag_counts": lambda s: s.tag_counts(),
    "tag_pairs": lambda s: s.tag_pairs(),
    "tagged_ids": lambda s: s.tagged_ids(["visit"]),
    "view_settings": lambda s: s.view_settings(),
    "texts": lambda s: s.texts([1, 2]),
    "timeline_header": lambda s: s.timeline_header(),
    "title": lambda s: s.title,
}
#: Every public write (each through ``atomic()``).
WRITES: dict[str, Callable[[EventStore], object]] = {
    "add_category": lambda s: s.add_category("New"),
    "add_event": lambda s: s.add_event(Event("New", PartialDate(2001))),
    "delete_category": lambda s: s.delete_category("Politics"),
    "delete_events": lambda s: s.delete_events([1]),
    "import_batches": lambda s: s.import_batches(Timeline(title="T"), []),
    "import_timeline": lambda s: s.import_timeline(Timeline(events=[PUTIN])),
    "redo_import": lambda s: s.redo_import(_IMPORTED, {}),
    "set_event_categories": lambda s: s.set_event_categories([1], "UN"),
    "set_meta": lambda s: s.set_meta(title="Changed"),
    "set_view_settings": lambda s: s.set_view_settings({"groups": {"mode": "tag"}}),
    "undo_import": lambda s: s.undo_import(_IMPORTED),
    "update_category": lambda s: s.update_category("Politics", color="#000000"),
    "update_event": lambda s: s.update_event(PUTIN.evolve(id=1)),
}
_IMPORTED = ImportResult(range(1, 3), (), (), {}, key=1)
#: The rest: no query of the document's tables, or errors of their own kind.
OTHERS = {
    "atomic",  # the way of every write: tested through them
    "backup_to",  # "cannot write …" (see the backup tests)
    "changed_elsewhere",  # "could not read …": see tests/reliability/test_two_windows
    "check_integrity",  # through a connection of its own
    "checked",
    "close",
    "copy_to_memory",  # SQLite's backup, not a query: see below
    "created",  # makes a file: see tests/reliability
    "filling",
    "forget_import",  # never raises: a copy kept for a redo is dropped or gone
    "has_images",
    "has_lanes",
    "has_notes",
    "has_qualifiers",
    "interrupt",
    "open",
    "reader",  # opens a store: "cannot open …", refused as any file is
    "set_placer",
    "subscribe",
    "text_cache",
    "unsubscribe",
}


def test_every_public_method_is_a_read_a_write_or_named_apart() -> None:
    public = {name for name in dir(EventStore) if not name.startswith("_")}
    assert public == READS.keys() | WRITES.keys() | OTHERS


@pytest.fixture(params=["closed", "refusing"])
def broken(request: pytest.FixtureRequest, db_path: Path) -> Iterator[EventStore]:
    """A store whose connection fails every statement: closed, or refusing each one
    (as SQLite does an interrupted query)."""
    store = EventStore.open(db_path)
    add_all(store, SAMPLE)
    if request.param == "closed":
        store.close()
        yield store
        return
    store._conn.set_progress_handler(lambda: 1, 1)
    yield store
    store._conn.set_progress_handler(None, 1)
    store.close()


@pytest.mark.parametrize("name", sorted(READS))
def test_a_read_on_a_broken_connection_is_a_store_error(broken: EventStore, name: str) -> None:
    with pytest.raises(StoreError) as caught:
        READS[name](broken)
    assert not isinstance(caught.value, sqlite3.Error)
    assert isinstance(caught.value.__cause__, sqlite3.Error)


@pytest.mark.parametrize("name", sorted(WRITES))
def test_a_write_on_a_broken_connection_is_a_store_error(broken: EventStore, name: str) -> None:
    with pytest.raises(StoreError, match="could not save to"):
        WRITES[name](broken)


def test_a_copy_of_a_closed_store_is_a_store_error(store: EventStore) -> None:
    store.close()
    with pytest.raises(StoreError, match="could not read"):
        store.copy_to_memory()


def test_a_file_whose_events_table_is_gone_reads_as_store_errors(
    db_path: Path, store: EventStore, filled: dict[str, int]
) -> None:
    other = sqlite3.connect(db_path)  # another program, behind the store's back
    other.executescript("DROP TABLE lanes; DROP TABLE events;")
    other.close()
    assert store.meta()["title"] == ""  # what is still there reads as before
    for read in ("count", "events", "get_event", "load_arrays", "filtered_ids", "span", "texts"):
        with pytest.raises(StoreError, match=r"could not read .*: no such table"):
            READS[read](store)


# -- undo -----------------------------------------------------------------------------


def test_deleted_events_come_back_exactly(store: EventStore, filled: dict[str, int]) -> None:
    before_events = store.events()
    before_tags = store.tag_counts()
    ids = [filled[PUTIN.title], filled[VLADIVOSTOK.title], filled[BIG_BANG.title]]
    removed = store.delete_events(ids)
    assert [e.id for e in removed] == ids
    assert store.count() == len(SAMPLE) - 3
    assert store.get_event(ids[0]) is None
    assert "visit" not in dict(store.tag_counts())
    assert searched(store, "vladivostok") == []
    for event in removed:  # undo
        assert store.add_event(event) == event.id
    assert store.events() == before_events
    assert store.tag_counts() == before_tags
    assert searched(store, "vladivostok") == [filled[VLADIVOSTOK.title]]
    # Deleting ids that do not exist is harmless and returns nothing for them.
    assert store.delete_events([424242]) == []


def test_delete_category_moves_or_uncategorises_its_events(
    store: EventStore, filled: dict[str, int]
) -> None:
    moved = store.delete_category("Politics", reassign_to="UN")
    assert sorted(moved) == sorted([filled[PUTIN.title], filled[VLADIVOSTOK.title]])
    assert store.category("Politics") is None
    assert {store.get_event(i).category for i in moved} == {"UN"}
    counts, none = store.category_counts()
    assert dict((c.name, n) for c, n in counts)["UN"] == 3
    assert none == 1
    dropped = store.delete_category("UN")
    assert len(dropped) == 3
    assert all(store.get_event(i).category is None for i in dropped)
    assert store.category_counts()[1] == 4
    with pytest.raises(StoreError, match="being deleted"):
        store.delete_category("History", reassign_to="History")
    with pytest.raises(StoreError, match="no category"):
        store.delete_category("Nope")


def test_rename_category_keeps_its_events(store: EventStore, filled: dict[str, int]) -> None:
    store.update_category("Politics", new_name="Diplomacy", color="#abcdef")
    assert store.category("Politics") is None
    assert store.category("Diplomacy").color == "#abcdef"
    for title in (PUTIN.title, VLADIVOSTOK.title):
        assert store.get_event(filled[title]).category == "Diplomacy"
    assert _titles(store, hidden_categories=frozenset({"Diplomacy"})) == [
        BIG_BANG.title,
        CAESAR.title,
        RESOLUTIONS.title,
        BORDER.title,
    ]
    with pytest.raises(StoreError, match="already a category"):
        store.update_category("Diplomacy", new_name="UN")
    with pytest.raises(StoreError, match="needs a name"):
        store.update_category("Diplomacy", new_name="   ")
    with pytest.raises(StoreError, match="already a category"):
        store.add_category("UN")


def test_category_names_are_stripped_consistently(store: EventStore) -> None:
    store.add_category("Politics")
    store.add_event(Event("Spaced", PartialDate(1990), category="Politics "))
    result = store.import_timeline(
        Timeline(
            events=[
                Event("Padded", PartialDate(1991), category="  Economy "),
                Event("Blank", PartialDate(1992), category="   "),
                Event("Known", PartialDate(1993), category=" Politics"),
            ],
            categories=[Category(" Economy ", "#123456")],
        )
    )
    assert result.created_categories == ("Economy",)
    assert [(c.name, c.color) for c in store.categories()] == [
        ("Economy", "#123456"),
        ("Politics", CATEGORY_COLORS[0]),
    ]
    assert [e.category for e in store.events()] == ["Politics", "Economy", None, "Politics"]


def test_import_picks_colours_for_many_new_categories_without_rereading_them(
    store: EventStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Each category an event named read every category to choose a colour: 8,000 groups
    # took 31 s, 100,000 would have taken hours.
    store.add_category("Mine", CATEGORY_COLORS[0])
    reads = 0
    categories = EventStore.categories

    def counted(self: EventStore) -> list[Category]:
        nonlocal reads
        reads += 1
        return categories(self)

    monkeypatch.setattr(EventStore, "categories", counted)
    events = [Event(f"E{i}", PartialDate(2000), category=f"Group {i}") for i in range(300)]
    result = store.import_timeline(Timeline(events=events))
    assert reads <= 3
    assert len(result.created_categories) == 300
    colors = {c.name: c.color for c in categories(store)}
    assert [colors[f"Group {i}"] for i in range(9)] == list(CATEGORY_COLORS[1:])
    assert colors["Mine"] == CATEGORY_COLORS[0]


def test_undo_import_removes_exactly_what_was_imported(
    store: EventStore, filled: dict[str, int]
) -> None:
    store.set_meta(description="Mine")
    before = (
        store.events(),
        store.categories(),
        store.meta(),
        store.eras(),
        store.tag_counts(),
    )
    incoming = Timeline(
        title="Imported title",
        description="Imported description",
        source="elsewhere.json",
        events=[
            Event("Imported 1", PartialDate(1950), category="Politics", tags=("visit",)),
            Event("Imported 2", PartialDate(1960), category="Brand new", tags=("fresh",)),
        ],
        categories=[Category("Unused", "#010203"), Category("Politics", "#ffffff")],
        eras=[Era("Cold War", PartialDate(1947), PartialDate(1991))],
        extra={"background": {"color": "#000"}},
    )
    result = store.import_timeline(incoming)
    assert len(result.event_ids) == 2
    assert set(result.created_categories) == {"Unused", "Brand new"}
    assert store.meta()["title"] == "Imported title"
    assert store.meta()["description"] == "Mine"  # existing metadata is kept
    assert store.category("Politics").color != "#ffffff"
    assert len(store.eras()) == 1
    store.undo_import(result)
    after = (store.events(), store.categories(), store.meta(), store.eras(), store.tag_counts())
    assert after == before
    assert store.export_timeline().extra == {}


# -- filters --------------------------------------------------------------------------


def _shown(store: EventStore, filters: Filters) -> list[int]:
    """The ids ``filters`` shows, by SQL and by the views' masks, which must agree."""
    by_sql = store.filtered_ids(filters)
    state = FilterState(store)
    state.update(filters)
    arrays = store.load_arrays()
    by_mask = arrays.ids[state.mask(arrays, filters)].tolist()
    assert by_mask == by_sql
    return by_sql


def _titles(store: EventStore, **kw) -> list[str]:
    return [store.get_event(i).title for i in _shown(store, Filters(**kw))]


def test_hidden_categories_including_uncategorised(
    store: EventStore, filled: dict[str, int]
) -> None:
    every = [BIG_BANG, CAESAR, PUTIN, RESOLUTIONS, VLADIVOSTOK, BORDER]
    assert _titles(store) == [e.title for e in every]
    assert _titles(store, hidden_categories=frozenset({"Politics"})) == [
        BIG_BANG.title,
        CAESAR.title,
        RESOLUTIONS.title,
        BORDER.title,
    ]
    assert _titles(store, hidden_categories=frozenset({""})) == [
        e.title for e in every if e.category
    ]
    assert _titles(store, hidden_categories=frozenset({"", "Politics", "Science"})) == [
        CAESAR.title,
        RESOLUTIONS.title,
    ]
    # A hidden name that is no category hides nothing.
    assert len(_shown(store, Filters(hidden_categories=frozenset({"Nope"})))) == 6
    arrays = store.load_arrays()
    names = {c.id: c.name for c in store.categories()}
    assert [names.get(k, "") for k in arrays.category.tolist()] == [
        "Science",
        "History",
        "Politics",
        "UN",
        "Politics",
        "",
    ]


def test_tags_are_any_of(store: EventStore, filled: dict[str, int]) -> None:
    assert _titles(store, tags=frozenset({"visit"})) == [PUTIN.title, VLADIVOSTOK.title]
    assert _titles(store, tags=frozenset({"visit", "sanctions"})) == [
        PUTIN.title,
        RESOLUTIONS.title,
        VLADIVOSTOK.title,
    ]
    assert _titles(store, tags=frozenset({"unknown"})) == []
    assert store.tag_counts() == [("sanctions", 1), ("summit", 1), ("visit", 2)]


def test_date_filters_overlap_month_precision_events(
    store: EventStore, filled: dict[str, int]
) -> None:
    # July 2000 overlaps a filter starting 15 July 2000.
    assert _titles(store, date_from=PartialDate(2000, 7, 15)) == [
        PUTIN.title,
        RESOLUTIONS.title,
        VLADIVOSTOK.title,
        BORDER.title,
    ]
    assert _titles(store, date_from=PartialDate(2000, 8, 1)) == [
        RESOLUTIONS.title,
        VLADIVOSTOK.title,
        BORDER.title,
    ]
    # ... and one ending 1 July 2000 (the filter's end date is inclusive).
    assert _titles(store, date_to=PartialDate(2000, 7, 1)) == [
        BIG_BANG.title,
        CAESAR.title,
        PUTIN.title,
    ]
    assert _titles(store, date_to=PartialDate(2000, 6, 30)) == [BIG_BANG.title, CAESAR.title]
    # A range event overlaps any filter inside it.
    assert _titles(store, date_from=PartialDate(2010), date_to=PartialDate(2010)) == [
        RESOLUTIONS.title
    ]
    # Ranges end at the end of their last day: 22 Dec 2017 is in, 23 Dec is out.
    assert RESOLUTIONS.title in _titles(store, date_from=PartialDate(2017, 12, 22))
    assert RESOLUTIONS.title not in _titles(store, date_from=PartialDate(2017, 12, 23))
    assert _titles(store, date_from=PartialDate(2018), date_to=PartialDate(2019)) == [
        VLADIVOSTOK.title
    ]
    assert _titles(store, date_from=PartialDate(-50), date_to=PartialDate(-40)) == [CAESAR.title]


def test_filters_combine_with_text(store: EventStore, filled: dict[str, int]) -> None:
    assert _titles(store, text="north") == [PUTIN.title, BORDER.title]
    assert _titles(store, text="north", hidden_categories=frozenset({""})) == [PUTIN.title]
    assert _titles(store, text="north", date_from=PartialDate(2001)) == [BORDER.title]
    assert _titles(store, text="putin", tags=frozenset({"summit"})) == [VLADIVOSTOK.title]
    assert _titles(store, text="nothing matches this") == []
    assert Filters().is_empty
    assert store.filtered_ids(Filters(text="kim")) == [
        filled[PUTIN.title],
        filled[VLADIVOSTOK.title],
    ]


# -- search ---------------------------------------------------------------------------


def test_prefix_search_as_you_type(store: EventStore, filled: dict[str, int]) -> None:
    vlad = filled[VLADIVOSTOK.title]
    for typed in ("v", "vl", "vlad", "VLAD", "Vladivo", "vladivostok", " vlad  "):
        assert vlad in searched(store, typed), typed
    assert searched(store, "vlad") == [vlad]
    assert searched(store, "summit vlad") == [vlad]  # every word, the last as a prefix
    assert searched(store, "vladx") == []
    assert searched(store, "zurich") == [filled[BORDER.title]]  # diacritics are ignored
    assert searched(store, "security council") == [filled[RESOLUTIONS.title]]
    # Operators and punctuation are just text.
    assert searched(store, '"far east"') == [vlad]
    assert searched(store, "Putin OR Caesar") == []
    assert searched(store, "kim NOT jong") == []
    assert sorted(searched(store, "")) == sorted(filled.values())


def test_fts_query_quotes_everything() -> None:
    assert fts_query("") is None
    assert fts_query("   ") is None
    assert fts_query("* ( ) ^ : -") is None
    assert fts_query("vlad") == '"vlad"*'
    assert fts_query('say "hi" NEAR(x') == '"say" """hi""" "NEAR(x"*'
    # A NUL would end the query early inside FTS5: it separates words instead.
    assert fts_query("vlad\x00") == '"vlad"*'
    assert fts_query("a\x00b") == '"a" "b"*'
    # So does an unpaired surrogate, which SQLite cannot even be given.
    assert fts_query("vlad\ud800") == '"vlad"*'
    assert fts_query("a\udc00b") == '"a" "b"*'


def test_a_nul_in_the_typed_text_does_not_spoil_the_search(
    store: EventStore, filled: dict[str, int]
) -> None:
    assert searched(store, "vlad\x00") == [filled[VLADIVOSTOK.title]]
    assert searched(store, "\x00summit\x00vlad") == [filled[VLADIVOSTOK.title]]


def test_an_unpaired_surrogate_in_the_typed_text_is_not_an_error(
    store: EventStore, filled: dict[str, int]
) -> None:
    # Qt can hand over half of a pasted emoji; encoding it for SQLite raised.
    assert searched(store, "vlad\ud83d") == [filled[VLADIVOSTOK.title]]
    assert _shown(store, Filters(text="\ude00vladivostok")) == [filled[VLADIVOSTOK.title]]


def test_search_index_follows_inserts_updates_and_deletes(store: EventStore) -> None:
    a = store.add_event(Event("Alpha launch", PartialDate(1990), description="rocket"))
    b = store.add_event(Event("Beta test", PartialDate(1991), description="prototype"))
    assert searched(store, "alpha") == [a]
    assert searched(store, "rocket") == [a]
    store.update_event(store.get_event(a).evolve(title="Gamma launch", description="ship"))
    assert searched(store, "alpha") == []
    assert searched(store, "rocket") == []
    assert searched(store, "gamma") == [a]
    assert searched(store, "ship") == [a]
    assert searched(store, "launch") == [a]
    store.delete_events([a])
    assert searched(store, "gamma") == []
    assert searched(store, "beta") == [b]
    # The external-content FTS index agrees with the events table.
    with store.atomic() as conn:
        conn.execute("INSERT INTO events_fts(events_fts, rank) VALUES ('integrity-check', 1)")


SPECIALS = [
    "",
    " ",
    "\t\n ",
    "\x00",
    "a\x00b",
    '"',
    '""',
    "'",
    "*",
    "(",
    ")",
    "()",
    "NEAR",
    "NEAR(a b)",
    "AND",
    "OR",
    "NOT",
    "a AND",
    "OR b",
    "NOT NOT",
    "^",
    "^a",
    ":",
    "title:",
    "title:x",
    "-",
    "-x",
    "--",
    "+",
    "{title}",
    "[",
    "\\",
    "%",
    "_",
    "é",
    "Владивосток",
    "北朝鮮",
    "🚀",
    "\u0301",
    "\ufeff",
    "\U0010ffff",
    "a*b",
    'x" OR "y',
]

_TOKENS = st.sampled_from(
    [*SPECIALS, "vlad", "putin", "kim", "north", "Korea", "*", '"', "(", ")", "NEAR/2"]
)


def test_search_never_raises_on_typed_text(store: EventStore, filled: dict[str, int]) -> None:
    everything = set(filled.values())

    @settings(
        max_examples=300,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
        database=None,
    )
    @given(
        text=st.one_of(
            st.text(),
            st.sampled_from(SPECIALS),
            st.lists(_TOKENS, max_size=6).map(" ".join),
            st.lists(_TOKENS, max_size=6).map("".join),
        )
    )
    def check(text: str) -> None:
        query = fts_query(text)
        if query is not None:  # FTS5 takes the quoted query as it is (no LIKE fallback)
            store._conn.execute(
                "SELECT count(*) FROM events_fts WHERE events_fts MATCH ?", (query,)
            ).fetchone()
        found = store.filtered_ids(Filters(text=text))
        assert set(found) <= everything
        assert _shown(store, Filters(text=text)) == found
        assert store.search_ids(text).tolist() == sorted(found)
        combined = _shown(
            store,
            Filters(text=text, hidden_categories=frozenset({""}), date_from=PartialDate(0)),
        )
        assert set(combined) <= set(found)

    check()


# -- ranges, order, deep time ---------------------------------------------------------


def test_bce_and_deep_time_dates_store_and_sort(db_path: Path) -> None:
    dates = [
        PartialDate(2024, 5, 16, 14, 30),
        PartialDate(-13_800_000_000),
        PartialDate(-66_000_000),
        PartialDate(-43, 3, 15),
        PartialDate(0),
        PartialDate(1, 1, 1),
        PartialDate(-100_000_000_000),
        PartialDate(-999_999, 12),
        PartialDate(100_000_000_000),
    ]
    with EventStore.open(db_path) as s:
        ids = add_all(s, [Event(f"At {d.iso()}", d) for d in dates])
    with EventStore.open(db_path) as s:
        for event_id, date in zip(ids, dates, strict=True):
            assert s.get_event(event_id).start == date
        arrays = s.load_arrays()
        ordered = sorted(dates, key=PartialDate.sort_key)
        assert [s.get_event(i).start for i in arrays.ids.tolist()] == ordered
        # positions come out of SQLite exactly, deep time too
        assert arrays.begin.tolist() == [d.begin() for d in ordered]
        assert arrays.finish.tolist() == [d.finish() for d in ordered]
        assert [e.start for e in s.events()] == ordered
        assert s.span() == (dates[6].begin(), dates[8].finish())
        # (what overlaps [-14e9 years, the end of 1 BCE), in chronological order)
        deep = s.filtered_ids(
            Filters(date_from=PartialDate(-14_000_000_000), date_to=PartialDate(-1))
        )
        assert deep == [ids[1], ids[2], ids[7], ids[3]]


def test_columns_are_sorted_by_begin(store: EventStore) -> None:
    store.import_timeline(synthetic_timeline(1500, seed=7))
    a = store.load_arrays()
    assert len(a) == 1500
    assert a.begin.tolist() == sorted(a.begin.tolist())
    assert bool((a.finish >= a.begin).all())
    assert a.ids.tolist() == store.filtered_ids(Filters())
    names = {c.id: c.name for c in store.categories()}
    for i in (0, 700, 1499):
        event = store.get_event(int(a.ids[i]))
        assert event.begin == a.begin[i]
        assert event.finish == a.finish[i]
        assert int(event.start.precision) == a.start_precision[i]
        end = event.end or event.start
        assert int(end.precision) == a.end_precision[i]
        assert bool(a.is_range[i]) == event.is_range
        assert a.titles[i] == event.title
        assert a.dates[i] == event.date_text()
        assert a.start_until[i] == event.start.finish()
        assert a.end_from[i] == end.begin()
        assert names.get(int(a.category[i]), "") == (event.category or "")
    # and the columns of some events alone are those rows of the whole
    some = store.arrays_for([int(a.ids[7]), int(a.ids[3]), 99_999])
    assert some.ids.tolist() == [int(a.ids[3]), int(a.ids[7])]
    assert some.begin.tolist() == [a.begin[3], a.begin[7]]
    assert some.lane.tolist() == [a.lane[3], a.lane[7]]


def test_a_date_range_filter_uses_an_index_and_is_right(store: EventStore) -> None:
    store.import_timeline(synthetic_timeline(2000, seed=5))  # runs PRAGMA optimize too
    executed: list[str] = []
    store._conn.set_trace_callback(executed.append)
    shown = Filters(date_from=PartialDate(1900), date_to=PartialDate(1950))
    found = store.filtered_ids(shown)
    store._conn.set_trace_callback(None)
    queries = [q for q in executed if q.lstrip().upper().startswith("SELECT")]
    assert len(queries) == 1
    plan = " ".join(
        str(r[-1]) for r in store._conn.execute("EXPLAIN QUERY PLAN " + queries[0]).fetchall()
    )
    assert "USING INDEX events_start_pos" in plan or "USING INDEX events_end_pos" in plan
    x0, x1 = PartialDate(1900).begin(), PartialDate(1950).finish()
    a = store.load_arrays()
    expected = set(a.ids[(a.begin < x1) & (a.finish > x0)].tolist())
    assert set(found) == expected
    assert 0 < len(found) < 2000
    assert found == [i for i in a.ids.tolist() if i in expected]  # in chronological order


# -- whole documents ------------------------------------------------------------------


def _rich_timeline() -> Timeline:
    return Timeline(
        title="Russia and North Korea",
        description="Two decades of <i>relations</i>.",
        source="seed.txt",
        events=[
            *SAMPLE,
            Event(
                "Second visit",
                PartialDate(2024, 6, 18),
                PartialDate(2024, 6, 19),
                category="Politics",
                tags=("visit", "summit"),
                display_date="June 18-19, 2024",
                extra={"unique_id": "visit-2", "background": {"color": "#222"}},
            ),
            Event("Launch", PartialDate(2023, 11, 21, 22, 43, 5), description="Spy satellite"),
        ],
        categories=[Category("Politics", "#e15759"), Category("Empty one", "#59a14f")],
        eras=[
            Era("Putin era", PartialDate(2000), PartialDate(2024), {"text": {"headline": "x"}}),
        ],
        extra={"media": {"url": "https://example.org/title.jpg"}},
    )


def test_export_import_export_round_trip(tmp_path: Path) -> None:
    with EventStore.open(tmp_path / "one.db") as one:
        one.import_timeline(_rich_timeline())
        first = one.export_timeline()
    assert first.title == "Russia and North Korea"
    assert first.extra == {"media": {"url": "https://example.org/title.jpg"}}
    assert {c.name: c.color for c in first.categories}["Politics"] == "#e15759"
    assert len(first.events) == len(SAMPLE) + 2
    with EventStore.open(tmp_path / "two.db") as two:
        two.import_timeline(first)
        second = two.export_timeline()
    assert without_ids(second) == without_ids(first)
    # Every field survived the trip (tags come back sorted).
    by_title = {e.title: e for e in second.events}
    for original in _rich_timeline().events:
        stored = by_title[original.title].evolve(id=None)
        assert stored == original.evolve(tags=tuple(sorted(original.tags, key=str.lower)))


def test_backup_is_a_consistent_openable_copy(store: EventStore, tmp_path: Path) -> None:
    store.set_meta(title="Backed up")
    add_all(store, SAMPLE)
    copy = tmp_path / "backup.db"
    store.backup_to(copy)
    store.add_event(Event("After the backup", PartialDate(2025)))  # not in the copy
    with EventStore.open(copy, create=False) as b:
        assert b.title == "Backed up"
        assert b.count() == len(SAMPLE)
        assert without_ids(b.export_timeline()).events == [
            e.evolve(id=None) for e in store.events() if e.title != "After the backup"
        ]
        assert searched(b, "vlad") != []
        assert b._conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    with EventStore.open(copy, readonly=True) as b:
        assert b.count() == len(SAMPLE)


def test_seed_sized_store_is_quick_with_memory_store() -> None:
    with EventStore.open(":memory:") as s:
        ids = add_all(s, SAMPLE)
        assert s.count() == len(SAMPLE)
        assert searched(s, "vlad") == [ids[2]]


def test_backup_into_a_missing_folder_is_a_store_error(store: EventStore, tmp_path: Path) -> None:
    target = tmp_path / "no such folder" / "copy.db"
    with pytest.raises(StoreError, match="cannot write"):
        store.backup_to(target)
    assert not target.parent.exists()


def test_a_failed_backup_leaves_a_file_that_was_there_alone(
    store: EventStore, tmp_path: Path
) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("Someone's notes, not a database.\n" * 100, encoding="utf-8")
    before = digest(notes)
    with pytest.raises(StoreError, match="cannot write"):
        store.backup_to(notes)
    assert digest(notes) == before  # it was deleted
    assert sidecars(notes) == []


def test_copy_to_memory_is_editable_and_leaves_the_file_alone(tmp_path: Path) -> None:
    path = tmp_path / "t.db"
    with EventStore.open(path) as store:
        add_all(store, SAMPLE)
    before = path.read_bytes()
    with EventStore.open(path, create=False, readonly=True) as source:
        copy = source.copy_to_memory()
    assert copy.count() == len(SAMPLE)
    copy.add_event(Event("Only in memory", PartialDate(2030)))
    assert searched(copy, "memory") != []
    copy.close()
    assert path.read_bytes() == before
