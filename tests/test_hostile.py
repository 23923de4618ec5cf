"""Hostile and unlucky input past the readers (issue 14): templates run in a sandbox with limits,
output folders stay inside --out and apart, and a convert writes all of an input's outputs or none."""

from __future__ import annotations

import errno
import inspect
import io
import json
import os
import socket
import tempfile
import time
import zipfile
from datetime import timedelta
from pathlib import Path
from xml.sax.saxutils import escape

import docx
import pytest
from click.testing import CliRunner
from conftest import ROOT, SEED_DOCX, SEED_TXT, W, docx_variant, run_cli, w
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from fenjie import batch, convert, errors
from fenjie.cli import app
from fenjie.errors import TemplateError
from fenjie.pipeline import convert_bytes
from fenjie.render import docx_template, write_folder
from fenjie.render.docx_template import DocxTemplateOnce
from fenjie.render.filenames import folder_names, output_folder
from fenjie.render.word import TEMPLATE_VARIABLES


def template(path: Path, *paragraphs: str) -> Path:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    document.save(path)
    return path


def files_under(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def seed():
    return convert(SEED_DOCX)


# --- 1. templates ---------------------------------------------------------------------------------

HOSTILE_TAGS = [
    "{{ cycler.__init__.__globals__.os.popen('touch SENTINEL').read() }}",
    "{{ joiner.__init__.__globals__['os'].system('touch SENTINEL') }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ unit|attr('__class__')|attr('__base__') }}",
    "{% for i in range(10**12) %}x{% endfor %}",
    "{{ 'x'*2**33 }}",
    "{{ 'x'|center(2**33) }}",
    "{{ '%0999999999d' % 1 }}",
    "{% set ns = namespace(s='xy') %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s }}",
]


@pytest.mark.parametrize("tag", HOSTILE_TAGS)
def test_a_hostile_template_is_one_bad_template_line_and_nothing_is_written(tag, tmp_path):
    hostile = template(tmp_path / "hostile.docx", "{{ unit }}", tag)
    started = time.monotonic()
    result = run_cli("convert", SEED_DOCX, "--out", tmp_path / "out", "--template", hostile, cwd=tmp_path)
    assert time.monotonic() - started < 20
    assert result.returncode == 1 and result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith(f"error: {hostile}: ") and result.stderr.endswith("[bad-template]\n")
    assert tag.split()[1][:12] in result.stderr  # the tag is named
    assert not (tmp_path / "SENTINEL").exists()
    assert files_under(tmp_path / "out") == {}


def test_a_template_that_loops_past_the_time_limit_is_stopped(seed, tmp_path, monkeypatch):
    monkeypatch.setattr(docx_template, "RENDER_SECONDS", 0.3)
    # Nested loops over a list, with no call or output inside: only the trace of the template's lines sees them.
    looping = template(tmp_path / "loop.docx", "{% set rows = range(100000)|list %}"
                       "{% for a in rows %}{% for b in rows %}{% endfor %}{% endfor %}")
    started = time.monotonic()
    with pytest.raises(TemplateError, match=r"took more than 0\.3 s at “{% set rows"):
        write_folder(seed, tmp_path / "out" / "seed", "seed.docx", only=["letters"], template=looping)
    assert time.monotonic() - started < 5
    assert files_under(tmp_path / "out") == {}


def test_a_batch_worker_refuses_a_hostile_template_too(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "seed.docx").write_bytes(SEED_DOCX.read_bytes())
    hostile = template(tmp_path / "hostile.docx", HOSTILE_TAGS[0])
    (line,) = batch.run(["in"], tmp_path / "out", batch.Settings(template=str(hostile)), workers=1)
    assert (line["status"], line["error_code"]) == ("failed", "bad-template")
    assert "__init__" in line["error_message"] and not (tmp_path / "SENTINEL").exists()
    assert not (tmp_path / "out" / "in" / "seed.docx").exists()


def test_a_reasonable_template_still_computes(seed, tmp_path):
    tags = "{{ '%05d'|format(20240305) }}|{{ (lead_rows|length) * 2 }}|{{ unit[:2] }}|{{ 'ab' * 2 }}|{{ 2 ** 10 }}"
    mine = template(tmp_path / "mine.docx", tags)
    write_folder(seed, tmp_path / "out", "seed.docx", only=["letters"], template=mine)
    first = sorted((tmp_path / "out" / "letters").glob("*.docx"))[0]
    assert docx.Document(first).paragraphs[0].text == "20240305|8|市商|abab|1024"


SENTINEL = Path(tempfile.gettempdir()) / f"fenjie-sandbox-escaped-{os.getpid()}"
MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
CONTENT_TYPES = ('<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                 f'<Override PartName="/word/document.xml" ContentType="{MAIN}"/></Types>')
# Pieces of expressions that escape a jinja2 template without a sandbox (SSTI payloads), combined at random.
ROOTS = ["cycler", "joiner", "namespace", "range", "dict", "unit", "notice", "lead_rows", "groups", "''", "()",
         "[]", "{}", "self", "loop", "lead_rows[0]", "range(3)", "namespace()", "cycler(1)"]
STEPS = [".__class__", ".__mro__", ".__base__", ".__bases__", ".__subclasses__()", "[0]", "[-1]", "[1]",
         ".__init__", ".__globals__", "['__globals__']", ".__builtins__", "['__builtins__']", ".__dict__",
         ".__self__", ".__func__", ".__code__", ".gi_frame", ".f_globals", ".f_back", ".mro()", ".os", ".sys",
         ".modules", "['os']", f".popen('touch {SENTINEL}')", f".system('touch {SENTINEL}')", ".read()",
         "|attr('__class__')", "|attr('__globals__')", "|attr('\\x5f\\x5fclass\\x5f\\x5f')",
         "|map(attribute='__class__')|list", ".items()", ".values()", ".__getitem__('os')", ".__reduce_ex__(2)",
         ".copy()", ".append(1)", ".update({})", ".format(unit)", ".__call__", ".environment", ".eval",
         "._TemplateReference__context", "['eval']('1')", ".__import__('os')", ".format_map({})", "|string", "|list",
         # whole known escapes, so that short chains reach them
         ".__init__.__globals__", ".__class__.__mro__[1].__subclasses__()",
         ".__globals__.__builtins__.__import__('os')",
         ".os.popen", f"('touch {SENTINEL}').read()"]
INTERNALS = ("<module", "<frame", "<code object", "<built-in function", "'__builtins__'", "<class 'object'>",
             "<class 'type'>", "<class 'function'>", "<environment", "<Context")
FUZZ = settings(max_examples=300, derandomize=True, deadline=timedelta(seconds=5), database=None,
                suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@example(root="cycler", steps=[".__init__.__globals__", ".os.popen", f"('touch {SENTINEL}').read()"], shape="{{ %s }}")
@given(root=st.sampled_from(ROOTS), steps=st.lists(st.sampled_from(STEPS), max_size=6),
       shape=st.sampled_from(["{{ %s }}", "{%% for x in %s %%}{{ x }}{%% endfor %%}", "{{ '{0}'.format(%s) }}"]))
def test_fuzzed_templates_never_reach_python_internals(root, steps, shape):
    text = escape(shape % (root + "".join(steps)))
    document = f'<w:document xmlns:w="{W[1:-1]}"><w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>'
    package = io.BytesIO()
    with zipfile.ZipFile(package, "w") as parts:  # the two parts a template needs: fast to make 100 times
        parts.writestr("[Content_Types].xml", CONTENT_TYPES)
        parts.writestr("word/document.xml", document)
    context = {"unit": "市商务局", "notice": {"title": "通知"}, "lead_rows": [{"no": "1"}], "groups": [],
               "subject": "", "table_title": "", "date": "", "responsible_rows": []}
    try:
        engine = DocxTemplateOnce(package.getvalue(), "fuzz.docx", TEMPLATE_VARIABLES)
        rendered = engine.render(context).decode("latin-1")
    except TemplateError as error:
        assert "\n" not in str(error)
    else:
        assert not any(mark in rendered for mark in INTERNALS), rendered
    assert not SENTINEL.exists()


# --- 2, 3. output folders -------------------------------------------------------------------------

def test_output_folders_are_always_inside_out():
    out = Path("/srv/out")
    for name in (".", "..", "", "...", "../x", "a/../../b", "/etc", "CON", "nul.txt", ".hidden", "a\\..\\..\\b"):
        folder = output_folder(out, name)
        assert folder.is_relative_to(out) and folder != out, name
        assert not {".", ".."} & set(folder.relative_to(out).parts), name
    assert output_folder(out, "CON").name == "_CON" and output_folder(out, "..").name == "_"
    assert output_folder(out, "archive/2024/a.docx") == out / "archive" / "2024" / "a.docx"


def test_inputs_named_dot_dot_write_inside_out(tmp_path):
    for name in ("...docx", "..docx", ".docx"):
        (tmp_path / name).write_bytes(SEED_TXT.read_bytes())
    out = tmp_path / "box" / "out"
    result = run_cli("convert", "...docx", "..docx", ".docx", "--only", "json", "--out", out, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (tmp_path / "box").iterdir()) == ["out"]
    written = files_under(out)
    assert len(written) == 3 and all(name.count("/") == 1 and name.endswith("/notice.json") for name in written)


def test_two_inputs_never_share_an_output_folder(tmp_path):
    for folder, source in (("a", SEED_DOCX), ("b", SEED_TXT), ("c", SEED_TXT)):
        (tmp_path / "dup" / folder).mkdir(parents=True)
        (tmp_path / "dup" / folder / "x.docx").write_bytes(source.read_bytes())
    (tmp_path / "dup" / "X.docx").write_bytes(SEED_DOCX.read_bytes())
    inputs = ["dup/a/x.docx", "dup/b/x.docx", "dup/c/x.docx", "dup/X.docx"]
    result = run_cli("convert", *inputs, "--only", "json", "--out", "out", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    folders = [line.split(" -> ")[1].split("/  ")[0] for line in result.stdout.splitlines()]
    assert len({f.casefold() for f in folders}) == 4  # distinct even where names ignore case
    formats = [json.loads((tmp_path / f / "notice.json").read_text("utf-8"))["source"]["format"] for f in folders]
    assert formats == ["docx", "txt", "txt", "docx"]
    assert folder_names([Path(p) for p in inputs]) == ["x_docx", "x_docx-2", "x_docx-3", "X_docx-4"]


# --- 4. all outputs or none -----------------------------------------------------------------------

def test_a_failed_convert_leaves_the_earlier_outputs_whole(tmp_path):
    out = tmp_path / "out"
    outputs = ["--only", "json", "--only", "xlsx", "--only", "letters"]
    assert run_cli("convert", SEED_DOCX, "--out", out, *outputs).returncode == 0
    before = files_under(out)
    assert "jining-2024/notice.json" in before and "jining-2024/tasks.xlsx" in before
    broken = template(tmp_path / "broken.docx", "{{ unit }}", "{{ unit|no_such_filter }}")
    result = run_cli("convert", SEED_TXT, "--out", out, *outputs, "--template", broken)
    assert result.returncode == 1 and "[bad-template]" in result.stderr
    assert files_under(out) == before  # no new JSON next to the old letters, no staging folder left


@pytest.mark.parametrize(("failing", "output"), [("fenjie.render.word.write_bytes", "letters"),
                                                  ("fenjie.render.excel.save_workbook", "xlsx")])
def test_a_full_disk_is_one_line_and_leaves_the_earlier_outputs_whole(failing, output, tmp_path, monkeypatch):
    runner = CliRunner()
    out = tmp_path / "out"
    command = ["convert", str(SEED_DOCX), "--out", str(out), "--only", "json", "--only", output]
    assert runner.invoke(app, command).exit_code == 0
    before = files_under(out)

    def disk_full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(failing, disk_full)
    result = runner.invoke(app, command)
    assert result.exit_code == 1
    assert result.output == (f"error: {SEED_DOCX}: no space left on the disk for {out / 'jining-2024'} (free some "
                              "space and run again; earlier outputs were left as they were) [disk-full]\n")
    assert files_under(out) == before


def test_a_full_disk_in_a_batch_is_its_own_code(tmp_path, monkeypatch):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "seed.txt").write_bytes(SEED_TXT.read_bytes())
    monkeypatch.chdir(tmp_path)

    def disk_full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("fenjie.render.json.write_bytes", disk_full)
    in_process = lambda jobs: (batch.convert_one(job) for job in jobs)  # noqa: E731 - the patch holds here
    (line,) = batch.run(["in"], "out", batch.Settings(only=("json",)), executor=in_process)
    assert (line["status"], line["error_code"]) == ("failed", "disk-full")
    assert "\n" not in line["error_message"] and "please report" not in line["error_message"]


def test_readme_lists_every_error_code_and_has_a_security_section():
    readme = (ROOT / "README.md").read_text("utf-8")
    codes = [kind.code for _, kind in inspect.getmembers(errors, inspect.isclass)
             if issubclass(kind, errors.FenjieError) and kind is not errors.FenjieError]
    assert "disk-full" in codes and [code for code in codes if f"`{code}`" not in readme] == []
    security = readme.split("## Security")[1].split("\n## ")[0]
    assert all(word in security for word in ("sandbox", "inside `--out`", "Limits", "No network"))


# --- 12. only regular files -----------------------------------------------------------------------

def special_files(folder: Path) -> dict[str, Path]:
    """A FIFO, a symlink to /dev/zero, a symlink to the FIFO and a Unix socket, each named as a notice."""
    folder.mkdir(parents=True, exist_ok=True)
    os.mkfifo(folder / "fifo.docx")
    (folder / "zero.docx").symlink_to("/dev/zero")
    (folder / "via-link.txt").symlink_to(folder / "fifo.docx")
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(folder / "sock.html"))
    return {p.name: p for p in folder.iterdir()}


def test_only_regular_files_are_read(tmp_path):
    started = time.monotonic()
    for name, path in special_files(tmp_path / "in").items():
        result = run_cli("convert", path, "--out", tmp_path / "out")
        assert result.returncode == 1 and result.stderr.count("\n") == 1, (name, result.stderr)
        assert result.stderr.endswith("only regular files are read (supported: " + errors.SUPPORTED
                                      + ") [unsupported-format]\n"), result.stderr
    assert time.monotonic() - started < 60
    assert errors.SUPPORTED and not (tmp_path / "out").exists()


def test_a_batch_over_fifos_and_devices_ends_quickly(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    special_files(tmp_path / "in")
    (tmp_path / "in" / "seed.txt").write_bytes(SEED_TXT.read_bytes())
    started = time.monotonic()
    lines = {line["path"]: line for line in batch.run(["in"], "out", batch.Settings(only=("json",)), workers=1)}
    assert time.monotonic() - started < 30
    assert lines.pop("in/seed.txt")["status"] == "ok"
    assert {(line["status"], line["error_code"], line["sha256"]) for line in lines.values()} == {
        ("failed", "unsupported-format", None)}
    assert len(lines) == 4


def test_hashing_reads_no_further_than_the_input_limit(tmp_path):
    from fenjie.files import sha256_regular

    big = tmp_path / "big.docx"
    big.write_bytes(b"x" * 5000)
    assert sha256_regular(big, 4096) is None and sha256_regular(big, 5000) is not None
    assert sha256_regular("/dev/zero", 4096) is None


# --- 17, 19. batch: workers, vanished files, --out holding the inputs, the lock -------------------

def test_workers_are_clamped_to_the_cpus_with_a_note(tmp_path, monkeypatch):
    import concurrent.futures

    (tmp_path / "in").mkdir()
    for n in range(3):
        (tmp_path / "in" / f"n{n}.txt").write_bytes(SEED_TXT.read_bytes())
    result = run_cli("batch", "in", "--out", "cli", "--only", "json", "--workers", "500", "-q", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert f"note: --workers 500 is more than the {batch.cpus()} CPUs" in result.stderr

    sizes = []

    class Recording(concurrent.futures.ThreadPoolExecutor):
        def __init__(self, workers, **_options):  # the pool's initializer watches for a parent: not here
            sizes.append(workers)
            super().__init__(workers)

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", Recording)
    monkeypatch.chdir(tmp_path)
    batch.run(["in"], "api", batch.Settings(only=("json",)), workers=500)
    assert sizes == [min(batch.cpus(), 3)]


def test_a_file_deleted_mid_batch_is_vanished(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "gone.txt").write_bytes(SEED_TXT.read_bytes())
    work = batch.plan(["in"], "out", batch.Settings(only=("json",)))
    (tmp_path / "in" / "gone.txt").unlink()
    (line,) = batch.finish(work, list(batch.execute(work, lambda jobs: map(batch.convert_one, jobs))))
    assert (line["status"], line["error_code"]) == ("failed", "vanished")
    assert "no such file" in line["error_message"]


def test_out_holding_the_inputs_excludes_only_those_and_converts_the_rest(tmp_path):
    work, other = tmp_path / "work", tmp_path / "other"
    (work / "A").mkdir(parents=True)
    other.mkdir()
    (work / "A" / "x.txt").write_bytes(SEED_TXT.read_bytes())
    (other / "y.txt").write_bytes(SEED_TXT.read_bytes())
    for _ in range(2):  # the second run reads none of the first run's outputs as inputs
        result = run_cli("batch", "A", "../other", "--out", ".", "--only", "json", "-q", cwd=work)
        assert result.returncode == 1, result.stderr
        manifest = (work / "manifest.jsonl").read_text("utf-8").splitlines()
        lines = {line["path"]: line for line in map(json.loads, manifest)}
        assert sorted(lines) == ["A/x.txt", "other/y.txt"]
        assert (lines["A/x.txt"]["status"], lines["A/x.txt"]["error_code"]) == ("failed", "inside-out")
        assert lines["other/y.txt"]["status"] in ("ok", "unchanged")
    assert (work / "A" / "x.txt").read_bytes() == SEED_TXT.read_bytes()  # the input is never replaced
    assert (work / "other" / "y.txt" / "notice.json").is_file()


def test_a_second_batch_on_one_out_is_refused_in_one_line(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "seed.txt").write_bytes(SEED_TXT.read_bytes())
    held = batch.lock(tmp_path / "out")
    try:
        result = run_cli("batch", "in", "--out", "out", "--only", "json", "-q", cwd=tmp_path)
    finally:
        held.close()
    assert result.returncode == 1 and result.stderr.count("\n") == 1, result.stderr
    assert result.stderr == ("error: out is being written by another fenjie batch; "
                             "wait for it to finish, or give another --out\n")
    assert not (tmp_path / "out" / "manifest.jsonl").exists()
    assert run_cli("batch", "in", "--out", "out", "--only", "json", "-q", cwd=tmp_path).returncode == 0


# --- 14. fan-out ------------------------------------------------------------------------------------

def fan_out_docx(rows: int, units: int) -> bytes:
    """A task table whose one 责任单位 cell of UNITS names is merged down over all ROWS rows."""
    def cell(text: str, merge: str = "") -> str:
        mark = {"": "", "restart": '<w:tcPr><w:vMerge w:val="restart"/></w:tcPr>', "on": "<w:tcPr><w:vMerge/></w:tcPr>"}
        return f"<w:tc>{mark[merge]}<w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:tc>"

    names = "、".join(f"第{n}单位局" for n in range(units))
    header = "".join(cell(t) for t in ("序号", "具体要求", "牵头单位", "责任单位", "完成时限"))
    merged = [cell(names, "restart")] + [cell("", "on")] * (rows - 1)
    body = "".join(f"<w:tr>{cell(str(n + 1))}{cell(f'要求{n}')}{cell('市政府办公室')}{merged[n]}{cell('年底前')}</w:tr>"
                   for n in range(rows))
    document = (f'<w:document xmlns:w="{W[1:-1]}"><w:body><w:p><w:r><w:t>关于印发任务分解表的通知</w:t></w:r></w:p>'
                f"<w:tbl><w:tr>{header}</w:tr>{body}</w:tbl></w:body></w:document>")
    package = io.BytesIO()
    with zipfile.ZipFile(package, "w", zipfile.ZIP_DEFLATED) as parts:
        parts.writestr("[Content_Types].xml", CONTENT_TYPES)
        parts.writestr("word/document.xml", document)
    return package.getvalue()


def test_one_cell_merged_over_thousands_of_rows_is_too_large_within_seconds(tmp_path):
    small = convert_bytes(fan_out_docx(20, 5), "small.docx")
    assert len(small.rows) == 20 and small.rows[-1].responsible == [f"第{n}单位局" for n in range(5)]
    bomb = tmp_path / "bomb.docx"
    bomb.write_bytes(fan_out_docx(2000, 500))
    assert bomb.stat().st_size < 20_000
    started = time.monotonic()
    result = run_cli("convert", bomb, "--out", tmp_path / "out")
    assert time.monotonic() - started < 20
    assert result.returncode == 1 and result.stderr.count("\n") == 1 and "(unit, row) pairs" in result.stderr
    assert result.stderr.endswith("[too-large]\n") and files_under(tmp_path / "out") == {}


def test_a_cell_filled_down_in_a_text_export_counts_too():
    units = "、".join(f"第{n}局" for n in range(500))
    lines = ["序号\t具体要求\t牵头单位\t责任单位\t完成时限", f"1\t要求\t市政府办公室\t{units}\t12月底前"]
    lines += [f"{n}\t要求{n}\t\t\t12月底前" for n in range(2, 2001)]
    with pytest.raises(errors.TooLarge, match=r"\(unit, row\) pairs"):
        convert_bytes("\n".join(lines).encode(), "filled.txt")


# --- 18. rules and unit files, too-wide tables --------------------------------------------------------

@pytest.mark.parametrize(("text", "key"), [
    ('[units]\naliases = { "市发改委" = 1 }\n', 'units.aliases."市发改委"'),
    ('[units.aliases]\n"市发改委" = ["市发展改革委"]\n', 'units.aliases."市发改委"'),
    ("[units]\naliases = [1]\n", "units.aliases"),
    ('[roles]\nlead = "牵头"\n', "roles.lead"),
    ('[roles]\nnewrole = 3\n', "roles.newrole"),
    ("units = 1\n", "units"),
])
def test_a_rules_value_of_the_wrong_kind_is_one_line_naming_file_and_key(text, key, tmp_path):
    rules = tmp_path / "rules.toml"
    rules.write_text(text, encoding="utf-8")
    result = run_cli("convert", SEED_TXT, "--rules", rules, "--out", tmp_path / "out")
    assert result.returncode == 1 and result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith(f"error: {rules}: {key} must be ") and result.stderr.endswith("[bad-rules]\n")


@pytest.mark.parametrize(("text", "key"), [
    ('[units."甲"]\naliases = [1]\n', 'units."甲".aliases'),
    ('[units]\n"甲" = 1\n', 'units."甲"'),
    ('[units]\n"甲" = { groups = "乙" }\n', 'units."甲".groups'),
    ('[units."  "]\n', 'units.""'),
])
def test_a_units_value_of_the_wrong_kind_is_one_line_naming_file_and_key(text, key, tmp_path):
    units = tmp_path / "units.toml"
    units.write_text(text, encoding="utf-8")
    result = run_cli("convert", SEED_TXT, "--units", units, "--out", tmp_path / "out")
    assert result.returncode == 1 and result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith(f"error: {units}: {key}") and result.stderr.endswith("[bad-units]\n")


def test_a_table_wider_than_a_worksheet_writes_nothing(tmp_path):
    def span(root):
        properties = root.find(f".//{W}tbl/{W}tr[3]/{W}tc/{W}tcPr")
        properties.insert(0, w("gridSpan", val="50000"))

    wide = docx_variant(tmp_path / "wide.docx", span)
    result = run_cli("convert", wide, "--out", tmp_path / "out")
    assert result.returncode == 1 and result.stderr.endswith("[too-large]\n"), result.stderr
    assert files_under(tmp_path / "out") == {}


def test_an_input_named_like_its_output_folder_is_never_replaced(tmp_path):
    (tmp_path / "notice").write_bytes(SEED_TXT.read_bytes())  # no extension: its stem is its name
    result = run_cli("convert", "notice", "--only", "json", "--out", ".", cwd=tmp_path)
    assert result.returncode == 1 and result.stderr.endswith("[write-failed]\n"), result.stderr
    assert "a file, not an output folder, is in the way" in result.stderr
    assert (tmp_path / "notice").read_bytes() == SEED_TXT.read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notice"]
