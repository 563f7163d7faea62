"""The browser fixtures at work on two tiny pages served on 127.0.0.1 by aiohttp: a click changes
the text at phone width, axe-core passes the clean page and reports the broken one, and no host
name resolves, so nothing leaves the machine."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from selenium import webdriver
from selenium.common.exceptions import WebDriverException

from tests.browser import support
from tests.browser.support import (
    Violation,
    assert_accessible,
    axe_violations,
    console_errors,
    wait_for,
    wait_for_text,
)

CLEAN = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,"><title>Village board</title></head>
<body><main>
  <h1>Village board</h1>
  <p id="status">Not voted yet</p>
  <button id="vote" type="button">Vote</button>
</main>
<script>
  document.getElementById("vote").addEventListener("click", () => {
    document.getElementById("status").textContent = "Thanks for voting";
  });
</script></body></html>
"""

# An image without alt text and a button without a name: both serious for axe-core.
BROKEN = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,"><title>Broken board</title></head>
<body><main>
  <h1>Broken board</h1>
  <img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
  <button type="button"></button>
</main>
<script>missingFunction();</script></body></html>
"""


PAGES = {"/": CLEAN, "/broken": BROKEN}


async def page(request: web.Request) -> web.Response:
    return web.Response(text=PAGES[request.path], content_type="text/html")


@pytest.fixture
async def site() -> AsyncIterator[str]:
    """The pages on 127.0.0.1, on a port of their own (test workers share nothing)."""
    app = web.Application()
    app.add_routes([web.get(path, page) for path in PAGES])
    async with TestServer(app, host="127.0.0.1") as server:
        yield str(server.make_url("/"))


# The server answers on the test's event loop, so the (blocking) browser runs in a thread.


async def test_a_click_changes_the_text_at_phone_width(
    browser: webdriver.Chrome, site: str
) -> None:
    def steps() -> None:
        browser.get(site)
        assert browser.execute_script("return window.innerWidth") == 360
        wait_for(browser, "#vote").click()
        assert wait_for_text(browser, "#status", "Thanks").text == "Thanks for voting"
        assert console_errors(browser) == []

    await asyncio.to_thread(steps)


async def test_axe_passes_a_clean_page(browser: webdriver.Chrome, site: str) -> None:
    def steps() -> None:
        browser.get(site)
        assert_accessible(browser)

    await asyncio.to_thread(steps)


async def test_axe_reports_serious_violations(browser: webdriver.Chrome, site: str) -> None:
    def steps() -> tuple[list[Violation], list[str]]:
        browser.get(f"{site}broken")
        return axe_violations(browser), console_errors(browser)

    violations, errors = await asyncio.to_thread(steps)
    assert {(v.rule, v.impact, v.targets) for v in violations} == {
        ("image-alt", "critical", ("img",)),
        ("button-name", "critical", ("button",)),
    }
    with pytest.raises(AssertionError) as failed:
        await asyncio.to_thread(assert_accessible, browser)
    assert "critical image-alt: Images must have alternative text (img)" in str(failed.value)
    assert "critical button-name: Buttons must have discernible text (button)" in str(failed.value)
    assert any("missingFunction is not defined" in error for error in errors), errors


async def test_no_host_name_resolves(browser: webdriver.Chrome, site: str) -> None:
    by_name = site.replace("127.0.0.1", "localhost")

    def steps() -> None:
        with pytest.raises(WebDriverException, match="ERR_NAME_NOT_RESOLVED"):
            browser.get(by_name)

    await asyncio.to_thread(steps)


@pytest.mark.parametrize(
    ("ci", "outcome"), [("true", pytest.fail.Exception), ("", pytest.skip.Exception)]
)
def test_missing_axe_skips_here_and_fails_in_ci(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, ci: str, outcome: type[BaseException]
) -> None:
    monkeypatch.setenv("CI", ci)
    with pytest.raises(outcome, match="axe-core is not installed"):
        support.axe_source(tmp_path / "axe.min.js")


@pytest.mark.parametrize(
    ("ci", "outcome"), [("true", pytest.fail.Exception), ("", pytest.skip.Exception)]
)
def test_missing_chromium_skips_here_and_fails_in_ci(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, ci: str, outcome: type[BaseException]
) -> None:
    monkeypatch.setenv("CI", ci)
    monkeypatch.setattr(support, "CHROMEDRIVER", tmp_path / "chromedriver")
    with pytest.raises(outcome, match="Chromium is not installed"):
        support.require_chromium()
