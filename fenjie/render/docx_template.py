"""A docxtpl template loaded once and rendered many times.

docxtpl's own `render` reloads the package with python-docx and recompiles the jinja2 source of every
part on each call: most of the time of a letter. Here the tagged parts are cleaned (docxtpl's
`patch_xml`) and compiled once; a render fills them in and zips them with the untouched parts' bytes.
The XML handling between compile and zip is docxtpl's own, so a template behaves as under docxtpl.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable
from pathlib import Path

import jinja2
from docxtpl import DocxTemplate
from jinja2 import meta
from lxml import etree

from fenjie.errors import TemplateError

# Content types of the parts docxtpl renders: the body, headers, footers and footnotes; and the core
# properties (title, author), which take tags too.
_RENDERED = (*(
    f"application/vnd.openxmlformats-officedocument.wordprocessingml.{kind}+xml"
    for kind in ("document.main", "header", "footer", "footnotes")
), "application/vnd.openxmlformats-package.core-properties+xml")
_CONTENT_TYPES = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_DECLARATION = re.compile(r"^<\?xml[^>]*\?>\s*")
_TAG = re.compile(r"{[{%#].*?[}%#]}", re.S)
# Characters XML 1.0 forbids (and docxtpl's own \a \f marks): dropped from values, never written.
_NOT_XML = re.compile(r"[\x00-\x08\x0b-\x1f\ufffe\uffff]")


class _Environment(jinja2.Environment):
    """docxtpl compiles with `from_string` on every render; this compiles each source only once."""

    def __init__(self) -> None:
        super().__init__(autoescape=True, undefined=jinja2.StrictUndefined)
        self._compiled: dict[str, jinja2.Template] = {}

    def from_string(self, source, *args, **kwargs):
        if source not in self._compiled:
            self._compiled[source] = super().from_string(source, *args, **kwargs)
        return self._compiled[source]


class DocxTemplateOnce:
    def __init__(self, data: bytes, path: str | Path, variables: Iterable[str]):
        """Compile the template DATA read from PATH; VARIABLES are the names a render will provide."""
        self.path = path
        self._engine = DocxTemplate(io.BytesIO(data))  # only its text helpers are used: no python-docx load
        self._environment = _Environment()
        parts, tagged = _read_package(data, path)
        self._sources = {name: self._prepare(name, xml) for name, xml in tagged.items() if _TAG.search(xml)}
        self._check_variables(set(variables))
        self._infos = {info.filename: info for info, _ in parts}
        # The untouched parts, zipped once; a render appends its filled-in parts to a copy.
        self._untouched = _zipped((info, part) for info, part in parts if info.filename not in self._sources)

    def render(self, context: dict) -> bytes:
        """The .docx bytes of the template filled in with CONTEXT."""
        context = _xml_safe(context)
        out = io.BytesIO(self._untouched)
        out.seek(0, io.SEEK_END)
        with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as package:
            for name, source in self._sources.items():
                package.writestr(self._infos[name], self._render_part(source, context))
        return out.getvalue()

    def _prepare(self, name: str, xml: str) -> str:
        """The part's XML cleaned for jinja2 as docxtpl does it, compiled now so that errors show at load."""
        source = self._engine.patch_xml(xml)
        try:
            self._environment.from_string(_as_compiled(source))
        except jinja2.TemplateSyntaxError as error:
            raise TemplateError(f"{error.message} at “{_tag_near(source, error.lineno)}” in {name}",
                                self.path) from None
        return source

    def _check_variables(self, known: set[str]) -> None:
        known |= set(self._environment.globals)
        for source in self._sources.values():
            for variable in sorted(meta.find_undeclared_variables(self._environment.parse(_as_compiled(source)))
                                   - known):
                tag = next((t for t in _TAG.findall(source) if re.search(rf"\b{re.escape(variable)}\b", t)), "")
                raise TemplateError(f"unknown variable {variable} in “{_text(tag)}”", self.path)

    def _render_part(self, source: str, context: dict) -> bytes:
        try:
            xml = self._engine.render_xml_part(source, None, context, self._environment)
        except jinja2.TemplateError as error:
            raise TemplateError(f"{error} at “{_tag_near(source, _template_line(error))}”", self.path) from None
        try:
            tree = etree.fromstring(xml)  # docxtpl's fix_tables parses in recover mode, which hides a broken tag
        except etree.XMLSyntaxError as error:
            raise TemplateError(f"the filled-in template is not valid Word XML ({error})", self.path) from None
        if "w" in tree.nsmap:  # not the core properties
            tree = self._engine.fix_tables(xml)
        return etree.tostring(tree, xml_declaration=True, encoding="UTF-8", standalone=True)


def _read_package(data: bytes, path: str | Path) -> tuple[list[tuple[zipfile.ZipInfo, bytes]], dict[str, str]]:
    """Every part of the .docx as bytes, and the XML (without declaration) of the parts that take tags."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            parts = [(info, package.read(info)) for info in package.infolist()]
    except (OSError, zipfile.BadZipFile) as error:
        raise TemplateError(f"cannot read the template as a .docx: {error}", path) from None
    by_name = {info.filename: data for info, data in parts}
    try:
        types = etree.fromstring(by_name["[Content_Types].xml"])
    except (KeyError, etree.XMLSyntaxError):
        raise TemplateError("not a Word document: no [Content_Types].xml", path) from None
    names = [o.get("PartName", "").lstrip("/") for o in types.iter(f"{_CONTENT_TYPES}Override")
             if o.get("ContentType") in _RENDERED]
    if not any(name in by_name for name in names):
        raise TemplateError("not a Word document: no main document part", path)
    tagged = {}
    for name in names:
        if name in by_name:
            try:
                tagged[name] = _DECLARATION.sub("", by_name[name].decode("utf-8"))
            except UnicodeDecodeError:
                raise TemplateError(f"{name} is not UTF-8 XML", path) from None
    return parts, tagged


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


def _xml_safe(value):
    if isinstance(value, str):
        return _NOT_XML.sub("", value)
    if isinstance(value, dict):
        return {key: _xml_safe(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_xml_safe(item) for item in value]
    return value
