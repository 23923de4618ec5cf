"""A template's row loops filled from stencils: a 20,000-row table costs a string format per row.

Rendering every row of `{%tr for row in lead_rows %}` through the sandbox, docxtpl's regexes, its
table fixing and an lxml parse and serialization of a part of tens of MB is most of a big letter's
time. Yet the rows of such a loop differ only in their values. So the part is rendered, exactly as
before, with each list replaced by one stand-in row per shape (which of the row's values are empty),
whose values are markers; what the whole pipeline made of each stand-in row is that shape's stencil,
and each real row is its stencil with its own values written where the markers came out, escaped as
the markers' probe characters came out at that place (text or attribute).

Only loops whose body shows or tests a row's values and nothing else (no filter, call, `loop`, set)
take this path, and only when the list is used nowhere else but in `{% if list %}`; a row whose values
hold what docxtpl rewrites across characters (tabs, line breaks, `{_{`) is rendered whole as a shape of
its own. Any other template, list or row renders exactly as before.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from jinja2 import nodes
from jinja2.environment import Environment

# Characters XML 1.0 forbids (and docxtpl's own \a \f marks): dropped from values, never written.
NOT_XML = re.compile(r"[\x00-\x08\x0b-\x1f\ufffe\uffff]")
# Markers from the last private-use plane: an iteration is START k BODY … END, a value SLOT j SLOT_END probe.
_START, _BODY, _END, _SLOT, _SLOT_END, _PROBE = (chr(0x10FFF0 + n) for n in range(6))
_MARK = re.compile("[\U0010fff0-\U0010fff5]")
_PROBED = "&<>\"'"  # the characters XML escapes, differently in text and in attributes
_ESCAPED = re.compile("[&<>\"']")
# What docxtpl rewrites across characters: \t and \n into runs and breaks (lxml then folds an emptied
# <w:t>), {_{ into {{. A row holding one is rendered whole.
_WHOLE = re.compile(r"[\t\n]|\{_[{%]|[}%]_\}")
_UNUSUAL = re.compile(f"{NOT_XML.pattern[:-1]}\t\n{{}}&<>\"'\U0010fff0-\U0010fff5]")
_SEPARATOR = "\x7f"  # joins a row's values for one search; in none of the classes above
_BLOCK = re.compile(r"{%.*?%}", re.S)
_BLOCK_WORD = re.compile(r"{%[-+]?\s*(\w*)")
_FOR = re.compile(r"{%\s*for\s+(\w+)\s+in\s+(\w+)\s*%}")
_ENDFOR = re.compile(r"{%\s*endfor\s*%}")
_ITERATION = re.compile(f"{_START}(\\d+){_BODY}(.*?){_END}", re.S)
_FILLED_SLOT = re.compile(f"{_SLOT}(\\d+){_SLOT_END}" + f"([^{_PROBE}]*){_PROBE}" * len(_PROBED), re.S)
_CHUNK_ROWS = 256


@dataclass(frozen=True)
class RowLoops:
    """A part's source with the iterations of its simple row loops marked, and per list they go over,
    the keys of a row that its loops show or test."""

    source: str
    fields: dict[str, tuple[str, ...]]


@dataclass(frozen=True)
class Rows:
    """One render's rows of each streamed list: the stand-in rows, and each real row's shape and values."""

    stand_ins: dict[str, list[dict[str, str]]]
    rows: dict[str, list[tuple[int, tuple[str, ...], bool]]]  # shape, values, whether a value needs escaping


def row_loops(source: str, environment: Environment) -> RowLoops | None:
    """The part's row loops that can be filled from stencils, or None when it has none."""
    if _MARK.search(source):
        return None
    candidates = _innermost_loops(source)
    while candidates:
        names = list(dict.fromkeys(items for _, _, items in candidates))
        marked = _marked(source, candidates, names)
        try:
            fields = _fields(environment.parse(marked), names, len(candidates))
        except Exception:  # noqa: BLE001 - a source jinja2 cannot parse is reported by the plain render
            return None
        if fields is None:
            return None
        if all(found is not None for found in fields.values()):
            return RowLoops(marked, {name: tuple(sorted(found)) for name, found in fields.items()})
        candidates = [loop for loop in candidates if fields[loop[2]] is not None]
    return None


