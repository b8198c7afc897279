"""The command line: import, export, generate and info, and one-line errors."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from viewer.cli import main
from viewer.store import EventStore, StoreError

REPO = Path(__file__).resolve().parents[1]
SIDECARS = ("-wal", "-shm", "-journal")

NEWS = """\
SEOUL (Reuters) – Two leaders will meet again, officials said.
Below is a timeline of key events in relations between the two countries.
July, 2000
Putin visits North Korea and holds a summit meeting with Kim Jong Il.
April 25, 2019
Putin and Kim Jong Un meet in Vladivostok for their first summit.
May 16-17, 2024
The U.S. and Britain impose sanctions on Russian entities.
(Reporting by A. Writer; editing by B. Editor)
"""

TIMELINEJS = {
    "title": {"text": {"headline": "Tiny JSON timeline", "text": "Just two events."}},
    "events": [
        {
            "start_date": {"year": 1969, "month": 7, "day": 20},
            "text": {"headline": "Moon landing", "text": "Apollo 11 lands."},
            "group": "Space",
        },
        {
            "start_date": {"year": -43},
            "text": {"headline": "Caesar dies", "text": "44 BC in TimelineJS years."},
        },
    ],
}

SHEET = """\
Year,Month,Day,Headline,Text,Group
1989,11,9,Berlin Wall falls,Crowds cross the border.,Europe
1991,12,,Soviet Union dissolves,,Europe
2000,,,Millennium,A new century begins (almost).,
"""


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def sidecars(path: Path) -> list[str]:
    return [s for s in SIDECARS if Path(str(path) + s).exists()]


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def run_ok(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    code = main([*args])
    out, err = capsys.readouterr()
    assert (code, err) == (0, ""), err
    return out


def run_error(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    """Run a failing command; return its single ``error:`` line (without the prefix)."""
    code = main([*args])
    out, err = capsys.readouterr()
    assert code != 0
    assert out == ""
    assert "Traceback" not in err
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("error: ")
    return lines[0].removeprefix("error: ")


def make_newer(path: Path) -> None:
    with EventStore.open(path) as store:
        store.set_meta(title="From the future")
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 99")
    conn.commit()
    conn.close()


# -- import ---------------------------------------------------------------------------


def test_import_news_creates_the_store_and_says_how_many(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = write(tmp_path / "relations.txt", NEWS)
    before = digest(src)
    db = tmp_path / "new.db"
    out = run_ok(capsys, "import", str(src), "--db", str(db), "--format", "news")
    assert (
        out == f"imported 3 events into {db} (3 in all), read as News-style text timeline · UTF-8\n"
    )
    assert digest(src) == before
    assert sidecars(db) == []
    with EventStore.open(db) as store:
        events = store.events()
        assert [e.start.iso() for e in events] == ["2000-07", "2019-04-25", "2024-05-16"]
        assert events[2].end is not None and events[2].end.iso() == "2024-05-17"
        assert events[1].display_date == "April 25, 2019"
        assert store.search_ids("vlad").tolist() == [events[1].id]
    # Importing again adds to the same store; the format is guessed from the content.
    out = run_ok(capsys, "import", str(src), "--db", str(db))
    assert (
        out == f"imported 3 events into {db} (6 in all), read as News-style text timeline · UTF-8\n"
    )


def test_import_reads_utf8_with_bom_and_crlf(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "windows.txt"
    src.write_bytes(b"\xef\xbb\xbf" + NEWS.replace("\n", "\r\n").encode("utf-8"))
    db = tmp_path / "w.db"
    assert run_ok(capsys, "import", str(src), "--db", str(db)).startswith("imported 3 events")
    with EventStore.open(db) as store:
        assert all("\r" not in e.description for e in store.events())


def test_a_store_failure_during_import_leaves_no_new_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(self: EventStore, header: object, batches: object, **kw: object) -> None:
        raise StoreError("the disk is full")

    monkeypatch.setattr(EventStore, "import_batches", broken)
    db = tmp_path / "half.db"
    src = write(tmp_path / "n.txt", NEWS)
    assert run_error(capsys, "import", str(src), "--db", str(db)) == "the disk is full"
    assert not db.exists()
    assert sidecars(db) == []


def test_import_the_seed_file(
    seed_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = digest(seed_path)
    db = tmp_path / "seed.db"
    out = run_ok(capsys, "import", str(seed_path), "--db", str(db))
    assert out.startswith("imported 14 events into ")
    assert out.endswith("(14 in all), read as News-style text timeline · UTF-8\n")
    assert digest(seed_path) == before
    with EventStore.open(db, readonly=True) as store:
        assert store.count() == 14
        assert store.search_ids("vlad").size > 0


def test_import_timelinejs_and_csv(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "mixed.db"
    src = write(tmp_path / "tiny.json", json.dumps(TIMELINEJS))
    out = run_ok(capsys, "import", str(src), "--db", str(db), "--format", "timelinejs")
    assert out == f"imported 2 events into {db} (2 in all), read as TimelineJS JSON · UTF-8\n"
    sheet = write(tmp_path / "sheet.csv", SHEET)
    out = run_ok(capsys, "import", str(sheet), "--db", str(db))
    assert out == (
        f"imported 3 events into {db} (5 in all), "
        "read as TimelineJS sheet CSV · comma-separated · UTF-8\n"
    )
    with EventStore.open(db) as store:
        assert store.title == "Tiny JSON timeline"
        titles = [e.title for e in store.events()]
        assert titles == [
            "Caesar dies",
            "Moon landing",
            "Berlin Wall falls",
            "Soviet Union dissolves",
            "Millennium",
        ]
        assert store.events()[0].start.year == -43 + 1  # TimelineJS -43 is 43 BC
        assert {c.name for c in store.categories()} == {"Space", "Europe"}


# -- export ---------------------------------------------------------------------------


@pytest.fixture
def news_db(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    db = tmp_path / "news.db"
    run_ok(capsys, "import", str(write(tmp_path / "n.txt", NEWS)), "--db", str(db))
    return db


def test_export_timelinejs_to_stdout(news_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = digest(news_db)
    out = run_ok(capsys, "export", str(news_db), "--format", "timelinejs")
    data = json.loads(out)
    assert len(data["events"]) == 3
    assert data["events"][0]["start_date"]["year"] in (2000, "2000")
    assert digest(news_db) == before


def test_export_csv_to_a_file(
    news_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out_file = tmp_path / "out.csv"
    assert run_ok(capsys, "export", str(news_db), "--format", "csv", "--out", str(out_file)) == ""
    rows = list(csv.DictReader(io.StringIO(out_file.read_text(encoding="utf-8"))))
    assert [r["Year"] for r in rows if r.get("Type", "") == ""] == ["2000", "2019", "2024"]
    assert not Path(str(out_file) + ".part").exists()


def test_export_to_an_unwritable_place_is_one_line_and_leaves_nothing(
    news_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "a-folder"
    folder.mkdir()
    missing = tmp_path / "no-such-folder" / "out.json"
    for target in (folder, missing):
        message = run_error(
            capsys, "export", str(news_db), "--format", "timelinejs", "--out", str(target)
        )
        assert message.startswith(f"cannot write {target}: ")
        assert not Path(str(target) + ".part").exists()
    assert folder.is_dir() and list(folder.iterdir()) == []


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("store.json", ("export", "{db}", "--format", "timelinejs", "--out", "{db}")),
        ("store.csv", ("export", "{db}", "--format", "csv", "--out", "{same}")),
        ("store.pdf", ("render", "{db}", "--out", "{same}")),
        ("store.png", ("snapshot", "{db}", "--out", "{db}")),
    ],
    ids=["export", "export-other-spelling", "render", "snapshot"],
)
def test_output_over_the_store_itself_is_refused_untouched(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, args: tuple[str, ...]
) -> None:
    # "export my.db --out my.db" replaced the store with its own export.
    db = tmp_path / name
    run_ok(capsys, "import", str(write(tmp_path / "n.txt", NEWS)), "--db", str(db))
    before = digest(db)
    same = tmp_path / "sub" / ".." / name
    (tmp_path / "sub").mkdir()
    argv = [a.format(db=db, same=same) for a in args]
    assert "is the timeline file itself" in run_error(capsys, *argv)
    assert digest(db) == before
    with EventStore.open(db, readonly=True) as store:
        assert store.count() == 3


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_export_into_a_named_pipe_writes_into_it(
    news_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A pipe or device (/dev/stdout) was replaced by a regular file, or, where its folder
    # cannot be written to, the export failed.
    pipe = tmp_path / "pipe.json"
    os.mkfifo(pipe)
    link = tmp_path / "stdout"  # as /dev/stdout is a link to the process's pipe
    link.symlink_to(pipe)
    for out in (pipe, link):
        reader = os.open(pipe, os.O_RDONLY | os.O_NONBLOCK)  # so opening to write won't wait
        try:
            run_ok(capsys, "export", str(news_db), "--format", "timelinejs", "--out", str(out))
            assert stat.S_ISFIFO(pipe.lstat().st_mode)
            data = os.read(reader, 1 << 20)
        finally:
            os.close(reader)
        assert len(json.loads(data)["events"]) == 3
    assert link.is_symlink()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["n.txt", "news.db", "pipe.json", "stdout"]


def test_export_writes_through_a_link_and_leaves_other_files_alone(
    news_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    real = tmp_path / "real.csv"
    real.write_text("old\n", encoding="utf-8")
    link = tmp_path / "latest.csv"
    link.symlink_to(real)
    # A file that happens to bear the old temporary name was overwritten, then deleted.
    mine = write(tmp_path / "latest.csv.part", "my notes\n")
    mine_too = write(tmp_path / "real.csv.part", "more notes\n")
    run_ok(capsys, "export", str(news_db), "--format", "csv", "--out", str(link))
    assert link.is_symlink()
    assert real.read_text(encoding="utf-8").startswith("Year,Month,Day")
    assert (mine.read_text(encoding="utf-8"), mine_too.read_text(encoding="utf-8")) == (
        "my notes\n",
        "more notes\n",
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "latest.csv",
        "latest.csv.part",
        "n.txt",
        "news.db",
        "real.csv",
        "real.csv.part",
    ]


def test_snapshot_to_a_file_that_is_not_png_is_refused_untouched(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Qt opened (so emptied) the file before finding it had no writer for ".txt".
    notes = write(tmp_path / "notes.txt", "Someone's notes.\n")
    message = run_error(capsys, "snapshot", "--out", str(notes))
    assert message == f"snapshot writes PNG images: --out {notes} must end in .png"
    assert notes.read_text(encoding="utf-8") == "Someone's notes.\n"


def test_export_then_import_keeps_every_event(
    news_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for fmt, ext in (("timelinejs", "json"), ("csv", "csv")):
        exported = tmp_path / f"export.{ext}"
        run_ok(capsys, "export", str(news_db), "--format", fmt, "--out", str(exported))
        copy = tmp_path / f"copy-{fmt}.db"
        out = run_ok(capsys, "import", str(exported), "--db", str(copy))
        assert out.startswith(f"imported 3 events into {copy} (3 in all), read as ")
        with EventStore.open(news_db) as a, EventStore.open(copy) as b:
            assert [(e.start, e.end) for e in a.events()] == [(e.start, e.end) for e in b.events()]


# -- generate and info ----------------------------------------------------------------


def test_generate_then_info(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "gen.db"
    assert run_ok(capsys, "generate", "--events", "500", "--out", str(db)) == (
        f"generated 500 events in {db}\n"
    )
    out = run_ok(capsys, "info", str(db))
    lines = out.splitlines()
    assert lines[0] == "title: Synthetic timeline (500 events)"
    assert lines[1] == "events: 500"
    assert lines[2].startswith("span: ")
    categories = [line for line in lines if line.startswith("category: ")]
    assert categories
    assert sum(int(line.rsplit("(", 1)[1].rstrip(")")) for line in categories) == 500
    before = digest(db)
    message = run_error(capsys, "generate", "--events", "5", "--out", str(db))
    assert "exists already" in message
    assert digest(db) == before


def test_generate_refuses_more_events_than_it_can_hold(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # 10**20 events ran until the machine killed it; it streams now, but a cap stays.
    db = tmp_path / "huge.db"
    message = run_error(capsys, "generate", "--events", str(10**20), "--out", str(db))
    assert "at most 10,000,000 events" in message
    assert not db.exists()


def test_a_failed_generate_leaves_no_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(self: EventStore, header: object, batches: object, **kw: object) -> None:
        raise StoreError("the disk is full")

    monkeypatch.setattr(EventStore, "import_batches", broken)
    db = tmp_path / "gen.db"
    assert run_error(capsys, "generate", "--events", "5", "--out", str(db)) == "the disk is full"
    assert not db.exists()
    assert sidecars(db) == []


def test_import_of_events_without_a_title_gives_them_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The store refused them ("an event needs a headline"), naming neither file nor place.
    at_midnight = "2000-01-01 00:00:00"
    xml = write(
        tmp_path / "blank.timeline",
        f"<timeline><events><event><start>{at_midnight}</start><end>{at_midnight}</end>"
        "<text></text><description>Dawn raid.</description></event></events></timeline>",
    )
    news = write(tmp_path / "dot.txt", "March 3, 1999\n.\n")
    db = tmp_path / "t.db"
    run_ok(capsys, "import", str(xml), "--db", str(db))
    run_ok(capsys, "import", str(news), "--db", str(db))
    with EventStore.open(db, readonly=True) as store:
        assert sorted(e.title for e in store.events()) == [".", "Dawn raid."]


def test_info_gives_the_span_as_the_events_date_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The span was worked out to the day: "31 December 2000" for a year-precision end,
    # and deep time failed ("year … can only be given as a year").
    doc = {
        "events": [
            {"start_date": {"year": -13_799_999_999}, "text": {"headline": "Big Bang"}},
            {"start_date": {"year": 1969, "month": 7}, "text": {"headline": "Moon"}},
            {"start_date": {"year": -43}, "end_date": {"year": 2000}, "text": {"headline": "R"}},
        ]
    }
    src = write(tmp_path / "deep.json", json.dumps(doc))
    db = tmp_path / "deep.db"
    run_ok(capsys, "import", str(src), "--db", str(db))
    lines = run_ok(capsys, "info", str(db)).splitlines()
    assert lines[2] == "span: 13.8 billion years ago – 2000"


# -- errors: one line, nothing written ------------------------------------------------


def test_error_non_sqlite_db_is_left_untouched(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = write(tmp_path / "n.txt", NEWS)
    db = write(tmp_path / "notes.db", "my shopping list\n")
    before = digest(db)
    message = run_error(capsys, "import", str(src), "--db", str(db))
    assert message == f"{db} is not a timeline file (not an SQLite database)"
    for args in (("info", str(db)), ("export", str(db), "--format", "csv")):
        assert "not a timeline file" in run_error(capsys, *args)
    assert digest(db) == before
    assert sidecars(db) == []


def test_error_newer_schema_db_is_left_untouched(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = write(tmp_path / "n.txt", NEWS)
    db = tmp_path / "future.db"
    make_newer(db)
    before = digest(db), db.stat().st_mtime_ns
    message = run_error(capsys, "import", str(src), "--db", str(db))
    assert "newer Timeline Viewer" in message and "upgrade" in message
    assert "newer Timeline Viewer" in run_error(capsys, "info", str(db))
    assert "newer Timeline Viewer" in run_error(capsys, "export", str(db), "--format", "timelinejs")
    assert (digest(db), db.stat().st_mtime_ns) == before
    assert sidecars(db) == []


def test_a_store_that_fails_to_read_is_one_line(
    news_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Another program dropped tables: the store's reads fail, as StoreErrors.
    conn = sqlite3.connect(news_db)
    conn.executescript("DROP TABLE lanes; DROP TABLE events;")
    conn.close()
    out = tmp_path / "out.csv"
    message = run_error(capsys, "export", str(news_db), "--format", "csv", "--out", str(out))
    assert message == f"could not read {news_db}: no such table: events"
    assert not out.exists()
    conn = sqlite3.connect(news_db)
    conn.execute("DROP TABLE meta")
    conn.close()
    assert run_error(capsys, "info", str(news_db)).endswith("no such table: meta")


def test_reading_commands_leave_an_empty_sqlite_database_untouched(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # "info" and "export" opened the file to write, so they put a schema into it (and
    # would upgrade an older store, which the older app could then not open).
    db = tmp_path / "empty.db"
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE t (x)")
    conn.execute("DROP TABLE t")
    conn.commit()
    conn.close()
    before = digest(db), db.stat().st_mtime_ns
    assert "not a timeline file (it is empty)" in run_error(capsys, "info", str(db))
    assert "not a timeline file" in run_error(capsys, "export", str(db), "--format", "csv")
    assert (digest(db), db.stat().st_mtime_ns) == before
    assert sidecars(db) == []
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM sqlite_master").fetchone() == (0,)
    conn.close()


def test_error_missing_input_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "never.db"
    message = run_error(capsys, "import", str(tmp_path / "missing.txt"), "--db", str(db))
    assert "missing.txt" in message
    assert "cannot read" in message
    assert not db.exists()
    assert sidecars(db) == []


BAD_INPUTS = [
    pytest.param(
        "bad.txt",
        "Intro.\nFebruary 30, 2020\nThis day does not exist.\n",
        "news",
        ("bad.txt", "line 2"),
        id="news-impossible-date",
    ),
    pytest.param(
        "bad.txt", "Just some prose.\nNo dates at all.\n", "news", ("no date lines",), id="news"
    ),
    pytest.param(
        "cut.json",
        json.dumps(TIMELINEJS)[:60],
        "timelinejs",
        ("cut.json", "invalid JSON"),
        id="truncated-json",
    ),
    pytest.param(
        "cut.json", json.dumps(TIMELINEJS)[:60], None, ("cut.json",), id="truncated-json-guess"
    ),
    pytest.param(
        "bad.csv",
        "Year,Month,Day,Headline,Text\n2001,1,1,Fine,ok\nabc,,,Broken,bad year\n",
        "csv",
        ("bad.csv", "row 3", "Year", "abc"),
        id="csv-bad-year",
    ),
    pytest.param("binary.txt", "\x00\x01\x02\udcff", "news", ("binary.txt", "binary"), id="binary"),
    # These reached the store and ended in a traceback (UnicodeEncodeError), or were
    # imported and then exported as JSON that TimelineJS refuses, or lost data.
    pytest.param(
        "half.json",
        '{"events": [{"start_date": {"year": 1}, "text": {"headline": "\\ud83d"}}]}',
        None,
        ("half.json", "events[0].text.headline", "not valid Unicode"),
        id="json-unpaired-surrogate",
    ),
    pytest.param(
        "nan.json",
        '{"events": [{"start_date": {"year": 1}, "media": {"ratio": NaN}}]}',
        None,
        ("nan.json", "events[0].media.ratio", "not a JSON number"),
        id="json-nan",
    ),
    pytest.param(
        "twice.json",
        json.dumps(TIMELINEJS)[:-1] + ', "events": []}',
        None,
        ("twice.json", "'events' is given twice"),
        id="json-duplicate-key",
    ),
    pytest.param(
        "twice.csv",
        "Year,Headline,Year\n2001,Fine,1999\n",
        "csv",
        ("twice.csv", "row 1", "two 'Year' columns"),
        id="csv-duplicate-column",
    ),
    pytest.param(
        "odd.timeline",
        "<timeline><events><event><start>2000-01-01 00:00:00</start>"
        "<end>2000-01-01 00:00:00</end><text>x</text><progress>\u00b2</progress>"
        "</event></events></timeline>",
        None,
        ("odd.timeline", "events/event[1]/progress"),
        id="timeline-progress",
    ),
]


@pytest.mark.parametrize(("name", "text", "fmt", "expected"), BAD_INPUTS)
def test_error_bad_input_writes_nothing(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    name: str,
    text: str,
    fmt: str | None,
    expected: tuple[str, ...],
) -> None:
    src = tmp_path / name
    src.write_bytes(text.encode("utf-8", "surrogateescape"))
    db = tmp_path / "fresh.db"
    args = ["import", str(src), "--db", str(db)] + (["--format", fmt] if fmt else [])
    message = run_error(capsys, *args)
    for part in expected:
        assert part in message
    assert not db.exists()
    assert sidecars(db) == []
    # An existing store is not changed by a failed import either.
    run_ok(capsys, "import", str(write(tmp_path / "good.txt", NEWS)), "--db", str(db))
    before = digest(db)
    run_error(capsys, *args)
    assert digest(db) == before
    with EventStore.open(db, readonly=True) as store:
        assert store.count() == 3


def test_error_unknown_format_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = write(tmp_path / "n.txt", NEWS)
    db = tmp_path / "x.db"
    message = run_error(capsys, "import", str(src), "--db", str(db), "--format", "xml")
    assert "invalid choice: 'xml'" in message
    assert not db.exists()
    run_ok(capsys, "import", str(src), "--db", str(db))
    message = run_error(capsys, "export", str(db), "--format", "pdf")
    assert "invalid choice: 'pdf'" in message
    # A file whose format cannot be guessed.
    odd = write(tmp_path / "data.bin", "just words, no dates, no header\n")
    message = run_error(capsys, "import", str(odd), "--db", str(tmp_path / "y.db"))
    assert "--format" in message
    assert not (tmp_path / "y.db").exists()


def test_error_usage_mistakes_are_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert "--db" in run_error(capsys, "import", str(tmp_path / "n.txt"))
    assert "--events" in run_error(capsys, "generate", "--out", str(tmp_path / "g.db"))
    assert "at least 1" in run_error(
        capsys, "generate", "--events", "0", "--out", str(tmp_path / "g.db")
    )
    assert not (tmp_path / "g.db").exists()


def test_error_missing_store_for_info_and_export(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "nothing.db"
    assert run_error(capsys, "info", str(db)) == f"{db} does not exist"
    assert run_error(capsys, "export", str(db), "--format", "csv") == f"{db} does not exist"
    assert not db.exists()


# -- as a program ---------------------------------------------------------------------


def _run_module(
    *args: str, cwd: Path, encoding: str | None = None
) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    if encoding is not None:
        env["PYTHONIOENCODING"] = encoding
    return subprocess.run(
        [sys.executable, "-m", "viewer", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        timeout=120,
        check=False,
    )


def test_python_m_viewer_help(tmp_path: Path) -> None:
    done = _run_module("--help", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("usage: timeline-viewer")
    for command in ("import", "export", "generate", "info"):
        assert command in done.stdout


def test_python_m_viewer_import(tmp_path: Path) -> None:
    src = write(tmp_path / "n.txt", NEWS)
    db = tmp_path / "sub.db"
    done = _run_module("import", str(src), "--db", str(db), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (
        done.stdout
        == f"imported 3 events into {db} (3 in all), read as News-style text timeline · UTF-8\n"
    )
    assert done.stderr == ""
    with EventStore.open(db) as store:
        assert store.count() == 3


def test_a_locale_that_is_not_utf8_neither_fails_nor_changes_an_export(tmp_path: Path) -> None:
    # print() of "–" on an ASCII or Latin-1 stdout ended in a UnicodeEncodeError traceback.
    doc = {"title": {"text": {"headline": "Ωμέγα – “quoted”"}}, "events": TIMELINEJS["events"]}
    src = write(tmp_path / "greek.json", json.dumps(doc, ensure_ascii=False))
    db = tmp_path / "greek.db"
    assert _run_module("import", str(src), "--db", str(db), cwd=tmp_path).returncode == 0
    info = _run_module("info", str(db), cwd=tmp_path, encoding="ascii")
    assert (info.returncode, info.stderr) == (0, "")
    assert info.stdout.startswith("title: \\u03a9\\u03bc\\u03ad\\u03b3\\u03b1 \\u2013")
    export = _run_module(
        "export", str(db), "--format", "timelinejs", cwd=tmp_path, encoding="latin-1"
    )
    assert (export.returncode, export.stderr) == (0, "")
    assert json.loads(export.stdout)["title"]["text"]["headline"] == "Ωμέγα – “quoted”"
