"""A user's --rules file extends the shipped vocabulary instead of replacing it."""

import dataclasses

import pytest

from fenjie.errors import BadRules
from fenjie.normalize.directory import load_directory, with_directory
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


def test_rules_are_made_once_per_content_and_an_edited_file_is_read_anew(tmp_path):
    extra, copy = tmp_path / "rules.toml", tmp_path / "copy.toml"
    extra.write_text('[units]\naliases = { "市发改委" = "市发展改革委" }\n', encoding="utf-8")
    copy.write_bytes(extra.read_bytes())
    first = load(extra)
    assert load(extra) is first and load(copy) == first and hash(load(copy)) == hash(first)
    assert first != load() and first == dataclasses.replace(load(), aliases={"市发改委": "市发展改革委"})
    extra.write_text('[units]\naliases = { "市发改委" = "市发改局" }\n', encoding="utf-8")  # same size, same second
    edited = load(extra)
    assert edited != first and split_units("市发改委", edited).names == ("市发改局",)
    # the memo cache of split_units keys on the rules: the old rules still give the old name
    assert split_units("市发改委", first).names == ("市发展改革委",)


def test_a_unit_directory_is_read_anew_once_edited(tmp_path):
    directory = tmp_path / "units.toml"
    directory.write_text('[units."市发展改革委"]\naliases = ["市发改委"]\n', encoding="utf-8")
    first = with_directory(load(), load_directory(directory))
    directory.write_text('[units."市发改局甲"]\naliases = ["市发改委"]\n', encoding="utf-8")
    edited = with_directory(load(), load_directory(directory))
    assert split_units("市发改委", first).names == ("市发展改革委",)
    assert split_units("市发改委", edited).names == ("市发改局甲",)
