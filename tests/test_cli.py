"""`fenjie convert` and `fenjie schema` as a user runs them: help, outputs on disk, exit codes."""

from __future__ import annotations

import json

import pytest
from conftest import SEED_DOCX, SEED_TXT, run_cli


@pytest.mark.parametrize("args", [["--help"], ["convert", "--help"]], ids=["fenjie", "convert"])
def test_help_shows_an_example(args):
    result = run_cli(*args)
    assert result.returncode == 0
    assert "Example: fenjie convert samples/jining-2024.docx" in " ".join(result.stdout.split())
    for word in ("--out", "--only", "--rules") if "convert" in args else ("convert", "schema"):
        assert word in result.stdout


def files_under(folder) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def test_out_folder_gets_stem_and_notice_json(tmp_path):
    out = tmp_path / "out"
    result = run_cli("convert", SEED_DOCX, "--only", "json", "--out", out)
    assert result.returncode == 0, result.stderr
    assert files_under(out) == ["jining-2024/notice.json"]  # nothing else: no temporary file left behind
    written = (out / "jining-2024" / "notice.json").read_bytes()
    printed = run_cli("convert", SEED_DOCX, "--only", "json", "--out", "-").stdout.encode("utf-8")
    assert written == printed
    assert str(out / "jining-2024") in result.stdout and "73 rows, 47 units, 0 warnings" in result.stdout


def test_converting_again_replaces_the_output(tmp_path):
    out = tmp_path / "out"
    target = out / "jining-2024" / "notice.json"
    target.parent.mkdir(parents=True)
    target.write_text("stale", encoding="utf-8")
    assert run_cli("convert", SEED_TXT, "--only", "json", "--out", out).returncode == 0
    assert json.loads(target.read_text(encoding="utf-8"))["source"]["format"] == "txt"
    assert files_under(out) == ["jining-2024/notice.json"]


def test_two_inputs_in_one_call(tmp_path):
    out = tmp_path / "out"
    other = tmp_path / "copy-of-seed.txt"
    other.write_bytes(SEED_TXT.read_bytes())
    result = run_cli("convert", SEED_DOCX, other, "--only", "json", "--out", out)
    assert result.returncode == 0, result.stderr
    assert files_under(out) == ["copy-of-seed/notice.json", "jining-2024/notice.json"]
    assert len(result.stdout.splitlines()) == 2


def test_inputs_sharing_a_stem_keep_apart(tmp_path):
    out = tmp_path / "out"
    result = run_cli("convert", SEED_DOCX, SEED_TXT, "--only", "json", "--out", out)
    assert result.returncode == 0, result.stderr
    assert files_under(out) == ["jining-2024_docx/notice.json", "jining-2024_txt/notice.json"]
    formats = {json.loads((out / f"jining-2024_{ext}" / "notice.json").read_text("utf-8"))["source"]["format"]
               for ext in ("docx", "txt")}
    assert formats == {"docx", "txt"}


@pytest.mark.parametrize("args", [
    ["convert"],  # no input
    ["convert", SEED_DOCX, "--no-such-option"],
    ["convert", SEED_DOCX, "--only", "pdfx"],
    ["convert", SEED_DOCX, SEED_TXT, "--out", "-"],  # stdout takes one input
    ["no-such-command"],
], ids=["no input", "unknown option", "unknown output", "two inputs to stdout", "unknown command"])
def test_usage_errors_exit_2(args, tmp_path):
    result = run_cli(*args, cwd=tmp_path)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    assert list(tmp_path.iterdir()) == []


def test_a_missing_input_is_exit_1_not_2(tmp_path):
    result = run_cli("convert", tmp_path / "nowhere.docx", "--out", tmp_path / "out")
    assert result.returncode == 1
    assert len(result.stderr.splitlines()) == 1 and "nowhere.docx" in result.stderr
    assert not (tmp_path / "out").exists()


def test_bad_rules_and_an_output_that_is_a_file_are_one_line_naming_the_file(tmp_path):
    rules = tmp_path / "rules.toml"
    rules.write_text("[roles\n", encoding="utf-8")
    result = run_cli("convert", SEED_DOCX, "--rules", rules, "--out", tmp_path / "out")
    assert result.returncode == 1 and result.stderr.count("\n") == 1
    assert result.stderr.startswith(f"error: {rules}: not a TOML file") and "[bad-rules]" in result.stderr

    taken = tmp_path / "taken"
    taken.write_text("a file, not a folder", encoding="utf-8")
    for command in (["convert", SEED_DOCX, "--only", "json"], ["batch", SEED_TXT, "--quiet"]):
        result = run_cli(*command, "--out", taken)
        assert result.returncode == 1 and result.stderr.count("\n") == 1, result.stderr
        assert f"{taken}" in result.stderr and "Not a directory" in result.stderr
    assert taken.read_text(encoding="utf-8") == "a file, not a folder"
