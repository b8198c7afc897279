"""A process killed while it writes a store leaves a store that opens, whole.

Each test starts a real process that writes a timeline file (the command line's
``import`` of a big generated sheet CSV, or a loop of edits through the store), kills
it with SIGKILL at some moment of the write (found by watching the file and its
journals, or the edits it reports), and opens what is left:

* it opens (read-only, as ``info`` and ``export`` do, and for writing, as the window
  does), SQLite's ``integrity_check`` and the full-text index's own check pass;
* an import is all or nothing: every row of the file, or none (not even its
  categories);
* edits are a prefix: every edit the process reported as committed is there, whole
  (each is one transaction that adds an event, changes the one before and sets the
  description), and at most the one it was committing when it died.

POSIX only (SIGKILL).  The imports are sized to take a second or two, so that the
moments can be hit by watching the files.
"""

from __future__ import annotations

import contextlib
import csv
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from viewer.cli import main
from viewer.store import EventStore

pytestmark = pytest.mark.skipif(
    os.name != "posix" or not hasattr(signal, "SIGKILL"), reason="needs POSIX signals"
)

REPO = Path(__file__).resolve().parents[1]
ROWS = 120_000
GROUPS = ("Alpha", "Beta", "Gamma", "Delta", "Epsilon")
SIDECARS = ("-journal", "-wal", "-shm")


# -- processes --------------------------------------------------------------------------


def environment() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    return env


def start(args: list[str], cwd: Path, *, stdout: int = subprocess.DEVNULL) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, *args],
        cwd=cwd,
        env=environment(),
        stdin=subprocess.DEVNULL,
        stdout=stdout,
        stderr=subprocess.PIPE,
        text=True,
    )


def kill(proc: subprocess.Popen) -> None:
    """SIGKILL the process we started (by its id), and reap it."""
    with contextlib.suppress(ProcessLookupError):  # (it ended by itself)
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait(10)


def size(path: Path) -> int:
    """The size of a file, or -1 when it is not there (now)."""
    try:
        return path.stat().st_size
    except OSError:
        return -1


def kill_when(
    proc: subprocess.Popen,
    moment: Callable[[], bool],
    *,
    delay: float = 0.0,
    timeout: float = 25.0,
) -> bool:
    """Kill ``proc`` once ``moment()`` holds (after ``delay``); whether it was killed
    rather than finished first."""
    deadline = time.monotonic() + timeout
    try:
        while proc.poll() is None:
            if moment():
                if delay:
                    time.sleep(delay)
                kill(proc)
                return proc.returncode == -signal.SIGKILL
            if time.monotonic() > deadline:
                raise AssertionError("the moment to kill never came")
            time.sleep(0.0005)
    finally:
        if proc.poll() is None:
            kill(proc)
    return False


