"""Editing in the main window: actions, dialogs and undo, all through commands.

Every change is an undo command pushed on the document's stack; the command writes
to the store in a transaction (so it is on disk at once) and the views refresh from
the store's change signal.  Dialogs open window-modal without blocking (``open()``),
so the window stays responsive and tests can drive them.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QFileDialog, QMenu

from viewer.model.dates import SECONDS_PER_DAY, PartialDate, Precision
from viewer.model.event import Event
from viewer.store import EventStore, ImportCancelled, StoreError
from viewer.ui.category_dialogs import CategoryManagerDialog, TimelinePropertiesDialog
from viewer.ui.commands import (
    AddEventCommand,
    DeleteEventsCommand,
    DuplicateEventsCommand,
    EditEventCommand,
    ImportCommand,
    SetCategoryCommand,
    command_errors,
    push,
    quoted,
)
from viewer.ui.document import Document
from viewer.ui.event_dialog import EventDialog
from viewer.ui.richtext import menu_text, shown_as_written
from viewer.ui.theme import load_icon

if TYPE_CHECKING:
    from viewer.model.event import Timeline
    from viewer.ui.main_window import MainWindow

_YEAR = 365.2425 * SECONDS_PER_DAY
#: A mnemonic marker in an action's text ("&Undo"; "&&" is a literal "&").
_MNEMONIC = re.compile(r"&(.)")


def precision_for_span(span: float) -> Precision:
    """The precision a new date gets from the zoom: what the person can point at."""
    if span > 40 * _YEAR:
        return Precision.YEAR
    if span > 2 * _YEAR:
        return Precision.MONTH
    if span > 3 * SECONDS_PER_DAY:
        return Precision.DAY
    return Precision.MINUTE


class EditController(QObject):
    """The Edit menu, the editing shortcuts and what they do to the open document."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.dialog: QDialog | None = None
        self._undo_action: QAction | None = None
        self._redo_action: QAction | None = None
        w = window
        Key = QKeySequence.StandardKey

        def action(
            text: str, slot: object, shortcuts: Sequence[object] = (), icon: str = ""
        ) -> QAction:
            a = w._action(text, slot, icon=icon or None)
            keys = [QKeySequence(s) for s in shortcuts]  # type: ignore[arg-type]
            if keys:
                a.setShortcuts(keys)
            return a

        self.act_add = action("&Add Event…", lambda: self.add_event(), ["Ctrl+N"], "add")
        self.act_edit = action("&Edit Event…", lambda: self.edit_event(), ["Ctrl+E"], "edit")
        # Not QKeySequence.Delete: on X11, KDE and GNOME that is also Ctrl+D, which
        # would make Duplicate's Ctrl+D ambiguous (and neither would run).
        self.act_delete = action("&Delete", self.delete_selected, ["Del"], "delete")
        self.act_duplicate = action("D&uplicate", self.duplicate_selected, ["Ctrl+D"], "duplicate")
        self.act_categories = action("&Categories…", self.manage_categories, icon="category")
        self.act_properties = action("Timeline &Properties…", self.edit_properties)
        self.act_save_as = action("Save &As…", self.save_as, [Key.SaveAs], "save-as")
        self.category_menu = QMenu("Set Ca&tegory", w)
        self.category_menu.aboutToShow.connect(self._fill_category_menu)

        # The undo/redo actions come from the document's stack; these placeholders hold
        # their place in the menu while no document is open.
        self.undo_placeholder = QAction(load_icon("undo"), "&Undo", w)
        self.redo_placeholder = QAction(load_icon("redo"), "&Redo", w)
        self.undo_placeholder.setEnabled(False)
        self.redo_placeholder.setEnabled(False)

        menu = w.edit_menu
        first = menu.actions()[0] if menu.actions() else None
        for item in (self.undo_placeholder, self.redo_placeholder):
            menu.insertAction(first, item)  # type: ignore[arg-type]
        menu.insertSeparator(first)  # type: ignore[arg-type]
        for item in (self.act_add, self.act_edit, self.act_duplicate, self.act_delete):
            menu.insertAction(first, item)  # type: ignore[arg-type]
        menu.insertMenu(first, self.category_menu)  # type: ignore[arg-type]
        menu.insertSeparator(first)  # type: ignore[arg-type]
        menu.addSeparator()
        menu.addAction(self.act_categories)
        menu.addAction(self.act_properties)
        w.file_menu.insertAction(w.act_import, self.act_save_as)
        w.file_menu.insertSeparator(w.act_import)

        bar = w.toolbar
        bar.addSeparator()
        for item in (self.act_add, self.act_edit, self.act_delete):
            bar.addAction(item)
        bar.addSeparator()
        bar.addAction(self.undo_placeholder)
        bar.addAction(self.redo_placeholder)

        w.documentChanged.connect(self._on_document)
        w.state.selectionChanged.connect(lambda _ids: self.update_actions())
        w.detail.editRequested.connect(lambda: self.edit_event())
        self._on_document(w.doc)

    # -- helpers ---------------------------------------------------------------------

    @property
    def doc(self) -> Document | None:
        return self.window.doc

    @property
    def editable(self) -> bool:
        """Whether the open document may be changed now (not read-only, and loaded
        and checked in full)."""
        return self.doc is not None and not self.doc.readonly and self.window.data.ready

    def _push(self, command: object) -> bool:
        assert self.doc is not None
        return push(self.doc, command)  # type: ignore[arg-type]

    def _on_document(self, doc: Document | None) -> None:
        w = self.window
        for old in (self._undo_action, self._redo_action):
            if old is not None:
                for widget in (w.edit_menu, w.toolbar):
                    widget.removeAction(old)
                w.removeAction(old)
                old.deleteLater()
        self._undo_action = self._redo_action = None
        if doc is not None:
            stack = doc.undo_stack
            undo = stack.createUndoAction(w, "&Undo")
            redo = stack.createRedoAction(w, "&Redo")
            undo.setIcon(load_icon("undo"))
            redo.setIcon(load_icon("redo"))
            undo.setShortcuts([QKeySequence(QKeySequence.StandardKey.Undo)])
            redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
            for real in (undo, redo):
                _tooltip_as_written(real)
            for placeholder, real in ((self.undo_placeholder, undo), (self.redo_placeholder, redo)):
                for widget in (w.edit_menu, w.toolbar):
                    widget.insertAction(placeholder, real)
                w.addAction(real)
            self._undo_action, self._redo_action = undo, redo
            command_errors(doc).failed.connect(self._on_command_failed)
        for placeholder in (self.undo_placeholder, self.redo_placeholder):
            placeholder.setVisible(doc is None)
        self.update_actions()

    def _on_command_failed(self, step: str, error: object) -> None:
        if isinstance(error, ImportCancelled):
            return  # the person asked for it; nothing was added
        self.window.show_error("Could not change the timeline", f"{step}: {error}")

    def update_actions(self) -> None:
        editable = self.editable
        selected = bool(self.window.state.selection)
        self.act_add.setEnabled(editable)
        self.act_edit.setEnabled(editable and self.window.state.current is not None)
        self.act_delete.setEnabled(editable and selected)
        self.act_duplicate.setEnabled(editable and selected)
        self.category_menu.setEnabled(editable and selected)
        self.act_categories.setEnabled(editable)
        self.act_properties.setEnabled(editable)
        self.act_save_as.setEnabled(self.doc is not None)

    # -- events ----------------------------------------------------------------------

    def _event_dialog(
        self, title: str, event: Event | None, prefill: PartialDate | None
    ) -> EventDialog:
        assert self.doc is not None
        store = self.doc.store
        dialog = EventDialog(
            self.window,
            categories=store.categories(),
            tags=[t for t, _n in store.tag_counts()],
            event=event,
            prefill_start=prefill,
            title=title,
        )
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog = dialog
        return dialog

    def add_event(self, at: float | None = None) -> EventDialog | None:
        """Open the Add Event dialog; ``at`` prefills the date under the cursor."""
        if not self.editable:
            return None
        prefill = None
        if at is not None:
            x0, x1 = self.window.view.visible_range()
            prefill = PartialDate.from_position(at, precision_for_span(x1 - x0))
        dialog = self._event_dialog("Add Event", None, prefill)

        def save() -> None:
            command = AddEventCommand(self.doc, dialog.result_event())  # type: ignore[arg-type]
            if self._push(command) and command.event_id is not None:
                self.select_if_shown(command.event_id, f"Added {quoted(command.event.title)}")

        dialog.accepted.connect(save)
        dialog.open()
        return dialog

    def edit_event(self, event_id: int | None = None) -> EventDialog | None:
        if not self.editable:
            return None
        event_id = event_id if event_id is not None else self.window.state.current
        if event_id is None:
            return None
        assert self.doc is not None
        before = self.doc.store.get_event(event_id)
        if before is None:
            return None
        dialog = self._event_dialog("Edit Event", before, None)

        def save() -> None:
            after = dialog.result_event()
            if after != before:
                self._push(EditEventCommand(self.doc, before, after))  # type: ignore[arg-type]

        dialog.accepted.connect(save)
        dialog.open()
        return dialog

    def select_if_shown(self, event_id: int, done: str) -> None:
        """Select an event just added or moved (``done`` says so: "Added 'X'").

        One the filters hide is only reported, so that nothing hidden is selected.
        """
        w = self.window
        if w.is_shown(event_id):
            w.state.set_selection([event_id], event_id)
            w.view.ensure_visible(event_id)
        else:
            w.statusBar().showMessage(
                f"{done}; the filters hide it (View ▸ Reset Filters shows it).", 8000
            )

    def delete_selected(self) -> None:
        ids = self.window.state.selection
        if not self.editable or not ids:
            return
        if self._push(DeleteEventsCommand(self.doc, ids)):  # type: ignore[arg-type]
            self.window.state.clear_selection()

    def duplicate_selected(self) -> None:
        ids = self.window.state.selection
        if not self.editable or not ids:
            return
        command = DuplicateEventsCommand(self.doc, ids)  # type: ignore[arg-type]
        if self._push(command) and command.new_ids:
            self.window.state.set_selection(list(command.new_ids))

    def set_category(self, name: str | None) -> None:
        ids = self.window.state.selection
        if self.editable and ids:
            self._push(SetCategoryCommand(self.doc, ids, name))  # type: ignore[arg-type]

    def _fill_category_menu(self) -> None:
        menu = self.category_menu
        menu.clear()
        if self.doc is None:
            return
        from viewer.ui.event_dialog import swatch_icon  # takes the "#rrggbb" text

        for cat in self.doc.store.categories():
            menu.addAction(
                swatch_icon(cat.color),
                menu_text(cat.name),
                lambda n=cat.name: self.set_category(n),
            )
        menu.addSeparator()
        menu.addAction("(No Category)", lambda: self.set_category(None))

    def move_event(self, before: Event, after: Event, *, resize: bool = False) -> bool:
        """The end of a drag on the timeline: one undoable step."""
        if not self.editable or before == after:
            return False
        make = EditEventCommand.resize if resize else EditEventCommand.move
        return self._push(make(self.doc, before, after))  # type: ignore[arg-type]

    # -- document-wide ---------------------------------------------------------------

    def manage_categories(self) -> CategoryManagerDialog | None:
        if not self.editable:
            return None
        assert self.doc is not None
        dialog = CategoryManagerDialog(self.doc, self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog = dialog
        dialog.open()
        return dialog

    def edit_properties(self) -> TimelinePropertiesDialog | None:
        if not self.editable:
            return None
        assert self.doc is not None
        dialog = TimelinePropertiesDialog(self.doc, self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog = dialog
        dialog.open()
        return dialog

    def run_import(self, timeline: Timeline, progress: object) -> Sequence[int]:
        """An import as one undoable step ("Import 14 events")."""
        command = ImportCommand(self.doc, timeline, progress=progress)  # type: ignore[arg-type]
        if not self._push(command):
            error = command.failed
            raise error if error is not None else StoreError("the import failed")
        return command.result.event_ids if command.result else ()

    def save_as(self) -> None:
        if self.doc is None:
            return
        start = "" if self.doc.path == ":memory:" else str(Path(self.doc.path).with_suffix(""))
        path, _ = QFileDialog.getSaveFileName(
            self.window, "Save a Copy As", f"{start} copy.db", "Timeline files (*.db)"
        )
        if path:
            self.save_copy(path)

    def save_copy(self, path: str | os.PathLike[str], *, open_copy: bool = True) -> bool:
        """A consistent copy via SQLite's backup API; then work on the copy.

        The copy is made beside ``path`` and moved over it only once it opens
        cleanly: when anything fails, a file that was to be replaced is as it was.
        The window goes on showing the same events, filters and selection.
        """
        assert self.doc is not None
        target = Path(path)
        if _same_file(target, self.doc.path):
            self.window.show_error("Cannot save a copy", "Choose a different file name.")
            return False
        partial = target.with_name(target.name + ".part")
        try:
            _remove_database(partial)
            self.doc.store.backup_to(partial)
            EventStore.open(partial, create=False).close()  # the copy must open cleanly
            _remove_database(partial, main=False)
            # A journal left by the file replaced must not be applied to the copy.
            _remove_database(target, main=False)
            partial.replace(target)
        except (OSError, StoreError) as exc:
            with contextlib.suppress(OSError):
                _remove_database(partial)
            self.window.show_error("Cannot save a copy", str(exc))
            return False
        if open_copy:
            self.window.open_path(target, keep_view=True)
        return True


def _tooltip_as_written(action: QAction) -> None:
    """Keep ``action``'s tooltip its text (without mnemonic ``&``), shown as written.

    The undo and redo actions name the step ("Undo Edit 'X'"), and a toolbar shows
    that as a tooltip, which Qt takes for rich text when the headline looks like it.
    """

    def follow() -> None:
        action.setToolTip(shown_as_written(_MNEMONIC.sub(r"\1", action.text())))

    action.changed.connect(follow)
    follow()


def _same_file(a: str | os.PathLike[str], b: str | os.PathLike[str]) -> bool:
    if os.path.abspath(a) == os.path.abspath(b):
        return True
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False  # one of them does not exist (":memory:", a new name)


def _remove_database(path: Path, *, main: bool = True) -> None:
    """Remove an SQLite file and its journals (or, with ``main=False``, the journals)."""
    for suffix in ("", "-journal", "-wal", "-shm")[0 if main else 1 :]:
        Path(str(path) + suffix).unlink(missing_ok=True)
