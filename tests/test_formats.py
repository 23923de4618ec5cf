"""The seed notice in every format an archive holds gives the seed rows exactly.

The HTML page, the workbook and the TAB text are generated here from the .docx reader's own grid;
.doc, .odt, .rtf and .xls are made by LibreOffice once per session (a .wps from WPS Office is a Word 97
file, so the .doc under a .wps name stands for one).
"""

from __future__ import annotations

import csv
import datetime
import html
import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from conftest import SEED_DOCX, SEED_EXPECTED, SEED_TXT, compare

from fenjie.errors import ConverterFailed, Encrypted
from fenjie.extract.docx import read_docx
from fenjie.extract.grid import Extracted
from fenjie.extract.office import convert_with_office
from fenjie.extract.txt import read_txt
from fenjie.extract.webpage import read_html
from fenjie.pipeline import convert

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
needs_office = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")


@pytest.fixture(scope="module")
def seed() -> Extracted:
    return read_docx(SEED_DOCX.read_bytes(), str(SEED_DOCX))


def spans(text: str) -> str:
    """Text cut into <span>/<font> runs and closed with <o:p>, as Word-made pages are."""
    runs = [html.escape(text[i:i + 7]) for i in range(0, len(text), 7)]
    return "".join(f'<span lang="ZH-CN"><font face="宋体">{run}</font></span>' if n % 2 else f"<span>{run}</span>"
                   for n, run in enumerate(runs)) + "<o:p></o:p>"


def html_page(seed: Extracted, *, charset: str, cell_breaks: str, title_in_article: bool) -> bytes:
    """The seed as a government web page: nav, breadcrumb, metadata box, info line, downloads, footer.

    Cells break lines with <p> or <br>; without `title_in_article` the article starts at the doc
    number and only the heading (issuer + 关于…的通知) carries the title.
    """
    grid = seed.tables[0]

    def cell(c) -> str:
        if not c.text:
            inner = "&nbsp;"
        elif cell_breaks == "br":
            inner = "<br>\n".join(spans(line) for line in c.lines)
        else:
            inner = "".join(f'<p class="MsoNormal">{spans(line)}</p>\n' for line in c.lines)
        merge = "".join(f' {name}="{n}"' for name, n in (("rowspan", c.rowspan), ("colspan", c.colspan)) if n > 1)
        return f'<td{merge} valign="top">{inner}</td>'

    rows = "\n".join("<tr>" + "".join(cell(c) for c in row.cells) + "</tr>" for row in grid.rows)
    heading = seed.paragraphs[1] + seed.paragraphs[2]
    paragraphs = seed.paragraphs if title_in_article else seed.paragraphs[:1] + seed.paragraphs[3:]
    body = "\n".join(f'<p style="text-indent:2em">{spans(p)}</p>' for p in paragraphs)
    page = f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN"
 "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">
<title>{heading}_济宁市人民政府</title>
<script>var tpl = "<table><tr><td>关于</td><td>x</td></tr></table>";</script>
<style>td {{ border: 1px solid }}</style></head>
<body>
<div class="header"><h1 class="logo">济宁市人民政府</h1>
<ul class="nav"><li><a href="/">首页</a></li><li><a href="/zwgk">政务公开</a></li></ul></div>
<div class="main">
<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk">政务公开</a> &gt; 通知公告</div>
<table class="xxgk"><tr><td>索引号：</td><td>11370800004349613X/2024-00123</td><td>发布机构：</td>
<td>济宁市人民政府办公室</td></tr><tr><td>成文日期：</td><td>2024年02月29日</td><td>发布日期：</td>
<td>2024年03月05日</td></tr></table>
<div class="article">
<h1 class="article-title">{heading}</h1>
<div class="info">发布日期：2024年03月05日　来源：济宁市人民政府办公室　浏览次数：1024　字号：【大 中 小】</div>
<div id="zoom" class="TRS_Editor">
{body}
<table border="1" cellspacing="0" style="width:100%">
{rows}
</table>
</div>
<div class="download">附件下载：<a href="/files/jining.docx?v=2">{seed.paragraphs[-1]}.docx</a></div>
<div>【打印】【关闭】</div>
</div></div>
<div class="footer">主办：济宁市人民政府办公室　网站标识码：3708000001　鲁ICP备05011111号</div>
<script>document.write("2024年3月5日");</script>
</body></html>"""
    # Pages that declare GB2312 are written in GBK, its superset (· is not in GB2312).
    return page.encode("gbk" if charset == "gb2312" else charset)


def workbook(seed: Extracted, path: Path) -> Path:
    """The seed as one sheet: the notice's paragraphs in merged rows above the table, merges kept."""
    grid = seed.tables[0]
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "任务分解表"
    for r, text in enumerate(seed.paragraphs, start=1):
        sheet.cell(r, 1, text)
        sheet.merge_cells(start_row=r, start_column=1, end_row=r, end_column=grid.ncols)
    top = len(seed.paragraphs) + 1
    for row in grid.rows:
        for c in row.cells:
            sheet.cell(top + c.row, c.col + 1, c.text)
            if c.rowspan > 1 or c.colspan > 1:
                sheet.merge_cells(start_row=top + c.row, start_column=c.col + 1,
                                  end_row=top + c.row + c.rowspan - 1, end_column=c.col + c.colspan)
    book.create_sheet("说明").cell(1, 1, None)  # an empty second sheet: nothing to read
    book.save(path)
    return path


