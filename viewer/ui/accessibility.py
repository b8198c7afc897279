"""What assistive technology is told: announcements, and names for the controls that
show no text of their own.

The timeline is one canvas, so it tells a screen reader about its events itself: its
accessible description is the selected event ("16–17 May 2024 — Putin visits
Pyongyang, 13 of 14", set by :class:`~viewer.ui.selecting.SelectionController`), and
moving with ←/→ announces it (:func:`announce`).  Controls that show no text of their
own are named where they are made; :func:`unnamed_controls` finds any that are not.
"""

from __future__ import annotations

from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent, QAccessibleEvent
from PySide6.QtWidgets import QWidget

__all__ = ["announce", "unnamed_controls"]


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
