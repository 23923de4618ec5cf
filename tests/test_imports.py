"""A command imports what it uses and no more, and fenjie's modules import each other without a circle.

Importing costs a short command more than its work (issue 8: the whole `convert --only json` within 3.5x a
bare `import zipfile, lxml.etree`), so the heavy packages of other outputs and commands are imported where
they are used. These tests check which modules a run loaded, not how long it took.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys

from conftest import ROOT, SEED_DOCX

# Packages of the other outputs (xlsx, letters, PDF), of other input formats, of serve, batch --executor dask
# and batch's progress bar.
ELSEWHERE = {"openpyxl", "docxtpl", "docx", "jinja2", "pypdf", "pdfplumber", "pdfminer", "olefile",
             "charset_normalizer", "fastapi", "starlette", "uvicorn", "dask", "distributed", "rich"}

LOADED = "import json, sys; print(json.dumps(sorted({name.split('.')[0] for name in sys.modules})))"


def loaded_by(code: str) -> set[str]:
    """The top-level packages loaded once CODE has run in a fresh interpreter."""
    result = subprocess.run([sys.executable, "-c", f"{code}\n{LOADED}"], capture_output=True, text=True,
                            encoding="utf-8", cwd=ROOT, timeout=120)
    assert result.returncode == 0, result.stderr
    return set(json.loads(result.stdout.splitlines()[-1]))


def test_convert_only_json_loads_no_other_output():
    loaded = loaded_by(f"import contextlib, io, sys\nsys.argv = ['fenjie', 'convert', {str(SEED_DOCX)!r}, "
                       "'--only', 'json', '--out', '-']\nfrom fenjie.cli import app\n"
                       "with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):\n"
                       "    app()")
    assert "lxml" in loaded and "fenjie" in loaded  # it did convert
    assert not loaded & (ELSEWHERE | {"pydantic", "pydantic_core"})  # nothing from outside is checked


def test_the_library_converts_without_pydantic():
    """The pipeline builds the model without checks (pydantic checks data from outside only)."""
    loaded = loaded_by(f"import fenjie\nfrom fenjie.render.json import dumps\n"
                       f"dumps(fenjie.convert({str(SEED_DOCX)!r}))")
    assert "lxml" in loaded
    assert not loaded & (ELSEWHERE | {"pydantic", "pydantic_core", "click"})


def module_imports() -> dict[str, set[str]]:
    """fenjie's modules and the fenjie modules each imports when it is imported (not those its functions import
    when called, nor those imported for type checking only)."""
    modules = {}
    for path in (ROOT / "fenjie").rglob("*.py"):
        parts = path.relative_to(ROOT).with_suffix("").parts
        modules[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        targets: set[str] = set()
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.Import):
                targets |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom):  # fenjie imports absolutely: `from fenjie.x import y`
                targets |= {node.module} | {f"{node.module}.{alias.name}" for alias in node.names}
        graph[name] = {target for target in targets if target in modules and target != name}
    return graph


def test_no_import_circle():
    graph = module_imports()
    assert {"fenjie.pipeline", "fenjie.batch", "fenjie.cli", "fenjie.normalize"} <= set(graph)
    state: dict[str, str] = {}

    def visit(name: str, trail: list[str]) -> None:
        state[name] = "open"
        for target in sorted(graph[name]):
            assert state.get(target) != "open", f"import circle: {' -> '.join(trail[trail.index(target):] + [target])}"
            if target not in state:
                visit(target, [*trail, target])
        state[name] = "done"

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
