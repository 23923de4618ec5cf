"""Reader for Excel .xlsx: every worksheet becomes a grid, its merged ranges become spans.

The rows at the top of a sheet that hold a single text (附件1, the table's title) are paragraphs
before that sheet's grid, as they would be above a table in Word. Which grid is the task table
is the normalizer's choice (the first one with a recognizable header).
"""

from __future__ import annotations

import io
import re
import warnings
import zipfile
from datetime import date, datetime, time

from openpyxl.utils import column_index_from_string, get_column_letter

from fenjie.errors import Corrupt, FenjieError, UnsupportedFormat
from fenjie.extract.container import main_part, open_zip, parse_xml, read_part, refuse_unsafe_xml, relationships
from fenjie.extract.grid import Cell, Extracted, Grid, GridRow, Note, refuse_oversized

S = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
STRICT = "{http://purl.oclc.org/ooxml/spreadsheetml/main}"
R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")
CELL_REFERENCE = re.compile(r"([A-Z]{1,3})([1-9][0-9]{0,6})")


def read_xlsx(data: bytes, name: str = "") -> Extracted:
    archive = open_zip(data, name)
    refuse_unsafe_xml(archive, name)
    workbook = load_workbook(data, name)
    formulas = formulas_without_value(archive, name)
    out = Extracted(format="xlsx")
    for sheet in workbook.worksheets:
        read_sheet(sheet, out, formulas.get(sheet.title, {}), name)
    return out


def load_workbook(data: bytes, name: str):
    """The workbook (every XML part already checked for DTDs); cached values instead of formulas."""
    import openpyxl

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about styles and extensions it drops
            return openpyxl.load_workbook(io.BytesIO(data), data_only=True, keep_links=False, rich_text=False)
    except FenjieError:
        raise
    except Exception as error:  # noqa: BLE001 - openpyxl raises many types on damaged parts; all mean corrupt
        raise Corrupt(f"not a readable .xlsx workbook ({type(error).__name__})", name) from None


def formulas_without_value(archive: zipfile.ZipFile, name: str) -> dict[str, dict[tuple[int, int], str]]:
    """By sheet title, the formula cells that hold no value a person saw: no cached value at all, or one the
    program that wrote the file never calculated (it asks Excel to calculate on load: openpyxl, xlsxwriter)."""
    part = main_part(archive, name)
    book = part[0] if part is not None else "xl/workbook.xml"
    if book not in archive.NameToInfo:
        return {}
    root = parse_xml(read_part(archive, archive.getinfo(book), name), book, name)
    if root.tag.startswith(STRICT):
        raise UnsupportedFormat("a Strict Open XML workbook; save it in Excel as an ordinary Excel Workbook (.xlsx)",
                                name)
    calc = root.find(f"{S}calcPr")
    never_calculated = calc is not None and calc.get("fullCalcOnLoad") in ("1", "true")
    rels = relationships(archive, book, name)
    found = {}
    for sheet in root.iterfind(f"{S}sheets/{S}sheet"):
        target = rels.get(sheet.get(R_ID, ""), ("", ""))[1]
        info = archive.NameToInfo.get(target)
        if info is None:
            continue
        xml = read_part(archive, info, name)
        if FORMULA.search(xml) is None:  # most notices have none: no second parse
            continue
        cells = {}
        for c in parse_xml(xml, target, name).iter(f"{S}c"):
            formula, value = c.find(f"{S}f"), c.find(f"{S}v")
            if formula is not None and (never_calculated or value is None or not (value.text or "").strip()):
                reference = CELL_REFERENCE.fullmatch(c.get("r", ""))
                if reference:  # a cell without its reference (or a malformed one) cannot be named
                    position = int(reference.group(2)), column_index_from_string(reference.group(1))
                    cells[position] = formula.text or ""
        found[sheet.get("name", "")] = cells
    return found


