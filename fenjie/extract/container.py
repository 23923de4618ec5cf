"""The containers Office files come in, opened as untrusted input.

A zip (.docx, .xlsx, .odt) is checked against its own directory before anything is expanded, so
a zip bomb is refused at no cost; an OLE compound file (.doc, .xls, .wps, .et, or an encrypted
.docx/.xlsx) is only asked which streams it holds.
"""

from __future__ import annotations

import io
import posixpath
import struct
import zipfile

from lxml import etree

from fenjie.errors import Corrupt, Encrypted, TooLarge, Unsafe

MAX_ENTRIES = 2000  # a notice .docx has about 20 parts, an .xlsx about 30
MAX_TOTAL = 512 * 1024 * 1024  # uncompressed bytes of all parts together
MAX_PART = 64 * 1024 * 1024  # uncompressed bytes of one XML part
XML_PARTS = (".xml", ".rels", ".vml")

XML_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                             remove_comments=True, remove_pis=True)

RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
CONTENT_TYPES = "{http://schemas.openxmlformats.org/package/2006/content-types}"
# ISO 29500 Strict names its namespaces and relationship types under purl.oclc.org; Transitional (what
# Word writes by default) under schemas.openxmlformats.org. The vocabulary is otherwise the same.
STRICT_NAMESPACES = {
    b"http://purl.oclc.org/ooxml/wordprocessingml/main": b"http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    b"http://purl.oclc.org/ooxml/officeDocument/relationships":
        b"http://schemas.openxmlformats.org/officeDocument/2006/relationships",
}
OFFICE_DOCUMENT = "/officeDocument"  # the type of the package's main part, Strict or Transitional

FIB_ENCRYPTED = 0x0100  # FibBase.fEncrypted of a Word 97 document
XLS_FILEPASS, XLS_EOF = 0x002F, 0x000A  # BIFF records: the workbook is encrypted / end of globals


def open_zip(data: bytes, name: str) -> zipfile.ZipFile:
    """The zip archive in `data`, refused when its directory promises more than a notice can hold."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError):
        raise Corrupt("the zip container is damaged or truncated", name) from None
    if len(infos) > MAX_ENTRIES:
        raise TooLarge(f"the archive holds {len(infos)} parts, far more than any notice (zip bomb?)", name)
    if sum(info.file_size for info in infos) > MAX_TOTAL:
        raise TooLarge("the archive expands far beyond any notice (zip bomb?)", name)
    return archive


def read_part(archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str) -> bytes:
    """One part, read no further than MAX_PART whatever its header says."""
    if info.file_size > MAX_PART:
        raise TooLarge(f"{info.filename} is {info.file_size // 2**20} MB", name)
    try:
        with archive.open(info) as part:
            data = part.read(MAX_PART + 1)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError, RuntimeError) as error:
        # RuntimeError: a part zipfile cannot open without a password
        raise Corrupt(f"cannot read {info.filename} from the archive: {error}", name) from None
    if len(data) > MAX_PART:
        raise TooLarge(f"{info.filename} is larger than its header says", name)
    return data


def declares_entities(data: bytes) -> bool:
    """Office never writes a DTD; one in a part can only be an entity bomb or an external reference."""
    if b"\x00" in data[:4]:
        # UTF-16 or UTF-32, with or without a byte order mark (XML parsers take either): the markup's
        # ASCII characters are its bytes other than NUL.
        data = data.replace(b"\x00", b"")
    return b"<!DOCTYPE" in data[:4096] or b"<!ENTITY" in data


def parse_xml(data: bytes, part: str, name: str) -> etree._Element:
    """One XML part parsed as untrusted: no DTD, no entities, no network, no huge trees."""
    if declares_entities(data):
        raise Unsafe(f"{part} declares a DTD or entities, which Office never writes; refused", name)
    try:
        return etree.fromstring(data, XML_PARSER)
    except etree.XMLSyntaxError as error:
        if error.code == etree.ErrorTypes.ERR_RESOURCE_LIMIT:  # libxml2 stops at 256 levels, far past any Office part
            raise TooLarge(f"{part} nests its elements more than 255 deep, far beyond any document", name) from None
        raise Corrupt(f"{part} is not well-formed XML ({error.msg})", name) from None


def refuse_unsafe_xml(archive: zipfile.ZipFile, name: str) -> None:
    """Every XML part read and refused if it declares a DTD or entities, before a parser sees it."""
    for info in archive.infolist():
        if info.filename.lower().endswith(XML_PARTS) and declares_entities(read_part(archive, info, name)):
            raise Unsafe(f"{info.filename} declares a DTD or entities, which Office never writes; refused", name)


def as_transitional(data: bytes) -> bytes:
    """A Strict OOXML part in Transitional namespaces, which the readers know (other parts unchanged)."""
    for strict, transitional in STRICT_NAMESPACES.items():
        data = data.replace(strict, transitional)
    return data


def relationships(archive: zipfile.ZipFile, part: str, name: str) -> dict[str, tuple[str, str]]:
    """The relationships of PART (the package itself when PART is empty): id -> (type, target part), internal
    targets only."""
    folder, base = posixpath.split(part)
    rels = posixpath.join(folder, "_rels", base + ".rels")
    try:
        info = archive.getinfo(rels)
    except KeyError:
        return {}
    found = {}
    for rel in parse_xml(read_part(archive, info, name), rels, name).iterchildren(RELS + "Relationship"):
        target = rel.get("Target", "")
        if rel.get("TargetMode") == "External" or not target:
            continue
        target = target[1:] if target.startswith("/") else posixpath.join(folder, target)
        found[rel.get("Id", "")] = (rel.get("Type", ""), posixpath.normpath(target))
    return found


def main_part(archive: zipfile.ZipFile, name: str) -> tuple[str, str] | None:
    """The package's main part, as `_rels/.rels` names it, with its content type; None when it names none."""
    main = next((target for kind, target in relationships(archive, "", name).values()
                 if kind.endswith(OFFICE_DOCUMENT) and target in archive.NameToInfo), None)
    return (main, content_type(archive, main, name)) if main else None


