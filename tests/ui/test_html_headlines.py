"""Headlines with inline HTML (as public TimelineJS files carry them) read as text in
one-line places: timeline labels, the list, its tooltips, undo texts, picture titles."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from PySide6.QtCore import Qt
from test_export import make_store, svg_texts

from viewer.model.dates import PartialDate as P
from viewer.model.event import Event, Timeline
from viewer.store import EventStore
from viewer.store.columns import EventArrays
from viewer.ui.commands import quoted
from viewer.ui.event_list import HEADLINE, EventListModel
from viewer.ui.export import render_file
from viewer.ui.richtext import inline_html, one_line
from viewer.ui.timeline.labels import LabelCache

HAMLET = "<i>Hamlet</i> opens at the <b>Globe</b>"


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        (HAMLET, "Hamlet opens at the Globe"),
        ("The Beginning<br/>of everything", "The Beginning of everything"),
        ("The Beginning<BR>of everything", "The Beginning of everything"),
        ("R&amp;D budget &#8211; 1960s", "R&D budget \u2013 1960s"),
        ("<script>alert(1)</script>Launch", "Launch"),
        ('<img src="http://example.com/x.png" alt="">Moon', "Moon"),
        ("  plain   words\n here ", "plain words here"),
        ("a < b and c > d", "a < b and c > d"),
        ("", ""),
    ],
)
def test_one_line_shows_the_words_only(text: str, shown: str) -> None:
    assert one_line(text) == shown


@given(st.text())
def test_one_line_never_raises_and_is_one_line(text: str) -> None:
    out = one_line(text)
    assert "\n" not in out and out == out.strip()
    assert one_line(out) == out or "&" in out or "<" in out


def test_labels_list_and_undo_text_show_no_tags(qapp) -> None:
    events = [Event(HAMLET, P(1600), id=1), Event("Plain", P(1601), id=2)]
    arrays = EventArrays.from_events(events, {})
    labels = LabelCache()
    assert labels.text(arrays, 0) == "Hamlet opens at the Globe"
    model = EventListModel()
    model.set_arrays(arrays, {})
    index = model.index(0, HEADLINE)
    assert index.data(Qt.ItemDataRole.DisplayRole) == "Hamlet opens at the Globe"
    assert "&lt;i&gt;" not in index.data(Qt.ItemDataRole.ToolTipRole)
    assert "<i>" not in index.data(Qt.ItemDataRole.ToolTipRole)
    assert quoted(HAMLET) == "'Hamlet opens at the Globe'"


def test_a_picture_shows_formatted_headlines_as_text(tmp_path: Path, qapp) -> None:
    timeline = Timeline(title="<i>Shakespeare</i><br/>on stage", events=[Event(HAMLET, P(1600))])
    db = make_store(tmp_path / "h.db", timeline)
    out = tmp_path / "h.svg"
    with EventStore.open(db) as store:
        render_file(store, out)
    texts = svg_texts(out)
    assert "Shakespeare on stage" in texts
    # the label keeps its italic and bold: runs of text, in the order read
    assert "Hamlet opens at the Globe" in "".join(texts)
    assert "Hamlet" in texts and "Globe" in texts
    assert not [t for t in texts if "<" in t or "&lt;" in t or "\xa0" in t]


def test_a_picture_of_years_names_no_month(tmp_path: Path, qapp) -> None:
    """The subtitle's span is no finer than the events' own dates."""
    timeline = Timeline(title="Plays", events=[Event("A", P(1600)), Event("B", P(1611))])
    db = make_store(tmp_path / "y.db", timeline)
    out = tmp_path / "y.svg"
    with EventStore.open(db) as store:
        render_file(store, out)
    assert "1600–1611 · 2 events" in svg_texts(out)


@given(st.text())
def test_inline_html_never_raises_and_reads_as_one_line(text: str) -> None:
    from PySide6.QtGui import QTextDocument

    out = inline_html(text)
    assert "\n" not in out
    doc = QTextDocument()
    doc.setHtml(out)
    assert "\ufffc" not in doc.toPlainText()  # no image object ever


def test_a_mark_tooltip_keeps_italic_and_loads_nothing(qtbot) -> None:
    from PySide6.QtGui import QTextDocument

    from viewer.ui.timeline.view import TimelineView

    events = [Event(HAMLET + '<img src="file:/x">', P(1600), id=1)]
    view = TimelineView()
    qtbot.addWidget(view)
    view.set_data(EventArrays.from_events(events, {}))
    tip = view.item.tooltip_html(1)
    assert tip == "<b><i>Hamlet</i> opens at the <b>Globe</b></b><br/>1600"
    doc = QTextDocument()
    doc.setHtml(tip)
    assert doc.toPlainText() == "Hamlet opens at the Globe\n1600"


def test_a_canvas_label_keeps_its_type_styles_and_is_measured_so(qapp) -> None:
    events = [Event(HAMLET, P(1600), id=1), Event("Plain", P(1601), id=2)]
    arrays = EventArrays.from_events(events, {})
    labels = LabelCache()
    widths = labels.widths(arrays, np.arange(2), np.array([False, True]))
    styled = labels.static_text(1, labels.text(arrays, 0), False, 0)
    assert styled.textFormat() == Qt.TextFormat.RichText
    assert "<i>Hamlet</i>" in styled.text() and "<b>Globe</b>" in styled.text()
    assert abs(styled.size().width() - widths[0]) <= 1.5  # one line, as wide as measured
    assert styled.size().height() < 2 * labels.metrics.height()
    plain = labels.static_text(2, "Plain", True, 0)
    assert plain.textFormat() == Qt.TextFormat.PlainText
    # elided, a label is its plain words
    short = labels.static_text(1, labels.text(arrays, 0), False, 40)
    assert short.textFormat() == Qt.TextFormat.PlainText and "<" not in short.text()
