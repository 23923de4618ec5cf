"""A big legitimate notice: the seed's task table grown to N rows, and what every output of it costs.

    .venv/bin/python bench/big.py [--rows 20000]

Prints wall and CPU seconds per stage (read + normalize, notice.json, tasks.xlsx, letters) and the
peak memory (RSS) of the process; on a shared machine the CPU seconds are the ones to compare.
The target (issue 14): 20,000 rows give every output in under 10 s and under 1 GB.
"""

from __future__ import annotations

import argparse
import io
import re
import resource
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED_DOCX = ROOT / "samples" / "jining-2024.docx"
ROW = re.compile(rb"<w:tr[ >].*?</w:tr>", re.S)
# Run and paragraph formatting of the seed's cells: most of a row's bytes, none of its meaning.
FORMATTING = re.compile(rb"<w:rPr>.*?</w:rPr>|<w:pPr>.*?</w:pPr>|<w:proofErr[^>]*/>|<w:bookmark\w+ [^>]*/>", re.S)


def big_notice(rows: int) -> bytes:
    """The seed .docx whose task table repeats its body rows (merges and all) until it has ROWS rows."""
    with zipfile.ZipFile(SEED_DOCX) as seed:
        parts = {info: seed.read(info) for info in seed.infolist()}
    document = next(info for info in parts if info.filename == "word/document.xml")
    xml = parts[document]
    table_rows = ROW.findall(xml)
    body = table_rows[1:]  # the first row is the header
    lean = [FORMATTING.sub(b"", row) for row in body]
    grown = b"".join(lean[i % len(lean)] for i in range(rows))
    start, end = xml.index(body[0]), xml.index(body[-1]) + len(body[-1])
    parts[document] = xml[:start] + grown + xml[end:]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for info, data in parts.items():
            package.writestr(info, data)
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000)
    args = parser.parse_args()
    from fenjie.pipeline import convert_bytes
    from fenjie.render import writer

    data = big_notice(args.rows)
    stages = []
    started, cpu = time.perf_counter(), time.process_time()
    document = convert_bytes(data, "big.docx")
    stages.append(("read + normalize", time.perf_counter() - started, time.process_time() - cpu))
    with tempfile.TemporaryDirectory() as folder:
        for name in ("json", "xlsx", "letters"):
            begun, begun_cpu = time.perf_counter(), time.process_time()
            writer(name)(document, Path(folder))
            stages.append((name, time.perf_counter() - begun, time.process_time() - begun_cpu))
    total, total_cpu = time.perf_counter() - started, time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{len(document.rows)} rows, {len(document.units)} units, {len(document.warnings)} warnings")
    for name, seconds, cpu_seconds in stages:
        print(f"  {name:<18} {seconds:7.2f} s   {cpu_seconds:7.2f} s CPU")
    print(f"  {'total':<18} {total:7.2f} s   {total_cpu:7.2f} s CPU   peak memory {peak:.0f} MB"
          "   (target: 10 s, 1024 MB)")
    sys.exit(0 if total < 10 and peak < 1024 else 1)


if __name__ == "__main__":
    main()
