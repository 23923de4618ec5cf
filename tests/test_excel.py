"""tasks.xlsx: written from the seed's model, read back with openpyxl and checked against its JSON."""

from __future__ import annotations

import zipfile
from collections import Counter
from datetime import date, datetime, timedelta, timezone
from itertools import takewhile
from pathlib import Path
from xml.etree import ElementTree

import openpyxl
import pytest
from conftest import SEED_DOCX, SEED_TXT, run_cli

import fenjie
from fenjie.model import Column, Document, GridCell, Source, Warning
from fenjie.render import excel
from fenjie.render.options import WorkbookOptions
from fenjie.render.xlsx_stream import save_workbook, streamed_sheet

SHEETS = ["任务清单", "原表", "按单位", "单位汇总", "说明"]
GENERATED_AT = datetime(2024, 5, 6, 7, 8, 9, tzinfo=timezone(timedelta(hours=8)))


def write_and_load(document: Document, folder: Path) -> openpyxl.Workbook:
    [path] = excel.write(document, folder, WorkbookOptions(generated_at=GENERATED_AT))
    assert path == folder / "tasks.xlsx"
    return openpyxl.load_workbook(path)


def joined(names: list[str], open_list: bool) -> str | None:
    return "、".join(names) + ("等" if open_list else "") if names else None


def body(ws) -> list[tuple]:
    return list(ws.iter_rows(min_row=2, values_only=True))


@pytest.fixture(scope="module")
def seed() -> Document:
    return fenjie.convert(SEED_DOCX)


@pytest.fixture(scope="module")
def seed_json(seed) -> dict:
    return seed.model_dump(mode="json")


@pytest.fixture(scope="module")
def book(seed, tmp_path_factory) -> openpyxl.Workbook:
    return write_and_load(seed, tmp_path_factory.mktemp("xlsx"))


def test_the_five_sheets(book):
    assert book.sheetnames == SHEETS


def test_task_list_cells_equal_the_json_rows(book, seed_json):
    ws = book["任务清单"]
    assert [c.value for c in ws[1]] == ["编号", "一级任务", "工作任务", "具体要求", "牵头单位", "责任单位",
                                        "完成时限", "截止日期", "备注"]
    rows = seed_json["rows"]
    assert ws.max_row == 1 + len(rows) == 74
    for cells, row in zip(ws.iter_rows(min_row=2), rows, strict=True):
        values = [c.value for c in cells]
        assert values[:7] == [row["id"], row["section"]["title"], row["task"]["title"], row["requirement"],
                              joined(row["lead"], row["lead_open"]),
                              joined(row["responsible"], row["responsible_open"]), row["deadline"]["text"]]
        deadline = cells[7]
        assert deadline.is_date and deadline.number_format == "yyyy-mm-dd"
        assert deadline.value.date() == date.fromisoformat(row["deadline"]["date"])
        # Every seed row takes its deadline's year from the notice: said once in 说明, not in each 备注.
        assert "deadline_year" in row["inferred"] and "截止日期的年份取自通知年份" not in (values[8] or "")
    assert ("各行均有", "截止日期的年份取自通知年份") in book["说明"].iter_rows(max_col=2, values_only=True)


def test_open_unit_lists_keep_their_mark(book, seed_json):
    open_rows = {r["id"] for r in seed_json["rows"] if r["lead_open"] or r["responsible_open"]}
    assert len(open_rows) == 10
    marked = {row[0] for row in body(book["任务清单"]) if any((units or "").endswith("等") for units in row[4:6])}
    assert marked == open_rows


def test_task_list_is_ready_to_filter_and_print(book):
    ws = book["任务清单"]
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:I74"
    assert ws["D2"].alignment.wrap_text
    assert ws["A2"].border.left.style == "thin"
    assert ws.column_dimensions["D"].width > ws.column_dimensions["A"].width
    assert ws.row_dimensions[2].height >= 30  # the requirement wraps over lines
    setup = ws.page_setup
    assert (setup.orientation, int(setup.paperSize)) == ("landscape", int(ws.PAPERSIZE_A4))
    assert (int(setup.fitToWidth), int(setup.fitToHeight)) == (1, 0)
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == "$1:$1"


