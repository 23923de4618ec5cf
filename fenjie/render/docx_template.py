"""A docxtpl template loaded once and rendered many times.

docxtpl's own `render` reloads the package with python-docx and recompiles the jinja2 source of every
part on each call: most of the time of a letter. Here the tagged parts are cleaned (docxtpl's
`patch_xml`) and compiled once; a render fills them in and zips them with the untouched parts' bytes.
The XML handling between compile and zip is docxtpl's own, so a template behaves as under docxtpl.

A template may come from anywhere (another office sent it): it is compiled in jinja2's immutable
sandbox, so no tag reaches Python internals (`__class__`, `__globals__`, ...), and a render is bounded
in time and size; anything refused is a `bad-template` error naming the tag.
"""

from __future__ import annotations

import copy
import functools
import io
import re
import sys
import time
import zipfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import jinja2
from docxtpl import DocxTemplate
from jinja2 import meta
from jinja2.sandbox import ImmutableSandboxedEnvironment
from lxml import etree

from fenjie.errors import FenjieError, TemplateError
from fenjie.extract.container import declares_entities, open_zip, parse_xml, read_part
from fenjie.render.docx_rows import NOT_XML, RowLoops, filled, row_loops, rows_of

# Content types of the parts docxtpl renders: the body, headers, footers and footnotes; and the core
# properties (title, author), which take tags too.
_RENDERED = (*(
    f"application/vnd.openxmlformats-officedocument.wordprocessingml.{kind}+xml"
    for kind in ("document.main", "header", "footer", "footnotes")
), "application/vnd.openxmlformats-package.core-properties+xml")
_CONTENT_TYPES = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_DECLARATION = re.compile(r"^<\?xml[^>]*\?>\s*")
_TAG = re.compile(r"{[{%#].*?[}%#]}", re.S)
# What one render of one part may cost; a letter of a 20,000-row notice stays well within them.
RENDER_SECONDS = 20.0
MAX_VALUE = 2**24  # characters (or items) of any value a template computes
MAX_OUTPUT = 2**27  # characters of a filled-in part
MAX_NUMBER = 2**25  # a width or count given to a call, a filter or a format
MAX_BITS = 2**12  # bits of a number computed by * or **
# zlib level of the filled-in parts: a big notice's letters hold hundreds of MB of table XML, which level 3
# packs about 10% larger than the default 6 in two thirds of the time.
FILLED_LEVEL = 3
# Widths and precisions of printf (%-08.3f) and str.format ({:>10}) fields.
_FORMAT_WIDTH = re.compile(r"(?:%[-#0 +]*|[:.][^{}:]*?)(\d+)")


class TemplateLimit(Exception):
    """A template asked for more than a letter can need: refused before it costs the machine."""


class _TimedTemplate(jinja2.Template):
    def render(self, *args, **kwargs) -> str:
        with _time_limit(RENDER_SECONDS):
            return super().render(*args, **kwargs)


