"""Hostile sizes: deeply nested or huge markup is sanitised in linear time, and what
is laid out is capped (a label, a list cell, a title read a headline's first
thousands of characters; the detail panel a description's first part, with "Show
all"), so time and memory stay bounded."""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QUrl

from viewer.model.dates import PartialDate
from viewer.model.event import Event
from viewer.ui.detail import SHOW_ALL, DetailPanel
from viewer.ui.richtext import (
    DESCRIPTION_SHOWN,
    LIST_ITEMS_SHOWN,
    ONE_LINE_INPUT,
    description_html,
    inline_html,
    one_line,
    plain_text,
    sanitize_html,
)


def best_of(f: Callable[[str], object], text: str, tries: int = 3) -> float:
    times = []
    for _ in range(tries):
        t0 = time.perf_counter()
        f(text)
        times.append(time.perf_counter() - t0)
    return min(times)


@pytest.mark.parametrize(
    "unit", ["<ul><li>x", "<div>", "<b>x", "<a href='https://e.org'>x", "<p>x"]
)
@pytest.mark.parametrize("parse", [sanitize_html, plain_text, inline_html])
def test_nested_markup_is_parsed_in_linear_time(unit: str, parse: Callable[[str], str]) -> None:
    small, big = best_of(parse, unit * 2000), best_of(parse, unit * 8000)
    # four times the input: about four times the time (quadratic work would be 16)
    assert big < max(small, 0.002) * 9, (small, big)


def test_a_huge_description_is_shown_in_part_until_asked(qtbot) -> None:
    panel = DetailPanel()
    qtbot.addWidget(panel)
    description = "<ul>" + "<li>item</li>" * 80_000 + "</ul>"  # a megabyte of list
    html, cut = description_html(description)
    assert cut and html.count("<li>") <= LIST_ITEMS_SHOWN
    html, cut = description_html("word " * 400_000)
    assert cut and len(html) < 3 * DESCRIPTION_SHOWN
    panel.show_event(Event("Long", PartialDate(2000), description=description), None)
    shown = panel.description.toHtml()
    assert "Show all" in shown and shown.count("item") <= LIST_ITEMS_SHOWN + 1
    t0 = time.perf_counter()
    panel._on_link(QUrl(SHOW_ALL))  # all of it, the items past the first as lines
    assert panel.description.toPlainText().count("item") == 80_000
    assert time.perf_counter() - t0 < 20


def test_one_line_places_read_a_headline_s_first_part() -> None:
    huge = "Word " * 2_000_000  # 10 MB
    for f in (one_line, inline_html):
        out = f(huge)
        assert len(out) <= ONE_LINE_INPUT + 1 and out.endswith("\u2026")
    assert one_line("Short <i>one</i>") == "Short one"


def test_a_ten_megabyte_headline_renders_in_bounded_time_and_memory(tmp_path: Path) -> None:
    big = "Word " * 2_000_000
    source = tmp_path / "huge.json"
    source.write_text(
        json.dumps(
            {
                "title": {"text": {"headline": big}},
                "events": [
                    {"start_date": {"year": "2000"}, "text": {"headline": big, "text": big}},
                    {"start_date": {"year": "2001"}, "text": {"headline": "Small"}},
                ],
            }
        ),
        encoding="utf-8",
    )
    db = tmp_path / "huge.db"
    code = (
        "import resource, sys\n"
        "from viewer.cli import main\n"
        "code = main(sys.argv[1:])\n"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"
        "sys.exit(code)\n"
    )
    for args in (
        ["import", str(source), "--db", str(db)],
        ["render", str(db), "--out", str(tmp_path / "huge.png")],
        ["snapshot", str(db), "--out", str(tmp_path / "huge-window.png"), "--select", "1"],
    ):
        t0 = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=120
        )
        assert done.returncode == 0, done.stderr
        peak_mb = int(done.stdout.strip().splitlines()[-1]) / 1024
        assert peak_mb < 600, (args[0], peak_mb)  # (was 780-940 MB, and 22-51 s)
        assert time.perf_counter() - t0 < 30, args[0]
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss > 0
