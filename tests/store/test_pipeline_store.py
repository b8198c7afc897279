"""The store's data pipeline: migration v1 → v2, columnar reads, the deferred integrity
check, restricted searches and search as one types."""

from __future__ import annotations

import functools
import hashlib
import json
import sqlite3
import struct
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import viewer.store.core as core_module
from viewer.model.dates import CALENDAR_YEAR_LIMIT, DEEP_TIME_LIMIT, PartialDate, days_in_month
from viewer.model.event import Event, Timeline
from viewer.model.filters import Filters
from viewer.model.lanes import DATA_GAP, default_lanes, default_scale, mark_extents
from viewer.store import EventStore, StoreError
from viewer.store.bulk import read_columns
from viewer.store.reads import _ARRAY_COLUMNS
from viewer.store.schema import APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION
from viewer.store.search import TypedSearch

SIDECARS = ("-wal", "-shm", "-journal")
FAST = settings(
    max_examples=40,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)


# -- helpers --------------------------------------------------------------------------


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def sidecars(path: Path) -> list[str]:
    return [s for s in SIDECARS if Path(str(path) + s).exists()]


def header_version(path: Path) -> int:
    """``PRAGMA user_version`` read from the file header (no connection opened)."""
    return int.from_bytes(path.read_bytes()[60:64], "big")


def raw_rows(path: Path, sql: str) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def add_all(store: EventStore, events: Iterable[Event]) -> list[int]:
    """Add events in one transaction; their ids."""
    with store.atomic():
        return [store.add_event(e) for e in events]


def ids_of(store: EventStore) -> list[int]:
    return [int(r[0]) for r in store._conn.execute("SELECT id FROM events ORDER BY id")]


def expected_tag_counts(events: Sequence[Event]) -> list[tuple[str, int]]:
    counts: dict[str, int] = {}
    for event in events:
        for tag in event.tags:
            counts[tag] = counts.get(tag, 0) + 1
    return sorted(counts.items(), key=lambda kv: kv[0].lower())


def assert_lanes_are_the_default_layout(store: EventStore) -> None:
    """Every event has a stored lane; within a lane no two marks overlap (with the gap
    the packing keeps); the lanes are exactly the default layout of the events."""
    rows = store._conn.execute(
        "SELECT e.id, e.start_pos, e.end_pos, e.end IS NOT NULL, l.lane "
        "FROM events e LEFT JOIN lanes l ON l.id = e.id ORDER BY e.id"
    ).fetchall()
    assert rows, "no events"
    assert all(r[4] is not None for r in rows), "an event without a stored lane"
    assert store._conn.execute("SELECT count(*) FROM lanes").fetchone()[0] == len(rows)
    begin = np.array([r[1] for r in rows], dtype=np.float64)
    finish = np.array([r[2] for r in rows], dtype=np.float64)
    rng = np.array([bool(r[3]) for r in rows])
    lanes = np.array([r[4] for r in rows], dtype=np.int64)
    scale = store.layout_scale()
    assert scale is not None
    assert scale == default_scale(float(begin.min()), float(finish.max()))
    lo, hi = mark_extents(begin, finish, rng, scale)
    gap = DATA_GAP / scale
    for lane in np.unique(lanes):
        sel = lanes == lane
        order = np.argsort(lo[sel], kind="stable")
        a, b = lo[sel][order], hi[sel][order]
        assert np.all(b[:-1] <= a[1:]), f"marks overlap in lane {lane}"
        assert np.all(b[:-1] + gap * (1 - 1e-9) <= a[1:]), f"no gap kept in lane {lane}"
    assert lanes.min() >= 0
    assert np.array_equal(lanes, default_lanes(begin, finish, rng, scale))
    assert store.lane_count() == int(lanes.max()) + 1
    arrays = store.load_arrays()
    by_id = dict(zip(ids_of(store), lanes.tolist(), strict=True))
    assert arrays.lane.tolist() == [by_id[i] for i in arrays.ids.tolist()]


# -- a genuine version 1 file ---------------------------------------------------------

# A cluster of overlapping modern events (several lanes), deep time, BCE dates, every
# precision, ranges and points, events without category or tags.
V1_EVENTS: tuple[Event, ...] = (
    Event(
        "Treaty of Tilsit",
        PartialDate(1807, 7, 7),
        description="Napoleon meets Alexander on a raft.",
        category="Diplomacy",
        tags=("treaty", "russia"),
    ),
    Event(
        "Caesar crosses the Rubicon",
        PartialDate(-48, 1, 10),
        category="History",
        tags=("rome",),
    ),
    Event(
        "Cold War",
        PartialDate(1947),
        PartialDate(1991, 12, 26),
        description="Russia and the USA, in Zürich and elsewhere.",
        category="Politics",
        tags=("russia", "usa"),
    ),
    Event(
        "Sputnik",
        PartialDate(1957, 10, 4, 19, 28, 34),
        description="The first satellite.",
        category="Science",
        tags=("space", "russia"),
        extra={"media": {"url": "https://example.org/sputnik.png"}},
    ),
    Event(
        "Moon landing",
        PartialDate(1969, 7, 20, 20, 17),
        category="Science",
        tags=("space", "usa"),
        source_url="https://example.org/apollo",
    ),
    Event("Chicxulub impact", PartialDate(-66_000_000), description="The dinosaurs end."),
    Event("Big Bang", PartialDate(-13_800_000_000), category="Science"),
    Event("Hour of the summit", PartialDate(2019, 4, 25, 10), display_date="25 April 2019"),
    *(
        Event(
            f"Summit day {i}",
            PartialDate(2019, 4, 20 + i),
            PartialDate(2019, 5, 1 + i),
            tags=("summit",) if i % 2 else (),
            category="Politics" if i % 3 else None,
        )
        for i in range(6)
    ),
)


def _v1_values(event: Event, category_id: int | None) -> tuple[object, ...]:
    """The ``events`` row of an event, as version 1 of the app wrote it."""
    return (
        event.title,
        event.description,
        event.start.iso(),
        event.end.iso() if event.end else None,
        event.begin,
        event.finish,
        event.start.finish(),
        (event.end or event.start).begin(),
        int(event.start.precision),
        int(event.end.precision) if event.end else None,
        category_id,
        event.source_url,
        event.display_date,
        json.dumps(event.extra, ensure_ascii=False, sort_keys=True),
        "2024-01-01T00:00:00Z",
        "2024-01-01T00:00:00Z",
    )


