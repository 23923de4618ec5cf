"""Acceptance on the real notice (济政办字〔2024〕17号): both forms give the truth, row for row."""

from __future__ import annotations

import json

import pytest
from conftest import SEED_DOCX, SEED_EXPECTED, SEED_TXT, compare, convert_json, run_cli

import fenjie
from fenjie.model import Document


@pytest.fixture(scope="module")
def seed_json() -> dict[str, dict]:
    return {"txt": convert_json(SEED_TXT), "docx": convert_json(SEED_DOCX)}


@pytest.mark.parametrize("form", ["txt", "docx"])
def test_seed_matches_the_truth(seed_json, form, tmp_path):
    document = seed_json[form]
    assert compare(document, SEED_EXPECTED, tmp_path).strip().endswith("rows 73/73 exact, fields 511/511, notice 6/6")
    assert len(document["rows"]) == 73
    assert len(document["units"]) == 47
    assert document["source"]["format"] == form
    assert document["warnings"] == []


def _without(document: dict, *, row_keys: tuple[str, ...], keys: tuple[str, ...]) -> dict:
    document = {k: v for k, v in document.items() if k not in keys}
    document["table"] = {k: v for k, v in document["table"].items() if k != "cells"}  # the table as read
    document["rows"] = [{k: v for k, v in row.items() if k not in row_keys} for row in document["rows"]]
    return document


def test_both_forms_give_the_same_document(seed_json):
    txt, docx = seed_json["txt"], seed_json["docx"]
    assert _without(txt, row_keys=("inferred",), keys=("source",)) == _without(
        docx, row_keys=("inferred",), keys=("source",))
    # The table as read: the same texts at the same places; the text export merges no unit cells down.
    def texts(document: dict) -> dict:
        return {(c["row"], c["col"]): "".join(c["text"].split()) for c in document["table"]["cells"] if c["text"]}
    assert texts(txt) == texts(docx) and len(texts(docx)) == 293
    spans = {form: {(c["row"], c["col"], c["rowspan"], c["colspan"]) for c in document["table"]["cells"]
                    if c["rowspan"] > 1 or c["colspan"] > 1} for form, document in seed_json.items()}
    assert spans["txt"] < spans["docx"] and all(col > 0 for _, col, _, _ in spans["docx"] - spans["txt"])
    # The text export cannot show merged unit cells: what it fills down is marked for a person to check.
    filled = [row["id"] for row in txt["rows"] if "lead" in row["inferred"]]
    assert filled and all("responsible" in row["inferred"] for row in txt["rows"] if row["id"] in filled)
    assert not any("lead" in row["inferred"] for row in docx["rows"])


def test_row_ids_and_levels(seed_json):
    rows = seed_json["docx"]["rows"]
    assert [r["id"] for r in rows[:3]] == ["1.1.1", "1.1.2", "1.1.3"]
    assert rows[0]["section"] == {"no": "一", "title": "以高质量公开助推重点工作落实"}
    assert rows[0]["task"] == {"no": "一", "title": "以公开助推高水平开放、高质量招商引资"}
    assert len({r["id"] for r in rows}) == len(rows)
    # Contract 1.1: two levels, so the path is exactly [section, task].
    assert all(r["path"] == [r["section"], r["task"]] for r in rows)
    assert [c["role"] for c in seed_json["docx"]["table"]["columns"]] == [
        "task", "lead", "responsible", "requirement", "deadline"]


def test_units_index_the_rows(seed_json):
    document = seed_json["docx"]
    by_name = {u["name"]: u for u in document["units"]}
    for row in document["rows"]:
        for name in row["lead"]:
            assert row["id"] in by_name[name]["lead"]
        for name in row["responsible"]:
            assert row["id"] in by_name[name]["responsible"]
    assert by_name["济宁高新区管委会"]["responsible"]


def test_gb18030_crlf_text_gives_the_same_rows(seed_json, tmp_path):
    text = SEED_TXT.read_text(encoding="utf-8").lstrip("\ufeff")
    legacy = tmp_path / "jining-gbk.txt"
    legacy.write_bytes(text.replace("\r\n", "\n").replace("\n", "\r\n").encode("gb18030"))
    assert b"\r\n" in legacy.read_bytes()
    document = convert_json(legacy)
    assert document["rows"] == seed_json["txt"]["rows"]
    assert document["notice"] == seed_json["txt"]["notice"]


def test_json_output_is_stable_utf8_and_not_escaped():
    first = run_cli("convert", SEED_DOCX, "--only", "json", "--out", "-")
    second = run_cli("convert", SEED_DOCX, "--only", "json", "--out", "-")
    assert first.returncode == second.returncode == 0
    raw = first.stdout.encode("utf-8")
    assert raw == second.stdout.encode("utf-8")
    assert "济宁市人民政府办公室" in first.stdout
    assert "\\u" not in first.stdout
    json.loads(raw.decode("utf-8"))


def test_python_api_returns_the_model():
    document = fenjie.convert(SEED_DOCX)
    assert isinstance(document, Document)
    assert document.notice.doc_number == "济政办字〔2024〕17号"
    assert len(document.rows) == 73
    assert document.rows[0].deadline.date == "2024-12-31"
    assert json.loads(document.model_dump_json())["schema_version"] == "1.2"
