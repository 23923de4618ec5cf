"""Roles written in words: "X牵头，Y、Z配合落实", "由X负责", "X（牵头）、Y", "牵头：X 配合：Y", "X为牵头单位".

A unit cell (or a prose item's parenthesis or label line) may say who leads and who shares the work
instead of listing names under a header that says it. `read_roles` reads such a phrase into unit names
by role, in the order written; the verbs go. Every word comes from the rules: the verbs of `[phrases]`
(lead, responsible, and shared — 按职责分工负责 names the leads unless a lead came before) and the
header words of `[roles]` for labels (牵头单位：…) and bracket marks (X（牵头）).

Clauses split at ，；。 and line breaks outside brackets. A clause of names without a verb waits for the
next verb (X，Y牵头 — both lead); names no verb ever claims are responsible when a phrase named a role,
else they are left to the caller (`unmarked`), which gives them the column's role.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache, lru_cache

from fenjie.normalize.units import Units, joined_lines, split_units
from fenjie.rules import Rules

UNIT_ROLES = ("lead", "responsible")
_OPENING, _CLOSING = "（(", "）)"
_CLAUSE_ENDS = "，,；;。\n"
_PREFIXES = ("由", "请")  # 由X负责: the word before the names goes with the verb
_MAX_DUTY = 30  # characters after a verb that say what the unit does (X负责法制审查工作)
MIN_UNIT_NAME = 3  # characters: 市财政局; shorter pieces ending in 局 or 区 are words, not units


@dataclass(frozen=True)
class Phrase:
    """Unit names by role, in the order written, and what else the phrase said. Shared by every reader of
    the same text (cached), so it cannot be changed."""

    parts: tuple[tuple[str | None, Units], ...] = ()  # (lead/responsible/None, names)
    verbs: bool = False  # a verb, label or bracket mark named a role
    unread: tuple[str, ...] = ()  # text that named no unit (a verb's duty, a lone verb)
    first_leads: bool = False  # the phrase states that the first unit of a list leads (列第一位者为牵头单位)

    def names(self, role: str | None) -> list[str]:
        """The names given ROLE (None: names no role word claimed), in order, de-duplicated."""
        return list(dict.fromkeys(n for r, units in self.parts if r == role for n in units.names))

    def is_open(self, role: str | None) -> bool:
        return any(units.open for r, units in self.parts if r == role)

    def completed(self, role: str | None) -> bool:
        return any(units.completed for r, units in self.parts if r == role)

    def all_names(self) -> Units:
        """Every name in the order written, whatever its role (a responsible column beside a lead column)."""
        names = tuple(dict.fromkeys(n for _, units in self.parts for n in units.names))
        return Units(names, any(u.open for _, u in self.parts), any(u.completed for _, u in self.parts))


@dataclass
class _Draft:
    """A phrase being read."""

    parts: list[tuple[str | None, Units]] = field(default_factory=list)
    verbs: bool = False
    unread: list[str] = field(default_factory=list)
    first_leads: bool = False

    def has_lead(self) -> bool:
        return any(role == "lead" and units.names for role, units in self.parts)


def read_roles(text: str | None, rules: Rules) -> Phrase:
    """The roles written in TEXT. Without any role word every name is unmarked (role None)."""
    return _read(text or "", rules)


@lru_cache(maxsize=4096)  # unit cells repeat down a table
def _read(text: str, rules: Rules) -> Phrase:
    phrase = _Draft()
    labels = list(_labels(rules).finditer(text))
    if labels:
        before = text[: labels[0].start()]
        if before.strip():
            _read_clauses(before, phrase, rules)
        for i, label in enumerate(labels):
            end = labels[i + 1].start() if i + 1 < len(labels) else len(text)
            role = _label_role(label.group(1), rules)
            inner = _read(text[label.end():end], rules)  # 责任单位：X牵头，Y配合 reads like the phrase
            phrase.first_leads |= inner.first_leads
            if inner.verbs:
                phrase.parts += inner.parts
                phrase.unread += inner.unread
            else:
                phrase.parts += [(role, units) for _, units in inner.parts]
        phrase.verbs = True
    else:
        _read_clauses(text, phrase, rules)
    return Phrase(tuple(phrase.parts), phrase.verbs, tuple(phrase.unread), phrase.first_leads)


def first_unit_leads(paragraphs: list[str], rules: Rules) -> bool:
    """Whether the notice says that the first unit of each list leads (列第一位的责任单位为牵头单位)."""
    return any(word in text and "牵头" in text[text.index(word):] for text in paragraphs for word in rules.first_leads)


def looks_like_units(text: str, rules: Rules) -> bool:
    """Whether every name TEXT gives (role words set aside) is a unit: it ends in an organ suffix or a place
    word, or is a collective. For deciding a column by its cells."""
    names = read_roles(text, rules).all_names().names
    ends = (*rules.suffixes, *rules.places, *rules.unit_words)
    return bool(names) and all(
        len(name) >= MIN_UNIT_NAME and _BRACKET_END.sub("", name).endswith(ends) for name in names)


def _read_clauses(text: str, phrase: _Draft, rules: Rules) -> None:
    pending: list[str] = []  # names whose verb comes in a later clause
    for clause in _clauses(joined_lines(text, rules)):
        if any(word in clause for word in rules.first_leads):  # a rule about the lists, naming no unit
            phrase.first_leads = True
            continue
        if clause in rules.asides:
            continue
        role, names, duty = _verb(clause, rules)
        if duty:
            phrase.unread.append(duty)
        if role is None:
            marked = _bracket_marks(names, rules)
            if marked is None:
                pending.append(names)
                continue
            if pending:
                phrase.parts.append((None, split_units("、".join(pending), rules)))
                pending = []
            phrase.verbs = True
            phrase.parts += [(r, split_units(n, rules)) for r, n in marked]
            continue
        phrase.verbs = True
        if role == "shared":  # 按职责分工负责: the leads, unless a lead was named before
            role = "responsible" if phrase.has_lead() else "lead"
        if not names and not pending:  # a verb that names no one
            phrase.unread.append(clause)
            continue
        # Names whose verb comes later take it (社会事业处⏎负责; X，Y牵头).
        phrase.parts.append((role, split_units("、".join([*pending, names]), rules)))
        pending = []
    if pending:
        phrase.parts.append(("responsible" if phrase.verbs else None, split_units("、".join(pending), rules)))
    if phrase.verbs:  # names left unmarked in a phrase of roles share the work
        phrase.parts = [("responsible" if r is None else r, units) for r, units in phrase.parts]


def _clauses(text: str) -> list[str]:
    """Clauses split at ，；。 and line breaks outside brackets (white space inside may separate names)."""
    return [c for c in (c.strip() for c in _split_outside_brackets(text, _CLAUSE_ENDS)) if c]


def _verb(clause: str, rules: Rules) -> tuple[str | None, str, str]:
    """(role of the clause's verb, the names before it, what follows the verb); role None without a verb."""
    for prefix in _PREFIXES:
        if clause.startswith(prefix) and _verb_at(clause, rules):
            clause = clause[len(prefix):]
            break
    found = _verb_at(clause, rules)
    if found is None:
        return None, clause, ""
    role, start, end = found
    return role, clause[:start], clause[end:]


def _verb_at(clause: str, rules: Rules) -> tuple[str, int, int] | None:
    """A verb that ends the clause, or that only a short duty follows (X负责法制审查工作)."""
    match = _verbs(rules).search(clause)
    if match is None:
        return None
    if match.end() != len(clause):
        tail = _verbs(rules).search(clause, match.end())
        while tail is not None:  # the last verb of the clause, if it ends it
            if tail.end() == len(clause):
                match = tail
                break
            tail = _verbs(rules).search(clause, tail.end())
        if match.end() != len(clause) and (len(clause) - match.end() > _MAX_DUTY
                                             or not clause[: match.start()].endswith(rules.suffixes)):
            return None
    return _verb_role(match.group(), rules), match.start(), match.end()


def _bracket_marks(names: str, rules: Rules) -> list[tuple[str, str]] | None:
    """X（牵头）、Y: names split at 、 with their roles (a bracket holding a verb or a role word marks the
    name before it; the others are responsible); None when no bracket marks a role."""
    parts = _split_outside_brackets(names, "、")
    marked: list[tuple[str, str]] = []
    found = False
    for part in parts:
        match = _BRACKET_END.search(part)
        role = _mark_role(match.group(1), rules) if match else None
        if role:
            found = True
            marked.append((role, part[: match.start()]))
        else:
            marked.append(("responsible", part))
    return marked if found else None


_BRACKET_END = re.compile(r"[（(]([^（()）]{1,8})[）)]$")  # X（牵头）; 区农业中心（区供销社）


def _split_outside_brackets(text: str, separators: str) -> list[str]:
    """TEXT cut at each of SEPARATORS that stands outside brackets."""
    if not any(bracket in text for bracket in _OPENING + _CLOSING):  # most texts: every separator cuts
        return _any_of(separators).split(text)
    parts, depth, start = [], 0, 0
    for i, char in enumerate(text):
        if char in _OPENING:
            depth += 1
        elif char in _CLOSING:
            depth = max(0, depth - 1)
        elif depth == 0 and char in separators:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return parts


def _mark_role(word: str, rules: Rules) -> str | None:
    if _verbs(rules).fullmatch(word):
        role = _verb_role(word, rules)
        return "lead" if role == "shared" else role
    return _label_role(word, rules) if any(word in words for words in rules.roles.values()) else None


def _verb_role(word: str, rules: Rules) -> str:
    return next(role for role, words in rules.phrases.items() if word in words)


def _label_role(word: str, rules: Rules) -> str | None:
    """The unit role a label names (牵头单位 -> lead, 配合 -> responsible), by the header words."""
    best = None
    for role in UNIT_ROLES:
        for header_word in rules.roles.get(role, ()):
            if header_word in word and (best is None or len(header_word) > best[0]):
                best = (len(header_word), role)
    return best[1] if best else None


@cache
def _any_of(characters: str) -> re.Pattern[str]:
    return re.compile(f"[{re.escape(characters)}]")


@cache
def _verbs(rules: Rules) -> re.Pattern[str]:
    words = sorted({w for words in rules.phrases.values() for w in words}, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, words)) or "(?!)")


@cache
def _labels(rules: Rules) -> re.Pattern[str]:
    """A unit label and its colon at the start of the text or after a separator: 牵头单位： 配合："""
    words = sorted({w for role in UNIT_ROLES for w in rules.roles.get(role, ())}, key=len, reverse=True)
    return re.compile(r"(?:^|(?<=[\s，,；;。]))(" + "|".join(map(re.escape, words)) + r")\s*[：:]")
