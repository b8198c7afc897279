"""Writing an output file whole, for exports and pictures (no Qt)."""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO


def write_atomically(out: str | os.PathLike[str], payload: bytes) -> None:
    """Write ``payload`` to ``out`` whole: a file is replaced only once all is written.

    A device or a pipe (``/dev/stdout``, a FIFO) is written into, never replaced; a
    symbolic link is followed; the temporary file is created exclusively, so it is
    never someone's own file.  On failure ``out`` is as it was, no temporary file is
    left, and the OSError names ``out``.
    """
    with writing(out) as f:
        f.write(payload)


def _keep_mode(target: Path, tmp: Path) -> None:
    """Give the new file the permissions (and, where allowed, the owner) of the file it
    replaces: an export over a private file stays private."""
    try:
        st = target.stat()
    except FileNotFoundError:
        return  # a new file: the umask's mode, as any new file
    os.chmod(tmp, stat.S_IMODE(st.st_mode))
    if hasattr(os, "chown"):
        with contextlib.suppress(OSError):  # (only root may give a file away)
            os.chown(tmp, st.st_uid, st.st_gid)


def _sync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable (POSIX; a no-op where folders cannot be
    opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)


@contextlib.contextmanager
def writing(out: str | os.PathLike[str]) -> Iterator[BinaryIO]:
    """A binary file to write ``out`` through, as it goes, replaced only at the end.

    The same care as :func:`write_atomically` (which writes through this), for output
    too big to hold in memory: an export written row by row.  An error in the block
    leaves ``out`` as it was and no temporary file behind.
    """
    given = Path(out)
    try:
        if given.exists() and not given.is_file() and not given.is_dir():
            with given.open("wb") as f:  # a device or a pipe: written into
                yield f
            return
        target = Path(os.path.realpath(out))
        tmp = target.with_name(f"{target.name}.{os.getpid()}.part")
        try:
            with tmp.open("xb") as f:
                yield f
                f.flush()
                os.fsync(f.fileno())  # on the disk before it takes the name
            _keep_mode(target, tmp)
            tmp.replace(target)
            _sync_folder(target.parent)  # the new name on the disk too
        except BaseException:
            with contextlib.suppress(OSError):
                tmp.unlink()
            raise
    except OSError as exc:
        raise OSError(exc.errno, exc.strerror or str(exc), os.fspath(out)) from None
