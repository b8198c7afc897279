"""The add/edit event dialog, driven with real key presses."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from viewer.model.dates import PartialDate, Precision, Qualifier
from viewer.model.event import Category, Event
from viewer.store import EventStore
from viewer.ui.commands import AddEventCommand, EditEventCommand, push
from viewer.ui.document import Document
from viewer.ui.event_dialog import NO_CATEGORY, EventDialog, error_color

# The offscreen platform warns that it cannot do what windows and popups ask of it
# (propagateSizeHints, raise, grabbing the keyboard): not a fault of the dialog.
pytestmark = pytest.mark.qt_log_ignore(r"^This plugin does not support ")

CATEGORIES = [Category("Diplomacy", "#4e79a7", 1), Category("Military", "#e15759", 2)]
TAGS = ["diplomacy", "summit", "sanctions", "missiles"]

SUMMIT = Event(
    "Vladivostok summit",
    PartialDate(2019, 4, 25),
    description="First meeting.",
    category="Diplomacy",
    tags=("diplomacy", "summit"),
    source_url="https://example.org/a",
    display_date="April 25, 2019",
    extra={"unique_id": "vlad"},
    id=7,
)

Factory = Callable[..., EventDialog]


@pytest.fixture
def make_dialog(qtbot: Any) -> Factory:
    def make(**kwargs: Any) -> EventDialog:
        kwargs.setdefault("categories", CATEGORIES)
        kwargs.setdefault("tags", TAGS)
        dialog = EventDialog(None, **kwargs)
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        dialog.activateWindow()
        qtbot.waitUntil(dialog.isActiveWindow, timeout=2000)
        return dialog

    return make


def focused() -> QWidget | None:
    return QApplication.focusWidget()


def test_focus_starts_in_the_headline(make_dialog: Factory) -> None:
    dialog = make_dialog()
    assert focused() is dialog.headline_edit
    assert dialog.minimumWidth() >= 520
    assert dialog.windowTitle() == "Add Event"


def test_tab_order(make_dialog: Factory, qtbot: Any) -> None:
    dialog = make_dialog()
    expected = [
        dialog.headline_edit,
        dialog.start_edit,
        dialog.end_edit,
        dialog.category_combo,
        dialog.tags_edit,
        dialog.description_edit,
        dialog.source_edit,
    ]
    seen = [focused()]
    for _ in expected[1:]:
        qtbot.keyClick(focused(), Qt.Key.Key_Tab)
        seen.append(focused())
    # The editable combo's line edit may hold focus for it.
    normalized = [
        dialog.category_combo if w is dialog.category_combo.lineEdit() else w for w in seen
    ]
    assert normalized == expected
    for widget in reversed(expected[:-1]):
        qtbot.keyClick(focused(), Qt.Key.Key_Backtab)
        current = focused()
        if current is dialog.category_combo.lineEdit():
            current = dialog.category_combo
        assert current is widget


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("March 3, 1999", "3 March 1999 · day precision"),
        ("3 March 1999", "3 March 1999 · day precision"),
        ("1999-03-03", "3 March 1999 · day precision"),
        ("March 1999", "March 1999 · month precision"),
        ("1999", "1999 · year precision"),
        ("44 BC", "44 BC · year precision"),
        ("2024-05-05 14:30", "5 May 2024 14:30 · minute precision"),
        ("Sept. 13, 2023", "13 September 2023 · day precision"),
    ],
)
def test_typing_a_date_shows_how_it_was_read(
    make_dialog: Factory, qtbot: Any, typed: str, shown: str
) -> None:
    dialog = make_dialog()
    qtbot.keyClicks(dialog.headline_edit, "Talks")
    qtbot.keyClicks(dialog.start_edit, typed)
    assert dialog.start_info.text() == shown
    assert dialog.save_button.isEnabled()
    dialog.end_edit.clear()
    qtbot.keyClicks(dialog.end_edit, typed)
    assert dialog.end_info.text() == shown


def test_invalid_date_disables_save_and_says_why(make_dialog: Factory, qtbot: Any) -> None:
    dialog = make_dialog()
    qtbot.keyClicks(dialog.headline_edit, "Talks")
    qtbot.keyClicks(dialog.start_edit, "Feb 30, 2023")
    assert not dialog.save_button.isEnabled()
    assert dialog.start_info.text() == "February 2023 has no day 30"
    assert dialog.problem() == "The start date is not valid"
    red = error_color(dialog.palette())
    assert dialog.start_info.palette().color(dialog.start_info.foregroundRole()) == red
    assert dialog.reason_label.palette().color(dialog.reason_label.foregroundRole()) == red
    qtbot.keyClick(dialog.start_edit, Qt.Key.Key_Return)
    assert dialog.isVisible()  # Enter does not save an invalid event
    with pytest.raises(ValueError, match="not valid"):
        dialog.result_event()
    dialog.start_edit.clear()
    qtbot.keyClicks(dialog.start_edit, "gibberish")
    assert dialog.start_info.text().startswith("Cannot read this as a date")
    dialog.start_edit.setText("1999")
    qtbot.keyClicks(dialog.end_edit, "Feb 30, 2001")
    assert dialog.end_info.text() == "February 2001 has no day 30"
    assert dialog.problem() == "The end date is not valid"


def test_approximate_uncertain_and_open_dates_say_how_they_were_read(
    make_dialog: Factory, qtbot: Any
) -> None:
    dialog = make_dialog()
    qtbot.keyClicks(dialog.headline_edit, "Printing")
    qtbot.keyClicks(dialog.start_edit, "c. 1450")
    assert dialog.start_info.text() == "c. 1450 · year precision, approximate"
    qtbot.keyClicks(dialog.end_edit, "1500?")
    assert dialog.end_info.text() == "1500? · year precision, uncertain"
    event = dialog.result_event()
    assert event.start == PartialDate(1450, qualifier=Qualifier.APPROXIMATE)
    assert event.end == PartialDate(1500, qualifier=Qualifier.UNCERTAIN)
    # a decade in the end field ends with its last year
    dialog.end_edit.clear()
    qtbot.keyClicks(dialog.end_edit, "the 1490s")
    assert dialog.result_event().end == PartialDate(1499)
    # a decade in the start field is a range of its own
    dialog.end_edit.clear()
    dialog.start_edit.clear()
    qtbot.keyClicks(dialog.start_edit, "early 1990s")
    assert dialog.start_info.text() == (
        "c. 1990 – c. 1993 · year precision · a range, start approximate, end approximate"
    )
    # open only outwards
    dialog.start_edit.clear()
    qtbot.keyClicks(dialog.start_edit, "1450")
    qtbot.keyClicks(dialog.end_edit, "before 1500")
    assert not dialog.save_button.isEnabled()
    assert dialog.end_info.text() == "A range is open only before its start or after its end"
    dialog.end_edit.clear()
    qtbot.keyClicks(dialog.end_edit, "after 1500")
    assert dialog.result_event().end == PartialDate(1500, qualifier=Qualifier.AFTER)


def test_headline_and_start_are_required(make_dialog: Factory, qtbot: Any) -> None:
    dialog = make_dialog()
    assert not dialog.save_button.isEnabled()
    assert dialog.problem() == "A start date is needed"
    qtbot.keyClicks(dialog.start_edit, "1999")
    assert dialog.problem() == "A headline is needed"
    qtbot.keyClicks(dialog.headline_edit, "   ")
    assert not dialog.save_button.isEnabled()
    qtbot.keyClicks(dialog.headline_edit, "x")
    assert dialog.save_button.isEnabled() and dialog.problem() == ""


def test_end_before_start_is_refused(make_dialog: Factory, qtbot: Any) -> None:
    dialog = make_dialog()
    qtbot.keyClicks(dialog.headline_edit, "War")
    qtbot.keyClicks(dialog.start_edit, "1945")
    qtbot.keyClicks(dialog.end_edit, "1939")
    assert not dialog.save_button.isEnabled()
    assert dialog.problem() == "The end is before the start"
    assert dialog.end_info.text() == "The end is before the start"
    dialog.end_edit.setText("1945")  # the same period is fine
    assert dialog.save_button.isEnabled()


def test_a_range_in_the_start_field(make_dialog: Factory, qtbot: Any) -> None:
    dialog = make_dialog()
    qtbot.keyClicks(dialog.headline_edit, "Visit")
    qtbot.keyClicks(dialog.start_edit, "May 16-17, 2024")
    assert dialog.start_info.text() == "16–17 May 2024 · day precision · a range"
    event = dialog.result_event()
    assert (event.start, event.end) == (PartialDate(2024, 5, 16), PartialDate(2024, 5, 17))
    qtbot.keyClicks(dialog.end_edit, "2025")
    assert not dialog.save_button.isEnabled()


def test_ctrl_enter_saves_from_the_description(make_dialog: Factory, qtbot: Any) -> None:
    dialog = make_dialog()
    qtbot.keyClicks(dialog.headline_edit, "Talks")
    qtbot.keyClicks(dialog.start_edit, "March 1999")
    dialog.description_edit.setFocus()
    qtbot.keyClicks(dialog.description_edit, "First line")
    qtbot.keyClick(dialog.description_edit, Qt.Key.Key_Return)
    assert dialog.isVisible()  # a plain Enter is a new line here
    qtbot.keyClicks(dialog.description_edit, "second line")
    with qtbot.wait_signal(dialog.accepted, timeout=1000):
        qtbot.keyClick(
            dialog.description_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier
        )
    assert dialog.result() == QDialog.DialogCode.Accepted
    event = dialog.result_event()
    assert event.description == "First line\nsecond line"
    assert event.start.precision is Precision.MONTH


def test_ctrl_keypad_enter_saves_from_a_date_field(make_dialog: Factory, qtbot: Any) -> None:
    dialog = make_dialog()
    qtbot.keyClicks(dialog.headline_edit, "Talks")
    qtbot.keyClicks(dialog.start_edit, "1999")
    with qtbot.wait_signal(dialog.accepted, timeout=1000):
        qtbot.keyClick(
            dialog.start_edit,
            Qt.Key.Key_Enter,
            Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.KeypadModifier,
        )


def test_enter_saves_from_the_headline(make_dialog: Factory, qtbot: Any) -> None:
    dialog = make_dialog(prefill_start=PartialDate(1999, 3))
    assert dialog.start_edit.text() == "March 1999"
    qtbot.keyClicks(dialog.headline_edit, "Talks")
    with qtbot.wait_signal(dialog.accepted, timeout=1000):
        qtbot.keyClick(dialog.headline_edit, Qt.Key.Key_Return)
    event = dialog.result_event()
    assert event == Event("Talks", PartialDate(1999, 3))
    assert event.start.precision is Precision.MONTH


def test_enter_saves_from_the_category_field(make_dialog: Factory, qtbot: Any) -> None:
    dialog = make_dialog(prefill_start=PartialDate(1999))
    qtbot.keyClicks(dialog.headline_edit, "Talks")
    dialog.category_combo.setFocus()
    dialog.category_combo.lineEdit().selectAll()
    qtbot.keyClicks(dialog.category_combo.lineEdit(), "military")
    with qtbot.wait_signal(dialog.accepted, timeout=1000):
        qtbot.keyClick(dialog.category_combo.lineEdit(), Qt.Key.Key_Return)
    assert dialog.result_event().category == "Military"  # matched ignoring case


def test_escape_cancels(make_dialog: Factory, qtbot: Any) -> None:
    dialog = make_dialog(event=SUMMIT, title="Edit Event")
    qtbot.keyClicks(dialog.headline_edit, "changed")
    with qtbot.wait_signal(dialog.rejected, timeout=1000):
        qtbot.keyClick(dialog.headline_edit, Qt.Key.Key_Escape)
    assert dialog.result() == QDialog.DialogCode.Rejected


def test_editing_keeps_id_extra_and_display_date(make_dialog: Factory, qtbot: Any) -> None:
    dialog = make_dialog(event=SUMMIT, title="Edit Event")
    assert dialog.headline_edit.text() == "Vladivostok summit"
    assert dialog.start_edit.text() == "25 April 2019"
    assert dialog.category_combo.currentText() == "Diplomacy"
    assert dialog.tags_edit.text() == "diplomacy, summit"
    assert "shown as “April 25, 2019”" in dialog.start_info.text()
    assert dialog.result_event() == SUMMIT  # unchanged fields give the same event
    dialog.headline_edit.setText("Summit on Russky Island")
    assert dialog.result_event() == SUMMIT.evolve(title="Summit on Russky Island")


def test_changing_the_dates_drops_the_display_date(make_dialog: Factory, qtbot: Any) -> None:
    dialog = make_dialog(event=SUMMIT, title="Edit Event")
    qtbot.keyClicks(dialog.end_edit, "April 26, 2019")
    event = dialog.result_event()
    assert event.end == PartialDate(2019, 4, 26)
    assert event.display_date == ""
    assert (event.id, event.extra) == (SUMMIT.id, SUMMIT.extra)


def test_new_category_and_none(make_dialog: Factory, qtbot: Any) -> None:
    dialog = make_dialog(event=SUMMIT)
    dialog.category_combo.setCurrentText("Culture")
    assert dialog.category_info.isVisible()
    assert "new category “Culture”" in dialog.category_info.text()
    assert dialog.result_event().category == "Culture"
    dialog.category_combo.setCurrentText(NO_CATEGORY)
    assert not dialog.category_info.isVisible()
    assert dialog.result_event().category is None


def test_tag_completion_offers_existing_tags(make_dialog: Factory, qtbot: Any) -> None:
    dialog = make_dialog(prefill_start=PartialDate(1999))
    qtbot.keyClicks(dialog.headline_edit, "Talks")
    edit = dialog.tags_edit
    edit.setFocus()
    qtbot.keyClicks(edit, "s")
    popup = edit.tag_completer.popup()
    qtbot.waitUntil(popup.isVisible, timeout=1000)
    model = edit.tag_completer.completionModel()
    offered = [model.index(i, 0).data() for i in range(model.rowCount())]
    assert offered == ["sanctions", "summit"]
    qtbot.keyClicks(edit, "U")  # case does not matter
    assert edit.tag_completer.currentCompletion() == "summit"
    qtbot.keyClick(popup, Qt.Key.Key_Return)  # take the highlighted tag
    assert edit.text() == "summit, "
    assert dialog.isVisible()  # choosing a tag does not save the dialog
    qtbot.keyClicks(edit, "Dip")  # the segment after the comma is completed
    qtbot.waitUntil(popup.isVisible, timeout=1000)
    assert edit.current_prefix() == "Dip"
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert edit.text() == "summit, diplomacy, "
    qtbot.keyClicks(edit, "brand new")
    assert not popup.isVisible()
    assert dialog.result_event().tags == ("brand new", "diplomacy", "summit")


def test_tags_are_trimmed_and_deduplicated(make_dialog: Factory, qtbot: Any) -> None:
    dialog = make_dialog(prefill_start=PartialDate(1999))
    dialog.headline_edit.setText("Talks")
    dialog.tags_edit.setText(" Summit ,, summit,  trade  routes ,")
    assert dialog.result_event().tags == ("summit", "trade routes")


# -- through the store ----------------------------------------------------------------------


@pytest.fixture
def doc(tmp_path: Path, qapp: Any) -> Iterator[Document]:
    store = EventStore.open(tmp_path / "t.db")
    store.add_category("Diplomacy", "#4e79a7")
    document = Document(store)
    yield document
    document.close()


def test_dialog_result_goes_through_an_undoable_command(
    doc: Document, make_dialog: Factory, qtbot: Any, tmp_path: Path
) -> None:
    dialog = make_dialog(
        categories=doc.store.categories(), tags=[t for t, _ in doc.store.tag_counts()]
    )
    qtbot.keyClicks(dialog.headline_edit, "Vladivostok summit")
    qtbot.keyClicks(dialog.start_edit, "April 25, 2019")
    dialog.category_combo.setCurrentText("Summits")
    qtbot.keyClicks(dialog.tags_edit, "diplomacy")
    with qtbot.wait_signal(dialog.accepted, timeout=1000):
        qtbot.keyClick(dialog.headline_edit, Qt.Key.Key_Return)
    add = AddEventCommand(doc, dialog.result_event())
    assert push(doc, add)
    with EventStore.open(tmp_path / "t.db", create=False) as fresh:
        [stored] = fresh.events()
        assert stored.category == "Summits" and stored.tags == ("diplomacy",)
        assert fresh.category("Summits") is not None

    edit_dialog = make_dialog(event=stored, categories=doc.store.categories(), title="Edit Event")
    edit_dialog.end_edit.setText("April 26, 2019")
    changed = edit_dialog.result_event()
    assert push(doc, EditEventCommand(doc, stored, changed))
    assert doc.undo_stack.undoText() == "Edit 'Vladivostok summit'"
    doc.undo_stack.undo()
    doc.undo_stack.undo()
    with EventStore.open(tmp_path / "t.db", create=False) as fresh:
        assert fresh.events() == []
        assert [c.name for c in fresh.categories()] == ["Diplomacy"]


def test_speaker_notes_are_edited_in_the_dialog(make_dialog: Factory, qtbot: Any) -> None:
    dialog = make_dialog()
    qtbot.keyClicks(dialog.headline_edit, "Talk")
    qtbot.keyClicks(dialog.start_edit, "2000")
    qtbot.keyClicks(dialog.notes_edit, "Pause for questions")
    assert dialog.notes_edit.accessibleName() == "Speaker notes"
    assert dialog.result_event().notes == "Pause for questions"
