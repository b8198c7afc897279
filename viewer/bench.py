"""The project's benchmark: ``python -m viewer.bench`` prints JSON.

For each size (10k, 100k and 1M events by default, and ``seed`` for the bundled
sample) it makes a synthetic store once (cached in the temp folder, as is a sheet
CSV of it), then, each in a fresh process of its own:

* the window (1600×900, offscreen) on a copy of the store, measuring
  ``open_to_first_frame_s`` (open the file and paint the window once: for a big
  file, its first lanes), ``interactive_s`` (everything read and the file checked:
  edits allowed), ``edit_ms`` / ``undo_ms`` / ``redo_ms`` (move one event by a few
  units of its precision, as a drag does, then undo and redo, each until the window
  has repainted; the median of five events), ``filter_ms`` (hide one category, until
  repainted; median of three), ``search_ms`` (one more character of a typed search,
  until its result is shown; the median over typing three words from their third
  letter, and ``search_max_ms``), then, on the timeline alone at the
  full size, ``repaint_full_span`` / ``repaint_after_pan`` / ``repaint_after_zoom``
  (median and p95 of repaints), and ``peak_rss_mb`` of it all;
* ``import_s``: ``timeline-viewer import`` of the sheet CSV into a new file, and
  ``sqlite3_import_s``: the same CSV through ``csv.reader`` and the ``sqlite3``
  module's ``executemany`` into a plain table of text columns (``import_ratio`` is
  the one over the other); ``export_s`` for ``timeline-viewer export --format csv``;
  each with its process's peak RSS.

Each size is measured twice in the window: as it opens, and grouped in swimlanes
(``grouped``: View ▸ Group by ▸ Category, ``group_ms`` the time to put every event in
its band and repaint, then the same edits, filters, searches and repaints, with the
bands; ``--group-by`` chooses the grouping, ``none`` leaves that run out), and a
third time on a logarithmic time scale (``log``: View ▸ Time Scale ▸ Logarithmic,
``time_scale_ms`` the time to map every event to the axis and repaint; then the same
edits and repaints; ``--time-scale linear`` leaves that run out).

Typing goes through the view state, not the search box, so its debounce is not
counted; a search in a big file runs in a thread and is waited for.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

#: Bump when the synthetic stores change, so that cached ones are made again.
STORE_VERSION = 2


def _store_for(n: int, seed: int) -> Path:
    from viewer.generate import synthetic_batches, synthetic_header
    from viewer.store import EventStore
    from viewer.store.schema import SCHEMA_VERSION

    name = f"timeline-viewer-bench-s{SCHEMA_VERSION}-g{STORE_VERSION}-{n}-{seed}.db"
    path = Path(tempfile.gettempdir()) / name
    if not path.exists():
        partial = path.with_suffix(".part")
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(str(partial) + suffix).unlink(missing_ok=True)
        with EventStore.open(partial) as store, store.filling():
            store.import_batches(synthetic_header(n), synthetic_batches(n, seed=seed), total=n)
        partial.replace(path)
    return path


def _seed_store() -> Path:
    from viewer.io.formats import read_file
    from viewer.paths import sample_path
    from viewer.store import EventStore

    path = Path(tempfile.gettempdir()) / "timeline-viewer-bench-seed.db"
    path.unlink(missing_ok=True)
    with EventStore.open(path) as store:
        store.import_timeline(read_file(sample_path()))
    return path


def _csv_for(db: Path) -> Path:
    out = db.with_suffix(".csv")
    if not out.exists():
        _run_cli(["export", str(db), "--format", "csv", "--out", str(out)])
    return out


def _run_cli(args: list[str]) -> None:
    from viewer.cli import main

    if main(args) != 0:
        raise RuntimeError(f"timeline-viewer {' '.join(args)} failed")


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(q * (len(ordered) - 1))))
    return ordered[k]


def _time_repaints(widget: Any, frames: int) -> dict[str, float]:
    times = []
    for _ in range(frames):
        t0 = time.perf_counter()
        widget.repaint()
        times.append((time.perf_counter() - t0) * 1000)
    return {
        "median_ms": round(statistics.median(times), 2),
        "p95_ms": round(_percentile(times, 0.95), 2),
    }


def _rss_mb() -> float:
    """This process's peak resident memory (MB).

    From ``VmHWM``: ``ru_maxrss`` carries a parent's peak over ``exec`` on Linux, so a
    child started by a driver that made a big store would report the driver's.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _ms(t0: float) -> float:
    return (time.perf_counter() - t0) * 1000


