"""Paint the timeline thousands of times in a child process; it must exit cleanly.

PySide6 6.12.0 aborts with "Fatal Python error: none_dealloc" after about a thousand
QPainter calls (see the pin in pyproject.toml).  The timeline makes many painter calls
per frame from numpy buffers (``drawRects``, ``drawPixmapFragments``, static text), so
a binding regression of that kind shows up here first.  It runs in a subprocess
because the failure is an abort of the interpreter, which would take pytest with it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

FRAMES = 3000
REPO = Path(__file__).resolve().parents[3]

SCRIPT = r"""
import sys

from PySide6 import QtCore, QtGui, QtWidgets

app = QtWidgets.QApplication([])

from viewer.model.dates import SECONDS_PER_DAY, PartialDate
from viewer.model.event import Event
from viewer.store.columns import EventArrays
from viewer.ui.timeline.view import TimelineView
from viewer.ui.theme import dark_theme, light_theme

frames = int(sys.argv[1])
events = []
for k in range(240):
    start = PartialDate.from_position(
        PartialDate(1990).begin() + k * 41 * SECONDS_PER_DAY, k % 3
    )
    end = None
    if k % 4 == 0:
        end = PartialDate.from_position(start.begin() + 400 * SECONDS_PER_DAY, (k // 4) % 3)
    events.append(Event(f"Event {k} with a headline", start, end, category=str(k % 5), id=k + 1))
arrays = EventArrays.from_events(events, {str(c): c for c in range(5)})

view = TimelineView()
view.resize(480, 260)
view.show()
app.processEvents()
view.set_data(arrays)
view.zoom(6.0)
image = QtGui.QImage(view.size(), QtGui.QImage.Format.Format_ARGB32_Premultiplied)
ids = [int(i) for i in arrays.ids]
for k in range(frames):
    x0, x1 = view.visible_range()
    step = (x1 - x0) * 0.01 * (1 if (k // 400) % 2 == 0 else -1)
    view.viewbox.setXRange(x0 + step, x1 + step, padding=0.0)
    if k % 50 == 0:
        view.set_selected([ids[k % len(ids)]])
        view.item.set_hovered(ids[(7 * k) % len(ids)])
        view.set_theme(dark_theme() if k % 100 == 0 else light_theme())
    if k % 300 == 0:
        view.zoom(0.8 if (k // 300) % 2 else 1.25)
        app.processEvents()
    image.fill(0)
    painter = QtGui.QPainter(image)
    try:
        view.render(painter, QtCore.QPoint())
    finally:
        painter.end()
print("painted", frames)
"""


def test_thousands_of_frames_paint_without_crashing() -> None:
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    proc = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(FRAMES)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert proc.returncode == 0, f"exit {proc.returncode}\n{proc.stderr[-3000:]}"
    assert f"painted {FRAMES}" in proc.stdout
    assert "Fatal Python error" not in proc.stderr
