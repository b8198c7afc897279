"""``timeline-viewer install-desktop``: a launcher, icons and AppStream metadata for the
user's desktop (freedesktop.org folders), and ``--uninstall`` to take them away again.

Writes, under ``$XDG_DATA_HOME`` (``~/.local/share``):

* ``applications/APP_ID.desktop``, with the command that started this (so the launcher
  runs this installation) and the file types the app opens;
* ``icons/hicolor/scalable/apps/APP_ID.svg`` and PNGs of the usual sizes;
* ``metainfo/APP_ID.metainfo.xml`` (software centres read it);
* ``mime/packages/APP_ID.xml``: the Timeline app's ``*.timeline`` files.

Then it asks the desktop's caches to look again, where their tools are installed
(``update-desktop-database``, ``update-mime-database``, ``gtk-update-icon-cache``).
Nothing is fetched, and the files it writes are the only ones it removes.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

from viewer.paths import resources_dir

__all__ = ["APP_ID", "ICON_SIZES", "install", "installed_files", "uninstall"]

#: The application's id: its desktop file, icon and AppStream component.
APP_ID = "org.timelineviewer.TimelineViewer"
ICON_SIZES = (16, 32, 48, 64, 128, 256)


def data_home() -> Path:
    value = os.environ.get("XDG_DATA_HOME", "")
    return Path(value) if value and Path(value).is_absolute() else Path.home() / ".local/share"


def installed_files(home: Path | None = None) -> list[Path]:
    """Every file :func:`install` writes."""
    home = home or data_home()
    icons = home / "icons" / "hicolor"
    return [
        home / "applications" / f"{APP_ID}.desktop",
        home / "metainfo" / f"{APP_ID}.metainfo.xml",
        home / "mime" / "packages" / f"{APP_ID}.xml",
        icons / "scalable" / "apps" / f"{APP_ID}.svg",
        *(icons / f"{n}x{n}" / "apps" / f"{APP_ID}.png" for n in ICON_SIZES),
    ]


def _command() -> str:
    """How the launcher starts the window: this installation's gui script, or this
    Python running the package."""
    script = Path(sys.executable).with_name("timeline-viewer-gui")
    if script.exists():
        return shlex.quote(str(script))
    found = shutil.which("timeline-viewer-gui")
    if found:
        return shlex.quote(found)
    return f"{shlex.quote(sys.executable)} -m viewer"


def _desktop_entry() -> str:
    text = (resources_dir() / "desktop" / f"{APP_ID}.desktop").read_text(encoding="utf-8")
    lines = []
    for line in text.splitlines():
        if line.startswith("Exec="):
            line = f"Exec={_command()} %f"
        elif line.startswith("TryExec="):
            continue  # (the Exec is a full path now)
        lines.append(line)
    return "\n".join(lines) + "\n"


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.part")
    tmp.write_bytes(data)
    tmp.replace(path)


def _icons(home: Path) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QImage

    source = resources_dir() / "icons"
    icons = home / "icons" / "hicolor"
    _write(icons / "scalable" / "apps" / f"{APP_ID}.svg", (source / "app.svg").read_bytes())
    image = QImage(str(source / "app.png"))
    if image.isNull():
        raise OSError(f"cannot read the icon {source / 'app.png'}")
    for n in ICON_SIZES:
        path = icons / f"{n}x{n}" / "apps" / f"{APP_ID}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        scaled = image.scaled(
            n, n, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
        )
        if not scaled.save(str(path), "PNG"):  # type: ignore[call-overload]  # (a str)
            raise OSError(f"cannot write {path}")


def _refresh(home: Path) -> None:
    """Have the desktop read its folders again (best effort: the tools may be absent)."""
    for tool, args in (
        ("update-desktop-database", [str(home / "applications")]),
        ("update-mime-database", [str(home / "mime")]),
        ("gtk-update-icon-cache", ["-f", "-t", str(home / "icons" / "hicolor")]),
    ):
        path = shutil.which(tool)
        if path is not None:
            subprocess.run([path, *args], capture_output=True, check=False, timeout=60)


def install(home: Path | None = None) -> list[Path]:
    """Put the launcher, icons and metadata in place; the files written."""
    home = home or data_home()
    desktop = resources_dir() / "desktop"
    _write(home / "applications" / f"{APP_ID}.desktop", _desktop_entry().encode("utf-8"))
    meta = (desktop / f"{APP_ID}.metainfo.xml").read_bytes()
    _write(home / "metainfo" / f"{APP_ID}.metainfo.xml", meta)
    mime = (desktop / f"{APP_ID}.mime.xml").read_bytes()
    _write(home / "mime" / "packages" / f"{APP_ID}.xml", mime)
    _icons(home)
    _refresh(home)
    return installed_files(home)


def uninstall(home: Path | None = None) -> list[Path]:
    """Remove what :func:`install` wrote (and nothing else); the files removed."""
    home = home or data_home()
    removed = []
    for path in installed_files(home):
        try:
            path.unlink()
        except FileNotFoundError:
            continue
        removed.append(path)
    _refresh(home)
    return removed
