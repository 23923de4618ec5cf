"""Batch: convert every notice of an archive into one output tree, in parallel and incrementally.

The parent process finds the inputs, decides from the manifest which are unchanged, and hands the
rest to `convert_one` on an executor (a local process pool or a Dask cluster). A worker writes an
input's outputs into a temporary folder and renames it into place, then its combined rows into
`.fenjie/rows/`; only then does the parent append the input's manifest line. That line is the
commit point: a run killed at any moment leaves complete outputs or none, and the next run redoes
whatever has no line yet. At the end the manifest is rewritten with exactly one line per input.
"""

from __future__ import annotations

import csv
import glob
import io
import json
import os
import shutil
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

try:
    import fcntl
except ImportError:  # Windows: no lock on the output folder
    fcntl = None

from fenjie import __version__
from fenjie.errors import FenjieError, UnsupportedFormat
from fenjie.files import sha256_regular
from fenjie.pipeline import MAX_INPUT, SUPPORTED, convert
from fenjie.render import write_folder
from fenjie.render.atomic import STAGING, replace_folder, write_bytes
from fenjie.render.filenames import output_folder
from fenjie.render.text import words

MANIFEST = "manifest.jsonl"
ROWS_JSONL = "rows.jsonl"
ROWS_CSV = "rows.csv"
# Each input's rows for the combined files, so that an unchanged input is not read again.
ROWS_CACHE = Path(".fenjie") / "rows"
STATUSES = ("ok", "failed", "skipped", "unchanged")

CSV_COLUMNS = ("path", "doc_number", "title", "year", "id", "section_no", "section_title", "task_no",
               "task_title", "lead", "responsible", "lead_open", "responsible_open", "requirement",
               "deadline_text", "deadline_date", "deadline_kind", "inferred", "extra", "source_table", "source_row",
               "headings", "source_paragraph")


class BadPath(ValueError):
    """A PATH argument that matches no file, or two inputs that would share one output folder."""


class Busy(RuntimeError):
    """Another batch is writing the output folder: two at once would mix their manifests."""


class InsideOut(FenjieError):
    code = "inside-out"
    hint = "give an --out folder that does not hold the inputs"


class ExecutorUnavailable(RuntimeError):
    """The executor cannot run at all (Dask missing, scheduler unreachable): no input was converted."""


class Internal(FenjieError):
    code = "internal"


class WorkerDied(FenjieError):
    code = "worker-died"
    hint = "out of memory, or killed; the file may be far larger than a notice"


@dataclass(frozen=True)
class Settings:
    """The options of `fenjie convert` that shape the outputs; paths as strings, to pickle anywhere."""

    only: tuple[str, ...] | None = None  # outputs to write; None: every registered writer
    rules: str | None = None  # a TOML file extending the vocabulary
    template: str | None = None  # the letter template
    units: str | None = None  # the unit directory

    def fingerprint(self) -> dict:
        """What the manifest keeps of the settings: a change to any (or to a file's content) redoes every input."""
        files = {name: getattr(self, name) for name in ("rules", "template", "units")}
        return {"only": sorted(self.only) if self.only else None,
                **{name: (sha256_regular(path, MAX_INPUT) or "unreadable") if path else None
                   for name, path in files.items()}}


@dataclass(frozen=True)
class Job:
    """One input for a worker; plain strings so that it pickles to any process or cluster."""

    path: str
    relative: str  # the input's place under the output folder and its name in the manifest
    out: str
    settings: Settings


@dataclass
class Plan:
    out: Path
    options: dict
    jobs: list[Job]  # to convert in this run
    kept: list[dict]  # manifest entries known without converting: skipped, unchanged and inside-out inputs
    lock: BinaryIO | None = None  # the lock on OUT, held from `plan` until `finish`


Executor = Callable[[list[Job]], Iterator[dict]]


def plan(paths: Iterable[str | Path], out: str | Path, settings: Settings = Settings(), *, force: bool = False) -> Plan:
    """What a batch over PATHS has to do; takes the lock on OUT, which `finish` gives back.

    Raises `BadPath` for a PATH that matches nothing, `Busy` when another batch holds OUT."""
    out = Path(out)
    held = lock(out)
    options = settings.fingerprint()
    manifest = read_manifest(out)
    previous = {} if force else manifest
    jobs: list[Job] = []
    kept: list[dict] = []
    for path, relative in discover(paths, out, outputs_of(out, manifest)):
        if path.suffix.lower() not in SUPPORTED:
            kept.append(entry(relative, status="skipped", error=UnsupportedFormat(
                f"not a supported format ({path.suffix or 'no extension'})", path)))
            continue
        if path.absolute().is_relative_to(output_folder(out.absolute(), relative)):
            kept.append(entry(relative, status="failed", error=InsideOut(
                "lies inside --out, where its own output folder would take its place", path)))
            continue
        before = previous.get(relative)
        if before is not None and is_unchanged(before, path, out, options):
            kept.append({**before, "status": "unchanged"})
            continue
        jobs.append(Job(str(path), relative, str(out.absolute()), settings))
    return Plan(out, options, jobs, kept, held)


