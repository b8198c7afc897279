"""Undoable edits of a :class:`~viewer.ui.document.Document`.

Each command changes the *store*, never a view: ``redo()`` and ``undo()`` call the
:class:`~viewer.store.EventStore` inside one transaction (``store.atomic()``), the store
commits to SQLite at once and announces the change, and every view refreshes from
``Document.changed``.  A command records, on its first ``redo()``, whatever it needs to
put things back exactly: the events a delete removed (with their ids and tags), the
categories events had before, the colour of a deleted category, the categories an
edit created by naming them.

Command texts name the step for the Edit menu ("Undo Move 'Vladivostok summit'").

Failures
--------
A ``StoreError`` raised while a command runs (the store gives what SQLite refuses as
one too) is *caught*: the transaction has rolled back, so the file is exactly as
before the step.  The command then

* keeps the error in its ``failed`` attribute (``None`` after a step that worked),
* marks itself obsolete, so the undo stack drops it (a failed push leaves no entry;
  a failed undo leaves the change in place and removes the step from the history),
* and emits :attr:`CommandErrors.failed` on :func:`command_errors(doc)
  <command_errors>`, which the main window connects to show a message.

Raising instead would not work well: an exception from a Python override called by
C++ reaches the caller of ``push()`` only as a ``RuntimeError`` and leaves the failed
command on the stack, and from the Undo action it reaches nobody.  :func:`push`
pushes and tells whether the step worked.

Several commands between ``undo_stack.beginMacro()`` and ``endMacro()`` undo as one
step; each still runs in its own transaction.  Prefer one multi-item command (delete,
duplicate, set category take many ids) where a step must be all-or-nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand

from viewer.model.event import Category, Event, Timeline
from viewer.store import DamagedEvent, EventStore, ImportResult, StoreError
from viewer.ui.document import Document
from viewer.ui.richtext import menu_text, one_line

__all__ = [
    "AddCategoryCommand",
    "AddEventCommand",
    "CommandErrors",
    "DeleteCategoryCommand",
    "DeleteEventsCommand",
    "DuplicateEventsCommand",
    "EditCategoryCommand",
    "EditEventCommand",
    "ImportCommand",
    "SetCategoryCommand",
    "SetMetaCommand",
    "StoreCommand",
    "command_errors",
    "push",
    "quoted",
]

#: Headlines longer than this are shortened in command texts (menus stay narrow).
MAX_QUOTED = 40
#: Extra fields that identify one slide in its source: a copy must not carry them.
UNIQUE_EXTRA_KEYS = ("unique_id",)


def quoted(title: str) -> str:
    """A headline for a command text: "'Vladivostok summit'", shortened with "…"."""
    title = one_line(title)
    if len(title) > MAX_QUOTED:
        title = title[: MAX_QUOTED - 1].rstrip() + "…"
    return f"'{title}'"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _events_text(doc: Document, ids: Sequence[int]) -> str:
    """What a step acts on, for its name: "'Vladivostok summit'" or "3 events"."""
    if len(ids) == 1:
        try:
            event = doc.store.get_event(ids[0])
        except DamagedEvent:
            event = None
        return quoted(event.title) if event else "1 event"
    return _count(len(ids), "event")


class CommandErrors(QObject):
    """Where a document's commands report the store errors they caught.

    Signals:
        failed(str, StoreError): the step ("Move 'X'", "Undo Move 'X'", "Redo …")
            and the error; the file is unchanged by that step.
    """

    failed = Signal(str, object)

    OBJECT_NAME = "viewer-command-errors"

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self.setObjectName(self.OBJECT_NAME)


def command_errors(doc: Document) -> CommandErrors:
    """The (one) :class:`CommandErrors` of ``doc``, created on first use as its child."""
    found = doc.findChild(CommandErrors, CommandErrors.OBJECT_NAME)
    if isinstance(found, CommandErrors):
        return found
    return CommandErrors(doc)


def push(doc: Document, command: StoreCommand) -> bool:
    """Push ``command`` onto ``doc``'s undo stack; ``True`` if its change was made.

    On ``False`` the stack is unchanged and ``command.failed`` holds the error.
    """
    doc.undo_stack.push(command)
    return command.failed is None


class StoreCommand(QUndoCommand):
    """Base of the commands: runs ``_apply``/``_revert`` and catches store errors.

    Subclasses implement ``_apply`` (redo) and ``_revert`` (undo), each doing all of
    its writes inside one ``store.atomic()`` block, and assign recorded state only
    after that block has committed.
    """

    def __init__(self, doc: Document, text: str, parent: QUndoCommand | None = None) -> None:
        # Qt takes what follows a newline as the text of the Undo/Redo actions, where
        # "&" marks a mnemonic: doubled there, "Edit 'Q&A'" reads as written in the menu.
        super().__init__(f"{text}\n{menu_text(text)}", parent)
        self.doc = doc
        self.failed: StoreError | None = None
        self._done_once = False

    @property
    def store(self) -> EventStore:
        return self.doc.store

    def redo(self) -> None:
        verb = "Redo " if self._done_once else ""
        if self._run(self._apply, verb):
            self._done_once = True

    def undo(self) -> None:
        self._run(self._revert, "Undo ")

    def _run(self, step: Callable[[], None], verb: str) -> bool:
        try:
            step()
        except StoreError as exc:
            self.failed = exc
            self.setObsolete(True)
            command_errors(self.doc).failed.emit(verb + self.text(), exc)
            return False
        self.failed = None
        return True

    def _apply(self) -> None:
        raise NotImplementedError

    def _revert(self) -> None:
        raise NotImplementedError

    # -- categories created on the way ---------------------------------------------
    # Naming a category that does not exist creates it (the store does so when an
    # event names it).  These helpers make that explicit, so that undo removes the
    # category again and redo recreates it with the same colour.

    def _create_missing(self, names: Iterable[str | None], colors: dict[str, str]) -> list[str]:
        """Create the categories among ``names`` that do not exist; their names."""
        missing = [n for n in dict.fromkeys(names) if n and self.store.category(n) is None]
        for name in missing:
            self.store.add_category(name, colors.get(name))
        return missing

    def _colors_of(self, names: Sequence[str]) -> dict[str, str]:
        found = (self.store.category(n) for n in names)
        return {c.name: c.color for c in found if c is not None}

    def _drop_created(self, names: Sequence[str]) -> None:
        for name in names:
            if self.store.category(name) is not None:
                self.store.delete_category(name)


class AddEventCommand(StoreCommand):
    """Add one event; redo after undo gives it the same id again.

    ``event_id`` is the id the event got (``None`` until the first redo).
    """

    def __init__(self, doc: Document, event: Event, parent: QUndoCommand | None = None) -> None:
        super().__init__(doc, f"Add {quoted(event.title)}", parent)
        self.event = event
        self.event_id: int | None = event.id
        self._lane: int | None = None
        self._created: list[str] = []
        self._colors: dict[str, str] = {}

    def _apply(self) -> None:
        with self.store.atomic():
            created = self._create_missing([self.event.category], self._colors)
            event_id = self.store.add_event(self.event.evolve(id=self.event_id), lane=self._lane)
            colors = self._colors_of(created)
            lane = self.store.lanes_of([event_id]).get(event_id)
        self.event_id, self._lane = event_id, lane
        self._created, self._colors = created, colors

    def _revert(self) -> None:
        assert self.event_id is not None
        with self.store.atomic():
            self.store.delete_events([self.event_id])
            self._drop_created(self._created)


class EditEventCommand(StoreCommand):
    """Change one event from ``before`` to ``after`` (same id).

    Also the command of a drag on the timeline: :meth:`move` and :meth:`resize` name
    the step "Move 'X'" / "Resize 'X'".  With ``mergeable=True`` consecutive mergeable
    commands of the same kind on the same event become one undo step (keyboard
    nudges); a drag should push one command when the mouse is released.
    """

    MERGE_ID = 0x7E11

    def __init__(
        self,
        doc: Document,
        before: Event,
        after: Event,
        text: str | None = None,
        *,
        mergeable: bool = False,
        parent: QUndoCommand | None = None,
    ) -> None:
        if before.id is None or before.id != after.id:
            raise ValueError("an edit needs the event's id on both sides")
        super().__init__(doc, text or f"Edit {quoted(after.title)}", parent)
        self.before = before
        self.after = after
        self.mergeable = mergeable
        # the event's lane before the step and after it, so that undo and redo give
        # back the same picture (the store keeps a lane when the event fits there)
        self._lanes: tuple[int | None, int | None] = (None, None)
        self._created: list[str] = []
        self._colors: dict[str, str] = {}

    @classmethod
    def move(
        cls, doc: Document, before: Event, after: Event, *, mergeable: bool = False
    ) -> EditEventCommand:
        return cls(doc, before, after, f"Move {quoted(after.title)}", mergeable=mergeable)

    @classmethod
    def resize(
        cls, doc: Document, before: Event, after: Event, *, mergeable: bool = False
    ) -> EditEventCommand:
        return cls(doc, before, after, f"Resize {quoted(after.title)}", mergeable=mergeable)

    def id(self) -> int:
        return self.MERGE_ID if self.mergeable else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not (
            isinstance(other, EditEventCommand)
            and self.mergeable
            and other.mergeable
            and other.failed is None
            and other.after.id == self.after.id
            and other.text() == self.text()
            and not other._created
        ):
            return False
        self.after = other.after  # the store already holds it (other was redone)
        self._lanes = (self._lanes[0], other._lanes[1])
        return True

    def _apply(self) -> None:
        event_id = self.after.id
        assert event_id is not None
        with self.store.atomic():
            before = self.store.lanes_of([event_id]).get(event_id)
            created = self._create_missing([self.after.category], self._colors)
            self.store.update_event(self.after, lane=self._lanes[1])
            colors = self._colors_of(created)
            after = self.store.lanes_of([event_id]).get(event_id)
        self._lanes = (before, after)
        self._created, self._colors = created, colors

    def _revert(self) -> None:
        with self.store.atomic():
            self.store.update_event(self.before, lane=self._lanes[0])
            self._drop_created(self._created)


class DeleteEventsCommand(StoreCommand):
    """Delete events; undo puts them back exactly (same ids, tags, category, extra)."""

    def __init__(
        self, doc: Document, ids: Iterable[int], parent: QUndoCommand | None = None
    ) -> None:
        self.ids = list(dict.fromkeys(ids))
        super().__init__(doc, f"Delete {_events_text(doc, self.ids)}", parent)
        self.removed: list[Event] = []
        self._lanes: dict[int, int] = {}

    def _apply(self) -> None:
        with self.store.atomic():
            lanes = self.store.lanes_of(self.ids)
            removed = self.store.delete_events(self.ids)
        self.removed, self._lanes = removed, lanes

    def _revert(self) -> None:
        with self.store.atomic():
            for event in self.removed:
                lane = self._lanes.get(event.id) if event.id is not None else None
                self.store.add_event(event, lane=lane)


class DuplicateEventsCommand(StoreCommand):
    """Copy events (without the source's unique slide ids); ``new_ids`` are the copies."""

    def __init__(
        self, doc: Document, ids: Iterable[int], parent: QUndoCommand | None = None
    ) -> None:
        self.ids = list(dict.fromkeys(ids))
        super().__init__(doc, f"Duplicate {_events_text(doc, self.ids)}", parent)
        self.new_ids: list[int] = []
        self._copies: list[Event] = []
        self._lanes: dict[int, int] = {}

    def _apply(self) -> None:
        with self.store.atomic():
            if not self._copies:  # first redo: copy what the events are now
                copies = [
                    e.evolve(
                        id=None,
                        extra={k: v for k, v in e.extra.items() if k not in UNIQUE_EXTRA_KEYS},
                    )
                    for e in self.store.get_events(self.ids)
                ]
            else:
                copies = self._copies
            new_ids = [
                self.store.add_event(c, lane=self._lanes.get(c.id) if c.id else None)
                for c in copies
            ]
            lanes = self.store.lanes_of(new_ids)
        self._copies = [c.evolve(id=i) for c, i in zip(copies, new_ids, strict=True)]
        self.new_ids, self._lanes = new_ids, lanes

    def _revert(self) -> None:
        with self.store.atomic():
            self.store.delete_events(self.new_ids)


class SetCategoryCommand(StoreCommand):
    """Put events in one category (``None``: in none); undo restores each one's own."""

    def __init__(
        self,
        doc: Document,
        ids: Iterable[int],
        category_name: str | None,
        parent: QUndoCommand | None = None,
    ) -> None:
        self.ids = list(dict.fromkeys(ids))
        self.category_name = (category_name or "").strip() or None
        super().__init__(doc, f"Set category of {_events_text(doc, self.ids)}", parent)
        self.previous: dict[int, str | None] = {}
        self._created: list[str] = []
        self._colors: dict[str, str] = {}

    def _apply(self) -> None:
        with self.store.atomic():
            previous = {e.id: e.category for e in self.store.get_events(self.ids)}
            created = self._create_missing([self.category_name], self._colors)
            self.store.set_event_categories(
                [i for i in previous if i is not None], self.category_name
            )
            colors = self._colors_of(created)
        self.previous = {i: c for i, c in previous.items() if i is not None}
        self._created, self._colors = created, colors

    def _revert(self) -> None:
        groups: dict[str | None, list[int]] = {}
        for event_id, name in self.previous.items():
            groups.setdefault(name, []).append(event_id)
        with self.store.atomic():
            for name, ids in groups.items():
                self.store.set_event_categories(ids, name)
            self._drop_created(self._created)


class AddCategoryCommand(StoreCommand):
    """Create a category (the store picks a colour unless one is given)."""

    def __init__(
        self,
        doc: Document,
        name: str,
        color: str | None = None,
        parent: QUndoCommand | None = None,
    ) -> None:
        self.name = name.strip()
        self.color = color
        super().__init__(doc, f"Add category {quoted(self.name)}", parent)

    def _apply(self) -> None:
        with self.store.atomic():
            created = self.store.add_category(self.name, self.color)
        self.color = created.color  # redo after undo: the same colour

    def _revert(self) -> None:
        with self.store.atomic():
            self.store.delete_category(self.name)


class EditCategoryCommand(StoreCommand):
    """Rename and/or recolour a category; undo restores its name and colour."""

    def __init__(
        self,
        doc: Document,
        name: str,
        *,
        new_name: str | None = None,
        color: str | None = None,
        parent: QUndoCommand | None = None,
    ) -> None:
        self.name = name
        self.new_name = new_name.strip() if new_name is not None else None
        if self.new_name == name:
            self.new_name = None
        self.color = color
        if self.new_name is not None and color is None:
            text = f"Rename category {quoted(name)} to {quoted(self.new_name)}"
        elif self.new_name is None:
            text = f"Recolour category {quoted(name)}"
        else:
            text = f"Edit category {quoted(name)}"
        super().__init__(doc, text, parent)
        self.old_color: str | None = None

    def _apply(self) -> None:
        with self.store.atomic():
            old = self.store.category(self.name)
            if old is None:
                raise StoreError(f"there is no category named {self.name!r}")
            self.store.update_category(self.name, new_name=self.new_name, color=self.color)
        self.old_color = old.color

    def _revert(self) -> None:
        with self.store.atomic():
            self.store.update_category(
                self.new_name or self.name, new_name=self.name, color=self.old_color
            )


class DeleteCategoryCommand(StoreCommand):
    """Delete a category, moving its events to ``reassign_to`` (or to none).

    Undo recreates the category with its colour and moves its events back.
    """

    def __init__(
        self,
        doc: Document,
        name: str,
        reassign_to: str | None = None,
        parent: QUndoCommand | None = None,
    ) -> None:
        self.name = name
        self.reassign_to = reassign_to or None
        super().__init__(doc, f"Delete category {quoted(name)}", parent)
        self.deleted: Category | None = None
        self.moved: list[int] = []

    def _apply(self) -> None:
        with self.store.atomic():
            deleted = self.store.category(self.name)
            moved = self.store.delete_category(self.name, reassign_to=self.reassign_to)
        self.deleted, self.moved = deleted, moved

    def _revert(self) -> None:
        assert self.deleted is not None
        with self.store.atomic():
            self.store.add_category(self.deleted.name, self.deleted.color)
            if self.moved:
                self.store.set_event_categories(self.moved, self.deleted.name)


class SetMetaCommand(StoreCommand):
    """Set the timeline's title, description and source; undo restores the old ones."""

    def __init__(
        self,
        doc: Document,
        title: str,
        description: str,
        source: str,
        parent: QUndoCommand | None = None,
    ) -> None:
        super().__init__(doc, "Edit timeline properties", parent)
        self.values = {"title": title, "description": description, "source": source}
        self.before: dict[str, str] = {}

    def _apply(self) -> None:
        with self.store.atomic():
            meta = self.store.meta()
            before = {k: meta.get(k, "") for k in self.values}
            self.store.set_meta(**self.values)
        self.before = before

    def _revert(self) -> None:
        with self.store.atomic():
            self.store.set_meta(**self.before)


class ImportCommand(StoreCommand):
    """Import a whole timeline; undo takes back exactly what it added, redo puts it back.

    ``progress`` (see :meth:`EventStore.import_batches`) is used on the first redo
    only; a cancelled import fails with :class:`~viewer.store.ImportCancelled` and
    leaves nothing behind.  ``result`` is the last :class:`ImportResult`.  Undo keeps
    the imported rows aside in the store's connection (:meth:`EventStore.undo_import`),
    so a redo gives back the same events with the same ids and lanes without reading
    the file again (and without counting on SQLite to give out the same ids twice);
    the timeline itself is not kept after the first redo.
    """

    def __init__(
        self,
        doc: Document,
        timeline: Timeline,
        *,
        progress: Callable[[int, int], bool] | None = None,
        parent: QUndoCommand | None = None,
    ) -> None:
        super().__init__(doc, f"Import {_count(len(timeline.events), 'event')}", parent)
        self.timeline: Timeline | None = timeline
        self.progress = progress
        self.result: ImportResult | None = None
        self._meta_after: dict[str, str] = {}

    def _apply(self) -> None:
        if self.timeline is not None:
            progress, self.progress = self.progress, None
            result = self.store.import_timeline(self.timeline, progress=progress)
            self.result, self.timeline = result, None
            self._meta_after = self.store.meta_with_extra()
            return
        assert self.result is not None
        self.store.redo_import(self.result, self._meta_after)

    def _revert(self) -> None:
        assert self.result is not None
        self.result = self.store.undo_import(self.result)
