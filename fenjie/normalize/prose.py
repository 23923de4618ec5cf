"""Tasks written as prose: a notice without a task table whose numbered paragraphs carry their roles.

Layouts read (the words of labels and verbs come from the rules; phrases are read by `roles.read_roles`,
as unit cells are):

* an item that ends in a parenthesis of roles: "…。（牵头单位：X；责任单位：Y；完成时限：Z）", "（责任单位：X）",
  "（X牵头，Y、Z配合）", or a bare list of units "（区农发局、区财政局）" (they are responsible);
* an item followed by label lines (or ending in them): "牵头单位：X" "配合单位：Y" "完成时间：Z", one per
  line or several on one line; "责任单位：X牵头，Y配合" reads like the phrase, a bare "责任单位：X、Y" names
  responsible units;
* sub-items "（1）…（…）" under an item or heading, each with its own roles.

Every numbered paragraph (一、 / （一） / 1. / （1） / …) opens a level; depth is the order in which numbering
styles appear. Roles close a *block*: from the last numbered paragraph to them, or, when items of one level
share one closing line (1.–4. then （责任单位：…）), from their parent heading. The block's first sentence (up to
its first 。, or its first paragraph when that is a title without 。) is the row's `task` when at most 40
characters, the rest its `requirement`; the levels above the block are its `path` (`section` the first).
Paragraphs no roles close (preamble, 保障措施, …) are no rows: they stay in `notice.body`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from fenjie.model import Deadline, Numbered, ParagraphRef, Row, Warning
from fenjie.normalize.deadlines import needs_year, parse_deadline
from fenjie.normalize.headers import role_of
from fenjie.normalize.numbering import heading_of
from fenjie.normalize.roles import UNIT_ROLES, Phrase, looks_like_units, read_roles
from fenjie.normalize.units import Units
from fenjie.rules import Rules

MAX_TASK = 40  # characters of a first sentence that is the item's task
ANY_YEAR = 2000  # to tell whether a piece of a phrase is a deadline; the notice's year dates it later
OPENING, CLOSING = "（(", "）)"
OTHER_LABEL = re.compile(r"^[\u4e00-\u9fff]{2,8}[：:]")  # a label line of no role: 试点单位：…
OTHER_LABEL_AFTER = re.compile(r"[，,；;]\s*[\u4e00-\u9fff]{2,8}[：:]")  # …，适用范围：… ends a labelled value
LABEL_ROLES = ("lead", "responsible", "deadline")


@dataclass
class Roles:
    """What an item's parenthesis or label lines say: units by role, the deadline, how they were read."""

    lead: list[str] = field(default_factory=list)
    responsible: list[str] = field(default_factory=list)
    lead_open: bool = False
    responsible_open: bool = False
    completed: set[str] = field(default_factory=set)  # roles whose names were completed by rule
    deadline: str | None = None
    from_phrase: bool = False  # read from a phrase or a bare list, not from labels
    by_order: bool = False  # the lead is the list's first unit, as the notice says
    unread: list[str] = field(default_factory=list)  # clauses that named no unit and no role

    def add(self, role: str, units: Units) -> None:
        names = getattr(self, role)
        names += [n for n in units.names if n not in names]
        if units.open:
            setattr(self, f"{role}_open", True)
        if units.completed:
            self.completed.add(role)

    def merge(self, other: Roles) -> None:
        for role in UNIT_ROLES:
            self.add(role, Units(tuple(getattr(other, role)), getattr(other, f"{role}_open"), role in other.completed))
        self.deadline = self.deadline or other.deadline
        self.from_phrase |= other.from_phrase
        self.unread += other.unread

    def found(self) -> bool:
        return bool(self.lead or self.responsible or self.deadline)


@dataclass
class ProseRows:
    rows: list[Row] = field(default_factory=list)
    used: set[int] = field(default_factory=set)  # paragraphs that became rows, their label lines and headings
    warnings: list[Warning] = field(default_factory=list)


@dataclass
class _Heading:
    """A numbered paragraph: it opens a level until a paragraph numbered in its style or a shallower one."""

    at: int  # paragraph index
    style: str
    numbered: Numbered
    ordinal: int  # among the paragraphs of its level under the same parent
    whole: bool = True  # its title is the whole paragraph (not a run-in title before more text)


