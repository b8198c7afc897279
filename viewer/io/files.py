"""Writing an output file whole, for exports and pictures (no Qt)."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path


def write_atomically(out: str | os.PathLike[str], payload: bytes) -> None:
    """Write ``payload`` to ``out`` whole: a file is replaced only once all is written.

    A device or a pipe (``/dev/stdout``, a FIFO) is written into, never replaced; a
    symbolic link is followed; the temporary file is created exclusively, so it is
    never someone's own file.  On failure ``out`` is as it was, no temporary file is
    left, and the OSError names ``out``.
    """
    given = Path(out)
    try:
        if given.exists() and not given.is_file() and not given.is_dir():
            with given.open("wb") as f:
                f.write(payload)
            return
        target = Path(os.path.realpath(out))
        tmp = target.with_name(f"{target.name}.{os.getpid()}.part")
        try:
            with tmp.open("xb") as f:
                f.write(payload)
            tmp.replace(target)
        except OSError:
            with contextlib.suppress(OSError):
                tmp.unlink()
            raise
    except OSError as exc:
        raise OSError(exc.errno, exc.strerror or str(exc), os.fspath(out)) from None
