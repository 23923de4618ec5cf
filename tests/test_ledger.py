"""Ledgers (台账): written per unit, filled in as units do, saved again by LibreOffice, collected into one report."""

from __future__ import annotations

import json
import shutil
import subprocess
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import openpyxl
import pytest
from conftest import ROOT, SEED_DOCX, run_cli
from jsonschema import Draft202012Validator

import fenjie
from fenjie.ledger.collect import collect
from fenjie.ledger.model import PROGRESS_SCHEMA_VERSION, Progress
from fenjie.ledger.report import write as write_report
from fenjie.ledger.write import write as write_ledgers
from fenjie.render.json import write as write_json
from fenjie.render.options import LedgerOptions
from fenjie.render.schema import schema_json

STAMP = datetime(2024, 3, 1, 9, 0, tzinfo=timezone(timedelta(hours=8)))
HEADERS = ["编号", "一级任务", "工作任务", "具体要求", "角色", "其他牵头单位", "完成时限", "截止日期",
           "进展情况", "完成状态", "完成日期", "存在问题", "下步打算", "责任人", "联系电话"]
AS_OF = date(2024, 7, 15)


@pytest.fixture(scope="module")
def document():
    return fenjie.convert(SEED_DOCX)


@pytest.fixture(scope="module")
def written(document, tmp_path_factory) -> Path:
    """The seed's notice.json and ledgers, as handed out (never changed by a test: copy before filling)."""
    folder = tmp_path_factory.mktemp("handed-out")
    write_json(document, folder)
    write_ledgers(document, folder, LedgerOptions(generated_at=STAMP))
    return folder


def ledger_path(folder: Path, unit: str) -> Path:
    return next(p for p in (folder / "ledgers").glob("*.xlsx") if p.stem.split("-", 1)[1] == unit)


def copy_ledgers(written: Path, target: Path, *units: str) -> dict[str, Path]:
    target.mkdir(parents=True, exist_ok=True)
    return {unit: Path(shutil.copy(ledger_path(written, unit), target)) for unit in units}


def fill(path: Path, values: dict[str, dict[int, object]], modified: datetime | None = None) -> None:
    """Write VALUES ({row id: {column number: value}}) into a ledger as a unit would, and save it."""
    workbook = openpyxl.load_workbook(path)
    sheet = workbook["落实台账"]
    for r in range(2, sheet.max_row + 1):
        for column, value in values.get(sheet.cell(r, 1).value, {}).items():
            sheet.cell(r, column, value)
    if modified is not None:
        workbook.properties.modified = modified
    workbook.save(path)


def unit_ids(document, unit: str) -> list[str]:
    order = [row.id for row in document.rows]
    found = next(u for u in document.units if u.name == unit)
    return sorted(set(found.lead) | set(found.responsible), key=order.index)


# --- the ledgers handed out ----------------------------------------------------------------------


def test_every_unit_gets_a_ledger_of_its_own_rows(document, written):
    files = sorted((written / "ledgers").glob("*.xlsx"))
    assert len(files) == len(document.units) == 47
    assert [f.name.split("-", 1)[1] for f in files] == [f"{u.name}.xlsx" for u in document.units]
    sheet = openpyxl.load_workbook(ledger_path(written, "市商务局"))["落实台账"]
    assert [c.value for c in sheet[1]] == HEADERS
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    assert [r[0] for r in rows] == unit_ids(document, "市商务局") == ["1.1.1", "1.1.5", "1.5.2", "1.5.5", "1.5.9"]
    by_id = {r[0]: r for r in rows}
    assert by_id["1.1.1"][4] == "牵头" and by_id["1.1.1"][5] is None
    assert by_id["1.5.9"][4] == "责任" and by_id["1.5.9"][5] == "市住房城乡建设局、市城市管理局"
    assert by_id["1.1.1"][1] == "以高质量公开助推重点工作落实"
    assert by_id["1.1.1"][6] == "12月底前" and by_id["1.1.1"][7] == datetime(2024, 12, 31)
    assert all(value is None for r in rows for value in r[8:])
    # A co-led row names the other lead, and a county ledger gets the rows the counties share.
    assert len(unit_ids(document, "各县（市、区）政府")) == openpyxl.load_workbook(
        ledger_path(written, "各县（市、区）政府"))["落实台账"].max_row - 1


