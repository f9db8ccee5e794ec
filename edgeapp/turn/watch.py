"""Noticing that a file changed since the last look (the settings file, the saved calibration), so
a running assistant applies it from the next turn without re-reading it on every turn."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

Stamp = tuple[int, int, int]  # inode, modification time (ns), size


def file_stamp(path: Path) -> Stamp | None:
    """What tells one version of a file from another; None while there is no file."""
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_ino, st.st_mtime_ns, st.st_size)


class FileWatch:
    """`changed()` is true once per change of the file at `where()` (looked up on every call, so a
    new EDGEAPP_HOME is followed). `seen_now=True` starts from the file as it is."""

    def __init__(self, where: Callable[[], Path], *, seen_now: bool = False) -> None:
        self._where = where
        self._seen: Stamp | None = file_stamp(where()) if seen_now else None

    def path(self) -> Path:
        return self._where()

    def changed(self) -> bool:
        stamp = file_stamp(self._where())
        if stamp == self._seen:
            return False
        self._seen = stamp
        return True