class _Sandbox(ImmutableSandboxedEnvironment):
    """jinja2's sandbox (no attribute starting with _, no Python internals, no changing the context's
    lists) with limits on what a render may cost: its time (RENDER_SECONDS, by a trace of the
    template's own lines and of every Python call), the size of any value it computes (MAX_VALUE),
    of any number a call or filter takes (MAX_NUMBER: widths, counts) and of its output (MAX_OUTPUT).
    docxtpl compiles with `from_string` on every render; this compiles each source only once."""

    intercepted_binops = frozenset({"*", "**", "+", "%"})
    template_class = _TimedTemplate

    def __init__(self) -> None:
        super().__init__(autoescape=True, undefined=jinja2.StrictUndefined)
        del self.globals["lipsum"]  # a generator of any amount of text; no letter needs it
        self.filters = {name: _bounded_filter(name, function) for name, function in self.filters.items()}
        self._compiled: dict[str, jinja2.Template] = {}

    def from_string(self, source, *args, **kwargs):
        if source not in self._compiled:
            self._compiled[source] = super().from_string(source, *args, **kwargs)
        return self._compiled[source]

    def call(__self, __context, __obj, *args, **kwargs):  # noqa: N805 - jinja2's signature
        _check_arguments(args, kwargs)
        if getattr(__obj, "__name__", "") in ("format", "format_map") and hasattr(__obj, "__wrapped__"):
            _check_format(__obj.__wrapped__.__self__)  # str.format, wrapped by the sandbox when it was read
        return _checked(super().call(__context, __obj, *args, **kwargs))

    def call_binop(self, context, operator, left, right):
        if operator == "%" and isinstance(left, str):
            _check_format(left)
            _check_arguments(right if isinstance(right, tuple) else (right,), {})
        elif operator == "**" and _is_int(left) and _is_int(right) and right > 0 and abs(left) > 1:
            if right * left.bit_length() > MAX_BITS:
                raise TemplateLimit(f"{left} ** {right} is a number far past any letter's")
        elif operator == "*" and _is_int(left) != _is_int(right):
            sequence, times = (right, left) if _is_int(left) else (left, right)
            if hasattr(sequence, "__len__") and len(sequence) * times > MAX_VALUE:
                raise TemplateLimit(f"a value of {len(sequence) * times:,} characters or items "
                                    f"(the limit is {MAX_VALUE:,})")
        elif (operator == "+" and hasattr(left, "__len__") and hasattr(right, "__len__")
              and len(left) + len(right) > MAX_VALUE):
            raise TemplateLimit(f"a value of more than {MAX_VALUE:,} characters or items")
        return _checked(super().call_binop(context, operator, left, right))

    def getattr(self, obj, attribute):
        return _checked(super().getattr(obj, attribute))

    def getitem(self, obj, argument):
        return _checked(super().getitem(obj, argument))

    def concat(self, chunks) -> str:  # the output of a template, a macro or a block
        out, size = [], 0
        for chunk in chunks:
            size += len(chunk)
            if size > MAX_OUTPUT:
                raise TemplateLimit(f"the filled-in part passes {MAX_OUTPUT:,} characters")
            out.append(chunk)
        return "".join(out)


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _checked(value):
    if isinstance(value, str | list | tuple | dict | set | frozenset) and len(value) > MAX_VALUE:
        raise TemplateLimit(f"a value of {len(value):,} characters or items (the limit is {MAX_VALUE:,})")
    if _is_int(value) and value.bit_length() > MAX_BITS:
        raise TemplateLimit("a number far past any letter's")
    return value


def _check_arguments(args, kwargs) -> None:
    for value in (*args, *kwargs.values()):
        if _is_int(value) and abs(value) > MAX_NUMBER:
            raise TemplateLimit(f"the number {value} is past the limit of {MAX_NUMBER:,} for a width or a count")
        _checked(value)


def _check_format(text: str) -> None:
    """A printf or str.format field may not ask for a width or precision past MAX_NUMBER."""
    for width in _FORMAT_WIDTH.findall(text):
        if int(width) > MAX_NUMBER:
            raise TemplateLimit(f"a format width of {width} (the limit is {MAX_NUMBER:,})")


def _bounded_filter(name: str, function):
    @functools.wraps(function)  # keeps jinja2's pass_context / pass_environment marks
    def bounded(*args, **kwargs):
        _check_arguments(args, kwargs)
        if name == "format" and args and isinstance(args[0], str):
            _check_format(args[0])
        return _checked(function(*args, **kwargs))

    return bounded


@contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """TemplateLimit raised in the render once SECONDS have passed: checked on every line of the
    template's code (a loop without calls) and on every Python call (a filter's loop)."""
    deadline = time.monotonic() + seconds

    def on_line(frame, event, arg):
        if time.monotonic() > deadline:
            raise TemplateLimit(f"the render took more than {seconds:g} s")
        return on_line

    def on_call(frame, event, arg):
        on_line(frame, event, arg)
        return on_line if frame.f_code.co_filename == "<template>" else None

    previous = sys.gettrace()
    sys.settrace(on_call)
    try:
        yield
    finally:
        sys.settrace(previous)


