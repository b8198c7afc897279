"""Timeline pictures: PNG, SVG and PDF files, the ``render`` command and printing."""

from __future__ import annotations

import itertools
import re
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QRectF
from PySide6.QtGui import QImage, QPageLayout, QPainter
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog

from viewer.cli import main
from viewer.generate import synthetic_timeline
from viewer.model.dates import PartialDate as P
from viewer.model.event import Category, Event, Timeline
from viewer.model.filters import Filters
from viewer.model.lanes import mark_bounds
from viewer.store import EventStore
from viewer.ui import export
from viewer.ui.export import (
    RenderData,
    layout_size,
    paint_timeline,
    render_data,
    render_file,
    render_image,
    render_picture,
)
from viewer.ui.paged import print_timeline
from viewer.ui.theme import dark_theme, light_theme
from viewer.ui.timeline.painter import short_date
from viewer.ui.timeline.view import TimelineView

SVG = "{http://www.w3.org/2000/svg}"
TITLE = "Key events in relations between Russia and North Korea"


def seed_like() -> Timeline:
    """The seed timeline's shape: fourteen events, a decade-long range, vague dates."""
    d, m, s = "Diplomacy", "Military", "Sanctions"
    rows = [
        ("Putin visits North Korea in the first year of his presidency", P(2000, 7), None, d),
        (
            "Russia votes for nine UN Security Council resolutions penalizing North Korea",
            P(2006, 10, 14),
            P(2017, 12, 22),
            s,
        ),
        ("Putin and Kim Jong Un meet in Vladivostok", P(2019, 4, 25), None, d),
        ("North Korea closes its borders with Russia and China", P(2020, 2), None, d),
        ("Russia invades Ukraine", P(2022, 2, 24), None, m),
        ("Russia and China veto a U.S.-drafted resolution", P(2022, 5, 26), None, s),
        ("Shoigu visits Pyongyang and tours a defence expo", P(2023, 7, 25), None, m),
        ("Kim travels to the Russian Far East for a second summit", P(2023, 9, 13), None, d),
        ("The United States accuses North Korea of sending weapons", P(2023, 10, 13), None, m),
        ("North Korea places its first spy satellite into orbit", P(2023, 11, 21), None, m),
        ("Russia has used ballistic missiles sourced from North Korea", P(2024, 1, 4), None, m),
        ("Russia vetoes the renewal of the U.N. sanctions panel", P(2024, 3, 28), None, s),
        ("The U.S. and Britain impose sanctions", P(2024, 5, 16), P(2024, 5, 17), s),
        ("Putin's second visit to North Korea", P(2024, 6, 18), P(2024, 6, 19), d),
    ]
    return Timeline(
        title=TITLE,
        source="Reporting by Joyce Lee; editing by Miral Fahmy",
        categories=[Category(d, "#4e79a7"), Category(m, "#e15759"), Category(s, "#f28e2b")],
        events=[Event(t, a, b, category=c) for t, a, b, c in rows],
    )


def make_store(path: Path, timeline: Timeline) -> Path:
    with EventStore.open(path) as store:
        store.import_timeline(timeline)
    return path


@pytest.fixture
def seed_db(tmp_path: Path) -> Path:
    return make_store(tmp_path / "seed.db", seed_like())


@pytest.fixture
def store(seed_db: Path, qapp):
    with EventStore.open(seed_db) as opened:
        yield opened


def svg_texts(path: Path) -> list[str]:
    root = ET.parse(path).getroot()
    return [(t.text or "") for t in root.iter(f"{SVG}text")]


def distinct_colors(image: QImage) -> int:
    image = image.convertToFormat(QImage.Format.Format_RGB32)
    bits = np.frombuffer(image.constBits(), dtype=np.uint32)
    return len(np.unique(bits))


def label_boxes(lay: export.PageLayout, data: RenderData) -> list[tuple[int, float, float]]:
    """``(lane, x0, x1)`` in page pixels of each label the last paint drew."""
    return [(lab.lane, lay.x_px(lab.x0), lay.x_px(lab.x1)) for lab in lay.drawn_labels(data.arrays)]


# -- files -------------------------------------------------------------------------------


def test_png_has_the_width_asked_for_and_is_a_picture(store, tmp_path):
    out = tmp_path / "seed.png"
    render_file(store, str(out), width=1200)
    image = QImage(str(out))
    assert image.width() == 1200
    assert 300 < image.height() < 1200
    assert image.devicePixelRatio() == 1.0
    assert image.pixelColor(2, 2).name() == "#ffffff"
    assert distinct_colors(image) > 50  # text, marks of three colours, grid, antialiasing
    assert not (tmp_path / "seed.png.part").exists()


