"""`fenjie batch`: an archive of every supported format, incremental reruns, a killed run, Dask."""

from __future__ import annotations

import csv
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from conftest import ROOT, SEED_DOCX, SEED_TXT, run_cli
from openpyxl import Workbook

from fenjie import batch
from fenjie.pipeline import SUPPORTED

SEED_ROWS = 73


# --- the seed notice in every supported format, made here ----------------------------------------


def seed_xlsx() -> bytes:
    """The seed's task table as a sheet, merged cells kept, its title in the row above."""
    from io import BytesIO

    from fenjie.extract.docx import read_docx

    grid = max(read_docx(SEED_DOCX.read_bytes()).tables, key=lambda g: len(g.rows))
    workbook = Workbook()
    sheet = workbook.active
    sheet.cell(1, 1, "任务分解表")
    for row in grid.rows:
        for cell in row.cells:
            sheet.cell(cell.row + 2, cell.col + 1, cell.text)
            if cell.rowspan > 1 or cell.colspan > 1:
                sheet.merge_cells(start_row=cell.row + 2, start_column=cell.col + 1,
                                  end_row=cell.row + cell.rowspan + 1, end_column=cell.col + cell.colspan)
    data = BytesIO()
    workbook.save(data)
    return data.getvalue()


def seed_ofd() -> bytes:
    """The seed printed to PDF by LibreOffice, written as OFD (tests/ofd_writer.py)."""
    from io import BytesIO

    from ofd_writer import ofd_from_pdf

    from fenjie.extract.office import convert_with_office

    return ofd_from_pdf(BytesIO(convert_with_office(SEED_DOCX.read_bytes(), "docx", "pdf", "seed.docx")))


SEEDS = {"docx": SEED_DOCX.read_bytes, "txt": SEED_TXT.read_bytes, "xlsx": seed_xlsx, "ofd": seed_ofd}

# Extension -> (seed, the format LibreOffice converts it to, or None for the seed itself). WPS and ET
# files are the Word and Excel binary formats under another name.
MAKERS = {
    ".docx": ("docx", None), ".txt": ("txt", None), ".xlsx": ("xlsx", None),
    ".doc": ("docx", "doc"), ".wps": ("docx", "doc"), ".rtf": ("docx", "rtf"), ".odt": ("docx", "odt"),
    ".html": ("docx", "html"), ".htm": ("docx", "html"),
    ".xls": ("xlsx", "xls"), ".et": ("xlsx", "xls"), ".ods": ("xlsx", "ods"),
    ".pdf": ("docx", "pdf"), ".ofd": ("ofd", None),
}


def make(recipe: tuple[str, str | None]) -> bytes:
    from fenjie.extract.office import convert_with_office

    seed, target = recipe
    data = SEEDS[seed]()
    return convert_with_office(data, seed, target, f"seed.{seed}") if target else data


