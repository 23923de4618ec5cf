"""Chinese numbering: section and task numbers split off, numerals read as numbers."""

import pytest

from fenjie.normalize.numbering import han_number, heading_of, headings_in, section_of, task_of, without_numbering


@pytest.mark.parametrize(("numeral", "value"), [
    ("一", 1), ("九", 9), ("十", 10), ("十二", 12), ("二十", 20), ("三十一", 31), ("两", 2),
    ("二〇二四", 2024), ("二零二五", 2025), ("12", 12), ("１２", 12),
])
def test_han_number(numeral, value):
    assert han_number(numeral) == value


def test_han_number_refuses_a_non_numeral():
    with pytest.raises(KeyError):
        han_number("月")


@pytest.mark.parametrize(("text", "no", "title"), [
    ("一、以高质量公开助推重点工作落实", "一", "以高质量公开助推重点工作落实"),
    ("十二. 某某工作", "十二", "某某工作"),
    ("没有编号的板块", None, "没有编号的板块"),
])
def test_section_of(text, no, title):
    section = section_of(text)
    assert (section.no, section.title) == (no, title)


@pytest.mark.parametrize(("text", "seq", "no", "title"), [
    ("（一）以公开助推高水平开放", None, "一", "以公开助推高水平开放"),
    ("(三)推进某事", None, "三", "推进某事"),
    ("2．完善某制度", None, "2", "完善某制度"),
    ("3、加强某建设", None, "3", "加强某建设"),
    ("第四项 某项工作", None, "四", "某项工作"),
    ("加强某某工作", "5", "5", "加强某某工作"),  # a 序号 cell numbers an unnumbered task
    ("1.5亿元以上投资", None, None, "1.5亿元以上投资"),  # a decimal is no numbering
    ("某某\n工作", None, None, "某某工作"),  # wrapped in a narrow cell
])
def test_task_of(text, seq, no, title):
    task = task_of(text, seq)
    assert (task.no, task.title) == (no, title)


def test_without_numbering():
    assert without_numbering("（十四）务实推进") == "务实推进"
    assert without_numbering("五、持续提高") == "持续提高"
    assert without_numbering("普通文字") == "普通文字"


@pytest.mark.parametrize(("text", "style", "no", "title"), [
    ("七、开展行政规范性文件集中公开", "一、", "七", "开展行政规范性文件集中公开"),
    ("（十二）深化政务公开", "（一）", "十二", "深化政务公开"),
    ("1.加强政策解读", "1.", "1", "加强政策解读"),
    ("１２．加强政策解读", "1.", "12", "加强政策解读"),
    ("1．1、做好解读回应", "1.1", "1.1", "做好解读回应"),
    ("2.3.1 规范公开流程", "1.1.1", "2.3.1", "规范公开流程"),
    ("（3）编制公开目录", "（1）", "3", "编制公开目录"),
    ("4）更新公开目录", "1）", "4", "更新公开目录"),
    ("⑤完善公开平台", "①", "5", "完善公开平台"),
    ("第三项 某项工作", "第一项", "三", "某项工作"),
    ("二、优化营商环境（续）", "一、", "二", "优化营商环境"),  # repeated on a new page
    ("1.5亿元以上投资项目", None, None, "1.5亿元以上投资项目"),  # a quantity, not numbering
    ("2024年工作要点", None, None, "2024年工作要点"),
    ("（一）", None, None, "（一）"),  # a number alone is no heading
])
def test_heading_of_splits_the_number_off_in_every_style(text, style, no, title):
    heading = heading_of(text)
    assert (heading.style, heading.numbered.no, heading.numbered.title) == (style, no, title)


def test_headings_in_one_cell():
    """Numbered paragraphs of new styles inside one cell are nested levels; other lines continue a title."""
    cell = "（一）深化政务公开\n1.加强政策\n解读"
    assert [(h.style, h.numbered.no, h.numbered.title) for h in headings_in(cell)] == [
        ("（一）", "一", "深化政务公开"), ("1.", "1", "加强政策解读")]
    assert [h.numbered.title for h in headings_in("没有编号\n（一）的标题")] == ["没有编号（一）的标题"]
