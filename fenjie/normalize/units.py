"""Unit cells (牵头单位, 责任单位, 主送机关) -> ordered lists of unit names.

A cell is split at line breaks and at 、，,；;。 — but never inside brackets and never inside a
collective phrase of the rules (部门、单位, 县（市、区）). Names separated only by 、 form a run
(one clause of a sentence); the Chinese ellipses are undone within a run:

* shared suffix: 济宁高新区、太白湖新区管委会 -> 济宁高新区管委会, 太白湖新区管委会;
* level ellipsis: 市、县级政府办公室 -> 市政府办公室, 县级政府办公室.

Both are guesses, so they set `completed` for a person to check. All words come from `Rules`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from fenjie.extract.grid import Cell
from fenjie.rules import Rules

# 、 joins names of one run; the others also end the run, as a line break does.
_LIST_MARK = "、"
_RUN_ENDS = "，,；;。"
_OPENING = "（("
_CLOSING = "）)"
_SEPARATORS = re.compile(f"[{_LIST_MARK}{_RUN_ENDS}]")
_RUN_END = re.compile(f"[{_RUN_ENDS}]")
_BRACKETED_END = re.compile(r"[（(][^（()）]*[）)]$")
MAX_CONTINUATION = 3  # characters of a line that ends the name above it (监管局, 办公室)


@dataclass(frozen=True)
class Units:
    names: tuple[str, ...]  # ordered, de-duplicated unit names
    open: bool  # the list ended in 等 (any name had a trailing 等 removed)
    completed: bool  # some name was completed by rule, so a person should check it


def split_units(text: str | None, rules: Rules) -> Units:
    """The unit names in a cell; a cell of only white space or an empty mark (/, 无) has none."""
    return _split(text or "", rules)


# Unit cells repeat down a table (one 责任单位 list on many rows) and across an archive.
@lru_cache(maxsize=4096)
def _split(text: str, rules: Rules) -> Units:
    names: list[str] = []
    is_open = False
    runs, completed = _runs(text, rules)
    for run in runs:
        run, run_open = _strip_open_marks(run, rules)
        run = [name for name in run if name and name not in rules.empty]
        run, by_level = _undo_level_ellipsis(run, rules)
        run, by_suffix = _undo_shared_suffix(run, rules)
        names += run
        is_open |= run_open
        completed |= by_level or by_suffix
    names = [rules.aliases.get(name, name) for name in names]
    return Units(names=tuple(dict.fromkeys(names)), open=is_open, completed=completed)


def unit_text(cell: Cell | None, rules: Rules) -> str:
    """A unit cell's text. Where a reader of a fixed layout joined a line that was only nearly full to the
    next (`Cell.doubtful`), the line ends when it ends in an organ suffix and what follows is a name of its
    own: an organ of some place (it starts with a level or names a place, and ends in a suffix). So
    市文化和旅游局 filling a line of a PDF's cell and 市住房城乡建设局 below it are two names, while
    市人力资源社会 and 保障局 are one."""
    if cell is None:
        return ""
    if not cell.doubtful:  # every reader but the fixed-layout ones
        return cell.text
    lines = list(cell.lines)
    for line, at in sorted(cell.doubtful, reverse=True):
        before, after = lines[line][:at], lines[line][at:]
        name = re.split(f"[{_LIST_MARK}{_RUN_ENDS}\\s]", after, maxsplit=1)[0]
        if _ending(before, rules.suffixes) and _ending(name, rules.suffixes) and (
                _beginning(name, rules.levels) or any(place in name for place in rules.places)):
            lines[line] = before + "\n" + after
    return "\n".join(lines).strip()


def _runs(text: str, rules: Rules) -> tuple[list[list[str]], bool]:
    """The names of each run, white space removed, ellipses not yet undone; and whether white space was a guess."""
    runs: list[list[str]] = []
    guessed = False
    for line in joined_lines(text, rules).splitlines():
        line, spaced = _unspaced(line, rules)
        runs += _line_runs(line, rules)
        guessed |= spaced
    return runs, guessed


def _unspaced(line: str, rules: Rules) -> tuple[str, bool]:
    """The line without white space, which separates two names (市财政局 市教育局, as some tables write lists)
    and is also typed inside one (市 财 政 局, 济宁市 教育局). It separates names when a name of its own (a
    place with an organ suffix) stands before it and another after it (one, or a longer text that starts
    with a level: 市政府各部门); it joins otherwise. Both are guesses when a name stands before the space:
    the flag asks a person to check."""
    chunks = line.split()
    joined, guessed = chunks[0] if chunks else "", False
    for chunk in chunks[1:]:
        before, after = _SEPARATORS.split(joined)[-1], _SEPARATORS.split(chunk)[0]
        if _is_name(before, rules) and len(after) > 1:
            guessed = True
            starts_a_name = _is_name(after, rules) or len(after) >= 4 and _beginning(after, rules.levels)
            joined += _LIST_MARK if starts_a_name else ""
        joined += chunk
    return joined, guessed


def _is_name(piece: str, rules: Rules) -> bool:
    """A unit name on its own: something before an organ suffix (市财政局, not 办公室), brackets aside."""
    piece = _BRACKETED_END.sub("", piece)
    suffix = _ending(piece, rules.suffixes)
    return bool(suffix) and len(piece) >= 3 and len(piece) > len(suffix)


def joined_lines(text: str, rules: Rules) -> str:
    """The lines of a unit cell, stripped, with a line that continues the name above joined to it: one that
    starts with a bracket (区管委会办公室⏎（政策法规处）), is a bare organ suffix (区党工委⏎办公室), or ends a
    name the line above began (省食品药品⏎监管局: the line above ends in no organ, place or role word)."""
    lines: list[str] = []
    for line in (line.strip() for line in text.splitlines()):
        above = lines[-1] if lines else ""
        if above and line and above[-1] not in _LIST_MARK + _RUN_ENDS and (
                line[0] in _OPENING or line in rules.suffixes
                or (len(line) <= MAX_CONTINUATION and _ending(line, rules.suffixes)
                    and not _ending(above, _name_ends(rules)))):
            lines[-1] += line
        else:
            lines.append(line)
    return "\n".join(lines)


@cache
def _name_ends(rules: Rules) -> tuple[str, ...]:
    """What a complete name, or a phrase of roles, ends with."""
    words = (*rules.suffixes, *rules.places, *rules.unit_words, *rules.open_marks, *rules.empty,
             *(verb for verbs in rules.phrases.values() for verb in verbs), _CLOSING[0], _CLOSING[1])
    return tuple(sorted(set(words), key=len, reverse=True))


def _line_runs(line: str, rules: Rules) -> list[list[str]]:
    has_collective = _one_of(rules.collectives).search(line) is not None
    if not has_collective and not any(bracket in line for bracket in _OPENING + _CLOSING):
        # Most lines: no bracket and no collective phrase hides a separator, so each separator counts.
        return [run.split(_LIST_MARK) for run in _RUN_END.split(line)]
    runs: list[list[str]] = [[]]
    name: list[str] = []
    depth = 0
    at = 0
    while at < len(line):
        collective = _collective_at(line, at, rules) if depth == 0 and has_collective else None
        if collective:
            name.append(collective)
            at += len(collective)
            continue
        char = line[at]
        at += 1
        if char in _OPENING:
            depth += 1
        elif char in _CLOSING:
            depth = max(depth - 1, 0)  # a stray closing bracket must not hide later separators
        elif depth == 0 and (char == _LIST_MARK or char in _RUN_ENDS):
            runs[-1].append("".join(name))
            name = []
            if char in _RUN_ENDS:
                runs.append([])
            continue
        name.append(char)
    runs[-1].append("".join(name))
    return runs


def _collective_at(line: str, at: int, rules: Rules) -> str | None:
    found = _one_of(rules.collectives).match(line, at)
    return found.group() if found else None


@cache
def _one_of(words: tuple[str, ...]) -> re.Pattern[str]:
    # Called for every character of every unit cell: one compiled pattern instead of a loop over the words.
    # The words are longest first and alternation takes the first that matches, so 县、市、区 wins over 市、区.
    return re.compile("|".join(map(re.escape, words)) or "(?!)")


def _strip_open_marks(run: list[str], rules: Rules) -> tuple[list[str], bool]:
    """The run without trailing 等 marks, and whether any name had one."""
    stripped = [_strip_open_mark(name, rules) for name in run]
    return stripped, stripped != run


def _strip_open_mark(name: str, rules: Rules) -> str:
    mark = _ending(name, rules.open_marks)
    while mark:  # 等等 is still one open mark
        name = name[: -len(mark)]
        mark = _ending(name, rules.open_marks)
    return name


def _undo_level_ellipsis(run: list[str], rules: Rules) -> tuple[list[str], bool]:
    """市、县级政府办公室: a bare level takes what follows the next name's own level.

    Right to left, so that in 省、市、县级政府办公室 市 is completed before 省 borrows from it.
    """
    run = list(run)
    completed = False
    for i in range(len(run) - 2, -1, -1):
        following = run[i + 1]
        level = _beginning(following, rules.levels)
        if run[i] in rules.levels and level and len(following) > len(level):
            run[i] += following[len(level):]
            completed = True
    return run, completed


def _undo_shared_suffix(run: list[str], rules: Rules) -> tuple[list[str], bool]:
    """济宁高新区、太白湖新区管委会: the last name lends its organ suffix to places without one.

    Only a last name that is itself a place plus a suffix lends it: the list is then parallel
    (区、区、区管委会), while in 济宁高新区、市财政局 the 局 belongs to 市财政 alone.
    """
    suffix = _ending(run[-1], rules.suffixes) if run else None
    if not suffix or not _ending(run[-1][: -len(suffix)], rules.places):
        return run, False
    lent = [
        name + suffix if not _ending(name, rules.suffixes) and _ending(name, rules.places) else name
        for name in run[:-1]
    ]
    return lent + run[-1:], lent != run[:-1]


def _ending(name: str, words: tuple[str, ...]) -> str | None:
    """The longest of `words` that `name` ends with (the rules keep words longest first)."""
    if not name.endswith(words):  # one C call answers the usual case, no word at all
        return None
    return next(w for w in words if name.endswith(w))


def _beginning(name: str, words: tuple[str, ...]) -> str | None:
    if not name.startswith(words):
        return None
    return next(w for w in words if name.startswith(w))

