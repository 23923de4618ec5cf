"""Row loops filled from stencils (fenjie/render/docx_rows.py): the same bytes as rendering every row,
and a template engine's work that does not grow with the rows."""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta

import pytest
from conftest import SEED_DOCX, W
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from fenjie import convert
from fenjie.errors import TemplateError
from fenjie.render import docx_rows, docx_template
from fenjie.render.docx_template import DocxTemplateOnce
from fenjie.render.options import LetterOptions
from fenjie.render.word import TEMPLATE_VARIABLES, context_of, load_template

MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
CONTENT_TYPES = ('<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                 f'<Override PartName="/word/document.xml" ContentType="{MAIN}"/></Types>')


@pytest.fixture(scope="module")
def context() -> dict:
    seed = convert(SEED_DOCX)
    assignment = next(a for a in seed.assignments() if a.lead and a.responsible)  # both tables
    return context_of(seed, assignment, LetterOptions())


def rendered_plainly(engine: DocxTemplateOnce, context: dict, monkeypatch) -> bytes:
    """The letter as rendered before stencils: every row through jinja2, docxtpl and lxml."""
    with monkeypatch.context() as patch:
        patch.setattr(docx_template, "rows_of", lambda loops, context: None)
        return engine.render(context)


def with_values(context: dict, values: list[str]) -> dict:
    """CONTEXT whose rows take VALUES in turn in every cell (and "" for some, so that shapes differ)."""
    rows = [{key: values[(n + k) % len(values)] if key != "no" else str(n) for k, key in enumerate(row)}
            for n, row in enumerate(context["lead_rows"] * 3)]
    return {**context, "lead_rows": rows, "responsible_rows": rows[::-1]}


TEXT = st.text(st.sampled_from("任务a &<>\"'\t\n\r\x01\x0c{}_%\ue000\U0010fff0\U0010fff3 "), max_size=8)
FUZZ = settings(max_examples=60, derandomize=True, deadline=timedelta(seconds=10), database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


@FUZZ
@example(values=["a\tb", "", "{_{ x }_}", "<&>", "\n", "\x01"])
@given(values=st.lists(TEXT, min_size=1, max_size=6))
def test_rows_from_stencils_are_the_rows_rendered_one_by_one(context, values, monkeypatch):
    engine = load_template(None)
    given_context = with_values(context, values)
    assert engine.render(given_context) == rendered_plainly(engine, given_context, monkeypatch)


def package(body: str) -> bytes:
    document = f'<w:document xmlns:w="{W[1:-1]}"><w:body>{body}</w:body></w:document>'
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as parts:
        parts.writestr("[Content_Types].xml", CONTENT_TYPES)
        parts.writestr("word/document.xml", document)
    return out.getvalue()


def paragraph(text: str, attribute: str = "x") -> str:
    return f'<w:p><w:bookmarkStart w:name="{attribute}"/><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>'


ROW = paragraph("{{ row.task }}|{{ row['no'] }}|{{ unit }}", "{{ row.requirement }}")
TEMPLATES = {  # body -> the lists filled from stencils
    "a row value in text and in an attribute": (paragraph("{%p for row in lead_rows %}") + ROW
                                                + paragraph("{%p endfor %}"), ["lead_rows"]),
    "tests and an outer if": (paragraph("{%p if lead_rows %}") + paragraph("{%p for row in lead_rows %}")
                              + paragraph("{% if not row.group %}-{% elif row.task %}{{ row.task }}{% endif %}")
                              + paragraph("{%p endfor %}") + paragraph("{%p endif %}"), ["lead_rows"]),
    "two loops over one list, and one over another": (
        paragraph("{% for row in lead_rows %}{{ row.no }}{% endfor %}")
        + paragraph("{% for r in lead_rows %}{{ r.deadline }}{% endfor %}")
        + paragraph("{% for r in responsible_rows %}{{ r.task }}{% endfor %}"), ["lead_rows", "responsible_rows"]),
    "a list counted elsewhere": (paragraph("{% for row in lead_rows %}{{ row.no }}{% endfor %}")
                                 + paragraph("{{ lead_rows|length }}"), []),
    "a filter": (paragraph("{% for row in lead_rows %}{{ row.task|upper }}{% endfor %}"), []),
    "loop.index": (paragraph("{% for row in lead_rows %}{{ loop.index }}{% endfor %}"), []),
    "a nested loop": (paragraph("{% for row in lead_rows %}{% for c in row.task %}{{ c }}{% endfor %}{% endfor %}"),
                      []),
    "a dict method": (paragraph("{% for row in lead_rows %}{{ row.items }}{% endfor %}"), []),
    "whitespace control": (paragraph("{% for row in lead_rows -%} {{ row.no }}{% endfor %}"), []),
    "a set": (paragraph("{% for row in lead_rows %}{% set t = row.task %}{{ t }}{% endfor %}"), []),
}


@pytest.mark.parametrize("name", TEMPLATES)
def test_a_users_row_loops_take_stencils_only_when_they_show_values_and_nothing_else(context, name, monkeypatch):
    body, streamed = TEMPLATES[name]
    engine = DocxTemplateOnce(package(body), "mine.docx", TEMPLATE_VARIABLES)
    loops = docx_rows.row_loops(engine._parts["word/document.xml"].source, docx_template._Sandbox())
    assert sorted(loops.fields if loops else []) == streamed
    given_context = with_values(context, ["任务&\"一\"", "", "a\tb", "<x>"])
    assert engine.render(given_context) == rendered_plainly(engine, given_context, monkeypatch)


def test_a_letters_template_work_does_not_grow_with_its_rows(context, monkeypatch):
    """The sandbox looks up the same attributes and docxtpl and lxml see the same XML for 3 rows or 3,000:
    the rows' cost is a string format each (bench/big.py measures the seconds)."""
    engine = load_template(None)
    lookups, xml = [], []
    getattr_ = docx_template._Sandbox.getattr
    monkeypatch.setattr(docx_template._Sandbox, "getattr",
                        lambda self, obj, attribute: lookups.append(attribute) or getattr_(self, obj, attribute))
    render_xml_part = docx_template.DocxTemplate.render_xml_part
    monkeypatch.setattr(docx_template.DocxTemplate, "render_xml_part",
                        lambda *args: xml.append(len(render_xml_part(*args))) or render_xml_part(*args))
    work = []
    for copies in (1, 1000):
        rows = [{**row, "no": str(n)} for n, row in enumerate(context["lead_rows"] * copies, 1)]
        lookups.clear(), xml.clear()
        letter = engine.render({**context, "lead_rows": rows})
        work.append((len(lookups), sum(xml)))
        with zipfile.ZipFile(io.BytesIO(letter)) as parts:
            shown = parts.read("word/document.xml").decode("utf-8")
        assert shown.count("<w:cantSplit/>") == len(rows) + len(context["responsible_rows"])
        assert f">{rows[-1]['requirement']}<" in shown
    assert work[0] == work[1] and work[0][0] > 0


def test_rows_from_stencils_keep_the_limit_on_a_filled_in_part(context, monkeypatch):
    monkeypatch.setattr(docx_template, "MAX_OUTPUT", 200_000)
    engine = load_template(None)
    engine.render(context)  # the seed's letter is far below it
    with pytest.raises(TemplateError, match=r"passes 200,000 characters at “for … in lead_rows"):
        engine.render({**context, "lead_rows": context["lead_rows"] * 100})
