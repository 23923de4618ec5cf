"""The format table is the one place formats are known: README's list, the suffixes and the readers follow it."""

import importlib
import subprocess
import sys
from pathlib import Path

from fenjie.extract.formats import BY_NAME, FORMATS, SUPPORTED, readme_table

README = Path(__file__).parent.parent / "README.md"


def test_readme_lists_the_formats_of_the_table():
    text = README.read_text(encoding="utf-8")
    begin, end = "<!-- formats: generated from fenjie/extract/formats.py -->\n", "<!-- formats: end -->"
    assert begin in text and end in text
    assert text.split(begin, 1)[1].split(end, 1)[0] == readme_table(), \
        "README's format list is stale: paste fenjie.extract.formats.readme_table() between its markers"


def test_every_format_has_a_reader_and_its_own_suffixes():
    assert len(set(SUPPORTED)) == len(SUPPORTED) and len(BY_NAME) == len(FORMATS)
    for fmt in FORMATS:
        assert bool(fmt.reader) != bool(fmt.office), fmt.name  # read directly, or converted first
        module, function = (BY_NAME[fmt.office] if fmt.office else fmt).reader.split(":")
        assert callable(getattr(importlib.import_module(f"fenjie.extract.{module}"), function)), fmt.name


def test_the_error_messages_import_no_reader():
    readers = {fmt.reader.split(":")[0] for fmt in FORMATS if fmt.reader} | {"office"}
    loaded = subprocess.run([sys.executable, "-c", "import sys, fenjie.errors, fenjie.extract.detect; "
                             "print(' '.join(sys.modules))"], capture_output=True, text=True, check=True).stdout
    assert not {f"fenjie.extract.{module}" for module in readers} & set(loaded.split())