def lock(out: Path) -> BinaryIO | None:
    """OUT/.fenjie/lock, locked for this run (not on systems without file locks). Its content and time
    are left alone, so that a run that changes nothing changes no file."""
    (out / ".fenjie").mkdir(parents=True, exist_ok=True)
    handle = (out / ".fenjie" / "lock").open("ab")
    if fcntl is None:
        return handle
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        raise Busy(f"{out} is being written by another fenjie batch; "
                   "wait for it to finish, or give another --out") from None
    return handle


def outputs_of(out: Path, manifest: dict[str, dict]) -> set[Path]:
    """What earlier runs wrote into OUT: the batch's own files and the output folder of every converted input."""
    out = out.absolute()
    return {out / MANIFEST, out / ROWS_JSONL, out / ROWS_CSV} | {
        output_folder(out, path) for path, line in manifest.items() if line.get("status") in ("ok", "unchanged")}


def execute(batch: Plan, executor: Executor) -> Iterator[dict]:
    """Convert the plan's jobs, yielding each manifest entry as it is committed to the manifest."""
    batch.out.mkdir(parents=True, exist_ok=True)
    remove_staging_debris(batch.out)
    with (batch.out / MANIFEST).open("a", encoding="utf-8") as manifest:
        for done in (batch.kept, executor(batch.jobs) if batch.jobs else ()):
            for line in done:
                line = {**line, "options": batch.options}
                manifest.write(json.dumps(line, ensure_ascii=False) + "\n")
                manifest.flush()
                yield line


def finish(batch: Plan, entries: list[dict]) -> list[dict]:
    """The final manifest (one line per input, by path) and the combined rows of every converted input.

    Returns the entries in manifest order."""
    entries = sorted(entries, key=lambda e: e["path"])
    write_bytes(batch.out / MANIFEST, "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in entries)
                .encode("utf-8"))
    cached = [read_rows_cache(batch.out, e["path"]) for e in entries if e["status"] in ("ok", "unchanged")]
    write_if_changed(batch.out / ROWS_JSONL, b"".join(jsonl for jsonl, _ in cached))
    # The BOM makes Excel read the file as UTF-8.
    write_if_changed(batch.out / ROWS_CSV, "\ufeff".encode() + csv_lines([CSV_COLUMNS]) + b"".join(
        csv_part for _, csv_part in cached))
    if batch.lock is not None:
        batch.lock.close()  # and with it the lock
    return entries


def run(paths: Iterable[str | Path], out: str | Path, settings: Settings = Settings(), *, workers: int | None = None,
        force: bool = False, executor: Executor | None = None) -> list[dict]:
    """A whole batch without a display: the manifest entries, one per input, by path."""
    batch = plan(paths, out, settings, force=force)
    try:
        return finish(batch, list(execute(batch, executor or process_pool(workers))))
    finally:
        if batch.lock is not None:
            batch.lock.close()


def counts(entries: Iterable[dict]) -> dict[str, int]:
    tally = dict.fromkeys(STATUSES, 0)
    for line in entries:
        tally[line["status"]] += 1
    return tally


# --- finding inputs ---------------------------------------------------------------------------


def discover(paths: Iterable[str | Path], out: Path, outputs: set[Path] = frozenset()) -> list[tuple[Path, str]]:
    """(file, relative path) of every file under PATHS, by relative path; hidden files and OUTPUTS excluded.

    The relative path is the one from the working directory when the file lies under it, else the
    one from the folder that holds the PATH, so that `batch /mnt/archive` gives `archive/...`.
    A folder inside OUT is searched only when PATH itself lies inside OUT (`batch archive --out .`);
    otherwise OUT, holding earlier outputs, is passed over as a whole (`batch . --out converted`).
    """
    cwd = Path.cwd()
    out = out.absolute()
    found: dict[str, Path] = {}
    for pattern in map(str, paths):
        matches = [pattern] if Path(pattern).exists() else sorted(glob.glob(pattern, recursive=True))
        if not matches:
            raise BadPath(f"{pattern}: no such file or folder")
        base = Path(os.path.abspath(literal_root(pattern))).parent
        for match in matches:
            asked_inside = Path(os.path.abspath(match)).is_relative_to(out)
            for file in files_under(Path(os.path.abspath(match))):
                if (file.is_relative_to(out) and not asked_inside) or not outputs.isdisjoint((file, *file.parents)):
                    continue
                relative = file.relative_to(cwd if file.is_relative_to(cwd) else base).as_posix()
                if found.setdefault(relative, file) != file:
                    raise BadPath(f"{file} and {found[relative]} would share the output {relative}")
    return sorted(((file, relative) for relative, file in found.items()), key=lambda pair: pair[1])


