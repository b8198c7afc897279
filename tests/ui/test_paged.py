"""Timelines on paper: split across pages at a readable scale (render --paged, Print)."""

from __future__ import annotations

import itertools
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtGui import QPageLayout
from PySide6.QtPrintSupport import QPrinter

from viewer.cli import main
from viewer.model.dates import PartialDate
from viewer.model.event import Event, Timeline
from viewer.store import EventStore
from viewer.ui import paged
from viewer.ui.export import layout_page
from viewer.ui.paged import OVERLAP, Paper, choose_pages, paged_pdf_bytes, print_timeline, slices
from viewer.ui.picture_data import render_data

pytestmark = pytest.mark.qt_log_ignore(r"^This plugin does not support ")

HAVE_POPPLER = shutil.which("pdftotext") is not None and shutil.which("pdfinfo") is not None


def long_timeline() -> Timeline:
    """300 events over 65 years: far too many lanes for one page."""
    rng = np.random.default_rng(7)
    events = []
    for i in range(300):
        y, m, d = int(rng.integers(1900, 1961)), int(rng.integers(1, 13)), int(rng.integers(1, 29))
        if i % 5 == 0:
            events.append(Event(f"Range {i}", PartialDate(y, m), PartialDate(y + 2, m)))
        else:
            events.append(Event(f"Event {i} happened", PartialDate(y, m, d)))
    return Timeline(title="A long timeline", events=events)


@pytest.fixture
def long_db(tmp_path: Path, qapp) -> Path:
    path = tmp_path / "long.db"
    with EventStore.open(path) as store:
        store.import_timeline(long_timeline())
    return path


@pytest.fixture
def short_db(tmp_path: Path, qapp) -> Path:
    path = tmp_path / "short.db"
    with EventStore.open(path) as store:
        store.import_timeline(
            Timeline(
                title="Short",
                events=[Event(f"E{i}", PartialDate(2000 + i, 1 + i % 12)) for i in range(8)],
            )
        )
    return path


def page_count(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf))


def pdf_text(path: Path) -> list[str]:
    """The text of each page (pdftotext, page by page)."""
    pages = int(re.search(r"Pages:\s+(\d+)", subprocess.check_output(
        ["pdfinfo", str(path)], text=True)).group(1))  # type: ignore[union-attr]  # fmt: skip
    return [
        subprocess.check_output(
            ["pdftotext", "-f", str(k), "-l", str(k), "-layout", str(path), "-"], text=True
        )
        for k in range(1, pages + 1)
    ]


def test_slices_cover_the_axis_and_overlap_at_each_break(long_db: Path) -> None:
    with EventStore.open(long_db, readonly=True) as store:
        data = render_data(store)
    u0, u1 = data.axis_range()
    pieces = slices(data, 4)
    share = (u1 - u0) / 4
    assert pieces[0].u0 == u0 and pieces[-1].u1 == pytest.approx(u1)
    for a, b in itertools.pairwise(pieces):
        assert a.u1 - b.u0 == pytest.approx(2 * OVERLAP * share)  # shown on both pages
        assert a.shared_after == pytest.approx(b.u0)
        assert b.shared_before == pytest.approx(a.u1)
    assert pieces[0].shared_before is None and pieces[-1].shared_after is None


def test_a_short_timeline_is_one_page_and_a_long_one_as_many_as_it_needs(
    short_db: Path, long_db: Path
) -> None:
    width, height = 1492.0, 1023.0  # an A4 landscape page inside its margins
    with EventStore.open(short_db, readonly=True) as store:
        assert choose_pages(render_data(store), width, height) == 1
    with EventStore.open(long_db, readonly=True) as store:
        data = render_data(store)
    n = choose_pages(data, width, height)
    assert 2 <= n <= paged.MAX_PAGES
    # at that many pages every page shows all its lanes at the normal size...
    for k, piece in enumerate(slices(data, n)):
        lay = layout_page(paged._page_data(data, piece, k, n), width)
        assert lay.height <= height + 1
        assert not lay.note.startswith("The first")
    # ... and at one page fewer one of them would not
    fewer = [
        layout_page(paged._page_data(data, piece, k, n - 1), width)
        for k, piece in enumerate(slices(data, n - 1))
    ]
    assert any(lay.height > height for lay in fewer)
    # one page would have been shrunk (what Print used to do)
    assert layout_page(data, width).height > height


def test_every_event_is_whole_on_some_page(long_db: Path) -> None:
    with EventStore.open(long_db, readonly=True) as store:
        data = render_data(store)
    n = 5
    scale = data.time_scale
    pieces = [(scale.from_axis(p.u0), scale.from_axis(p.u1)) for p in slices(data, n)]
    share = (data.x1 - data.x0) / n
    a = data.arrays
    short = (a.finish - a.begin) < 2 * OVERLAP * share
    for b, f in zip(a.begin[short], a.finish[short], strict=True):
        assert any(x0 <= b and f <= x1 for x0, x1 in pieces)


@pytest.mark.skipif(not HAVE_POPPLER, reason="pdfinfo and pdftotext (poppler-utils) are not here")
def test_render_paged_writes_numbered_pages_with_their_spans(long_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "long.pdf"
    assert main(["render", str(long_db), "--out", str(out), "--paged"]) == 0
    pages = pdf_text(out)
    n = len(pages)
    assert n >= 2
    for k, text in enumerate(pages, start=1):
        assert "A long timeline" in text
        assert f"page {k} of {n}" in text
        assert re.search(rf"\b{k}\s*/\s*{n}\s*$", text.rstrip("\f\n"))  # the number
        if k > 1:
            assert f"also on page {k - 1}" in text
        if k < n:
            assert f"also on page {k + 1}" in text
    info = subprocess.check_output(["pdfinfo", str(out)], text=True)
    assert "842 x 595" in info  # A4 landscape


def test_paper_orientation_and_page_count_can_be_chosen(long_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "letter.pdf"
    args = ["render", str(long_db), "--out", str(out), "--paged", "--paper", "letter"]
    assert main([*args, "--portrait", "--pages", "3"]) == 0
    pdf = out.read_bytes()
    assert page_count(pdf) == 3
    assert re.search(
        rb"/MediaBox\s*\[\s*0\s+0\s+612(\.0+)?\s+792(\.0+)?\s*\]", pdf
    )  # Letter, upright


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--out", "x.png", "--paged"], "pages are written as a PDF"),
        (["--out", "x.pdf", "--pages", "2"], "are for --paged"),
    ],
)
def test_paged_errors_are_one_line(short_db, tmp_path, capsys, extra, message) -> None:
    extra = [str(tmp_path / a) if a.startswith("x.") else a for a in extra]
    assert main(["render", str(short_db), *extra]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: ") and err.count("\n") == 1 and message in err
    assert not list(tmp_path.glob("x.*"))


def test_print_splits_a_long_timeline_across_pages(long_db: Path, tmp_path: Path, qtbot) -> None:
    with EventStore.open(long_db, readonly=True) as store:
        dialog = print_timeline(None, store)
        qtbot.addWidget(dialog)
        assert dialog.printer().pageLayout().orientation() == QPageLayout.Orientation.Landscape
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setPageOrientation(QPageLayout.Orientation.Landscape)
        out = tmp_path / "printed.pdf"
        printer.setOutputFileName(str(out))
        dialog.paintRequested.emit(printer)
        expected = page_count(paged_pdf_bytes(render_data(store), Paper()))
    assert page_count(out.read_bytes()) == expected >= 2