def test_given_columns_are_locked_and_the_rest_checked(written):
    workbook = openpyxl.load_workbook(ledger_path(written, "市商务局"))
    sheet = workbook["落实台账"]
    assert sheet.protection.sheet and not sheet.protection.password
    assert all(sheet.cell(2, c).protection.locked for c in range(1, 9))
    assert not any(sheet.cell(r, c).protection.locked for r in range(2, 7) for c in range(9, 16))
    validations = {str(v.sqref): v for v in sheet.data_validations.dataValidation}
    assert validations["J2:J6"].type == "list" and validations["J2:J6"].formula1 == '"未启动,推进中,已完成,长期推进"'
    assert validations["K2:K6"].type == "date"
    assert sheet.freeze_panes == "B2" and sheet.print_title_rows == "$1:$1"
    assert sheet.page_setup.orientation == "landscape" and int(sheet.page_setup.paperSize) == 9  # A4
    assert sheet.page_setup.fitToWidth == 1
    identity = workbook["fenjie"]
    assert identity.sheet_state == "hidden"
    values = [row[0] for row in identity.iter_rows(values_only=True)]
    assert values[0] == "fenjie-ledger/1" and len(values[1]) == 64 and values[2] == "市商务局"
    assert values[3:] == ["1.1.1", "1.1.5", "1.5.2", "1.5.5", "1.5.9"]


def test_ledgers_are_byte_stable(document, written, tmp_path):
    write_ledgers(document, tmp_path, LedgerOptions(generated_at=STAMP))
    for again in (tmp_path / "ledgers").glob("*.xlsx"):
        assert again.read_bytes() == (written / "ledgers" / again.name).read_bytes(), again.name


def test_convert_writes_ledgers_only_when_asked(tmp_path):
    result = run_cli("convert", SEED_DOCX, "--only", "ledgers", "--out", tmp_path)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (tmp_path / "jining-2024").iterdir()) == ["ledgers"]
    assert len(list((tmp_path / "jining-2024" / "ledgers").glob("*.xlsx"))) == 47


# --- collecting them back ------------------------------------------------------------------------


def test_filled_ledgers_come_back_in_the_report(document, written, tmp_path):
    paths = copy_ledgers(written, tmp_path / "returned", "市商务局", "市财政局")
    fill(paths["市商务局"], {
        "1.1.1": {9: "已发布信息12条", 10: "已完成", 11: date(2024, 6, 30), 14: "张三", 15: "0537-1234567"},
        "1.1.5": {10: "推进中", 12: "人手不足", 13: "7月底前完成"},
        "1.5.2": {10: "长期推进"}})
    progress = collect([tmp_path / "returned"], written / "notice.json", AS_OF)
    entries = {(e.unit, e.row): e for e in progress.entries}
    assert len(progress.entries) == sum(len(unit_ids(document, u.name)) for u in document.units)
    done = entries["市商务局", "1.1.1"]
    assert (done.status, done.progress, done.done_date, done.person, done.phone) == (
        "done", "已发布信息12条", "2024-06-30", "张三", "0537-1234567")
    assert (entries["市商务局", "1.1.5"].issues, entries["市商务局", "1.1.5"].next_steps) == ("人手不足", "7月底前完成")
    assert entries["市商务局", "1.5.5"].status is None
    by_unit = {u.name: u for u in progress.units}
    assert by_unit["市商务局"].counts == {"not_started": 0, "in_progress": 1, "done": 1, "ongoing": 1, "unfilled": 2}
    assert by_unit["市财政局"].returned and not by_unit["市发展改革委"].returned
    assert [p.unit for p in progress.problems if p.code == "not-returned"] == [
        u.name for u in document.units if u.name not in ("市商务局", "市财政局")]

    deadlines = {row.id: row.deadline.date for row in document.rows}
    for entry in progress.entries:  # overdue: due before the as-of day and neither done nor ongoing
        due = deadlines[entry.row]
        assert entry.overdue == (due is not None and date.fromisoformat(due) < AS_OF
                                 and entry.status not in ("done", "ongoing")), entry

    write_report(progress, document, tmp_path / "report")
    workbook = openpyxl.load_workbook(tmp_path / "report" / "progress.xlsx")
    assert workbook.sheetnames == ["按任务", "按单位", "进展明细", "按一级任务", "问题"]
    by_task = {row[0].value: row for row in workbook["按任务"].iter_rows(min_row=2)}
    assert by_task["1.1.1"][5].value == "市商务局：已完成"
    assert by_task["1.1.5"][5].value.startswith("市商务局：推进中")
    assert by_task["1.1.1"][7].value == "未填写"  # the counties, responsible for it, sent nothing
    summary = {row[0]: row for row in workbook["按单位"].iter_rows(min_row=2, values_only=True)}
    assert summary["市商务局"][1:8] == ("是", 0, 1, 1, 1, 2, 5)
    details = {(row[0], row[1]): row for row in workbook["进展明细"].iter_rows(min_row=2, values_only=True)}
    assert details["1.1.1", "市商务局"][5:12] == ("已完成", "已发布信息12条", datetime(2024, 6, 30), None, None,
                                              "张三", "0537-1234567")
    overdue_rows = [row for row in workbook["进展明细"].iter_rows(min_row=2) if row[12].value == "是"]
    assert overdue_rows and all(row[0].fill.fgColor.rgb == "00F8CBAD" for row in overdue_rows)
    assert len(list(workbook["问题"].iter_rows(min_row=2))) == len(progress.problems)
    assert workbook["按一级任务"]._charts


