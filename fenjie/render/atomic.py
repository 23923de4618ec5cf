"""Atomic writes: a reader of the output folder never sees a half-written file or a half-written folder."""

from __future__ import annotations

import errno
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

# Prefix of the files and folders still being written; whatever has it was left by a killed run.
STAGING = ".fenjie-"
# mkstemp makes 0600 files; outputs should get the permissions any new file of the user gets.
_UMASK = os.umask(0)
os.umask(_UMASK)


@contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """A temporary path next to `target`; renamed onto `target` only if the block succeeds."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=STAGING, suffix=target.suffix, dir=target.parent)
    os.close(fd)
    os.chmod(tmp, 0o666 & ~_UMASK)
    try:
        yield Path(tmp)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_bytes(target: Path, data: bytes) -> Path:
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)
    return target


@contextmanager
def staged_folder(folder: Path) -> Iterator[Path]:
    """An empty temporary folder next to FOLDER; put in FOLDER's place, whole, only if the block succeeds.

    On any failure the staging folder goes and FOLDER stays as it was."""
    with suppress(FileExistsError):  # a file in the way: mkdtemp says "Not a directory", which is clearer
        folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=STAGING, dir=folder.parent))
    os.chmod(staging, 0o777 & ~_UMASK)
    try:
        yield staging
        replace_folder(folder, staging)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def replace_folder(folder: Path, new: Path | None) -> None:
    """Put NEW (or nothing) at FOLDER. The old folder is moved aside first, so that a kill in between
    leaves no folder (the input is then redone) rather than a mix of two versions."""
    if folder.exists() and not folder.is_dir():  # an input named like its output folder (`x` with --out .)
        raise FileExistsError(errno.EEXIST, "a file, not an output folder, is in the way", str(folder))
    old = None
    if folder.exists():
        old = Path(tempfile.mkdtemp(prefix=STAGING, dir=folder.parent))
        os.replace(folder, old / "old")
    if new is not None:
        os.replace(new, folder)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
