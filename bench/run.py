"""How fast fenjie reads the seed notice, against the floor and other readers, and how batch scales.

    .venv/bin/pip install -e '.[bench]' && .venv/bin/python bench/run.py [--files 500] [--repeat 15]
    .venv/bin/python bench/run.py --profile   # where extract + normalize spends its time (pyinstrument)

Prints one Markdown table (README, "Speed") and the machine it ran on. Times are CPU times (the machine is
shared: wall time counts other processes' turns), medians of repeated in-process runs after one warm-up, the
measures taking turns, imports excluded; the whole-process lines are the CPU time of a fresh interpreter (its
bytecode cached, as an installed package has it). A batch rate is the best of three runs, in wall time. Where
a target is missed, the last column says by how much.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

from lxml import etree

ROOT = Path(__file__).resolve().parent.parent
SEED_DOCX = ROOT / "samples" / "jining-2024.docx"
SEED_TXT = ROOT / "samples" / "jining-2024.txt"

ROUNDS = 3  # batch runs per worker count

# Run in a fresh interpreter per worker count, so that the workers' peak memory is theirs alone.
BATCH_CHILD = """
import json, resource, sys, time
from fenjie import batch
archive, out, workers = sys.argv[1], sys.argv[2], int(sys.argv[3])
started = time.perf_counter()
entries = batch.run([archive], out, batch.Settings(only=("json",)), workers=workers, force=True)
print(json.dumps({"seconds": time.perf_counter() - started, "ok": batch.counts(entries)["ok"],
                  "peak_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}))
"""


def median_seconds(*works: Callable[[], object], repeat: int) -> list[float]:
    """The median CPU time of each work. The works take turns, so that a busy spell of the machine
    slows them all alike and their ratios hold."""
    for work in works:
        work()  # warm-up: caches, lazily imported modules, bytecode
    times: list[list[float]] = [[] for _ in works]
    for _ in range(repeat):
        for work, spent in zip(works, times, strict=True):
            started = _cpu()
            work()
            spent.append(_cpu() - started)
    return [statistics.median(spent) for spent in times]


def _cpu() -> float:
    """CPU seconds of this process and of its children that ended (a whole-process measure runs as one)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def lxml_floor() -> None:
    with zipfile.ZipFile(SEED_DOCX) as archive:
        etree.fromstring(archive.read("word/document.xml"))


def docx2python_read() -> None:
    from docx2python import docx2python

    with docx2python(SEED_DOCX) as document:
        document.body  # noqa: B018 - reading it is the work


def python_docx_walk() -> None:
    import docx

    table = max(docx.Document(SEED_DOCX).tables, key=lambda t: len(t.rows))
    for row in table.rows:
        for cell in row.cells:
            cell.text  # noqa: B018


def fenjie_model() -> None:
    from fenjie.normalize import deadlines, roles, rows, units
    from fenjie.pipeline import convert

    # Every run a first conversion: the memos of unit, role and deadline cells would flatter repeats.
    for memo in (units._split, roles._read, rows._read_units, deadlines._read):
        memo.cache_clear()
    convert(SEED_DOCX)


def fenjie_every_output(folder: Path) -> Callable[[], None]:
    from fenjie.pipeline import convert
    from fenjie.render import write_all

    runs = iter(range(10**6))

    def work() -> None:
        write_all(convert(SEED_DOCX), folder / str(next(runs)))

    return work


# Bytecode written as an installed package has it (this machine's environment may forbid writing it).
PROCESS_ENV = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}


def convert_process() -> None:
    subprocess.run([sys.executable, "-m", "fenjie", "convert", str(SEED_DOCX), "--only", "json", "--out", "-"],
                   check=True, capture_output=True, env=PROCESS_ENV)


def bare_process() -> None:
    subprocess.run([sys.executable, "-c", "import zipfile, lxml.etree"], check=True, env=PROCESS_ENV)


def batch_run(archive: Path, out: Path, workers: int) -> dict:
    result = subprocess.run([sys.executable, "-c", BATCH_CHILD, str(archive), str(out), str(workers)],
                            check=True, capture_output=True, text=True)
    return json.loads(result.stdout)


def machine() -> str:
    model = platform.processor() or "unknown CPU"
    try:
        lscpu = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
        model = next(line.split(":", 1)[1].strip() for line in lscpu.splitlines() if line.startswith("Model name"))
    except (OSError, StopIteration):
        pass
    from os import sched_getaffinity

    return (f"{model}, {len(sched_getaffinity(0))} CPUs, Python {platform.python_version()}, "
            f"{platform.system()} {platform.release()}")


def verdict(value: float, limit: float, *, below: bool = True) -> str:
    """'ok', or how far VALUE is from LIMIT (a factor)."""
    if (value < limit) if below else (value >= limit):
        return "ok"
    factor = value / limit if below else limit / value
    return f"missed by {factor:.2f}x"


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def measure(repeat: int, files: int) -> list[tuple[str, str, str, str]]:
    floor, reader, walk, model = median_seconds(lxml_floor, docx2python_read, python_docx_walk, fenjie_model,
                                                repeat=repeat)
    rows = [
        ("lxml floor: parse word/document.xml out of the zip", ms(floor), "", ""),
        ("docx2python reading the seed", ms(reader), "", ""),
        ("python-docx walking the task table", ms(walk), "", ""),
        ("fenjie extract + normalize (the JSON model)", f"{ms(model)} ({model / floor:.1f}x floor)",
         f"< 2.5x floor ({ms(2.5 * floor)}), < python-docx", _worst(verdict(model, 2.5 * floor), verdict(model, walk))),
    ]
    with tempfile.TemporaryDirectory(prefix="fenjie-bench-") as scratch:
        from fenjie.render import WRITERS

        [every] = median_seconds(fenjie_every_output(Path(scratch) / "outputs"), repeat=max(3, repeat // 3))
        rows.append((f"fenjie, every output ({', '.join(WRITERS)})", ms(every), "< 1.5 s", verdict(every, 1.5)))
        bare, process = median_seconds(bare_process, convert_process, repeat=9)
        rows.append(("bare `python -c \"import zipfile, lxml.etree\"`, whole process", ms(bare), "", ""))
        rows.append(("`fenjie convert seed.docx --only json --out -`, whole process",
                     f"{ms(process)} ({process / bare:.1f}x bare)", "< 3.5x bare, < 0.5 s",
                     _worst(verdict(process, 3.5 * bare), verdict(process, 0.5))))
        rows += fixed_layout_rows(Path(scratch), max(3, repeat // 5))
        rows += batch_rows(Path(scratch), files)
    return rows


def fixed_layout_rows(scratch: Path, repeat: int) -> list[tuple[str, str, str, str]]:
    """The seed printed to PDF by LibreOffice and written as OFD from it: fenjie's readers against pdfplumber's
    own extract_tables() (ruled tables only, no merges across pages) and docling's PDF pipeline if installed."""
    import pdfplumber

    from fenjie.extract.ofd import read_ofd
    from fenjie.extract.office import convert_with_office
    from fenjie.extract.pdf import read_pdf

    sys.path.insert(0, str(ROOT / "tests"))
    from ofd_writer import ofd_from_pdf

    pdf = scratch / "seed.pdf"
    pdf.write_bytes(convert_with_office(SEED_DOCX.read_bytes(), "docx", "pdf", str(SEED_DOCX)))
    data, ofd = pdf.read_bytes(), ofd_from_pdf(pdf)

    def plumber_tables() -> None:
        with pdfplumber.open(pdf) as document:
            for page in document.pages:
                page.extract_tables()

    works = [lambda: read_pdf(data, "seed.pdf"), lambda: read_ofd(ofd, "seed.ofd"), plumber_tables]
    try:
        from docling.document_converter import DocumentConverter

        converter = DocumentConverter()
        works.append(lambda: converter.convert(pdf))
    except ImportError:
        pass
    times = median_seconds(*works, repeat=repeat)
    rows = [("fenjie reading the seed printed to PDF (tables over pages joined, paragraphs)", ms(times[0]), "", ""),
            ("fenjie reading the seed as OFD (written from that PDF)", ms(times[1]), "", ""),
            ("pdfplumber extract_tables() on that PDF, every page", ms(times[2]), "", "")]
    if len(times) > 3:
        rows.append(("docling's PDF pipeline on that PDF", ms(times[3]), "", ""))
    return rows


def batch_rows(scratch: Path, files: int) -> list[tuple[str, str, str, str]]:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from archive import make_archive

    archive = scratch / "archive"
    make_archive(archive, SEED_DOCX, SEED_TXT, files)
    rate: dict[int, float] = {1: 0.0, 2: 0.0}
    peak = 0.0
    for _ in range(ROUNDS):  # the two take turns; each keeps its best round, the one least disturbed
        for n in rate:
            run = batch_run(archive, scratch / f"out-{n}", n)
            if run["ok"] != files:
                raise SystemExit(f"batch --workers {n}: only {run['ok']} of {files} files converted")
            shutil.rmtree(scratch / f"out-{n}")
            rate[n] = max(rate[n], files / run["seconds"])
            peak = max(peak, run["peak_kb"] / 1024)
    label = f"batch of {files} generated notices (.docx and .txt, --only json)"
    return [
        (f"{label}, --workers 1", f"{rate[1]:.1f} files/s", "", ""),
        (f"{label}, --workers 2", f"{rate[2]:.1f} files/s", "", ""),
        ("batch speed-up, 1 -> 2 workers", f"{rate[2] / rate[1]:.2f}x", ">= 1.8x",
         verdict(rate[2] / rate[1], 1.8, below=False)),
        ("batch peak memory per worker", f"{peak:.0f} MB", "< 200 MB", verdict(peak, 200)),
    ]


def _worst(*verdicts: str) -> str:
    return next((v for v in verdicts if v != "ok"), "ok")


def table(rows: list[tuple[str, str, str, str]]) -> str:
    lines = ["| measure | result | target | verdict |", "| --- | --- | --- | --- |"]
    lines += [f"| {' | '.join(row)} |" for row in rows]
    return "\n".join(lines)


def profile(repeat: int) -> None:
    from pyinstrument import Profiler

    fenjie_model()
    with Profiler(interval=0.0005) as profiler:
        for _ in range(repeat):
            fenjie_model()
    print(profiler.output_text(unicode=True, color=False, show_all=False))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15, help="runs per in-process measure (median)")
    parser.add_argument("--files", type=int, default=500, help="notices in the generated batch archive")
    parser.add_argument("--profile", action="store_true", help="profile extract + normalize instead")
    parser.add_argument("--only-fixed-layout", action="store_true", help="only the PDF and OFD readers")
    args = parser.parse_args()
    if args.profile:
        profile(args.repeat)
        return
    if args.only_fixed_layout:
        with tempfile.TemporaryDirectory(prefix="fenjie-bench-") as scratch:
            print(table(fixed_layout_rows(Path(scratch), max(3, args.repeat // 5))))
    else:
        print(table(measure(args.repeat, args.files)))
    print(f"\nMachine: {machine()}.")


if __name__ == "__main__":
    main()