def content_type(archive: zipfile.ZipFile, part: str, name: str) -> str:
    """PART's content type from [Content_Types].xml: its Override, else the Default of its extension."""
    try:
        info = archive.getinfo("[Content_Types].xml")
    except KeyError:
        return ""
    types = parse_xml(read_part(archive, info, name), info.filename, name)
    for override in types.iterchildren(CONTENT_TYPES + "Override"):
        if override.get("PartName", "").lstrip("/").lower() == part.lower():
            return override.get("ContentType", "")
    extension = posixpath.splitext(part)[1].lstrip(".").lower()
    for default in types.iterchildren(CONTENT_TYPES + "Default"):
        if default.get("Extension", "").lower() == extension:
            return default.get("ContentType", "")
    return ""


def ole_streams(data: bytes, name: str) -> dict[str, bytes]:
    """The top-level streams of an OLE compound file that tell its format, by name."""
    import olefile

    wanted = ("WordDocument", "Workbook", "Book", "EncryptionInfo", "EncryptedPackage", "CONTENTS")
    try:
        with olefile.OleFileIO(io.BytesIO(data)) as ole:  # short bytes would pass for a file name
            # Only the head of each stream is needed: the flags that say "encrypted".
            return {s: ole.openstream(s).read(4096) for s in wanted if ole.exists(s)}
    except Exception:  # noqa: BLE001 - olefile raises many types on damaged input; all mean the same here
        raise Corrupt("the OLE container (.doc/.xls) is damaged or truncated", name) from None


def ole_format(data: bytes, name: str) -> str:
    """doc, wps, xls or et from the streams of an OLE file; encrypted files are refused here."""
    streams = ole_streams(data, name)
    suffix = name.lower().rsplit(".", 1)[-1]
    if "EncryptionInfo" in streams or "EncryptedPackage" in streams:
        raise Encrypted("a password-protected Office file", name)
    if "WordDocument" in streams:
        word = streams["WordDocument"]
        if len(word) >= 12 and struct.unpack_from("<H", word, 10)[0] & FIB_ENCRYPTED:
            raise Encrypted("a password-protected Word document", name)
        return "wps" if suffix == "wps" else "doc"
    for stream in ("Workbook", "Book"):
        if stream in streams:
            if xls_is_encrypted(streams[stream]):
                raise Encrypted("a password-protected Excel workbook", name)
            return "et" if suffix == "et" else "xls"
    if "CONTENTS" in streams:  # Microsoft Works / old WPS text document
        return "wps"
    return ""


def xls_is_encrypted(head: bytes) -> bool:
    """Whether the workbook globals carry a FILEPASS record (it comes right after the first few)."""
    at = 0
    while at + 4 <= len(head):
        kind, length = struct.unpack_from("<HH", head, at)
        if kind == XLS_FILEPASS:
            return True
        if kind == XLS_EOF:
            return False
        at += 4 + length
    return False
