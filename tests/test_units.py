from __future__ import annotations

import dataclasses

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from fenjie.normalize.units import Units, split_units
from fenjie.rules import load

RULES = load()
ZONES = ["济宁高新区管委会", "太白湖新区管委会", "济宁经济技术开发区管委会"]
ZONES_CELL = "济宁高新区、太白湖新区、济宁经济技术开发区管委会"
ALIASES = dataclasses.replace(
    RULES, aliases={"市发改委": "市发展改革委", "济宁高新区管委会": "济宁高新技术产业开发区管委会"}
)


def units(*names: str, open: bool = False, completed: bool = False) -> Units:  # noqa: A002
    return Units(names=names, open=open, completed=completed)


CASES = [
    # The seed notice.
    (f"各县（市、区）政府，{ZONES_CELL}", units("各县（市、区）政府", *ZONES, completed=True)),
    (
        f"市政府有关部门、单位，各县（市、区）政府，{ZONES_CELL}",
        units("市政府有关部门、单位", "各县（市、区）政府", *ZONES, completed=True),
    ),
    ("市商务局\n市文化和旅游局\n市住房城乡建设局", units("市商务局", "市文化和旅游局", "市住房城乡建设局")),
    ("\n市发展改革委\n\n", units("市发展改革委")),
    (
        f"市财政局、国网济宁供电公司、济宁孔子文化旅游集团等；各县（市、区）政府，{ZONES_CELL}",
        units("市财政局", "国网济宁供电公司", "济宁孔子文化旅游集团", "各县（市、区）政府", *ZONES,
              open=True, completed=True),
    ),
    (
        "市安全生产委员会成员单位、人民银行济宁市分行、国家金融监督管理总局济宁监管分局等；各县（市、区）政府",
        units("市安全生产委员会成员单位", "人民银行济宁市分行", "国家金融监督管理总局济宁监管分局",
              "各县（市、区）政府", open=True),
    ),
    (
        f"市政府各部门、单位\n各县（市、区）政府，{ZONES_CELL}",
        units("市政府各部门、单位", "各县（市、区）政府", *ZONES, completed=True),
    ),
    ("市、县级政府办公室", units("市政府办公室", "县级政府办公室", completed=True)),
    (
        f"各县（市、区）人民政府，{ZONES_CELL}，市政府各部门、单位",
        units("各县（市、区）人民政府", *ZONES, "市政府各部门、单位", completed=True),
    ),
    ("市文化和旅游局\n曲阜文化建设示范区推进办公室", units("市文化和旅游局", "曲阜文化建设示范区推进办公室")),
    # ASCII separators, half-width brackets, CR LF.
    ("市发展改革委,市财政局;市商务局", units("市发展改革委", "市财政局", "市商务局")),
    ("市财政局\r\n市商务局", units("市财政局", "市商务局")),
    ("各县(市、区)政府、市财政局", units("各县(市、区)政府", "市财政局")),
    ("市教育局(市体育局，市语委)、市财政局", units("市教育局(市体育局，市语委)", "市财政局")),
    ("市委（市政府（筹）、督查室）、市财政局", units("市委（市政府（筹）、督查室）", "市财政局")),
    # White space of every kind goes, inside names too.
    ("市 财政局\u3000、\u3000市商务局", units("市财政局", "市商务局")),
    ("市财政局\xa0\xa0\n\xa0市商务局 ", units("市财政局", "市商务局")),
    # Cells that mean no units.
    ("/", units()),
    ("／", units()),
    ("—", units()),
    ("无", units()),
    ("无。", units()),
    ("\u3000\xa0 \n", units()),
    ("", units()),
    (None, units()),
    # 等: only trailing, anywhere in the list.
    ("市财政局、市商务局等，市教育局", units("市财政局", "市商务局", "市教育局", open=True)),
    ("市统计局等", units("市统计局", open=True)),
    ("市财政局等;市商务局", units("市财政局", "市商务局", open=True)),
    ("市等级评定中心、市财政局", units("市等级评定中心", "市财政局")),
    ("市财政局、等", units("市财政局", open=True)),
    # Duplicates, also those made by completion, are dropped.
    ("市财政局、市商务局\n市财政局", units("市财政局", "市商务局")),
    ("济宁高新区、济宁高新区管委会", units("济宁高新区管委会", completed=True)),
    # A shared suffix stays within its run and goes only to places without a suffix.
    ("济宁高新区，市财政局", units("济宁高新区", "市财政局")),
    ("市财政局、济宁高新区管委会", units("市财政局", "济宁高新区管委会")),
    ("济宁高新区、太白湖新区", units("济宁高新区", "太白湖新区")),
    # Only a last name that is a place plus a suffix lends it: 市财政局's 局 is its own.
    ("某某高新区、市财政局", units("某某高新区", "市财政局")),
    # Level ellipses, chained, and both-level phrases that are no ellipsis.
    ("省、市、县级财政部门", units("省财政部门", "市财政部门", "县级财政部门", completed=True)),
    ("县、乡镇人民政府", units("县人民政府", "乡镇人民政府", completed=True)),
    ("市、县两级政府", units("市、县两级政府")),
    ("各县、市、区政府，市财政局", units("各县、市、区政府", "市财政局")),
    ("市，县级政府办公室", units("市", "县级政府办公室")),
    # A trailing separator leaves no empty name.
    ("市财政局、", units("市财政局")),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_split_units(text, expected):
    assert split_units(text, RULES) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("市发改委、市发展改革委", units("市发展改革委")),
        (
            "济宁高新区、太白湖新区管委会",
            units("济宁高新技术产业开发区管委会", "太白湖新区管委会", completed=True),
        ),
    ],
)
def test_aliases_apply_after_completion(text, expected):
    assert split_units(text, ALIASES) == expected


