"""Web pages: the article's own paragraphs give the notice metadata, the site's metadata box fills the rest.

The pages are cut-down copies of the shapes a district's 政务公开 site serves (a CMS that writes every
paragraph as a <div>, the site's name in <title>, a metadata box of <li> items with the values in <font>,
or a <table> of label and value cells, and an info line).
"""

from __future__ import annotations

import pytest

from fenjie.extract.webpage import read_html
from fenjie.normalize.notice import notice_of
from fenjie.rules import load

HEAD = """<!DOCTYPE html><html><head><meta charset="utf-8">
<meta name="SiteName" content="平潭综合实验区党工委管委会"/><meta name="ColumnName" content="区管委会办公室文件"/>
{meta}<title>区管委会办公室文件_平潭综合实验区党工委管委会</title></head><body>
<div class="header"><h1 class="logo">平潭综合实验区党工委管委会</h1></div>"""

LI_BOX = """<div class="index_box"><ul>
<li>索&ensp;引&ensp;号：<font>PZ00101-2500-2023-00070</font></li><li>主题分类：<font>无</font></li>
<li>发文机关：<font>{issuer}</font></li><li>成文日期：<font>2023-03-29</font></li>
<li>标&ensp;&ensp;题：<font>关于印发新污染物治理工作方案的通知</font></li>
<li>发文字号：<font>岚综管办〔2023〕12号</font></li><li>发布日期：<font>2023-03-30</font></li>
<li>有&ensp;效&ensp;性：<em>有效</em></li></ul></div>"""

TABLE_BOX = """<table class="xxgk"><tr><td>索引号：</td><td>113501000/2023-00070</td><td>发布机构：</td>
<td>区资源生态局</td></tr><tr><td>发文字号：</td><td>岚综管办〔2023〕12号</td><td>成文日期：</td>
<td>2023年03月29日</td></tr><tr><td>发布日期：</td><td>2023年03月30日</td><td>有效性：</td><td>有效</td></tr></table>"""

INFO_LINE = """<div class="info">发布时间：2023-03-30 15:53　来源：区资源生态局　浏览次数：12</div>"""

ARTICLE = """<div class="article_title">平潭综合实验区管委会办公室关于印发新污染物治理工作方案的通知</div>
<div class="article_content">
<div><span>岚综管办〔2023〕12号</span></div>
<div><span>各相关单位：</span></div>
<div><span>&nbsp; &nbsp; 《新污染物治理工作方案》已经管委会同意，现印发给你们，请认真组织实施。</span></div>
<div><span>&nbsp; &nbsp; 附件：<a href="/files/P0123.docx">新污染物治理工作方案.docx</a></span></div>
<div><span><br></span></div>
<div><span>&nbsp; &nbsp; &nbsp; &nbsp; 平潭综合实验区管委会办公室&nbsp; &nbsp;</span></div>
<div><span>&nbsp; &nbsp; &nbsp; &nbsp; 2023年3月30日</span></div>
<div><span>（此件主动公开）</span></div>
</div>"""

BARE_ARTICLE = """<div class="article_content"><p>各片区管理局，区直各单位：</p>
<p>现将新污染物治理工作方案印发给你们，请认真组织实施。新污染物治理是一项长期的工作。</p></div>"""

META_TITLE = '<meta name="ArticleTitle" content="平潭综合实验区管委会办公室关于印发新污染物治理工作方案的通知"/>'

CASES = {
    # The article names everything itself; the box only adds 发布日期 and 索引号.
    "article, li box": (LI_BOX.format(issuer="福建平潭"), ARTICLE, "", "", {
        "doc_number": "岚综管办〔2023〕12号", "issuer": "平潭综合实验区管委会办公室",
        "title": "关于印发新污染物治理工作方案的通知", "date": "2023-03-30", "year": 2023,
        "recipients": ["各相关单位"], "attachments": ["新污染物治理工作方案"],
        "published": "2023-03-30", "index_no": "PZ00101-2500-2023-00070"}),
    # An article without doc number, title, signature or date: the box fills them; 福建平潭 is the site's
    # short name, not an organ, so it is no issuer.
    "bare article, li box": (LI_BOX.format(issuer="福建平潭"), BARE_ARTICLE, "", "", {
        "doc_number": "岚综管办〔2023〕12号", "issuer": None, "title": "关于印发新污染物治理工作方案的通知",
        "date": "2023-03-29", "year": 2023, "recipients": ["各片区管理局", "区直各单位"],
        "published": "2023-03-30", "index_no": "PZ00101-2500-2023-00070"}),
    "bare article, li box naming an organ": (LI_BOX.format(issuer="平潭综合实验区管委会办公室"), BARE_ARTICLE, "", "", {
        "issuer": "平潭综合实验区管委会办公室"}),
    # A box of label and value cells, and an info line: 发布机构 (who put the page up) is no issuer.
    "bare article, table box": (TABLE_BOX, BARE_ARTICLE, INFO_LINE, "", {
        "doc_number": "岚综管办〔2023〕12号", "issuer": None, "title": None, "date": "2023-03-29",
        "published": "2023-03-30", "index_no": "113501000/2023-00070"}),
    # No box: the info line's 发布时间 and the <meta> tags still say when the page went up, and which title.
    "article, info line, meta": ("", BARE_ARTICLE, INFO_LINE, META_TITLE, {
        "title": "关于印发新污染物治理工作方案的通知", "issuer": "平潭综合实验区管委会办公室",
        "published": "2023-03-30", "index_no": None}),
}