def test_ledgers_saved_again_by_libreoffice_as_xlsx_and_xls(written, tmp_path):
    paths = copy_ledgers(written, tmp_path / "filled", "市商务局", "市财政局")
    fill(paths["市商务局"], {"1.1.1": {9: "按期推进", 10: "推进中", 11: date(2024, 5, 6)}})
    fill(paths["市财政局"], {unit_ids_of(paths["市财政局"])[0]: {10: "已完成", 11: date(2024, 4, 1)}})
    out = tmp_path / "returned"
    for target, path in (("xlsx", paths["市商务局"]), ("xls", paths["市财政局"])):
        subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
                        "--convert-to", target, "--outdir", str(out), str(path)], check=True, capture_output=True,
                       timeout=120)
    assert sorted(p.suffix for p in out.iterdir()) == [".xls", ".xlsx"]
    progress = collect([out], written / "notice.json", AS_OF)
    used = {ledger.unit: ledger for ledger in progress.ledgers}
    assert used["市商务局"].matched_by == used["市财政局"].matched_by == "identity"
    entries = {(e.unit, e.row): e for e in progress.entries}
    assert (entries["市商务局", "1.1.1"].status, entries["市商务局", "1.1.1"].progress,
            entries["市商务局", "1.1.1"].done_date) == ("in_progress", "按期推进", "2024-05-06")
    first = unit_ids_of(paths["市财政局"])[0]
    assert (entries["市财政局", first].status, entries["市财政局", first].done_date) == ("done", "2024-04-01")
    assert not [p for p in progress.problems if p.code not in ("not-returned",)]


def unit_ids_of(path: Path) -> list[str]:
    sheet = openpyxl.load_workbook(path)["落实台账"]
    return [sheet.cell(r, 1).value for r in range(2, sheet.max_row + 1)]


def test_every_problem_is_said(document, written, tmp_path):
    folder = tmp_path / "returned"
    paths = copy_ledgers(written, folder, "市商务局", "市财政局", "市发展改革委", "市大数据局")
    # 市商务局: a row id that does not exist, a row deleted, a locked cell changed, a status and a date that are wrong.
    workbook = openpyxl.load_workbook(paths["市商务局"])
    sheet = workbook["落实台账"]
    sheet.protection.sheet = False
    sheet.cell(2, 4, "改过的要求")  # 1.1.1's requirement
    sheet.cell(3, 10, "差不多")  # 1.1.5's status
    sheet.cell(4, 11, "下周")  # 1.5.2's date
    sheet.delete_rows(6)  # 1.5.9
    sheet.cell(6, 1, "9.9.9")
    workbook.save(paths["市商务局"])
    # 市财政局: returned twice, the later copy wins.
    fill(paths["市财政局"], {unit_ids_of(paths["市财政局"])[0]: {10: "未启动"}}, modified=datetime(2024, 5, 1))
    newer = folder / "财政局-重报.xlsx"
    shutil.copy(paths["市财政局"], newer)
    fill(newer, {unit_ids_of(newer)[0]: {10: "推进中"}}, modified=datetime(2024, 6, 1))
    # 市发展改革委: the hidden sheet removed (renamed file keeps the unit's name); 市大数据局: another notice's.
    workbook = openpyxl.load_workbook(paths["市发展改革委"])
    del workbook["fenjie"]
    workbook.save(paths["市发展改革委"])
    paths["市发展改革委"].rename(folder / "市发展改革委台账.xlsx")
    workbook = openpyxl.load_workbook(paths["市大数据局"])
    workbook["fenjie"]["A2"] = "0" * 64
    workbook.save(paths["市大数据局"])
    (folder / "损坏.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")
    (folder / "无关.xlsx").write_bytes(Path(shutil.copy(paths["市财政局"], tmp_path / "x.xlsx")).read_bytes())
    workbook = openpyxl.load_workbook(folder / "无关.xlsx")
    del workbook["fenjie"]
    workbook.save(folder / "无关.xlsx")

    result = run_cli("collect", folder, "--notice", written / "notice.json", "--out", tmp_path / "report",
                     "--as-of", "2024-07-15")
    assert result.returncode == 0, result.stderr
    progress = Progress.model_validate_json((tmp_path / "report" / "progress.json").read_bytes())
    said = {(p.code, p.unit, p.row) for p in progress.problems}
    assert {("locked-changed", "市商务局", "1.1.1"), ("bad-status", "市商务局", "1.1.5"),
            ("bad-date", "市商务局", "1.5.2"), ("deleted-row", "市商务局", "1.5.9"),
            ("unknown-row", "市商务局", "9.9.9"), ("duplicate-ledger", "市财政局", None),
            ("matched-by-name", "市发展改革委", None), ("other-notice", "市大数据局", None),
            ("not-returned", "市大数据局", None)} <= said
    codes = [p.code for p in progress.problems]
    assert codes.count("unreadable") == 1 and codes.count("unmatched") == 1
    assert codes.count("not-returned") == 47 - 3
    entries = {(e.unit, e.row): e for e in progress.entries}
    assert entries["市财政局", unit_ids_of(newer)[0]].status == "in_progress"
    assert entries["市财政局", unit_ids_of(newer)[0]].ledger == str(newer)
    assert entries["市商务局", "1.1.5"].status is None and entries["市商务局", "1.5.9"].status is None
    # Every problem is a line of the command's output and of the 问题 sheet.
    for problem in progress.problems:
        assert problem.message in result.stderr
    sheet = openpyxl.load_workbook(tmp_path / "report" / "progress.xlsx")["问题"]
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == codes
    assert "3/47 units reported" in result.stdout