def _innermost_loops(source: str) -> list[tuple[re.Match, re.Match, str]]:
    """`{% for x in name %}` … `{% endfor %}` pairs with no loop inside, without whitespace control."""
    stack: list[list] = []
    loops = []
    for tag in _BLOCK.finditer(source):
        word = _BLOCK_WORD.match(tag.group())[1]
        if word == "for":
            if stack:
                stack[-1][1] = True
            stack.append([tag, False])
        elif word == "endfor" and stack:
            start, has_inner = stack.pop()
            head = _FOR.fullmatch(start.group())
            if head and not has_inner and _ENDFOR.fullmatch(tag.group()):
                loops.append((start, tag, head[2]))
    return sorted(loops, key=lambda loop: loop[0].start())


def _marked(source: str, loops: list[tuple[re.Match, re.Match, str]], names: list[str]) -> str:
    pieces, at = [], 0
    for start, end, items in loops:
        pieces += [source[at:start.end()], f"{_START}{names.index(items)}{_BODY}", source[start.end():end.start()],
                   _END]
        at = end.start()
    pieces.append(source[at:])
    return "".join(pieces)


def _fields(tree: nodes.Template, names: list[str], count: int) -> dict[str, set[str] | None] | None:
    """Per list, the row keys its marked loops use, or None for a list used otherwise (then its loops
    are not streamed); None for all when the markers did not land at the loops' edges."""
    fields: dict[str, set[str] | None] = {name: set() for name in names}
    marked = [loop for loop in tree.find_all(nodes.For) if _marked_index(loop) is not None]
    starts = sum(data.data.count(_START) for data in tree.find_all(nodes.TemplateData))
    if len(marked) != count or starts != count:
        return None
    loops = set()
    for loop in marked:
        name = names[_marked_index(loop)]
        used = _row_fields(loop.body, loop.target.name) if isinstance(loop.target, nodes.Name) else None
        if (used is None or loop.else_ or loop.test or loop.recursive or not isinstance(loop.iter, nodes.Name)
                or loop.iter.name != name or fields[name] is None):
            fields[name] = None
        else:
            fields[name] |= used
        loops.add(id(loop.iter))
    for name, parent, grandparent in _names(tree, None, None):
        if name.name in fields and not (
                id(name) in loops and name.ctx == "load"
                or isinstance(parent, nodes.If) and parent.test is name
                or isinstance(parent, nodes.Not) and isinstance(grandparent, nodes.If) and grandparent.test is parent):
            fields[name.name] = None
    return fields


def _marked_index(loop: nodes.For) -> int | None:
    first, last = loop.body[:1], loop.body[-1:]
    if not (first and isinstance(first[0], nodes.Output) and isinstance(last[0], nodes.Output)):
        return None
    head, tail = first[0].nodes[0], last[0].nodes[-1]
    if not (isinstance(head, nodes.TemplateData) and isinstance(tail, nodes.TemplateData)):
        return None
    found = re.match(f"{_START}(\\d+){_BODY}", head.data)
    return int(found[1]) if found and tail.data.endswith(_END) else None


def _names(node: nodes.Node, parent, grandparent) -> Iterator[tuple[nodes.Name, nodes.Node, nodes.Node]]:
    if isinstance(node, nodes.Name):
        yield node, parent, grandparent
    for child in node.iter_child_nodes():
        yield from _names(child, node, parent)


def _row_fields(statements: list[nodes.Node], row: str) -> set[str] | None:
    """The keys of ROW that these statements show or test, or None if they do anything else."""
    found: set[str] = set()
    for statement in statements:
        if isinstance(statement, nodes.Output):
            shown = [node for node in statement.nodes if not isinstance(node, nodes.TemplateData)]
        elif isinstance(statement, nodes.If):
            shown = [statement.test.node if isinstance(statement.test, nodes.Not) else statement.test]
            for branch in (statement.body, statement.elif_, statement.else_):
                inner = _row_fields(branch, row)
                if inner is None:
                    return None
                found |= inner
        else:
            return None
        for expression in shown:
            key = _row_key(expression, row)
            if key is None:
                return None
            found.add(key)
    found.discard("")
    return found


def _row_key(expression: nodes.Node, row: str) -> str | None:
    """KEY for `row.KEY` or `row["KEY"]`, "" for a value the same in every row (`widths.lead[0]`), else None."""
    if isinstance(expression, nodes.Const):
        return ""
    if isinstance(expression, nodes.Name):
        return "" if expression.name not in (row, "loop") else None
    if isinstance(expression, nodes.Getattr):
        key = expression.attr
    elif isinstance(expression, nodes.Getitem) and isinstance(expression.arg, nodes.Const):
        key = expression.arg.value
    else:
        return None
    if isinstance(expression.node, nodes.Name) and expression.node.name == row:
        # A dict's own attributes (row.items) are not its keys.
        return key if isinstance(key, str) and key and not hasattr({}, key) else None
    return "" if _row_key(expression.node, row) == "" else None


