"""``install-desktop``: a launcher, icons and AppStream metadata in the user's XDG
folders that the freedesktop.org validators accept, and ``--uninstall`` removing them
(and nothing else)."""

from __future__ import annotations

import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from viewer.cli import main
from viewer.desktop_install import APP_ID, ICON_SIZES, installed_files
from viewer.paths import resources_dir

SHIPPED = resources_dir() / "desktop"


def validate(tool: str, *args: str) -> None:
    path = shutil.which(tool)
    if path is None:
        pytest.skip(f"{tool} is not installed here (.ci/run installs it)")
    done = subprocess.run([path, *args], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_shipped_desktop_file_and_metainfo_validate() -> None:
    validate("desktop-file-validate", str(SHIPPED / f"{APP_ID}.desktop"))
    validate("appstreamcli", "validate", "--no-net", str(SHIPPED / f"{APP_ID}.metainfo.xml"))


def test_install_desktop_and_uninstall(tmp_path: Path, monkeypatch, qapp, capsys) -> None:
    home = tmp_path / "share"
    home.mkdir()
    (home / "applications").mkdir()
    mine = home / "applications" / "someone-elses.desktop"
    mine.write_text("[Desktop Entry]\n", encoding="utf-8")
    monkeypatch.setenv("XDG_DATA_HOME", str(home))
    assert main(["install-desktop"]) == 0
    files = installed_files(home)
    assert all(p.is_file() for p in files), [p for p in files if not p.is_file()]
    desktop = home / "applications" / f"{APP_ID}.desktop"
    text = desktop.read_text(encoding="utf-8")
    exec_line = next(line for line in text.splitlines() if line.startswith("Exec="))
    program = shlex.split(exec_line.removeprefix("Exec="))[0]
    assert Path(program).exists(), exec_line
    assert "MimeType=" in text and "application/x-thetimeline" in text
    for n in ICON_SIZES:
        icon = QImage(str(home / "icons" / "hicolor" / f"{n}x{n}" / "apps" / f"{APP_ID}.png"))
        assert (icon.width(), icon.height()) == (n, n)
    validate("desktop-file-validate", str(desktop))
    capsys.readouterr()
    assert main(["install-desktop", "--uninstall"]) == 0
    assert "removed 10 files" in capsys.readouterr().out
    assert not any(p.exists() for p in files)
    assert mine.exists()  # nothing else is removed
