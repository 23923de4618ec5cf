"""The formats fenjie reads, in one table: names, file suffixes, how the bytes are recognised, the reader.

Everything else derives from `FORMATS`: `SUPPORTED` (the suffixes a folder scan picks up and messages list),
detection (`fenjie.extract.detect`), the readers by name and README's list of input formats
(`readme_table()`, which a test keeps current). Plain data: importing it imports no reader and no error type,
so `fenjie.errors` may use it. A new format is one row here and one reader module.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Format:
    """One input format.

    name: `source.format` in the JSON. suffixes: the file names it goes by (a folder scan picks these; the
    bytes, not the name, decide the format). recognised: how its bytes are told apart, for people.
    reader: "module:function" in fenjie.extract, imported when first used; "" for a format LibreOffice
    converts to `office` first, whose reader then reads it.
    The signature fields are what `fenjie.extract.detect` looks for: `main_types`, the content types of a
    zip package's main part; `parts`, a zip part only this format has; `mimetype`, an OpenDocument zip's
    mimetype part; `magic`, bytes at the start, or within the first `within` bytes.
    """

    name: str
    suffixes: tuple[str, ...]
    recognised: str
    reader: str = ""
    office: str = ""
    main_types: tuple[str, ...] = ()
    parts: tuple[str, ...] = ()
    mimetype: str = ""
    magic: bytes = b""
    within: int = 0


def _main_types(*kinds: str) -> tuple[str, ...]:
    return tuple(f"application/vnd.{kind}.main+xml" for kind in kinds)


# In the order messages list the suffixes. The content types are Strict or Transitional
# (.docm, .dotx and .xlsm are read alike).
FORMATS: tuple[Format, ...] = (
    Format("docx", (".docx",), "a zip whose main part (named by `_rels/.rels`) is a Word document, "
           "or that holds `word/document.xml`", "docx:read_docx",
           main_types=_main_types("openxmlformats-officedocument.wordprocessingml.document",
                                  "openxmlformats-officedocument.wordprocessingml.template",
                                  "ms-word.document.macroEnabled", "ms-word.template.macroEnabledTemplate"),
           parts=("word/document.xml",)),
    Format("doc", (".doc",), "an OLE file with a `WordDocument` stream", office="docx"),
    Format("wps", (".wps",), "an OLE file with a `WordDocument` stream and named .wps, or with a `CONTENTS` "
           "stream", office="docx"),
    Format("rtf", (".rtf",), "starts with `{\\rtf`", office="docx", magic=b"{\\rtf"),
    Format("odt", (".odt",), "a zip whose `mimetype` part is an OpenDocument text", office="docx",
           mimetype="application/vnd.oasis.opendocument.text"),
    Format("html", (".html", ".htm"), "starts (after a BOM or an XML declaration) with an HTML tag",
           "webpage:read_html"),
    Format("xlsx", (".xlsx",), "a zip whose main part is an Excel workbook, or that holds `xl/workbook.xml`",
           "xlsx:read_xlsx",
           main_types=_main_types("openxmlformats-officedocument.spreadsheetml.sheet",
                                  "openxmlformats-officedocument.spreadsheetml.template",
                                  "ms-excel.sheet.macroEnabled", "ms-excel.template.macroEnabled"),
           parts=("xl/workbook.xml",)),
    Format("xls", (".xls",), "an OLE file with a `Workbook` or `Book` stream", office="xlsx"),
    Format("et", (".et",), "an OLE file with a `Workbook` or `Book` stream and named .et", office="xlsx"),
    Format("ods", (".ods",), "a zip whose `mimetype` part is an OpenDocument spreadsheet", office="xlsx",
           mimetype="application/vnd.oasis.opendocument.spreadsheet"),
    Format("txt", (".txt",), "anything else that decodes as text", "txt:read_txt"),
    Format("pdf", (".pdf",), "`%PDF-` within the first kilobyte", "pdf:read_pdf", magic=b"%PDF-", within=1024),
    Format("ofd", (".ofd",), "a zip that holds `OFD.xml`", "ofd:read_ofd", parts=("OFD.xml",)),
)

BY_NAME: dict[str, Format] = {fmt.name: fmt for fmt in FORMATS}
SUPPORTED: tuple[str, ...] = tuple(suffix for fmt in FORMATS for suffix in fmt.suffixes)


def readme_table() -> str:
    """README's table of input formats (a test keeps README's copy current)."""
    lines = ["| format | files | recognised by its bytes | read by |", "| --- | --- | --- | --- |"]
    for fmt in FORMATS:
        read = (f"LibreOffice converts it to .{fmt.office}, then the {fmt.office} reader" if fmt.office
                else f"`fenjie/extract/{fmt.reader.split(':')[0]}.py`")
        lines.append(f"| {fmt.name} | {', '.join(f'`{s}`' for s in fmt.suffixes)} | {fmt.recognised} | {read} |")
    return "\n".join(lines) + "\n"
