"""Notice metadata from the body paragraphs: doc number, issuer, title, recipients, date, attachments.

The parts of an official document (GB/T 9704) come in a fixed order: 发文机关标志, 发文字号,
标题, 主送机关, 正文, 附件说明, 发文机关署名, 成文日期. Each is found by its shape and its place in
that order, so a missing part never shifts the others.

The helpers that find a part only look (they return where it is, `..._at`); `notice_of` alone marks the
paragraphs it gives a meaning as used, so the order of the parts is read in one place.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

from fenjie.model import Notice
from fenjie.normalize.numbering import han_number
from fenjie.normalize.units import split_units
from fenjie.rules import Rules
from fenjie.text import squash

DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,15}\s*[〔\[［【(（]\s*(\d{4})\s*[〕\]］】)）]\s*第?\s*\d{1,5}\s*号")
HAN_NUMBER = "〇零一二三四五六七八九十"
DATE = re.compile(rf"^[（(]?\s*([0-9{HAN_NUMBER}○Ｏ]{{4}})\s*年\s*([0-9{HAN_NUMBER}]{{1,3}})\s*月\s*"
                  rf"([0-9{HAN_NUMBER}]{{1,3}})\s*日\s*[)）]?$")
PAGE_DATE = re.compile(r"((?:19|20)\d{2})\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})")
YEAR_IN_TEXT = re.compile(r"((?:19|20)\d{2})\s*年")
ATTACHMENT = re.compile(r"^附\s*件\s*(\d*)\s*[：:]?\s*(.*)$", re.S)
FILE_SUFFIX = re.compile(r"\.(?:docx?|wps|pdf|xlsx?|et|ofd|zip|rar|7z)$", re.I)  # 附件 as a download link
LIST_ITEM = re.compile(r"^\s*(?:\d{1,2}\s*[.．、:：]|[（(]\d{1,2}[）)])\s*")  # 1. or （1）, never 2023年
PUNCTUATION = re.compile(r"[，。；：！？、,.;:!?“”\"《》]")
STAMP_NOTE = re.compile(r"[（(][^（()）]{2,30}代章[）)]")
MAX_TITLE_LINES = 3
SENTENCE_MARKS = re.compile(r"[，。；：！？,;:!?]")
MAX_RECIPIENTS = 300  # characters; a longer line ending in a colon is body text


@dataclass
class Paragraphs:
    """The body paragraphs, with the ones already given a meaning marked as used (by `notice_of` only)."""

    texts: list[str]
    used: set[int] = field(default_factory=set)

    def take(self, index: int) -> str:
        """Mark the paragraph used and give its text."""
        self.used.add(index)
        return self.texts[index]


class NoticeParts(NamedTuple):
    notice: Notice
    table_title: str | None
    used: set[int]  # paragraphs given a meaning, the body included
    body: list[int]  # the paragraphs of `notice.body`


def notice_of(paragraphs: list[str], table_at: int | None, rules: Rules,
              page: dict[str, str] | None = None) -> NoticeParts:
    """The notice metadata, the task table's title, and the indexes of paragraphs given a meaning.

    TABLE_AT is the number of paragraphs above the task table (None: the notice has none); PAGE is what
    a web page's metadata box says (`Extracted.page`), which fills only what the paragraphs lack.
    """
    body = Paragraphs(paragraphs)
    end = table_at if table_at is not None else len(paragraphs)
    notice = Notice()
    found = _title_at(body, end, rules)
    title_at, title_end = found if found else (None, None)
    issuer_in_title = None
    if found is not None:
        # The title is read without its line breaks: an issuer on the line above 关于 must not shift where it starts.
        title = "".join(_flat(body.take(i)) for i in range(title_at, title_end))
        start = _title_start(title, rules)
        issuer_in_title = title[:start].strip() or None
        notice.title = title[start:]
    front = range(0, title_at if title_at is not None else min(end, 6))
    number = _doc_number_at(body, front)
    if number is None and title_at is not None:
        # A web page shows its heading first and the doc number under it, alone on its line.
        below = [i for i in range(title_end, min(end, title_end + 2)) if DOC_NUMBER.fullmatch(squash(body.texts[i]))]
        number = _doc_number_at(body, below)
    year = None
    if number is not None:
        number_at, notice.doc_number, year = number
        body.used.add(number_at)
    header_issuer = None
    red_header = _red_header_at(body, front, rules)
    if red_header is not None:
        header_at, header_issuer = red_header
        body.used.add(header_at)
    signer = None
    start = title_end if title_end is not None else 0
    recipients_at = _recipients_at(body, start, end)
    if recipients_at is not None:
        line = body.take(recipients_at).rstrip("：:")
        notice.recipients = list(split_units(line, rules).names)
        start = recipients_at + 1
    date_at = _date_at(body, start, end)
    if date_at is not None:
        notice.date = _iso_date(body.take(date_at))
        # The signature above the date is not body text, even when the red header already named the issuer.
        signature = date_at - 1
        if signature > start and STAMP_NOTE.fullmatch(squash(body.texts[signature])):
            signature -= 1  # （…代章）: the organ whose seal stands in, between the signature and the date
        if signature >= start and _is_organ(body.texts[signature], rules):
            signer = body.take(signature)
            body.used.update(range(signature, date_at))
    # The organ that signs: the red header's, else the signature's, else the one a page heading puts
    # before 关于 (a site's own name never gets here: the HTML reader leaves it out of the heading).
    notice.issuer = header_issuer or signer or issuer_in_title
    title_above = _table_title_at(body, end) if table_at is not None else None
    table_title = body.take(title_above) if title_above is not None else None
    notice.attachments, attachments_at = _attachments_at(body, start, end, table_title)
    body.used.update(attachments_at)
    body_at = [i for i in range(start, end) if i not in body.used]
    notice.body = [body.texts[i] for i in body_at]
    body.used.update(range(start, end))
    year = _fill_from_page(notice, page or {}, rules) or year
    notice.year = (year or _year_in(notice.title) or (int(notice.date[:4]) if notice.date else None)
                   or _year_in(table_title))
    return NoticeParts(notice, table_title, body.used, body_at)


def _fill_from_page(notice: Notice, page: dict[str, str], rules: Rules) -> int | None:
    """Fill what the paragraphs lack from the page's metadata box; the doc number's year when it gave one."""
    year = None
    number = DOC_NUMBER.search(squash(page.get("doc_number", "")))
    if notice.doc_number is None and number:
        notice.doc_number, year = number.group(0), int(number.group(1))
    issuer = squash(page.get("issuer", "")).removesuffix("文件")
    if notice.issuer is None and _is_organ(issuer, rules):  # not a site's name such as 福建平潭
        notice.issuer = issuer
    if notice.title is None and page.get("title"):
        notice.title = page["title"].strip()
    notice.date = notice.date or _page_date(page.get("date"))
    notice.published = _page_date(page.get("published"))
    notice.index_no = squash(page.get("index_no", "")) or None
    return year


def _page_date(text: str | None) -> str | None:
    """2015-10-20, 2024年02月29日 or 2023/03/30 15:53 as an ISO date."""
    match = PAGE_DATE.search(text or "")
    try:
        return date(*(int(g) for g in match.groups())).isoformat() if match else None
    except ValueError:
        return None


def _title_at(body: Paragraphs, end: int, rules: Rules) -> tuple[int, int] | None:
    """(first, end) of the title's paragraphs: one, or up to three that Word or a CMS wrapped it over
    (平潭综合实验区管委会办公室关于 / 印发2018年政务公开工作 / 主要任务分解表的通知)."""
    for i in range(min(end, 12)):
        if DOC_NUMBER.fullmatch(squash(body.texts[i])):  # the 发文字号 line above the title is no part of it
            continue
        text = ""
        for n in range(1, MAX_TITLE_LINES + 1):
            if i + n > end or (n > 1 and SENTENCE_MARKS.search(body.texts[i + n - 1])):
                break
            text += _flat(body.texts[i + n - 1])
            if _title_start(text, rules) is not None and text.endswith(rules.document_kinds):
                return i, i + n
        if _title_start(_flat(body.texts[i]), rules) == 0:
            return i, i + 1
    return None


def _title_start(text: str, rules: Rules) -> int | None:
    """Where the title starts: at its opening (关于, 印发, 转发), after the issuer's name when the
    heading or the printed title carries it."""
    text = _flat(text)
    found = [at for at in (text.find(word) for word in rules.title_openings) if at >= 0]
    if not found:
        return None
    at = min(found)
    if (at == 0 and (text.startswith("关于") or text.endswith(rules.document_kinds))) or (
            at > 0 and _is_organ(text[:at], rules) and text.endswith(rules.document_kinds)):
        return at
    return None


def _flat(text: str) -> str:
    """A paragraph's lines joined, as a title is read."""
    return text.replace("\n", "")


