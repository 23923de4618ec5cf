"""Text helpers shared by the readers, the normalizer, the writers and the ledger."""

from __future__ import annotations


def squash(text: str) -> str:
    """TEXT without any white space: for comparing texts that a layout broke or spaced differently
    (完成 时限, 完成\\n时限 and 完成时限 are one header; 索 引 号 is 索引号)."""
    return "".join(text.split())


def one_spaced(text: str) -> str:
    """TEXT with each run of white space as one space and none at either end (a number written 1 . 2)."""
    return " ".join(text.split())


def is_wide(char: str) -> bool:
    """Whether CHAR is a wide character: CJK, its punctuation and the full-width forms (not the empty string)."""
    return bool(char) and ord(char) >= 0x2E80
