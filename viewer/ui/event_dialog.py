"""The dialog that adds or edits one event.

Dates are typed the way people write them ("March 3, 1999", "44 BC", "May 16-17,
2024") and read by :func:`viewer.model.parse.parse_date`; a line under each date field
says at once how the text was understood, or what is wrong with it.  Save stays
disabled, with the reason beside it, until the event can be stored.

Keys: Enter saves from a one-line field, Ctrl+Enter from any field (the description
takes a plain Enter as a new line), Esc cancels.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QModelIndex, QStringListModel, Qt
from PySide6.QtGui import QColor, QKeySequence, QPalette, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from viewer.model.dates import DateError, PartialDate, check_open_ends, format_range
from viewer.model.event import Category, Event
from viewer.model.parse import DateSyntaxError, parse_date, parse_date_range, parse_span
from viewer.ui.detail import error_color, is_dark, muted_color
from viewer.ui.image_widgets import ImagesEditor
from viewer.ui.theme import swatch_icon

__all__ = [
    "NO_CATEGORY",
    "EventDialog",
    "TagsEdit",
    "error_color",
    "form_label",
    "form_layout",
    "hint_label",
    "is_dark",
    "muted_color",
    "save_buttons",
]

#: The category combo's entry for "no category".
NO_CATEGORY = "(none)"

START_HINT = "Type it as you would write it: March 3, 1999 · March 1999 · 1999 · 44 BC · c. 1450"
END_HINT = "Optional: leave empty for a single date"
TAGS_HINT = "Separate tags with commas"


# -- small shared helpers (the category dialogs use them too) ----------------------------


def _set_label_color(label: QLabel, color: QColor) -> None:
    pal = label.palette()
    pal.setColor(QPalette.ColorRole.WindowText, color)
    label.setPalette(pal)


def hint_label(text: str = "", parent: QWidget | None = None) -> QLabel:
    """A muted, slightly smaller, word-wrapping label for hints under a field."""
    label = QLabel(text, parent)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    font = label.font()
    if font.pointSizeF() > 0:
        font.setPointSizeF(font.pointSizeF() * 0.9)
    label.setFont(font)
    _set_label_color(label, muted_color(label.palette()))
    return label


def form_layout() -> QFormLayout:
    """The dialogs' form: fields grow, labels right-aligned at the top of their row."""
    form = QFormLayout()
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
    form.setVerticalSpacing(10)
    return form


def form_label(text: str, buddy: QWidget, line_height: int) -> QLabel:
    """A form label level with its field's first line of text (``line_height``: a
    one-line field's height), not centred on a tall field or on the hint under it."""
    label = QLabel(text)
    label.setBuddy(buddy)
    name = text.replace("&", "").rstrip(":")
    if not buddy.accessibleName():  # (what a screen reader calls the field)
        buddy.setAccessibleName(name)
    editor = buddy.lineEdit() if isinstance(buddy, QComboBox) else None
    if editor is not None and not editor.accessibleName():
        editor.setAccessibleName(name)
    label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
    offset = max(0, (line_height - label.sizeHint().height()) // 2)
    label.setContentsMargins(0, offset, 0, 0)
    return label


def save_buttons(dialog: QDialog, save: Callable[[], None]) -> tuple[QDialogButtonBox, QPushButton]:
    """Save (the default button) and Cancel for ``dialog``; Save, Enter in a one-line
    field and Ctrl+Enter anywhere call ``save``, Cancel and Esc reject."""
    box = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
    )
    button = box.button(QDialogButtonBox.StandardButton.Save)
    assert isinstance(button, QPushButton)
    button.setDefault(True)
    box.accepted.connect(save)
    box.rejected.connect(dialog.reject)
    for sequence in ("Ctrl+Return", "Ctrl+Enter"):
        shortcut = QShortcut(QKeySequence(sequence), dialog)
        shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
        shortcut.activated.connect(save)
    return box, button


