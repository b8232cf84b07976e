"""Headless Chromium for browser tests (Debian's ``chromium`` and ``chromium-driver``).

CI installs both (``.ci/run``) and sets ``FT_REQUIRE_BROWSER=1``: there a missing browser fails
the tests. Elsewhere, without them, browser tests are skipped with the reason. Screenshots go to
``FT_TEST_ARTEFACTS`` (default ``test-artefacts/`` at the repository root), kept by CI.
"""

from __future__ import annotations

import base64
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
_BROWSERS = ("chromium", "chromium-browser", "google-chrome")
_DRIVERS = ("chromedriver", "chromium-driver")


def _found(names: tuple[str, ...]) -> str | None:
    return next((path for name in names if (path := shutil.which(name))), None)


def artefacts_dir() -> Path:
    """Where screenshots and rendered pages are kept."""
    directory = Path(os.environ.get("FT_TEST_ARTEFACTS", ROOT / "test-artefacts"))
    directory.mkdir(parents=True, exist_ok=True)
    return directory


@contextmanager
def chromium(width: int = 1280, height: int = 1600) -> Iterator[object]:
    """A headless Chromium WebDriver, or a skip (a failure under ``FT_REQUIRE_BROWSER=1``)."""
    browser, driver_path = _found(_BROWSERS), _found(_DRIVERS)
    if browser is None or driver_path is None:
        message = "chromium and chromium-driver are not installed (Debian packages)"
        if os.environ.get("FT_REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = browser
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"):
        options.add_argument(argument)
    options.add_argument(f"--window-size={width},{height}")
    driver = webdriver.Chrome(service=Service(executable_path=driver_path), options=options)
    try:
        yield driver
    finally:
        driver.quit()


def click_and_wait(driver: Any, element: Any, timeout: float = 10) -> None:
    """Click what loads a new page, and wait until it has replaced the current one.

    A WebDriver click returns as soon as the event is dispatched: reading the page right after
    a form submission or a link may still read the old one.
    """
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    old = driver.find_element(By.TAG_NAME, "html")
    element.click()
    WebDriverWait(driver, timeout).until(expected_conditions.staleness_of(old))
    WebDriverWait(driver, timeout).until(
        lambda d: d.execute_script("return document.readyState") == "complete"
    )


AXE = ROOT / "tests" / "vendor" / "axe-core" / "axe.min.js"
"""axe-core, vendored (tests/vendor/axe-core/SOURCE.md)."""


def axe_violations(driver: object, impacts: tuple[str, ...] = ("serious", "critical")) -> list[Any]:
    """axe-core's violations of the current page at these impacts (rule id, help, targets)."""
    driver.execute_script(AXE.read_text(encoding="utf-8"))  # type: ignore[attr-defined]
    result = driver.execute_async_script(  # type: ignore[attr-defined]
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {resultTypes: ['violations']}).then(r => done(r.violations));"
    )
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "targets": [n["target"] for n in v["nodes"]],
        }
        for v in result
        if v["impact"] in impacts
    ]


def print_to_pdf(driver: object) -> bytes:
    """The page printed as Chromium prints it (A4), through the DevTools protocol."""
    printed = driver.execute_cdp_cmd(  # type: ignore[attr-defined]
        "Page.printToPDF", {"paperWidth": 8.27, "paperHeight": 11.69, "printBackground": False}
    )
    return base64.b64decode(printed["data"])
