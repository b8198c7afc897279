"""A file the user may not write opens read-only and nothing is made beside it: not a
``-wal`` or ``-shm`` that would later stop every write, and not for a file in a folder
the user cannot write (read, not refused as damaged).  Run as a user other than root
(see :mod:`as_user`)."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from as_user import run_as_user, shared_dir

from viewer.model.dates import PartialDate
from viewer.model.event import Event, Timeline
from viewer.store import EventStore

READ = """
import json, sys
from viewer.store import EventStore
with EventStore.open(sys.argv[1], create=False) as store:
    print(json.dumps({"readonly": store.readonly, "count": store.count()}))
"""

WRITE = """
import sys
from viewer.model.dates import PartialDate
from viewer.model.event import Event
from viewer.store import EventStore
with EventStore.open(sys.argv[1], create=False) as store:
    assert not store.readonly, "opened read-only"
    store.add_event(Event("Written", PartialDate(2001)))
    print(store.count())
"""


@pytest.fixture
def folder() -> Iterator[Path]:
    """A folder outside root's private temp folders, reachable by the other user."""
    with tempfile.TemporaryDirectory(prefix="timeline-viewer-ro-") as name:
        yield shared_dir(Path(name))


def make(path: Path) -> Path:
    with EventStore.open(path) as store:
        store.import_timeline(
            Timeline(
                title="T", events=[Event("One", PartialDate(1999)), Event("Two", PartialDate(2000))]
            )
        )
    return path


def beside(path: Path) -> list[str]:
    return sorted(p.name for p in path.parent.iterdir() if p.name != path.name)


def read(path: Path) -> dict[str, object]:
    done = run_as_user(READ, str(path))
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_a_write_protected_file_is_read_and_nothing_is_made_beside_it(folder: Path) -> None:
    db = make(folder / "t.db")
    db.chmod(0o444)
    assert read(db) == {"readonly": True, "count": 2}
    assert beside(db) == []
    # made writable again, it takes writes: nothing was left that refuses them
    db.chmod(0o666)
    done = run_as_user(WRITE, str(db))
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "3"


def test_a_file_in_a_folder_the_user_cannot_write_is_read_not_refused(folder: Path) -> None:
    inner = shared_dir(folder / "locked")
    db = make(inner / "t.db")
    db.chmod(0o666)  # the file could be written; its folder cannot
    inner.chmod(0o555)
    try:
        assert read(db) == {"readonly": True, "count": 2}
        assert beside(db) == []
        # the command line reads it too
        done = run_as_user("import sys; from viewer.cli import main; sys.exit(main(sys.argv[1:]))",
                           "info", str(db))  # fmt: skip
        assert done.returncode == 0, done.stderr
        assert "events: 2" in done.stdout
        assert beside(db) == []
    finally:
        inner.chmod(0o755)


def test_a_read_only_file_with_a_journal_left_is_read_with_it(folder: Path) -> None:
    """A file whose writer did not close (its -wal still there) is read with what the
    -wal holds, in a folder the user may write but a file they may not."""
    db = make(folder / "t.db")
    writer = EventStore.open(db)
    writer.add_event(Event("Three", PartialDate(2001)))  # in the -wal, not checkpointed
    try:
        db.chmod(0o444)
        for sidecar in ("-wal", "-shm"):
            Path(f"{db}{sidecar}").chmod(0o666)
        assert read(db) == {"readonly": True, "count": 3}
    finally:
        db.chmod(0o666)
        writer.close()