def page(box: str, article: str, info: str, meta: str = "") -> bytes:
    return (HEAD.format(meta=meta) + box + info + article
            + '<div class="footer">主办：平潭综合实验区党工委管委会</div></body></html>').encode()


@pytest.mark.parametrize("box, article, info, meta, want", CASES.values(), ids=CASES.keys())
def test_web_page_metadata(box, article, info, meta, want):
    extracted = read_html(page(box, article, info, meta), "page.html")
    notice = notice_of(extracted.paragraphs, None, load(), extracted.page).notice
    got = notice.model_dump()
    assert {key: got[key] for key in want} == want
    assert "平潭综合实验区党工委管委会" not in notice.model_dump_json()  # the site's name is nowhere


def test_site_name_in_title_and_logo_is_never_the_heading():
    extracted = read_html(page("", BARE_ARTICLE, ""), "page.html")
    assert extracted.paragraphs[0] == "各片区管理局，区直各单位："


def test_attachment_link_in_its_own_paragraph_is_kept():
    article = ('<div class="article_content"><p>各单位：</p><p>现印发给你们，请认真贯彻执行。这是正文。</p>'
               '<p><a href="/f/1.docx">附件1：任务分工表.docx</a></p><p><a href="/f/2.pdf">附件2：申报表.pdf</a></p>'
               '</div><div class="download"><a href="/f/1.docx">任务分工表.docx</a></div>')
    extracted = read_html(page("", article, ""), "page.html")
    notice = notice_of(extracted.paragraphs, None, load(), extracted.page).notice
    assert notice.attachments == ["任务分工表", "申报表"]


ARTICLE_PARAGRAPHS = {
    # A printed title wrapped over three lines, the issuer on the first one.
    "wrapped title": (["岚综管办〔2018〕75号", "平潭综合实验区管委会办公室关于", "印发2018年政务公开工作",
                       "主要任务分解表的通知", "区直各有关单位，各乡镇人民政府：",
                       "现将分解表印发给你们，请认真贯彻落实。", "平潭综合实验区管委会办公室", "2018年6月29日"],
                      {"title": "关于印发2018年政务公开工作主要任务分解表的通知", "doc_number": "岚综管办〔2018〕75号",
                       "issuer": "平潭综合实验区管委会办公室", "recipients": ["区直各有关单位", "各乡镇人民政府"],
                       "date": "2018-06-29"}),
    # A title without 关于 of its own opens at 印发; a seal note stands between the signature and the date.
    "印发 title, seal note": (["平潭综合实验区扶贫开发领导小组", "印发《解决突出问题实施方案》的通知", "各成员单位：",
                               "现将实施方案印发给你们，请结合实际认真贯彻落实。", "平潭综合实验区扶贫开发领导小组",
                               "（平潭综合实验区党工委代章）", "2019年8月12日"],
                              {"title": "印发《解决突出问题实施方案》的通知",
                               "issuer": "平潭综合实验区扶贫开发领导小组", "recipients": ["各成员单位"],
                               "date": "2019-08-12"}),
    # The 附件说明 names the attachment; the attachment page's own heading is no second one; a year stays.
    "attachment list and page": (["关于印发2021年分解表的通知", "各单位：", "现印发给你们，请认真贯彻落实。",
                                  "附件：2021年政务公开工作主要任务分解表", "平潭综合实验区管委会办公室",
                                  "2021年8月18日", "附件", "2021年平潭综合实验区政务公开工作主要任务分解表"],
                                 {"attachments": ["2021年政务公开工作主要任务分解表"], "date": "2021-08-18"}),
}


@pytest.mark.parametrize("paragraphs, want", ARTICLE_PARAGRAPHS.values(), ids=ARTICLE_PARAGRAPHS.keys())
def test_article_paragraphs_give_the_notice(paragraphs, want):
    got = notice_of(paragraphs, None, load()).notice.model_dump()
    assert {key: got[key] for key in want} == want
