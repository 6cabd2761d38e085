"""Writing files so that a reader never sees half of one.

Every output goes to a temporary file in the same directory and is renamed into place:
an interrupted build leaves either the old file or the new one, never a truncated one.
"""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path

from .errors import OutputError, printable

_FIXES = {
    errno.EACCES: "make it writable or choose another output directory with -o",
    errno.EPERM: "make it writable or choose another output directory with -o",
    errno.EROFS: "the file system is read-only: choose another output directory with -o",
    errno.ENOTDIR: "a file stands where a directory should be: remove it or choose another output directory",
    errno.EEXIST: "a file stands where a directory should be: remove it or choose another output directory",
    errno.EISDIR: "a directory stands where the file goes: remove it or choose another output directory",
    errno.ENOSPC: "the disk is full: free some space and build again",
    errno.EDQUOT: "the disk quota is used up: free some space and build again",
    errno.ENAMETOOLONG: "the name is too long for this file system: use shorter ids or a shorter -o path",
}


def output_error(path: Path, exc: OSError) -> OutputError:
    """What went wrong writing `path`, and what to do about it, in one line."""
    fix = _FIXES.get(exc.errno or 0, "check the path and its permissions")
    return OutputError(f"cannot write {printable(str(path))}: {exc.strerror or exc}; {fix}")


def prepare_output(directory: Path) -> None:
    """Make sure `directory` exists and takes files, before a build writes anything into it."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
        if not directory.is_dir():
            raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), str(directory))
        fd, probe = tempfile.mkstemp(prefix=".fawen-probe.", dir=directory)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise output_error(directory, exc) from None


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


# read once, while the process is still single-threaded: os.umask can only be read by setting it
UMASK = _umask()


def atomic_write(path: Path, data: bytes) -> None:
    """Write `data` to `path` through a temporary file in the same directory. The file gets
    the permissions any tool's output gets (0666 less the umask, normally 0644), not the
    private 0600 of a temporary file."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    except OSError as exc:
        raise output_error(path.parent, exc) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fchmod(handle.fileno(), 0o666 & ~UMASK)
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise output_error(path, exc) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_write_text(path: Path, text: str) -> None:
    atomic_write(path, text.encode("utf-8"))
