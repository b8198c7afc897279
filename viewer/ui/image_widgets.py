"""The widgets that show and edit an event's images.

* :class:`ImagesEditor`, in the event dialog: the images as a row of thumbnails, with
  Add…, Remove and Move Left/Right, caption and credit of the one chosen, and files
  dropped onto it added.  Its :meth:`~ImagesEditor.images` go into the dialog's event,
  so every change is part of the dialog's one undoable step.
* :class:`ImageStrip`, in the detail panel: the first stored image as a thumbnail
  with its caption and credit (and how many more there are); a click opens
* :class:`ImageViewer`: the images full size, ←/→ between them, Esc to close.

Bytes are decoded only through :mod:`viewer.ui.images`: an image that cannot be read
shows a placeholder, never an error.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from urllib.parse import urlsplit

import shiboken6
from PySide6.QtCore import QSize, Qt, QUrl, Signal
from PySide6.QtGui import (
    QDragEnterEvent,
    QDropEvent,
    QIcon,
    QKeyEvent,
    QMouseEvent,
    QPixmap,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from viewer.model.images import LARGE_IMPORT_BYTES, MAX_IMAGE_BYTES, Image, ImageError
from viewer.ui.images import decode_image, placeholder, thumbnail_png

__all__ = [
    "IMAGE_FILTER",
    "IMAGE_SUFFIXES",
    "ImageStrip",
    "ImageViewer",
    "ImagesEditor",
    "describe",
    "image_files",
    "read_image_file",
]

#: The file names taken as images when dropped.
IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".webp", ".gif", ".svg"})
#: The file dialog's filter for images.
IMAGE_FILTER = "Images (*.png *.jpg *.jpeg *.webp *.gif *.svg);;All files (*)"
_THUMB = QSize(84, 64)


def read_image_file(path: str | Path) -> Image:
    """An image from a file, with a thumbnail made for the document; raises
    :class:`ImageError` (with the file's name) for what cannot be taken."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_IMAGE_BYTES:
            raise ImageError(
                f"{path.name} is {size / 2**20:.1f} MB; an image may be at most "
                f"{MAX_IMAGE_BYTES // 2**20} MB (make it smaller first)"
            )
        data = path.read_bytes()
    except OSError as exc:
        raise ImageError(f"cannot read {path.name}: {exc.strerror or exc}") from None
    image = Image(data, name=path.name)  # (its ImageError names the file)
    if decode_image(data, QSize(8, 8)) is None:
        raise ImageError(f"{path.name} is damaged or cannot be shown")
    return image.evolve(thumbnail=thumbnail_png(data))


def image_files(urls: Iterable[QUrl]) -> list[str]:
    """The local files among dropped URLs (a remote one is never fetched)."""
    return [u.toLocalFile() for u in urls if u.isLocalFile() and u.toLocalFile()]


def _host(url: str) -> str:
    try:
        return urlsplit(url).netloc or url[:40]
    except ValueError:
        return url[:40]


def _thumbnail(image: Image, size: QSize, *, dark: bool = False) -> QPixmap:
    if not image.stored:
        return QPixmap.fromImage(placeholder(size, "Not stored", dark=dark))
    picture = decode_image(image.thumbnail, size) if image.thumbnail else None
    if picture is None:
        picture = decode_image(image.data, size)
    if picture is None:
        return QPixmap.fromImage(placeholder(size, "Cannot be shown", dark=dark))
    pixmap = QPixmap.fromImage(picture)
    if pixmap.width() > size.width() or pixmap.height() > size.height():
        pixmap = pixmap.scaled(
            size, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
        )
    return pixmap


def describe(image: Image) -> str:
    """One line about an image: its name or caption and whether it is stored."""
    name = image.caption or image.name or "Image"
    if not image.stored:
        return f"{name} (not stored: {_host(image.url)})"
    size = image.size
    shown = f"{size:,} bytes" if size < 1024 else f"{size / 1024:,.0f} KB"
    return f"{name} ({shown if size < 2**20 else f'{size / 2**20:.1f} MB'})"


class ImagesEditor(QWidget):
    """An event's images, to add, remove, reorder and caption (in the event dialog).

    Children for tests and callers: ``list_widget`` (one item per image),
    ``add_button``, ``remove_button``, ``left_button``, ``right_button``,
    ``caption_edit``, ``credit_edit`` and ``status_label``.  ``confirm_large(bytes)``
    is asked before adding more than :data:`LARGE_IMPORT_BYTES` at once, and
    ``choose_files()`` gives the files Add… takes (a file dialog; tests replace both).
    """

    changed = Signal()

    def __init__(self, images: Sequence[Image] = (), parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._images: list[Image] = list(images)
        self.confirm_large: Callable[[int], bool] = self._ask_large
        self.choose_files: Callable[[], list[str]] = self._choose_files
        self.setAcceptDrops(True)

        self.list_widget = QListWidget()
        self.list_widget.setAccessibleName("Images")
        self.list_widget.setViewMode(QListWidget.ViewMode.IconMode)
        self.list_widget.setFlow(QListWidget.Flow.LeftToRight)
        self.list_widget.setWrapping(False)
        self.list_widget.setMovement(QListWidget.Movement.Static)
        self.list_widget.setIconSize(_THUMB)
        self.list_widget.setSpacing(4)
        self.list_widget.setFixedHeight(_THUMB.height() + 26)
        self.list_widget.currentRowChanged.connect(self._on_current)

        self.add_button = QPushButton("Add…")
        self.add_button.setToolTip("Add image files (or drop them here)")
        self.remove_button = QPushButton("Remove")
        self.left_button = QPushButton("◀")
        self.left_button.setAccessibleName("Move image left")
        self.left_button.setToolTip("Show this image earlier")
        self.right_button = QPushButton("▶")
        self.right_button.setAccessibleName("Move image right")
        self.right_button.setToolTip("Show this image later")
        for button in (self.left_button, self.right_button):
            button.setFixedWidth(button.sizeHint().height() + 10)
        for button in (self.add_button, self.remove_button, self.left_button, self.right_button):
            button.setAutoDefault(False)  # (Enter in the dialog saves it, not Add…)
        self.add_button.clicked.connect(lambda: self.add_files(self.choose_files()))
        self.remove_button.clicked.connect(self.remove_current)
        self.left_button.clicked.connect(lambda: self.move_current(-1))
        self.right_button.clicked.connect(lambda: self.move_current(1))

        self.caption_edit = QLineEdit()
        self.caption_edit.setAccessibleName("Image caption")
        self.caption_edit.setPlaceholderText("Caption")
        self.credit_edit = QLineEdit()
        self.credit_edit.setAccessibleName("Image credit")
        self.credit_edit.setPlaceholderText("Credit, e.g. © Agency")
        self.caption_edit.textEdited.connect(lambda t: self._set_field("caption", t))
        self.credit_edit.textEdited.connect(lambda t: self._set_field("credit", t))
        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        self.status_label.setProperty("muted", True)

        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        for button in (self.add_button, self.remove_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.left_button)
        buttons.addWidget(self.right_button)
        fields = QHBoxLayout()
        fields.setContentsMargins(0, 0, 0, 0)
        fields.addWidget(self.caption_edit, 3)
        fields.addWidget(self.credit_edit, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.list_widget)
        layout.addLayout(buttons)
        layout.addLayout(fields)
        layout.addWidget(self.status_label)
        self._refill(0 if self._images else -1)

    # -- the result ------------------------------------------------------------------

    def images(self) -> tuple[Image, ...]:
        return tuple(self._images)

    # -- changes ---------------------------------------------------------------------

    def add_files(self, paths: Sequence[str]) -> list[str]:
        """Add image files (after asking, for a lot of bytes); the problems, each
        also shown under the list.  A file that cannot be taken adds nothing."""
        paths = [p for p in paths if p]
        if not paths:
            return []
        total = sum(Path(p).stat().st_size for p in paths if Path(p).is_file())
        if total > LARGE_IMPORT_BYTES and not self.confirm_large(total):
            return []
        added: list[Image] = []
        problems: list[str] = []
        for path in paths:
            try:
                added.append(read_image_file(path))
            except ImageError as exc:
                problems.append(str(exc))
        if added:
            self._images.extend(added)
            self._refill(len(self._images) - 1)
            self.changed.emit()
        if problems:
            self.status_label.setText("Not added: " + "; ".join(problems))
        return problems

    def remove_current(self) -> None:
        row = self.list_widget.currentRow()
        if 0 <= row < len(self._images):
            del self._images[row]
            self._refill(min(row, len(self._images) - 1))
            self.changed.emit()

    def move_current(self, step: int) -> None:
        row = self.list_widget.currentRow()
        to = row + step
        if 0 <= row < len(self._images) and 0 <= to < len(self._images):
            images = self._images
            images[row], images[to] = images[to], images[row]
            self._refill(to)
            self.changed.emit()

    def _set_field(self, name: str, text: str) -> None:
        row = self.list_widget.currentRow()
        if 0 <= row < len(self._images):
            self._images[row] = self._images[row].evolve(**{name: text.strip()})
            item = self.list_widget.item(row)
            if item is not None:
                item.setToolTip(describe(self._images[row]))
            self.changed.emit()

    # -- showing ---------------------------------------------------------------------

    def _refill(self, current: int) -> None:
        self.list_widget.blockSignals(True)
        self.list_widget.clear()
        for image in self._images:
            item = QListWidgetItem(QIcon(_thumbnail(image, _THUMB)), "")
            item.setToolTip(describe(image))
            item.setData(Qt.ItemDataRole.AccessibleTextRole, describe(image))
            item.setSizeHint(_THUMB + QSize(8, 8))
            self.list_widget.addItem(item)
        self.list_widget.blockSignals(False)
        self.list_widget.setCurrentRow(current)
        self._on_current(current)

    def _on_current(self, row: int) -> None:
        image = self._images[row] if 0 <= row < len(self._images) else None
        for edit, value in (
            (self.caption_edit, image.caption if image else ""),
            (self.credit_edit, image.credit if image else ""),
        ):
            edit.setText(value)
            edit.setEnabled(image is not None)
        self.remove_button.setEnabled(image is not None)
        self.left_button.setEnabled(image is not None and row > 0)
        self.right_button.setEnabled(image is not None and row < len(self._images) - 1)
        if not self._images:
            self.status_label.setText("No images. Add image files, or drop them here.")
        elif image is not None:
            self.status_label.setText(describe(image))

    # -- dropping files --------------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if image_files(event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        files = image_files(event.mimeData().urls())
        if files:
            event.acceptProposedAction()
            self.add_files(files)

    # -- asking ----------------------------------------------------------------------

    def _ask_large(self, total: int) -> bool:
        answer = QMessageBox.question(
            self,
            "Add Large Images?",
            f"These images add {total / 2**20:.0f} MB to the timeline file. Add them?",
        )
        return answer == QMessageBox.StandardButton.Yes

    def _choose_files(self) -> list[str]:
        paths, _ = QFileDialog.getOpenFileNames(self, "Add Images", "", IMAGE_FILTER)
        return list(paths)


class ImageStrip(QWidget):
    """The detail panel's picture: the first stored image, fitted to the panel's width
    (at most :attr:`max_height` high), with its caption and credit.  A click (or
    Enter) opens :class:`ImageViewer`; ``viewer`` is the one open."""

    max_height = 180

    opened = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._images: tuple[Image, ...] = ()
        self._source: QPixmap | None = None
        self.viewer: ImageViewer | None = None
        self.picture = QLabel()
        self.picture.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.picture.setCursor(Qt.CursorShape.PointingHandCursor)
        self.picture.setToolTip("Click to see it full size")
        self.caption = QLabel()
        self.caption.setWordWrap(True)
        self.caption.setTextFormat(Qt.TextFormat.PlainText)
        self.caption.setProperty("muted", True)
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.setAccessibleName("Event image")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 2, 0, 2)
        layout.setSpacing(3)
        layout.addWidget(self.picture)
        layout.addWidget(self.caption)
        self.hide()

    def set_images(self, images: Sequence[Image]) -> None:
        self._images = tuple(images)
        stored = [i for i in self._images if i.stored]
        if not stored:
            self._source = None
            self.picture.clear()
            self.hide()
            return
        first = stored[0]
        picture = decode_image(first.data, QSize(1200, 900))
        dark = self.palette().window().color().lightness() < 128
        self._source = QPixmap.fromImage(
            picture if picture is not None else placeholder(QSize(240, 150), dark=dark)
        )
        lines = [t for t in (first.caption, first.credit) if t]
        if len(self._images) > 1:
            lines.append(f"{len(self._images)} images · click to see them all")
        self.caption.setText(" — ".join(lines[:2]) + ("\n" + lines[2] if len(lines) > 2 else ""))
        self.caption.setVisible(bool(lines))
        self.setAccessibleDescription(describe(first))
        self.show()
        self._fit()

    def images(self) -> tuple[Image, ...]:
        return self._images

    def _fit(self) -> None:
        if self._source is None:
            return
        width = max(60, self.width() or 300)
        pixmap = self._source
        if pixmap.width() > width or pixmap.height() > self.max_height:
            pixmap = pixmap.scaled(
                QSize(width, self.max_height),
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
        self.picture.setPixmap(pixmap)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self._source is not None:
            self.open_viewer()
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.open_viewer()
            return
        super().keyPressEvent(event)

    def open_viewer(self) -> ImageViewer | None:
        if not self._images:
            return None
        if self.viewer is not None and shiboken6.isValid(self.viewer):
            self.viewer.close()
        self.viewer = ImageViewer(self._images, self.window())
        self.viewer.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.viewer.show()
        self.opened.emit()
        return self.viewer


class ImageViewer(QDialog):
    """An event's images full size, one at a time: ←/→ (or the buttons) between them,
    Esc closes.  ``index`` is the one shown; ``picture`` and ``caption`` show it."""

    def __init__(
        self, images: Sequence[Image], parent: QWidget | None = None, index: int = 0
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Images")
        self._images = tuple(images)
        self.index = 0
        self.picture = QLabel()
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.picture.setMinimumSize(320, 240)
        self.caption = QLabel()
        self.caption.setWordWrap(True)
        self.caption.setTextFormat(Qt.TextFormat.PlainText)
        self.caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.previous_button = QPushButton("◀ Previous")
        self.next_button = QPushButton("Next ▶")
        self.position_label = QLabel()
        self.previous_button.clicked.connect(lambda: self.show_image(self.index - 1))
        self.next_button.clicked.connect(lambda: self.show_image(self.index + 1))
        nav = QHBoxLayout()
        nav.addWidget(self.previous_button)
        nav.addStretch(1)
        nav.addWidget(self.position_label)
        nav.addStretch(1)
        nav.addWidget(self.next_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.picture, 1)
        layout.addWidget(self.caption)
        layout.addLayout(nav)
        screen = self.screen().availableGeometry() if self.screen() is not None else None
        self.resize(QSize(1000, 760).boundedTo(screen.size() * 0.9) if screen else QSize(1000, 760))
        self.show_image(index)

    def show_image(self, index: int) -> None:
        if not self._images:
            return
        self.index = max(0, min(index, len(self._images) - 1))
        image = self._images[self.index]
        fit = self.picture.size().expandedTo(QSize(640, 480))
        dark = self.palette().window().color().lightness() < 128
        if image.stored:
            picture = decode_image(image.data, QSize(2400, 1800))
            shown = picture if picture is not None else placeholder(fit, dark=dark)
        else:
            shown = placeholder(fit, f"Not stored in the file: {image.url}", dark=dark)
        self._source = QPixmap.fromImage(shown)
        self._fit()
        lines = [t for t in (image.caption, image.credit) if t]
        self.caption.setText(" — ".join(lines))
        self.caption.setVisible(bool(lines))
        self.position_label.setText(f"{self.index + 1} of {len(self._images)}")
        self.previous_button.setEnabled(self.index > 0)
        self.next_button.setEnabled(self.index < len(self._images) - 1)
        self.setAccessibleDescription(describe(image))

    def _fit(self) -> None:
        pixmap = self._source
        box = self.picture.size()
        if pixmap.width() > box.width() or pixmap.height() > box.height():
            pixmap = pixmap.scaled(
                box, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
            )
        self.picture.setPixmap(pixmap)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if hasattr(self, "_source"):
            self._fit()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Left:
            self.show_image(self.index - 1)
        elif event.key() == Qt.Key.Key_Right:
            self.show_image(self.index + 1)
        else:
            super().keyPressEvent(event)
