"""Vocabulary that varies by place: header roles and unit words, read from TOML data files."""

from __future__ import annotations

import hashlib
import json
import tomllib
from dataclasses import dataclass, field, fields
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path

from fenjie.data import toml_key
from fenjie.errors import BadRules
from fenjie.files import read_settings
from fenjie.model import ROLES


class ByContent:
    """A frozen dataclass (eq=False) equal and hashed by the SHA-256 of its fields, computed once when it is
    made (also by dataclasses.replace), the same in every process: memo caches key on it cheaply, and one
    made again from an edited file never meets the entries of the old one."""

    def __post_init__(self) -> None:
        content = json.dumps({f.name: getattr(self, f.name) for f in fields(self)}, ensure_ascii=False,
                             default=sorted)  # a set's words in sorted order
        object.__setattr__(self, "_digest", hashlib.sha256(content.encode()).hexdigest())

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other._digest == self._digest

    def __hash__(self) -> int:
        return hash(self._digest)


# By content: the memo caches of normalize (units, roles, deadlines) key on the rules.
@dataclass(frozen=True, eq=False)
class Rules(ByContent):
    roles: dict[str, tuple[str, ...]]
    suffixes: tuple[str, ...]
    places: tuple[str, ...]
    levels: tuple[str, ...]
    collectives: tuple[str, ...]
    empty: frozenset[str]
    document_kinds: tuple[str, ...]  # 文种 words a notice title ends with
    title_openings: tuple[str, ...]  # 关于, 印发: where a title starts
    aliases: dict[str, str] = field(default_factory=dict)
    open_marks: tuple[str, ...] = ()  # trailing 等: the unit list is open
    ongoing: tuple[str, ...] = ()  # deadline words for ongoing work
    recurring: tuple[str, ...] = ()  # deadline words for repeating work
    spans: tuple[str, ...] = ()  # deadline words for a whole year (全年): no date beside an ongoing word
    phrases: dict[str, tuple[str, ...]] = field(default_factory=dict)  # role -> verbs of a phrase of roles
    first_leads: tuple[str, ...] = ()  # words of a notice saying the first unit of a list leads
    asides: frozenset[str] = frozenset()  # clauses of a phrase that say nothing of units (下同)
    together: tuple[str, ...] = ()  # X会同Y负责: X leads, Y shares
    after_etc: tuple[str, ...] = ()  # X等有关部门: 有关部门 is a unit of its own
    unit_words: tuple[str, ...] = ()  # words that end a name of units in general (单位, 处室)
    table_kinds: tuple[str, ...] = ()  # kinds of list cut from the end of a subject (任务分解表)
    regions: tuple[str, ...] = ()  # words that end a region name at the start of a subject (省)
    notice_openings: tuple[str, ...] = ()  # title openings dropped from a subject (关于印发)


def _merge(base: dict, extra: dict, where: str = "") -> dict:
    """BASE extended by EXTRA: lists are added to, tables merged key by key. Every value the shipped
    rules hold is a list of words (a new key of a table too), but units.aliases, a table of names;
    a value of another kind is a TypeError naming its key."""
    out = dict(base)
    for key, value in extra.items():
        known, name = out.get(key), toml_key(where, key)
        if isinstance(known, dict):
            if not isinstance(value, dict):
                raise TypeError(f"{name} must be a table, like [{name}]")
            out[key] = _aliases(value, name) if name == "units.aliases" else _merge(known, value, name)
        elif isinstance(known, list) or where:
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                # A string here would be read as a list of its characters.
                raise TypeError(f"{name} must be a list of words, like {toml_key('', key)} = [\"...\"]")
            out[key] = (known or []) + [v for v in value if v not in (known or [])]
        else:  # a table fenjie does not know: kept, never read
            out[key] = value
    return out


def _aliases(aliases: dict, where: str) -> dict:
    for alias, name in aliases.items():
        if not isinstance(name, str) or not name.strip():
            raise TypeError(f"{toml_key(where, alias)} must be the unit's name, like "
                            f"{toml_key('', alias)} = \"市发展改革委\"")
    return aliases


def _by_length(words) -> tuple[str, ...]:
    # Longest first, so that 管委会 is tried before 会.
    return tuple(sorted(dict.fromkeys(words), key=len, reverse=True))


def load(extra: Path | None = None) -> Rules:
    """The shipped rules, extended by the user's TOML file when one is given.

    Made once per content of the file, not per path: a long-lived process (a Dask worker, serve) that is
    asked again after the file was edited reads the edited file."""
    if extra is None:
        return _shipped()
    try:
        text = read_settings(extra)
    except OSError as error:
        raise BadRules(f"cannot read the rules: {error.strerror or error}", extra) from None
    except UnicodeDecodeError as error:
        raise BadRules(f"not a TOML file: {error}", extra) from None
    return _extended(text, extra)


@cache
def _shipped_toml() -> dict:
    """The shipped rules.toml, parsed (read only: `_merge` copies what it extends)."""
    return tomllib.loads(resources.files("fenjie.data").joinpath("rules.toml").read_text("utf-8"))


@cache
def _shipped() -> Rules:
    return _rules(_shipped_toml())


@lru_cache(maxsize=16)  # keyed by the content: a few files, a few versions of one while it is edited
def _extended(text: str, extra: Path) -> Rules:
    try:
        data = _merge(_shipped_toml(), tomllib.loads(text))
    except TypeError as error:
        raise BadRules(str(error), extra) from None
    except tomllib.TOMLDecodeError as error:
        raise BadRules(f"not a TOML file: {error}", extra) from None
    unknown = sorted(set(data.get("roles", {})) - set(ROLES))
    if unknown:
        raise BadRules(f"[roles] has no role {', '.join(unknown)} (roles: {', '.join(ROLES)})", extra)
    try:
        return _rules(data)
    except (AttributeError, KeyError, TypeError) as error:
        raise BadRules(f"a key of the shipped rules has a value of another kind ({error})", extra) from None


def _rules(data: dict) -> Rules:
    units = data["units"]
    return Rules(
        roles={role: _by_length(words) for role, words in data["roles"].items()},
        suffixes=_by_length(units["suffixes"]),
        places=_by_length(units["places"]),
        levels=_by_length(units["levels"]),
        collectives=_by_length(units["collectives"]),
        empty=frozenset(units["empty"]),
        document_kinds=_by_length(data["notice"]["kinds"]),
        title_openings=tuple(data["notice"]["openings"]),
        aliases=dict(units.get("aliases", {})),
        open_marks=_by_length(units["open_marks"]),
        ongoing=_by_length(data["deadlines"]["ongoing"]),
        recurring=_by_length(data["deadlines"]["recurring"]),
        spans=_by_length(data["deadlines"]["spans"]),
        table_kinds=_by_length(data["subject"]["table_kinds"]),
        regions=tuple(data["subject"]["regions"]),
        notice_openings=_by_length(data["subject"]["notice_openings"]),
        phrases={role: _by_length(words) for role, words in data["phrases"].items()
                 if role not in ("first_leads", "asides")},
        first_leads=_by_length(data["phrases"]["first_leads"]),
        asides=frozenset(data["phrases"]["asides"]),
        together=_by_length(data["prose"]["together"]),
        after_etc=_by_length(data["prose"]["after_etc"]),
        unit_words=_by_length(units["unit_words"]),
    )
