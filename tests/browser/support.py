"""Browser tests' fixtures and helpers (a pytest plugin: tests/conftest.py loads it for every test).

The `browser` fixture is a headless Chromium from Debian's `chromium` and `chromium-driver`
packages (never a downloaded build: Selenium Manager is bypassed), with a fresh profile, a 360×800
phone viewport and no way off this machine: every host name fails to resolve and only 127.0.0.1
is reached. Tests that take it are marked `browser`. Without the packages, or without axe-core
(`npm ci --prefix tests/browser`), the tests skip; under CI (`CI=true`) they fail instead, so a
broken setup never passes as skipped.

Selenium blocks its thread. A page served by an aiohttp app on the test's own event loop (an
async test with aiohttp's `TestServer`) must be driven from another thread, or the server cannot
answer: write the browser steps as one plain function and run it with `asyncio.to_thread`.
Waits use `wait_for`/`wait_for_text`, never sleeps.
"""

from __future__ import annotations

import functools
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

import pytest
from selenium import webdriver
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.wait import WebDriverWait

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
INSTALL_CHROMIUM = "apt-get install chromium chromium-driver"

# axe-core comes from the npm registry through tests/browser/package-lock.json (the exact release
# and its checksum): axe-core's own package, with nothing else. The PyPI packages that bundle
# axe.min.js lag behind its releases, and need Python 3.12 (axe-selenium-python) or bring
# Playwright along (axe-playwright-python).
AXE = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"
INSTALL_AXE = "npm ci --prefix tests/browser"

# The board must be usable on a 360 px wide phone.
VIEWPORT = (360, 800)
# Long enough for a page under four test workers on two cores; a wait returns as soon as it can.
WAIT = 10.0

FLAGS = (
    "--headless=new",
    "--no-sandbox",  # CI runs as root
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--no-proxy-server",
    # Tests stay off the internet: every name (localhost too) fails to resolve; pages are served
    # on 127.0.0.1.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
    f"--window-size={VIEWPORT[0]},{VIEWPORT[1]}",
)


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"true", "1"}


def unavailable(reason: str) -> NoReturn:
    """Skip on a developer's machine; fail under CI, which must run every browser test."""
    if in_ci():
        pytest.fail(f"{reason} (CI=true: browser tests may not skip)", pytrace=False)
    pytest.skip(reason)


def set_viewport(driver: webdriver.Chrome, width: int, height: int, *, mobile: bool = True) -> None:
    """Lay pages out at exactly this size (a Chromium window is at least 500 px wide).

    `mobile` lays them out as a phone does: by the page's `<meta name="viewport">`.
    """
    metrics = {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile}
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)


@functools.cache
def _axe_source(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def axe_source(path: Path = AXE) -> str:
    if not path.is_file():
        unavailable(f"axe-core is not installed ({INSTALL_AXE})")
    return _axe_source(path)


def require_chromium() -> None:
    if not (CHROMIUM.is_file() and CHROMEDRIVER.is_file()):
        unavailable(f"Chromium is not installed ({INSTALL_CHROMIUM})")


@pytest.fixture
def browser() -> Iterator[webdriver.Chrome]:
    """A headless Chromium with a fresh profile and a 360×800 phone viewport, quit afterwards."""
    require_chromium()
    with tempfile.TemporaryDirectory(
        prefix="villagebot-chromium-", ignore_cleanup_errors=True
    ) as profile:
        options = webdriver.ChromeOptions()
        options.binary_location = str(CHROMIUM)
        for flag in (*FLAGS, f"--user-data-dir={profile}"):
            options.add_argument(flag)
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        # A driver path given: Selenium Manager never looks for (or downloads) a driver.
        service = Service(executable_path=str(CHROMEDRIVER))
        driver = webdriver.Chrome(options=options, service=service)
        try:
            set_viewport(driver, *VIEWPORT)
            driver.set_page_load_timeout(3 * WAIT)
            driver.set_script_timeout(3 * WAIT)
            yield driver
        finally:
            driver.quit()  # also stops chromedriver, even when the browser is gone


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test that takes `browser` is marked `browser` (`-m "not browser"` leaves them)."""
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)


def wait_for(driver: WebDriver, css: str, timeout: float = WAIT) -> WebElement:
    """The first element matching `css` once it is visible."""
    try:
        element: WebElement = WebDriverWait(driver, timeout).until(
            expected_conditions.visibility_of_element_located((By.CSS_SELECTOR, css))
        )
    except TimeoutException:
        raise AssertionError(f"no visible {css!r} after {timeout} s") from None
    return element


def wait_for_text(driver: WebDriver, css: str, text: str, timeout: float = WAIT) -> WebElement:
    """The first element matching `css` once its text contains `text`."""
    try:
        WebDriverWait(driver, timeout).until(
            expected_conditions.text_to_be_present_in_element((By.CSS_SELECTOR, css), text)
        )
    except TimeoutException:
        found = driver.find_elements(By.CSS_SELECTOR, css)
        now = repr(found[0].text) if found else "no such element"
        raise AssertionError(f"{css!r} never showed {text!r} in {timeout} s: {now}") from None
    return driver.find_element(By.CSS_SELECTOR, css)


@dataclass(frozen=True)
class Violation:
    """One axe-core rule that a page breaks, and where (CSS selectors of the elements)."""

    rule: str
    impact: str
    help: str
    targets: tuple[str, ...]


_RUN_AXE = """
const done = arguments[arguments.length - 1];
axe.run(document, {resultTypes: ["violations"]}).then(
    (results) => done(results.violations.map((violation) => ({
        rule: violation.id,
        impact: violation.impact,
        help: violation.help,
        targets: violation.nodes.map((node) => node.target.map(String).join(" ")),
    }))),
    (error) => done({error: String(error)}),
);
"""


def axe_violations(
    driver: WebDriver, impacts: tuple[str, ...] = ("serious", "critical")
) -> list[Violation]:
    """axe-core's violations of these impacts on the current page (`assert_accessible` checks
    there are none).

    Runs every rule axe-core has on the top document; call it again after the page changes.
    """
    driver.execute_script(axe_source())
    found: Any = driver.execute_async_script(_RUN_AXE)
    if isinstance(found, dict):
        raise RuntimeError(f"axe-core failed: {found['error']}")
    return [
        Violation(item["rule"], item["impact"], item["help"], tuple(item["targets"]))
        for item in found
        if item["impact"] in impacts
    ]


def assert_accessible(
    driver: WebDriver, impacts: tuple[str, ...] = ("serious", "critical")
) -> None:
    """Fails listing every violation of these impacts on the current page (pytest's diff of
    `axe_violations(...) == []` shows only the first)."""
    violations = axe_violations(driver, impacts)
    assert not violations, (
        "axe-core found on "
        + driver.current_url
        + ":\n"
        + "\n".join(f"  {v.impact} {v.rule}: {v.help} ({', '.join(v.targets)})" for v in violations)
    )


def console_errors(driver: WebDriver) -> list[str]:
    """The page's errors since the last call: uncaught exceptions, console.error, failed loads
    (a missing favicon too: pages link one, or `<link rel="icon" href="data:,">`)."""
    return [entry["message"] for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]
