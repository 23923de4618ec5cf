"""Roles written in words (issue 9 §5): a phrase in a unit cell or a prose parenthesis -> names by role.

Each case: the text, the lead names, the responsible names and whether a role word was read. The names are
invented (某某区); the phrases are the forms real notices use."""

from __future__ import annotations

import pytest

from fenjie.normalize.roles import looks_like_units, read_roles
from fenjie.rules import load

RULES = load()

PHRASES = [
    # X牵头，Y、Z配合（落实）
    ("区财政局牵头，区税务局、区商务局配合", ["区财政局"], ["区税务局", "区商务局"]),
    ("区财政局牵头，区税务局、区商务局配合落实", ["区财政局"], ["区税务局", "区商务局"]),
    ("区财政局牵头；区税务局协助", ["区财政局"], ["区税务局"]),
    ("区财政局牵头负责，区税务局参与", ["区财政局"], ["区税务局"]),
    ("区财政局牵头落实，区税务局协同", ["区财政局"], ["区税务局"]),
    ("区财政局、区发改局牵头，区税务局", ["区财政局", "区发改局"], ["区税务局"]),
    ("综合处牵头，各处、单位配合落实", ["综合处"], ["各处、单位"]),
    ("区财政局牵头，\n区税务局配合", ["区财政局"], ["区税务局"]),
    # X负责, 由X负责, X、Y按职责分工负责
    ("区财政局负责", ["区财政局"], []),
    ("由区财政局负责", ["区财政局"], []),
    ("由区财政局牵头，区税务局配合", ["区财政局"], ["区税务局"]),
    ("区财政局、区税务局按职责分工负责", ["区财政局", "区税务局"], []),
    ("各处室按职责分工负责", ["各处室"], []),
    ("社会事业处\n负责", ["社会事业处"], []),  # the verb on a line of its own
    ("区财政局、区税务局分别负责", ["区财政局", "区税务局"], []),
    ("区财政局牵头，区税务局、区商务局等按职责分工负责", ["区财政局"], ["区税务局", "区商务局"]),
    ("区财政局负总责，区税务局负责配合", ["区财政局"], ["区税务局"]),
    ("区政府办牵头，区司法局负责法制审查工作", ["区政府办"], ["区司法局"]),  # the duty is no unit
    # X（牵头）、Y
    ("区财政局（牵头）、区税务局", ["区财政局"], ["区税务局"]),
    ("区财政局(牵头)、区税务局、区商务局", ["区财政局"], ["区税务局", "区商务局"]),
    ("区财政局（牵头单位）、区税务局", ["区财政局"], ["区税务局"]),
    # labels: 牵头：X 配合：Y
    ("牵头：区财政局 配合：区税务局", ["区财政局"], ["区税务局"]),
    ("牵头单位：区财政局；配合单位：区税务局、区商务局", ["区财政局"], ["区税务局", "区商务局"]),
    ("牵头单位：区财政局\n责任单位：区税务局", ["区财政局"], ["区税务局"]),
    ("责任单位：区财政局牵头，区税务局配合", ["区财政局"], ["区税务局"]),  # a phrase under a label
    ("主办：区财政局；协办：区税务局", ["区财政局"], ["区税务局"]),
    # X为牵头单位，Y为配合单位
    ("区财政局为牵头单位，区税务局为配合单位", ["区财政局"], ["区税务局"]),
    ("区财政局为牵头单位，区税务局、区商务局为责任单位", ["区财政局"], ["区税务局", "区商务局"]),
]


@pytest.mark.parametrize(("text", "lead", "responsible"), PHRASES, ids=[p[0] for p in PHRASES])
def test_phrase_gives_roles(text, lead, responsible):
    phrase = read_roles(text, RULES)
    assert phrase.verbs
    assert (phrase.names("lead"), phrase.names("responsible")) == (lead, responsible)
    assert phrase.names(None) == []


@pytest.mark.parametrize("text", ["区财政局、区税务局", "区财政局\n区税务局", "市直各部门、单位", "/", ""])
def test_a_plain_list_names_no_role(text):
    phrase = read_roles(text, RULES)
    assert not phrase.verbs
    assert phrase.names("lead") == phrase.names("responsible") == []


def test_the_duty_after_a_verb_is_reported_not_a_unit():
    assert read_roles("区政府办牵头，区司法局负责法制审查工作", RULES).unread == ("法制审查工作",)


def test_order_is_kept_for_a_column_that_takes_every_name():
    phrase = read_roles("区税务局、区商务局配合，区财政局牵头", RULES)
    assert phrase.all_names().names == ("区税务局", "区商务局", "区财政局")


@pytest.mark.parametrize(("text", "names"), [
    ("区党工委管委会办公室\n（政策法规处）", ("区党工委管委会办公室（政策法规处）",)),
    ("区党工委管委会\n办公室", ("区党工委管委会办公室",)),
    ("区经发局、\n重点办", ("区经发局", "重点办")),  # a name of its own after a list mark
    ("区财政局\n区税务局", ("区财政局", "区税务局")),
])
def test_a_paragraph_that_continues_a_name(text, names):
    assert read_roles(text, RULES).all_names().names == names


@pytest.mark.parametrize(("text", "units"), [
    ("区财政局、区税务局", True), ("区财政局牵头，区税务局配合", True), ("各处室按职责分工负责", True),
    ("市直各有关单位", True), ("2025年6月底前", False), ("加强政策解读，及时回应关切", False), ("备注", False),
])
def test_looks_like_units(text, units):
    assert looks_like_units(text, RULES) is units


def test_a_rule_about_the_lists_inside_a_phrase_names_no_unit():
    """（人力资源社会保障部、财政部负责。列第一位者为牵头单位，下同）: the rule is reported, not read as units."""
    phrase = read_roles("人力资源社会保障部、财政部负责。列第一位者为牵头单位，下同", RULES)
    assert phrase.first_leads
    assert phrase.all_names().names == ("人力资源社会保障部", "财政部")
    assert not read_roles("区财政局负责", RULES).first_leads