def literal_root(pattern: str) -> str:
    """The part of a glob before its first wildcard component: `a/b/*/c.docx` -> `a/b`."""
    parts = Path(pattern).parts
    literal = parts[: next((i for i, part in enumerate(parts) if glob.has_magic(part)), len(parts))]
    return str(Path(*literal)) if literal else "."


def files_under(path: Path) -> list[Path]:
    if not path.is_dir():
        return [path]
    files = []
    for folder, subfolders, names in os.walk(path):
        subfolders[:] = sorted(d for d in subfolders if not d.startswith("."))
        files += [Path(folder) / n for n in sorted(names) if not n.startswith(".")]
    return files


# --- incremental ------------------------------------------------------------------------------


def read_manifest(out: Path) -> dict[str, dict]:
    """The latest entry per path; a line cut short by a killed run is ignored."""
    entries: dict[str, dict] = {}
    try:
        lines = (out / MANIFEST).read_text("utf-8").splitlines()
    except FileNotFoundError:
        return entries
    for line in lines:
        try:
            item = json.loads(line)
            entries[item["path"]] = item
        except (ValueError, KeyError, TypeError):
            continue
    return entries


def is_unchanged(before: dict, path: Path, out: Path, options: dict) -> bool:
    return (before.get("status") in ("ok", "unchanged") and before.get("fenjie_version") == __version__
            and before.get("options") == options and output_folder(out, before["path"]).is_dir()
            and rows_cache(out, before["path"]).is_file()
            and before.get("sha256") == sha256_of(path))


def sha256_of(path: Path) -> str | None:
    """None for a file that is gone, not a regular file, or past the input limit: it is then never unchanged."""
    return sha256_regular(path, MAX_INPUT)


# --- one input (runs in a worker) -------------------------------------------------------------


def convert_one(job: Job) -> dict:
    """Convert one input and put its outputs in place; the manifest entry, whatever happened."""
    started = time.perf_counter()
    out = Path(job.out)
    folder = output_folder(out, job.relative)
    try:
        document = convert(job.path, rules=job.settings.rules, units=job.settings.units)
        settings = job.settings
        write_folder(document, folder, job.path, only=list(settings.only) if settings.only else None,
                     template=settings.template)
        write_rows_cache(out, job.relative, document)
    except Exception as error:  # noqa: BLE001 - one bad file never stops the others
        with suppress(OSError):  # outputs of an earlier version would contradict the manifest
            replace_folder(folder, None)
        if not isinstance(error, FenjieError):
            error = Internal(f"unexpected {type(error).__name__}: {error} (please report this with the file)",
                             job.path)
        return entry(job.relative, status="failed", sha256=sha256_of(Path(job.path)), error=error,
                     seconds=time.perf_counter() - started)
    return entry(job.relative, status="ok", sha256=document.source.sha256, fmt=document.source.format,
                 rows=len(document.rows), units=len(document.units), warnings=len(document.warnings),
                 seconds=time.perf_counter() - started)


def entry(path: str, *, status: str, sha256: str | None = None, fmt: str | None = None,
          error: FenjieError | None = None, rows: int | None = None, units: int | None = None,
          warnings: int | None = None, seconds: float = 0.0) -> dict:
    """A manifest line; `options` is added by the parent."""
    return {"path": path, "sha256": sha256, "format": fmt or Path(path).suffix.lstrip(".").lower() or None,
            "status": status, "error_code": error.code if error else None,
            "error_message": str(error) if error else None, "rows": rows, "units": units,
            "warnings": warnings, "seconds": round(seconds, 3), "fenjie_version": __version__}


def remove_staging_debris(out: Path) -> None:
    """Folders and files a killed run was still writing (atomic writes use the same prefix)."""
    for debris in list(out.rglob(STAGING + "*")):
        if debris.is_dir():
            shutil.rmtree(debris, ignore_errors=True)
        else:
            debris.unlink(missing_ok=True)


# --- combined rows ----------------------------------------------------------------------------


def rows_cache(out: Path, relative: str) -> Path:
    """An input's lines of rows.jsonl and of rows.csv: the length of the first part on a line, then both.

    One file, not two: on a small notice a file write costs as much as building its rows."""
    return out / ROWS_CACHE / f"{relative}.rows"