@dataclass
class _Walk:
    """The paragraphs read so far: open levels, the paragraphs since the last row, the roles that close them."""

    year: int | None
    rules: Rules
    first_leads: bool
    out: ProseRows = field(default_factory=ProseRows)
    stack: list[_Heading] = field(default_factory=list)
    children: dict[tuple[int, ...], int] = field(default_factory=dict)  # a level's ordinals -> rows or levels in it
    numbered: dict[int, _Heading] = field(default_factory=dict)  # every numbered paragraph seen
    texts: dict[int, str] = field(default_factory=dict)  # paragraphs without the roles they ended in
    pending: list[int] = field(default_factory=list)  # paragraphs since the last row
    closing: Roles | None = None  # roles (label lines, a parenthesis) that close the pending paragraphs
    closing_at: list[int] = field(default_factory=list)  # their own paragraphs (label lines, a lone parenthesis)

    def next_ordinal(self, key: tuple[int, ...]) -> int:
        """Count one more row or level in the level KEY, and give its ordinal there."""
        self.children[key] = self.children.get(key, 0) + 1
        return self.children[key]

    def add_text(self, at: int, text: str, own: Roles | None) -> None:
        """A paragraph of text (OWN: the roles it ends in): it may close the pending block and open a level."""
        if self.closing is not None:
            # 试点单位：… right under the label lines (not after the signature: 版记) is the item's text
            if own is None and OTHER_LABEL.match(text) and self.pending and self.closing_at[-1:] == [at - 1]:
                self.texts[at] = text
                self.pending.append(at)
                return
            self.close()
        heading = heading_of(text)
        if heading is not None and heading.style is not None:
            _close(self.stack, heading.style)
            key = tuple(h.ordinal for h in self.stack)
            # As a level above rows, a paragraph is named by its run-in title: （一）全面落实减税政策。认真…
            sentence, stop, _ = heading.numbered.title.partition("。")
            numbered = Numbered(no=heading.numbered.no, title=sentence) if stop and len(sentence) <= MAX_TASK \
                else heading.numbered
            self.numbered[at] = _Heading(at, heading.style, numbered, self.next_ordinal(key),
                                         whole=numbered is heading.numbered)
            self.stack.append(self.numbered[at])
        self.texts[at] = text
        self.pending.append(at)
        if own is not None:
            self.add_roles(own, None)

    def add_roles(self, roles: Roles, at: int | None) -> None:
        """Roles that will close the pending paragraphs (AT: their own paragraph, if they have one)."""
        if self.closing is None:
            self.closing, self.closing_at = Roles(), []
        self.closing.merge(roles)
        if at is not None:
            self.closing_at.append(at)

    def close(self) -> None:
        """The pending paragraphs' block becomes a row when the closing roles name units."""
        roles, closing_at, self.closing = self.closing, self.closing_at, None
        if not self.pending or not (roles.lead or roles.responsible):  # a deadline alone assigns no work
            return
        head, path = self.block_head()
        block = self.pending[self.pending.index(head):] if head is not None else self.pending[-1:]
        numbered = heading_of(self.texts[head]).numbered if head in self.numbered else None
        key = tuple(h.ordinal for h in path)
        ordinal = self.numbered[head].ordinal if head in self.numbered else self.next_ordinal(key)
        row_id = ".".join(map(str, (*key, ordinal)))
        if self.first_leads and not (roles.lead and roles.responsible):
            # The notice says the first unit of each list leads: （X、Y负责） or a bare list gives lead X.
            names = roles.lead or roles.responsible
            roles.lead, roles.responsible = names[:1], names[1:]
            roles.lead_open, roles.responsible_open = False, roles.lead_open or roles.responsible_open
            roles.by_order = True
        texts = [self.texts[at] for at in block]
        if numbered is not None:
            texts[0] = numbered.title
        row = _row(row_id, numbered.no if numbered else None, texts, block[0], roles, [h.numbered for h in path],
                   self.year, self.rules)
        self.out.rows.append(row)
        # A heading above the row is its path; one with text after its run-in title stays body for that text.
        self.out.used |= {*block, *closing_at, *(h.at for h in path if h.whole)}
        self.out.warnings += [Warning(code="unplaced-text", row=row.id, message=f"paragraph {block[-1] + 1}: no unit "
                                      f"or role in {clause!r}") for clause in roles.unread]
        self.pending = []

    def block_head(self) -> tuple[int | None, list[_Heading]]:
        """Where the block the roles close starts, and the levels above it.

        The block starts at the last numbered paragraph; when it has siblings of its style among the pending
        paragraphs, the roles are the whole level's (one parenthesis after items 1.–4.): the block starts at
        their parent when that is pending too, else at the first of them."""
        pending = set(self.pending)
        if not self.stack or self.stack[-1].at not in pending:
            return None, [h for h in self.stack if h.at not in pending]
        top = self.stack[-1]
        depth = len(self.stack) - 1
        after = self.stack[depth - 1].at if depth > 0 else -1  # siblings under the same parent only
        siblings = [at for at in self.pending
                    if at > after and at in self.numbered and self.numbered[at].style == top.style]
        if len(siblings) > 1:
            if depth > 0 and self.stack[depth - 1].at in pending:
                return self.stack[depth - 1].at, self.stack[:depth - 1]
            return siblings[0], self.stack[:depth]
        return top.at, self.stack[:depth]


