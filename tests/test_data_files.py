"""fenjie's data files are read once each into a typed object; an edited one fails naming the file and the key."""

import pytest

from fenjie.data import typed
from fenjie.errors import BadData
from fenjie.extract.webpage import chrome
from fenjie.ledger.layout import words as ledger_words
from fenjie.render.excel import words as workbook_words
from fenjie.render.text import TextWords
from fenjie.render.text import words as text_words
from fenjie.render.word import _words as letter_words
from fenjie.serve.edits import words as page_words

TEXT = {"units": {"separator": "、", "open_mark": "等"},
        "numbering": {"section": "{no}、{title}", "task": "（{no}）{title}", "task_arabic": "{no}. {title}"}}


def test_each_data_file_is_read_into_its_typed_object():
    assert text_words().units.separator == "、" and text_words().numbering.task == "（{no}）{title}"
    assert page_words().inferred_fields["roles_from_phrase"] == ("lead", "responsible")
    assert ledger_words().progress.unfilled == "未填写" and ledger_words().problems["bad-date"].startswith("编号 {row}")
    assert chrome().fields["发文字号"] == "doc_number" and chrome().meta_fields["pubdate"] == "published"
    assert letter_words().attachments.of("responsible") == "{subject}参与任务清单"
    assert letter_words().index.headers[0] == "单位" and letter_words().pdf.title == "函件"
    assert workbook_words().sheets.original == "原表" and workbook_words().headers["through_groups"] == "其中群组任务"
    assert typed(TEXT, TextWords, "", "text.toml") == text_words()


@pytest.mark.parametrize(("edit", "message"), [
    ({"units": {"separator": 1, "open_mark": "等"}}, "units.separator: expected text"),
    ({"units": {"open_mark": "等"}}, "units.separator: missing"),
    ({"units": {"separator": "、", "open_mark": "等", "分隔": "，"}}, 'units."分隔": no such key (the keys of units: '
                                                                   "separator, open_mark)"),
    ({"numbering": ["{no}、{title}"]}, "numbering: expected a table"),
])
def test_an_edited_data_file_is_bad_data_naming_the_file_and_the_key(edit, message):
    with pytest.raises(BadData) as error:
        typed(TEXT | edit, TextWords, "", "fenjie/data/text.toml")
    assert str(error.value).startswith(f"fenjie/data/text.toml: {message} (a data file of fenjie was edited")
    assert error.value.code == "bad-data"


def test_a_table_of_free_keys_names_the_key_that_is_wrong():
    with pytest.raises(BadData, match=r'^serve.toml: inferred_fields.lead\[1\]: expected text'):
        typed({"lead": ["lead", 2]}, dict[str, tuple[str, ...]], "inferred_fields", "serve.toml")