def _doc_number_at(body: Paragraphs, front: Iterable[int]) -> tuple[int, str, int] | None:
    """(paragraph, doc number, its year) of the first paragraph of FRONT with a doc number."""
    for i in front:
        match = DOC_NUMBER.search(body.texts[i])
        if match:
            return i, squash(match.group(0)), int(match.group(1))
    return None


def _is_organ(text: str, rules: Rules) -> bool:
    text = text.strip()
    return 2 <= len(text) <= 40 and not PUNCTUATION.search(text) and text.endswith(rules.suffixes)


def _red_header_at(body: Paragraphs, front: range, rules: Rules) -> tuple[int, str] | None:
    """(paragraph, issuer) of the red header (发文机关标志): an organ name, perhaps followed by 文件."""
    for i in front:
        if i in body.used:
            continue
        text = squash(body.texts[i])
        name = text.removesuffix("文件")
        if _is_organ(name, rules):
            return i, name
    return None


def _recipients_at(body: Paragraphs, start: int, end: int) -> int | None:
    for i in range(start, min(end, start + 3)):
        text = body.texts[i]
        if text.endswith(("：", ":")) and len(text) <= MAX_RECIPIENTS and not ATTACHMENT.match(text):
            return i
    return None


def _table_title_at(body: Paragraphs, end: int) -> int | None:
    """The paragraph right above the table, unless it is a sentence of the body or already has a meaning
    (a table straight after the date and signature has no title paragraph)."""
    if end <= 0 or end > len(body.texts) or end - 1 in body.used:
        return None
    text = body.texts[end - 1]
    if text.endswith(("。", "：", ":")) or len(text) > 80 or ATTACHMENT.match(text):
        return None
    return end - 1