def test_every_supported_format_has_a_maker():
    assert set(SUPPORTED) <= set(MAKERS), "add a maker for the new format so that the batch test covers it"


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> Path:
    """Good notices of every format in nested folders, a damaged .docx, a text that is no notice, a photo."""
    root = tmp_path_factory.mktemp("archive") / "archive"
    (root / "2024" / "formats").mkdir(parents=True)
    (root / "2024" / "notice.docx").write_bytes(SEED_DOCX.read_bytes())
    (root / "2024" / "notice.txt").write_bytes(SEED_TXT.read_bytes())
    others = [ext for ext in SUPPORTED if ext not in (".docx", ".txt")]
    recipes = sorted({MAKERS[ext] for ext in others}, key=str)
    with ThreadPoolExecutor(2) as pool:  # LibreOffice is mostly waiting: two at a time halves the wait
        made = dict(zip(recipes, pool.map(make, recipes), strict=True))
    for ext in others:
        (root / "2024" / "formats" / f"notice{ext}").write_bytes(made[MAKERS[ext]])
    (root / "broken.docx").write_bytes(SEED_DOCX.read_bytes()[:2000])
    (root / "shopping.txt").write_text("鸡蛋\n牛奶\n", encoding="utf-8")
    (root / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    return root


@pytest.fixture(scope="module")
def converted(archive) -> tuple[subprocess.CompletedProcess, Path]:
    out = archive.parent / "out"
    # Every output of a notice of every format: hundreds of files, more than a minute on a busy machine.
    return run_cli("batch", archive, "--out", out, "--quiet", cwd=archive.parent, timeout=300), out


def manifest(out: Path) -> list[dict]:
    return [json.loads(line) for line in (out / "manifest.jsonl").read_text("utf-8").splitlines()]


def test_batch_converts_the_good_files_and_lists_the_rest(archive, converted):
    result, out = converted
    assert result.returncode == 1, result.stderr
    good = [f"archive/2024/notice{ext}" for ext in (".docx", ".txt")] + [
        f"archive/2024/formats/notice{ext}" for ext in SUPPORTED if ext not in (".docx", ".txt")]
    assert result.stdout.strip().splitlines()[-1].startswith(
        f"{len(good) + 3} inputs: {len(good)} ok, 2 failed, 1 skipped, 0 unchanged")
    lines = {line["path"]: line for line in manifest(out)}
    assert sorted(lines) == sorted([*good, "archive/broken.docx", "archive/shopping.txt", "archive/photo.png"])
    assert list(lines) == sorted(lines)
    for path in good:
        line = lines[path]
        assert (line["status"], line["rows"], line["units"], line["error_code"]) == ("ok", SEED_ROWS, 47, None), line
        assert line["sha256"] == batch.sha256_of(archive.parent / path)
        assert line["fenjie_version"] and line["seconds"] > 0 and line["warnings"] is not None
        document = json.loads((out / path / "notice.json").read_text("utf-8"))
        assert len(document["rows"]) == SEED_ROWS and document["source"]["format"] == line["format"]
    assert lines["archive/broken.docx"]["status"] == "failed"
    assert lines["archive/broken.docx"]["error_code"] == "corrupt"
    assert "broken.docx" in lines["archive/broken.docx"]["error_message"]
    assert lines["archive/shopping.txt"]["status"] == "failed"
    assert lines["archive/shopping.txt"]["error_code"] in ("no-table", "not-a-notice")
    assert lines["archive/photo.png"]["status"] == "skipped"
    for failed in ("archive/broken.docx", "archive/shopping.txt", "archive/photo.png"):
        assert not (out / failed).exists()


def test_batch_outputs_are_those_of_convert(archive, converted, tmp_path):
    _, out = converted
    single = run_cli("convert", archive / "2024" / "notice.docx", "--out", tmp_path)
    assert single.returncode == 0, single.stderr
    alone, in_batch = tmp_path / "notice", out / "archive" / "2024" / "notice.docx"
    assert sorted(p.relative_to(alone) for p in alone.rglob("*")) == sorted(
        p.relative_to(in_batch) for p in in_batch.rglob("*"))
    assert (alone / "notice.json").read_bytes() == (in_batch / "notice.json").read_bytes()


def test_combined_rows(converted):
    _, out = converted
    ok = [line for line in manifest(out) if line["status"] == "ok"]
    records = [json.loads(line) for line in (out / "rows.jsonl").read_text("utf-8").splitlines()]
    assert len(records) == sum(line["rows"] for line in ok)
    assert [r["path"] for r in records] == sorted(r["path"] for r in records)  # stable: by input, then row
    first = json.loads((out / ok[0]["path"] / "notice.json").read_text("utf-8"))
    assert {k: records[0][k] for k in ("doc_number", "title", "year")} == {
        k: first["notice"][k] for k in ("doc_number", "title", "year")}
    assert records[0]["id"] == first["rows"][0]["id"] and records[0]["lead"] == first["rows"][0]["lead"]

    raw = (out / "rows.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to read UTF-8
    with (out / "rows.csv").open(encoding="utf-8-sig", newline="") as file:
        table = list(csv.DictReader(file))
    assert len(table) == len(records)
    assert table[0]["title"] == first["notice"]["title"]
    assert table[0]["lead"] == "、".join(first["rows"][0]["lead"])
    assert table[0]["requirement"] == first["rows"][0]["requirement"]


# --- incremental runs, kills and Dask, on a quick archive of .docx and .txt ---------------------------


def small_archive(root: Path, copies: int = 2) -> Path:
    for i in range(copies):
        (root / "docx").mkdir(parents=True, exist_ok=True)
        (root / "text" / "nested").mkdir(parents=True, exist_ok=True)
        shutil.copy(SEED_DOCX, root / "docx" / f"notice-{i:02}.docx")
        shutil.copy(SEED_TXT, root / "text" / "nested" / f"notice-{i:02}.txt")
    return root


def mtimes(out: Path) -> dict[Path, int]:
    return {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file() and p.name != "manifest.jsonl"}


def test_a_second_run_redoes_nothing_and_an_edit_redoes_one_file(tmp_path):
    archive, out = small_archive(tmp_path / "archive"), tmp_path / "out"
    first = run_cli("batch", archive, "--out", out, "--only", "json", "--quiet", "--workers", "2")
    assert first.returncode == 0, first.stderr
    before = mtimes(out)
    assert len([p for p in before if p.name == "notice.json"]) == 4

    again = run_cli("batch", archive, "--out", out, "--only", "json", "--quiet")
    assert again.returncode == 0, again.stderr
    assert again.stdout.splitlines()[-1].startswith("4 inputs: 0 ok, 0 failed, 0 skipped, 4 unchanged")
    assert {line["status"] for line in manifest(out)} == {"unchanged"}
    assert mtimes(out) == before

    edited = archive / "text" / "nested" / "notice-01.txt"
    edited.write_bytes(edited.read_bytes() + b"\n")
    third = run_cli("batch", archive, "--out", out, "--only", "json", "--quiet")
    assert third.stdout.splitlines()[-1].startswith("4 inputs: 1 ok, 0 failed, 0 skipped, 3 unchanged")
    redone = [line["path"] for line in manifest(out) if line["status"] == "ok"]
    assert redone == ["archive/text/nested/notice-01.txt"]
    changed = {p for p, mtime in mtimes(out).items() if before.get(p) != mtime}
    assert out / redone[0] / "notice.json" in changed
    assert not {p for p in changed if p.name == "notice.json"} - {out / redone[0] / "notice.json"}

    forced = run_cli("batch", archive, "--out", out, "--only", "json", "--quiet", "--force")
    assert forced.stdout.splitlines()[-1].startswith("4 inputs: 4 ok")
    other_options = run_cli("batch", archive, "--out", out, "--quiet")
    assert "4 ok" in other_options.stdout.splitlines()[-1]


def test_a_killed_batch_is_finished_by_the_next_run(tmp_path):
    archive, out = small_archive(tmp_path / "archive", copies=30), tmp_path / "out"
    command = [sys.executable, "-m", "fenjie", "batch", str(archive), "--out", str(out), "--only", "json",
               "--quiet", "--workers", "1"]
    with subprocess.Popen(command, cwd=tmp_path, start_new_session=True, stdout=subprocess.DEVNULL,
                          stderr=subprocess.DEVNULL) as process:
        deadline = time.monotonic() + 60
        while not ((out / "manifest.jsonl").is_file() and (out / "manifest.jsonl").stat().st_size):
            assert process.poll() is None and time.monotonic() < deadline, "the batch ended before any line"
            time.sleep(0.002)
        os.killpg(process.pid, signal.SIGKILL)  # the workers too, as a machine losing power would
    committed = (out / "manifest.jsonl").read_text("utf-8").splitlines()
    assert 0 < len(committed) < 60, "the kill came too late to test anything"
    for notice in out.glob("archive/**/notice.json"):  # whatever is in place is complete
        assert len(json.loads(notice.read_text("utf-8"))["rows"]) == SEED_ROWS

    again = run_cli("batch", archive, "--out", out, "--only", "json", "--quiet", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    lines = manifest(out)
    assert len(lines) == 60 and len({line["path"] for line in lines}) == 60
    assert {line["status"] for line in lines} <= {"ok", "unchanged"}
    for line in lines:
        assert len(json.loads((out / line["path"] / "notice.json").read_text("utf-8"))["rows"]) == SEED_ROWS
    assert not list(out.rglob(batch.STAGING + "*"))
    assert len((out / "rows.jsonl").read_text("utf-8").splitlines()) == 60 * SEED_ROWS


def test_workers_end_when_their_batch_is_killed(tmp_path):
    archive = small_archive(tmp_path / "archive", copies=30)
    command = [sys.executable, "-m", "fenjie", "batch", str(archive), "--out", str(tmp_path / "out"), "--quiet"]
    with subprocess.Popen(command, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) as process:
        children = Path(f"/proc/{process.pid}/task/{process.pid}/children")
        deadline = time.monotonic() + 60
        workers: list[str] = []
        while not workers:
            assert process.poll() is None and time.monotonic() < deadline, "the batch ended before its workers began"
            workers = children.read_text().split() if children.exists() else []
            time.sleep(0.01)
        process.kill()  # only the batch: its workers are left to notice
    deadline = time.monotonic() + 10
    while any(alive(pid) for pid in workers):
        assert time.monotonic() < deadline, f"workers {workers} outlived their batch"
        time.sleep(0.1)


def alive(pid: str) -> bool:
    """Whether PID still runs (a zombie waiting to be reaped has ended)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (FileNotFoundError, ProcessLookupError):
        return False


def test_dask_gives_what_the_process_pool_gives(tmp_path, monkeypatch):
    from distributed import LocalCluster

    monkeypatch.chdir(tmp_path)
    archive = small_archive(tmp_path / "archive")
    (archive / "broken.docx").write_bytes(b"PK\x03\x04 not really")
    json_only = batch.Settings(only=("json",))
    pooled = batch.run([archive], tmp_path / "pool", json_only, workers=2)
    with LocalCluster(processes=False, n_workers=1, threads_per_worker=2, dashboard_address=None) as cluster:
        clustered = batch.run([archive], tmp_path / "dask", json_only,
                              executor=batch.dask_cluster(cluster.scheduler_address))

    def timeless(entries):
        return [{k: v for k, v in e.items() if k != "seconds"} for e in entries]

    assert timeless(clustered) == timeless(pooled)
    assert [e["status"] for e in pooled].count("ok") == 4
    files = sorted(p.relative_to(tmp_path / "pool") for p in (tmp_path / "pool").rglob("*") if p.is_file()
                   and p.name != "manifest.jsonl")
    assert files == sorted(p.relative_to(tmp_path / "dask") for p in (tmp_path / "dask").rglob("*") if p.is_file()
                           and p.name != "manifest.jsonl")
    for file in files:
        assert (tmp_path / "pool" / file).read_bytes() == (tmp_path / "dask" / file).read_bytes()


def test_a_dask_worker_converts_with_the_rules_as_they_are_now(tmp_path, monkeypatch):
    """The cluster's worker outlives a batch: a rerun after the rules file is edited converts every input with
    the edited rules, and the manifest's hash of the rules is the hash of the rules the worker used."""
    from distributed import LocalCluster

    monkeypatch.chdir(tmp_path)
    archive, out, rules = small_archive(tmp_path / "archive", copies=1), tmp_path / "out", tmp_path / "rules.toml"
    settings = batch.Settings(only=("json",), rules=str(rules))

    def units_named(entries) -> list[set[str]]:
        assert [e["status"] for e in entries] == ["ok", "ok"]
        return [{unit["name"] for unit in json.loads((out / e["path"] / "notice.json").read_text())["units"]}
                for e in entries]

    with LocalCluster(processes=False, n_workers=1, threads_per_worker=1, dashboard_address=None) as cluster:
        executor = batch.dask_cluster(cluster.scheduler_address)
        rules.write_text('[units.aliases]\n"市商务局" = "商务局甲"\n', encoding="utf-8")
        assert all("商务局甲" in units and "市商务局" not in units
                   for units in units_named(batch.run([archive], out, settings, executor=executor)))
        rules.write_text('[units.aliases]\n"市商务局" = "商务局乙"\n', encoding="utf-8")
        again = batch.run([archive], out, settings, executor=executor)
    assert all("商务局乙" in units and "商务局甲" not in units for units in units_named(again))
    assert {e["options"]["rules"] for e in again} == {hashlib.sha256(rules.read_bytes()).hexdigest()}


# --- finding inputs -------------------------------------------------------------------------------


def test_paths_may_be_files_folders_or_globs(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    archive = small_archive(tmp_path / "archive")
    (archive / ".git").mkdir()
    (archive / ".git" / "notice.txt").write_text("hidden")
    out = archive / "out"  # an output folder inside the archive is not read as input
    (out / "x.docx").mkdir(parents=True)
    (out / "x.docx" / "copy.txt").write_text("output")
    found = [relative for _, relative in batch.discover(["archive/docx/notice-00.docx", "archive/text"], out)]
    assert found == ["archive/docx/notice-00.docx", "archive/text/nested/notice-00.txt",
                     "archive/text/nested/notice-01.txt"]
    assert [r for _, r in batch.discover(["archive/**/*-01.*"], out)] == [
        "archive/docx/notice-01.docx", "archive/text/nested/notice-01.txt"]
    assert [r for _, r in batch.discover(["archive"], out)] == [
        "archive/docx/notice-00.docx", "archive/docx/notice-01.docx",
        "archive/text/nested/notice-00.txt", "archive/text/nested/notice-01.txt"]
    monkeypatch.chdir(archive / "text")  # outside the working folder: named from the folder given
    assert [r for _, r in batch.discover([archive / "docx"], out)] == ["docx/notice-00.docx", "docx/notice-01.docx"]

    missing = run_cli("batch", "nowhere/*.docx", "--out", "out", cwd=tmp_path)
    assert missing.returncode == 2 and "nowhere/*.docx" in missing.stderr and "Traceback" not in missing.stderr


def test_an_unreachable_scheduler_is_one_line(tmp_path, monkeypatch):
    monkeypatch.setenv("DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT", "1s")
    archive = small_archive(tmp_path / "archive", copies=1)
    result = run_cli("batch", archive, "--out", tmp_path / "out", "--executor", "dask",
                     "--scheduler", "tcp://127.0.0.1:9", "--quiet")
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [result.stderr.strip()]
    assert result.stderr.startswith("error: cannot reach the Dask scheduler at tcp://127.0.0.1:9")


def test_letter_options_reach_the_outputs_and_a_changed_directory_redoes_all(tmp_path):
    archive = small_archive(tmp_path / "archive", copies=1)
    directory = tmp_path / "units.toml"
    directory.write_bytes((ROOT / "fenjie" / "data" / "units-jining.toml").read_bytes())
    options = ("--only", "letters", "--units", directory, "--quiet")
    first = run_cli("batch", archive, "--out", tmp_path / "out", *options, cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    single = run_cli("convert", SEED_DOCX, "--out", tmp_path / "single", "--only", "letters", "--units", directory)
    assert single.returncode == 0, single.stderr
    letters = sorted(p.name for p in (tmp_path / "single" / SEED_DOCX.stem / "letters").iterdir())
    assert letters == sorted(p.name for p in (tmp_path / "out" / "archive" / "docx" / "notice-00.docx" / "letters")
                             .iterdir())

    again = run_cli("batch", archive, "--out", tmp_path / "out", *options, cwd=tmp_path)
    assert "2 unchanged" in again.stdout.splitlines()[-1]
    directory.write_text(directory.read_text("utf-8") + "\n# edited\n", encoding="utf-8")
    edited = run_cli("batch", archive, "--out", tmp_path / "out", *options, cwd=tmp_path)
    assert edited.stdout.splitlines()[-1].startswith("2 inputs: 2 ok")


def test_the_python_api_runs_a_batch(tmp_path):
    from fenjie.pipeline import batch

    entries = batch([str(SEED_TXT)], tmp_path / "out", workers=1)
    assert [(e["status"], e["rows"], e["units"]) for e in entries] == [("ok", 73, 47)]
    assert (tmp_path / "out" / "manifest.jsonl").read_text("utf-8").count("\n") == 1