def test_original_table_merges_sections_across_and_tasks_down(book, seed_json):
    ws = book["原表"]
    width = len(seed_json["table"]["columns"])
    assert ws.cell(1, 1).value == seed_json["table"]["title"]  # the table's title above it, merged across
    assert [c.value for c in ws[2]] == [c["header"] for c in seed_json["table"]["columns"]]
    assert ws.print_title_rows == "$1:$2" and ws.freeze_panes == "A3"
    ranges = ws.merged_cells.ranges
    sections = sorted((r for r in ranges if r.min_col == 1 and r.max_col == width and r.min_row > 1),
                      key=lambda r: r.min_row)
    assert [ws.cell(r.min_row, 1).value for r in sections] == [
        f"{no}、{title}" for no, title in dict.fromkeys((r["section"]["no"], r["section"]["title"])
                                                      for r in seed_json["rows"])]
    assert all(r.min_row == r.max_row for r in sections)
    tasks = [r for r in ranges if r.min_col == r.max_col == 1]
    sizes = Counter((r["section"]["title"], r["task"]["title"]) for r in seed_json["rows"])
    # 14 parent tasks: 13 span several rows and are merged down over them; （七） has one row in the
    # notice too, so it stays one plain cell (a one-cell merge merges nothing).
    assert len(sections) == 5 and len(sizes) == 14 and len(tasks) == 13
    merged = {ws.cell(r.min_row, 1).value: r.max_row - r.min_row + 1 for r in tasks}
    assert sorted(merged.values()) == sorted(n for n in sizes.values() if n > 1)
    assert merged["（一）以公开助推高水平开放、高质量招商引资"] == 5
    single = [c.value for c in ws["A"] if c.value and c.value.startswith("（七）")]
    assert single == ["（七）推进全市依申请公开数字化管理平台建设"]
    assert ws.max_row == 2 + 5 + 73
    assert ws.cell(4, 2).value == "市商务局" and ws.cell(4, 2).border.top.style == "thin"
    # Every merge of the notice's table, the unit columns' included, counted from the docx itself.
    down, across = docx_merges(SEED_DOCX)
    assert (down, across) == (13 + 6, 5)
    assert len(ranges) == 1 + down + across
    units = [r for r in ranges if r.min_col in (2, 3) and r.max_row > r.min_row]
    # 牵头单位 merged over 2, 4 and 3 rows at the end, with the 责任单位 beside them empty and merged the same
    assert sorted((r.min_col, r.max_row - r.min_row + 1) for r in units) == [(2, 2), (2, 3), (2, 4), (3, 2), (3, 3),
                                                                              (3, 4)]
    assert all(bool(ws.cell(r.min_row, r.min_col).value) == (r.min_col == 2) for r in units)
    assert ws.cell(74, 2).value.startswith("市政府各部门、单位\n各县")  # the cell's text as written


def docx_merges(path: Path) -> tuple[int, int]:
    """(vertical, horizontal) merges of the table in the docx at PATH, read from its XML."""
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    root = ElementTree.fromstring(zipfile.ZipFile(path).read("word/document.xml"))
    down = across = 0
    for props in root.iter(f"{w}tcPr"):
        vmerge, span = props.find(f"{w}vMerge"), props.find(f"{w}gridSpan")
        if vmerge is not None and vmerge.get(f"{w}val") == "restart":
            down += 1
        elif vmerge is None and span is not None and int(span.get(f"{w}val")) > 1:
            across += 1
    return down, across


def test_by_unit_has_one_row_per_unit_role_and_row(book, seed_json):
    rows = body(book["按单位"])
    pairs = Counter((name, role, r["id"]) for r in seed_json["rows"]
                    for role, names in (("牵头", r["lead"]), ("责任", r["responsible"])) for name in names)
    assert Counter(row[:3] for row in rows) == pairs
    by_id = {r["id"]: r for r in seed_json["rows"]}
    for _unit, _role, row_id, task, requirement, deadline, due, group in rows:
        assert group is None  # no unit directory: no rows through a group
        expected = by_id[row_id]
        assert (task, requirement, deadline) == (expected["task"]["title"], expected["requirement"],
                                                 expected["deadline"]["text"])
        assert due.date() == date.fromisoformat(expected["deadline"]["date"])
    commerce = Counter(row[1] for row in rows if row[0] == "市商务局")
    assert commerce == {"牵头": 4, "责任": 1}