def make_v1_file(
    path: Path, events: Sequence[Event] = V1_EVENTS, *, journal: str = "delete"
) -> list[Event]:
    """A version 1 file made by the version 1 schema (``MIGRATIONS[0]``), with the
    version stamp and application id the app wrote; the events, with their ids."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute(f"PRAGMA journal_mode = {journal}")
        conn.execute("BEGIN")
        MIGRATIONS[0](conn)
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        conn.execute("PRAGMA user_version = 1")
        conn.execute("INSERT INTO meta(key, value) VALUES ('title', 'An old timeline')")
        categories: dict[str, int] = {}
        for name in sorted({e.category for e in events if e.category}):
            cur = conn.execute(
                "INSERT INTO categories(name, color) VALUES (?, ?)", (name, "#123456")
            )
            categories[name] = int(cur.lastrowid or 0)
        # a tag no event carries any more (version 1 did not always drop them)
        conn.execute("INSERT INTO tags(name) VALUES ('forgotten')")
        stored: list[Event] = []
        for event in events:
            cur = conn.execute(
                "INSERT INTO events(title, description, start, end, start_pos, end_pos, "
                "start_until, end_from, start_precision, end_precision, category_id, "
                "source_url, display_date, extra, created, updated) "
                "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                _v1_values(event, categories.get(event.category or "")),
            )
            event_id = int(cur.lastrowid or 0)
            for tag in event.tags:
                conn.execute("INSERT OR IGNORE INTO tags(name) VALUES (?)", (tag,))
                conn.execute(
                    "INSERT INTO event_tags(event_id, tag_id) SELECT ?, id FROM tags "
                    "WHERE name = ?",
                    (event_id, tag),
                )
            stored.append(event.evolve(id=event_id, tags=tuple(sorted(event.tags, key=str.lower))))
        conn.execute("COMMIT")
    finally:
        conn.close()
    assert sidecars(path) == []
    return stored


#: The columns version 1 has (later versions add columns after them).
_V1_EVENT_COLUMNS = (
    "id, title, description, start, end, start_pos, end_pos, start_until, end_from, "
    "start_precision, end_precision, category_id, source_url, display_date, extra, "
    "created, updated"
)
_TABLES_KEPT = (
    f"SELECT {_V1_EVENT_COLUMNS} FROM events ORDER BY id",
    "SELECT * FROM categories ORDER BY id",
    "SELECT * FROM event_tags ORDER BY event_id, tag_id",
    "SELECT id, name FROM tags ORDER BY id",
    "SELECT * FROM meta ORDER BY key",
    "SELECT * FROM eras ORDER BY id",
)


# -- 1. migration v1 → v2 -------------------------------------------------------------


def test_the_v1_file_is_genuine(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    make_v1_file(path)
    assert header_version(path) == 1
    names = {r[0] for r in raw_rows(path, "SELECT name FROM sqlite_master")}
    assert "events_fts" in names
    assert not names & {"lanes", "derived"}
    columns = {r[1] for r in raw_rows(path, "PRAGMA table_info(tags)")}
    assert "uses" not in columns
    fts = raw_rows(path, "SELECT sql FROM sqlite_master WHERE name = 'events_fts'")[0][0]
    assert "columnsize" not in str(fts)


def test_a_v1_file_opened_writable_is_migrated_to_the_latest(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    expected = make_v1_file(path)
    before = [raw_rows(path, sql) for sql in _TABLES_KEPT]
    with EventStore.open(path) as store:
        assert store.has_lanes
        assert store.checked
        # the events, their tags and everything else exactly as they were
        assert sorted(store.events(), key=lambda e: e.id or 0) == expected
        assert [store._conn.execute(sql).fetchall() for sql in _TABLES_KEPT] == before
        # every event placed, no overlaps, the default layout
        assert_lanes_are_the_default_layout(store)
        # tag counts, kept in the file now (the unused tag counts 0 and is not listed)
        assert store.tag_counts() == expected_tag_counts(expected)
        uses = dict(store._conn.execute("SELECT name, uses FROM tags").fetchall())
        assert uses == {**dict(expected_tag_counts(expected)), "forgotten": 0}
        # the full-text index made again, without column sizes, and complete
        fts = store._conn.execute(
            "SELECT sql FROM sqlite_master WHERE name = 'events_fts'"
        ).fetchone()[0]
        assert "columnsize=0" in fts
        with store.atomic() as conn:
            conn.execute("INSERT INTO events_fts(events_fts, rank) VALUES ('integrity-check', 1)")
        sputnik = next(e.id for e in expected if e.title == "Sputnik")
        assert store.search_ids("satellite").tolist() == [sputnik]
        assert store.search_ids("zurich").tolist() == [
            next(e.id for e in expected if e.title == "Cold War")
        ]
        assert store.span() == (
            min(e.begin for e in expected),
            max(e.finish for e in expected),
        )
        edges = np.array([PartialDate(-14_000_000_000).begin(), PartialDate(0).begin(), 1e18])
        assert store.start_counts(edges).tolist() == [
            sum(e.begin < edges[1] for e in expected),
            sum(e.begin >= edges[1] for e in expected),
        ]
        # the triggers count from now on
        new = store.add_event(Event("Gagarin", PartialDate(1961, 4, 12), tags=("space", "new")))
        counts = dict(store.tag_counts())
        assert counts["space"] == 3 and counts["new"] == 1
        store.delete_events([new, sputnik])
        counts = dict(store.tag_counts())
        assert counts["space"] == 1 and "new" not in counts
        assert store._conn.execute("SELECT count(*) FROM tags WHERE name = 'new'").fetchone() == (
            0,
        )
        lanes_after_edits = store._conn.execute("SELECT * FROM lanes ORDER BY id").fetchall()
    assert header_version(path) == SCHEMA_VERSION == 5
    assert sidecars(path) == []
    assert raw_rows(path, "SELECT DISTINCT qualifiers FROM events") == [(0,)]
    # opened again: not migrated again, the lanes kept
    with EventStore.open(path) as store:
        assert store._conn.execute("SELECT * FROM lanes ORDER BY id").fetchall() == (
            lanes_after_edits
        )


@pytest.mark.parametrize("journal", ["delete", "wal"])
def test_a_v1_file_opened_read_only_is_read_as_it_is_and_left_untouched(
    tmp_path: Path, journal: str
) -> None:
    path = tmp_path / "old.db"
    expected = make_v1_file(path, journal=journal)
    before = digest(path)
    ids = [e.id for e in expected if e.id is not None]
    with EventStore.open(path, readonly=True) as store:
        assert store.readonly
        assert not store.has_lanes
        assert store.lane_count() == 0
        assert store.layout_scale() is None
        assert store.lanes_of(ids) == {}
        assert sorted(store.events(), key=lambda e: e.id or 0) == expected
        assert store.tag_counts() == expected_tag_counts(expected)
        arrays = store.load_arrays()
        assert sorted(arrays.ids.tolist()) == ids
        assert arrays.lane.tolist() == [-1] * len(ids)  # the views place them
        assert store.arrays_in_lanes(0, 10).ids.tolist() == []
        assert store.search_ids("satellite").tolist() == [
            next(e.id for e in expected if e.title == "Sputnik")
        ]
        assert "sputnik" in store.prefix_terms("sp")
        assert store.tagged_ids(["usa"]).tolist() == sorted(
            e.id for e in expected if "usa" in e.tags and e.id is not None
        )
        with pytest.raises(StoreError, match="read-only"):
            store.add_event(Event("New", PartialDate(2001)))
        with pytest.raises(StoreError, match="read-only"):
            store.set_meta(title="Changed")
        # a snapshot of it is brought up to date in memory, not in the file
        copy = store.copy_to_memory()
        try:
            assert copy.has_lanes
            assert copy.tag_counts() == expected_tag_counts(expected)
            assert_lanes_are_the_default_layout(copy)
        finally:
            copy.close()
    assert digest(path) == before
    assert sidecars(path) == []
    assert header_version(path) == 1


def test_a_v1_file_is_checked_before_its_upgrade_even_when_the_check_may_wait(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "old.db"
    make_v1_file(path)
    monkeypatch.setattr(core_module, "DEFER_CHECK_BYTES", 0)
    with EventStore.open(path, defer_check=True) as store:
        assert store.checked  # an upgrade writes, so it cannot wait for the check
        assert store.has_lanes
        store.add_event(Event("After the upgrade", PartialDate(2024)))
    assert header_version(path) == SCHEMA_VERSION


# -- 2. bulk.read_columns -------------------------------------------------------------


@st.composite
def partial_dates(draw: st.DrawFn, *, max_year: int = DEEP_TIME_LIMIT) -> PartialDate:
    precision = draw(st.integers(0, 5))
    if precision == 0:
        year = draw(
            st.one_of(
                st.integers(-3000, 3000),
                st.integers(-max_year, max_year),
                st.sampled_from([0, -1, 1, -43, 1970, 1969]),
            )
        )
        return PartialDate(year)
    limit = min(CALENDAR_YEAR_LIMIT, max_year)
    year = draw(st.one_of(st.integers(-3000, 3000), st.integers(-limit, limit)))
    month = draw(st.integers(1, 12))
    fields = [year, month]
    if precision >= 2:
        fields.append(draw(st.integers(1, days_in_month(year, month))))
    if precision >= 3:
        fields.append(draw(st.integers(0, 23)))
    if precision >= 4:
        fields.append(draw(st.integers(0, 59)))
    if precision >= 5:
        fields.append(draw(st.integers(0, 59)))
    return PartialDate(*fields)


@st.composite
def events(draw: st.DrawFn, *, max_year: int = DEEP_TIME_LIMIT) -> Event:
    start = draw(partial_dates(max_year=max_year))
    end: PartialDate | None = None
    if draw(st.booleans()):
        other = draw(partial_dates(max_year=max_year))
        start, end = sorted((start, other), key=PartialDate.begin)
    category = draw(st.sampled_from([None, "A", "B", "C"]))
    return Event("Event", start, end, category=category)


def naive_columns(
    conn: sqlite3.Connection,
    columns: dict[str, tuple[str, type[np.generic]]],
    table: str = "events",
) -> dict[str, np.ndarray]:
    """The same columns read row by row, each value a Python object (the reference)."""
    names = list(columns)
    select = ", ".join(columns[n][0] for n in names)
    rows = conn.execute(f"SELECT {select} FROM {table}").fetchall()
    return {
        n: np.array([r[k] for r in rows], dtype=columns[n][1]).reshape(len(rows))
        for k, n in enumerate(names)
    }


def assert_same_columns(got: dict[str, np.ndarray], want: dict[str, np.ndarray]) -> None:
    assert got.keys() == want.keys()
    for name in want:
        assert got[name].dtype == want[name].dtype, name
        assert got[name].tolist() == want[name].tolist(), name


def _fill(store: EventStore, drawn: Sequence[Event]) -> None:
    add_all(store, drawn)


@FAST
@given(drawn=st.lists(events(), min_size=0, max_size=12))
def test_read_columns_equals_a_row_by_row_read(drawn: list[Event]) -> None:
    with EventStore.open(":memory:") as store:
        _fill(store, drawn)
        conn = store._conn
        got = read_columns(conn, _ARRAY_COLUMNS)
        assert_same_columns(got, naive_columns(conn, _ARRAY_COLUMNS))
        lanes = {"ids": ("id", np.int64), "lane": ("lane", np.int32)}
        assert_same_columns(
            read_columns(conn, lanes, table="lanes"), naive_columns(conn, lanes, "lanes")
        )
        # and the positions are those of the events, exactly
        assert sorted(got["begin"].tolist()) == sorted(e.begin for e in drawn)
        assert sorted(got["finish"].tolist()) == sorted(e.finish for e in drawn)


def in_index_order(drawn: Sequence[Event]) -> list[Event]:
    """Events in an order where ids, ``start_pos`` and ``end_pos`` all ascend together,
    so that a scan of the table and a scan of either index meet the rows alike (see
    :func:`test_the_exact_reread_keeps_the_rows_in_step` for why that matters)."""
    chain: list[Event] = []
    for event in sorted(drawn, key=lambda e: (e.begin, e.finish)):
        if not chain or event.finish >= chain[-1].finish:
            chain.append(event)
    return chain


def _shift(store: EventStore, fraction: float, where: str = "") -> None:
    """Positions that are not whole seconds, as another program may write them."""
    with store.atomic() as conn:
        conn.execute(
            "UPDATE events SET start_pos = start_pos + ?, end_pos = end_pos + ?, "
            f"start_until = start_until + ?, end_from = end_from - ? {where}",
            (fraction, fraction, fraction, fraction),
        )


@FAST
@given(
    drawn=st.lists(events(max_year=1_000_000), min_size=1, max_size=10),
    fraction=st.sampled_from([0.25, 0.5, 0.125, 0.75]),
)
def test_read_columns_reads_non_integral_positions_exactly(
    drawn: list[Event], fraction: float
) -> None:
    # Any float value that is not whole (here: every position of every row) makes
    # read_columns read the float columns again, printed with 17 digits.
    with EventStore.open(":memory:") as store:
        _fill(store, in_index_order(drawn))
        _shift(store, fraction)
        conn = store._conn
        statements: list[str] = []
        conn.set_trace_callback(statements.append)
        try:
            got = read_columns(conn, _ARRAY_COLUMNS)
        finally:
            conn.set_trace_callback(None)
        assert any("printf" in s for s in statements)  # the exact path was taken
        want = naive_columns(conn, _ARRAY_COLUMNS)
        assert_same_columns(got, want)
        assert all(v % 1 == fraction for v in got["begin"].tolist())
        arrays = store.load_arrays()
        for name in ("begin", "finish", "start_until", "end_from"):
            by_id = dict(zip(want["ids"].tolist(), want[name].tolist(), strict=True))
            assert getattr(arrays, name).tolist() == [by_id[i] for i in arrays.ids.tolist()]


def test_the_exact_reread_keeps_the_rows_in_step() -> None:
    with EventStore.open(":memory:") as store:
        # ids ascending, dates descending
        ids = add_all(store, [Event(f"E{i}", PartialDate(2010 - i)) for i in range(3)])
        _shift(store, 0.5)
        want = naive_columns(store._conn, _ARRAY_COLUMNS)
        assert want["ids"].tolist() == ids
        assert_same_columns(read_columns(store._conn, _ARRAY_COLUMNS), want)


def test_load_arrays_of_non_integral_positions_keeps_each_event_its_dates() -> None:
    with EventStore.open(":memory:") as store:
        ids = add_all(store, [Event(f"E{i}", PartialDate(2010 - i)) for i in range(3)])
        _shift(store, 0.5)
        arrays = store.load_arrays()
        for event_id in ids:
            event = store.get_event(event_id)
            assert event is not None
            assert arrays.begin[arrays.index_of(event_id)] == event.begin + 0.5


def _table(values: Sequence[tuple[float, float]]) -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, a REAL NOT NULL, b REAL NOT NULL)")
    conn.executemany("INSERT INTO t(a, b) VALUES (?, ?)", values)
    return conn


_ONE = {"ids": ("id", np.int64), "a": ("a", np.float64)}
_TWO = {"ids": ("id", np.int64), "a": ("a", np.float64), "b": ("b", np.float64)}


@pytest.mark.parametrize(
    "values",
    [
        [(1.0, 2.0), (3.5, 4.0), (5.0, 6.0)],  # a fraction in a middle row
        [(1.0, 2.0), (3.0, 4.0), (-5.25, 6.0)],  # a negative one in the last row
        [(1.5, 2.0), (3.0, 4.0)],
        [(1e19, 0.0), (2.0, 0.0)],  # beyond int64: CAST saturates, read exactly instead
        [(-1e300, 0.0), (5e-324, 0.0)],
        [(2.0**53, 0.0), (-(2.0**62), 0.0)],  # whole: read as integers, exact
    ],
)
def test_read_columns_one_float_column_any_row(values: list[tuple[float, float]]) -> None:
    conn = _table(values)
    assert_same_columns(read_columns(conn, _ONE, table="t"), naive_columns(conn, _ONE, "t"))
    assert read_columns(conn, _ONE, table="t")["a"].tolist() == [a for a, _b in values]


def test_read_columns_several_float_columns_fraction_in_the_first_row() -> None:
    values = [(1.5, 2.0), (3.0, 4.25), (5.0, 6.0)]
    conn = _table(values)
    assert_same_columns(read_columns(conn, _TWO, table="t"), naive_columns(conn, _TWO, "t"))


@pytest.mark.parametrize(
    "values",
    [
        [(1.0, 2.0), (3.5, 4.0), (5.0, 6.0)],
        [(1.0, 2.0), (3.0, 4.0), (5.0, 6.75)],
        [(1.0, 2.0), (1e19, 4.0)],
    ],
    ids=["middle", "last", "huge"],
)
def test_read_columns_several_float_columns_fraction_in_a_later_row(
    values: list[tuple[float, float]],
) -> None:
    conn = _table(values)
    assert_same_columns(read_columns(conn, _TWO, table="t"), naive_columns(conn, _TWO, "t"))


def test_load_arrays_keeps_a_non_integral_position_of_a_later_event() -> None:
    with EventStore.open(":memory:") as store:
        ids = add_all(store, [Event(f"E{i}", PartialDate(2000 + i)) for i in range(3)])
        _shift(store, 0.5, f"WHERE id = {ids[1]}")
        want = store._conn.execute("SELECT start_pos FROM events WHERE id = ?", (ids[1],))
        begin = want.fetchone()[0]
        arrays = store.load_arrays()
        assert arrays.begin[arrays.index_of(ids[1])] == begin


# -- 3. the deferred integrity check ---------------------------------------------------


SOME_EVENTS: tuple[Event, ...] = tuple(
    Event(
        f"Event number {i}",
        PartialDate(1900 + i, 1 + i % 12),
        description=f"about russia and korea {i}",
        category=("Politics", "Science", None)[i % 3],
        tags=(f"tag{i % 4}",),
    )
    for i in range(40)
)


def make_store_file(path: Path) -> None:
    with EventStore.open(path) as store:
        add_all(store, SOME_EVENTS)
    assert sidecars(path) == []


@pytest.fixture
def deferring(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every file counts as big: its full check may be left for later."""
    monkeypatch.setattr(core_module, "DEFER_CHECK_BYTES", 0)