def _attachments_at(body: Paragraphs, start: int, end: int, table_title: str | None) -> tuple[list[str], list[int]]:
    """附件 titles, and the paragraphs they are read from: those the 附件说明 lists (附件：1.… 2.…); without such a
    list, the title under each attachment page's marker (附件 / 附件1), which otherwise is the attachment itself,
    not a second one."""
    listed: list[str] = []
    marked: list[str] = []
    read: list[int] = []
    i = start
    while i < end:
        match = ATTACHMENT.match(body.texts[i])
        if not match or i in body.used:
            i += 1
            continue
        read.append(i)
        rest = match.group(2).strip()
        if rest:  # 附件：title, perhaps a numbered list over the following paragraphs
            listed.append(LIST_ITEM.sub("", rest))
            while i + 1 < end and LIST_ITEM.match(body.texts[i + 1]) and len(body.texts[i + 1]) <= 80:
                i += 1
                read.append(i)
                listed.append(LIST_ITEM.sub("", body.texts[i]))
        elif i + 1 < end:  # the attachment page marker 附件 / 附件1 stands above its title
            i += 1
            read.append(i)
            marked.append(body.texts[i])
        elif table_title:
            marked.append(table_title)
        i += 1
    return list(dict.fromkeys(FILE_SUFFIX.sub("", t).rstrip("。") for t in listed or marked if t)), read


def _date_at(body: Paragraphs, start: int, end: int) -> int | None:
    for i in range(end - 1, start - 1, -1):
        if DATE.match(squash(body.texts[i])):
            return i
    return None


def _iso_date(text: str) -> str | None:
    match = DATE.match(squash(text))
    try:
        y, m, d = (han_number(g) for g in match.groups())
        return date(y, m, d).isoformat()
    except (KeyError, ValueError):
        return None


def _year_in(text: str | None) -> int | None:
    match = YEAR_IN_TEXT.search(text or "")
    return int(match.group(1)) if match else None