def test_collect_again_gives_the_same_bytes(written, tmp_path):
    paths = copy_ledgers(written, tmp_path / "returned", "市商务局")
    fill(paths["市商务局"], {"1.1.1": {10: "已完成"}})
    for out in ("a", "b"):
        result = run_cli("collect", tmp_path / "returned", "--notice", written / "notice.json", "--out",
                         tmp_path / out, "--as-of", "2024-07-15")
        assert result.returncode == 0, result.stderr
    for name in ("progress.json", "progress.xlsx"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_collect_refuses_what_is_not_a_notice(tmp_path):
    (tmp_path / "notice.json").write_text("{}", encoding="utf-8")
    result = run_cli("collect", tmp_path, "--notice", tmp_path / "notice.json", "--out", tmp_path / "report")
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "notice.json" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "report").exists()
    result = run_cli("collect", tmp_path, "--notice", tmp_path / "notice.json", "--as-of", "15.7.2024")
    assert result.returncode == 2 and "--as-of" in result.stderr


def test_the_seed_round_trip_takes_seconds(document, tmp_path):
    # CPU time of this process: what the work costs, whatever else the machine is doing.
    start = time.process_time()
    write_ledgers(document, tmp_path, LedgerOptions(generated_at=STAMP))
    for n, path in enumerate(sorted((tmp_path / "ledgers").glob("*.xlsx"))):
        fill(path, {row_id: {9: "进展", 10: ["未启动", "推进中", "已完成", "长期推进"][n % 4]}
                    for row_id in unit_ids_of(path)})
    progress = fenjie.collect([tmp_path / "ledgers"], document, AS_OF)
    write_report(progress, document, tmp_path / "report")
    assert time.process_time() - start < 10
    assert all(u.returned for u in progress.units) and not progress.problems
    assert all(e.status is not None for e in progress.entries)


def test_progress_json_obeys_its_published_schema(written, tmp_path):
    published = ROOT / "schemas" / "progress.schema.json"
    assert published.read_text(encoding="utf-8") == schema_json(Progress, "progress", PROGRESS_SCHEMA_VERSION)
    assert run_cli("schema", "progress").stdout == published.read_text(encoding="utf-8")
    progress = collect([], written / "notice.json", AS_OF)
    write_report(progress, fenjie.ledger.collect.load_notice(written / "notice.json"), tmp_path)
    Draft202012Validator(json.loads(published.read_text(encoding="utf-8"))).validate(
        json.loads((tmp_path / "progress.json").read_text(encoding="utf-8")))


def test_with_a_unit_directory_a_member_also_gets_its_groups_rows(tmp_path):
    directory = ROOT / "fenjie" / "data" / "units-jining.toml"
    document = fenjie.convert(SEED_DOCX, units=directory)
    write_ledgers(document, tmp_path, LedgerOptions(generated_at=STAMP))
    by_name = {u.name: u for u in document.units}
    member = by_name["市商务局"]
    assert "市政府各部门、单位" in member.groups
    ids = unit_ids_of(ledger_path(tmp_path, "市商务局"))
    assert set(ids) == {i for u in [member, *(by_name[g] for g in member.groups)] for i in u.lead + u.responsible}
    assert len(ids) > len(member.lead + member.responsible)
    order = [row.id for row in document.rows]
    assert ids == sorted(ids, key=order.index)
