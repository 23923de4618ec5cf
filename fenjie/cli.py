"""The `fenjie` command line (click: it costs a command a few milliseconds to start, where typer, which
checks every parameter through pydantic, cost more than converting the seed)."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

import click

from fenjie import __version__
from fenjie.errors import SUPPORTED

OUTPUTS = click.Choice(["json", "xlsx", "letters", "ledgers"])
DAY = click.DateTime(formats=["%Y-%m-%d"])
FILE = click.Path(path_type=Path)
EXISTING_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)


@click.group(help="fenjie (分解): turn a task-breakdown notice (通知 + 任务分解表) into structured data "
             "(JSON, Excel) and one Word letter per unit.\n\n"
             "Example: fenjie convert samples/jining-2024.docx --out out",
             context_settings={"show_default": True})
@click.version_option(__version__, "--version", prog_name="fenjie", message="%(prog)s %(version)s",
                      help="Print the version and exit.")
def app() -> None:
    """fenjie: task-breakdown notices in, structured data and per-unit letters out."""


@app.command(help=f"""Convert notices. Writes OUT/<stem>/notice.json and the other outputs for each INPUT
({SUPPORTED}).

Example: fenjie convert samples/jining-2024.docx --out out""")
@click.argument("inputs", nargs=-1, required=True, type=FILE, metavar="INPUT...")
@click.option("--out", "-o", default="out", help="Output folder; '-' prints the JSON to stdout.")
@click.option("--only", multiple=True, type=OUTPUTS, help="Write only this output (repeatable). Default: every output.")
@click.option("--rules", type=FILE, help="A TOML file that extends the shipped header and unit vocabulary.")
@click.option("--template", type=FILE,
              help="A .docx letter template with docxtpl tags (README: Templates). Default: the shipped one.")
@click.option("--units", type=FILE,
              help="A unit directory: canonical names, aliases and groups (README: Unit directory).")
@click.option("--date", type=DAY, help="Letters: 成文日期, YYYY-MM-DD. Default: today (in --tz).")
@click.option("--kind", type=click.Choice(["通知", "函"]), default="通知", help="Letters: 文种 of the title.")
@click.option("--cc", multiple=True, help="Letters: 抄送 of the 版记 (repeatable).")
@click.option("--contact", default="", help="Letters: 联系人 and 电话 of the 附注, e.g. '张三，0537-1234567'.")
@click.option("--report-by", type=DAY, help="Letters: ask the units to report their progress by this day, YYYY-MM-DD.")
@click.option("--merge-identical/--no-merge-identical", default=False,
              help="Letters: one for the units whose tables would be the same, all of them in 主送.")
@click.option("--pdf/--no-pdf", default=False,
              help="Letters: also print every letter to PDF with LibreOffice, and all into letters/letters.pdf.")
@click.option("--tz", default="Asia/Shanghai",
              help="Time zone of the generation time (tasks.xlsx 说明) and of the default --date.")
def convert(inputs: tuple[Path, ...], out: str, only: tuple[str, ...], rules: Path | None, template: Path | None,
            units: Path | None, date: datetime | None, kind: str, cc: tuple[str, ...], contact: str,
            report_by: datetime | None, merge_identical: bool, pdf: bool, tz: str) -> None:
    from fenjie.errors import FenjieError
    from fenjie.pipeline import convert as convert_file
    from fenjie.render import write_folder
    from fenjie.render.filenames import folder_names, output_folder

    inputs = list(inputs)
    names = list(only) or None
    generated_at = _now(tz)
    letters = {"date": date.date() if date else generated_at.date(), "kind": kind, "cc": cc or (),
               "contact": contact, "report_by": report_by.date() if report_by else None,
               "merge_identical": merge_identical, "pdf": pdf}
    if out == "-":
        if names not in (None, ["json"]) or len(inputs) != 1:
            raise click.BadParameter("--out - prints the JSON of one input: use it with --only json",
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
            click.echo(f"error: {error} [{error.code}]", err=True)
            continue
        except Exception as error:  # a bug of ours: still one line, never a traceback
            failed += 1
            click.echo(f"error: {path}: unexpected {type(error).__name__}: {error} "
                       "(please report this with the file) [internal]", err=True)
            continue
        click.echo(f"{path} -> {folder}/  {len(document.rows)} rows, {len(document.units)} units, "
                   f"{len(document.warnings)} warnings")
    if failed:
        raise click.exceptions.Exit(1)


def _now(tz: str) -> datetime:
    """Now in the time zone TZ (an IANA name such as Asia/Shanghai, or UTC), to the second."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        zone = ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise click.BadParameter(f"unknown time zone {tz!r}; use a name like Asia/Shanghai or UTC",
                                 param_hint="--tz") from None
    return datetime.now(zone).replace(microsecond=0)