def _writes(store: EventStore) -> list[tuple[str, Callable[[], object]]]:
    first = store.get_event(ids_of(store)[0])
    assert first is not None and first.id is not None
    return [
        ("add_event", lambda: store.add_event(Event("New", PartialDate(2001)))),
        ("update_event", lambda: store.update_event(first.evolve(title="Changed"))),
        ("delete_events", lambda: store.delete_events([first.id or 0])),
        ("add_category", lambda: store.add_category("New")),
        ("update_category", lambda: store.update_category("Politics", color="#000000")),
        ("delete_category", lambda: store.delete_category("Politics")),
        ("set_event_categories", lambda: store.set_event_categories([first.id or 0], "Science")),
        ("set_meta", lambda: store.set_meta(title="Changed")),
        (
            "import_timeline",
            lambda: store.import_timeline(Timeline(events=[Event("New", PartialDate(2001))])),
        ),
    ]


def _atomic_write(store: EventStore) -> None:
    with store.atomic() as conn:
        conn.execute("INSERT INTO meta(key, value) VALUES ('x', 'y')")


def test_a_store_not_yet_checked_refuses_every_write_until_the_check_passes(
    db_path: Path, deferring: None
) -> None:
    make_store_file(db_path)
    before = digest(db_path)
    store = EventStore.open(db_path, defer_check=True)
    try:
        assert not store.checked
        # reads work meanwhile (the events load beside the check)
        assert store.count() == len(SOME_EVENTS)
        assert len(store.load_arrays()) == len(SOME_EVENTS)
        assert len(store.search_ids("russia")) == len(SOME_EVENTS)
        for name, write in _writes(store):
            with pytest.raises(StoreError, match="still being checked") as info:
                write()
            assert str(db_path) in str(info.value), name
            assert type(info.value) is StoreError, name
        with pytest.raises(StoreError, match="still being checked; try again in a moment"):
            _atomic_write(store)
        assert store.count() == len(SOME_EVENTS)
        assert digest(db_path) == before  # nothing written
        store.check_integrity()
        assert store.checked
        store.check_integrity()  # a second call does nothing
        assert store.checked
        new = store.add_event(Event("Written", PartialDate(2001), tags=("tag0",)))
        assert store.get_event(new) is not None
        _atomic_write(store)
        for _name, write in _writes(store):
            write()
    finally:
        store.close()
    with EventStore.open(db_path) as again:
        assert again.meta()["title"] == "Changed"


