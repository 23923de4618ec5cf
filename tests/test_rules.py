"""A user's --rules file extends the shipped vocabulary instead of replacing it."""

import pytest

from fenjie.errors import BadRules
from fenjie.normalize.headers import role_of
from fenjie.normalize.units import split_units
from fenjie.rules import load


def test_a_rules_file_adds_words_and_keeps_the_shipped_ones(tmp_path):
    extra = tmp_path / "rules.toml"
    extra.write_text('[roles]\nlead = ["督办处室"]\n\n[units]\naliases = { "市发改委" = "市发展改革委" }\n',
                     encoding="utf-8")
    rules = load(extra)
    assert role_of("督办处室", rules) == "lead"
    assert role_of("牵头单位", rules) == "lead"  # still there
    assert split_units("市发改委、市财政局", rules).names == ("市发展改革委", "市财政局")
    assert role_of("督办处室", load()) is None  # the shipped rules are unchanged


def test_a_word_list_given_as_a_string_is_refused_naming_the_key(tmp_path):
    extra = tmp_path / "rules.toml"
    extra.write_text('[units]\nsuffixes = "办"\n', encoding="utf-8")
    with pytest.raises(BadRules, match=r"units\.suffixes must be a list of words"):
        load(extra)
