"""The project's rendering benchmark: ``python -m viewer.bench`` prints JSON.

For each size (10k and 100k events by default) it generates a synthetic store once
(cached in the temp folder), then in a fresh process measures, at 1600×900
offscreen: open-to-first-frame (open the file, load, lay out and paint the main
window once), repaint median/p95 of the whole timeline view (1600×900) at full span,
after a pan and after a zoom (to 2% of the span), a repaint of the whole main window,
and the process's peak RSS.  Each size runs in its own subprocess so
peak RSS and start-up are not shared between sizes.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any


def _store_for(n: int, seed: int) -> Path:
    from viewer.generate import synthetic_timeline
    from viewer.store import EventStore

    path = Path(tempfile.gettempdir()) / f"timeline-viewer-bench-{n}-{seed}.db"
    if not path.exists():
        partial = path.with_suffix(".part")
        partial.unlink(missing_ok=True)
        with EventStore.open(partial) as store:
            store.import_timeline(synthetic_timeline(n, seed=seed))
        for suffix in ("-wal", "-shm"):
            Path(str(partial) + suffix).unlink(missing_ok=True)
        partial.replace(path)
    return path


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


def measure(db: Path, frames: int, size: tuple[int, int]) -> dict[str, Any]:
    """Measure one store in this process (call in a fresh process)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    t_start = time.perf_counter()
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from viewer.store import EventStore
    from viewer.ui.app import make_app
    from viewer.ui.document import Document
    from viewer.ui.main_window import MainWindow

    app = make_app()
    t_imported = time.perf_counter()
    settings = QSettings(str(Path(tempfile.mkdtemp()) / "bench.ini"), QSettings.Format.IniFormat)
    window = MainWindow(settings)
    window.resize(*size)
    window.show()
    QApplication.processEvents()
    t0 = time.perf_counter()
    window.set_document(Document(EventStore.open(db, create=False, readonly=True)))
    window.repaint()
    QApplication.processEvents()
    first_frame = time.perf_counter() - t0
    events = window._total
    window_repaint = _time_repaints(window, max(10, frames // 3))

    # The timeline alone at the full benchmark size: what one frame of it costs.
    from PySide6.QtGui import QColor

    from viewer.ui.timeline.view import TimelineView

    view = TimelineView()
    view.resize(*size)
    view.show()
    view.set_colors([QColor(c) for c in window._colors.values()])
    view.set_data(window._arrays, fit=True)
    QApplication.processEvents()
    viewport = view.plot.viewport()
    full = _time_repaints(viewport, frames)
    x0, x1 = view.visible_range()
    span = x1 - x0
    view.set_visible_range(x0 + span * 0.1, x1 + span * 0.1)
    QApplication.processEvents()
    pan = _time_repaints(viewport, frames)
    mid = x0 + span * 0.5
    view.set_visible_range(mid - span * 0.01, mid + span * 0.01)
    view.item.flush_layout()
    QApplication.processEvents()
    zoom = _time_repaints(viewport, frames)
    rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    view.close()
    window.close()
    app.processEvents()
    return {
        "events": events,
        "view_px": [viewport.width(), viewport.height()],
        "qt_import_s": round(t_imported - t_start, 3),
        "open_to_first_frame_s": round(first_frame, 3),
        "repaint_whole_window": window_repaint,
        "repaint_full_span": full,
        "repaint_after_pan": pan,
        "repaint_after_zoom": zoom,
        "peak_rss_mb": round(rss_kb / 1024, 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m viewer.bench", description=__doc__)
    parser.add_argument("--sizes", default="10000,100000", help="comma-separated event counts")
    parser.add_argument("--frames", type=int, default=60, help="repaints per measurement")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--size", default="1600x900")
    parser.add_argument("--one", help=argparse.SUPPRESS)  # internal: measure one store
    args = parser.parse_args(argv)
    w, h = (int(v) for v in args.size.split("x"))
    if args.one:
        print(json.dumps(measure(Path(args.one), args.frames, (w, h))))
        return 0
    results = {}
    for n in (int(s) for s in args.sizes.split(",")):
        db = _store_for(n, args.seed)
        out = subprocess.run(
            [
                sys.executable,
                "-m",
                "viewer.bench",
                "--one",
                str(db),
                "--frames",
                str(args.frames),
                "--size",
                args.size,
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        if out.returncode != 0:
            results[str(n)] = {"error": out.stderr.strip().splitlines()[-1:]}
            continue
        results[str(n)] = json.loads(out.stdout.strip().splitlines()[-1])
    print(json.dumps({"machine": {"cpus": os.cpu_count()}, "results": results}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
