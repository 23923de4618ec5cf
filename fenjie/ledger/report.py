"""progress.xlsx and progress.json: the collected ledgers, for the office that chases them and for other systems.

Sheets: every task row with each unit's status (overdue rows in red), the units with their counts, every
unit's report on every row, the counts per 一级任务 with a chart, and every problem. The same Progress
gives the same bytes: the workbook's only time is the as-of day.
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from fenjie.ledger.collect import CHINA
from fenjie.ledger.layout import STATUSES, words
from fenjie.ledger.model import Entry, Progress
from fenjie.ledger.sheets import body_cell, fit_row, for_printing, header_cells, set_widths
from fenjie.model import Document
from fenjie.render.atomic import atomic_path, write_bytes
from fenjie.render.excel import save_workbook

# Progress from least to most: a row's overall status is the least advanced of its units'.
ORDER = (None, "not_started", "in_progress", "ongoing", "done")
_OVERDUE_FILL = PatternFill("solid", fgColor="F8CBAD")


def write(progress: Progress, document: Document, folder: Path) -> list[Path]:
    """FOLDER/progress.json and FOLDER/progress.xlsx."""
    folder.mkdir(parents=True, exist_ok=True)
    text = json.dumps(progress.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n"
    written = [write_bytes(folder / "progress.json", text.encode("utf-8"))]
    stamp = datetime.combine(date.fromisoformat(progress.as_of), datetime.min.time(), CHINA)
    target = folder / "progress.xlsx"
    with atomic_path(target) as tmp:
        save_workbook(progress_workbook(progress, document), tmp, stamp)
    return written + [target]


def progress_workbook(progress: Progress, document: Document) -> Workbook:
    names = words().progress
    workbook = Workbook()
    by_task = workbook.active
    by_task.title = names.by_task
    write_by_task(by_task, progress, document)
    write_by_unit(workbook.create_sheet(names.by_unit), progress)
    write_details(workbook.create_sheet(names.details), progress, document)
    write_by_section(workbook.create_sheet(names.by_section), progress, document)
    write_problems(workbook.create_sheet(names.problems), progress)
    return workbook


def status_label(status: str | None) -> str:
    return words().status[status] if status else words().progress.unfilled


def write_by_task(ws: Worksheet, progress: Progress, document: Document) -> None:
    """按任务: every row, with each unit's status side by side (牵头 and 责任), the overall status, overdue."""
    names, given = words().progress, words().given
    by_row: dict[str, list[Entry]] = defaultdict(list)
    for entry in progress.entries:
        by_row[entry.row].append(entry)
    rows, overdue = [], []
    for row in document.rows:
        entries = by_row.get(row.id, [])
        statuses = {role: "\n".join(f"{e.unit}：{status_label(e.status)}" for e in entries if e.role == role) or None
                    for role in ("lead", "responsible")}
        overall = min((e.status for e in entries), key=ORDER.index, default=None) if entries else None
        late = any(e.overdue for e in entries)
        rows.append([row.id, row.section.title if row.section else None, row.task.title if row.task else None,
                     row.deadline.text, _date(row.deadline.date), statuses["lead"], statuses["responsible"],
                     status_label(overall) if entries else None, names.yes if late else None])
        overdue.append(late)
    headers = [given["id"], given["section"], given["task"], given["deadline"], given["date"], names.lead_status,
               names.responsible_status, names.overall, names.overdue]
    _table(ws, headers, rows, [8, 16, 24, 10, 11, 28, 36, 10, 6], overdue)


def write_by_unit(ws: Worksheet, progress: Progress) -> None:
    """按单位: per unit, whether it reported, its rows per status, overdue rows, its last update."""
    names = words().progress
    headers = [names.unit, names.returned, *(words().status[s] for s in STATUSES), names.unfilled,
               names.total, names.overdue, names.last_update]
    rows = [[u.name, names.yes if u.returned else None, *(u.counts[s] for s in STATUSES), u.counts["unfilled"],
             sum(u.counts.values()), u.overdue, u.last_update] for u in progress.units]
    _table(ws, headers, rows, [26, 7, 7, 7, 7, 9, 7, 6, 6, 20], [u.overdue > 0 for u in progress.units])


def write_details(ws: Worksheet, progress: Progress, document: Document) -> None:
    """进展明细: one line per (row, unit): everything the unit wrote."""
    given, fill, names = words().given, words().fill, words().progress
    rows_by_id = {row.id: row for row in document.rows}
    headers = [given["id"], names.unit, given["role"], given["task"], given["date"], fill["status"],
               fill["progress"], fill["done"], fill["issues"], fill["next_steps"], fill["person"], fill["phone"],
               names.overdue]
    rows = []
    for e in progress.entries:
        row = rows_by_id[e.row]
        rows.append([e.row, e.unit, words().roles[e.role], row.task.title if row.task else None,
                     _date(row.deadline.date), status_label(e.status), e.progress, _date(e.done_date), e.issues,
                     e.next_steps, e.person, e.phone, names.yes if e.overdue else None])
    _table(ws, headers, rows, [8, 22, 6, 24, 11, 9, 40, 11, 24, 24, 10, 14, 6], [e.overdue for e in progress.entries])


def write_by_section(ws: Worksheet, progress: Progress, document: Document) -> None:
    """按一级任务: entries per status for each section, and a stacked bar chart of them."""
    names = words().progress
    section_of = {row.id: row.section.title if row.section else names.no_section for row in document.rows}
    counts: dict[str, dict[str | None, int]] = {}
    for e in progress.entries:
        counts.setdefault(section_of[e.row], dict.fromkeys(ORDER, 0))[e.status] += 1
    statuses = [*STATUSES, None]
    headers = [words().given["section"], *(status_label(s) for s in statuses)]
    rows = [[section, *(c[s] for s in statuses)] for section, c in counts.items()]
    _table(ws, headers, rows, [30, 8, 8, 8, 9, 8])
    if rows:
        chart = BarChart()
        chart.type, chart.grouping, chart.overlap, chart.title = "bar", "stacked", 100, names.chart
        chart.add_data(Reference(ws, min_col=2, max_col=len(headers), min_row=1, max_row=len(rows) + 1),
                       titles_from_data=True)
        chart.set_categories(Reference(ws, min_col=1, min_row=2, max_row=len(rows) + 1))
        chart.x_axis.scaling.orientation = "maxMin"
        chart.x_axis.delete = chart.y_axis.delete = False
        chart.width, chart.height = 18, max(7.5, 1.0 * len(rows) + 3)
        ws.add_chart(chart, f"A{len(rows) + 3}")


def write_problems(ws: Worksheet, progress: Progress) -> None:
    names = words().progress
    rows = [[p.code, p.message, p.file, p.unit, p.row] for p in progress.problems]
    _table(ws, [names.code, names.message, names.file, names.unit, names.row], rows,
           [16, 60, 30, 22, 8])


def _table(ws: Worksheet, headers: list[str], rows: list[list[Any]], widths: list[int],
           highlighted: list[bool] | None = None) -> None:
    """Header and bordered rows, the highlighted ones (overdue) in red."""
    header_cells(ws, headers)
    for r, values in enumerate(rows, 2):
        fill = _OVERDUE_FILL if highlighted and highlighted[r - 2] else None
        for c, value in enumerate(values, 1):
            body_cell(ws, r, c, value, fill)
        fit_row(ws, r, values, widths)
    set_widths(ws, widths)
    for_printing(ws, len(headers), len(rows))


def _date(iso: str | None) -> date | None:
    return date.fromisoformat(iso) if iso else None