def _parse_message(error: DateError) -> str:
    """The parser's message without the echo of the text the person just typed."""
    text = str(error)
    m = re.match(r"^cannot read '.*' as a date: (.*)$", text, re.DOTALL)
    if m:
        return "Cannot read this as a date: " + m.group(1)
    m = re.match(r"^'.*' is not a valid date(?: range)?: (.*)$", text, re.DOTALL)
    if m:
        text = m.group(1)
    return text[:1].upper() + text[1:]


def reading(date: PartialDate) -> str:
    """How a date was read, for the line under its field: "c. 1450 · year precision,
    approximate"."""
    text = f"{date.format()} · {date.precision.label} precision"
    if date.qualifier:
        text += f", {date.qualifier.describe()}"
    return text


def _range_qualifiers(start: PartialDate, end: PartialDate) -> str:
    """ ", start approximate, end uncertain" for a range read from one field."""
    words = [
        f"{side} {date.qualifier.describe()}"
        for side, date in (("start", start), ("end", end))
        if date.qualifier
    ]
    return "".join(f", {w}" for w in words)


def date_text(date: PartialDate) -> str:
    """How a date is put in a field: its usual form when that reads back the same."""
    text = date.format()
    try:
        if parse_date(text) == date:
            return text
    except DateError:
        pass
    return date.iso()


# -- tags ---------------------------------------------------------------------------------