def test_summary_adds_up_to_by_unit_and_has_two_charts(book, seed_json):
    pairs = Counter(row[:2] for row in body(book["按单位"]))
    ws = book["单位汇总"]
    summary = [row[:6] for row in ws.iter_rows(min_row=2, max_col=6, values_only=True)]
    assert len(summary) == len(seed_json["units"]) == 47
    dates = {r["id"]: date.fromisoformat(r["deadline"]["date"]) for r in seed_json["rows"]}
    units = {u["name"]: u for u in seed_json["units"]}
    for name, lead, responsible, total, through_groups, earliest in summary:
        assert through_groups == 0
        assert (lead, responsible) == (pairs[name, "牵头"], pairs[name, "责任"])
        assert total == lead + responsible
        assert earliest.date() == min(dates[i] for i in units[name]["lead"] + units[name]["responsible"])
    assert sum(row[3] for row in summary) == sum(pairs.values())
    assert summary == sorted(summary, key=lambda row: (-row[3], row[0]))
    months = dict(takewhile(lambda row: row[0], ws.iter_rows(min_row=2, min_col=8, max_col=9, values_only=True)))
    assert sum(months.values()) == 73 and months["2024-12"] == Counter(d.month for d in dates.values())[12]
    charts = sorted(ws._charts, key=lambda chart: len(chart.series))
    assert [len(chart.series) for chart in charts] == [1, 2]
    assert [chart.type for chart in charts] == ["col", "bar"]
    # 47 units: the unit chart shows the 20 with most tasks and one bar 其他 of the other 27, from its own table
    first = len(months) + 3
    bars = list(ws.iter_rows(min_row=first + 1, max_row=first + 21, min_col=8, max_col=10, values_only=True))
    assert [b[:3] for b in bars[:20]] == [s[:3] for s in summary[:20]]
    assert bars[20] == ("其他（27个单位）", sum(s[1] for s in summary[20:]), sum(s[2] for s in summary[20:]))
    assert ws.cell(first + 22, 8).value is None
    assert charts[1].series[0].val.numRef.f == f"'单位汇总'!$I${first}:$I${first + 21}".replace("$I$" + str(first),
                                                                                              f"$I${first + 1}")


def test_about_lists_the_source_and_every_warning(seed, tmp_path):
    warned = seed.model_copy(update={"warnings": [
        Warning(code="lost-text", message="cell text did not reach the output", row="1.1.2"),
        Warning(code="unknown-column", message="column '备注' has no known role"),
    ]})
    book = write_and_load(warned, tmp_path)
    facts = dict(row[:2] for row in book["说明"].iter_rows(max_row=6, values_only=True))
    assert facts["SHA-256"] == seed.source.sha256
    assert facts["源文件"] == "jining-2024.docx"
    assert facts["文号"] == "济政办字〔2024〕17号"
    assert facts["标题"] == seed.notice.title
    assert facts["生成时间"] == "2024-05-06T07:08:09+08:00"
    assert facts["fenjie 版本"] == fenjie.__version__
    listed = [row for row in book["说明"].iter_rows(min_row=11, values_only=True)]
    assert listed == [("lost-text", "cell text did not reach the output", "1.1.2"),
                      ("unknown-column", "column '备注' has no known role", None)]
    notes = {row[0]: row[8] for row in body(book["任务清单"])}
    assert "lost-text: cell text did not reach the output" in notes["1.1.2"]
    assert "lost-text" not in notes["1.1.1"]


def test_text_export_notes_what_was_filled_down(tmp_path):
    document = fenjie.convert(SEED_TXT)
    filled = {r.id for r in document.rows if "lead" in r.inferred}
    assert filled
    book = write_and_load(document, tmp_path)
    notes = {row[0]: row[8] for row in body(book["任务清单"])}
    assert all("牵头单位沿用上一行" in notes[i] for i in filled)
    # 原表 shows the cells the text had: a row's one cell across, a short row under its parent task, and
    # the units filled down in 任务清单 left empty where the text left them empty (merged with nothing).
    ws = book["原表"]
    ranges = ws.merged_cells.ranges
    spans = [c for c in document.table.cells if c.rowspan > 1 or c.colspan > 1]
    assert len(ranges) == 1 + len(spans) == 1 + 5 + 13
    assert not [r for r in ranges if r.min_col > 1]
    empty_leads = [c for c in document.table.cells if c.col == 1 and not c.text]
    assert len(empty_leads) == len(filled) and all(ws.cell(c.row + 2, 2).value is None for c in empty_leads)


