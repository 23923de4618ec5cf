"""Files named by a user (inputs, templates, rules, unit directories), read as untrusted.

Only a regular file is read: a FIFO would block the open forever, a device (/dev/zero) never ends,
and a socket is no document. The check is made on the opened descriptor, so a symlink is judged by
what it points to, and no read goes further than the caller's limit.
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

MAX_SETTINGS = 16 * 2**20  # bytes of a rules file or a unit directory


class NotRegular(OSError):
    """PATH is a FIFO, a device or a socket (also through a symlink); the message says which."""


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def _check(mode: int, path: str | Path) -> None:
    if stat.S_ISDIR(mode):
        raise IsADirectoryError(21, "a folder, not a file", str(path))
    if not stat.S_ISREG(mode):
        raise NotRegular(_kind(mode))


@contextmanager
def open_regular(path: str | Path) -> Iterator[tuple[BinaryIO, int]]:
    """(the open file, its size) of the regular file PATH.

    Raises NotRegular, IsADirectoryError, FileNotFoundError or another OSError."""
    _check(os.stat(path).st_mode, path)  # before opening: opening a socket fails, a device may act
    # O_NONBLOCK: a FIFO put there since the stat opens at once instead of waiting for a writer.
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    try:
        info = os.fstat(fd)
        _check(info.st_mode, path)
    except BaseException:
        os.close(fd)
        raise
    with os.fdopen(fd, "rb") as file:
        yield file, info.st_size


def read_regular(path: str | Path, limit: int) -> bytes:
    """At most LIMIT + 1 bytes of the regular file PATH (one more than the limit tells the caller it was passed)."""
    with open_regular(path) as (file, _size):
        return file.read(limit + 1)


def sha256_regular(path: str | Path, limit: int) -> str | None:
    """The SHA-256 of the regular file PATH, or None when it cannot be read or is longer than LIMIT."""
    try:
        with open_regular(path) as (file, size):
            if size > limit:
                return None
            digest, left = hashlib.sha256(), limit + 1
            while left > 0 and (chunk := file.read(min(left, 2**20))):
                digest.update(chunk)
                left -= len(chunk)
    except OSError:
        return None
    return digest.hexdigest() if left > 0 else None


def read_settings(path: str | Path) -> str:
    """A settings file (rules, unit directory) as text: a regular file of at most MAX_SETTINGS bytes of UTF-8.

    Raises OSError (as open_regular, or EFBIG) or UnicodeDecodeError."""
    data = read_regular(path, MAX_SETTINGS)
    if len(data) > MAX_SETTINGS:
        raise OSError(errno.EFBIG, f"larger than {MAX_SETTINGS // 2**20} MB, far beyond a settings file")
    return data.decode("utf-8")
