"""Two processes importing into one new file: both imports land, or one does and the
other says why in one line; a file this process did not make is never removed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from viewer.store import EventStore, StoreError

REPO = Path(__file__).resolve().parents[2]
TRIALS = 20


def cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "viewer", *args]


def environment() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    return env


@pytest.fixture
def source(tmp_path: Path) -> Path:
    path = tmp_path / "events.csv"
    rows = "\n".join(f"{1900 + i},Event {i}" for i in range(14))
    path.write_text(f"Year,Headline\n{rows}\n", encoding="utf-8")
    return path


def test_two_imports_into_one_new_file_never_lose_it(tmp_path: Path, source: Path) -> None:
    outcomes: set[str] = set()
    for trial in range(TRIALS):
        db = tmp_path / f"r{trial}.db"
        procs = [
            subprocess.Popen(
                cli("import", str(source), "--db", str(db)),
                env=environment(),
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(2)
        ]
        results = [(p.wait(60), *p.communicate()) for p in procs]
        codes = sorted(code for code, _out, _err in results)
        assert db.exists(), results
        with EventStore.open(db, readonly=True) as store:
            count = store.count()
        if codes == [0, 0]:
            assert count == 28, results  # both imports
            outcomes.add("both")
        else:
            assert codes[0] == 0 and codes[1] != 0, results
            assert count == 14, results  # one import, and one clear error
            err = next(e for code, _o, e in results if code != 0).strip()
            assert len(err.splitlines()) == 1 and "Traceback" not in err, err
            assert "meanwhile" in err or "another program is writing" in err, err
            outcomes.add("one")
        # nothing is left beside it
        assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(f".r{trial}")) == []
    assert outcomes  # (which happened depends on the timing)


def test_created_never_removes_a_file_it_did_not_make(tmp_path: Path) -> None:
    db = tmp_path / "taken.db"
    with pytest.raises(StoreError, match="made it meanwhile"), EventStore.created(db) as store:
        store.set_meta(title="mine")
        with EventStore.open(db) as other:  # another program makes it meanwhile
            other.set_meta(title="theirs")
    with EventStore.open(db, readonly=True) as store:
        assert store.meta()["title"] == "theirs"
    assert [p.name for p in tmp_path.iterdir()] == ["taken.db"]


def test_created_leaves_nothing_when_the_block_fails(tmp_path: Path) -> None:
    db = tmp_path / "new.db"
    with pytest.raises(RuntimeError), EventStore.created(db):
        raise RuntimeError("the import failed")
    assert list(tmp_path.iterdir()) == []


def test_what_a_killed_process_left_is_cleared_by_the_next(tmp_path: Path) -> None:
    db = tmp_path / "new.db"
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    left = tmp_path / f".new.db.{gone.stdout.strip()}.0000.new"
    left.write_bytes(b"half a file")
    Path(f"{left}-journal").write_bytes(b"x")
    with EventStore.created(db) as store:
        store.set_meta(title="whole")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new.db"]
