"""What the review page shows of a notice.json: rows under their headings, flags and their reasons, filters."""

from __future__ import annotations

from dataclasses import dataclass, field

from fenjie.model import Numbered
from fenjie.render.text import joined_units, numbered
from fenjie.serve.edits import fields_of_mark, words

SHOWN = ("lead", "responsible", "requirement", "deadline")  # the row's columns on the page, after 编号
PAGE = 300  # rows on one page of the review page


@dataclass
class Cell:
    field: str
    text: str
    reasons: list[str] = field(default_factory=list)  # why the value is highlighted; empty: it is not


@dataclass
class RowView:
    id: str
    cells: list[Cell]  # 编号 first, then SHOWN
    extra: dict[str, str]
    flags: set[str]  # "inferred" and the codes of the row's warnings, for the filter


@dataclass
class Heading:
    level: int
    text: str


@dataclass
class Filters:
    unit: str = ""
    flag: str = ""  # "" all; "any" flagged; "inferred"; or a warning code
    month: str = ""  # "" all; "2024-06"; "none" without a date


def headings(row: dict) -> list[str]:
    """The headings above a row, outermost first (contract 1.1's path, else section and task)."""
    levels = row.get("path") or [level for level in (row.get("section"), row.get("task")) if level]
    return [numbered(Numbered(**level), "section" if depth == 0 else "task") or "" for depth, level in
            enumerate(levels)]


def row_view(row: dict, warnings: list[dict]) -> RowView:
    names = words()
    reasons: dict[str, list[str]] = {name: [] for name in ("id", *SHOWN)}
    for mark in row.get("inferred", []):
        reason = names.inferred.get(mark, mark)
        for target in [f for f in fields_of_mark(mark) if f in reasons] or ["id"]:
            reasons[target].append(reason)
    for warning in warnings:
        label = names.warnings.get(warning["code"], warning["code"])
        reasons[names.warning_field.get(warning["code"], "id")].append(f"{label}：{warning['message']}")
    deadline = row.get("deadline") or {}
    texts = {
        "id": row["id"],
        "lead": joined_units(row.get("lead", []), row.get("lead_open", False)) or "",
        "responsible": joined_units(row.get("responsible", []), row.get("responsible_open", False)) or "",
        "requirement": row.get("requirement") or "",
        "deadline": " → ".join(t for t in (deadline.get("text"), deadline.get("date")) if t),
    }
    flags = {w["code"] for w in warnings} | ({"inferred"} if row.get("inferred") else set())
    return RowView(id=row["id"], cells=[Cell(name, texts[name], reasons[name]) for name in texts],
                   extra=row.get("extra") or {}, flags=flags)


def month_of(row: dict) -> str:
    when = (row.get("deadline") or {}).get("date")
    return when[:7] if when else "none"


def matches(row: dict, view: RowView, filters: Filters) -> bool:
    if filters.unit and filters.unit not in row.get("lead", []) + row.get("responsible", []):
        return False
    if filters.flag == "any" and not view.flags or filters.flag not in ("", "any") and filters.flag not in view.flags:
        return False
    return not filters.month or month_of(row) == filters.month


def review(document: dict, filters: Filters, page: int = 1) -> tuple[list[Heading | RowView], int]:
    """The items of one page (headings where they change, then rows) of the rows that pass FILTERS, and how
    many rows pass. A page holds PAGE rows: a browser is not handed a table of 20,000 rows at once."""
    by_row: dict[str, list[dict]] = {}
    for warning in document.get("warnings", []):
        by_row.setdefault(warning.get("row"), []).append(warning)
    first = (page - 1) * PAGE
    items: list[Heading | RowView] = []
    above: list[str] = []  # the headings of the row above on this page: a page starts with all of its own
    passed = 0
    for row in document["rows"]:
        view = row_view(row, by_row.get(row["id"], []))
        if not matches(row, view, filters):
            continue
        passed += 1
        if not first < passed <= first + PAGE:
            continue
        path = headings(row)
        same = next((i for i, (a, b) in enumerate(zip(above, path, strict=False)) if a != b),
                    min(len(above), len(path)))  # how many headings this row shares with the one above
        items += [Heading(level=depth + 1, text=text) for depth, text in enumerate(path) if depth >= same]
        above = path
        items.append(view)
    return items, passed


def page_of(document: dict, row_id: str) -> int:
    """The unfiltered page a row is on."""
    index = next((i for i, row in enumerate(document["rows"]) if row["id"] == row_id), 0)
    return index // PAGE + 1


def flagged(document: dict) -> int:
    """How many rows have a value to check (inferred, or warned about)."""
    warned = {w.get("row") for w in document.get("warnings", [])}
    return sum(1 for row in document["rows"] if row.get("inferred") or row["id"] in warned)


def filter_choices(document: dict) -> dict[str, list[tuple[str, str]]]:
    """(value, label) of each filter's options, from what the notice has."""
    names = words()
    codes = sorted({w["code"] for w in document.get("warnings", []) if w.get("row")})
    months = sorted({month_of(row) for row in document["rows"]})
    return {
        "unit": [(u["name"], f"{u['name']}（{len(u['lead'])}/{len(u['responsible'])}）") for u in document["units"]],
        "flag": [("any", "有标记的行"), ("inferred", "有推断值")]
        + [(code, names.warnings.get(code, code)) for code in codes],
        "month": [(m, "无截止日期" if m == "none" else f"{m[:4]}年{int(m[5:])}月") for m in months],
    }


def grid_rows(grid: dict) -> list[list[dict]]:
    """The original table's cells row by row, each once at its top-left, with its spans."""
    return [row["cells"] for row in grid["rows"]]
