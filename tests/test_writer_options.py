"""Each writer takes one frozen options object of its own, built in one place from a run's settings."""

from datetime import UTC, datetime

import pytest
from conftest import SEED_DOCX

from fenjie import convert
from fenjie.render import options_for, write_all
from fenjie.render.options import JsonOptions, LedgerOptions, LetterOptions, WorkbookOptions

STAMP = datetime(2024, 3, 4, 17, 30, tzinfo=UTC)


def test_each_writer_takes_the_settings_its_options_name():
    settings = {"template": "mine.docx", "kind": "函", "generated_at": STAMP}
    assert options_for("json", **settings) == JsonOptions()
    assert options_for("xlsx", **settings) == WorkbookOptions(generated_at=STAMP)
    assert options_for("letters", **settings) == LetterOptions(template="mine.docx", kind="函", generated_at=STAMP)
    assert options_for("ledgers", **settings) == LedgerOptions(generated_at=STAMP)


def test_a_misspelt_option_is_a_type_error_and_nothing_is_written(tmp_path):
    with pytest.raises(TypeError, match="kidn"):
        LetterOptions(kidn="函")
    with pytest.raises(TypeError, match="no writer takes the setting kidn; the settings are cc, contact, date"):
        write_all(convert(SEED_DOCX), tmp_path, only=["json"], kidn="函")
    assert not list(tmp_path.iterdir())
