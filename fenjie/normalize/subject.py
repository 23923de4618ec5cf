"""What a notice is about (`notice.subject`), the words a letter's title and opening are made of.

2024年政务公开工作 from the table title …2024年山东省政务公开工作要点任务分解表: the year, then the text
after the title's own year, without the kinds of list at its end (rules [subject] table_kinds) and
without a leading region name (山东省). Without a table title, the notice title serves, without its
opening (关于印发) and its 的 + 文种.
"""

from __future__ import annotations

from fenjie.rules import Rules


def subject_of(title: str | None, table_title: str | None, year: int | None, rules: Rules) -> str:
    text = table_title or _notice_topic(title or "", rules)
    prefix = f"{year}年" if year else ""
    if prefix:
        text = text.partition(prefix)[2] or text
    return prefix + _without_region(_without_kinds(text, rules.table_kinds), rules.regions)


def _notice_topic(title: str, rules: Rules) -> str:
    title = title.removeprefix(next((o for o in rules.notice_openings if title.startswith(o)), ""))
    kind = next((k for k in rules.document_kinds if title.endswith("的" + k)), None)
    return title[: -len(kind) - 1] if kind else title


def _without_kinds(text: str, kinds: tuple[str, ...]) -> str:
    kind = next((k for k in kinds if text.endswith(k) and len(text) > len(k)), None)
    return _without_kinds(text[: -len(kind)], kinds) if kind else text


def _without_region(text: str, regions: tuple[str, ...]) -> str:
    """山东省政务公开 -> 政务公开: a region is a short name (2 to 8 characters) ending in a region word."""
    for length in range(2, min(9, len(text) - 1)):
        if text[:length].endswith(regions):
            return text[length:]
    return text
