"""Running a check as a user who is not root: root ignores file permissions.

:func:`run_as_user` runs Python code as this user when it is not root, and as
``nobody`` when it is, with an interpreter that user can run and this checkout and
its packages on the path; tests skip (saying why) where there is none.
"""

from __future__ import annotations

import functools
import os
import pwd
import subprocess
import sys
from pathlib import Path

import numpy
import pytest

REPO = Path(__file__).resolve().parents[2]


def _path() -> str:
    site = Path(numpy.__file__).resolve().parents[1]  # the packages' folder
    return os.pathsep.join([str(REPO), str(site)])


def _as_nobody() -> dict[str, int]:
    user = pwd.getpwnam("nobody")
    return {"user": user.pw_uid, "group": user.pw_gid}


@functools.cache
def _interpreter() -> tuple[str, dict[str, int]] | None:
    """A Python that can import the store as the user the checks run as."""
    if os.geteuid() != 0:
        return sys.executable, {}
    try:
        who = _as_nobody()
    except KeyError:
        return None
    for python in (sys.executable, "/usr/bin/python3", "/usr/local/bin/python3"):
        try:
            done = subprocess.run(
                [python, "-c", "import viewer.store"],
                env={"PYTHONPATH": _path(), "HOME": "/tmp"},
                capture_output=True,
                timeout=60,
                check=False,
                **who,  # type: ignore[arg-type]
            )
        except (OSError, subprocess.SubprocessError):
            continue
        if done.returncode == 0:
            return python, who
    return None


def run_as_user(code: str, *args: str) -> subprocess.CompletedProcess[str]:
    """Run ``code`` (with ``args`` as ``sys.argv[1:]``) as a user who is not root."""
    found = _interpreter()
    if found is None:
        pytest.skip("no Python that a user other than root can run here (root ignores permissions)")
    python, who = found
    return subprocess.run(
        [python, "-c", code, *args],
        env={"PYTHONPATH": _path(), "HOME": "/tmp", "LANG": "C.UTF-8"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        **who,  # type: ignore[arg-type]
    )


def shared_dir(path: Path, mode: int = 0o777) -> Path:
    """``path`` made a folder the other user can reach (every parent searchable)."""
    path.mkdir(parents=True, exist_ok=True)
    path.chmod(mode)
    return path