def test_small_or_undeferred_files_are_checked_as_they_open(db_path: Path) -> None:
    make_store_file(db_path)
    for defer in (False, True):  # the file is far below DEFER_CHECK_BYTES
        with EventStore.open(db_path, defer_check=defer) as store:
            assert store.checked
            store.add_event(Event("Fine", PartialDate(2001)))
    with EventStore.open(":memory:", defer_check=True) as store:
        assert store.checked
        store.check_integrity()


def test_the_check_may_run_in_another_thread(db_path: Path, deferring: None) -> None:
    import threading

    make_store_file(db_path)
    with EventStore.open(db_path, defer_check=True) as store:
        errors: list[BaseException] = []

        def run() -> None:
            try:
                store.check_integrity()
            except BaseException as exc:  # pragma: no cover - reported below
                errors.append(exc)

        thread = threading.Thread(target=run)
        thread.start()
        arrays = store.load_arrays()  # loads meanwhile
        thread.join(10)
        assert not errors
        assert len(arrays) == len(SOME_EVENTS)
        assert store.checked
        store.add_event(Event("Fine", PartialDate(2001)))


def _damage_freelist(path: Path) -> None:
    """The header claims free pages there are not (quick_check reports it in words)."""
    data = bytearray(path.read_bytes())
    data[36:40] = struct.pack(">I", 3)
    path.write_bytes(bytes(data))


