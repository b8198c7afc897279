"""Where the bundled files and the user's own files live (no Qt)."""

from __future__ import annotations

from pathlib import Path

import platformdirs

_PACKAGE = Path(__file__).resolve().parent
APP_NAME = "timeline-viewer"
SAMPLE_NAME = "russia-north-korea-timeline.txt"


def _bundled(name: str) -> Path:
    """``viewer/<name>`` in an installed wheel, ``<repo>/<name>`` in a checkout."""
    installed = _PACKAGE / name
    return installed if installed.is_dir() else _PACKAGE.parent / name


def resources_dir() -> Path:
    return _bundled("resources")


def data_dir() -> Path:
    """The bundled sample timelines (read-only: never written to)."""
    return _bundled("data")


def sample_path() -> Path:
    return data_dir() / SAMPLE_NAME


def user_data_dir() -> Path:
    """Where the app keeps the user's own copy of the sample (created on demand)."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