def prose_rows(paragraphs: list[str], body: list[int], year: int | None, rules: Rules,
               first_leads: bool = False) -> ProseRows:
    """Rows from the body paragraphs BODY (indexes into PARAGRAPHS) whose items carry roles. FIRST_LEADS: the
    notice says the first unit of each list leads (列第一位者为牵头单位)."""
    walk = _Walk(year, rules, first_leads)
    for at in body:
        text = paragraphs[at]
        labels = _label_line(text, rules)
        if labels is not None:
            walk.add_roles(labels, at)
            continue
        lines = text.split("\n")
        own = Roles()
        while len(lines) > 1 and (line_roles := _label_line(lines[-1], rules)) is not None:
            own.merge(line_roles)
            lines.pop()
        text, trailing = _trailing_roles("\n".join(lines).strip(), rules)
        if trailing is not None:
            own.merge(trailing)
        if not text:  # a paragraph that is only a parenthesis of roles closes the paragraphs above it
            walk.add_roles(own, at)
            continue
        walk.add_text(at, text, own if own.found() else None)
    if walk.closing is not None:
        walk.close()
    return walk.out


def _close(stack: list[_Heading], style: str) -> None:
    """Close the level STYLE numbers (and those below it): a new paragraph of that style follows."""
    for depth, heading in enumerate(stack):
        if heading.style == style:
            del stack[depth:]
            return


def _label_line(text: str, rules: Rules) -> Roles | None:
    """The roles of a line made of labels only ("牵头单位：X 配合单位：Y 完成时间：Z"), else None."""
    found = list(_labels(rules).finditer(text))
    if not found or text[:found[0].start()].strip():
        return None
    return _labelled(text, found, rules)


def _labelled(text: str, found: list[re.Match], rules: Rules) -> Roles:
    """Labelled parts: a deadline label gives the deadline, a unit label its units (a phrase under the label,
    责任单位：X牵头，Y配合, reads like the phrase; a bare list keeps the label's role)."""
    roles = Roles()
    for match, following in zip(found, [*found[1:], None], strict=True):
        value = text[match.end():following.start() if following else len(text)]
        other = OTHER_LABEL_AFTER.search(value)  # （负责部门：X，适用范围：Y）: Y is no unit
        value = value[:other.start()] if other else value
        value = value.strip(" \t\n；;，,")
        role = role_of(match.group(1), rules)
        if not value or role not in LABEL_ROLES:
            continue
        if role == "deadline":
            roles.deadline = roles.deadline or value
        else:
            roles.merge(_from_phrase(read_roles(value, rules), role, rules))
    return roles


@cache  # per content of the rules (an id could be reused by other rules once the first are gone)
def _labels(rules: Rules) -> re.Pattern:
    """A role label and its colon: 牵头单位： 责任单位: 完成时限："""
    words = sorted({w for role in LABEL_ROLES for w in rules.roles.get(role, ())}, key=len, reverse=True)
    return re.compile("(" + "|".join(map(re.escape, words)) + r")\s*[：:]")


