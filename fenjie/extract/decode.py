"""Bytes -> text: a plain-text file's (UTF-8 or GB18030, told by its bytes) and a web page's (the
encoding it declares, as browsers read the declaration, else as a plain-text file's)."""

from __future__ import annotations

import re

from fenjie.errors import Corrupt, NotANotice

# C0 controls other than TAB/LF/CR do not occur in text a person wrote.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# Labels of GB2312, GBK and GB18030 (lower case, without - and _), as pages declare and detectors guess them.
GB_FAMILY = frozenset({"gb2312", "gbk", "xgbk", "gb231280", "cp936", "gb18030", "euccn", "hz", "hzgb2312"})
CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_\-]+)""")


def decode_text(data: bytes, name: str = "") -> str:
    """Text of a file in UTF-8 (with or without BOM) or GB18030/GBK, with LF line ends."""
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            text = data[3:].decode("utf-8")
        except UnicodeDecodeError as error:
            raise Corrupt(f"the file starts as UTF-8 (byte order mark) but byte {error.start + 3} is not UTF-8",
                          name) from None
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = _decode_legacy(data, name)
    if CONTROL.search(text[:65536]):
        raise NotANotice("binary data, not text", name)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _decode_legacy(data: bytes, name: str) -> str:
    from charset_normalizer import from_bytes

    best = from_bytes(data[:262144]).best()
    encoding = codec_for(best.encoding) if best is not None else "gb18030"
    try:
        return data.decode(encoding)
    except (UnicodeError, LookupError):
        raise NotANotice("not text in UTF-8 or GB18030", name) from None


def codec_for(label: str) -> str:
    """The codec to decode text labeled LABEL with. GB2312 and GBK are subsets of GB18030, and text
    labeled either often holds the superset's characters: decoded as GB18030, no character is lost."""
    return "gb18030" if label.lower().replace("_", "").replace("-", "") in GB_FAMILY else label


def decode_html(data: bytes, name: str) -> str:
    """The page as text, in the encoding it declares, else the one its bytes show (UTF-8, GB18030).
    Declared names are WHATWG encoding labels, as browsers take them: an unknown label is ignored."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise Corrupt("the page starts as UTF-16 but its bytes are not", name) from None
    else:
        declared = CHARSET.search(data[:4096]) or XML_ENCODING.search(data[:200])
        encoding = whatwg_codec(declared.group(1).decode("ascii")) if declared else None
        text = declared_text(data, encoding) if encoding and not data.startswith(b"\xef\xbb\xbf") else None
        if text is None:  # nothing declared, or the declaration is wrong: the bytes tell
            text = decode_text(data, name)
    return text


def declared_text(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except UnicodeError:
        return None


def whatwg_codec(label: str) -> str | None:
    """The Python codec for an encoding label as the WHATWG Encoding Standard reads it, None when browsers
    do not know the label (punycode, utf-7: a page cannot ask for them) or it names no text encoding."""
    import webencodings

    encoding = webencodings.lookup(label)
    if encoding is None or encoding.name in ("replacement", "x-user-defined"):
        return None
    if encoding.name.startswith("utf-16"):  # a page that declares UTF-16 in ASCII bytes is not UTF-16
        return "utf-8"
    return codec_for(encoding.codec_info.name)
