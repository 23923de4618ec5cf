"""Files that are not notices: one clear line naming the file, exit 1, no traceback, nothing written."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from conftest import SEED_DOCX, SEED_TXT, W, docx_variant, run_cli


def empty_file(folder: Path) -> Path:
    path = folder / "empty.docx"
    path.write_bytes(b"")
    return path


def not_a_zip(folder: Path) -> Path:
    path = folder / "random.docx"
    path.write_bytes(bytes(range(256)) * 8)
    return path


def zip_without_document(folder: Path) -> Path:
    path = folder / "archive.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/styles.xml", "<styles/>")
    return path


def docx_without_table(folder: Path) -> Path:
    def drop_tables(root):
        body = root.find(W + "body")
        for table in body.findall(W + "tbl"):
            body.remove(table)

    return docx_variant(folder / "no-table.docx", drop_tables)


def table_without_header(folder: Path) -> Path:
    def blank_header(root):
        header = root.find(f"{W}body/{W}tbl/{W}tr")
        for number, t in enumerate(header.iter(W + "t")):
            t.text = f"第{number}栏"

    return docx_variant(folder / "no-header.docx", blank_header)


def text_in_unknown_layout(folder: Path) -> Path:
    """The seed's table as comma-separated lines: no TAB-started cells, so no table at all."""
    lines = [line.strip().replace("\t", ",") for line in SEED_TXT.read_text(encoding="utf-8").splitlines()]
    path = folder / "commas.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def entity_bomb(folder: Path) -> Path:
    bomb = (b'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE w:document [\n<!ENTITY a "aaaaaaaaaa">\n'
            + b"".join(b'<!ENTITY %c "%s">\n' % (ord("b") + i, b"&%c;" % (ord("a") + i) * 10) for i in range(9))
            + b'<!ENTITY x SYSTEM "file:///etc/passwd">\n]>\n'
            + f'<w:document xmlns:w="{W[1:-1]}"><w:body><w:p><w:r><w:t>&j;&x;</w:t></w:r></w:p>'
              "</w:body></w:document>".encode())
    path = folder / "bomb.docx"
    with zipfile.ZipFile(SEED_DOCX) as seed, zipfile.ZipFile(path, "w") as archive:
        for info in seed.infolist():
            archive.writestr(info, bomb if info.filename == "word/document.xml" else seed.read(info))
    return path


# Each bad input and the stable error code its line ends with.
BAD_INPUTS = {
    "empty file": (empty_file, "[not-a-notice]"),
    "not a zip": (not_a_zip, "[corrupt]"),
    "zip without word/document.xml": (zip_without_document, "[not-a-notice]"),
    "docx without a table": (docx_without_table, "[no-table]"),
    "table without a header": (table_without_header, "[unknown-header]"),
    "text in an unknown layout": (text_in_unknown_layout, "[no-table]"),
    "entity bomb": (entity_bomb, "[unsafe]"),
}


@pytest.mark.parametrize("case", BAD_INPUTS)
def test_bad_input_is_one_line_and_exit_1(case, tmp_path):
    make, code = BAD_INPUTS[case]
    path = make(tmp_path)
    out = tmp_path / "out"
    result = run_cli("convert", path, "--out", out)
    assert result.returncode == 1, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert str(path) in lines[0]
    assert lines[0].endswith(code)
    assert "Traceback" not in result.stderr and "internal" not in lines[0]
    assert not out.exists() or not any(out.rglob("*"))


@pytest.mark.parametrize("case", BAD_INPUTS)
def test_bad_input_prints_nothing_to_stdout(case, tmp_path):
    make, _ = BAD_INPUTS[case]
    result = run_cli("convert", make(tmp_path), "--only", "json", "--out", "-")
    assert result.returncode == 1
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1


def test_a_bad_input_does_not_stop_the_good_one(tmp_path):
    out = tmp_path / "out"
    bad = empty_file(tmp_path)
    result = run_cli("convert", bad, SEED_TXT, "--only", "json", "--out", out)
    assert result.returncode == 1
    assert [p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()] == ["jining-2024/notice.json"]
    assert not (out / bad.stem).exists()
    assert str(bad) in result.stderr and "73 rows" in result.stdout