def test_dark_png_has_the_dark_canvas(store, tmp_path):
    out = tmp_path / "dark.png"
    render_file(store, out, width=1000, theme=dark_theme())
    image = QImage(str(out))
    assert image.width() == 1000
    assert image.pixelColor(2, 2) == dark_theme().timeline_bg  # the window's canvas colour


def test_svg_keeps_text_as_text(store, tmp_path):
    out = tmp_path / "seed.svg"
    render_file(store, out, width=1600)
    root = ET.parse(out).getroot()
    assert root.find(f"{SVG}title").text == TITLE
    assert "14 events" in root.find(f"{SVG}desc").text
    assert root.get("viewBox").startswith("0 0 1600 ")
    texts = svg_texts(out)
    assert TITLE in texts
    assert "Russia invades Ukraine" in texts
    assert "July 2000 – June 2024 · 14 events" in texts
    assert any(t.startswith("Reporting by Joyce Lee") for t in texts)
    assert {"Diplomacy", "Military", "Sanctions"} <= set(texts)  # the legend
    assert {"2000", "2010", "2020"} <= set(texts)  # the axis


def test_pdf_is_one_vector_page_shaped_like_the_picture(store, tmp_path):
    out = tmp_path / "seed.pdf"
    render_file(store, out, width=1600)
    data = out.read_bytes()
    assert data.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page\b(?!s)", data)) == 1
    box = re.search(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", data)
    assert box is not None
    w, h = float(box[1]), float(box[2])
    assert w == pytest.approx(842, abs=1)  # A4 landscape wide
    size = layout_size(render_data(store), 1600)
    assert h / w == pytest.approx(size.height() / size.width(), rel=0.01)
    assert b"/FontFile2" in data  # text with an embedded font, not outlines


def test_unknown_extension_is_refused_clearly(store, tmp_path):
    with pytest.raises(ValueError, match=r"\.gif.*\.png, \.svg, \.pdf"):
        render_file(store, tmp_path / "x.gif")
    with pytest.raises(ValueError, match="no extension"):
        render_file(store, tmp_path / "picture")
    assert not [p for p in tmp_path.iterdir() if not p.name.startswith("seed.db")]


def test_width_out_of_range_is_refused(store, tmp_path):
    with pytest.raises(ValueError, match="between 200 and 10000"):
        render_file(store, tmp_path / "x.png", width=50)


def test_unwritable_output_names_the_file_and_leaves_nothing(store, tmp_path):
    out = tmp_path / "missing" / "x.png"
    with pytest.raises(OSError) as info:
        render_file(store, out)
    assert info.value.filename == str(out)
    assert not out.parent.exists()


# -- what is drawn -----------------------------------------------------------------------


def test_from_and_to_limit_the_events(store, tmp_path):
    data = render_data(store, date_from=P(2022), date_to=P(2024))
    assert len(data) == 10
    assert data.x0 == P(2022).begin() and data.x1 == P(2024).finish()
    assert data.subtitle == "2022–2024 · 10 of 14 events"
    out = tmp_path / "recent.svg"
    render_file(store, out, date_from=P(2022), date_to=P(2024))
    texts = " ".join(svg_texts(out))
    assert "Russia invades Ukraine" in texts
    assert "Putin visits" not in texts
    assert "Vladivostok" not in texts


def test_an_open_end_follows_the_events(store):
    data = render_data(store, date_from=P(2023))
    assert len(data) == 8
    assert data.x0 == P(2023).begin()
    assert data.x1 > P(2024, 6, 19).finish()


def test_a_view_range_shows_what_overlaps_it(store):
    view = (P(2010).begin(), P(2021).begin())
    data = render_data(store, x_range=view)
    # the 2006–2017 range reaches into the view; 2019 and February 2020 lie in it
    assert len(data) == 3
    assert (data.x0, data.x1) == view
    assert data.subtitle.endswith("3 of 14 events")


def test_filters_hide_categories_from_events_and_legend(store):
    data = render_data(store, filters=Filters(hidden_categories=frozenset({"Military"})))
    assert len(data) == 9
    assert [e.name for e in data.legend] == ["Diplomacy", "Sanctions"]


def test_the_whole_timeline_has_a_margin_and_its_span_in_the_subtitle(store):
    data = render_data(store)
    assert data.x0 < P(2000, 7).begin() and data.x1 > P(2024, 6, 19).finish()
    assert data.subtitle == "July 2000 – June 2024 · 14 events"
    assert data.title == TITLE
    assert short_date(data.arrays.dates[1]) == "14 Oct 2006 – 22 Dec 2017"
    assert short_date(data.arrays.dates[0]) == "Jul 2000"


def test_events_without_a_category_are_other_in_the_legend(tmp_path, qapp):
    timeline = Timeline(
        title="Mixed",
        categories=[Category("Art", "#59a14f")],
        events=[Event("Painted", P(1900), category="Art"), Event("Loose", P(1910))],
    )
    with EventStore.open(make_store(tmp_path / "m.db", timeline)) as st:
        data = render_data(st)
    assert [(e.name, e.count) for e in data.legend] == [("Art", 1), (export.OTHER_NAME, 1)]


@pytest.mark.parametrize("width", [900, 1200, 1600, 2400])
def test_labels_never_overlap_nor_leave_the_picture(store, width):
    data = render_data(store)
    _, lay = render_picture(data, width)
    boxes = label_boxes(lay, data)
    assert len(boxes) == len(data)  # every event of the seed is labelled
    for _, x0, x1 in boxes:
        assert lay.plot_left - 0.5 <= x0 and x1 <= lay.plot_right + 0.5
    by_lane: dict[int, list[tuple[float, float]]] = {}
    for lane, x0, x1 in boxes:
        by_lane.setdefault(lane, []).append((x0, x1))
    for spans in by_lane.values():
        spans.sort()
        for (_, a_end), (b_start, _) in itertools.pairwise(spans):
            assert a_end <= b_start
    # the picture grows with its lanes
    assert layout_size(data, width).height() == lay.height


def test_a_label_never_covers_another_mark_in_its_lane(tmp_path, qapp):
    with EventStore.open(make_store(tmp_path / "s.db", synthetic_timeline(150, seed=3))) as st:
        data = render_data(st)
    _, lay = render_picture(data, 1600)
    assert lay.events is not None
    a, layout = data.arrays, lay.events.layout
    drawn = lay.drawn_labels(a)
    assert 0 < len(drawn) <= len(data)
    sizes = lay.events.painter.style.sizes
    lo, hi = mark_bounds(
        np.array([lay.x_px(x) for x in a.begin]),
        np.array([lay.x_px(x) for x in a.finish]),
        a.is_range,
        marker_radius=sizes.marker_radius,
        min_range=sizes.min_range,
    )
    for label in drawn:
        x0, x1 = lay.x_px(label.x0), lay.x_px(label.x1)
        for j in np.flatnonzero(layout.lanes == label.lane).tolist():
            if int(a.ids[j]) == label.event_id:
                continue  # its own mark (a label may sit inside its bar)
            assert min(x1, hi[j]) - max(x0, lo[j]) <= 0.5, (label, j)


def test_a_picture_of_the_window_has_the_window_lanes(store, qtbot):
    """File ▸ Export Image… of what the window shows: the same events in the same
    lanes, whatever the picture's width."""
    arrays = store.load_arrays()
    view = TimelineView()
    qtbot.addWidget(view)
    view.resize(1280, 700)
    view.show()
    qtbot.waitExposed(view)
    view.set_data(arrays)
    x0, x1 = view.visible_range()
    view.set_visible_range(x0 + (x1 - x0) * 0.4, x1)  # zoomed in: lanes of that zoom
    view.relayout()
    assert view.item.layout is not None
    shown = dict(zip(arrays.ids.tolist(), view.item.layout.lanes.tolist(), strict=True))
    for width in (1000, 1600, 3000):
        data = render_data(
            store,
            x_range=view.visible_range(),
            arrays=arrays,
            layout_key=view.item.layout_key,
            view_width=view.plot.viewport().width(),
        )
        lay = export.layout_page(data, width)
        assert lay.lanes_of(data.arrays) == shown
    # without the window's key, at the window's own width, the lanes come out the same
    viewport = view.plot.viewport().width()
    data = render_data(store, x_range=view.visible_range(), arrays=arrays, view_width=viewport)
    width = viewport + 2 * export.MARGIN_X
    assert export.layout_page(data, width).lanes_of(data.arrays) == shown


def test_bce_timeline_has_bc_axis_labels(tmp_path, qapp):
    timeline = Timeline(
        title="Antiquity",
        events=[
            Event("Battle of Marathon", P(-489)),
            Event("Roman Republic", P(-508), P(-26)),
            Event("Eruption of Vesuvius", P(79, 8, 24)),
            Event("Sack of Rome", P(410, 8, 24)),
            Event("Hadrian's Wall begun", P(122)),
        ],
    )
    db = make_store(tmp_path / "bce.db", timeline)
    out = tmp_path / "bce.svg"
    with EventStore.open(db) as st:
        render_file(st, out, date_from=P(-499), date_to=P(500))
    texts = svg_texts(out)
    assert any(re.fullmatch(r"\d+ BC", t) for t in texts)
    assert "AD 1" in texts
    assert "500 BC – AD 500 · 5 events" in texts
    assert "490 BC" in texts  # the date beside Marathon


def test_deep_time_renders(tmp_path, qapp):
    timeline = Timeline(
        title="Deep time",
        events=[Event("Big Bang", P(-13_800_000_000)), Event("Dinosaurs die", P(-66_000_000))],
    )
    db = make_store(tmp_path / "deep.db", timeline)
    out = tmp_path / "deep.svg"
    with EventStore.open(db) as st:
        render_file(st, out, width=1200)
    texts = svg_texts(out)
    assert "13.8 billion years ago – 66 million years ago · 2 events" in texts
    assert any("years ago" in t for t in texts if t not in ("", texts[1]))


def test_a_dense_timeline_shows_its_first_lanes_and_the_density_quickly(tmp_path, qapp):
    db = make_store(tmp_path / "dense.db", synthetic_timeline(5000, seed=2))
    out = tmp_path / "dense.svg"
    with EventStore.open(db) as st:
        started = time.perf_counter()
        render_file(st, tmp_path / "dense.png", width=1600)
        elapsed = time.perf_counter() - started
        render_file(st, out, width=1600)
        data = render_data(st)
    assert elapsed < 10
    lay = export.layout_page(data, 1600)
    assert lay.events is not None and lay.events.rows == export.MAX_ROWS
    assert lay.events.lanes > export.MAX_ROWS
    texts = svg_texts(out)
    assert f"The first {export.MAX_ROWS} of {lay.events.lanes:,} lanes" in texts
    image = QImage(str(tmp_path / "dense.png"))
    assert image.width() == 1600 and image.height() < 1600
    assert distinct_colors(image) > 50
    # the density strip at the bottom of the events: the theme's colour, painted
    bottom = round(lay.plot_bottom) - 3
    row = {image.pixelColor(x, bottom).name() for x in range(100, 1500)}
    assert light_theme().density.name() in row or len(row) > 3


def test_an_empty_timeline_still_renders(tmp_path, qapp):
    with EventStore.open(tmp_path / "empty.db") as st:
        st.set_meta(title="Nothing yet")
        image = render_image(render_data(st), 800)
    assert image.width() == 800
    assert distinct_colors(image) > 2  # the title


def test_paint_timeline_fits_any_rect(store):
    data = render_data(store)
    image = QImage(1000, 2000, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(0)
    painter = QPainter(image)
    paint_timeline(painter, QRectF(100, 100, 800, 300), data)  # too low: scaled down
    painter.end()
    assert image.pixelColor(50, 50).alpha() == 0  # outside the rect untouched
    assert image.pixelColor(500, 450).alpha() == 0
    assert image.pixelColor(105, 105).name() == "#ffffff"


def test_the_seed_file_renders(seed_path, tmp_path, qapp):
    from viewer.io.formats import read_file

    db = make_store(tmp_path / "real.db", read_file(seed_path))
    out = tmp_path / "real.svg"
    with EventStore.open(db) as st:
        render_file(st, out)
    texts = svg_texts(out)
    assert "July 2000 – June 2024 · 14 events" in texts
    assert "Russia invades Ukraine" in texts


# -- the render command ------------------------------------------------------------------


def test_render_command_writes_a_png_of_the_width(seed_db, tmp_path, capsys, qapp):
    out = tmp_path / "cli.png"
    assert main(["render", str(seed_db), "--out", str(out), "--width", "900"]) == 0
    assert QImage(str(out)).width() == 900
    assert capsys.readouterr().out.strip() == f"wrote {out}"


def test_render_command_limits_dates(seed_db, tmp_path, qapp):
    out = tmp_path / "cli.svg"
    args = ["render", str(seed_db), "--out", str(out), "--from", "2022", "--to", "2024"]
    assert main(args) == 0
    texts = " ".join(svg_texts(out))
    assert "Russia invades Ukraine" in texts and "Putin visits" not in texts


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--out", "x.gif"], "cannot render to"),
        (["--out", "x.png", "--width", "20"], "between 200 and"),
        (["--out", "x.png", "--from", "2024", "--to", "2000"], "before the start"),
        (["--out", "x.png", "--from", "someday"], "cannot read 'someday'"),
    ],
)
def test_render_command_errors_are_one_line(seed_db, tmp_path, capsys, extra, message, qapp):
    extra = [str(tmp_path / a) if a.startswith("x.") else a for a in extra]
    assert main(["render", str(seed_db), *extra]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: ") and err.count("\n") == 1
    assert message in err
    assert not list(tmp_path.glob("x.*"))


# -- printing ----------------------------------------------------------------------------


def test_print_preview_paints_the_picture_on_a_printer(store, qtbot, tmp_path):
    dialog = print_timeline(None, store)
    qtbot.addWidget(dialog)
    assert isinstance(dialog, QPrintPreviewDialog)
    assert dialog.printer().pageLayout().orientation() == QPageLayout.Orientation.Landscape
    assert dialog.printer().docName() == TITLE
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    out = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(out))
    dialog.paintRequested.emit(printer)
    data = out.read_bytes()
    assert data.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page\b(?!s)", data)) == 1
    assert b"/FontFile2" in data