def write_rows_cache(out: Path, relative: str, document) -> None:
    """Done by the worker, so that the parent only concatenates: its serial share of a batch stays small."""
    notice = document.notice
    head = {"path": relative, "doc_number": notice.doc_number, "title": notice.title, "year": notice.year}
    # A row's own `path` (its headings) is `headings` here: `path` is the input's.
    records = [{**head, **{("headings" if key == "path" else key): value for key, value in row.items()}}
               for row in (row.model_dump() for row in document.rows)]
    jsonl = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode("utf-8")
    write_bytes(rows_cache(out, relative), b"%d\n" % len(jsonl) + jsonl + csv_lines(map(csv_row, records)))


def read_rows_cache(out: Path, relative: str) -> tuple[bytes, bytes]:
    """(lines of rows.jsonl, lines of rows.csv) of one input."""
    size, _, both = rows_cache(out, relative).read_bytes().partition(b"\n")
    return both[: int(size)], both[int(size):]


def csv_row(r: dict) -> list:
    """One task row; unit lists joined as every writer joins them (text.toml), their 等 in the *_open columns."""
    section, task, deadline = r["section"] or {}, r["task"] or {}, r["deadline"]
    separator = words().units.separator
    return [r["path"], r["doc_number"], r["title"], r["year"], r["id"], section.get("no"), section.get("title"),
            task.get("no"), task.get("title"), separator.join(r["lead"]), separator.join(r["responsible"]),
            r["lead_open"], r["responsible_open"], r["requirement"], deadline["text"], deadline["date"],
            deadline["kind"], ",".join(r["inferred"]), json.dumps(r["extra"], ensure_ascii=False) if r["extra"] else "",
            r["source"].get("table"), r["source"].get("row"), " / ".join(level["title"] for level in r["headings"]),
            r["source"].get("paragraph")]


def csv_lines(rows: Iterable[Iterable]) -> bytes:
    text = io.StringIO()
    csv.writer(text, lineterminator="\r\n").writerows(rows)
    return text.getvalue().encode("utf-8")


def write_if_changed(target: Path, data: bytes) -> None:
    """Rewrite only a changed file, so that a run that changed nothing leaves every mtime alone."""
    if not target.is_file() or target.read_bytes() != data:
        write_bytes(target, data)


# --- executors --------------------------------------------------------------------------------


def cpus() -> int:
    """The CPUs this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def process_pool(workers: int | None = None) -> Executor:
    """Jobs on local worker processes: one per CPU this process may use, or WORKERS if fewer. More
    workers than CPUs only add memory (each holds a notice and its outputs) and make the batch slower."""

    def run_jobs(jobs: list[Job]) -> Iterator[dict]:
        from concurrent.futures import ProcessPoolExecutor, as_completed

        pool = ProcessPoolExecutor(min(workers or cpus(), cpus(), len(jobs)), initializer=end_with_parent)
        try:
            futures = {pool.submit(convert_one, job): job for job in jobs}
            for future in as_completed(futures):
                yield result_of(future, futures[future])
        finally:  # on Ctrl-C, do not start the files still waiting
            pool.shutdown(cancel_futures=True)

    return run_jobs


def end_with_parent() -> None:
    """A worker ends itself once the batch that started it is gone: a batch killed outright (SIGKILL, a timeout)
    cannot stop its pool, and its workers would otherwise sleep on as orphans."""
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1)
        os._exit(1)

    threading.Thread(target=watch, daemon=True, name="fenjie-parent-watch").start()


def dask_cluster(address: str) -> Executor:
    """Jobs on an existing Dask cluster; its workers must see the input and output folders at the same paths."""

    def run_jobs(jobs: list[Job]) -> Iterator[dict]:
        try:
            from distributed import Client, as_completed
        except ImportError:
            raise ExecutorUnavailable("--executor dask needs Dask: pip install 'fenjie[dask]'") from None
        try:  # how long to try is Dask's setting distributed.comm.timeouts.connect
            client = Client(address)
        except (OSError, ValueError) as error:
            raise ExecutorUnavailable(f"cannot reach the Dask scheduler at {address}: {error}") from None
        with client:
            futures = dict(zip(client.map(convert_one, jobs, pure=False), jobs, strict=True))
            for future in as_completed(futures):
                yield result_of(future, futures[future])

    return run_jobs


def result_of(future, job: Job) -> dict:
    """The entry a worker returned; a worker that died (out of memory, killed) fails its input only."""
    try:
        return future.result()
    except Exception as error:  # noqa: BLE001
        return entry(job.relative, status="failed", sha256=sha256_of(Path(job.path)),
                     error=WorkerDied(f"{type(error).__name__}: {error}", job.path))
