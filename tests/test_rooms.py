"""The rooms depend downward only (readers -> the Grid -> the normalizer -> the Document -> writers): a reader
knows no notice and no output, the normalizer no output and no command, and `fenjie/text.py` nothing of fenjie.
Imports inside functions count too. (That writers import nothing from normalize or rules is test_letters'.)"""

from __future__ import annotations

import ast

import pytest
from conftest import ROOT


def rooms_imported(room: str) -> set[str]:
    """The rooms (fenjie.x) that the modules of ROOM import, anywhere in them, other than ROOM itself."""
    paths = [ROOT / "fenjie" / f"{room}.py"] if (ROOT / "fenjie" / f"{room}.py").exists() \
        else list((ROOT / "fenjie" / room).rglob("*.py"))
    names: set[str] = set()
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                names.add(node.module)
            elif isinstance(node, ast.Import):
                names |= {alias.name for alias in node.names}
    return {".".join(name.split(".")[:2]) for name in names if name.startswith("fenjie.")} - {f"fenjie.{room}"}


@pytest.mark.parametrize(("room", "allowed"), [
    ("extract", {"fenjie.data", "fenjie.errors", "fenjie.model", "fenjie.text"}),
    ("normalize", {"fenjie.errors", "fenjie.extract", "fenjie.files", "fenjie.model", "fenjie.rules", "fenjie.text"}),
    ("text", set()),
])
def test_a_room_imports_only_the_rooms_below_it(room, allowed):
    assert rooms_imported(room) <= allowed
