"""The seed .docx rewritten the ways Word, WPS and LibreOffice write the same table: same rows out.

Each variant edits word/document.xml of samples/jining-2024.docx with lxml and must give the seed's
rows exactly (compare.py) with no warnings.
"""

from __future__ import annotations

import copy

import pytest
from conftest import SEED_DOCX, SEED_EXPECTED, W, compare, convert_json, docx_variant, run_of, w
from lxml import etree

LEAD, RESPONSIBLE, REQUIREMENT, DEADLINE = 1, 2, 3, 4  # columns of the seed table


def task_table(root: etree._Element) -> etree._Element:
    return root.find(f"{W}body/{W}tbl")


def table_rows(root: etree._Element) -> list[etree._Element]:
    return task_table(root).findall(W + "tr")


def cells(tr: etree._Element) -> list[etree._Element]:
    return tr.findall(W + "tc")


def body_cells(root: etree._Element, column: int) -> list[etree._Element]:
    """The cells of one column in the item rows (not the header, not the full-width section rows)."""
    return [cells(tr)[column] for tr in table_rows(root)[1:] if len(cells(tr)) > column]


def paragraphs(tc: etree._Element) -> list[etree._Element]:
    return tc.findall(W + "p")


def runs(p: etree._Element) -> list[etree._Element]:
    return p.findall(W + "r")


def merge_marks(root: etree._Element) -> list[etree._Element]:
    return root.iter(W + "vMerge")


# --- the variants -------------------------------------------------------------------------------


def breaks_instead_of_paragraphs(root):
    """Several units in a cell as one paragraph with w:br between them (WPS writes it this way)."""
    joined = 0
    for tr in table_rows(root):
        for tc in cells(tr):
            first, *rest = paragraphs(tc)
            for p in rest:
                brk = w("r")
                brk.append(w("br"))
                first.append(brk)
                first.extend(runs(p))
                tc.remove(p)
                joined += 1
    assert joined >= 30


def tracked_changes_in_unit_cells(root):
    """A reviewer replaced names: w:del/w:delText and w:moveFrom must not count, w:ins and w:moveTo must."""
    for tc in body_cells(root, LEAD):
        p = paragraphs(tc)[0]
        deletion = w("del", id="1", author="审核人")
        deletion.append(run_of("某某市错误局、", tag="delText"))
        deletion.append(run_of("某某市多余局、"))  # some tools leave w:t inside w:del: still deleted
        insertion = w("ins", id="2", author="审核人")
        insertion.extend(runs(p))
        p.extend([deletion, insertion])
    grid = task_table(root).find(W + "tblGrid")  # the table's earlier columns, kept by a tracked edit
    grid.append(w("tblGridChange", id="5"))
    grid[-1].append(copy.deepcopy(grid))
    for tc in body_cells(root, RESPONSIBLE):
        p = paragraphs(tc)[0]
        moved_from = w("moveFrom", id="3", author="审核人")
        moved_from.append(run_of("某某市挪走局，"))
        moved_to = w("moveTo", id="4", author="审核人")
        moved_to.extend(runs(p))
        p.extend([moved_from, moved_to])


def split_table(at: int, restate_merged: bool):
    """The table split in two before row AT, the second part repeating the header row, a page break
    between; with RESTATE_MERGED the cells merged across the cut are written again on the new page."""

    def edit(root):
        first = task_table(root)
        second = etree.Element(W + "tbl")
        second.extend(copy.deepcopy(first.find(W + tag)) for tag in ("tblPr", "tblGrid"))
        rows = table_rows(root)
        second.append(copy.deepcopy(rows[0]))
        second.extend(rows[at:])
        if restate_merged:
            for column, tc in enumerate(cells(rows[at])):
                mark = tc.find(f"{W}tcPr/{W}vMerge")
                if mark is not None and mark.get(W + "val") != "restart":
                    origin = next(cells(tr)[column] for tr in reversed(rows[:at])
                                  if cells(tr)[column].find(f"{W}tcPr/{W}vMerge[@{W}val='restart']") is not None)
                    mark.set(W + "val", "restart")
                    for p in paragraphs(tc):
                        tc.remove(p)
                    tc.extend(copy.deepcopy(paragraphs(origin)))
        page_break = w("p")
        page_break.append(w("r"))
        page_break[0].append(w("br", type="page"))
        first.addnext(page_break)
        page_break.addnext(second)

    return edit


def names_split_across_runs(root):
    """Word cuts runs anywhere (spell check, revision ids): every run of the table split in two."""
    for t in list(task_table(root).iter(W + "t")):
        text = t.text or ""
        if len(text) < 2:
            continue
        run = t.getparent()
        tail = copy.deepcopy(run)
        middle = len(text) // 2
        t.text = text[:middle]
        tail.find(W + "t").text = text[middle:]
        run.addnext(tail)


def content_controls(root):
    """w:sdt around a cell's paragraphs, around whole cells, around a row, around runs and a paragraph."""
    for tc in body_cells(root, RESPONSIBLE):
        control = w("sdt")
        content = etree.SubElement(control, W + "sdtContent")
        content.extend(paragraphs(tc))
        tc.append(control)
    for tc in body_cells(root, DEADLINE):
        control = w("sdt")
        tc.addprevious(control)
        etree.SubElement(control, W + "sdtContent").append(tc)
    tr = table_rows(root)[5]
    control = w("sdt")
    tr.addprevious(control)
    etree.SubElement(control, W + "sdtContent").append(tr)
    for tc in body_cells(root, LEAD):
        p = paragraphs(tc)[0]
        control = w("sdt")
        etree.SubElement(control, W + "sdtContent").extend(runs(p))
        p.append(control)
    empty = w("sdt")  # a control with properties and no content
    empty.append(w("sdtPr"))
    task_table(root).addprevious(empty)
    title = root.find(f"{W}body/{W}p[5]")
    control = w("sdt")
    title.addprevious(control)
    etree.SubElement(control, W + "sdtContent").append(title)


