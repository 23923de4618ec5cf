"""Per-unit Word letters: contents read back with python-docx, layout, unit directory, file names, templates."""

from __future__ import annotations

import io
import os
import re
import time
import zipfile
from collections import Counter
from datetime import UTC, date, datetime
from pathlib import Path

import docx
import openpyxl
import pytest
from conftest import ROOT, SEED_DOCX, run_cli
from docx.enum.text import WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Mm

from fenjie import convert
from fenjie.data.build_template import TARGET, build
from fenjie.errors import BadUnits, TemplateError
from fenjie.model import Deadline, Document, Notice, Row, Source, SourceRef, Unit
from fenjie.normalize.directory import load_directory
from fenjie.normalize.subject import subject_of
from fenjie.render import write_all
from fenjie.render.filenames import numbered_names, safe_stem
from fenjie.render.word import TEMPLATE_VARIABLES, context_of
from fenjie.rules import load as load_rules

DIRECTORY = ROOT / "fenjie" / "data" / "units-jining.toml"
GROUP = "市政府各部门、单位"
WINDOWS_FORBIDDEN = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


@pytest.fixture(scope="module")
def seed() -> Document:
    return convert(SEED_DOCX)


@pytest.fixture(scope="module")
def letters(seed, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("letters")
    write_all(seed, folder, only=["letters"])
    return folder / "letters"


@pytest.fixture(scope="module")
def grouped_letters(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("grouped")
    write_all(convert(SEED_DOCX, units=DIRECTORY), folder, only=["letters"])
    return folder / "letters"


def letter_of(folder: Path, unit: str) -> Path:
    (path,) = [p for p in folder.glob("*.docx") if p.name.split("-", 1)[1] == safe_stem(unit) + ".docx"]
    return path


def task_tables(path: Path) -> dict[str, list[dict[str, str]]]:
    """The letter's task tables as {role: [row cells by header]}; the fourth header tells the role."""
    tables = {}
    for table in docx.Document(path).tables:
        header = [cell.text for cell in table.rows[0].cells]
        role = {"责任单位": "lead", "牵头部门": "responsible"}[header[3]]  # the notice's own column words
        tables[role] = [dict(zip(header, (cell.text for cell in row.cells), strict=True)) for row in table.rows[1:]]
    return tables


def requirements(document: Document, ids: list[str]) -> list[str]:
    by_id = {row.id: row for row in document.rows}
    return sorted(by_id[i].requirement for i in ids)


def test_one_letter_per_unit_in_table_order(seed, letters):
    names = sorted(p.name for p in letters.glob("*.docx"))
    assert len(names) == len(seed.units) == 47
    assert names == [f"{n:02d}-{unit.name}.docx" for n, unit in enumerate(seed.units, 1)]
    sheet = openpyxl.load_workbook(letters / "index.xlsx").active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("单位", "函件文件", "牵头任务", "参与任务", "其中群组任务")
    assert rows[1:] == [(u.name, name, len(u.lead), len(u.responsible), 0)
                        for u, name in zip(seed.units, names, strict=True)]
    with zipfile.ZipFile(letters / "index.xlsx") as index:  # no clock time: the same letters, the same bytes
        assert {info.date_time for info in index.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_every_letter_holds_exactly_its_units_rows(seed, letters):
    for unit in seed.units:
        tables = task_tables(letter_of(letters, unit.name))
        for role in ("lead", "responsible"):
            found = sorted(row["具体要求"] for row in tables.get(role, []))
            assert found == requirements(seed, getattr(unit, role)), (unit.name, role)
    commerce = task_tables(letter_of(letters, "市商务局"))
    assert (len(commerce["lead"]), len(commerce["responsible"])) == (4, 1)


def test_rows_are_numbered_and_sorted_by_deadline_then_table_order(seed, letters):
    by_requirement = {row.requirement: (row.deadline.date or "9999", n) for n, row in enumerate(seed.rows)}
    for unit in seed.units:
        for rows in task_tables(letter_of(letters, unit.name)).values():
            assert [row["序号"] for row in rows] == [str(n) for n in range(1, len(rows) + 1)]
            keys = [by_requirement[row["具体要求"]] for row in rows]
            assert keys == sorted(keys), unit.name


def test_row_cells_show_task_partners_and_deadline(seed, letters):
    (row,) = [r for r in seed.rows if "市商务局" in r.responsible]
    (cells,) = task_tables(letter_of(letters, "市商务局"))["responsible"]
    assert cells == {"序号": "1", "工作任务": row.task.title, "具体要求": row.requirement,
                     "牵头部门": "、".join(row.lead), "完成时限": row.deadline.text}


def test_letter_text_names_unit_notice_and_issuer(seed, letters):
    paragraphs = [p.text for p in docx.Document(letter_of(letters, "市商务局")).paragraphs if p.text]
    assert paragraphs[:2] == ["关于落实2024年政务", "公开工作任务分工的通知"]
    assert paragraphs[2] == "市商务局："
    assert paragraphs[3] == (f"根据《{seed.notice.title}》（{seed.notice.doc_number}）要求，现将你单位牵头的4项、"
                             "作为责任单位参与的1项工作任务交办如下，请认真抓好落实。")
    assert paragraphs[4:6] == ["附件：1．2024年政务公开工作牵头任务清单", "　　　2．2024年政务公开工作参与任务清单"]
    assert paragraphs[6] == seed.notice.issuer and re.fullmatch(r"20\d\d年\d+月\d+日", paragraphs[7])
    assert paragraphs[8:10] == ["附件1", "2024年政务公开工作牵头任务清单"]


def test_subject_comes_from_the_notice_without_its_own_words(seed):
    rules = load_rules()
    table_title = "某某市贯彻落实2023年某某省安全生产工作要点任务分解表"
    assert subject_of(None, table_title, 2023, rules) == "2023年安全生产工作"
    assert subject_of("关于印发城市管理工作方案的通知", None, 2025, rules) == "2025年城市管理工作"
    assert subject_of(None, None, None, rules) == ""
    assert seed.notice.subject == "2024年政务公开工作"


def _fonts(style) -> dict[str, str]:
    fonts = style.element.rPr.find(qn("w:rFonts"))
    return {slot: fonts.get(qn(f"w:{slot}")) for slot in ("ascii", "eastAsia")}


def test_layout_follows_gb_t_9704(letters):
    letter = docx.Document(letter_of(letters, "市商务局"))
    section = letter.sections[0]
    for length, mm in ((section.page_width, 210), (section.page_height, 297), (section.top_margin, 37),
                       (section.bottom_margin, 35), (section.left_margin, 28), (section.right_margin, 26)):
        assert abs(length - Mm(mm)) < Mm(0.1)
    expected = {"Title": ("方正小标宋简体", 22), "Normal": ("仿宋_GB2312", 16), "Heading 1": ("黑体", 16),
                "Heading 2": ("楷体_GB2312", 16), "Table Text": ("仿宋_GB2312", 12), "Footer": ("宋体", 14)}
    for name, (font, size) in expected.items():
        style = letter.styles[name]
        assert _fonts(style) == {"ascii": font, "eastAsia": font}, name
        assert style.font.size.pt == size, name
    body = letter.styles["Normal"].paragraph_format
    assert body.line_spacing_rule == WD_LINE_SPACING.EXACTLY and 28 <= body.line_spacing.pt <= 29
    assert letter.styles["Normal"].element.pPr.ind.get(qn("w:firstLineChars")) == "200"
    assert letter.paragraphs[0].style.name == "Title" and letter.paragraphs[0].style.paragraph_format.alignment == 1
    assert {p.style.name for p in letter.paragraphs if p.text.startswith("附件") and len(p.text) < 4} == {
        "Attachment Label"}
    assert {p.style.name for t in letter.tables for row in t.rows[1:] for c in row.cells for p in c.paragraphs} == {
        "Table Text"}
    assert letter.settings.odd_and_even_pages_header_footer
    for footer, alignment in ((section.footer, 2), (section.even_page_footer, 0)):  # odd right, even left
        paragraph = footer.paragraphs[0]
        assert paragraph.text == "— 1 —" and paragraph.style.paragraph_format.alignment == alignment
        assert [i.text for i in paragraph._p.iter(qn("w:instrText"))] == [" PAGE "]


def test_member_letter_lists_its_groups_rows_marked(seed, grouped_letters):
    (group,) = [u for u in seed.units if u.name == GROUP]
    (commerce,) = [u for u in seed.units if u.name == "市商务局"]
    tables = task_tables(letter_of(grouped_letters, "市商务局"))
    for role in ("lead", "responsible"):
        rows = tables[role]
        marked = [r["具体要求"] for r in rows if r["工作任务"].endswith(f"\n属{GROUP}任务")]
        direct = [r["具体要求"] for r in rows if "\n" not in r["工作任务"]]
        assert sorted(direct) == requirements(seed, getattr(commerce, role))
        expected_group = set(requirements(seed, getattr(group, role))) - set(
            requirements(seed, commerce.lead + commerce.responsible))
        assert set(marked) == expected_group and len(marked) == len(expected_group)
    opening = next(p.text for p in docx.Document(letter_of(grouped_letters, "市商务局")).paragraphs
                   if p.text.startswith("根据"))
    assert f"其中{GROUP}承担的" in opening


def test_directory_reaches_members_the_table_never_names(seed, grouped_letters):
    counties = [p for p in grouped_letters.glob("*.docx") if "任城区人民政府" in p.name]
    assert len(counties) == 1
    (collective,) = [u for u in seed.units if u.name == "各县（市、区）政府"]
    tables = task_tables(counties[0])
    assert not [r for r in tables["lead"] if "共同牵头：各县（市、区）政府" in r["责任单位"]]  # the group is "you"
    assert sorted(r["具体要求"] for r in tables["lead"]) == requirements(seed, collective.lead)
    assert all(r["工作任务"].endswith("\n属各县（市、区）政府任务") for r in tables["lead"] + tables["responsible"])


def test_aliases_merge_into_one_letter(seed, tmp_path):
    units = tmp_path / "units.toml"
    units.write_text('[units."济宁市商务财政"]\naliases = ["市商务局", "市财政局"]\n', encoding="utf-8")
    merged = convert(SEED_DOCX, units=units)
    (unit,) = [u for u in merged.units if u.name == "济宁市商务财政"]
    assert unit.aliases == ["市商务局", "市财政局"] and len(merged.units) == 46
    assert not [w for w in merged.warnings if w.code == "lost-text"]  # the source's spellings are in the aliases
    write_all(merged, tmp_path, only=["letters"])
    names = [p.name for p in (tmp_path / "letters").glob("*.docx")]
    assert len(names) == 46 and not any("市商务局" in n or "市财政局" in n for n in names)
    by_name = {u.name: u for u in seed.units}
    lead = task_tables(letter_of(tmp_path / "letters", "济宁市商务财政"))["lead"]
    assert sorted(r["具体要求"] for r in lead) == sorted(
        set(requirements(seed, by_name["市商务局"].lead + by_name["市财政局"].lead)))
    write_all(seed, tmp_path, only=["letters"])  # again without the directory: no letter of the first run stays
    names = [p.name for p in (tmp_path / "letters").glob("*.docx")]
    assert len(names) == 47 and not any("济宁市商务财政" in n for n in names)


def test_bad_directories_are_one_line_errors(tmp_path):
    cases = {"a = [": "not a TOML file", '[units."甲"]\nmembers = ["乙"]\n': "expected only the keys",
             '[units."甲"]\naliases = ["丙"]\n[units."乙"]\naliases = ["丙"]\n': "already names another unit",
             '[units."甲"]\ngroups = "乙"\n': "expected a list of names"}
    for n, (text, message) in enumerate(cases.items()):
        path = tmp_path / f"units{n}.toml"
        path.write_text(text, encoding="utf-8")
        with pytest.raises(BadUnits, match=message):
            load_directory(path)
    assert load_directory(DIRECTORY).groups_of("市财政局") == (GROUP, "市政府有关部门、单位")


def _document_with_units(names: list[str]) -> Document:
    row = Row(id="1.1.1", lead=names, requirement="要求", source=SourceRef(table=0, row=1),
              deadline=Deadline(text="6月底前", date="2024-06-30", kind="by"))
    return Document(source=Source(name="x.docx", format="docx", sha256="0"), notice=Notice(title="关于某事的通知"),
                    rows=[row], units=[Unit(name=n, lead=["1.1.1"]) for n in names])


def test_unsafe_and_colliding_unit_names_give_distinct_valid_files(tmp_path):
    names = ["市A/B局", "市A／B局", "市a/b局", 'x:*?"<>|\\y', "CON", "尾点. ", "控\x07制", "长" * 300]
    write_all(_document_with_units(names), tmp_path, only=["letters"])
    files = sorted((tmp_path / "letters").glob("*.docx"))
    assert len({p.name.lower() for p in files}) == len(names)
    for path in files:
        stem = path.name.removesuffix(".docx")
        assert not WINDOWS_FORBIDDEN.search(stem) and not stem.endswith((".", " ")) and len(path.name) <= 80
        assert len(task_tables(path)["lead"]) == 1
    titles = [docx.Document(p).paragraphs[1].text for p in files]
    assert titles == [n.replace("\x07", "") + "：" for n in names]


def test_safe_stem():
    assert safe_stem("CON") == "_CON" and safe_stem("aux.txt") == "_aux.txt"
    assert safe_stem(" ..") == "_" and safe_stem("a<b>") == "a＜b＞"
    assert numbered_names(["x"] * 100, ".docx")[0] == "001-x.docx"


def test_committed_template_is_what_the_script_builds():
    with zipfile.ZipFile(TARGET) as committed, zipfile.ZipFile(io.BytesIO(build())) as built:
        assert committed.namelist() == built.namelist()
        for name in committed.namelist():
            assert committed.read(name) == built.read(name), name


def _template(path: Path, *paragraphs: str) -> Path:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    document.save(path)
    return path


ROW_FIELDS = ("no", "id", "section", "task", "requirement", "lead", "responsible", "deadline", "deadline_date", "group",
              "partners")


def test_a_users_template_sees_every_variable(seed, tmp_path):
    template = _template(tmp_path / "mine.docx",
                         "{{ unit }}|{{ subject }}|{{ notice.doc_number }}|{{ table_title }}|{{ date }}|{{ groups }}",
                         "{%p for row in lead_rows %}", "|".join(f"{{{{ row.{f} }}}}" for f in ROW_FIELDS),
                         "{%p endfor %}", "{{ responsible_rows|length }}")
    write_all(seed, tmp_path, only=["letters"], template=template, date=date(2024, 3, 5))
    text = [p.text for p in docx.Document(letter_of(tmp_path / "letters", "市商务局")).paragraphs]
    assert text[0] == f"市商务局|2024年政务公开工作|{seed.notice.doc_number}|{seed.table.title}|2024年3月5日|[]"
    first = seed.rows[0]
    assert text[1] == "|".join(["1", first.id, first.section.title, first.task.title, first.requirement, "市商务局",
                                "、".join(first.responsible), first.deadline.text, first.deadline.date, "",
                                "、".join(first.responsible)])
    assert len(text) == 6 and text[-1] == "1"


def test_an_edited_template_is_used_by_the_same_process(seed, tmp_path):
    """A long-lived process (a Dask worker, serve) keeps no template of a file that was edited since."""
    template = _template(tmp_path / "mine.docx", "甲 {{ unit }}")
    write_all(seed, tmp_path / "first", only=["letters"], template=template)
    stamp = template.stat()
    _template(template, "乙 {{ unit }}")
    os.utime(template, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))  # as a coarse clock or a copy keeping times leaves it
    write_all(seed, tmp_path / "again", only=["letters"], template=template)
    for folder, word in (("first", "甲"), ("again", "乙")):
        letter = letter_of(tmp_path / folder / "letters", "市商务局")
        assert [p.text for p in docx.Document(letter).paragraphs] == [f"{word} 市商务局"]


@pytest.mark.parametrize(("paragraphs", "named"), [
    (["{% for row in lead_rows %}{{ row.no }}"], "endfor"),
    (["{{ unit }", "{{ unit }}"], "{{ unit }"),
    (["{{ units }}"], "units"),
    (["{{ lead_rows[0].nope }}"], "nope"),
])
def test_a_broken_template_is_a_one_line_error_naming_the_tag(seed, tmp_path, paragraphs, named):
    template = _template(tmp_path / "broken.docx", *paragraphs)
    with pytest.raises(TemplateError) as error:
        write_all(seed, tmp_path, only=["letters"], template=template)
    assert named in str(error.value) and "\n" not in str(error.value) and str(template) in str(error.value)


def test_a_template_part_that_is_not_utf8_is_a_template_error(seed, tmp_path):
    good = _template(tmp_path / "good.docx", "{{ unit }}")
    template = tmp_path / "latin1.docx"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(template, "w") as copy:
        for info in source.infolist():
            data = source.read(info)
            copy.writestr(info, data.replace(b"{{ unit }}", "{{ unit }}\xe9".encode("latin-1"))
                          if info.filename == "word/document.xml" else data)
    with pytest.raises(TemplateError, match="word/document.xml is not UTF-8 XML"):
        write_all(seed, tmp_path, only=["letters"], template=template)


def test_cli_template_and_units_options(tmp_path):
    broken = _template(tmp_path / "broken.docx", "{% if unit %}")
    result = run_cli("convert", SEED_DOCX, "--out", tmp_path, "--only", "letters", "--template", broken)
    assert result.returncode == 1 and result.stderr.count("\n") == 1 and "[bad-template]" in result.stderr
    result = run_cli("convert", SEED_DOCX, "--out", tmp_path, "--only", "letters", "--units", DIRECTORY)
    assert result.returncode == 0, result.stderr
    assert len(list((tmp_path / "jining-2024" / "letters").glob("*.docx"))) == 58


def test_letters_of_the_seed_take_a_fraction_of_a_second(seed, tmp_path):
    write_all(seed, tmp_path, only=["letters"])  # the template is loaded once per process
    started = time.process_time()
    write_all(seed, tmp_path, only=["letters"])
    # About 0.3 s on a quiet machine; CPU time itself grows when other processes share the cores' caches
    # (0.54 s seen under a load of 5), so the bound catches a slowdown of 3x, not noise.
    assert time.process_time() - started < 1.0


def test_readme_lists_every_template_variable(seed):
    section = (ROOT / "README.md").read_text("utf-8").split("## Templates")[1].split("\n## ")[0]
    assert [name for name in TEMPLATE_VARIABLES + ROW_FIELDS if f"`{name}`" not in section] == []
    context = context_of(seed, seed.assignments()[0])
    assert tuple(context) == TEMPLATE_VARIABLES and tuple(context["lead_rows"][0]) == ROW_FIELDS


def test_with_a_directory_json_sheets_and_index_list_the_same_units_and_counts(tmp_path):
    result = run_cli("convert", SEED_DOCX, "--out", tmp_path, "--units", DIRECTORY)
    assert result.returncode == 0, result.stderr
    out = tmp_path / "jining-2024"
    document = Document.model_validate_json((out / "notice.json").read_text("utf-8"))
    index = list(openpyxl.load_workbook(out / "letters" / "index.xlsx").active.iter_rows(min_row=2, values_only=True))
    book = openpyxl.load_workbook(out / "tasks.xlsx")
    summary = list(book["单位汇总"].iter_rows(min_row=2, max_col=5, values_only=True))
    by_unit = Counter(row[:2] for row in book["按单位"].iter_rows(min_row=2, values_only=True))
    expected = {a.unit.name: (len(a.lead), len(a.responsible), a.through_groups) for a in document.assignments()}
    assert len(expected) == len(document.units) == 58
    assert {unit: (lead, responsible, groups) for unit, _, lead, responsible, groups in index} == expected
    assert {unit: (lead, responsible, groups) for unit, lead, responsible, _, groups in summary} == expected
    assert {unit: (by_unit[unit, "牵头"], by_unit[unit, "责任"]) for unit in expected} == {
        unit: counts[:2] for unit, counts in expected.items()}
    commerce = next(u for u in document.units if u.name == "市商务局")
    assert commerce.groups == [GROUP, "市政府有关部门、单位"] and expected["市商务局"][2] > 0
    counties = next(u for u in document.units if u.name == "各县（市、区）政府")
    assert "各县（市、区）人民政府" in counties.aliases  # the directory's alias, now the notice's own


def test_a_users_rules_change_the_subject_of_the_letters(tmp_path):
    rules = tmp_path / "rules.toml"
    rules.write_text('[subject]\ntable_kinds = ["工作"]\n', encoding="utf-8")
    result = run_cli("convert", SEED_DOCX, "--out", tmp_path, "--only", "letters", "--only", "json", "--rules", rules)
    assert result.returncode == 0, result.stderr
    out = tmp_path / "jining-2024"
    assert Document.model_validate_json((out / "notice.json").read_text("utf-8")).notice.subject == "2024年政务公开"
    title = docx.Document(letter_of(out / "letters", "市商务局")).paragraphs[0].text
    assert "2024年政务公开" in title and "政务公开工作" not in title


def test_writers_import_nothing_from_the_normalizer_or_the_rules():
    for module in (ROOT / "fenjie" / "render").glob("*.py"):
        text = module.read_text("utf-8")
        assert not re.search(r"fenjie\.(normalize|rules)|from fenjie import (normalize|rules)", text), module.name


def _texts(path: Path) -> list[str]:
    return [p.text for p in docx.Document(path).paragraphs if p.text]


def _nested(text: str) -> bool:
    depth = 0
    for ch in text:
        depth += ch in "（(" and 1 or 0
        if depth > 1:
            return True
        depth -= ch in "）)" and 1 or 0
    return False


def test_letters_read_as_official_letters(grouped_letters, letters):
    for folder in (letters, grouped_letters):
        for path in folder.glob("*.docx"):
            unit = path.stem.split("-", 1)[1]
            body = [t for t in _texts(path) if t.startswith("根据")]
            assert len(body) == 1 and not re.search(r"(?<!\d)0项", body[0]), path.name
            texts = _texts(path)
            notes = [t for t in texts if t.startswith("附件：")]
            labels = [t for t in texts if re.fullmatch(r"附件\d*", t)]
            assert len(notes) == 1 and labels in (["附件"], ["附件1", "附件2"]), (path.name, labels)
            assert (labels == ["附件"]) == (not notes[0].startswith("附件：1．"))
            assert not _nested(body[0]), body[0]
            collective = unit.startswith("各") or unit.endswith(("部门、单位", "成员单位"))
            assert ("你单位" in body[0]) != collective, body[0]
    counties = _texts(letter_of(letters, "各县（市、区）政府"))
    assert counties[2] == "各县（市、区）人民政府："  # the notice's own spelling in its 主送
    assert "请各县（市、区）人民政府认真抓好落实" in counties[3]


def test_co_leads_are_named(seed, letters):
    shared = [r for r in seed.rows if len(r.lead) > 1]
    assert shared
    row = shared[0]
    for unit in row.lead:
        cells = next(c for c in task_tables(letter_of(letters, unit))["lead"] if c["具体要求"] == row.requirement)
        others = "、".join(name for name in row.lead if name != unit)
        assert cells["责任单位"].startswith(f"共同牵头：{others}"), cells["责任单位"]


def test_letter_options_date_kind_cc_contact_report_and_properties(seed, tmp_path):
    generated = datetime(2024, 3, 4, 17, 30, tzinfo=UTC)
    write_all(seed, tmp_path, only=["letters"], date=date(2024, 3, 5), kind="函",
              cc=["市委办公室", "市人大常委会办公室"], contact="张三，0537-2345678", report_by=date(2024, 6, 30),
              generated_at=generated)
    path = letter_of(tmp_path / "letters", "市商务局")
    texts = _texts(path)
    assert "".join(texts[:texts.index("市商务局：")]) == "关于落实2024年政务公开工作任务分工的函"
    assert "请你单位于2024年6月30日前将落实情况报送济宁市人民政府办公室。" in texts
    assert texts[texts.index(seed.notice.issuer) + 1] == "2024年3月5日"
    assert "（联系人：张三，0537-2345678）" in texts
    assert texts[-2:] == ["抄送：市委办公室、市人大常委会办公室。", f"{seed.notice.issuer}\t2024年3月5日印发"]
    assert [t for t in texts if re.fullmatch(r"附件\d", t)] == ["附件1", "附件2"]
    properties = docx.Document(path).core_properties
    assert properties.title == "关于落实2024年政务公开工作任务分工的函" and properties.author == seed.notice.issuer
    assert properties.created == generated and properties.comments == ""
    with zipfile.ZipFile(path) as package:
        assert b"python-docx" not in package.read("docProps/core.xml")
        assert b"Macintosh" not in package.read("docProps/app.xml")


def test_merge_identical_gives_one_letter_to_units_with_the_same_tables(seed, tmp_path):
    write_all(seed, tmp_path, only=["letters"], merge_identical=True)
    folder = tmp_path / "letters"
    (merged,) = [p for p in folder.glob("*.docx") if p.name.endswith("-各县（市、区）政府等4个单位.docx")]
    texts = _texts(merged)
    assert "各县（市、区）人民政府、济宁高新区管委会、太白湖新区管委会、济宁经济技术开发区管委会：" in texts
    assert not [t for t in texts if "你单位" in t]
    index = list(openpyxl.load_workbook(folder / "index.xlsx").active.iter_rows(min_row=2, values_only=True))
    assert len(index) == 47 and sum(1 for row in index if row[1] == merged.name) == 4
    assert len(list(folder.glob("*.docx"))) == 47 - 3 - 1 - 1 - 3 - 1
