"""File names that are safe on Windows, macOS and Linux, made from unit names."""

from __future__ import annotations

import re

# Characters Windows forbids in a name, replaced by their full-width forms so that a Chinese name stays readable.
_FULL_WIDTH = str.maketrans('\\/:*?"<>|', "＼／：＊？＂＜＞｜")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_RESERVED = re.compile(r"^(con|prn|aux|nul|com\d|lpt\d)$", re.IGNORECASE)
MAX_STEM = 60  # characters of the unit name; well within the 255 of a name and the 260 of a Windows path


def safe_stem(name: str) -> str:
    """NAME as a file name stem: no forbidden or control characters, no trailing dot or space, capped."""
    stem = _CONTROL.sub("", name.translate(_FULL_WIDTH)).strip()[:MAX_STEM].rstrip(". ")
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
