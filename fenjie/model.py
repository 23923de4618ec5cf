"""The document model: the one meeting point of readers and writers, and the JSON contract.

Every reader ends in a `Document`; every writer starts from one. Field names here are public:
changing one is a new `SCHEMA_VERSION` and a regenerated `schemas/notice.schema.json`.

The classes are plain dataclasses, built without checks inside the pipeline (which makes them) and
without importing pydantic, which costs a command more than its work. Data from outside (a notice.json
read back, a correction sent to the server) enters through `model_validate`, which pydantic checks
against these same classes; the published schema is pydantic's description of them. The methods keep
pydantic's names (`model_dump`, `model_validate`, ...), which users of `fenjie.convert` know.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import MISSING, dataclass
from functools import cache
from typing import Any, Literal, NamedTuple, Self, get_args

SCHEMA_VERSION = "1.2"

DeadlineKind = Literal["by", "ongoing", "recurring", "unknown"]

# Closed vocabularies of the contract: the schema enumerates them and README.md lists them with their meaning.
# A reader or the normalizer that needs a new word adds it here first (tests/test_schema.py checks the code base).
Role = Literal["task", "requirement", "lead", "responsible", "deadline", "seq", "section", "extra"]
WarningCode = Literal[
    "prose-rows", "lost-text", "unplaced-text", "other-table", "unknown-column", "header-by-content",
    "no-deadline", "deadline-unknown", "hidden-content", "formula-without-value", "unread-content",
]
Inferred = Literal[
    "lead", "responsible", "lead_names", "responsible_names", "deadline_year", "roles_from_phrase",
    "header_by_content", "lead_by_order",
]
ROLES: tuple[str, ...] = get_args(Role)
WARNING_CODES: tuple[str, ...] = get_args(WarningCode)
INFERRED: tuple[str, ...] = get_args(Inferred)


def _field(default: Any = MISSING, *, default_factory: Any = MISSING, description: str | None = None) -> Any:
    """A field with the description the schema gives it (pydantic reads a dataclass field's metadata)."""
    return dataclasses.field(default=default, default_factory=default_factory,
                             metadata={"description": description} if description else {})


class _Model:
    __slots__ = ()
    __pydantic_config__ = {"extra": "forbid"}  # noqa: RUF012 - read by pydantic: an unknown key is an error

    @classmethod
    def model_validate(cls, data: Any) -> Self:
        """DATA (a dict, as json.loads gives it) checked against the contract; pydantic's ValidationError if not."""
        return _adapter(cls).validate_python(data)

    @classmethod
    def model_validate_json(cls, data: str | bytes) -> Self:
        return _adapter(cls).validate_json(data)

    @classmethod
    def model_json_schema(cls) -> dict[str, Any]:
        return _adapter(cls).json_schema()

    def model_dump(self, mode: str = "python") -> dict[str, Any]:
        """The fields as plain data, in their order (JSON's types only, so MODE changes nothing)."""
        return _plain(self)

    def model_dump_json(self) -> str:
        return json.dumps(_plain(self), ensure_ascii=False, separators=(",", ":"))

    def model_copy(self, *, update: dict[str, Any] | None = None) -> Self:
        return dataclasses.replace(self, **(update or {}))


@cache
def _adapter(cls: type) -> Any:
    from pydantic import TypeAdapter  # only where data comes from outside, or for the schema

    return TypeAdapter(cls)


@cache
def _names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls))


def _plain(value: Any) -> Any:
    if isinstance(value, _Model):
        return {name: _plain(getattr(value, name)) for name in _names(type(value))}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    return value


_contract = dataclass(slots=True, kw_only=True)


@_contract
class Source(_Model):
    """The file a document was read from."""

    name: str = _field(description="File name of the input, without folders.")
    format: str = _field(description="Detected input format: docx, txt, html, xlsx, doc, ...")
    sha256: str = _field(description="SHA-256 of the input bytes, hex.")


@_contract
class Notice(_Model):
    """Metadata of the notice (通知) that carries the task table."""

    doc_number: str | None = _field(None, description="发文字号, e.g. 济政办字〔2024〕17号.")
    issuer: str | None = _field(None, description="发文机关, without a trailing 文件.")
    title: str | None = _field(None, description="标题, 关于…的通知.")
    year: int | None = _field(None, description="From the doc number, else the title, else the date.")
    date: str | None = _field(None, description="成文日期, ISO 8601.")
    recipients: list[str] = _field(default_factory=list, description="主送机关, split like unit cells.")
    body: list[str] = _field(default_factory=list, description="Body paragraphs of the notice.")
    attachments: list[str] = _field(default_factory=list, description="附件 titles.")
    subject: str = _field("", description="What the notice is about, with its year (2024年政务公开工作): "
                         "the table title (else the title) without region and kind of list; letters use it.")
    published: str | None = _field(None, description="发布日期 of the web page it was saved from, ISO 8601.")
    index_no: str | None = _field(None, description="索引号 of the web page it was saved from.")


@_contract
class Column(_Model):
    header: str
    role: Role = _field(description="What the column holds; extra: no known role (its cells go to rows' `extra`).")


@_contract
class GridCell(_Model):
    """One cell of the task table as read, at its place on the table's grid."""

    text: str = _field(description="The cell's text as written, its lines joined by newlines.")
    row: int = _field(description="Grid row of its top-left corner, from 0 at the table's first row.")
    col: int = _field(description="Grid column of its top-left corner, from 0.")
    rowspan: int = _field(1, description="Grid rows it spans (a vertical merge).")
    colspan: int = _field(1, description="Grid columns it spans (a horizontal merge).")


