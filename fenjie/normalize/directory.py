"""A unit directory (`--units FILE.toml`): canonical unit names, their aliases, and the groups they belong to.

    [units."市商务局"]
    aliases = ["济宁市商务局"]
    groups = ["市政府各部门、单位"]

A group is a collective name that a table gives rows to (市政府各部门、单位); a member unit's letter also
lists those rows. Groups are not nested: list every group a unit belongs to. A name used in `groups`
may be given aliases of its own with an entry of its own. See fenjie/data/units-jining.toml.

The directory's aliases join the rules' aliases (`with_directory`): one mapping, applied where unit cells
are split, so every output carries the canonical names; its groups become `units[].groups`.
"""

from __future__ import annotations

import dataclasses
import tomllib
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path

from fenjie.errors import BadUnits
from fenjie.files import read_settings
from fenjie.rules import ByContent, Rules

_ENTRY_KEYS = {"aliases", "groups"}


# By content, like Rules, so that the rules extended by a directory are made once per content of both.
@dataclass(frozen=True, eq=False)
class Directory(ByContent):
    units: tuple[str, ...] = ()  # canonical names in file order
    aliases: dict[str, str] = field(default_factory=dict)  # alias -> canonical name
    groups: dict[str, tuple[str, ...]] = field(default_factory=dict)  # unit -> the groups it belongs to

    def canonical(self, name: str) -> str:
        return self.aliases.get(name, name)

    def groups_of(self, name: str) -> tuple[str, ...]:
        return self.groups.get(self.canonical(name), ())


EMPTY = Directory()


def load_directory(path: str | Path | None) -> Directory:
    """The directory in PATH; no path is an empty directory (every name stands for itself). Made once per
    content of the file, like the rules: an edited file is read anew."""
    if path is None:
        return EMPTY
    try:
        text = read_settings(path)
    except OSError as error:
        raise BadUnits(f"cannot read the unit directory: {error.strerror or error}", path) from None
    except UnicodeDecodeError as error:
        raise BadUnits(f"not a TOML file: {error}", path) from None
    return _loaded(text, path)


@lru_cache(maxsize=16)  # keyed by the content: a few files, a few versions of one while it is edited
def _loaded(text: str, path: str | Path) -> Directory:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise BadUnits(f"not a TOML file: {error}", path) from None
    entries = data.get("units")
    if not isinstance(entries, dict) or set(data) - {"units"}:
        raise BadUnits('expected only a [units."NAME"] table per unit', path)
    return _directory(entries, path)


def _directory(entries: dict, path: str | Path) -> Directory:
    aliases: dict[str, str] = {}
    for name, entry in entries.items():
        if not name.strip():
            raise BadUnits('units."": a unit needs a name', path)
        if not isinstance(entry, dict):
            raise BadUnits(f'units."{name}": expected a table, like "{name}" = {{ aliases = ["..."] }}', path)
        if set(entry) - _ENTRY_KEYS:
            raise BadUnits(f'units."{name}": expected only the keys aliases and groups', path)
        for alias in _names(entry, "aliases", name, path):
            if alias in entries or aliases.setdefault(alias, name) != name:
                raise BadUnits(f'units."{name}": the alias {alias} already names another unit', path)
    groups = {
        name: tuple(dict.fromkeys(aliases.get(g, g) for g in _names(entry, "groups", name, path)))
        for name, entry in entries.items()
    }
    return Directory(units=tuple(entries), aliases=aliases, groups={n: g for n, g in groups.items() if g})


@cache
def with_directory(rules: Rules, directory: Directory) -> Rules:
    """RULES whose aliases also map the directory's aliases, and the rules' aliases on to canonical names."""
    if directory is EMPTY:
        return rules
    aliases = {alias: directory.canonical(name) for alias, name in rules.aliases.items()} | directory.aliases
    return dataclasses.replace(rules, aliases=aliases)


def _names(entry: dict, key: str, name: str, path: str | Path) -> list[str]:
    names = entry.get(key, [])
    if not isinstance(names, list) or not all(isinstance(n, str) and n.strip() for n in names):
        raise BadUnits(f'units."{name}".{key}: expected a list of names', path)
    return names
