"""`fawen preview` in a real browser: Debian's Chromium, headless, driven by Debian's chromedriver
through selenium (nothing is downloaded at test time).

The page shows the first page of the example notice; after an edit to the plan file it
updates in place, without a reload.
"""

from __future__ import annotations

import io
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_preview import START, WAIT, Running, Server, copy_plans

CHROMIUM = next((p for p in map(shutil.which, ("chromium", "chromium-browser")) if p), None)
DRIVER = shutil.which("chromedriver") or next((p for p in ("/usr/lib/chromium/chromedriver",) if Path(p).is_file()),
                                              None)
pytestmark = [
    pytest.mark.skipif(CHROMIUM is None or DRIVER is None,
                       reason="Chromium or chromedriver not found: `make setup` (scripts/setup-system.sh) installs "
                              "Debian's chromium and chromium-driver"),
    pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed (make setup installs it)"),
]
webdriver = pytest.importorskip("selenium.webdriver")

TITLE = "平利县安全生产专项整治三年行动实施方案"
EDITED = "平利县安全生产专项整治三年行动工作方案"


@pytest.fixture
def browser(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    from selenium.webdriver.chrome.service import Service
    monkeypatch.setenv("SE_OFFLINE", "true")  # selenium never fetches a driver or a browser
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                f"--user-data-dir={tmp_path / 'chromium-profile'}", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-default-apps",
                "--disable-extensions", "--mute-audio", "--window-size=1400,1000"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(executable_path=DRIVER), options=options)
    try:
        yield driver
    finally:
        driver.quit()


def wait_for(driver: Any, script: str, timeout: float = WAIT) -> Any:
    """Poll a JavaScript expression until it is truthy (bounded)."""
    deadline = time.monotonic() + timeout
    while True:
        value = driver.execute_script(f"return ({script});")
        if value:
            return value
        assert time.monotonic() < deadline, f"never true within {timeout} s: {script}"
        time.sleep(0.05)


def test_page_shows_the_notice_and_follows_an_edit_without_reload(browser: Any, tmp_path: Path) -> None:
    import numpy as np
    from PIL import Image

    copy_plans(tmp_path)
    run = Running(["preview", "plans/pingli-2020", "--port", "0", "-o", "out", "-j", "1"], tmp_path)
    try:
        url = run.line(r"http://127\.0\.0\.1:\d+/", START).group(0)
        server = Server(run, url, tmp_path)
        server.wait(lambda s: s["generation"] >= 1 and not s["stale"], START)
        browser.get(url)
        first = "document.querySelector('main#pages img[data-page=\"1\"]')"
        wait_for(browser, f"{first} && {first}.complete && {first}.naturalWidth > 0")
        assert browser.execute_script(f"return {first}.naturalWidth;") == 1191
        assert TITLE in browser.find_element("css selector", "header h1").text
        shot = tmp_path / "preview.png"
        browser.save_screenshot(str(shot))
        rgb = np.asarray(Image.open(io.BytesIO(shot.read_bytes())).convert("RGB")).astype(int)
        assert rgb.std() > 10, "the screenshot is blank"
        # the red 发文机关标志 of the notice's first page is on the screen
        red = (rgb[..., 0] > 200) & (rgb[..., 1] < 90) & (rgb[..., 2] < 90)
        assert red.sum() > 500, "no red 版头 in the screenshot"

        old_src = browser.execute_script(f"return {first}.getAttribute('src');")
        browser.execute_script("window.fawenMarker = 'the same page';")
        plan = tmp_path / "plans" / "pingli-2020" / "plan.yaml"
        plan.write_text(plan.read_text(encoding="utf-8").replace(f"title: {TITLE}", f"title: {EDITED}", 1),
                        encoding="utf-8")
        wait_for(browser, f"document.querySelector('header h1').textContent.includes('{EDITED}')")
        loaded = f"{first}.complete && {first}.naturalWidth > 0"
        wait_for(browser, f"{first}.getAttribute('src') !== '{old_src}' && {loaded}")
        assert browser.execute_script("return window.fawenMarker;") == "the same page", "the page was reloaded"
        assert browser.execute_script("return window.fawenRefreshes;") >= 1
        browser.save_screenshot(str(tmp_path / "preview-after.png"))
    finally:
        status = run.interrupt()
    run.assert_clean_exit(status)