def _damage_a_page(path: Path) -> None:
    """A b-tree page of a table nothing reads while opening gets an invalid type
    (quick_check raises "database disk image is malformed")."""
    conn = sqlite3.connect(path)
    try:
        root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'eras'").fetchone()[0]
        size = conn.execute("PRAGMA page_size").fetchone()[0]
    finally:
        conn.close()
    data = bytearray(path.read_bytes())
    data[(root - 1) * size] = 0x42
    path.write_bytes(bytes(data))


DAMAGE = [
    pytest.param(_damage_freelist, "is damaged: ", id="freelist"),
    pytest.param(_damage_a_page, "is damaged or not a timeline file", id="page"),
]


@pytest.mark.parametrize("readonly", [False, True], ids=["rw", "ro"])
@pytest.mark.parametrize(("damage", "message"), DAMAGE)
def test_a_damaged_file_is_refused_at_open_and_left_untouched(
    db_path: Path, damage: Callable[[Path], None], message: str, readonly: bool
) -> None:
    make_store_file(db_path)
    damage(db_path)
    before = digest(db_path), db_path.stat().st_mtime_ns
    with pytest.raises(StoreError, match="damaged") as info:
        EventStore.open(db_path, readonly=readonly, defer_check=True)
    assert message in str(info.value)
    assert str(db_path) in str(info.value)
    assert (digest(db_path), db_path.stat().st_mtime_ns) == before
    assert sidecars(db_path) == []


