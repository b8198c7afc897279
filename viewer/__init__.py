"""Timeline Viewer: browse, present and edit timelines of events, offline.

The version is the installed package's (``pyproject.toml`` holds the one number).
"""

from __future__ import annotations

from importlib import metadata

try:
    __version__ = metadata.version("timeline-viewer")
except metadata.PackageNotFoundError:  # (run from a checkout that is not installed)
    __version__ = "0+unknown"

__all__ = ["__version__"]
