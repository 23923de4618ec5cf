"""fenjie's data files: the words that vary by place, each read once into a typed object.

`words(FILE, KIND)` builds KIND, a frozen dataclass, from fenjie/data/FILE: a table is a nested dataclass
(its keys fixed) or a `dict[str, X]` (its keys free: codes, marks, columns); a list is a tuple. A key that
is missing, unknown or of another kind is `BadData` naming the file and the key, so that an edited data
file fails where it is read, never as a KeyError deep in a writer.
"""

from __future__ import annotations

import dataclasses
import json
import re
import tomllib
from functools import cache
from importlib import resources
from types import UnionType
from typing import Any, TypeVar, Union, get_args, get_origin, get_type_hints

from fenjie.errors import BadData

T = TypeVar("T")
_KINDS = {str: "text", int: "a whole number", bool: "true or false", float: "a number"}


@cache
def words(file: str, kind: type[T]) -> T:
    """fenjie/data/FILE as KIND, read once per process."""
    path = resources.files("fenjie.data").joinpath(file)
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise BadData(f"not a TOML file: {error}", f"fenjie/data/{file}") from None
    return typed(data, kind, "", f"fenjie/data/{file}")


def typed(value: Any, kind: Any, key: str, file: str) -> Any:
    """VALUE (read from KEY of FILE) as KIND: a dataclass, dict[str, X], tuple[X, ...], frozenset[X],
    X | None, str, int, float or bool."""
    origin, args = get_origin(kind), get_args(kind)
    if dataclasses.is_dataclass(kind):
        return _dataclass(value, kind, key, file)
    if origin in (Union, UnionType):  # X | None: the key may be left out
        return None if value is None else typed(value, next(a for a in args if a is not type(None)), key, file)
    if origin is dict:
        _expect(isinstance(value, dict), "a table", key, file)
        return {k: typed(v, args[1], toml_key(key, k), file) for k, v in value.items()}
    if origin in (tuple, frozenset):
        _expect(isinstance(value, list), "a list", key, file)
        return origin(typed(v, args[0], f"{key}[{i}]", file) for i, v in enumerate(value))
    _expect(type(value) is kind or (kind is float and type(value) is int), _KINDS[kind], key, file)
    return value


def _dataclass(value: Any, kind: type, key: str, file: str) -> Any:
    _expect(isinstance(value, dict), "a table", key, file)
    hints = get_type_hints(kind)
    fields = {f.name: f for f in dataclasses.fields(kind) if f.init}
    if unknown := [k for k in value if k not in fields]:
        raise BadData(f"{toml_key(key, unknown[0])}: no such key (the keys of {key or 'the file'}: "
                      f"{', '.join(fields)})", file)
    if missing := [name for name, f in fields.items() if name not in value and f.default is dataclasses.MISSING
                   and f.default_factory is dataclasses.MISSING]:
        raise BadData(f"{toml_key(key, missing[0])}: missing", file)
    return kind(**{name: typed(v, hints[name], toml_key(key, name), file) for name, v in value.items()})


def _expect(ok: bool, what: str, key: str, file: str) -> None:
    if not ok:
        raise BadData(f"{key or 'the file'}: expected {what}", file)


def toml_key(where: str, key: str) -> str:
    """KEY under the dotted key WHERE, as a user writes it: quoted unless it is a bare key."""
    bare = key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else json.dumps(key, ensure_ascii=False)
    return f"{where}.{bare}" if where else bare