@pytest.mark.parametrize(("damage", "message"), DAMAGE)
def test_a_damaged_file_fails_its_deferred_check_and_is_left_untouched(
    db_path: Path, damage: Callable[[Path], None], message: str, deferring: None
) -> None:
    make_store_file(db_path)
    damage(db_path)
    before = digest(db_path)
    store = EventStore.open(db_path, defer_check=True)
    try:
        assert not store.checked
        assert store.count() == len(SOME_EVENTS)
        with pytest.raises(StoreError, match="damaged") as info:
            store.check_integrity()
        assert message in str(info.value)
        assert str(db_path) in str(info.value)
        assert not store.checked
        with pytest.raises(StoreError, match="still being checked"):
            store.add_event(Event("Never written", PartialDate(2001)))
    finally:
        store.close()
    assert digest(db_path) == before
    assert sidecars(db_path) == []


def _without_statistics(path: Path) -> None:
    """A file whose tables were never analysed (one written by another program, or
    one whose last session ended without closing the store)."""
    conn = sqlite3.connect(path)
    try:
        conn.execute("DROP TABLE IF EXISTS sqlite_stat1")
        conn.commit()
    finally:
        conn.close()
    assert sidecars(path) == []


def test_a_damaged_file_is_not_written_on_close_after_reads_and_a_failed_check(
    db_path: Path, deferring: None
) -> None:
    make_store_file(db_path)
    _without_statistics(db_path)
    _damage_a_page(db_path)
    before = digest(db_path)
    store = EventStore.open(db_path, defer_check=True)
    try:
        # what the window reads while the check runs
        store.load_arrays()
        store.tag_counts()
        store.tagged_ids(["tag1"])
        store.search_ids("russia")
        with pytest.raises(StoreError, match="damaged"):
            store.check_integrity()
    finally:
        store.close()
    assert digest(db_path) == before


def test_a_damaged_rollback_journal_file_is_untouched_by_a_deferred_open(
    db_path: Path, deferring: None
) -> None:
    make_store_file(db_path)
    conn = sqlite3.connect(db_path)
    try:
        assert conn.execute("PRAGMA journal_mode = DELETE").fetchone()[0] == "delete"
    finally:
        conn.close()
    _damage_a_page(db_path)
    before = digest(db_path)
    # a file not in WAL mode is checked as it opens (making it WAL would write to it)
    with pytest.raises(StoreError, match="damaged"):
        EventStore.open(db_path, defer_check=True)
    assert digest(db_path) == before


# -- 4. search_ids and tagged_ids with ``among`` ---------------------------------------

WORDS = (
    "russia",
    "russian",
    "rust",
    "rusty",
    "north",
    "korea",
    "summit",
    "treaty",
    "zürich",
    "moscow",
    "kim",
    "ru",
)
TAGS = ("visit", "summit", "war", "Peace", "ünï", "two words")


def fold(word: str) -> str:
    """A word as the index keeps it (unicode61, remove_diacritics 2), for these words."""
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def tokens(event: Event) -> set[str]:
    text = f"{event.title} {event.description}"
    return {fold(w) for w in text.replace(",", " ").split()}


def naive_search(events: Sequence[Event], words: Sequence[str]) -> list[int]:
    """What a search for ``words`` finds: every word, the last one as a prefix."""
    if not words:
        return sorted(e.id for e in events if e.id is not None)
    *whole, last = [fold(w) for w in words]
    found = []
    for event in events:
        have = tokens(event)
        if all(w in have for w in whole) and any(t.startswith(last) for t in have):
            assert event.id is not None
            found.append(event.id)
    return sorted(found)


def naive_tagged(events: Sequence[Event], tags: Sequence[str]) -> list[int]:
    wanted = set(tags)
    return sorted(e.id for e in events if e.id is not None and wanted & set(e.tags))


_TEXT = st.lists(st.sampled_from(WORDS), min_size=1, max_size=4).map(" ".join)
store_events = st.lists(
    st.builds(
        lambda title, description, tags, year: Event(
            title.capitalize(), PartialDate(year), description=description, tags=tags
        ),
        _TEXT,
        st.one_of(st.just(""), _TEXT),
        st.lists(st.sampled_from(TAGS), max_size=3, unique=True).map(tuple),
        st.integers(1900, 2030),
    ),
    max_size=8,
)
_PREFIX = st.sampled_from(WORDS).flatmap(lambda w: st.integers(1, len(w)).map(lambda k: w[:k]))
query_words = st.lists(st.one_of(st.sampled_from(WORDS), _PREFIX), max_size=3)


def amongs(ids: Sequence[int]) -> st.SearchStrategy[list[int]]:
    """Restrictions: none of the ids, a few, all of them, ids not in the store, mixed."""
    unknown = st.integers(-3, 3).map(lambda i: i if i < 1 else 10_000 + i)
    choices = [st.just([]), st.just(list(ids)), st.lists(unknown, min_size=1, max_size=4)]
    if ids:
        known = st.sampled_from(list(ids))
        choices += [st.lists(known, max_size=4), st.lists(st.one_of(known, unknown), max_size=6)]
    return st.one_of(choices)


def _stored(store: EventStore, drawn: Sequence[Event]) -> list[Event]:
    ids = add_all(store, drawn)
    return [e.evolve(id=i) for e, i in zip(drawn, ids, strict=True)]


@FAST
@given(drawn=store_events, words=query_words, data=st.data())
def test_search_ids_among_is_the_unrestricted_answer_intersected(
    drawn: list[Event], words: list[str], data: st.DataObject
) -> None:
    with EventStore.open(":memory:") as store:
        stored = _stored(store, drawn)
        ids = [e.id for e in stored if e.id is not None]
        text = " ".join(w.upper() if len(w) % 2 else w for w in words)
        everything = store.search_ids(text)
        assert everything.dtype == np.int64
        assert everything.tolist() == naive_search(stored, words)
        assert everything.tolist() == sorted(store.filtered_ids(Filters(text=text)))
        for _ in range(3):
            among = data.draw(amongs(ids), label="among")
            restricted = store.search_ids(text, among=among)
            assert restricted.dtype == np.int64
            assert restricted.tolist() == np.intersect1d(everything, among).tolist()
            assert store.search_ids(text, among=tuple(among)).tolist() == restricted.tolist()