def test_original_table_keeps_columns_of_no_known_role(seed, tmp_path):
    columns = [*seed.table.columns, Column(header="备注", role="extra")]
    cells = [*seed.table.cells, GridCell(text="备注", row=0, col=5), GridCell(text="已完成", row=2, col=5)]
    book = write_and_load(seed.model_copy(update={"table": seed.table.model_copy(
        update={"columns": columns, "cells": cells})}), tmp_path)
    ws = book["原表"]
    assert ws.cell(2, 6).value == "备注" and ws.cell(4, 6).value == "已完成"
    assert ws.cell(5, 6).border.top.style == "thin"  # an empty place of the grid is bordered too
    sections = [r for r in ws.merged_cells.ranges if r.min_col == 1 and r.max_col == 5 and r.min_row > 1]
    assert len(sections) == 5


def test_text_that_looks_like_a_formula_or_holds_control_characters_stays_text(seed, tmp_path):
    first = seed.rows[0].model_copy(update={"requirement": "=HYPERLINK(\"http://x\")", "deadline":
                                            seed.rows[0].deadline.model_copy(update={"text": "12月\x07底前"})})
    book = write_and_load(seed.model_copy(update={"rows": [first, *seed.rows[1:]]}), tmp_path)
    cells = book["任务清单"][2]
    assert (cells[3].value, cells[3].data_type) == ("=HYPERLINK(\"http://x\")", "s")
    assert cells[6].value == "12月底前"


def test_text_keeps_its_spaces_and_markup_characters_and_loses_what_xml_cannot_hold(seed, tmp_path):
    requirement = " <b>甲 & 乙</b>\r\n丙 "  # written as XML text by fenjie itself, not by openpyxl
    first = seed.rows[0].model_copy(update={"requirement": requirement, "deadline":
                                            seed.rows[0].deadline.model_copy(update={"text": "12月\ufffe底前\ud800"})})
    book = write_and_load(seed.model_copy(update={"rows": [first, *seed.rows[1:]]}), tmp_path)
    cells = book["任务清单"][2]
    assert (cells[3].value, cells[6].value) == (requirement, "12月底前")
    units = len(first.lead) + len(first.responsible)
    assert [row[4] for row in body(book["按单位"]) if row[2] == first.id] == [requirement] * units


def test_a_streamed_sheet_refuses_cells_made_by_openpyxl(tmp_path):
    book = excel.styled_workbook()
    streamed_sheet(book, "任务清单").cell(1, 1, "would be lost")
    with pytest.raises(ValueError, match="streamed sheet"):
        save_workbook(book, tmp_path / "tasks.xlsx", GENERATED_AT)


def test_each_text_is_kept_once_in_the_shared_strings(seed, tmp_path):
    [path] = excel.write(seed, tmp_path, WorkbookOptions(generated_at=GENERATED_AT))
    main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    with zipfile.ZipFile(path) as archive:
        shared = ElementTree.fromstring(archive.read("xl/sharedStrings.xml"))
        sheets = [archive.read(name) for name in archive.namelist() if name.startswith("xl/worksheets/sheet")]
    strings = [si.findtext(f"{main}t") for si in shared]
    assert len(strings) == len(set(strings)) == int(shared.get("uniqueCount"))
    assert {seed.rows[0].requirement, "市商务局", "12月底前"} <= set(strings)
    assert not [sheet for sheet in sheets if b"inlineStr" in sheet]


def test_an_empty_document_still_gives_every_sheet(tmp_path):
    book = write_and_load(Document(source=Source(name="empty.docx", format="docx", sha256="0" * 64)), tmp_path)
    assert book.sheetnames == SHEETS
    assert book["任务清单"].max_row == 1 and not book["单位汇总"]._charts


def test_the_same_document_and_time_give_the_same_bytes(seed, tmp_path):
    first = excel.write(seed, tmp_path / "a", WorkbookOptions(generated_at=GENERATED_AT))[0].read_bytes()
    second = excel.write(seed, tmp_path / "b", WorkbookOptions(generated_at=GENERATED_AT))[0].read_bytes()
    assert first == second
    with zipfile.ZipFile(tmp_path / "a" / "tasks.xlsx") as archive:
        assert {info.date_time for info in archive.infolist()} == {(2024, 5, 6, 7, 8, 8)}


def test_cli_writes_only_the_workbook(tmp_path):
    result = run_cli("convert", SEED_DOCX, "--out", tmp_path, "--only", "xlsx")
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (tmp_path / "jining-2024").iterdir()) == ["tasks.xlsx"]
    assert openpyxl.load_workbook(tmp_path / "jining-2024" / "tasks.xlsx").sheetnames == SHEETS
