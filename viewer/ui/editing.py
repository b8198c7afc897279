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
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QFileDialog, QMenu, QToolBar, QWidget

from viewer.model.dates import SECONDS_PER_DAY, PartialDate, Precision
from viewer.model.event import Event, Timeline
from viewer.store import (
    ChangedElsewhere,
    DamagedEvent,
    EventStore,
    ImportCancelled,
    StoreError,
)
from viewer.ui.actions import Shortcut, make_action
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
from viewer.ui.data import TimelineData
from viewer.ui.document import Document
from viewer.ui.event_dialog import EventDialog
from viewer.ui.image_widgets import ImagesEditor
from viewer.ui.richtext import menu_text, shown_as_written
from viewer.ui.state import ViewState
from viewer.ui.theme import load_icon
from viewer.ui.timeline.view import TimelineView

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


class EditingWindow(Protocol):
    """What editing needs of the window (the main window has it)."""

    state: ViewState
    data: TimelineData
    view: TimelineView

    @property
    def doc(self) -> Document | None: ...

    def show_error(self, title: str, text: str) -> None: ...

    def show_message(self, text: str, msecs: int) -> None: ...

    def open_path(self, path: str | os.PathLike[str], *, keep_view: bool = False) -> bool: ...


class EditController(QObject):
    """The Edit menu's actions, Save As, and what they do to the open document.

    ``window`` is what they read and ask (seen through :class:`EditingWindow`);
    ``parent`` is the window as a widget, the parent of the actions and the dialogs.
    The window places the actions in its menus and toolbar and calls
    :meth:`set_document` when another document opens; the undo and redo actions of
    the document's stack then take the places of :attr:`undo_placeholder` and
    :attr:`redo_placeholder`, wherever the window put those.
    """

    def __init__(self, window: EditingWindow, parent: QWidget) -> None:
        super().__init__(parent)
        self._window = window
        self._parent = parent
        self.dialog: QDialog | None = None
        self._undo_action: QAction | None = None
        self._redo_action: QAction | None = None

        def action(
            text: str,
            slot: Callable[[], object],
            shortcut: Shortcut | None = None,
            icon: str | None = None,
        ) -> QAction:
            return make_action(parent, text, slot, shortcut=shortcut, icon=icon)

        self.act_add = action("&Add Event…", lambda: self.add_event(), "Ctrl+N", "add")
        self.act_edit = action("&Edit Event…", lambda: self.edit_event(), "Ctrl+E", "edit")
        # Not QKeySequence.Delete: on X11, KDE and GNOME that is also Ctrl+D, which
        # would make Duplicate's Ctrl+D ambiguous (and neither would run).
        self.act_delete = action("&Delete", self.delete_selected, "Del", "delete")
        self.act_duplicate = action("D&uplicate", self.duplicate_selected, "Ctrl+D", "duplicate")
        self.act_categories = action("&Categories…", self.manage_categories, icon="category")
        self.act_properties = action("Timeline &Properties…", self.edit_properties)
        self.act_save_as = action(
            "Save &As…", self.save_as, QKeySequence.StandardKey.SaveAs, "save-as"
        )
        self.category_menu = QMenu("Set Ca&tegory", parent)
        self.category_menu.aboutToShow.connect(self._fill_category_menu)

        # The undo/redo actions come from the document's stack; these placeholders hold
        # their place in the menu while no document is open.
        self.undo_placeholder = QAction(load_icon("undo"), "&Undo", parent)
        self.redo_placeholder = QAction(load_icon("redo"), "&Redo", parent)
        self.undo_placeholder.setEnabled(False)
        self.redo_placeholder.setEnabled(False)

        window.state.selectionChanged.connect(lambda _ids: self.update_actions())
        self.set_document(window.doc)

    # -- helpers ---------------------------------------------------------------------

    @property
    def doc(self) -> Document | None:
        return self._window.doc

    @property
    def editable(self) -> bool:
        """Whether the open document may be changed now (not read-only, and loaded
        and checked in full)."""
        return self.doc is not None and not self.doc.readonly and self._window.data.ready

    @property
    def undo_action(self) -> QAction | None:
        """The open document's Undo action (its text names the step), if one is open."""
        return self._undo_action

    @property
    def redo_action(self) -> QAction | None:
        """The open document's Redo action, if one is open."""
        return self._redo_action

    def _event(self, event_id: int, *, say: str = "") -> Event | None:
        """The event as stored, ``None`` if it is gone or its row is damaged (said in
        an error box titled ``say``, when given)."""
        if self.doc is None:
            return None
        try:
            return self.doc.store.get_event(event_id)
        except DamagedEvent as exc:
            if say:
                self._window.show_error(say, str(exc))
            return None

    def _push(self, command: object) -> bool:
        assert self.doc is not None
        return push(self.doc, command)  # type: ignore[arg-type]

    def set_document(self, doc: Document | None) -> None:
        """Another document is shown: its undo stack's actions replace the last one's."""
        parent = self._parent
        for old in (self._undo_action, self._redo_action):
            if old is not None:
                for widget in _menus_and_toolbars(old):
                    widget.removeAction(old)
                parent.removeAction(old)
                old.deleteLater()
        self._undo_action = self._redo_action = None
        if doc is not None:
            stack = doc.undo_stack
            undo = stack.createUndoAction(parent, "&Undo")
            redo = stack.createRedoAction(parent, "&Redo")
            undo.setIcon(load_icon("undo"))
            redo.setIcon(load_icon("redo"))
            undo.setShortcuts([QKeySequence(QKeySequence.StandardKey.Undo)])
            redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
            for real in (undo, redo):
                _tooltip_as_written(real)
            for placeholder, real in ((self.undo_placeholder, undo), (self.redo_placeholder, redo)):
                for widget in _menus_and_toolbars(placeholder):
                    widget.insertAction(placeholder, real)
                parent.addAction(real)
            self._undo_action, self._redo_action = undo, redo
            command_errors(doc).failed.connect(self._on_command_failed)
        for placeholder in (self.undo_placeholder, self.redo_placeholder):
            placeholder.setVisible(doc is None)
        self.update_actions()

    def _on_command_failed(self, step: str, error: object) -> None:
        if isinstance(error, ImportCancelled):
            return  # the person asked for it; nothing was added
        self._window.show_error("Could not change the timeline", f"{step}: {error}")
        if isinstance(error, ChangedElsewhere) and self.doc is not None:
            # read it again now (not while the undo stack runs this very step)
            QTimer.singleShot(0, self.doc.check_elsewhere)

    def update_actions(self) -> None:
        editable = self.editable
        state = self._window.state
        selected = bool(state.selection)
        self.act_add.setEnabled(editable)
        self.act_edit.setEnabled(editable and state.current is not None)
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
            self._parent,
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
            x0, x1 = self._window.view.visible_range()
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
        event_id = event_id if event_id is not None else self._window.state.current
        if event_id is None:
            return None
        before = self._event(event_id, say="Cannot edit this event")
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
        w = self._window
        if w.data.is_shown(event_id):
            w.state.set_selection([event_id], event_id)
            w.view.ensure_visible(event_id)
        else:
            w.show_message(f"{done}; the filters hide it (View ▸ Reset Filters shows it).", 8000)

    def delete_selected(self) -> None:
        ids = self._window.state.selection
        if not self.editable or not ids:
            return
        if self._push(DeleteEventsCommand(self.doc, ids)):  # type: ignore[arg-type]
            self._window.state.clear_selection()

    def duplicate_selected(self) -> None:
        ids = self._window.state.selection
        if not self.editable or not ids:
            return
        command = DuplicateEventsCommand(self.doc, ids)  # type: ignore[arg-type]
        if self._push(command) and command.new_ids:
            self._window.state.set_selection(list(command.new_ids))

    def set_category(self, name: str | None) -> None:
        ids = self._window.state.selection
        if self.editable and ids:
            self._push(SetCategoryCommand(self.doc, ids, name))  # type: ignore[arg-type]

    def _fill_category_menu(self) -> None:
        menu = self.category_menu
        menu.clear()
        if self.doc is None:
            return
        from viewer.ui.theme import swatch_icon

        for cat in self.doc.store.categories():
            menu.addAction(
                swatch_icon(cat.color),
                menu_text(cat.name),
                lambda n=cat.name: self.set_category(n),
            )
        menu.addSeparator()
        menu.addAction("(No Category)", lambda: self.set_category(None))

    def add_images(self, event_id: int, paths: Sequence[str]) -> bool:
        """Image files dropped onto an event: added to it as one undoable step.

        Files that cannot be taken are named in an error box; the others are added.
        """
        if not self.editable:
            self._window.show_message("This timeline is read-only: images cannot be added.", 6000)
            return False
        before = self._event(event_id, say="Cannot add images")
        if before is None:
            return False
        adder = ImagesEditor(before.images)
        problems = adder.add_files(paths)
        added = adder.images()[len(before.images) :]
        adder.deleteLater()
        if problems:
            self._window.show_error("Some Images Were Not Added", "\n".join(problems))
        if not added:
            return False
        after = before.evolve(images=before.images + added)
        what = f"{len(added)} images" if len(added) > 1 else "image"
        command = EditEventCommand(
            self.doc,  # type: ignore[arg-type]
            before,
            after,
            f"Add {what} to {quoted(before.title)}",
        )
        return self._push(command)

    def move_event(self, before: Event, after: Event, *, resize: bool = False) -> bool:
        """The end of a drag on the timeline: one undoable step."""
        if not self.editable or before == after:
            return False
        make = EditEventCommand.resize if resize else EditEventCommand.move
        return self._push(make(self.doc, before, after))  # type: ignore[arg-type]

    def event_dates(self, event_id: int) -> tuple[PartialDate, PartialDate | None] | None:
        """The stored dates of an event, for a drag on the timeline."""
        event = self._event(event_id)
        return None if event is None else (event.start, event.end)

    def drop_dragged(
        self, event_id: int, start: PartialDate, end: PartialDate | None, resize: bool
    ) -> None:
        """A drag on the timeline ended on new dates: one undoable Move/Resize."""
        before = self._event(event_id, say="Cannot move this event")
        if before is None or (start, end) == (before.start, before.end):
            return
        # the source's date text described the old dates (as in the event dialog)
        after = before.evolve(start=start, end=end, display_date="")
        moved = self.move_event(before, after, resize=resize)
        if moved and event_id not in self._window.state.selection:
            verb = "Resized" if resize else "Moved"
            self.select_if_shown(event_id, f"{verb} {quoted(before.title)}")

    # -- document-wide ---------------------------------------------------------------

    def manage_categories(self) -> CategoryManagerDialog | None:
        if not self.editable:
            return None
        assert self.doc is not None
        dialog = CategoryManagerDialog(self.doc, self._parent)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog = dialog
        dialog.open()
        return dialog

    def edit_properties(self) -> TimelinePropertiesDialog | None:
        if not self.editable:
            return None
        assert self.doc is not None
        dialog = TimelinePropertiesDialog(self.doc, self._parent)
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
            self._parent, "Save a Copy As", f"{start} copy.db", "Timeline files (*.db)"
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
            self._window.show_error("Cannot save a copy", "Choose a different file name.")
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
            self._window.show_error("Cannot save a copy", str(exc))
            return False
        if open_copy:
            self._window.open_path(target, keep_view=True)
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


def _menus_and_toolbars(action: QAction) -> list[QMenu | QToolBar]:
    """The menus and toolbars showing ``action`` (wherever the window put it)."""
    return [w for w in action.associatedObjects() if isinstance(w, QMenu | QToolBar)]


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
