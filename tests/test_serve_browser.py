"""`fenjie serve` in a browser, as a person uses it: Playwright driving Debian's chromium.

One server and one browser for the module. Screenshots go to build/screenshots/ (look at them).
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import threading
import time
from pathlib import Path

import openpyxl
import pytest
import uvicorn
from conftest import ROOT, SEED_DOCX

from fenjie.serve.app import Settings, create_app

CHROMIUM = Path("/usr/bin/chromium")
SHOTS = ROOT / "build" / "screenshots"
pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium (.ci/run installs it)")


@pytest.fixture(scope="module")
def base_url(tmp_path_factory):
    app = create_app(Settings(data=tmp_path_factory.mktemp("browser")))
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    server.should_exit = True
    thread.join(10)


@pytest.fixture(scope="module")
def page(base_url):
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--no-first-run"])
        context = browser.new_context(viewport={"width": 1366, "height": 768}, accept_downloads=True,
                                      base_url=base_url, locale="zh-CN")
        context.set_default_timeout(30_000)
        yield context.new_page()
        browser.close()


def fits_the_screen(page) -> bool:
    return page.evaluate("document.scrollingElement.scrollWidth") <= 1366


def test_upload_the_sample_and_see_its_rows_and_units(page):
    page.goto("/")
    page.set_input_files("#files", SEED_DOCX)
    with page.expect_navigation():  # the list reloads once every file is converted
        page.click("text=上传并转换")
    row = page.locator("table.list tbody tr").filter(has_text="济政办字〔2024〕17号")
    assert row.locator("td.num").all_inner_texts()[:2] == ["73", "47"]
    assert row.locator(".badge").inner_text() == "待审"
    assert fits_the_screen(page)
    page.screenshot(path=SHOTS / "list.png")

    row.locator("a").click()
    assert page.inner_text("#row-count") == "73" and page.inner_text("#unit-count") == "47"
    assert page.locator("tr.task").count() == 73
    assert page.locator("tr.heading.level1").count() == 5
    assert fits_the_screen(page)
    page.screenshot(path=SHOTS / "review.png")


def test_a_highlighted_value_tells_why_on_hover_and_on_focus(page):
    flag = page.locator("#row-1\\.1\\.1 td.responsible .flag")
    reason = flag.locator(".reason")
    assert not reason.is_visible()
    flag.hover()
    assert reason.is_visible() and "名称是补全的" in reason.inner_text()
    page.mouse.move(0, 0)
    assert not reason.is_visible()
    # By keyboard: Tab from the row's 修改 link reaches the flag, and its reason shows.
    page.focus("#row-1\\.1\\.1 a.edit")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('td').className") == "responsible"
    assert reason.is_visible()
    page.screenshot(path=SHOTS / "reason.png")


def test_split_a_unit_download_it_and_undo(page, tmp_path):
    review = page.url
    page.click("#row-1\\.1\\.5 a.edit")
    lead = page.locator("#lead")
    assert lead.input_value() == "市商务局\n市文化和旅游局\n市住房城乡建设局"
    lead.fill("市商务局\n市文化局\n市旅游局\n市住房城乡建设局")  # split 市文化和旅游局 in two
    assert fits_the_screen(page)
    page.screenshot(path=SHOTS / "row.png")
    # Move 市住房城乡建设局 (the cursor's line) to 责任 with the button, then back by keyboard.
    lead.focus()
    page.keyboard.press("Control+End")
    page.click("text=光标所在的单位移到责任单位")
    assert page.locator("#responsible").input_value().endswith("\n市住房城乡建设局")
    assert lead.input_value() == "市商务局\n市文化局\n市旅游局"
    responsible = page.locator("#responsible")
    responsible.focus()
    page.keyboard.press("Control+End")
    page.focus("text=光标所在的单位移到牵头单位")
    page.keyboard.press("Enter")
    assert lead.input_value() == "市商务局\n市文化局\n市旅游局\n市住房城乡建设局"
    page.click("text=保存")
    assert page.url.startswith(review.split("#")[0])
    assert page.inner_text("#row-1\\.1\\.5 td.lead") == "市商务局、市文化局、市旅游局、市住房城乡建设局"
    assert page.inner_text("#unit-count") == "49"

    with page.expect_download() as download:
        page.click("text=tasks.xlsx")
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    sheet = openpyxl.load_workbook(path)["任务清单"]
    leads = {row[0]: row[4] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert leads["1.1.5"] == "市商务局、市文化局、市旅游局、市住房城乡建设局"

    page.click("#tab-changes")
    change = page.locator("#changes tbody tr").first
    assert "市文化和旅游局" in change.inner_text() and "市旅游局" in change.inner_text()
    page.screenshot(path=SHOTS / "changes.png")
    change.locator("text=撤销").click()
    assert "撤销" in page.locator("#changes tbody tr").first.inner_text()
    page.click("#tab-rows")
    assert page.inner_text("#row-1\\.1\\.5 td.lead") == "市商务局、市文化和旅游局、市住房城乡建设局"
    assert page.inner_text("#unit-count") == "47"


def test_mark_reviewed_and_switch_tabs_by_keyboard(page):
    page.click("text=标记为已审")
    assert page.inner_text(".meta .badge") == "已审"
    page.focus("#tab-rows")
    page.keyboard.press("ArrowRight")  # the tabs are one Tab stop; arrows move between them
    assert page.evaluate("document.activeElement.id") == "tab-grid"
    assert page.locator("#grid").is_visible() and not page.locator("#rows").is_visible()
    assert page.locator("#grid table.grid td[rowspan]").count() > 0  # the merges as read
    page.screenshot(path=SHOTS / "original-table.png")
    page.keyboard.press("ArrowLeft")
    assert page.locator("#rows").is_visible()


def test_filters_by_unit_and_month(page):
    page.select_option("select[name=unit]", "市商务局")
    page.wait_for_url("**unit=**")
    shown = page.locator("tr.task").count()
    assert 0 < shown < 73 and f"显示 {shown} / 73 行" in page.inner_text("#shown")
    assert all("市商务局" in t for t in page.locator("tr.task").all_inner_texts())
    assert page.locator("#new-name").input_value() == "市商务局"  # renaming it everywhere is offered
    page.screenshot(path=SHOTS / "filtered.png")


@pytest.mark.skipif(not shutil.which("soffice"), reason="needs LibreOffice")
def test_upload_a_doc_and_a_bad_file(page, tmp_path):
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profile", "--convert-to",
                    "doc", "--outdir", str(tmp_path), str(SEED_DOCX)], check=True, capture_output=True, timeout=120)
    doc = tmp_path / "jining-2024.doc"
    bad = tmp_path / "broken.docx"
    bad.write_bytes(bytes(range(256)) * 8)
    page.goto("/")
    page.set_input_files("#files", [doc, bad])
    page.click("text=上传并转换")
    page.locator("#progress li.done").wait_for(timeout=120_000)
    failed = page.locator("#progress li.failed")
    assert "broken.docx：文件已损坏（corrupt）" in failed.inner_text()
    assert "jining-2024.doc：完成，73 行，47 个单位" in page.inner_text("#progress")
    page.screenshot(path=SHOTS / "upload-errors.png")
    page.click("text=刷新列表")  # the server is still up, and the .doc is listed
    assert page.locator("table.list td.file", has_text="jining-2024.doc").first.is_visible()