@app.command()
@click.argument("ledgers", nargs=-1, required=True, type=FILE, metavar="LEDGER...")
@click.option("--notice", required=True, type=FILE, help="The notice.json the ledgers were made from (fenjie convert).")
@click.option("--out", "-o", type=FILE, default=Path("."), help="Folder for progress.xlsx and progress.json.")
@click.option("--as-of", help="Count overdue rows at this day (YYYY-MM-DD). Default: today in China Standard Time.")
def collect(ledgers: tuple[Path, ...], notice: Path, out: Path, as_of: str | None) -> None:
    """Collect the ledgers units sent back (.xlsx, .xls, .et, .ods, or folders of them) into OUT/progress.xlsx and
    OUT/progress.json.

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
        raise click.BadParameter(f"{as_of!r} is not a day like 2024-06-30", param_hint="--as-of") from None
    try:
        document = engine.load_notice(notice)
        progress = engine.collect(list(ledgers), document, day)
        write_report(progress, document, out)
    except FenjieError as error:
        click.echo(f"error: {error} [{error.code}]", err=True)
        raise click.exceptions.Exit(1) from None
    except OSError as error:
        click.echo(f"error: cannot write {error.filename or out}: {error.strerror or error}", err=True)
        raise click.exceptions.Exit(1) from None
    for problem in progress.problems:
        where = " ".join(filter(None, (problem.file, problem.unit, problem.row and f"#{problem.row}")))
        click.echo(f"{problem.code}: {where}: {problem.message}", err=True)
    returned = sum(u.returned for u in progress.units)
    overdue = sum(e.overdue for e in progress.entries)
    click.echo(f"{len(progress.ledgers)} ledgers, {returned}/{len(progress.units)} units reported, "
               f"{overdue} overdue, {len(progress.problems)} problems -> {out}/progress.xlsx")


@app.command()
@click.argument("contract", type=click.Choice(["notice", "progress"]), default="notice", required=False)
def schema(contract: str) -> None:
    """Print the JSON Schema of notice.json or progress.json (the published contracts in schemas/).

    CONTRACT is notice (notice.json) or progress (progress.json).
    """
    from fenjie.render.schema import schema_json

    if contract == "progress":
        from fenjie.ledger.model import PROGRESS_SCHEMA_VERSION, Progress

        sys.stdout.write(schema_json(Progress, "progress", PROGRESS_SCHEMA_VERSION))
    else:
        sys.stdout.write(schema_json())


@app.command()
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@click.option("--out", "-o", required=True, type=FILE, help="Output folder of the whole archive.")
@click.option("--workers", type=click.IntRange(min=1),
              help="Worker processes, at most one per CPU. Default: one per CPU.")
@click.option("--only", multiple=True, type=OUTPUTS, help="Write only this output (repeatable). Default: every output.")
@click.option("--rules", type=EXISTING_FILE, help="A TOML file that extends the shipped header and unit vocabulary.")
@click.option("--template", type=EXISTING_FILE, help="A .docx letter template, as for convert.")
@click.option("--units", type=EXISTING_FILE, help="A unit directory, as for convert.")
@click.option("--force/--no-force", default=False, help="Convert every input again, even unchanged ones.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar and no per-file lines.")
@click.option("--executor", type=click.Choice(["process", "dask"]), default="process",
              help="Where files are converted.")
@click.option("--scheduler", help="Address of the Dask scheduler (with --executor dask), e.g. tcp://10.0.0.5:8786.")
def batch(paths: tuple[str, ...], out: Path, workers: int | None, only: tuple[str, ...], rules: Path | None,
          template: Path | None, units: Path | None, force: bool, quiet: bool, executor: str,
          scheduler: str | None) -> None:
    """Convert an archive: every supported file under PATH... (files, folders searched recursively, or globs)
    into OUT/<path of the input>/.

    Also writes OUT/manifest.jsonl (one line per input) and the rows of every notice in OUT/rows.jsonl
    and OUT/rows.csv. Unchanged inputs are not converted again. Exit code 1 when any input failed.

    Example: fenjie batch archive/ --out converted
    """
    from fenjie import batch as engine

    if executor == "dask" and not scheduler:
        raise click.BadParameter("--executor dask needs --scheduler ADDRESS", param_hint="--scheduler")
    try:
        settings = engine.Settings(only=only or None, rules=_absolute(rules),
                                   template=_absolute(template), units=_absolute(units))
        plan = engine.plan(list(paths), out, settings, force=force)
    except engine.BadPath as error:
        raise click.BadParameter(str(error), param_hint="PATH") from None
    except engine.Busy as error:
        click.echo(f"error: {error}", err=True)
        raise click.exceptions.Exit(1) from None
    except OSError as error:  # OUT is a file, or not readable
        click.echo(f"error: {error.filename or out}: {error.strerror or error}", err=True)
        raise click.exceptions.Exit(1) from None
    if workers and workers > engine.cpus() and executor == "process":
        click.echo(f"note: --workers {workers} is more than the {engine.cpus()} CPUs fenjie may use here; "
                   f"using {engine.cpus()}", err=True)
    run_jobs = engine.dask_cluster(scheduler) if executor == "dask" else engine.process_pool(workers)
    try:
        entries = list(_with_progress(engine.execute(plan, run_jobs), plan, quiet))
        engine.finish(plan, entries)
    except engine.ExecutorUnavailable as error:
        click.echo(f"error: {error}", err=True)
        raise click.exceptions.Exit(1) from None
    except OSError as error:  # OUT cannot be written
        click.echo(f"error: cannot write {error.filename or out}: {error.strerror or error}", err=True)
        raise click.exceptions.Exit(1) from None
    tally = engine.counts(entries)
    click.echo(f"{len(entries)} inputs: " + ", ".join(f"{n} {status}" for status, n in tally.items())
               + f"; manifest in {out / engine.MANIFEST}")
    if tally["failed"]:
        raise click.exceptions.Exit(1)


@app.command()
@click.option("--host", default="127.0.0.1",
              help="Address to listen on. Beyond this machine (e.g. 0.0.0.0) needs --token.")
@click.option("--port", type=int, default=8765, help="Port to listen on.")
@click.option("--data", type=FILE,
              help="Folder of the store (fenjie.sqlite3 and the uploaded files). Default: the user's data folder.")
@click.option("--token", envvar="FENJIE_TOKEN",
              help="Access token: the API wants 'Authorization: Bearer TOKEN', the pages a login.")
@click.option("--workers", type=click.IntRange(min=1), default=2, help="Conversions at once, each in its own process.")
@click.option("--queue", type=click.IntRange(min=0), default=32,
              help="Uploads that may wait for a worker; beyond, 429.")
@click.option("--timeout", type=click.FloatRange(min=1), default=150.0, help="Seconds one conversion may take.")
@click.option("--rules", type=EXISTING_FILE, help="A TOML file that extends the shipped vocabulary, as for convert.")
@click.option("--template", type=EXISTING_FILE, help="The letter template of letters.zip, as for convert.")
@click.option("--units", type=EXISTING_FILE, help="A unit directory (aliases, groups), as for convert.")
@click.option("--open", "open_file", multiple=True, type=EXISTING_FILE,
              help="Convert this notice at start (repeatable) and print its page.")
def serve(host: str, port: int, data: Path | None, token: str | None, workers: int, queue: int, timeout: float,
          rules: Path | None, template: Path | None, units: Path | None, open_file: tuple[Path, ...]) -> None:
    """Review and correct notices in the browser; a JSON API (/api/v1, docs at /docs) for other systems.

    Example: fenjie serve --open samples/jining-2024.docx   (then open http://127.0.0.1:8765/)
    """
    try:
        from fenjie.serve.app import Settings, create_app
        from fenjie.serve.guard import is_loopback
        from fenjie.serve.run import default_data, run
    except ImportError as error:
        click.echo(f"error: the server needs its packages ({error.name} is missing): "
                   "pip install 'fenjie[serve]'", err=True)
        raise click.exceptions.Exit(1) from None
    if not is_loopback(host) and not token:
        raise click.BadParameter(f"listening on {host} lets other machines in: give --token (or FENJIE_TOKEN) "
                                 "so that they must log in", param_hint="--host")
    settings = Settings(data=data or default_data(), token=token, rules=_absolute(rules),
                        template=_absolute(template), units=_absolute(units), workers=workers, queue=queue,
                        timeout=timeout)
    try:
        application = create_app(settings)
    except OSError as error:
        click.echo(f"error: cannot use the data folder {settings.data}: {error.strerror or error}", err=True)
        raise click.exceptions.Exit(1) from None
    run(application, host, port, list(open_file))


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