@FAST
@given(
    drawn=store_events,
    tags=st.lists(st.one_of(st.sampled_from(TAGS), st.just("missing")), max_size=3),
    data=st.data(),
)
def test_tagged_ids_among_is_the_unrestricted_answer_intersected(
    drawn: list[Event], tags: list[str], data: st.DataObject
) -> None:
    with EventStore.open(":memory:") as store:
        stored = _stored(store, drawn)
        ids = [e.id for e in stored if e.id is not None]
        everything = store.tagged_ids(tags)
        assert everything.dtype == np.int64
        assert everything.tolist() == naive_tagged(stored, tags)
        assert store.tagged_ids(iter(tags)).tolist() == everything.tolist()
        for _ in range(3):
            among = data.draw(amongs(ids), label="among")
            restricted = store.tagged_ids(tags, among=among)
            assert restricted.dtype == np.int64
            assert restricted.tolist() == np.intersect1d(everything, among).tolist()


FTS_SYNTAX = [
    "",
    " ",
    "\t\n  ",
    '"',
    '""',
    '"russia',
    'russia"',
    '"north korea"',
    "'",
    "*",
    "**",
    "rus*",
    "*rus",
    "-",
    "-russia",
    "russia -korea",
    "--",
    "NEAR",
    "NEAR(russia korea)",
    "NEAR(russia korea, 2)",
    "russia NEAR/2 korea",
    "AND",
    "russia AND korea",
    "OR",
    "NOT",
    "russia NOT",
    "AND OR NOT",
    "(",
    ")",
    "()",
    "(russia",
    "russia)",
    "(russia OR korea)",
    "^",
    "^russia",
    ":",
    "title:",
    "title:russia",
    "{title description}: russia",
    "+",
    "\\",
    "%",
    "_",
    "\x00",
    "rus\x00sia",
    "\ud800",
    "zürich",
    "Zürich",
    "ZU\u0308RICH",
    "Москва",
    "北朝鮮",
    "🚀",
    "\u0301",
    "\ufeff",
    "\U0010ffff",
    'x" OR "y',
    "russia*korea",
]


def encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


@pytest.fixture
def searchable() -> Iterator[tuple[EventStore, list[int]]]:
    with EventStore.open(":memory:") as store:
        ids = add_all(
            store,
            [
                Event("Russia and North Korea", PartialDate(2000), description="a treaty"),
                Event("Summit in Zürich", PartialDate(2001), tags=("summit",)),
                Event("Москва", PartialDate(2002), description="北朝鮮 🚀", tags=("ünï",)),
                Event("NEAR AND OR NOT", PartialDate(2003), description='say "hi" (x) -y'),
            ],
        )
        yield store, ids


@pytest.mark.parametrize("text", FTS_SYNTAX)
def test_search_with_fts_syntax_never_raises(
    searchable: tuple[EventStore, list[int]], text: str
) -> None:
    store, ids = searchable
    for among in (None, [], ids[:2], [*ids, 99_999], [99_999]):
        found = store.search_ids(text, among=among)
        assert found.dtype == np.int64
        values = found.tolist()
        assert values == sorted(set(values))
        assert set(values) <= set(ids if among is None else among) & set(ids)
        if among is not None:
            assert values == np.intersect1d(store.search_ids(text), among).tolist()
    if encodable(text):  # (a tag name is stored text: never half a surrogate pair)
        assert store.tagged_ids([text]).tolist() == []


def test_fts_syntax_is_searched_as_words(searchable: tuple[EventStore, list[int]]) -> None:
    store, ids = searchable
    russia, zurich, moskva, operators = ids
    assert store.search_ids("").tolist() == ids
    assert store.search_ids("   ").tolist() == ids
    assert store.search_ids('"north korea"').tolist() == [russia]
    assert store.search_ids("russia -korea").tolist() == [russia]  # "-korea" is just korea
    assert store.search_ids("(russia").tolist() == [russia]
    assert store.search_ids("ZU\u0308RICH").tolist() == [zurich]
    assert store.search_ids("zurich").tolist() == [zurich]
    assert store.search_ids("москва").tolist() == [moskva]
    assert store.search_ids("near and or not").tolist() == [operators]
    assert store.search_ids("AND").tolist() == [russia, operators]
    assert store.tagged_ids(["ünï"]).tolist() == [moskva]


@functools.cache
def _searchable_store() -> EventStore:
    """One small store for the many texts below (searches do not change it)."""
    store = EventStore.open(":memory:")
    add_all(
        store,
        [
            Event("Russia and North Korea", PartialDate(2000)),
            Event("Zürich", PartialDate(2001), tags=("a",)),
        ],
    )
    return store


@settings(max_examples=150, deadline=None, database=None)
@given(
    text=st.one_of(
        st.text(max_size=20),
        st.lists(st.sampled_from([*FTS_SYNTAX, "russia", "kor", "zür"]), max_size=5).map(" ".join),
        st.lists(st.sampled_from([*FTS_SYNTAX, "russia", "kor"]), max_size=5).map("".join),
    )
)
def test_search_never_raises_on_any_text(text: str) -> None:
    store = _searchable_store()
    found = store.search_ids(text)
    assert set(found.tolist()) <= {1, 2}
    assert store.search_ids(text, among=[2, 3]).tolist() == np.intersect1d(found, [2, 3]).tolist()
    assert store.search_ids(text, among=[]).tolist() == []
    if encodable(text):
        assert store.tagged_ids([text], among=[1, 2]).tolist() == ([2] if text == "a" else [])


# -- 5. TypedSearch --------------------------------------------------------------------


class Spy:
    """Counts the searches a TypedSearch really makes on its store."""

    def __init__(self, store: EventStore) -> None:
        self.store = store
        self.calls = 0
        store.search_ids = self  # type: ignore[method-assign]

    def __call__(self, text: str, among: Sequence[int] | None = None) -> np.ndarray:
        self.calls += 1
        return EventStore.search_ids(self.store, text, among)


def retitle(store: EventStore, event_id: int, title: str) -> None:
    event = store.get_event(event_id)
    assert event is not None
    store.update_event(event.evolve(title=title))


def fresh(store: EventStore, text: str) -> list[int]:
    """A search from scratch (past any spy)."""
    return EventStore.search_ids(store, text).tolist()


