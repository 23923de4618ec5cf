"""Files named by a user (inputs, templates, rules, unit directories), read as untrusted.

Only a regular file is read: a FIFO would block the open forever, a device (/dev/zero) never ends,
and a socket is no document. The check is made on the opened descriptor, so a symlink is judged by
what it points to, and no read goes further than the caller's limit.
"""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path


class NotRegular(OSError):
    """PATH is a FIFO, a device or a socket (also through a symlink)."""


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def _open(path: str | Path) -> int:
    # O_NONBLOCK: opening a FIFO with no writer returns at once instead of waiting for one.
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    mode = os.fstat(fd).st_mode
    if stat.S_ISDIR(mode):
        os.close(fd)
        raise IsADirectoryError(21, "a folder, not a file", str(path))
    if not stat.S_ISREG(mode):
        os.close(fd)
        raise NotRegular(f"{_kind(mode)}, not a file", str(path))
    return fd


def read_regular(path: str | Path, limit: int) -> bytes:
    """At most LIMIT + 1 bytes of the regular file PATH (one more than the limit tells the caller it was passed).

    Raises NotRegular, IsADirectoryError, FileNotFoundError or another OSError."""
    with os.fdopen(_open(path), "rb") as file:
        return file.read(limit + 1)


def sha256_regular(path: str | Path, limit: int) -> str | None:
    """The SHA-256 of the regular file PATH, or None when it cannot be read or is longer than LIMIT."""
    try:
        with os.fdopen(_open(path), "rb") as file:
            digest, left = hashlib.sha256(), limit + 1
            while left > 0 and (chunk := file.read(min(left, 2**20))):
                digest.update(chunk)
                left -= len(chunk)
    except OSError:
        return None
    return digest.hexdigest() if left > 0 else None
