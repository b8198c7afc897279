"""Test-wide set-up: offscreen Qt, and no test touches the user's own files."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# platformdirs and QSettings must never see the real home of whoever runs the tests.
_HOME = tempfile.mkdtemp(prefix="timeline-viewer-tests-")
os.environ["XDG_DATA_HOME"] = str(Path(_HOME) / "data")
os.environ["XDG_CONFIG_HOME"] = str(Path(_HOME) / "config")

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


@pytest.fixture
def shared_dir() -> Path:
    """``../shared`` beside the checkout; tests using it skip where it is absent."""
    if not SHARED.is_dir():
        pytest.skip("../shared is not present beside this checkout")
    return SHARED


@pytest.fixture
def seed_path(shared_dir: Path) -> Path:
    path = shared_dir / "seed" / "russia-north-korea-timeline.txt"
    if not path.is_file():
        pytest.skip("the seed timeline is not present")
    return path


@pytest.fixture
def db_path(tmp_path: Path) -> Iterator[Path]:
    yield tmp_path / "test.db"


@pytest.fixture
def app_as_it_was(qapp):
    """Leave the application as the test found it: its palette, style, style sheet
    and colour scheme (a theme is application-wide), and no theme manager the test
    made still following the system's signals."""
    import shiboken6
    from PySide6.QtGui import QPalette

    from viewer.ui import theme

    palette = QPalette(qapp.palette())
    style_name = qapp.style().name() or "Fusion"
    sheet = qapp.styleSheet()
    before = set(qapp.findChildren(theme.ThemeManager))
    yield qapp
    for manager in set(qapp.findChildren(theme.ThemeManager)) - before:
        if shiboken6.isValid(manager):
            shiboken6.delete(manager)
    qapp.styleHints().unsetColorScheme()
    qapp.setStyleSheet(sheet)
    qapp.setStyle(style_name)
    qapp.setPalette(palette)
    theme._current = None
    theme._style = None
    theme.clear_icon_cache()