@pytest.fixture(params=["same-store", "reader"])
def typing_stores(
    request: pytest.FixtureRequest, db_path: Path
) -> Iterator[tuple[EventStore, EventStore]]:
    """The store edited, and the one the search reads (the app gives the search a
    read-only reader of the file)."""
    main = EventStore.open(db_path)
    reader = main.reader() if request.param == "reader" else main
    try:
        yield main, reader
    finally:
        if reader is not main:
            reader.close()
        main.close()


def test_typed_search_follows_typing_backspacing_and_edits(
    typing_stores: tuple[EventStore, EventStore],
) -> None:
    main, reader = typing_stores
    russia, envoy, _rusty, _north = add_all(
        main,
        [
            Event("Russia and North Korea", PartialDate(2000)),
            Event("Russian envoy", PartialDate(2001), description="in Moscow"),
            Event("Rusty nail", PartialDate(2002)),
            Event("North", PartialDate(2003), description="korea"),
        ],
    )
    searcher = TypedSearch(reader)
    spy = Spy(reader)
    searches = 0

    def check(text: str) -> None:
        nonlocal searches
        searches += 1
        got = searcher.search(text)
        assert got.dtype == np.int64
        assert got.tolist() == fresh(main, text), text

    def edit(change: Callable[[], object]) -> None:
        change()
        searcher.forget()  # as the window does after every commit that touches events

    word = "russian"
    for k in range(1, len(word) + 1):  # r, ru, rus, russ, russi, russia, russian
        check(word[:k])
    for k in range(len(word), 0, -1):  # and back
        check(word[:k])
    assert spy.calls < searches  # some answers were reused

    # edits between letters: a word that is already in the index elsewhere, a new
    # word under the prefix, words taken away
    check("rus")
    edit(lambda: main.add_event(Event("Russia today", PartialDate(2004))))
    check("russ")
    check("russi")
    edit(lambda: main.add_event(Event("Russell", PartialDate(2005), description="rusk")))
    check("russ")
    check("rus")
    edit(lambda: retitle(main, russia, "Korea alone"))
    check("russ")
    check("russi")
    edit(lambda: main.delete_events([envoy]))
    check("russia")
    check("russian")
    check("russia")
    # several words: the words before the last take part
    for text in ("north r", "north ru", "north rus", "korea ru", "korea r", "korea", ""):
        check(text)
    edit(lambda: main.add_event(Event("North Russia", PartialDate(2006))))
    for text in ("north r", "north ru", "north rus", "north russia", "north russ"):
        check(text)
    # a last word that is not plain ASCII is always searched afresh
    for text in ("zü", "zür", "rus*", 'ru"', "ru-"):
        check(text)
    edit(lambda: main.add_event(Event("Zürich", PartialDate(2007))))
    for text in ("zü", "zür", "zu", "zur"):
        check(text)


TYPED = "rusiantk "


@FAST
@given(
    drawn=st.lists(st.sampled_from(WORDS), min_size=1, max_size=6),
    actions=st.lists(
        st.one_of(
            st.tuples(st.just("type"), st.sampled_from(TYPED)),
            st.tuples(st.just("back"), st.just("")),
            st.tuples(st.just("clear"), st.just("")),
            st.tuples(st.just("add"), _TEXT),
            st.tuples(st.just("retitle"), _TEXT),
            st.tuples(st.just("delete"), st.just("")),
        ),
        max_size=30,
    ),
)
def test_typed_search_always_equals_a_fresh_search(
    drawn: list[str], actions: list[tuple[str, str]]
) -> None:
    with EventStore.open(":memory:") as store:
        for k, word in enumerate(drawn):
            store.add_event(Event(word.capitalize(), PartialDate(2000 + k)))
        searcher = TypedSearch(store)
        text = ""
        for kind, value in actions:
            if kind == "type":
                text += value
            elif kind == "back":
                text = text[:-1]
            elif kind == "clear":
                text = ""
            else:
                ids = ids_of(store)
                if kind == "add":
                    store.add_event(Event(value.capitalize(), PartialDate(2020)))
                elif ids and kind == "retitle":
                    event = store.get_event(ids[len(text) % len(ids)])
                    assert event is not None
                    store.update_event(event.evolve(title=value))
                elif ids:
                    store.delete_events([ids[len(text) % len(ids)]])
                searcher.forget()
            assert searcher.search(text).tolist() == fresh(store, text), (kind, text)


def test_a_forget_while_a_search_runs_is_not_lost(db_path: Path) -> None:
    with EventStore.open(db_path) as main:
        main.add_event(Event("Russia", PartialDate(2000)))
        reader = main.reader()
        try:
            searcher = TypedSearch(reader)

            def racing(text: str, among: Sequence[int] | None = None) -> np.ndarray:
                found = EventStore.search_ids(reader, text, among)  # read before the edit
                # meanwhile the GUI thread commits an edit and forgets, as the app does
                main.add_event(Event("Russia again", PartialDate(2001)))
                searcher.forget()
                del reader.search_ids  # type: ignore[attr-defined]
                return found

            reader.search_ids = racing  # type: ignore[method-assign]
            searcher.search("russ")
            assert searcher.search("russi").tolist() == fresh(main, "russi")
        finally:
            reader.close()


def test_typed_search_reuses_only_when_the_terms_are_the_same(db_path: Path) -> None:
    with EventStore.open(db_path) as store:
        add_all(
            store,
            [Event("Parliament", PartialDate(2000)), Event("Parliamentary", PartialDate(2001))],
        )
        searcher = TypedSearch(store)
        spy = Spy(store)
        searcher.search("parl")
        assert spy.calls == 1
        searcher.search("parlia")  # same terms: {parliament, parliamentary}
        searcher.search("parliament")
        assert spy.calls == 1
        assert searcher.search("parliamenta").tolist() == fresh(store, "parliamenta")
        assert spy.calls == 2  # {parliamentary} only
        assert searcher.search("parliamentx").tolist() == []
        assert searcher.search("parliamenty").tolist() == []  # no terms either: reused
        assert spy.calls == 3
        assert searcher.search("x parliament").tolist() == []  # other words before
        assert spy.calls == 4
        searcher.forget()
        searcher.search("x parliament")
        assert spy.calls == 5