@pytest.fixture
def processes() -> Iterator[list[subprocess.Popen]]:
    """Processes a test started: none outlives it."""
    started: list[subprocess.Popen] = []
    yield started
    for proc in started:
        if proc.poll() is None:
            kill(proc)
        for stream in (proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()


# -- the file imported ------------------------------------------------------------------


@pytest.fixture(scope="module")
def big_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A sheet CSV big enough to be streamed and bulk-loaded (a second or two)."""
    path = tmp_path_factory.mktemp("source") / "big.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["Year", "Month", "Day", "End Year", "Headline", "Text", "Group"])
        for i in range(ROWS):
            year = -500 + i % 2500
            end = str(year + 3) if i % 10 == 0 else ""
            writer.writerow(
                [year, 1 + i % 12, 1 + i % 28, end, f"Row {i}", f"Text of row {i}", GROUPS[i % 5]]
            )
    return path


def cli(*args: str) -> list[str]:
    return ["-m", "viewer", *args]


# -- what is left -----------------------------------------------------------------------


def sqlite_checks(path: Path) -> None:
    """SQLite's own checks of the file and of the full-text index."""
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        conn.execute("INSERT INTO events_fts(events_fts) VALUES ('integrity-check')")
        conn.commit()
        lanes, events = conn.execute(
            "SELECT (SELECT count(*) FROM lanes), (SELECT count(*) FROM events)"
        ).fetchone()
        assert lanes == events
        bad_uses = conn.execute(
            "SELECT count(*) FROM tags WHERE uses != "
            "(SELECT count(*) FROM event_tags WHERE tag_id = tags.id)"
        ).fetchone()[0]
        assert bad_uses == 0
    finally:
        conn.close()


def opened_count(path: Path) -> int:
    """Open what is left as ``info`` does, then as the window does; its events."""
    with EventStore.open(path, readonly=True) as store:
        seen = store.count()
    with EventStore.open(path) as store:
        assert store.count() == seen
        assert len(store.load_arrays()) == seen
    sqlite_checks(path)
    return seen


def assert_all_or_nothing(path: Path, before: int = 0) -> int:
    """The import is wholly there or not at all; how many events there are."""
    n = opened_count(path)
    assert n in (before, before + ROWS), n
    with EventStore.open(path, readonly=True) as store:
        names = {c.name for c in store.categories()}
        if n == before + ROWS:
            assert set(GROUPS) <= names
            assert store.search_ids("Row 119999").size > 0
            assert store.search_ids(f"Row {ROWS // 2}").size > 0
        elif before == 0:
            assert names == set()
            assert store.meta_with_extra() == {}
    return n


def sidecars(path: Path) -> list[str]:
    return [s for s in SIDECARS if Path(f"{path}{s}").exists()]


def building(db: Path) -> Path | None:
    """The hidden file a first import makes before it is ``db`` (EventStore.created)."""
    return next(db.parent.glob(f".{db.name}.*.new"), None)


def built_size(db: Path, suffix: str = "") -> int:
    """The size of the file being made for ``db`` (or its journal), -1 if none."""
    made = building(db)
    return size(Path(f"{made}{suffix}")) if made is not None else -1


def first_import_left(db: Path, killed: bool) -> int:
    """What a first import killed (or not) left: the whole file at ``db``, or nothing
    there (then maybe the hidden file it was making, removed by the next one)."""
    if not db.exists():
        assert killed  # killed before the file was in place: nothing imported
        return 0
    n = assert_all_or_nothing(db)
    assert n == ROWS  # (in place only once whole)
    assert sidecars(db) == []
    return n


# -- imports ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "delay"),
    [
        pytest.param("journal", 0.0, id="as-the-import-begins"),
        pytest.param("journal", 0.6, id="well-into-the-import"),
        pytest.param("writing", 0.0, id="while-the-file-is-written"),
        pytest.param("committed", 0.0, id="just-after-the-commit"),
    ],
)
def test_a_killed_first_import_is_all_or_nothing(
    tmp_path: Path,
    big_csv: Path,
    processes: list[subprocess.Popen],
    moment: str,
    delay: float,
) -> None:
    db = tmp_path / "new.db"
    proc = start(cli("import", str(big_csv), "--db", str(db)), tmp_path)
    processes.append(proc)
    moments = {
        # the import's own transaction: the rollback journal filling, no WAL any more
        "journal": lambda: built_size(db, "-journal") > 16384 and built_size(db, "-wal") < 0,
        # the commit: pages going into the file itself while the journal is hot
        "writing": lambda: built_size(db) > 1_000_000 and built_size(db, "-journal") > 0,
        # committed: the file whole, a small journal for going back to WAL mode
        "committed": lambda: built_size(db) > 20_000_000 and 0 < built_size(db, "-journal") < 16384,
    }
    killed = kill_when(proc, moments[moment], delay=delay)
    if moment == "journal":
        assert killed, proc.stderr.read() if proc.stderr else ""
        assert not db.exists()  # nothing is at its name before it is whole
    if not killed:
        assert proc.returncode == 0
    n = first_import_left(db, killed)
    if n == 0:  # the name takes a new import, which clears what the killed one left
        src = tmp_path / "small.csv"
        src.write_text("Year,Headline\n1999,Again\n", encoding="utf-8")
        assert main(["import", str(src), "--db", str(db)]) == 0
        assert opened_count(db) == 1
    assert building(db) is None
    assert sidecars(db) == []


def test_a_killed_generate_is_all_or_nothing(
    tmp_path: Path, processes: list[subprocess.Popen]
) -> None:
    db = tmp_path / "generated.db"
    proc = start(cli("generate", "--events", str(ROWS), "--out", str(db)), tmp_path)
    processes.append(proc)
    killed = kill_when(proc, lambda: built_size(db, "-journal") > 16384, delay=0.3)
    assert killed or proc.returncode == 0
    if db.exists():
        assert opened_count(db) == ROWS
        assert sidecars(db) == []
    else:
        assert killed