def read_sheet(sheet, out: Extracted, formulas: dict[tuple[int, int], str], name: str) -> None:
    # Only the cells the file defines: max_row x max_column can be a million rows of nothing.
    texts = {position: text_of(cell.value) for position, cell in sheet._cells.items() if position not in formulas}
    texts = {position: text for position, text in texts.items() if text}
    if sheet.sheet_state != "visible":
        if texts or formulas:
            shown = " | ".join(texts[p] for p in sorted(texts))
            out.notes.append(Note("hidden-content", f"sheet {sheet.title!r} is hidden and was not read "
                                                    f"({len(texts) + len(formulas)} cells): {shown[:300]}"))
        return
    for (row, col), formula in sorted(formulas.items()):  # a value the writer made up (0) is not read either
        out.notes.append(Note("formula-without-value", f"{sheet.title}!{get_column_letter(col)}{row} is a formula "
                                                       f"with no saved value{f' (={formula})' if formula else ''}; "
                                                       "open the file in Excel or WPS and save it to store the values"))
    if not texts:
        return
    merges = {(r.min_row, r.min_col): (r.max_row - r.min_row + 1, r.max_col - r.min_col + 1)
              for r in sheet.merged_cells.ranges}
    first_row = min(r for r, _ in texts)
    first_col = min(c for _, c in texts)
    ends = [(r + merges.get((r, c), (1, 1))[0] - 1, c + merges.get((r, c), (1, 1))[1] - 1) for r, c in texts]
    last_row, last_col = max(r for r, _ in ends), max(c for _, c in ends)
    refuse_oversized(last_row - first_row + 1, last_col - first_col + 1, f"sheet {sheet.title!r}", name)
    hidden_rows = {r for r, dimension in sheet.row_dimensions.items() if dimension.hidden}
    rows = [r for r in range(first_row, last_row + 1) if r not in hidden_rows]
    cols = visible_columns(sheet, first_col, last_col)
    texts, merges = only_shown(sheet, texts, merges, set(rows), set(cols), out)
    while rows and len([c for (r, c) in texts if r == rows[0]]) == 1:
        out.paragraphs.append(next(t for (r, _), t in texts.items() if r == rows[0]).strip())
        rows.pop(0)
    if not rows or not texts:
        return
    index = len(out.tables)
    grid_rows = []
    at_row, at_col = {r: i for i, r in enumerate(rows)}, {c: i for i, c in enumerate(cols)}
    for r in rows:
        cells = []
        for c in cols:
            if (r, c) not in texts and (r, c) not in merges:
                continue
            rowspan, colspan = merges.get((r, c), (1, 1))
            cells.append(Cell(texts.get((r, c), "").split("\n"), at_row[r], at_col[c], rowspan, colspan))
        grid_rows.append(GridRow(cells, source=(index, r - 1)))
    out.tables.append(Grid(grid_rows, len(cols), index, len(out.paragraphs)))


def visible_columns(sheet, first: int, last: int) -> list[int]:
    hidden = {col for dim in sheet.column_dimensions.values() if dim.hidden
              for col in range(dim.min or 0, (dim.max or 0) + 1)}
    return [c for c in range(first, last + 1) if c not in hidden]


def only_shown(sheet, texts: dict, merges: dict, rows: set[int], cols: set[int], out: Extracted):
    """The texts and merges of the rows and columns Excel shows, merges counted in shown rows and columns
    (a merge keeps its text while any of it shows); one note per hidden row or column that held text."""
    shown_merges, hidden = {}, {}
    for (r, c), (height, width) in merges.items():
        shown_rows = [x for x in range(r, r + height) if x in rows]
        shown_cols = [x for x in range(c, c + width) if x in cols]
        if shown_rows and shown_cols:
            shown_merges[(shown_rows[0], shown_cols[0])] = (len(shown_rows), len(shown_cols))
            if (r, c) in texts and (shown_rows[0], shown_cols[0]) != (r, c):
                texts[(shown_rows[0], shown_cols[0])] = texts.pop((r, c))
    shown = {}
    for (r, c), text in sorted(texts.items()):
        if r in rows and c in cols:
            shown[(r, c)] = text
        else:
            where = f"row {r}" if r not in rows else f"column {get_column_letter(c)}"
            hidden.setdefault(where, []).append(text)
    # Rows a filter hides are as hidden as any (the person who saved it saw only the others); the note says so.
    filtered = bool(sheet.auto_filter.ref and sheet.auto_filter.filterColumn)
    out.notes += [Note("hidden-content", f"sheet {sheet.title!r} {where} is hidden"
                                         f"{' by a filter' if filtered and where.startswith('row') else ''} and "
                                         f"was not read: {' | '.join(found)}") for where, found in hidden.items()]
    return shown, shown_merges


def text_of(value) -> str:
    """A cell value as the text a person sees: whole numbers without .0, dates in ISO form."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(sep=" ")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:.15g}"
    return str(value).replace("\r\n", "\n").replace("\r", "\n").replace("_x000D_", "").strip()
