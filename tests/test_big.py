"""A big legitimate notice stays linear: four times the rows take about four times as long, in every output.

bench/big.py measures the 20,000-row case (issue 14: under 10 s and 1 GB); this guards against a
quadratic step creeping in, on a notice big enough to show one and small enough for CI.
"""

from __future__ import annotations

import gc
import sys
import time
from pathlib import Path

from conftest import ROOT

from fenjie.pipeline import convert_bytes
from fenjie.render import writer

sys.path.insert(0, str(ROOT / "bench"))
from big import big_notice  # noqa: E402 - bench/ is not a package


def cpu_seconds(rows: int, folder: Path) -> dict[str, float]:
    data = big_notice(rows)
    started = time.process_time()
    document = convert_bytes(data, "big.docx")
    seconds = {"read": time.process_time() - started}
    for name in ("json", "xlsx", "letters"):
        gc.collect()  # the garbage of the step before is not this step's cost
        started = time.process_time()
        writer(name)(document, folder / str(rows))
        seconds[name] = time.process_time() - started
    assert len(document.rows) > rows * 0.9
    return seconds


def best_of_two(rows: int, folder: Path) -> dict[str, float]:
    runs = [cpu_seconds(rows, folder) for _ in range(2)]
    return {name: min(run[name] for run in runs) for name in runs[0]}


def test_four_times_the_rows_take_at_most_eight_times_as_long(tmp_path):
    cpu_seconds(50, tmp_path)  # warm: templates compiled, modules imported
    # Best of two per size: a garbage collection or a busy neighbour inflates one run of a short measure.
    small, large = (best_of_two(rows, tmp_path) for rows in (300, 1200))
    ratios = {name: large[name] / max(small[name], 0.02) for name in small}
    # Linear is 4, a quadratic step 16; 8 leaves room for a busy machine's noise in CPU time (caches shared).
    assert all(ratio < 8 for ratio in ratios.values()), ratios