class TagsEdit(QLineEdit):
    """Comma-separated tags; a popup completes the segment at the cursor.

    ``tag_completer`` is a plain :class:`QCompleter` over the existing tags, attached with
    ``setWidget`` (not ``setCompleter``, which would replace the whole text).
    """

    def __init__(self, tags: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tag_model = QStringListModel(sorted(tags, key=str.casefold), self)
        self.tag_completer = QCompleter(self.tag_model, self)
        self.tag_completer.setWidget(self)
        self.tag_completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.tag_completer.setFilterMode(Qt.MatchFlag.MatchStartsWith)
        self.tag_completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        # (the overload by index: the stubs do not know signals can be indexed)
        self.tag_completer.activated[QModelIndex].connect(self._complete_index)  # type: ignore[index]
        self.textEdited.connect(self._update_completions)

    def _segment(self) -> tuple[int, int]:
        """``[start, end)`` of the comma-separated segment holding the cursor."""
        text = self.text()
        pos = self.cursorPosition()
        start = text.rfind(",", 0, pos) + 1
        end = text.find(",", pos)
        return start, len(text) if end < 0 else end

    def current_prefix(self) -> str:
        """The part of the current segment before the cursor, without leading spaces."""
        start, _ = self._segment()
        return self.text()[start : self.cursorPosition()].lstrip()

    def _update_completions(self) -> None:
        prefix = self.current_prefix()
        popup = self.tag_completer.popup()
        assert popup is not None  # (a completer always has its popup)
        if not prefix:
            popup.hide()
            return
        self.tag_completer.setCompletionPrefix(prefix)
        count = self.tag_completer.completionCount()
        exact = count == 1 and self.tag_completer.currentCompletion() == prefix
        if count == 0 or exact:
            popup.hide()
            return
        popup.setCurrentIndex(self.tag_completer.completionModel().index(0, 0))
        self.tag_completer.complete()

    def _complete_index(self, index: QModelIndex) -> None:
        self.insert_completion(str(index.data()))

    def insert_completion(self, tag: str) -> None:
        """Replace the current segment by ``tag`` and start the next one."""
        text = self.text()
        start, end = self._segment()
        before = text[:start]
        after = text[end:]
        lead = " " if before else ""
        if after.startswith(","):
            new = f"{before}{lead}{tag}{after}"
            cursor = len(before) + len(lead) + len(tag)
        else:
            new = f"{before}{lead}{tag}, "
            cursor = len(new)
        self.setText(new)
        self.setCursorPosition(cursor)

    def tags(self) -> list[str]:
        """The tags typed, trimmed, without repeats."""
        seen: dict[str, str] = {}
        for part in self.text().split(","):
            tag = " ".join(part.split())
            if tag and tag.casefold() not in seen:
                seen[tag.casefold()] = tag
        return list(seen.values())


# -- the dialog ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _DateState:
    """How one date field reads: a date (or range), or an error, or nothing typed."""

    date: PartialDate | None = None
    range_end: PartialDate | None = None
    error: str = ""
    empty: bool = False


class EventDialog(QDialog):
    """Add or edit one event.

    Children are attributes so that tests and callers can reach them:
    ``headline_edit``, ``start_edit``/``start_info``, ``end_edit``/``end_info``,
    ``category_combo``/``category_info``, ``tags_edit`` (with ``tags_edit.completer``),
    ``description_edit``, ``source_edit``, ``notes_edit``, ``images_editor``, ``reason_label``,
    ``button_box`` and ``save_button``.  After ``exec()`` returns ``Accepted``,
    :meth:`result_event` is the event to store (through an undo command).
    """

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        categories: list[Category],
        tags: list[str],
        event: Event | None = None,
        prefill_start: PartialDate | None = None,
        title: str = "Add Event",
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(520)
        self.setSizeGripEnabled(True)
        self._original = event
        self._categories = {c.name: c for c in categories}
        self._known_tags = {t.casefold(): t for t in tags}

        self.headline_edit = QLineEdit()
        self.headline_edit.setPlaceholderText("What happened")
        self.start_edit = QLineEdit()
        self.start_edit.setPlaceholderText("e.g. March 3, 1999")
        self.start_info = hint_label()
        self.end_edit = QLineEdit()
        self.end_edit.setPlaceholderText("Optional")
        self.end_info = hint_label()
        self.category_combo = QComboBox()
        self.category_combo.setEditable(True)
        self.category_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.category_combo.addItem(NO_CATEGORY)
        for cat in sorted(categories, key=lambda c: c.name.casefold()):
            self.category_combo.addItem(swatch_icon(cat.color), cat.name)
        self.category_combo.setMaxVisibleItems(15)
        self.category_info = hint_label()
        self.tags_edit = TagsEdit(tags)
        self.tags_edit.setPlaceholderText("e.g. diplomacy, summit")
        self.tags_info = hint_label(TAGS_HINT)
        self.description_edit = QPlainTextEdit()
        self.description_edit.setTabChangesFocus(True)
        self.description_edit.setPlaceholderText("What it was, why it matters")
        line = self.description_edit.fontMetrics().lineSpacing()
        self.description_edit.setMinimumHeight(line * 5 + 12)
        self.source_edit = QLineEdit()
        self.source_edit.setPlaceholderText("https://…")
        self.notes_edit = QPlainTextEdit()
        self.notes_edit.setTabChangesFocus(True)
        self.notes_edit.setPlaceholderText("For you when presenting; never shown to the audience")
        self.notes_edit.setMinimumHeight(line * 3 + 12)
        self.images_editor = ImagesEditor(event.images if event is not None else ())
        self.reason_label = QLabel()
        self.reason_label.setWordWrap(True)
        self.reason_label.setTextFormat(Qt.TextFormat.PlainText)

        self.button_box, self.save_button = save_buttons(self, self._save)

        self._build_layout()
        self._set_tab_order()

        if event is not None:
            self._fill(event)
        elif prefill_start is not None:
            self.start_edit.setText(date_text(prefill_start))
        self.category_combo.setCurrentText(
            event.category if event is not None and event.category else NO_CATEGORY
        )

        for edit in (self.headline_edit, self.start_edit, self.end_edit):
            edit.textChanged.connect(self._validate)
        self.category_combo.currentTextChanged.connect(self._validate)
        self._validate()
        self.headline_edit.setFocus(Qt.FocusReason.OtherFocusReason)
        self.headline_edit.selectAll()

    # -- construction ------------------------------------------------------------------

    def _build_layout(self) -> None:
        form = form_layout()

        def stacked(field: QWidget, info: QLabel) -> QWidget:
            box = QWidget()
            lay = QVBoxLayout(box)
            lay.setContentsMargins(0, 0, 0, 0)
            lay.setSpacing(3)
            lay.addWidget(field)
            lay.addWidget(info)
            return box

        line_height = self.headline_edit.sizeHint().height()

        def label(text: str, buddy: QWidget) -> QLabel:
            return form_label(text, buddy, line_height)

        form.addRow(label("&Headline:", self.headline_edit), self.headline_edit)
        form.addRow(label("&Start:", self.start_edit), stacked(self.start_edit, self.start_info))
        form.addRow(label("&End:", self.end_edit), stacked(self.end_edit, self.end_info))
        form.addRow(
            label("&Category:", self.category_combo),
            stacked(self.category_combo, self.category_info),
        )
        form.addRow(label("T&ags:", self.tags_edit), stacked(self.tags_edit, self.tags_info))
        form.addRow(label("&Description:", self.description_edit), self.description_edit)
        form.addRow(label("Source &link:", self.source_edit), self.source_edit)
        form.addRow(label("Speaker &notes:", self.notes_edit), self.notes_edit)
        form.addRow(label("&Images:", self.images_editor.list_widget), self.images_editor)

        bottom = QHBoxLayout()
        bottom.addWidget(self.reason_label, 1)
        bottom.addWidget(self.button_box, 0, Qt.AlignmentFlag.AlignBottom)

        outer = QVBoxLayout(self)
        outer.setContentsMargins(18, 18, 18, 14)
        outer.setSpacing(14)
        outer.addLayout(form, 1)
        outer.addLayout(bottom)

    def _set_tab_order(self) -> None:
        chain: list[QWidget] = [
            self.headline_edit,
            self.start_edit,
            self.end_edit,
            self.category_combo,
            self.tags_edit,
            self.description_edit,
            self.source_edit,
            self.notes_edit,
            self.images_editor.list_widget,
            self.images_editor.add_button,
            self.images_editor.remove_button,
            self.images_editor.left_button,
            self.images_editor.right_button,
            self.images_editor.caption_edit,
            self.images_editor.credit_edit,
            self.save_button,
        ]
        cancel = self.button_box.button(QDialogButtonBox.StandardButton.Cancel)
        if cancel is not None:
            chain.append(cancel)
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    def _fill(self, event: Event) -> None:
        self.headline_edit.setText(event.title)
        self.start_edit.setText(date_text(event.start))
        if event.end is not None:
            self.end_edit.setText(date_text(event.end))
        self.tags_edit.setText(", ".join(event.tags))
        self.description_edit.setPlainText(event.description)
        self.source_edit.setText(event.source_url)
        self.notes_edit.setPlainText(event.notes)

    # -- reading the fields ------------------------------------------------------------

    def _read_start(self) -> _DateState:
        text = self.start_edit.text()
        if not text.strip():
            return _DateState(empty=True)
        try:
            start, end = parse_date_range(text)
        except DateError as exc:
            # A single date's message is the clearer one unless the text was a range.
            try:
                parse_date(text)
            except DateSyntaxError:
                return _DateState(error=_parse_message(exc))
            except DateError as single:
                return _DateState(error=_parse_message(single))
            return _DateState(error=_parse_message(exc))
        return _DateState(date=start, range_end=end)

    def _read_end(self) -> _DateState:
        text = self.end_edit.text()
        if not text.strip():
            return _DateState(empty=True)
        try:  # "the 1960s" ends with 1969
            return _DateState(date=parse_span(text)[1])
        except DateError as exc:
            return _DateState(error=_parse_message(exc))

    def _category_name(self) -> str | None:
        """The category chosen or typed (matched to an existing one ignoring case)."""
        text = " ".join(self.category_combo.currentText().split())
        if not text or text == NO_CATEGORY:
            return None
        if text in self._categories:
            return text
        for name in self._categories:
            if name.casefold() == text.casefold():
                return name
        return text

    def _dates(self) -> tuple[PartialDate | None, PartialDate | None, str]:
        """Start, end and the first problem with them ("" when they can be stored)."""
        start, end = self._read_start(), self._read_end()
        if start.empty:
            return None, None, "A start date is needed"
        if start.error:
            return None, None, "The start date is not valid"
        if end.error:
            return None, None, "The end date is not valid"
        if start.range_end is not None and not end.empty:
            return None, None, "The start is already a range: leave the end empty"
        stop = start.range_end if start.range_end is not None else end.date
        assert start.date is not None
        if stop is not None and stop.begin() < start.date.begin():
            return None, None, "The end is before the start"
        try:
            check_open_ends(start.date, stop)
        except DateError:
            return None, None, "A range is open only before its start or after its end"
        return start.date, stop, ""

    # -- live feedback -----------------------------------------------------------------

    def _show(self, label: QLabel, text: str, *, error: bool) -> None:
        label.setText(text)
        color = error_color(self.palette()) if error else muted_color(self.palette())
        _set_label_color(label, color)

    def _validate(self) -> None:
        start, end = self._read_start(), self._read_end()
        start_d, end_d, problem = self._dates()
        # Start line.
        if start.empty:
            self._show(self.start_info, START_HINT, error=False)
        elif start.error:
            self._show(self.start_info, start.error, error=True)
        else:
            assert start.date is not None
            if start.range_end is not None:
                text = (
                    f"{format_range(start.date, start.range_end)} · "
                    f"{start.date.precision.label} precision · a range"
                    + _range_qualifiers(start.date, start.range_end)
                )
            else:
                text = reading(start.date)
            original = self._original
            if (
                original is not None
                and original.display_date
                and (start_d, end_d) == (original.start, original.end)
            ):
                text += f" · shown as “{original.display_date}”"
            self._show(self.start_info, text, error=False)
        # End line.
        if end.error:
            self._show(self.end_info, end.error, error=True)
        elif end.empty:
            hint = "The range is given in the start" if start.range_end else END_HINT
            self._show(self.end_info, hint, error=False)
        elif problem in (
            "The end is before the start",
            "A range is open only before its start or after its end",
        ):
            self._show(self.end_info, problem, error=True)
        elif start.range_end is not None:
            self._show(self.end_info, "The start is already a range: leave this empty", error=True)
        else:
            assert end.date is not None
            self._show(self.end_info, reading(end.date), error=False)
        # Category line.
        name = self._category_name()
        if name is not None and name not in self._categories:
            self._show(self.category_info, f"A new category “{name}” will be created", error=False)
            self.category_info.show()
        else:
            self.category_info.hide()
        # Headline, then the reason Save is disabled.
        if not problem and not self.headline_edit.text().strip():
            problem = "A headline is needed"
        self.save_button.setEnabled(not problem)
        self.save_button.setToolTip(problem)
        required = problem in ("A headline is needed", "A start date is needed")
        self._show(self.reason_label, problem, error=bool(problem) and not required)

    def is_valid(self) -> bool:
        return self.save_button.isEnabled()

    def problem(self) -> str:
        """Why Save is disabled ("" when it is enabled)."""
        return self.reason_label.text()

    def _save(self) -> None:
        self._validate()
        if self.is_valid():
            self.accept()

    # -- the result --------------------------------------------------------------------

    def result_event(self) -> Event:
        """The event as the fields describe it (raises ``ValueError`` while invalid).

        When editing, the original's id and ``extra`` are kept, and so is its
        ``display_date`` unless the dates changed (then the source's text no longer
        describes them).
        """
        start, end, problem = self._dates()
        title = " ".join(self.headline_edit.text().split())
        if problem or start is None or not title:
            raise ValueError(problem or "A headline is needed")
        tags = tuple(
            sorted(
                (self._known_tags.get(t.casefold(), t) for t in self.tags_edit.tags()),
                key=str.casefold,
            )
        )
        values: dict[str, Any] = {
            "title": title,
            "start": start,
            "end": end,
            "description": self.description_edit.toPlainText(),
            "category": self._category_name(),
            "tags": tags,
            "source_url": self.source_edit.text().strip(),
            "notes": self.notes_edit.toPlainText().strip(),
            "images": self.images_editor.images(),
        }
        original = self._original
        if original is None:
            return Event(**values)
        same_dates = (start, end) == (original.start, original.end)
        return original.evolve(**values, display_date=original.display_date if same_dates else "")