@dataclass(frozen=True)
class _Part:
    source: str  # the XML with its tags cleaned as docxtpl does it
    variables: frozenset[str]  # the names it reads from the context
    loops: RowLoops | None  # its row loops that are filled from stencils


class DocxTemplateOnce:
    def __init__(self, data: bytes, path: str | Path, variables: Iterable[str]):
        """Compile the template DATA read from PATH; VARIABLES are the names a render will provide."""
        self.path = path
        self._engine = DocxTemplate(io.BytesIO(data))  # only its text helpers are used: no python-docx load
        self._environment = _Sandbox()
        parts, tagged = _read_package(data, path)
        self._parts = {name: self._prepare(name, xml) for name, xml in tagged.items() if _TAG.search(xml)}
        self._check_variables(set(variables))
        self._infos = {info.filename: info for info, _ in parts}
        # The untouched parts, zipped once; a render appends its filled-in parts to a copy.
        self._untouched = _zipped((info, part) for info, part in parts if info.filename not in self._parts)

    def render(self, context: dict) -> bytes:
        """The .docx bytes of the template filled in with CONTEXT."""
        safe: dict = {}
        out = io.BytesIO(self._untouched)
        out.seek(0, io.SEEK_END)
        with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as package:
            for name, part in self._parts.items():
                with package.open(_filled_info(self._infos[name]), "w") as target:
                    for piece in self._filled_part(part, context, safe):
                        target.write(piece.encode("utf-8"))
        return out.getvalue()

    def _filled_part(self, part: _Part, context: dict, safe: dict) -> Iterable[str]:
        """The part's XML in pieces; the rows of its row loops from stencils (docx_rows) when they can be."""
        rows = rows_of(part.loops, context) if part.loops else None
        if rows is not None:
            given = {**_safe(context, part.variables - set(rows.stand_ins), safe), **rows.stand_ins}
            pieces = filled(self._render_part(part.loops.source, given), part.loops, rows, MAX_OUTPUT)
            if pieces is not None:
                return self._checked_pieces(pieces, part)
        return [self._render_part(part.source, _safe(context, part.variables, safe))]

    def _checked_pieces(self, pieces: Iterator[str], part: _Part) -> Iterator[str]:
        try:
            yield from pieces
        except OverflowError as error:
            loops = ", ".join(f"for … in {items}" for items in part.loops.fields)
            raise TemplateError(f"{error} at “{loops}”", self.path) from None

    def _prepare(self, name: str, xml: str) -> _Part:
        """The part's XML cleaned for jinja2 as docxtpl does it, compiled now so that errors show at load."""
        source = self._engine.patch_xml(xml)
        try:
            tree = self._environment.parse(_as_compiled(source))
            self._environment.from_string(_as_compiled(source))
        except jinja2.TemplateSyntaxError as error:
            raise TemplateError(f"{error.message} at “{_tag_near(source, error.lineno)}” in {name}",
                                self.path) from None
        loops = row_loops(source, self._environment)
        if loops:
            self._environment.from_string(_as_compiled(loops.source))
        return _Part(source, frozenset(meta.find_undeclared_variables(tree)), loops)

    def _check_variables(self, known: set[str]) -> None:
        known |= set(self._environment.globals)
        for part in self._parts.values():
            for variable in sorted(part.variables - known):
                tag = next((t for t in _TAG.findall(part.source) if re.search(rf"\b{re.escape(variable)}\b", t)), "")
                raise TemplateError(f"unknown variable {variable} in “{_text(tag)}”", self.path)

    def _render_part(self, source: str, context: dict) -> str:
        try:
            xml = self._engine.render_xml_part(source, None, context, self._environment)
        except Exception as error:  # noqa: BLE001 - whatever a template does wrong, it is the template's error
            message = str(error).splitlines()[0] if str(error) else type(error).__name__
            raise TemplateError(f"{message} at “{_tag_near(source, _template_line(error))}”", self.path) from None
        try:
            tree = etree.fromstring(xml)  # docxtpl's fix_tables parses in recover mode, which hides a broken tag
        except etree.XMLSyntaxError as error:
            raise TemplateError(f"the filled-in template is not valid Word XML ({error})", self.path) from None
        if "w" in tree.nsmap:  # not the core properties
            tree = self._engine.fix_tables(xml)
        return etree.tostring(tree, xml_declaration=True, encoding="UTF-8", standalone=True).decode("utf-8")