def rows_of(loops: RowLoops, context: dict) -> Rows | None:
    """Each streamed list's rows by shape, or None when a list is not a list of rows of strings."""
    stand_ins, rows = {}, {}
    for items, fields in loops.fields.items():
        given = context.get(items)
        if not isinstance(given, list):
            return None
        shapes: dict[tuple, int] = {}
        stand_ins[items], rows[items] = [], []
        for row in given:
            try:
                values = tuple(map(row.__getitem__, fields))
                joined = _SEPARATOR.join(values)
            except (TypeError, KeyError, AttributeError):
                return None
            if not isinstance(row, dict):
                return None
            whole = escape = False
            if _UNUSUAL.search(joined):  # rare: one search tells the plain rows
                if _MARK.search(joined):
                    return None
                values = tuple(NOT_XML.sub("", value) for value in values)
                joined = _SEPARATOR.join(values)
                whole = bool(_WHOLE.search(joined))
                escape = bool(_ESCAPED.search(joined))
            shape = values if whole else tuple(map(bool, values))
            index = shapes.get((whole, shape))
            if index is None:
                index = shapes[(whole, shape)] = len(stand_ins[items])
                stand_ins[items].append(dict(zip(fields, values if whole else (
                    _stand_in(n) if value else "" for n, value in enumerate(values)), strict=True)))
            rows[items].append((index, values, escape))
    return Rows(stand_ins, rows)


def _stand_in(n: int) -> str:
    return f"{_SLOT}{n}{_SLOT_END}" + "".join(ch + _PROBE for ch in _PROBED)


def filled(rendered: str, loops: RowLoops, rows: Rows, limit: int) -> Iterator[str] | None:
    """The part rendered with stand-in rows, each loop's stand-ins replaced by all its rows; None when
    the stand-ins did not come out whole (then the part is rendered as it is)."""
    names = list(loops.fields)
    regions, iterations = [], list(_ITERATION.finditer(rendered))
    at = 0
    while at < len(iterations):
        items = names[int(iterations[at][1])] if int(iterations[at][1]) < len(names) else None
        count = len(rows.stand_ins.get(items, ()))
        group = iterations[at:at + count]
        if (not count or len(group) < count or any(int(m[1]) != names.index(items) for m in group)
                or any(b.start() != a.end() for a, b in zip(group, group[1:], strict=False))):
            return None
        stencils = [_stencil(m[2]) for m in group]
        if None in stencils:
            return None
        regions.append((group[0].start(), group[-1].end(), stencils, rows.rows[items]))
        at += count
    bounds = [0, *(edge for start, end, _, _ in regions for edge in (start, end)), len(rendered)]
    if any(_MARK.search(rendered, a, b) for a, b in zip(bounds[::2], bounds[1::2], strict=True)):
        return None
    return _pieces(rendered, regions, limit)


def _pieces(rendered: str, regions: list, limit: int) -> Iterator[str]:
    size, at = 0, 0
    for start, end, stencils, rows in regions:
        yield rendered[at:start]
        for first in range(0, len(rows), _CHUNK_ROWS):
            chunk = "".join(_row(stencils[shape], values, escape) for shape, values, escape in
                            rows[first:first + _CHUNK_ROWS])
            size += len(chunk)
            if size > limit:
                raise OverflowError(f"the filled-in part passes {limit:,} characters")
            yield chunk
        at = end
    yield rendered[at:]


def _row(stencil: tuple[str, list[tuple[int, dict]]], values: tuple[str, ...], escape: bool) -> str:
    form, slots = stencil
    if escape:
        return form.format(*[values[n].translate(table) for n, table in slots])
    return form.format(*[values[n] for n, _ in slots])


def _stencil(body: str) -> tuple[str, list[tuple[int, dict]]] | None:
    """The iteration's XML as a format string, with per value the rendering of each probed character."""
    pieces, slots, at = [], [], 0
    for slot in _FILLED_SLOT.finditer(body):
        pieces.append(body[at:slot.start()])
        slots.append((int(slot[1]), {ord(ch): out for ch, out in zip(_PROBED, slot.groups()[1:], strict=True)}))
        at = slot.end()
    pieces.append(body[at:])
    if any(_MARK.search(piece) for piece in pieces):
        return None
    form = "{}".join(piece.replace("{", "{{").replace("}", "}}") for piece in pieces)
    return form, slots
