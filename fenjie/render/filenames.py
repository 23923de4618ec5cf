"""File and folder names that are safe on Windows, macOS and Linux, made from unit names and input names."""

from __future__ import annotations

import re
from pathlib import Path, PurePath

# Characters Windows forbids in a name, replaced by their full-width forms so that a Chinese name stays readable.
_FULL_WIDTH = str.maketrans('\\/:*?"<>|', "＼／：＊？＂＜＞｜")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_RESERVED = re.compile(r"^(con|prn|aux|nul|com\d|lpt\d)$", re.IGNORECASE)
MAX_STEM = 60  # characters of the unit name; well within the 255 of a name and the 260 of a Windows path


def safe_stem(name: str, limit: int | None = MAX_STEM) -> str:
    """NAME as a file name stem: no forbidden or control characters, no trailing dot or space, capped at LIMIT."""
    stem = _CONTROL.sub("", name.translate(_FULL_WIDTH)).strip()[:limit].rstrip(". ")
    if not stem:
        return "_"
    if _RESERVED.match(stem.split(".")[0]):  # CON.docx is as reserved as CON
        return "_" + stem
    return stem


def numbered_names(names: list[str], suffix: str) -> list[str]:
    """`NN-<safe name><suffix>` for each name in order. The number makes every name distinct, also when
    two names are equal once made safe, and Windows compares names ignoring case."""
    width = max(2, len(str(len(names))))
    return [f"{n:0{width}d}-{safe_stem(name)}{suffix}" for n, name in enumerate(names, 1)]


def folder_name(name: str) -> str:
    """NAME as one folder name: safe as a file name, never empty, `.`, `..` or hidden (`.x` becomes `_x`)."""
    safe = safe_stem(name, None)
    return "_" + safe[1:] if safe.startswith(".") else safe


def output_folder(out: Path, relative: str) -> Path:
    """OUT/<RELATIVE>, every part of RELATIVE made a safe folder name: the one place an input's output
    folder is named, and it can only name a folder inside OUT (no part is empty, `.` or `..`)."""
    parts = [folder_name(part) for part in re.split(r"[\\/]+", relative) if part] or ["_"]
    return out.joinpath(*parts)


def folder_names(inputs: list[PurePath]) -> list[str]:
    """One distinct folder name per input of `fenjie convert`: its stem; its name (a.docx -> a_docx) when
    another input has the same stem; then -2, -3, ... while two are still equal (dup/a/x.docx and dup/b/x.docx).
    Names are compared ignoring case, as Windows and macOS do."""
    stems = [folder_name(path.stem).casefold() for path in inputs]
    wanted = [folder_name(path.stem) if stems.count(stem) == 1 else folder_name(path.name.replace(".", "_"))
              for path, stem in zip(inputs, stems, strict=True)]
    taken: set[str] = set()
    names = []
    for name in wanted:
        unique, n = name, 1
        while unique.casefold() in taken:
            n += 1
            unique = f"{name}-{n}"
        taken.add(unique.casefold())
        names.append(unique)
    return names