def _trailing_roles(text: str, rules: Rules) -> tuple[str, Roles | None]:
    """The item without the parenthesis of roles that ends it, and those roles (None: it ends in none)."""
    body = text.rstrip(" 。；;，,")
    if not body or body[-1] not in CLOSING:
        return text, None
    depth, start = 0, None
    for i in range(len(body) - 1, -1, -1):
        if body[i] in CLOSING:
            depth += 1
        elif body[i] in OPENING:
            depth -= 1
            if depth == 0:
                start = i
                break
    if start is None:
        return text, None
    inner = _without_notes(body[start + 1:-1].strip(), rules)
    found = list(_labels(rules).finditer(inner))
    labelled = found and not inner[:found[0].start()].strip()
    roles = _labelled(inner, found, rules) if labelled else _phrase(inner, rules)
    if roles is None or not roles.found():
        return text, None
    return body[:start].rstrip(), roles


def _without_notes(text: str, rules: Rules) -> str:
    """The parenthesis without the notice's own notes: the rule that the first unit leads (列第一位者为牵头单位)
    and its asides (下同: the same below)."""
    clauses = re.split(r"[，,；;。]", text)
    kept = [c for c in clauses if c.strip() not in rules.asides and not any(w in c for w in rules.first_leads)]
    text = text if len(kept) == len(clauses) else "，".join(kept)
    leads = min(rules.phrases.get("lead", ()), key=len, default=None)  # 牵头
    for word in rules.together if leads else ():  # X会同有关部门负责 -> X牵头，有关部门负责
        text = text.replace(word, f"{leads}，")
    for word in rules.after_etc:  # X、Y等有关部门负责 -> X、Y、有关部门负责
        text = text.replace(f"等{word}", f"、{word}")
    return text


def _phrase(text: str, rules: Rules) -> Roles | None:
    """Roles written as a phrase (X牵头，Y、Z配合; X、Y按职责分工负责), or a bare list of units, who are then
    responsible; None when the parenthesis says something else (（试行）)."""
    phrase = read_roles(text, rules)
    if not phrase.verbs and not looks_like_units(text, rules):
        return None
    roles = _from_phrase(phrase, "responsible", rules)
    roles.from_phrase = True
    return roles if roles.lead or roles.responsible else None


def _from_phrase(phrase: Phrase, unmarked: str, rules: Rules) -> Roles:
    """The roles a phrase read gives; names no role word claimed get the role UNMARKED. A piece that is no
    unit but a deadline (区政务办牵头，6月底前完成) is the deadline."""
    roles = Roles(from_phrase=phrase.verbs, unread=list(phrase.unread))
    for role in (*UNIT_ROLES, None):
        names = []
        for name in phrase.names(role):
            if (roles.deadline is None and not looks_like_units(name, rules)
                    and parse_deadline(name, ANY_YEAR, rules).kind != "unknown"):
                roles.deadline = name
            else:
                names.append(name)
        if names:
            roles.add(role or unmarked, Units(tuple(names), phrase.is_open(role), phrase.completed(role)))
    return roles


def _row(row_id: str, no: str | None, texts: list[str], at: int, roles: Roles, path: list[Numbered],
         year: int | None, rules: Rules) -> Row:
    """The row of a block of paragraphs (numbering off the first): its first sentence, or its first paragraph
    when that is a title without 。, is the task when at most 40 characters; the rest is the requirement."""
    first = texts[0]
    sentence, stop, rest = first.partition("。")
    task = None
    if not stop and 0 < len(first) <= MAX_TASK and (no or len(texts) > 1):  # a title paragraph
        task, rest = Numbered(no=no, title=first.strip()), ""
    elif stop and 0 < len(sentence) <= MAX_TASK:
        task = Numbered(no=no, title=sentence.strip())
    else:
        rest = first
    requirement = "\n".join(t for t in (rest.strip(), *texts[1:]) if t)
    inferred = [f"{role}_names" for role in ("lead", "responsible") if role in roles.completed]
    if roles.from_phrase:
        inferred.append("roles_from_phrase")
    if roles.by_order:
        inferred.append("lead_by_order")
    deadline = parse_deadline(roles.deadline, year, rules) if roles.deadline else Deadline()
    if deadline.date and needs_year(roles.deadline, rules):
        inferred.append("deadline_year")
    return Row(
        id=row_id,
        section=path[0] if path else None,
        task=task,
        path=path,
        lead=roles.lead,
        responsible=roles.responsible,
        lead_open=roles.lead_open,
        responsible_open=roles.responsible_open,
        requirement=requirement or None,
        deadline=deadline,
        inferred=inferred,
        source=ParagraphRef(paragraph=at),
    )


__all__ = ["ProseRows", "prose_rows"]