# --- properties -------------------------------------------------------------------------------

SEPARATORS = st.sampled_from(["、", "，", ",", "；", ";", "\n", "\r\n"])
SPACES = st.sampled_from(["", " ", "\u3000", "\xa0"])
WORDS = [RULES.suffixes, RULES.places, RULES.levels, RULES.collectives, RULES.open_marks, RULES.empty]
VOCABULARY = {char for words in WORDS for char in "".join(words)}
# CJK names that cannot end in a suffix or place, be a level, or meet a collective.
PLAIN = st.text(st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5, exclude_characters=VOCABULARY),
                min_size=1, max_size=8)
WITH_SUFFIX = st.builds(str.__add__, PLAIN, st.sampled_from(RULES.suffixes))


@st.composite
def spaced(draw, name: str) -> str:
    at = draw(st.integers(0, len(name)))
    return name[:at] + draw(SPACES) + name[at:]


@st.composite
def joined(draw, pieces: list[str]) -> str:
    text = draw(spaced(pieces[0]))
    for piece in pieces[1:]:
        text += draw(SPACES) + draw(SEPARATORS) + draw(SPACES) + draw(spaced(piece))
    return text


@settings(max_examples=200, derandomize=True)
@given(st.lists(st.one_of(PLAIN, WITH_SUFFIX), min_size=1, max_size=8, unique=True).flatmap(
    lambda names: st.tuples(st.just(names), joined(names))))
def test_names_joined_by_separators_come_back(case):
    names, text = case
    # A short line ending in a suffix under a line that is no name continues it (省食品药品⏎监管局, issue 9 §5).
    assume("\n" not in text or not any(len(b) <= 3 and b.endswith(RULES.suffixes) and not a.endswith(RULES.suffixes)
                                       for a, b in zip(names, names[1:], strict=False)))
    result = split_units(text, RULES)
    assert (result.names, result.open) == (tuple(names), False)
    # Only white space inside a line can make a guess (市财政局 市教育局: two names, or one?), marked for a person.
    assert not result.completed or any(char.isspace() for line in text.splitlines() for char in line.strip())


TOKENS = [
    "甲", "乙", "丙", "丁", "等", "等级", "部门、单位",
    "（甲、乙）", "(丙，丁)", "（甲（乙；丙）丁）", "（市、区）",
    *RULES.places, *RULES.suffixes, *RULES.levels,
]
PIECE = st.lists(st.sampled_from(TOKENS), min_size=1, max_size=4).map("".join)
PIECES = st.lists(PIECE, min_size=1, max_size=6)


def _collective_across(pieces: list[str], separators: list[str]) -> bool:
    """Whether a collective phrase would swallow one of the separators between the pieces."""
    text, cuts = pieces[0], []
    for separator, piece in zip(separators, pieces[1:], strict=True):
        cuts.append(len(text))
        text += separator + piece
    for phrase in RULES.collectives:
        start = text.find(phrase)
        while start >= 0:
            if any(start <= cut < start + len(phrase) for cut in cuts):
                return True
            start = text.find(phrase, start + 1)
    return False


def _without_open_marks(piece: str) -> str:
    while piece.endswith("等"):
        piece = piece[:-1]
    return piece


def _is_tail(text: str, pieces: list[str]) -> bool:
    return any(len(p) > len(text) and p.endswith(text) for p in pieces)


def _borrowed(rest: str, pieces: list[str], parts: int = 2) -> bool:
    """Whether `rest` is made of at most `parts` tails of pieces: what completion may add."""
    return rest == "" or parts > 0 and any(
        _is_tail(rest[:cut], pieces) and _borrowed(rest[cut:], pieces, parts - 1)
        for cut in range(1, len(rest) + 1)
    )


@settings(max_examples=200, derandomize=True)
@given(PIECES.flatmap(lambda ps: st.tuples(st.just(ps), st.lists(SEPARATORS, min_size=len(ps) - 1,
                                                                 max_size=len(ps) - 1))))
def test_splitting_keeps_every_character_of_a_name(case):
    pieces, separators = case
    assume(not _collective_across(pieces, separators))
    # A line that starts with a bracket or is a bare organ suffix continues the name above (issue 9 §5).
    assume(not any("\n" in s and (p[:1] in "（(" or p in RULES.suffixes)
                   for s, p in zip(separators, pieces[1:], strict=True)))
    text = pieces[0] + "".join(s + p for s, p in zip(separators, pieces[1:], strict=True))
    kept = [p for p in map(_without_open_marks, pieces) if p]

    result = split_units(text, RULES)

    assert len(set(result.names)) == len(result.names)
    assert result.open == any(p.endswith("等") for p in pieces)
    # Nothing dropped: every piece starts a name ...
    assert all(any(name.startswith(p) for name in result.names) for p in kept)
    # ... and nothing invented: a name is a piece plus what completion borrowed from other pieces.
    assert all(
        any(name.startswith(p) and _borrowed(name[len(p):], kept) for p in kept) for name in result.names
    )
    if not result.completed:
        assert result.names == tuple(dict.fromkeys(kept))
