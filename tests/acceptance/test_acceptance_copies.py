"""The copies of the shared acceptance files that the tests use must not drift from the originals."""

from __future__ import annotations

import pytest
from conftest import ACCEPTANCE, ROOT

SHARED = ROOT.parent / "shared" / "acceptance"


@pytest.mark.parametrize("name", ["compare.py", "jining-2024.expected.json"])
def test_copy_equals_the_shared_original(name):
    if not SHARED.is_dir():
        pytest.skip("no ../shared/acceptance next to this clone; the copies are the reference")
    assert (ACCEPTANCE / name).read_bytes() == (SHARED / name).read_bytes(), (
        f"tests/acceptance/{name} differs from {SHARED / name}: copy the original over")