def _read_package(data: bytes, path: str | Path) -> tuple[list[tuple[zipfile.ZipInfo, bytes]], dict[str, str]]:
    """Every part of the .docx as bytes, and the XML (without declaration) of the parts that take tags.

    A template comes from anywhere, as an input does: its zip and XML are checked as an input's are."""
    try:
        package = open_zip(data, str(path))
        parts = [(info, read_part(package, info, str(path))) for info in package.infolist()]
        by_name = {info.filename: data for info, data in parts}
        types = parse_xml(by_name.get("[Content_Types].xml", b""), "[Content_Types].xml", str(path))
    except FenjieError as error:
        raise TemplateError(f"cannot read the template as a .docx: {error.problem}", path) from None
    names = [o.get("PartName", "").lstrip("/") for o in types.iter(f"{_CONTENT_TYPES}Override")
             if o.get("ContentType") in _RENDERED]
    if not any(name in by_name for name in names):
        raise TemplateError("not a Word document: no main document part", path)
    tagged = {}
    for name in names:
        if name in by_name:
            if declares_entities(by_name[name]):
                raise TemplateError(f"{name} declares a DTD or entities, which Word never writes", path)
            try:
                tagged[name] = _DECLARATION.sub("", by_name[name].decode("utf-8"))
            except UnicodeDecodeError:
                raise TemplateError(f"{name} is not UTF-8 XML", path) from None
    return parts, tagged


def _filled_info(info: zipfile.ZipInfo) -> zipfile.ZipInfo:
    """The template part's zip entry (name, time) for its filled-in XML, compressed at FILLED_LEVEL."""
    filled = copy.copy(info)  # ZipFile.open writes sizes into it: the template's own stays untouched
    filled.compress_type = zipfile.ZIP_DEFLATED
    filled._compresslevel = FILLED_LEVEL  # ZipFile.open takes the level from the entry (compress_level in 3.13)
    return filled


def _zipped(parts: Iterable[tuple[zipfile.ZipInfo, bytes]]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for info, data in parts:
            package.writestr(info, data)
    return out.getvalue()


def _as_compiled(source: str) -> str:
    """The source as docxtpl's `render_xml_part` compiles it: one paragraph a line."""
    return re.sub(r"<w:p([ >])", r"\n<w:p\1", source)


def _tag_near(source: str, line: int | None) -> str:
    """The tags of the paragraph at LINE of the compiled source, as the user typed them."""
    lines = _as_compiled(source).splitlines()
    if not line or line > len(lines):
        return ""
    tags = _TAG.findall(lines[line - 1])
    return _text(" ".join(tags) or lines[line - 1])


def _template_line(error: Exception) -> int | None:
    """The template line a render failed on: jinja2 puts the template's own frames into the traceback."""
    line, frame = None, error.__traceback__
    while frame:
        if frame.tb_frame.f_code.co_filename == "<template>":
            line = frame.tb_lineno
        frame = frame.tb_next
    return line


def _text(xml: str) -> str:
    return re.sub(r"<[^>]+>", "", xml).strip()


def _safe(context: dict, names: Iterable[str], done: dict) -> dict:
    """CONTEXT's values of NAMES without the characters XML forbids; DONE keeps them for the next part."""
    for name in names:
        if name not in done and name in context:
            done[name] = _xml_safe(context[name])
    return {name: done[name] for name in names if name in done}


def _xml_safe(value):
    if isinstance(value, str):
        return NOT_XML.sub("", value)
    if isinstance(value, dict):
        return {key: _xml_safe(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_xml_safe(item) for item in value]
    return value
