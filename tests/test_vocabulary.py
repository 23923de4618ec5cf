"""Closed vocabularies (issue 8 item 3): column roles, warning codes and `inferred` marks.

One list per vocabulary, in `fenjie/model.py`; the published schema enumerates it, the README lists it,
the web page and tasks.xlsx label every word, and the code base produces no word outside it.
"""

from __future__ import annotations

import json
import re
import tomllib

import pytest
from conftest import ROOT
from jsonschema import Draft202012Validator

import fenjie
from fenjie.model import INFERRED, ROLES, WARNING_CODES

PUBLISHED = json.loads((ROOT / "schemas" / "notice.schema.json").read_text(encoding="utf-8"))
README = (ROOT / "README.md").read_text(encoding="utf-8")
DATA = ROOT / "fenjie" / "data"
CODE = "\n".join(path.read_text(encoding="utf-8") for path in sorted((ROOT / "fenjie").rglob("*.py")))
REAL = sorted((ROOT / "tests" / "corpus" / "real").glob("*/source.*"))
# What fenjie makes of each golden case, as tests/test_golden.py keeps it: the seed and every reader.
GOLDEN = sorted((ROOT / "tests" / "corpus" / "golden").glob("*/notice.json"))


def _enum(definition: str, field: str) -> list[str]:
    schema = PUBLISHED["$defs"][definition]["properties"][field]
    schema = schema.get("items", schema)
    if "$ref" in schema:
        schema = PUBLISHED["$defs"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema["enum"]


def _readme_words(start: str, pattern: str) -> set[str]:
    """The `words` of the README's bullet that starts with START."""
    bullet = re.search(rf"^- {re.escape(start)}(.*?)(?=^- |^\n)", README, re.M | re.S)
    assert bullet, f"README has no bullet starting {start!r}"
    return {word for word in re.findall(r"`([^`]+)`", bullet.group(1)) if re.fullmatch(pattern, word)}


def _labels(name: str, table: str) -> set[str]:
    return set(tomllib.loads((DATA / name).read_text(encoding="utf-8"))[table])


def test_the_schema_enumerates_each_vocabulary():
    assert _enum("Column", "role") == list(ROLES)
    assert _enum("Warning", "code") == list(WARNING_CODES)
    assert _enum("Row", "inferred") == list(INFERRED)


def test_the_readme_lists_each_vocabulary():
    assert _readme_words("Warning codes:", r"[a-z]+(-[a-z]+)+") == set(WARNING_CODES)
    assert _readme_words("`inferred` lists", r"[a-z]+(_[a-z]+)*") == set(INFERRED)
    assert _readme_words("`table.columns[].role`", r"[a-z]+") == set(ROLES)


def test_every_word_has_a_label_for_people():
    assert _labels("serve.toml", "warnings") == set(WARNING_CODES)
    assert _labels("serve.toml", "inferred") == set(INFERRED)
    assert _labels("xlsx.toml", "inferred") == set(INFERRED)
    assert set(tomllib.loads((DATA / "rules.toml").read_text(encoding="utf-8"))["roles"]) == set(ROLES)


def test_the_code_base_produces_no_word_outside_the_vocabularies():
    codes = set(re.findall(r"""(?:\bNote\(\s*|\bcode=)["']([a-z-]+)["']""", CODE))
    marks = set(re.findall(r"""inferred\.append\(["']([a-z_]+)["']\)""", CODE))
    assert codes, "the search for warning codes found none: update this test's pattern"
    assert codes <= set(WARNING_CODES), f"warning codes missing from model.WarningCode: {codes - set(WARNING_CODES)}"
    assert marks and marks <= set(INFERRED), f"inferred marks missing from model.Inferred: {marks - set(INFERRED)}"


def test_one_name_per_meaning_no_warning_code_is_an_error_code():
    errors = set(re.findall(r"""^    code = ["']([a-z-]+)["']""", CODE, re.M))
    assert {"unknown-header", "no-table", "bad-rules"} <= errors, "the search for error codes missed some"
    assert not errors & set(WARNING_CODES)


@pytest.fixture(scope="module")
def validator() -> Draft202012Validator:
    return Draft202012Validator(PUBLISHED)


@pytest.mark.parametrize("path", [*GOLDEN, *REAL], ids=lambda p: f"{p.parent.parent.name}/{p.parent.name}")
def test_every_output_obeys_the_published_schema(path, validator):
    if path.name == "notice.json":
        document = json.loads(path.read_text(encoding="utf-8"))
    else:
        document = fenjie.convert(path).model_dump(mode="json")
    validator.validate(document)