def measure(
    db: Path,
    frames: int,
    size: tuple[int, int],
    group_by: str = "none",
    time_scale: str = "linear",
) -> dict[str, Any]:
    """Measure the window on one store in this process (call in a fresh process),
    grouped by ``group_by`` and drawn on ``time_scale`` once it is interactive."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    t_start = time.perf_counter()
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from viewer.model.filters import Filters
    from viewer.store import EventStore
    from viewer.ui.app import make_app
    from viewer.ui.document import Document
    from viewer.ui.main_window import MainWindow
    from viewer.ui.timeline.view import TimelineView

    app = make_app()
    t_imported = time.perf_counter()
    settings = QSettings(str(Path(tempfile.mkdtemp()) / "bench.ini"), QSettings.Format.IniFormat)
    window = MainWindow(settings)
    window.resize(*size)
    window.show()
    QApplication.processEvents()

    def settle() -> None:
        QApplication.processEvents()
        window.repaint()

    t0 = time.perf_counter()
    window.set_document(Document(EventStore.open(db, create=False, defer_check=True)))
    window.repaint()
    QApplication.processEvents()
    first_frame = time.perf_counter() - t0
    while not window.data.ready:
        QApplication.processEvents()
        time.sleep(0.002)
    settle()
    interactive = time.perf_counter() - t0
    group_ms = None
    if group_by != "none":
        t0 = time.perf_counter()
        window.grouping.set_mode(group_by)
        settle()
        group_ms = _ms(t0)
    scale_ms = None
    if time_scale != "linear":
        t0 = time.perf_counter()
        window.time_scale.set_kind(time_scale)
        settle()
        scale_ms = _ms(t0)
    data = window.data
    store = data.store
    assert store is not None
    events = data.total

    # edits: an event a few units of its precision later, as a drag moves it; undo; redo
    edit, undo, redo = [], [], []
    for k in range(5):
        shown = data.shown
        event_id = int(shown.ids[(k * 2 + 1) * len(shown) // 11])
        before = store.get_event(event_id)
        assert before is not None
        after = before.evolve(
            start=before.start.shifted(3), end=before.end.shifted(3) if before.end else None
        )
        stack = window.doc.undo_stack  # type: ignore[union-attr]
        t0 = time.perf_counter()
        window.editing.move_event(before, after)
        settle()
        edit.append(_ms(t0))
        t0 = time.perf_counter()
        stack.undo()
        settle()
        undo.append(_ms(t0))
        t0 = time.perf_counter()
        stack.redo()
        settle()
        redo.append(_ms(t0))
        stack.undo()
        settle()

    # filters: hide one category (the filter cleared in between, not counted)
    names = [c.name for c in store.categories()][:3]
    filtering = []
    for name in names:
        t0 = time.perf_counter()
        window.state.set_filters(Filters(hidden_categories=frozenset({name})))
        settle()
        filtering.append(_ms(t0))
        window.state.set_filters(Filters())
        settle()

    # a search: each character typed (from the third), until what it finds is shown
    searching = []
    done: list[bool] = []
    data.filtered.connect(lambda: done.append(True))

    def search(text: str) -> float:
        done.clear()
        t0 = time.perf_counter()
        window.state.set_filters(Filters(text=text))
        while not done:
            QApplication.processEvents()
            time.sleep(0.0005)
        settle()
        return _ms(t0)

    for word in ("Parliament", "summit", "harbour"):
        for k in range(1, len(word) + 1):
            ms = search(word[:k])
            if k >= 3:
                searching.append(ms)
        window.state.set_filters(Filters())
        settle()
    window_repaint = _time_repaints(window, max(10, frames // 3))

    # the timeline alone at the full benchmark size: what one frame of it costs
    view = TimelineView()
    view.resize(*size)
    view.show()
    view.set_colors(window.categories.color_list(), window.categories.uncategorised_color())
    view.set_grouper(window.grouping.grouper())
    scale = window.time_scale.scale
    view.set_time_scale(scale)
    view.set_data(data.shown, fit=True)
    QApplication.processEvents()
    viewport = view.plot.viewport()
    full = _time_repaints(viewport, frames)
    # (pan and zoom along the axis: on a log scale, in decades)
    x0, x1 = (scale.to_axis(x) for x in view.visible_range())
    span = x1 - x0
    view.set_visible_range(scale.from_axis(x0 + span * 0.1), scale.from_axis(x1 + span * 0.1))
    QApplication.processEvents()
    pan = _time_repaints(viewport, frames)
    mid = x0 + span * 0.5
    view.set_visible_range(scale.from_axis(mid - span * 0.01), scale.from_axis(mid + span * 0.01))
    view.item.flush_layout()
    QApplication.processEvents()
    zoom = _time_repaints(viewport, frames)
    rss = _rss_mb()
    view.close()
    window.close()
    app.processEvents()
    return {
        "events": events,
        "view_px": [viewport.width(), viewport.height()],
        "qt_import_s": round(t_imported - t_start, 3),
        "open_to_first_frame_s": round(first_frame, 3),
        "interactive_s": round(interactive, 3),
        **({"group_ms": round(group_ms, 1)} if group_ms is not None else {}),
        **({"time_scale_ms": round(scale_ms, 1)} if scale_ms is not None else {}),
        "edit_ms": round(statistics.median(edit), 1),
        "undo_ms": round(statistics.median(undo), 1),
        "redo_ms": round(statistics.median(redo), 1),
        "edit_max_ms": round(max(edit + undo + redo), 1),
        "filter_ms": round(statistics.median(filtering), 1) if filtering else None,
        "search_ms": round(statistics.median(searching), 1),
        "search_max_ms": round(max(searching), 1),
        "repaint_whole_window": window_repaint,
        "repaint_full_span": full,
        "repaint_after_pan": pan,
        "repaint_after_zoom": zoom,
        "peak_rss_mb": rss,
    }


def import_one(source: Path) -> dict[str, Any]:
    """``timeline-viewer import`` of ``source`` into a new file (in this process)."""
    out = Path(tempfile.mkdtemp()) / "imported.db"
    t0 = time.perf_counter()
    _run_cli(["import", str(source), "--db", str(out)])
    seconds = time.perf_counter() - t0
    shutil.rmtree(out.parent, ignore_errors=True)
    return {"s": round(seconds, 2), "peak_rss_mb": _rss_mb()}


def raw_import_one(source: Path) -> dict[str, Any]:
    """The same CSV's rows through ``csv.reader`` and ``executemany`` into a plain
    table of text columns: what SQLite itself takes to store them."""
    out = Path(tempfile.mkdtemp()) / "raw.db"
    t0 = time.perf_counter()
    conn = sqlite3.connect(out, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    with source.open(newline="", encoding="utf-8-sig") as f:
        rows = csv.reader(f)
        header = next(rows)
        names = ", ".join(f"c{i} TEXT" for i in range(len(header)))
        conn.execute(f"CREATE TABLE raw ({names})")
        conn.execute("BEGIN")
        marks = ",".join("?" * len(header))
        conn.executemany(f"INSERT INTO raw VALUES ({marks})", rows)
        conn.execute("COMMIT")
    conn.close()
    seconds = time.perf_counter() - t0
    shutil.rmtree(out.parent, ignore_errors=True)
    return {"s": round(seconds, 2), "peak_rss_mb": _rss_mb()}


def export_one(db: Path) -> dict[str, Any]:
    out = Path(tempfile.mkdtemp()) / "out.csv"
    t0 = time.perf_counter()
    _run_cli(["export", str(db), "--format", "csv", "--out", str(out)])
    seconds = time.perf_counter() - t0
    shutil.rmtree(out.parent, ignore_errors=True)
    return {"s": round(seconds, 2), "peak_rss_mb": _rss_mb()}


def _child(*args: str) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, "-m", "viewer.bench", *args], capture_output=True, text=True, check=False
    )
    if out.returncode != 0:
        return {"error": out.stderr.strip().splitlines()[-3:]}
    return json.loads(out.stdout.strip().splitlines()[-1])


def run_size(size_name: str, args: argparse.Namespace) -> dict[str, Any]:
    db = _seed_store() if size_name == "seed" else _store_for(int(size_name), args.seed)
    work = Path(tempfile.mkdtemp()) / "bench.db"
    shutil.copy(db, work)  # edits go to a copy
    result = _child("--one", str(work), "--frames", str(args.frames), "--size", args.size)
    if args.group_by != "none":
        shutil.copy(db, work)
        grouped = _child(
            "--one", str(work), "--frames", str(args.frames), "--size", args.size,
            "--group-one", args.group_by,
        )  # fmt: skip
        result["grouped"] = {k: v for k, v in grouped.items() if k not in ("events", "view_px")}
    if args.time_scale != "linear":
        shutil.copy(db, work)
        logged = _child(
            "--one", str(work), "--frames", str(args.frames), "--size", args.size,
            "--scale-one", args.time_scale,
        )  # fmt: skip
        result[args.time_scale] = {
            k: v for k, v in logged.items() if k not in ("events", "view_px")
        }
    shutil.rmtree(work.parent, ignore_errors=True)
    if args.no_import or size_name == "seed":
        return result
    source = _csv_for(db)
    imported = _child("--import-one", str(source))
    raw = _child("--raw-one", str(source))
    exported = _child("--export-one", str(db))
    result.update(
        {
            "import_s": imported.get("s"),
            "import_peak_rss_mb": imported.get("peak_rss_mb"),
            "sqlite3_import_s": raw.get("s"),
            "export_s": exported.get("s"),
            "export_peak_rss_mb": exported.get("peak_rss_mb"),
        }
    )
    if imported.get("s") and raw.get("s"):
        result["import_ratio"] = round(imported["s"] / raw["s"], 2)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m viewer.bench", description=__doc__)
    parser.add_argument(
        "--sizes", default="seed,10000,100000,1000000", help="comma-separated event counts"
    )
    parser.add_argument("--frames", type=int, default=60, help="repaints per measurement")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--size", default="1600x900")
    parser.add_argument("--no-import", action="store_true", help="skip import and export")
    parser.add_argument(
        "--group-by",
        choices=("none", "category", "tag"),
        default="category",
        help="the swimlanes of the grouped run (none: no grouped run)",
    )
    parser.add_argument(
        "--time-scale",
        choices=("linear", "log"),
        default="log",
        help="the time scale of the third run (linear: no third run)",
    )
    parser.add_argument("--one", help=argparse.SUPPRESS)  # internal: measure one store
    parser.add_argument("--group-one", default="none", help=argparse.SUPPRESS)  # …grouped
    parser.add_argument("--scale-one", default="linear", help=argparse.SUPPRESS)  # …on a scale
    parser.add_argument("--import-one", help=argparse.SUPPRESS)
    parser.add_argument("--raw-one", help=argparse.SUPPRESS)
    parser.add_argument("--export-one", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    w, h = (int(v) for v in args.size.split("x"))
    if args.one:
        one = measure(Path(args.one), args.frames, (w, h), args.group_one, args.scale_one)
        print(json.dumps(one))
        return 0
    for flag, job in (
        ("import_one", import_one),
        ("raw_one", raw_import_one),
        ("export_one", export_one),
    ):
        if getattr(args, flag):
            print(json.dumps(job(Path(getattr(args, flag)))))
            return 0
    results = {name: run_size(name, args) for name in args.sizes.split(",")}
    print(json.dumps({"machine": {"cpus": os.cpu_count()}, "results": results}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