def fields_and_hyperlinks(root):
    """Lead names as field results (the instruction is not text); requirements inside hyperlinks."""
    for tc in body_cells(root, LEAD):
        for p in paragraphs(tc):
            result = runs(p)
            if not result:
                continue
            begin, separate, end = (run_of("") for _ in range(3))
            for run, kind in ((begin, "begin"), (separate, "separate"), (end, "end")):
                run.remove(run[0])
                run.append(w("fldChar", fldCharType=kind))
            result[0].addprevious(begin)
            begin.addnext(run_of(' DOCPROPERTY "某某市牵头局" \\* MERGEFORMAT ', tag="instrText"))
            result[0].addprevious(separate)
            result[-1].addnext(end)
    for tc in body_cells(root, REQUIREMENT):
        for p in paragraphs(tc):
            link = w("hyperlink", anchor="_Toc1")
            link.extend(runs(p))
            p.append(link)
    simple = w("fldSimple", instr=" TITLE ")
    cell_p = paragraphs(body_cells(root, DEADLINE)[0])[0]
    simple.extend(runs(cell_p))
    cell_p.append(simple)


def libreoffice_merges(root):
    """LibreOffice writes a merge continuation as w:val="continue"; Word as a bare <w:vMerge/>."""
    marks = [m for m in merge_marks(root) if m.get(W + "val") is None]
    assert len(marks) > 50
    for mark in marks:
        mark.set(W + "val", "continue")


def nested_tables(root):
    """Each lead cell's names in a nested table, one name a row; the text stays in the outer cell."""
    for tc in body_cells(root, LEAD):
        inner = w("tbl")
        inner.append(w("tblGrid"))
        inner[0].append(w("gridCol", w="1000"))
        for p in paragraphs(tc):
            tr = etree.SubElement(inner, W + "tr")
            etree.SubElement(tr, W + "tc").append(p)
        tc.append(inner)
        tc.append(w("p"))  # a cell ends with a paragraph


def rows_starting_late(root):
    """An extra narrow grid column that no row fills (w:gridBefore), and section rows ending early."""
    grid = task_table(root).find(W + "tblGrid")
    grid.insert(0, w("gridCol", w="100"))
    for tr in table_rows(root):
        props = tr.find(W + "trPr")
        if props is None:
            props = w("trPr")
            tr.insert(0, props)
        props.insert(0, w("gridBefore", val="1"))
        props.insert(1, w("wBefore", w="100", type="dxa"))
        if len(cells(tr)) == 1 and table_rows(root).index(tr) % 2:
            span = cells(tr)[0].find(f"{W}tcPr/{W}gridSpan")
            span.set(W + "val", str(int(span.get(W + "val")) - 1))
            props.insert(2, w("gridAfter", val="1"))


VARIANTS = {
    "w:br": breaks_instead_of_paragraphs,
    "tracked changes": tracked_changes_in_unit_cells,
    "split between tasks": split_table(42, restate_merged=False),
    "split inside a task": split_table(74, restate_merged=True),
    "split runs": names_split_across_runs,
    "content controls": content_controls,
    "fields and hyperlinks": fields_and_hyperlinks,
    "vMerge continue": libreoffice_merges,
    "nested tables": nested_tables,
    "gridBefore": rows_starting_late,
}


@pytest.fixture(scope="module")
def seed_rows() -> list[dict]:
    return [_without_source(row) for row in convert_json(SEED_DOCX)["rows"]]


def _without_source(row: dict) -> dict:
    return {k: v for k, v in row.items() if k != "source"}


@pytest.mark.parametrize("name", VARIANTS)
def test_variant_gives_the_seed_rows(name, seed_rows, tmp_path):
    variant = docx_variant(tmp_path / "variant.docx", VARIANTS[name])
    document = convert_json(variant)
    compare(document, SEED_EXPECTED, tmp_path)
    assert [_without_source(row) for row in document["rows"]] == seed_rows
    assert document["warnings"] == []


def test_variant_really_changes_the_xml(tmp_path):
    """Guard against an edit that silently does nothing: each variant's document.xml differs."""
    import zipfile

    original = zipfile.ZipFile(SEED_DOCX).read("word/document.xml")
    for name, edit in VARIANTS.items():
        variant = docx_variant(tmp_path / "v.docx", edit)
        assert zipfile.ZipFile(variant).read("word/document.xml") != original, name


def test_split_table_is_one_table_with_ids_kept(seed_rows, tmp_path):
    document = convert_json(docx_variant(tmp_path / "split.docx", split_table(74, restate_merged=True)))
    rows = document["rows"]
    assert [r["id"] for r in rows] == [r["id"] for r in seed_rows]
    # The rows after the cut come from the second w:tbl of the file.
    assert {r["source"]["table"] for r in rows} == {0, 1}
    assert rows[-1]["task"]["no"] == "十四"
