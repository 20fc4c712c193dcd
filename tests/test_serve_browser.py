"""The browser UI in a headless Chromium (Debian's chromium and chromedriver, via selenium):
it loads, runs a catalogue query, shows the table and the chart, opens a resource page,
in English and in Chinese, and no request leaves loopback."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conftest import ROOT
from serving import serving

pytestmark = pytest.mark.slow

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
TITLES = {"en": "Qingdao", "zh": "青岛市"}
CHART_WORDS = {"en": "share by place · year", "zh": "share（按place · year）"}


@pytest.fixture(scope="module")
def browser():
    if CHROMIUM is None or CHROMEDRIVER is None:
        pytest.skip(
            "needs Debian's chromium and chromium-driver (apt-get install chromium chromium-driver)"
        )
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    profile = tempfile.mkdtemp(prefix="sei-kg-chromium-")
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 f"--user-data-dir={profile}", "--window-size=1400,1250"):  # fmt: skip
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(scope="module")
def server():
    with serving("--workers", "2") as served:
        yield served


def _requested(driver) -> list[str]:
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
        elif message["method"] == "Network.webSocketCreated":
            urls.append(message["params"]["url"])
    return urls


def _wait(driver, condition, timeout=60):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout).until(condition)


def _run(driver, name: str) -> None:
    from selenium.webdriver.common.by import By

    _wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, f'#queries a[data-query="{name}"]'))
    driver.find_element(By.CSS_SELECTOR, f'#queries a[data-query="{name}"]').click()
    driver.find_element(By.ID, "run").click()
    _wait(driver, lambda d: len(d.find_elements(By.CSS_SELECTOR, "table.results tbody tr")) >= 2)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_ui_runs_a_catalogue_query_and_opens_a_page_offline(browser, server, lang, tmp_path):
    from selenium.webdriver.common.by import By

    browser.get_log("performance")  # start afresh
    browser.get(f"{server.url}/?lang={lang}")
    _run(browser, "share-by-year")
    rows = browser.find_elements(By.CSS_SELECTOR, "table.results tbody tr")
    assert [r.find_elements(By.TAG_NAME, "td")[2].text for r in rows] == ["28.7", "31.8"]
    status = browser.find_element(By.ID, "status").text
    assert status == ("2 rows" if lang == "en" else "共 2 行")
    browser.save_screenshot(str(tmp_path / f"table-{lang}.png"))
    browser.execute_script("document.querySelector('[data-tab=chart]').click()")
    _wait(browser, lambda d: len(d.find_elements(By.CSS_SELECTOR, "#chart svg rect.bar")) == 2)
    title = browser.find_element(By.CSS_SELECTOR, "#chart svg .chart-title").text
    assert title == CHART_WORDS[lang]
    font_ready = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "document.fonts.load('16px \"Noto Sans CJK SC (sei-kg)\"', '查询').then("
        "f => done(f.length > 0), () => done(false));"
    )
    assert font_ready, "the Chinese font from the server did not load"
    browser.save_screenshot(str(tmp_path / f"chart-{lang}.png"))
    if lang == "en" and os.environ.get("SEIKG_SAVE_SCREENSHOT"):
        shutil.copy(tmp_path / "chart-en.png", ROOT / "docs" / "serve.png")

    browser.execute_script("document.querySelector('[data-tab=table]').click()")
    _run(browser, "places")
    link = _wait(
        browser, lambda d: d.find_element(By.CSS_SELECTOR, 'table.results a[href^="/place/370200"]')
    )
    link.click()
    heading = _wait(browser, lambda d: d.find_element(By.TAG_NAME, "h1"))
    assert heading.text == TITLES[lang]
    assert "31.8" in browser.find_element(By.CSS_SELECTOR, "table.figures").text
    browser.save_screenshot(str(tmp_path / f"place-{lang}.png"))

    requested = _requested(browser)
    assert any("/ui/api/run" in u for u in requested)
    outside = [u for u in requested if urlsplit(u).scheme in ("http", "https", "ws", "wss")
               and urlsplit(u).hostname not in ("127.0.0.1", "localhost", "::1")]  # fmt: skip
    assert outside == [], outside
    problems = [e["message"] for e in browser.get_log("browser")
                if e["level"] == "SEVERE" or "Content Security Policy" in e["message"]]  # fmt: skip
    assert problems == []
    for name in ("table", "chart", "place"):
        assert Path(tmp_path / f"{name}-{lang}.png").stat().st_size > 10_000
