"""View ▸ Time Scale in the window: the menu, the reference date, the offer for a
crowded deep-time file, the scale kept in the file, and pictures, print and
presentations on the window's scale; ``render``/``snapshot --time-scale``."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QDialogButtonBox
from window_events import make_store, open_window

from viewer.cli import main
from viewer.io.formats import read_file
from viewer.model.dates import PartialDate, year_start
from viewer.store import EventStore
from viewer.ui import export, paged
from viewer.ui.document import Document
from viewer.ui.export import layout_page
from viewer.ui.main_window import MainWindow
from viewer.ui.picture_data import file_time_scale, render_data

pytestmark = pytest.mark.qt_log_ignore(r"^This plugin does not support ")

DEEP_TIME = Path(__file__).resolve().parents[1] / "data" / "timelinejs" / "deep_time.json"


@pytest.fixture
def deep_db(tmp_path: Path) -> Path:
    path = tmp_path / "deep.db"
    with EventStore.open(path) as store:
        store.import_timeline(read_file(DEEP_TIME))
    return path


@pytest.fixture
def window(qtbot, tmp_path: Path, deep_db: Path):
    w = open_window(qtbot, tmp_path, deep_db, size=(1400, 860))
    yield w
    w.close()


def kept(db: Path) -> object:
    with EventStore.open(db, readonly=True) as store:
        return store.view_settings().get("time_scale")


def test_the_view_menu_has_the_time_scale(window: MainWindow) -> None:
    menu = window.time_scale.menu
    assert menu.menuAction() in window.view_menu.actions()
    texts = [a.text().replace("&", "") for a in menu.actions() if not a.isSeparator()]
    assert texts == ["Linear", "Logarithmic", "Reference Date…"]
    linear, log = window.time_scale.actions["linear"], window.time_scale.actions["log"]
    assert linear.isCheckable() and log.isCheckable() and linear.isChecked()
    assert linear.actionGroup() is log.actionGroup() and linear.actionGroup().isExclusive()
    assert all(a.statusTip() for a in (linear, log, window.time_scale.act_reference))


def test_a_crowded_deep_time_file_is_offered_the_log_scale_once(window, deep_db, qtbot) -> None:
    hint = window.time_scale.hint
    assert hint.isVisible()
    assert "13.8 billion years" in hint.text.text()
    assert hint.use_button.accessibleName() and hint.close_button.accessibleName()
    qtbot.mouseClick(hint.use_button, Qt.MouseButton.LeftButton)
    assert not hint.isVisible()
    assert not window.view.time_scale.is_linear and not window.overview.time_scale.is_linear
    assert window.time_scale.actions["log"].isChecked()
    assert kept(deep_db) == {"kind": "log"}
    window.data.reset.emit()  # read again (changed elsewhere): no second offer
    assert not hint.isVisible()


def test_the_offer_can_be_dismissed_and_does_not_nag(window, qtbot) -> None:
    hint = window.time_scale.hint
    qtbot.mouseClick(hint.close_button, Qt.MouseButton.LeftButton)
    assert not hint.isVisible() and window.view.time_scale.is_linear
    window.data.reset.emit()
    assert not hint.isVisible()


def test_an_ordinary_file_is_offered_nothing(qtbot, tmp_path: Path) -> None:
    w = open_window(qtbot, tmp_path, make_store(tmp_path / "plain.db"))
    assert not w.time_scale.hint.isVisible()
    w.close()


def test_the_scale_is_kept_in_the_file_and_comes_back(qtbot, tmp_path, window, deep_db) -> None:
    window.time_scale.actions["log"].trigger()
    window.time_scale.set_reference(PartialDate(1950))
    assert kept(deep_db) == {"kind": "log", "reference": "1950"}
    window.time_scale.actions["linear"].trigger()
    assert kept(deep_db) == {"kind": "linear"}
    window.time_scale.actions["log"].trigger()  # the reference chosen is still the one
    assert window.time_scale.scale.reference == PartialDate(1950)
    window.close()
    again = open_window(qtbot, tmp_path, deep_db)
    assert again.time_scale.actions["log"].isChecked()
    assert again.view.time_scale.reference == PartialDate(1950)
    assert not again.time_scale.hint.isVisible()  # (already logarithmic)
    again.close()


def test_a_read_only_file_is_scaled_but_not_written(qtbot, tmp_path: Path, deep_db) -> None:
    w = MainWindow(QSettings(str(tmp_path / "ro.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(w)
    w.show()
    w.set_document(Document(EventStore.open(deep_db, create=False, readonly=True)))
    before = deep_db.read_bytes()
    w.time_scale.set_kind("log")
    assert not w.view.time_scale.is_linear
    assert deep_db.read_bytes() == before
    w.close()


def test_the_reference_date_dialog_reads_dates_as_the_app_does(window) -> None:
    dialog = window.time_scale.choose_reference()
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert dialog.edit.accessibleName() == "Reference date"
    dialog.edit.setText("not a date at all")
    assert not ok.isEnabled()
    dialog.edit.setText("44 BC")
    assert ok.isEnabled() and dialog.reading.text() == "Reads as 44 BC"
    ok.click()
    scale = window.time_scale.scale
    assert not scale.is_linear and scale.reference == PartialDate(-43)
    assert window.view.axis.time_scale == scale
    empty = window.time_scale.choose_reference()
    empty.edit.setText("")
    empty.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert window.time_scale.scale.reference is None  # the present


def test_pictures_and_print_are_drawn_on_the_windows_scale(window, monkeypatch) -> None:
    window.time_scale.set_kind("log")
    asked: dict[str, object] = {}
    real = paged.print_timeline

    def print_timeline(parent, store, **kwargs):
        asked.update(kwargs)
        asked["dialog"] = dialog = real(parent, store, **kwargs)
        return dialog

    monkeypatch.setattr(paged, "print_timeline", print_timeline)
    window.files.print_timeline()
    assert asked["time_scale"] == window.time_scale.scale
    asked["dialog"].close()  # type: ignore[attr-defined]
    store = window.doc.store  # type: ignore[union-attr]
    data = render_data(
        store, x_range=window.view.visible_range(), arrays=window.data.all,
        time_scale=window.time_scale.scale,
    )  # fmt: skip
    page = layout_page(data, 1600)
    labels = [label for _, label, _ in page.ticks if label]
    assert any("million years ago" in t for t in labels)
    xs = [round(page.x_px(float(b))) for b in data.arrays.begin]
    assert len(set(xs)) >= 10  # linear would put most on one pixel
    linear = layout_page(render_data(store, x_range=(data.x0, data.x1)), 1600)
    assert len({round(linear.x_px(float(b))) for b in data.arrays.begin}) <= 5


def test_a_picture_of_the_whole_file_has_its_margins_on_the_axis(deep_db: Path, qapp) -> None:
    with EventStore.open(deep_db, readonly=True) as store:
        scale = file_time_scale(store, "log")
        data = render_data(store, time_scale=scale)
    u0, u1 = data.axis_range()
    first, last = (
        scale.to_axis(float(data.arrays.begin[0])),
        scale.to_axis(float(data.arrays.finish.max())),
    )
    assert u0 < first and last < u1
    assert (first - u0) == pytest.approx(u1 - last, rel=1e-6)  # (not half the axis in the future)


def test_a_presentation_glides_along_the_log_axis(window) -> None:
    window.time_scale.set_kind("log")
    titles = window.data.shown.titles.many(range(len(window.data.shown)))
    presenter = window.start_presentation(
        step=titles.index("Homo sapiens"), screen=None, windowed=True
    )
    assert presenter is not None
    presenter.finish_animations()
    assert presenter.view.time_scale == window.time_scale.scale
    x0, x1 = presenter.view.viewbox.viewRange()[0]
    u = window.time_scale.scale.to_axis(year_start(-299_999))
    assert x0 < u < x1
    assert abs((x0 + x1) / 2 - u) < 0.05 * (x1 - x0)  # centred as drawn
    labels = [
        lab
        for lev in presenter.view.axis.tickValues(x0, x1, presenter.view.width())
        for lab in lev[1]
    ]
    assert labels  # the band has its ticks
    presenter.close()


def test_render_and_snapshot_take_a_time_scale(deep_db: Path, tmp_path: Path, capsys) -> None:
    svg = tmp_path / "deep.svg"
    assert main(["render", str(deep_db), "--out", str(svg), "--time-scale", "log"]) == 0
    text = svg.read_text(encoding="utf-8")
    assert "million years ago" in text and "10,000 years ago" in text
    ref = tmp_path / "ref.svg"
    assert main(["render", str(deep_db), "--out", str(ref), "--reference", "1950"]) == 0
    assert "before 1950" in ref.read_text(encoding="utf-8")
    png = tmp_path / "deep.png"
    assert main(["snapshot", str(deep_db), "--out", str(png), "--time-scale", "log"]) == 0
    assert png.read_bytes()[:4] == b"\x89PNG"
    capsys.readouterr()
    assert main(["render", str(deep_db), "--out", str(svg), "--reference", "soon-ish"]) == 1
    assert "error:" in capsys.readouterr().err
    np.testing.assert_equal(kept(deep_db), None)  # pictures write nothing into the file


def test_export_image_writes_the_windows_scale(window, monkeypatch, tmp_path: Path) -> None:
    from viewer.ui import file_actions

    window.time_scale.set_kind("log")
    out = tmp_path / "picture.png"
    asked: dict[str, object] = {}
    real = export.render_file

    def render_file(store, path, **kwargs):
        asked.update(kwargs)
        real(store, path, **kwargs)

    monkeypatch.setattr(export, "render_file", render_file)
    monkeypatch.setattr(
        file_actions.QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), "PNG image")
    )
    window.files.choose_export_image()
    assert asked["time_scale"] == window.time_scale.scale
    assert out.read_bytes()[:4] == b"\x89PNG"


def test_cosmo_json_is_offered_the_log_scale_and_spreads_out(qtbot, tmp_path, shared_dir) -> None:
    cosmo = shared_dir / "fixtures" / "timelinejs" / "cosmo.json"
    if not cosmo.is_file():
        pytest.skip("cosmo.json is not present")
    db = tmp_path / "cosmo.db"
    with EventStore.open(db) as store:
        store.import_timeline(read_file(cosmo))
    w = open_window(qtbot, tmp_path, db)
    assert w.time_scale.hint.isVisible()

    def columns() -> int:
        a = w.view.item.arrays
        x0, x1 = w.view.viewbox.viewRange()[0]
        return len(np.unique(np.floor((a.begin - x0) / (x1 - x0) * w.view.viewbox.width())))

    linear = columns()
    w.time_scale.hint.use_button.click()
    assert columns() > linear
    assert columns() == len(w.view.arrays()) - 1  # (the Big Bang and the Dark Ages: 370,000 years)
    w.close()
