"""What assistive technology is told: announcements, and names for the controls that
show no text of their own.

The timeline is one canvas, so it tells a screen reader about its events itself.  Its
accessible interface (:class:`TimelineAccessible`, :func:`expose_timeline`) is a list
of the events shown, in time order, each an item named "16–17 May 2024 — Putin visits
Pyongyang, 13 of 14" that is selected and focused as the event is: moving with ←/→
moves the focus to the next item (:func:`focus_event`) and announces it
(:func:`announce`), and the timeline's description is the selected event (set by
:class:`~viewer.ui.selecting.SelectionController`).  Controls that show no text of their
own are named where they are made; :func:`unnamed_controls` finds any that are not.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Protocol

from PySide6.QtCore import QObject, QPoint, QRect
from PySide6.QtGui import (
    QAccessible,
    QAccessibleAnnouncementEvent,
    QAccessibleEvent,
    QAccessibleInterface,
    QAccessibleObject,
    QWindow,
)
from PySide6.QtWidgets import QWidget

__all__ = [
    "EventsSource",
    "TimelineAccessible",
    "announce",
    "expose_timeline",
    "focus_event",
    "unnamed_controls",
]


def announce(widget: QWidget, text: str) -> None:
    """Have a screen reader say ``text`` now (and keep it as ``widget``'s description,
    for one that asks)."""
    if not text:
        return
    widget.setAccessibleDescription(text)
    if not QAccessible.isActive():
        return  # (no assistive technology listening: nothing to send)
    QAccessible.updateAccessibility(QAccessibleEvent(widget, QAccessible.Event.DescriptionChanged))
    QAccessible.updateAccessibility(QAccessibleAnnouncementEvent(widget, text))


def unnamed_controls(root: QWidget) -> list[QWidget]:
    """The controls under ``root`` that take the keyboard's focus but that assistive
    technology could not name (no accessible name and no text of their own)."""
    out = []
    for widget in root.findChildren(QWidget):
        if not widget.isVisibleTo(root) or widget.focusPolicy().value == 0:
            continue
        iface = QAccessible.queryAccessibleInterface(widget)
        name = iface.text(QAccessible.Text.Name) if iface is not None else ""
        if not name.strip():
            out.append(widget)
    return out


# -- the timeline as a list of events -----------------------------------------------------


class EventsSource(Protocol):
    """What the timeline's accessible interface reads: the shown events in time order
    (the selection controller has them)."""

    def count(self) -> int: ...

    def id_at(self, index: int) -> int: ...

    def index_of(self, event_id: int) -> int | None: ...

    def spoken(self, event_id: int | None) -> str: ...

    def is_selected(self, event_id: int) -> bool: ...

    def current(self) -> int | None: ...

    def screen_rect(self, event_id: int) -> QRect: ...


#: Accessible items kept per timeline (each a small object; a reader asks for a few).
ITEMS_KEPT = 256


class _EventItem(QAccessibleInterface):
    """One event of the timeline, as assistive technology sees it: a list item named
    "date — headline, n of N", selectable, selected and focused as it is."""

    def __init__(self, timeline: TimelineAccessible, event_id: int) -> None:
        super().__init__()
        self._timeline = timeline
        self.event_id = event_id

    def isValid(self) -> bool:
        return (
            self._timeline.isValid() and self._timeline.source.index_of(self.event_id) is not None
        )

    def object(self) -> QObject | None:  # type: ignore[override]  # (Qt takes a null one)
        return None

    def window(self) -> QWindow | None:  # type: ignore[override]  # (Qt takes a null one)
        return self._timeline.window()

    def role(self) -> QAccessible.Role:
        return QAccessible.Role.ListItem

    def text(self, t: QAccessible.Text) -> str:
        if t == QAccessible.Text.Name:
            return self._timeline.source.spoken(self.event_id)
        return ""

    def setText(self, t: QAccessible.Text, text: str) -> None:
        pass  # (read only)

    def rect(self) -> QRect:
        return self._timeline.source.screen_rect(self.event_id)

    def state(self) -> QAccessible.State:
        source = self._timeline.source
        s = QAccessible.State()
        s.selectable = True
        s.focusable = True
        s.selected = source.is_selected(self.event_id)
        s.focused = source.current() == self.event_id and self._timeline.has_focus()
        s.invisible = self.rect().isEmpty()
        return s

    def parent(self) -> QAccessibleInterface | None:  # type: ignore[override]  # (Qt takes a null one)
        return self._timeline

    def child(self, index: int) -> QAccessibleInterface | None:  # type: ignore[override]  # (Qt takes a null one)
        return None

    def childCount(self) -> int:
        return 0

    def indexOfChild(self, child: QAccessibleInterface) -> int:
        return -1

    def childAt(self, x: int, y: int) -> QAccessibleInterface | None:  # type: ignore[override]  # (Qt takes a null one)
        return None


class TimelineAccessible(QAccessibleObject):
    """The timeline canvas for assistive technology: a list of the events shown, in
    time order, whose current one has the focus (``Event.Focus`` follows ←/→).

    The list is as long as the events shown (a million, in a big file), so its items
    are made when asked for and only the last :data:`ITEMS_KEPT` are kept.
    """

    def __init__(self, widget: QWidget, source: EventsSource) -> None:
        super().__init__(widget)
        self._widget = widget
        self.source = source
        self._items: OrderedDict[int, _EventItem] = OrderedDict()

    def has_focus(self) -> bool:
        return self._widget.hasFocus()

    def item(self, event_id: int) -> _EventItem:
        """The accessible item of an event (made and registered with Qt once)."""
        item = self._items.get(event_id)
        if item is None:
            item = _EventItem(self, event_id)
            QAccessible.registerAccessibleInterface(item)
            self._items[event_id] = item
            while len(self._items) > ITEMS_KEPT:
                _, old = self._items.popitem(last=False)
                QAccessible.deleteAccessibleInterface(QAccessible.uniqueId(old))
        else:
            self._items.move_to_end(event_id)
        return item

    def forget(self) -> None:
        """Let Qt delete the items (the widget is going)."""
        for item in self._items.values():
            QAccessible.deleteAccessibleInterface(QAccessible.uniqueId(item))
        self._items.clear()

    def role(self) -> QAccessible.Role:
        return QAccessible.Role.List

    def text(self, t: QAccessible.Text) -> str:
        if t == QAccessible.Text.Name:
            return self._widget.accessibleName() or "Timeline"
        if t == QAccessible.Text.Description:
            return self._widget.accessibleDescription()
        return ""

    def state(self) -> QAccessible.State:
        s = QAccessible.State()
        s.focusable = True
        s.focused = self._widget.hasFocus()
        s.multiSelectable = True
        s.invisible = not self._widget.isVisible()
        return s

    def rect(self) -> QRect:
        w = self._widget
        return QRect(w.mapToGlobal(QPoint(0, 0)), w.size())

    def parent(self) -> QAccessibleInterface | None:  # type: ignore[override]  # (Qt takes a null one)
        parent = self._widget.parentWidget()
        return QAccessible.queryAccessibleInterface(parent) if parent is not None else None

    def childCount(self) -> int:
        return self.source.count()

    def child(self, index: int) -> QAccessibleInterface | None:  # type: ignore[override]  # (Qt takes a null one)
        if not 0 <= index < self.source.count():
            return None
        return self.item(self.source.id_at(index))

    def indexOfChild(self, child: QAccessibleInterface) -> int:
        if isinstance(child, _EventItem):
            index = self.source.index_of(child.event_id)
            return -1 if index is None else index
        return -1

    def childAt(self, x: int, y: int) -> QAccessibleInterface | None:  # type: ignore[override]  # (Qt takes a null one)
        return None

    def focusChild(self) -> QAccessibleInterface | None:  # type: ignore[override]  # (Qt takes a null one)
        current = self.source.current()
        if current is None or self.source.index_of(current) is None:
            return None
        return self.item(current)


_timelines: dict[int, TimelineAccessible] = {}


def _factory(key: str, obj: QObject) -> QAccessibleInterface | None:
    return _timelines.get(id(obj))


def expose_timeline(widget: QWidget, source: EventsSource) -> TimelineAccessible:
    """Make ``widget`` (the timeline) a list of ``source``'s events for assistive
    technology; what :func:`focus_event` reports on."""
    global _installed
    if not _installed:
        QAccessible.installFactory(_factory)
        _installed = True
    key = id(widget)
    iface = _timelines.get(key)
    if iface is None:
        iface = _timelines[key] = TimelineAccessible(widget, source)

        def gone() -> None:
            dropped = _timelines.pop(key, None)
            if dropped is not None:
                dropped.forget()

        widget.destroyed.connect(gone)
    return iface


_installed = False


def focus_event(widget: QWidget, event_id: int | None) -> None:
    """Tell assistive technology that the timeline's current event is now ``event_id``
    (its item takes the focus, and the selection changed)."""
    iface = _timelines.get(id(widget))
    if iface is None or event_id is None or not QAccessible.isActive():
        return
    item = iface.item(event_id)
    QAccessible.updateAccessibility(QAccessibleEvent(item, QAccessible.Event.Focus))
    QAccessible.updateAccessibility(QAccessibleEvent(item, QAccessible.Event.Selection))
