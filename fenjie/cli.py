"""The `fenjie` command line."""

from __future__ import annotations

import sys
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from fenjie import __version__
from fenjie.errors import SUPPORTED

app = typer.Typer(
    help="fenjie (分解): turn a task-breakdown notice (通知 + 任务分解表) into structured data "
    "(JSON, Excel) and one Word letter per unit.\n\nExample: fenjie convert samples/jining-2024.docx --out out",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


class Output(StrEnum):
    json = "json"
    xlsx = "xlsx"
    letters = "letters"
    ledgers = "ledgers"


def _version(value: bool) -> None:
    if value:
        typer.echo(f"fenjie {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
) -> None:
    """fenjie: task-breakdown notices in, structured data and per-unit letters out."""


@app.command()
def convert(
    inputs: Annotated[list[Path], typer.Argument(help=f"Notice files ({SUPPORTED}).", metavar="INPUT...")],
    out: Annotated[str, typer.Option("--out", "-o", help="Output folder; '-' prints the JSON to stdout.")] = "out",
    only: Annotated[list[Output] | None, typer.Option(
        "--only", help="Write only this output (repeatable). Default: every output.")] = None,
    rules: Annotated[Path | None, typer.Option(
        help="A TOML file that extends the shipped header and unit vocabulary.")] = None,
    template: Annotated[Path | None, typer.Option(
        help="A .docx letter template with docxtpl tags (README: Templates). Default: the shipped one.")] = None,
    units: Annotated[Path | None, typer.Option(
        help="A unit directory: canonical names, aliases and groups (README: Unit directory).")] = None,
    date: Annotated[datetime | None, typer.Option(
        formats=["%Y-%m-%d"], help="成文日期 of the letters, YYYY-MM-DD. Default: today (in --tz).",
        rich_help_panel="Letters")] = None,
    kind: Annotated[Kind, typer.Option(help="文种 of the letters' title.", rich_help_panel="Letters")] = "通知",
    cc: Annotated[list[str] | None, typer.Option(
        help="抄送 of the letters' 版记 (repeatable).", rich_help_panel="Letters")] = None,
    contact: Annotated[str, typer.Option(
        help="联系人 and 电话 of the letters' 附注, e.g. '张三，0537-1234567'.", rich_help_panel="Letters")] = "",
    report_by: Annotated[datetime | None, typer.Option(
        formats=["%Y-%m-%d"], help="Ask the units to report their progress by this day, YYYY-MM-DD.",
        rich_help_panel="Letters")] = None,
    merge_identical: Annotated[bool, typer.Option(
        help="One letter for the units whose tables would be the same, all of them in 主送.",
        rich_help_panel="Letters")] = False,
    pdf: Annotated[bool, typer.Option(
        help="Also print every letter to PDF with LibreOffice, and all of them into letters/letters.pdf.",
        rich_help_panel="Letters")] = False,
    tz: Annotated[str, typer.Option(
        help="Time zone of the generation time (tasks.xlsx 说明) and of the default --date.")] = "Asia/Shanghai",
) -> None:
    """Convert notices. Writes OUT/<stem>/notice.json and the other outputs for each INPUT.

    Example: fenjie convert samples/jining-2024.docx --out out
    """
    from fenjie.errors import FenjieError
    from fenjie.pipeline import convert as convert_file
    from fenjie.render import write_folder
    from fenjie.render.filenames import folder_names, output_folder

    names = [o.value for o in only] if only else None
    generated_at = _now(tz)
    letters = {"date": date.date() if date else generated_at.date(), "kind": kind.value, "cc": cc or (),
               "contact": contact, "report_by": report_by.date() if report_by else None,
               "merge_identical": merge_identical, "pdf": pdf}
    if out == "-":
        if names not in (None, ["json"]) or len(inputs) != 1:
            raise typer.BadParameter("--out - prints the JSON of one input: use it with --only json",
                                     param_hint="--out")
        names = ["json"]
    failed = 0
    for path, name in zip(inputs, folder_names(inputs), strict=True):
        try:
            document = convert_file(path, rules=rules, units=units)
            if out == "-":
                from fenjie.render.json import dumps

                sys.stdout.write(dumps(document))
                continue
            folder = output_folder(Path(out), name)
            write_folder(document, folder, str(path), only=names, template=template, generated_at=generated_at,
                         **letters)
        except FenjieError as error:
            failed += 1
            typer.echo(f"error: {error} [{error.code}]", err=True)
            continue
        except Exception as error:  # a bug of ours: still one line, never a traceback
            failed += 1
            typer.echo(f"error: {path}: unexpected {type(error).__name__}: {error} "
                       "(please report this with the file) [internal]", err=True)
            continue
        typer.echo(f"{path} -> {folder}/  {len(document.rows)} rows, {len(document.units)} units, "
                   f"{len(document.warnings)} warnings")
    if failed:
        raise typer.Exit(1)


class Kind(StrEnum):
    notice = "通知"
    letter = "函"


def _now(tz: str) -> datetime:
    """Now in the time zone TZ (an IANA name such as Asia/Shanghai, or UTC), to the second."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        zone = ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise typer.BadParameter(f"unknown time zone {tz!r}; use a name like Asia/Shanghai or UTC",
                                 param_hint="--tz") from None
    return datetime.now(zone).replace(microsecond=0)


@app.command()
def collect(
    ledgers: Annotated[list[Path], typer.Argument(
        help="Returned ledgers (.xlsx, .xls, .et, .ods) or folders of them.", metavar="LEDGER...")],
    notice: Annotated[Path, typer.Option(help="The notice.json the ledgers were made from (fenjie convert).")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for progress.xlsx and progress.json.")] = Path("."),
    as_of: Annotated[str | None, typer.Option(
        "--as-of", help="Count overdue rows at this day (YYYY-MM-DD). Default: today in China Standard Time.")] = None,
) -> None:
    """Collect the ledgers units sent back into OUT/progress.xlsx and OUT/progress.json.

    Prints every problem found (a ledger of another notice, a changed locked cell, a status outside the list,
    a unit that sent nothing, ...); they are also in progress.xlsx's 问题 sheet.

    Example: fenjie collect returned/ --notice out/jining-2024/notice.json --out progress
    """
    from datetime import date

    from fenjie.errors import FenjieError
    from fenjie.ledger import collect as engine
    from fenjie.ledger.report import write as write_report

    try:
        day = date.fromisoformat(as_of) if as_of else None
    except ValueError:
        raise typer.BadParameter(f"{as_of!r} is not a day like 2024-06-30", param_hint="--as-of") from None
    try:
        document = engine.load_notice(notice)
        progress = engine.collect(ledgers, document, day)
        write_report(progress, document, out)
    except FenjieError as error:
        typer.echo(f"error: {error} [{error.code}]", err=True)
        raise typer.Exit(1) from None
    except OSError as error:
        typer.echo(f"error: cannot write {error.filename or out}: {error.strerror or error}", err=True)
        raise typer.Exit(1) from None
    for problem in progress.problems:
        where = " ".join(filter(None, (problem.file, problem.unit, problem.row and f"#{problem.row}")))
        typer.echo(f"{problem.code}: {where}: {problem.message}", err=True)
    returned = sum(u.returned for u in progress.units)
    overdue = sum(e.overdue for e in progress.entries)
    typer.echo(f"{len(progress.ledgers)} ledgers, {returned}/{len(progress.units)} units reported, "
               f"{overdue} overdue, {len(progress.problems)} problems -> {out}/progress.xlsx")


class Contract(StrEnum):
    notice = "notice"
    progress = "progress"


@app.command()
def schema(
    contract: Annotated[Contract, typer.Argument(help="notice: notice.json; progress: progress.json.")]
    = Contract.notice,
) -> None:
    """Print the JSON Schema of notice.json or progress.json (the published contracts in schemas/)."""
    from fenjie.render.schema import schema_json

    if contract is Contract.progress:
        from fenjie.ledger.model import PROGRESS_SCHEMA_VERSION, Progress

        sys.stdout.write(schema_json(Progress, "progress", PROGRESS_SCHEMA_VERSION))
    else:
        sys.stdout.write(schema_json())


class Executor(StrEnum):
    process = "process"
    dask = "dask"


@app.command()
def batch(
    paths: Annotated[list[str], typer.Argument(help="Files, folders (searched recursively) or globs.",
                                               metavar="PATH...")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder of the whole archive.")],
    workers: Annotated[int | None, typer.Option(
        min=1, help="Worker processes, at most one per CPU. Default: one per CPU.")] = None,
    only: Annotated[list[Output] | None, typer.Option(
        "--only", help="Write only this output (repeatable). Default: every output.")] = None,
    rules: Annotated[Path | None, typer.Option(
        exists=True, dir_okay=False, help="A TOML file that extends the shipped header and unit vocabulary.")] = None,
    template: Annotated[Path | None, typer.Option(
        exists=True, dir_okay=False, help="A .docx letter template, as for convert.")] = None,
    units: Annotated[Path | None, typer.Option(
        exists=True, dir_okay=False, help="A unit directory, as for convert.")] = None,
    force: Annotated[bool, typer.Option(help="Convert every input again, even unchanged ones.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar and no per-file lines.")] = False,
    executor: Annotated[Executor, typer.Option(help="Where files are converted.")] = Executor.process,
    scheduler: Annotated[str | None, typer.Option(
        help="Address of the Dask scheduler (with --executor dask), e.g. tcp://10.0.0.5:8786.")] = None,
) -> None:
    """Convert an archive: every supported file under PATH... into OUT/<path of the input>/.

    Also writes OUT/manifest.jsonl (one line per input) and the rows of every notice in OUT/rows.jsonl
    and OUT/rows.csv. Unchanged inputs are not converted again. Exit code 1 when any input failed.

    Example: fenjie batch archive/ --out converted
    """
    from fenjie import batch as engine

    if executor is Executor.dask and not scheduler:
        raise typer.BadParameter("--executor dask needs --scheduler ADDRESS", param_hint="--scheduler")
    try:
        settings = engine.Settings(only=tuple(o.value for o in only) if only else None, rules=_absolute(rules),
                                   template=_absolute(template), units=_absolute(units))
        plan = engine.plan(paths, out, settings, force=force)
    except engine.BadPath as error:
        raise typer.BadParameter(str(error), param_hint="PATH") from None
    except engine.Busy as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(1) from None
    except OSError as error:  # OUT is a file, or not readable
        typer.echo(f"error: {error.filename or out}: {error.strerror or error}", err=True)
        raise typer.Exit(1) from None
    if workers and workers > engine.cpus() and executor is Executor.process:
        typer.echo(f"note: --workers {workers} is more than the {engine.cpus()} CPUs fenjie may use here; "
                   f"using {engine.cpus()}", err=True)
    run_jobs = engine.dask_cluster(scheduler) if executor is Executor.dask else engine.process_pool(workers)
    try:
        entries = list(_with_progress(engine.execute(plan, run_jobs), plan, quiet))
        engine.finish(plan, entries)
    except engine.ExecutorUnavailable as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(1) from None
    except OSError as error:  # OUT cannot be written
        typer.echo(f"error: cannot write {error.filename or out}: {error.strerror or error}", err=True)
        raise typer.Exit(1) from None
    tally = engine.counts(entries)
    typer.echo(f"{len(entries)} inputs: " + ", ".join(f"{n} {status}" for status, n in tally.items())
               + f"; manifest in {out / engine.MANIFEST}")
    if tally["failed"]:
        raise typer.Exit(1)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on. Beyond this machine (e.g. 0.0.0.0) needs --token.")]
    = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8765,
    data: Annotated[Path | None, typer.Option(
        help="Folder of the store (fenjie.sqlite3 and the uploaded files). Default: the user's data folder.")] = None,
    token: Annotated[str | None, typer.Option(
        envvar="FENJIE_TOKEN", help="Access token: the API wants 'Authorization: Bearer TOKEN', the pages a login.")]
    = None,
    workers: Annotated[int, typer.Option(min=1, help="Conversions at once, each in its own process.")] = 2,
    queue: Annotated[int, typer.Option(min=0, help="Uploads that may wait for a worker; beyond, 429.")] = 32,
    timeout: Annotated[float, typer.Option(min=1, help="Seconds one conversion may take.")] = 150.0,
    rules: Annotated[Path | None, typer.Option(
        exists=True, dir_okay=False, help="A TOML file that extends the shipped vocabulary, as for convert.")] = None,
    template: Annotated[Path | None, typer.Option(
        exists=True, dir_okay=False, help="The letter template of letters.zip, as for convert.")] = None,
    units: Annotated[Path | None, typer.Option(
        exists=True, dir_okay=False, help="A unit directory (aliases, groups), as for convert.")] = None,
    open_file: Annotated[list[Path] | None, typer.Option(
        "--open", exists=True, dir_okay=False, help="Convert this notice at start (repeatable) and print its page.")]
    = None,
) -> None:
    """Review and correct notices in the browser; a JSON API (/api/v1, docs at /docs) for other systems.

    Example: fenjie serve --open samples/jining-2024.docx   (then open http://127.0.0.1:8765/)
    """
    try:
        from fenjie.serve.app import Settings, create_app
        from fenjie.serve.guard import is_loopback
        from fenjie.serve.run import default_data, run
    except ImportError as error:
        typer.echo(f"error: the server needs its packages ({error.name} is missing): "
                   "pip install 'fenjie[serve]'", err=True)
        raise typer.Exit(1) from None
    if not is_loopback(host) and not token:
        raise typer.BadParameter(f"listening on {host} lets other machines in: give --token (or FENJIE_TOKEN) "
                                 "so that they must log in", param_hint="--host")
    settings = Settings(data=data or default_data(), token=token, rules=_absolute(rules),
                        template=_absolute(template), units=_absolute(units), workers=workers, queue=queue,
                        timeout=timeout)
    try:
        application = create_app(settings)
    except OSError as error:
        typer.echo(f"error: cannot use the data folder {settings.data}: {error.strerror or error}", err=True)
        raise typer.Exit(1) from None
    run(application, host, port, open_file or [])


def _absolute(path: Path | None) -> str | None:
    """A path that still holds on a worker in another folder (or on another machine of a Dask cluster)."""
    return str(path.absolute()) if path else None


def _with_progress(entries, plan, quiet: bool):
    """The entries as they come, with a progress bar (files, rate, ETA, failures) and a line per problem."""
    import rich.progress as bars
    from rich.console import Console

    columns = (bars.TextColumn("converting"), bars.BarColumn(), bars.MofNCompleteColumn(),
               bars.TextColumn("{task.fields[rate]} files/s"), bars.TimeRemainingColumn(),
               bars.TextColumn("[red]{task.fields[failed]} failed"))
    with bars.Progress(*columns, console=Console(stderr=True), disable=quiet) as progress:
        bar = progress.add_task("batch", total=len(plan.jobs) + len(plan.kept), rate="-", failed=0)
        failed = 0
        for line in entries:
            if line["status"] in ("failed", "skipped") and not quiet:
                progress.console.print(f"{line['status']}: {line['error_message']} [{line['error_code']}]",
                                       markup=False, highlight=False, soft_wrap=True)
            failed += line["status"] == "failed"
            progress.advance(bar)
            speed = progress.tasks[0].speed
            progress.update(bar, failed=failed, rate=f"{speed:.1f}" if speed else "-")
            yield line