def test_a_killed_import_into_a_store_with_events_is_all_or_nothing(
    tmp_path: Path, big_csv: Path, processes: list[subprocess.Popen]
) -> None:
    db = tmp_path / "old.db"
    src = tmp_path / "first.csv"
    src.write_text(
        "Year,Headline,Group\n1999,First,Alpha\n2000,Second,\n-44,Third,Beta\n", encoding="utf-8"
    )
    assert main(["import", str(src), "--db", str(db)]) == 0
    wal = Path(f"{db}-wal")
    proc = start(cli("import", str(big_csv), "--db", str(db)), tmp_path)
    processes.append(proc)
    killed = kill_when(proc, lambda: size(wal) > 2_000_000)
    assert killed or proc.returncode == 0
    n = assert_all_or_nothing(db, before=3)
    with EventStore.open(db, readonly=True) as store:
        titles = [e.title for e in store.events()[:3]] if n == 3 else None
        if titles is not None:
            assert sorted(titles) == ["First", "Second", "Third"]
        assert {"Alpha", "Beta"} <= {c.name for c in store.categories()}


# -- edits ------------------------------------------------------------------------------

EDITS = """
import sys
from viewer.model.dates import PartialDate
from viewer.model.event import Event
from viewer.store import EventStore

store = EventStore.open(sys.argv[1])
ids = []
i = 0
while True:
    with store.atomic():
        ids.append(store.add_event(Event(
            f"Edit {i}",
            PartialDate(1900 + i % 150, 1 + i % 12, 1 + i % 28),
            description=f"made {i}",
            category=f"C{i % 3}",
            tags=(f"t{i % 4}",),
        )))
        if i:
            last = store.get_event(ids[-2])
            store.update_event(last.evolve(description=f"done {i - 1}", tags=()))
        store.set_meta(description=str(i))
    print(i, flush=True)
    i += 1
"""


def committed_edits(path: Path) -> int:
    """How many edits the file holds, checking that they are a prefix and each whole."""
    with EventStore.open(path) as store:
        events = {e.title: e for e in store.events()}
        description = store.meta()["description"]
        tags = dict(store.tag_counts())
    n = len(events)
    assert set(events) == {f"Edit {i}" for i in range(n)}  # a prefix, nothing skipped
    if n:
        assert description == str(n - 1)  # the last edit's own third part
        for i in range(n - 1):  # each later edit changed the one before
            assert events[f"Edit {i}"].description == f"done {i}"
            assert events[f"Edit {i}"].tags == ()
        last = events[f"Edit {n - 1}"]
        assert (last.description, last.tags) == (f"made {n - 1}", (f"t{(n - 1) % 4}",))
        assert tags == {f"t{(n - 1) % 4}": 1}
    sqlite_checks(path)
    return n


@pytest.mark.parametrize("after", [1, 40, 250])
def test_killed_edits_leave_a_whole_prefix(
    tmp_path: Path, processes: list[subprocess.Popen], after: int
) -> None:
    db = tmp_path / "edits.db"
    EventStore.open(db).close()
    proc = start(["-c", EDITS, str(db)], tmp_path, stdout=subprocess.PIPE)
    processes.append(proc)
    assert proc.stdout is not None
    reported = 0
    deadline = time.monotonic() + 20
    while reported < after:
        line = proc.stdout.readline()
        assert line, proc.stderr.read() if proc.stderr else "the editing process ended"
        reported = int(line) + 1
        assert time.monotonic() < deadline
    kill(proc)
    assert proc.returncode == -signal.SIGKILL
    reported += len(proc.stdout.read().split())  # reported before it died
    n = committed_edits(db)
    # every edit reported committed is there; at most the one under way besides
    assert reported <= n <= reported + 1


# -- the moment before the file has a header ----------------------------------------------

DIE_AT_FIRST_WRITE = """
import os, signal, sqlite3, sys

connect = sqlite3.connect


class Dying(sqlite3.Connection):
    def execute(self, sql, *args):
        if sql.lstrip().upper().startswith("PRAGMA JOURNAL_MODE"):
            os.kill(os.getpid(), signal.SIGKILL)  # killed as it starts to write
        return super().execute(sql, *args)


sqlite3.connect = lambda *a, **k: connect(*a, factory=Dying, **k)
from viewer.cli import main
sys.exit(main(sys.argv[1:]))
"""


def test_a_first_import_killed_before_anything_is_written(
    tmp_path: Path, big_csv: Path, processes: list[subprocess.Popen]
) -> None:
    db = tmp_path / "new.db"
    proc = start(["-c", DIE_AT_FIRST_WRITE, "import", str(big_csv), "--db", str(db)], tmp_path)
    processes.append(proc)
    proc.wait(20)
    assert proc.returncode == -signal.SIGKILL
    # the new file is made aside and linked into place whole: nothing is at ``db``
    assert not db.exists()
    proc = start(["-m", "viewer", "import", str(big_csv), "--db", str(db)], tmp_path)
    processes.append(proc)
    assert proc.wait(60) == 0
    assert opened_count(db) > 0  # the same command, run again, makes it
    assert building(db) is None  # and clears what the killed one left
