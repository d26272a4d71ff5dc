"""Write an output file whole or not at all, never through a name someone planted.

Why: `export -o`, `void -o`, `ontology-docs` and the pages used fixed temporary names beside their
target (`export.nq.partial`, `page.html.tmp`) and plain writes, so a symbolic link planted under
either name made the program overwrite whatever the link pointed at. Here the temporary file is
created fresh with a random name in the target's own folder (`O_CREAT | O_EXCL`: an existing name,
a link included, is never opened), filled, flushed to disk, and renamed over the target; a rename
replaces a link at the target's name instead of writing through it. A full disk leaves the old
target as it was and says so in one line (`NoSpace`).
"""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path

_MODE = 0o666  # what a plain open() would create, before the umask


class NoSpace(OSError):
    """The disk filled while writing `path`; nothing of the new content is left behind."""

    def __init__(self, path: str | os.PathLike):
        super().__init__(errno.ENOSPC, f"no space left on device while writing {path}", str(path))
        self.path = str(path)

    def __str__(self) -> str:
        return self.strerror


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomic(target: str | os.PathLike, data: bytes) -> Path:
    """Replace `target` with `data` in one rename; return the target's path."""
    target = Path(target)
    folder = target.parent if str(target.parent) else Path(".")
    fd, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial", dir=folder)
    try:
        with os.fdopen(fd, "wb") as out:
            os.fchmod(out.fileno(), _MODE & ~_umask())
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, target)
    except BaseException as exc:
        try:
            os.unlink(temporary)
        except FileNotFoundError:
            pass
        if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
            raise NoSpace(target) from exc
        raise
    return target


__all__ = ["NoSpace", "write_atomic"]
