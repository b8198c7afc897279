"""The window's actions: made one way, and given their icons again on a theme switch."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMenu, QToolBar, QWidget

from viewer.ui.theme import clear_icon_cache, load_icon

#: The dynamic property holding the name of an action's themed icon.
ICON_PROPERTY = "themedIcon"

Shortcut = QKeySequence | QKeySequence.StandardKey | str


def make_action(
    window: QWidget,
    text: str,
    slot: Callable[..., object],
    *,
    shortcut: Shortcut | None = None,
    icon: str | None = None,
    tip: str | None = None,
) -> QAction:
    """An action of ``window`` (its shortcut works wherever the focus is in it).

    ``icon`` names a themed icon (:func:`~viewer.ui.theme.load_icon`), loaded again by
    :func:`reload_icons`; ``tip`` is the tooltip and the status bar's text.
    """
    action = QAction(text, window)
    if icon:
        action.setIcon(load_icon(icon))
        action.setProperty(ICON_PROPERTY, icon)
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
    if tip:
        action.setStatusTip(tip)
        action.setToolTip(tip)
    action.triggered.connect(slot)
    window.addAction(action)
    return action


def reload_icons(window: QWidget) -> None:
    """Load the icons of ``window``'s actions again (after a light/dark switch)."""
    clear_icon_cache()
    for action in window.findChildren(QAction):
        name = action.property(ICON_PROPERTY)
        if name:
            action.setIcon(load_icon(name))


def choices(
    menu: QMenu,
    owner: QObject,
    labels: Mapping[str, str],
    choose: Callable[[str], object],
    tips: Mapping[str, str] | None = None,
) -> dict[str, QAction]:
    """One checkable action in ``menu`` per key of ``labels``, exactly one checked at a
    time; choosing one calls ``choose(key)``.  The actions by key."""
    group = QActionGroup(owner)
    group.setExclusive(True)
    out: dict[str, QAction] = {}
    for key, label in labels.items():
        act = QAction(label, owner)
        act.setCheckable(True)
        if tips is not None and key in tips:
            act.setStatusTip(tips[key])
        act.triggered.connect(lambda _on=False, k=key: choose(k))
        group.addAction(act)
        menu.addAction(act)
        out[key] = act
    return out


def fill(widget: QMenu | QToolBar, *groups: Sequence[QAction | QMenu]) -> None:
    """Add actions and submenus to a menu or a toolbar, group by group, with a
    separator between groups."""
    for i, group in enumerate(groups):
        if i:
            widget.addSeparator()
        for item in group:
            if isinstance(item, QMenu):
                assert isinstance(widget, QMenu)
                widget.addMenu(item)
            else:
                widget.addAction(item)
