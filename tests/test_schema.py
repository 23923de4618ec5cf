"""schemas/notice.schema.json is the published contract: generated from the model, and outputs obey it."""

from __future__ import annotations

import copy
import json

import pytest
from conftest import ROOT, SEED_EXPECTED, SEED_TXT, convert_json, run_cli
from jsonschema import Draft202012Validator, ValidationError

from fenjie.render.schema import schema_json

PUBLISHED = ROOT / "schemas" / "notice.schema.json"


def test_published_schema_is_not_stale():
    assert PUBLISHED.read_text(encoding="utf-8") == schema_json(), (
        "the model changed: run `fenjie schema > schemas/notice.schema.json` and bump SCHEMA_VERSION if a "
        "field was renamed or removed")


def test_schema_command_prints_the_published_schema():
    result = run_cli("schema")
    assert result.returncode == 0, result.stderr
    assert result.stdout == PUBLISHED.read_text(encoding="utf-8")
    Draft202012Validator.check_schema(json.loads(result.stdout))


@pytest.fixture(scope="module")
def validator() -> Draft202012Validator:
    return Draft202012Validator(json.loads(PUBLISHED.read_text(encoding="utf-8")))


def test_schema_rejects_what_breaks_the_contract(validator):
    truth = json.loads(SEED_EXPECTED.read_text(encoding="utf-8"))
    with pytest.raises(ValidationError):  # the truth file has no source, ids or units: not a notice.json
        validator.validate(truth)
    document = convert_json(SEED_TXT)
    without_id = copy.deepcopy(document)
    del without_id["rows"][0]["id"]
    unknown_kind = copy.deepcopy(document)
    unknown_kind["rows"][0]["deadline"]["kind"] = "soon"
    for broken in (without_id, unknown_kind):
        with pytest.raises(ValidationError):
            validator.validate(broken)