@_contract
class Table(_Model):
    title: str | None = _field(None, description="The paragraph above the task table.")
    columns: list[Column] = _field(default_factory=list)
    cells: list[GridCell] = _field(default_factory=list, description="The task table as read, header rows "
                                  "included, for showing it as the notice laid it out (tasks.xlsx 原表). "
                                  "Empty for tasks read from paragraphs. A text export records no vertical "
                                  "merges: its cells are what the text had.")
    header_rows: list[int] = _field(default_factory=list, description="Rows of `cells` that are the table's "
                                   "header or a repeat of it (a later page), from 0.")


@_contract
class Numbered(_Model):
    """A heading (一、… （一）… 1.… ①…) with its number split off: the title never keeps it."""

    no: str | None = _field(None, description="The number as written, without brackets or 、: 一, 1, 1.2.")
    title: str


@_contract
class Deadline(_Model):
    text: str | None = _field(None, description="The deadline as written.")
    date: str | None = _field(None, description="ISO date meant by the text, when one is meant.")
    kind: DeadlineKind = _field("unknown", description="by: has a date; ongoing; recurring; unknown.")


@_contract
class SourceRef(_Model):
    table: int = _field(description="Index of the table in the source, from 0.")
    row: int = _field(description="Index of the row in that table, from 0.")


@_contract
class ParagraphRef(_Model):
    """Where a row read from prose (a numbered paragraph with its roles) comes from."""

    paragraph: int = _field(description="Index of the item's paragraph among the source's paragraphs, from 0.")


@_contract
class Row(_Model):
    """One task item: the unit of work assigned to lead and responsible units."""

    id: str = _field(description="section.task.item ordinals, stable across runs and formats.")
    section: Numbered | None = _field(None, description="The outermost heading above the row.")
    task: Numbered | None = _field(None, description="The innermost heading above the row (its parent task).")
    path: list[Numbered] = _field(
        default_factory=list,
        description="Every heading above the row, outermost first: section, the levels between, task.")
    lead: list[str] = _field(default_factory=list, description="牵头单位, ordered, de-duplicated.")
    responsible: list[str] = _field(default_factory=list, description="责任/配合单位.")
    lead_open: bool = _field(False, description="The lead list ended in 等.")
    responsible_open: bool = _field(False, description="The responsible list ended in 等.")
    requirement: str | None = _field(None, description="具体要求; paragraphs joined with a newline.")
    deadline: Deadline = _field(default_factory=Deadline)
    inferred: list[Inferred] = _field(
        default_factory=list,
        description="Fields not read from the row's own cells: lead/responsible filled down, "
        "lead_names/responsible_names completed (shared suffix, level ellipsis), deadline_year guessed, "
        "roles_from_phrase (roles read from a phrase such as X牵头，Y配合), "
        "header_by_content (a column's role decided from its cells), "
        "lead_by_order (the notice says the first unit of a list leads).",
    )
    source: SourceRef | ParagraphRef
    extra: dict[str, str] = _field(default_factory=dict, description="Cells under headers with no known role.")


@_contract
class Unit(_Model):
    name: str = _field(description="The canonical name (an alias of the rules or the unit directory is replaced).")
    lead: list[str] = _field(default_factory=list, description="Ids of rows the unit leads.")
    responsible: list[str] = _field(default_factory=list, description="Ids of rows the unit shares.")
    aliases: list[str] = _field(default_factory=list, description="Other spellings that mean this unit "
                               "(rules and unit directory); the notice's cells may use them.")
    groups: list[str] = _field(default_factory=list, description="Units of this notice that are groups the unit "
                              "belongs to (unit directory): it also gets their rows.")


class Assignment(NamedTuple):
    """The rows one unit gets, each with the group it came through (None for the unit's own rows)."""

    unit: Unit
    lead: list[tuple[Row, str | None]]
    responsible: list[tuple[Row, str | None]]

    @property
    def through_groups(self) -> int:
        return sum(1 for _, group in self.lead + self.responsible if group)


@_contract
class Warning(_Model):  # noqa: A001 - the contract's own word
    code: WarningCode = _field(description="What kind of problem; README.md says what each code means.")
    message: str
    row: str | None = _field(None, description="Row id the warning is about, if any.")


@_contract
class Document(_Model):
    """A converted notice: what `fenjie.convert` returns and `notice.json` holds."""

    schema_version: str = SCHEMA_VERSION
    source: Source
    notice: Notice = _field(default_factory=Notice)
    table: Table = _field(default_factory=Table)
    rows: list[Row] = _field(default_factory=list)
    units: list[Unit] = _field(default_factory=list)
    warnings: list[Warning] = _field(default_factory=list)

    def assignments(self) -> list[Assignment]:
        """Per unit: its own rows, then the rows of its groups that it does not have already."""
        by_id = {row.id: row for row in self.rows}
        by_name = {unit.name: unit for unit in self.units}
        out = []
        for unit in self.units:
            seen = set(unit.lead) | set(unit.responsible)
            roles = {role: [(by_id[i], None) for i in dict.fromkeys(getattr(unit, role))]
                     for role in ("lead", "responsible")}
            for group in unit.groups:
                for role, pairs in roles.items():
                    for i in getattr(by_name[group], role) if group in by_name else ():
                        if i not in seen:
                            seen.add(i)
                            pairs.append((by_id[i], group))
            out.append(Assignment(unit, roles["lead"], roles["responsible"]))
        return out