def tab_text(seed: Extracted) -> str:
    """The seed as one row per line, cells between TABs, line breaks quoted (Excel's TSV)."""
    grid = seed.tables[0]
    out = io.StringIO()
    out.write("\n".join(seed.paragraphs) + "\n")
    writer = csv.writer(out, delimiter="\t", lineterminator="\n")
    for row in grid.rows:
        fields = [""] * grid.ncols
        for c in row.cells:
            fields[c.col] = c.text
        writer.writerow(fields)
    return out.getvalue()


@pytest.fixture(scope="module")
def generated(seed, tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("formats")
    files = {
        "html": folder / "jining.html",
        "html-gb2312": folder / "jining-gb.htm",
        "xlsx": workbook(seed, folder / "jining.xlsx"),
        "tab-txt": folder / "jining-tab.txt",
    }
    files["html"].write_bytes(html_page(seed, charset="utf-8", cell_breaks="p", title_in_article=True))
    files["html-gb2312"].write_bytes(html_page(seed, charset="gb2312", cell_breaks="br", title_in_article=False))
    files["tab-txt"].write_text(tab_text(seed), encoding="utf-8")
    return files


def libreoffice(source: Path, target: str, folder: Path) -> Path:
    profile = (folder / "profile").as_uri()
    subprocess.run([SOFFICE, f"-env:UserInstallation={profile}", "--headless", "--convert-to", target,
                    "--outdir", str(folder), str(source)], check=True, capture_output=True, timeout=180)
    return folder / f"{source.stem}.{target}"


@pytest.fixture(scope="session")
def office_made(tmp_path_factory) -> dict[str, Path]:
    """.doc, .wps, .odt, .rtf from the seed .docx and .xls from the generated workbook, each made once."""
    if SOFFICE is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    folder = tmp_path_factory.mktemp("office")
    book = workbook(read_docx(SEED_DOCX.read_bytes(), ""), folder / "jining-book.xlsx")
    made = {fmt: libreoffice(SEED_DOCX, fmt, folder) for fmt in ("doc", "odt", "rtf")}
    made["xls"] = libreoffice(book, "xls", folder)
    made["wps"] = folder / "jining.wps"
    made["wps"].write_bytes(made["doc"].read_bytes())
    return made


def assert_seed(path: Path, fmt: str, tmp_path: Path) -> dict:
    document = convert(path).model_dump(mode="json")
    report = compare(document, SEED_EXPECTED, tmp_path)
    assert report.strip().endswith("rows 73/73 exact, fields 511/511, notice 6/6")
    assert document["source"]["format"] == fmt
    assert len(document["units"]) == 47
    assert not [w for w in document["warnings"] if w["code"] in ("lost-text", "unplaced-text", "other-table")]
    return document


@pytest.mark.parametrize("form, fmt", [("html", "html"), ("html-gb2312", "html"), ("xlsx", "xlsx"),
                                       ("tab-txt", "txt")])
def test_generated_forms_give_the_seed_rows(generated, form, fmt, tmp_path):
    assert_seed(generated[form], fmt, tmp_path)


@needs_office
@pytest.mark.parametrize("fmt", ["doc", "wps", "odt", "rtf", "xls"])
def test_libreoffice_forms_give_the_seed_rows(office_made, fmt, tmp_path):
    assert_seed(office_made[fmt], fmt, tmp_path)


def test_html_ignores_the_page_chrome(generated):
    for form in ("html", "html-gb2312"):
        document = convert(generated[form])
        # The metadata box fills what the article lacks (成文日期), and gives 发布日期 and 索引号 their own fields.
        assert (document.notice.date, document.notice.published) == ("2024-02-29", "2024-03-05")
        assert document.notice.index_no == "11370800004349613X/2024-00123"
        assert document.notice.doc_number == "济政办字〔2024〕17号"  # not the 索引号
        assert document.warnings == []
        text = document.model_dump_json()
        for chrome in ("当前位置", "索引号", "发布日期", "浏览次数",
                       "打印", "网站标识码", "首页", "document.write", ".docx"):
            assert chrome not in text, (form, chrome)


def test_html_heading_gives_title_and_issuer(generated):
    document = convert(generated["html-gb2312"])
    assert document.notice.title == "关于印发济宁市贯彻落实2024年山东省政务公开工作要点任务分解表的通知"
    assert document.notice.issuer == "济宁市人民政府办公室"


def test_html_grid_keeps_merges_and_joins_runs(generated, seed):
    for form in ("html", "html-gb2312"):
        extracted = read_html(generated[form].read_bytes(), form)
        assert len(extracted.tables) == 1
        grid, truth = extracted.tables[0], seed.tables[0]
        assert grid.spans_known and grid.ncols == truth.ncols == 5
        assert [[(c.row, c.col, c.rowspan, c.colspan, c.text) for c in row.cells] for row in grid.rows] == [
            [(c.row, c.col, c.rowspan, c.colspan, c.text) for c in row.cells] for row in truth.rows]
        assert extracted.paragraphs[-1] == seed.paragraphs[-1]


def test_workbook_dates_and_numbers_read_as_shown(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["序号", "具体要求", "牵头单位", "完成时限"])
    sheet.append([1, "做好公开", "市财政局", datetime.datetime(2024, 12, 31)])
    path = tmp_path / "dates.xlsx"
    book.save(path)
    row = convert(path).rows[0]
    assert row.deadline.date == "2024-12-31" and row.deadline.text == "2024-12-31"
    assert row.extra == {"序号": "1"}


def test_tab_rows_are_read_without_known_spans(generated, seed):
    extracted = read_txt(generated["tab-txt"].read_bytes(), "tab.txt")
    grid = extracted.tables[0]
    assert not grid.spans_known and grid.ncols == 5
    assert [c.text for c in grid.rows[0].cells] == ["工作任务", "牵头部门", "责任单位", "具体要求", "完成时限"]
    assert grid.rows[1].cells[0].colspan == 5  # a section row: text in the first cell only
    lead = next(c for c in seed.tables[0].rows[6].cells if c.col == 1)
    assert len(lead.lines) > 1 and grid.rows[6].cells[1].lines == lead.text.split("\n")  # quoted line breaks
    document = convert(generated["tab-txt"])
    assert any("lead" in row.inferred for row in document.rows)  # merged unit cells were filled down


def test_wrong_extensions_are_read_by_their_bytes(tmp_path, generated):
    cases = {"docx-named.doc": (SEED_DOCX, "docx"), "txt-named.docx": (SEED_TXT, "txt"),
             "xlsx-named.xls": (generated["xlsx"], "xlsx"), "html-named.txt": (generated["html"], "html")}
    for name, (source, fmt) in cases.items():
        path = tmp_path / name
        path.write_bytes(source.read_bytes())
        assert_seed(path, fmt, tmp_path)


@needs_office
def test_password_protected_doc_is_encrypted(office_made, tmp_path):
    import olefile

    path = tmp_path / "locked.doc"
    path.write_bytes(office_made["doc"].read_bytes())
    with olefile.OleFileIO(str(path), write_mode=True) as ole:
        word = bytearray(ole.openstream("WordDocument").read())
        word[11] |= 0x01  # FibBase.fEncrypted
        ole.write_stream("WordDocument", bytes(word))
    with pytest.raises(Encrypted, match="locked.doc"):
        convert(path)


@needs_office
def test_libreoffice_missing_or_too_slow_fails_clearly(office_made, tmp_path):
    with pytest.raises(ConverterFailed, match="within"):
        convert_with_office(office_made["doc"].read_bytes(), "doc", "docx", "slow.doc", timeout=0.2)
    result = subprocess.run([sys.executable, "-m", "fenjie", "convert", str(office_made["doc"]), "--out", "-"],
                            capture_output=True, text=True, timeout=60,
                            env={**os.environ, "PATH": str(tmp_path)})  # a PATH without soffice
    assert result.returncode == 1
    assert result.stderr.strip().endswith("[converter-missing]") and "apt-get install" in result.stderr
    assert f"error: {office_made['doc']}: " in result.stderr

