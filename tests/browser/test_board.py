"""The board in a real Chromium: opened as Telegram opens it (init data in the URL's hash),
the views on the screen, what a click does in the village's chat, and axe-core on each view."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from urllib.parse import quote

import pytest
from selenium import webdriver
from selenium.webdriver.support.ui import Select

from bot.db import Database
from bot.runtime import BotApplication
from bot.testing import BotApiEmulator, FakeUser
from bot.testing.board import serve_board, signed
from tests.board.conftest import WEB_URL, village_id
from tests.board.test_board_meetings import _first_date
from tests.browser.support import assert_accessible, console_errors, wait_for, wait_for_text
from tests.conftest import Village
from tests.handlers.meeting_steps import labels, schedule
from tests.handlers.test_budget import _accepted_ideas


@pytest.fixture
def bot_env() -> dict[str, str]:
    return {"VILLAGEBOT_WEB_URL": WEB_URL}


@pytest.fixture
async def board_url(bot: BotApplication) -> AsyncIterator[str]:
    async with serve_board(bot) as url:
        yield url


def opening(tg: BotApiEmulator, board_url: str, user: FakeUser, start: str) -> str:
    """The page as Telegram opens it: init data (with the start parameter) in the hash."""
    return f"{board_url}/board#tgWebAppData={quote(signed(tg.token, user, start))}"


async def test_a_resident_opens_the_board_on_the_ideas(
    tg: BotApiEmulator,
    village: Village,
    database: Database,
    board_url: str,
    browser: webdriver.Chrome,
) -> None:
    await tg.ask(village.chat, village.resident, "/idea Jauns rotaļu laukums pie skolas")
    vid = await village_id(database, village.chat)
    url = opening(tg, board_url, village.resident, f"v{vid}")

    def steps() -> None:
        browser.get(url)
        wait_for_text(browser, "#view .cards", "rotaļu laukums")
        assert browser.find_element("css selector", "h1").text == "Lejasciems"
        assert browser.execute_script("return document.documentElement.lang") == "lv"
        assert browser.title == "Lejasciems — ciema tāfele"
        assert console_errors(browser) == []

    await asyncio.to_thread(steps)


async def test_the_ideas_view_is_accessible(
    tg: BotApiEmulator,
    village: Village,
    database: Database,
    board_url: str,
    browser: webdriver.Chrome,
) -> None:
    await tg.ask(village.chat, village.resident, "/idea Jauns rotaļu laukums pie skolas")
    vid = await village_id(database, village.chat)
    url = opening(tg, board_url, village.resident, f"v{vid}")

    def steps() -> None:
        browser.get(url)
        wait_for(browser, "#view .cards .card")
        assert_accessible(browser)

    await asyncio.to_thread(steps)


async def test_a_stranger_is_told_what_to_do(
    tg: BotApiEmulator,
    village: Village,
    database: Database,
    board_url: str,
    browser: webdriver.Chrome,
) -> None:
    stranger = tg.user("Svešinieks", language_code="lv")
    vid = await village_id(database, village.chat)
    url = opening(tg, board_url, stranger, f"v{vid}")

    def steps() -> None:
        browser.get(url)
        wait_for_text(browser, "#app .notice", "Atveriet to no sava ciema grupas")

    await asyncio.to_thread(steps)


async def test_a_resident_rates_a_swot_input(
    tg: BotApiEmulator,
    village: Village,
    database: Database,
    board_url: str,
    browser: webdriver.Chrome,
) -> None:
    await tg.ask(village.chat, village.admin, "/strength Draudzīgi kaimiņi, kas palīdz")
    vid = await village_id(database, village.chat)
    url = opening(tg, board_url, village.resident, f"v{vid}")

    def steps() -> None:
        browser.get(url)
        wait_for(browser, "#view .cards")
        wait_for(browser, '.tabs a[data-go="swot"]').click()
        # Its author agrees with it.
        wait_for_text(browser, '.swot-item[data-code="S1"]', "👍 1 👎 0")
        wait_for(browser, '.swot-item[data-code="S1"] button[type="submit"]').click()
        wait_for_text(browser, '.swot-item[data-code="S1"]', "👍 2 👎 0")
        pressed = browser.find_element(
            "css selector", '.swot-item[data-code="S1"] button[aria-pressed="true"]'
        )
        assert "Piekrītu" in pressed.text
        assert console_errors(browser) == []

    await asyncio.to_thread(steps)


async def test_a_resident_answers_a_meeting_and_the_groups_card_follows(
    tg: BotApiEmulator,
    village: Village,
    database: Database,
    board_url: str,
    browser: webdriver.Chrome,
) -> None:
    card = await schedule(tg, village.chat, village.admin)
    vid = await village_id(database, village.chat)
    date = await _first_date(database, village.chat)
    url = opening(tg, board_url, village.resident, f"v{vid}-m{date.id}")

    def steps() -> None:
        browser.get(url)
        wait_for_text(browser, "#view", "Tautas nams")
        wait_for(browser, f'form[data-action="meeting/{date.id}/rsvp"] button').click()
        wait_for_text(browser, "#notice", "Pierakstīts: jūs piedalīsieties.")
        wait_for_text(browser, "#view", "Jūsu atbilde: piedalīšos.")

    await asyncio.to_thread(steps)
    await tg.settle(quiet=0.4)
    shown = tg.message(card["chat"]["id"], card["message_id"])
    assert labels(shown)[0] == "✅ Piedalīšos · 1"


async def _content(tg: BotApiEmulator, village: Village) -> None:
    """Something on every view: an idea, a SWOT input, a meeting, a small victory."""
    await tg.ask(village.chat, village.resident, "/idea Jauns rotaļu laukums pie skolas")
    await tg.ask(village.chat, village.resident, "/strength Draudzīgi kaimiņi, kas palīdz")
    await schedule(tg, village.chat, village.admin)
    await tg.ask(village.chat, village.admin, "/victory Pieturā ir jauns soliņš!")


async def _budget_vote(tg: BotApiEmulator, village: Village) -> None:
    """A participatory budget of 5,000 € being voted on, with idea #1 on its ballot."""
    await tg.ask(village.chat, village.admin, "/ideaset 1 cost 3000")
    await tg.ask(village.chat, village.admin, "/status 1 accepted")
    await tg.ask(village.chat, village.admin, "/budget 5000 1h")
    await tg.ask(village.chat, village.admin, "/budget start")


VIEWS = [
    "ideas",
    "idea/1",
    "swot",
    "meetings",
    "meeting",
    "plan",
    "budget",
    "figures",
    "victories",
]


@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize("who", ["resident", "leader"])
async def test_every_view_is_accessible(
    tg: BotApiEmulator,
    village: Village,
    database: Database,
    board_url: str,
    browser: webdriver.Chrome,
    view: str,
    who: str,
) -> None:
    """axe-core finds no serious or critical violation on any view, for residents and for
    the working group (who see more buttons)."""
    await _content(tg, village)
    vid = await village_id(database, village.chat)
    if view == "budget":
        await _budget_vote(tg, village)
    if view == "meeting":
        view = f"meeting/{(await _first_date(database, village.chat)).id}"
    person = village.resident if who == "resident" else village.admin
    url = opening(tg, board_url, person, f"v{vid}")

    def steps() -> None:
        browser.get(url)
        wait_for(browser, "#view .cards")
        browser.execute_script(
            "document.querySelector('#view').dataset.shown = '';"
            f"document.querySelector('.tabs').insertAdjacentHTML('beforeend',"
            f'\'<a data-go="{view}" id="go-test" href="#">test</a>\');'
        )
        wait_for(browser, "#go-test").click()
        browser.execute_script("document.getElementById('go-test').remove()")
        wait_for(browser, "#view:not([aria-busy])")
        assert browser.find_elements("css selector", "#view h2"), browser.page_source[:2000]
        assert browser.find_element("css selector", "#notice").text == ""
        assert_accessible(browser)
        assert console_errors(browser) == []

    await asyncio.to_thread(steps)


async def test_a_resident_supports_an_idea_and_the_groups_card_follows(
    tg: BotApiEmulator,
    village: Village,
    database: Database,
    board_url: str,
    browser: webdriver.Chrome,
) -> None:
    card = await tg.ask(village.chat, village.admin, "/idea Jauns rotaļu laukums pie skolas")
    vid = await village_id(database, village.chat)
    url = opening(tg, board_url, village.resident, f"v{vid}-i1")

    def steps() -> None:
        browser.get(url)
        wait_for_text(browser, "#view h2", "Ideja #1")
        wait_for(browser, 'form[data-action="ideas/1/support"] button').click()
        wait_for_text(browser, 'form[data-action="ideas/1/support"] button', "(1)")
        assert console_errors(browser) == []

    await asyncio.to_thread(steps)
    await tg.settle(quiet=0.4)
    assert "👍 1 atbalsts" in tg.message(village.chat.id, card["message_id"])["text"]


async def test_a_leader_changes_a_status_and_the_group_hears_of_it(
    tg: BotApiEmulator,
    village: Village,
    database: Database,
    board_url: str,
    browser: webdriver.Chrome,
) -> None:
    card = await tg.ask(village.chat, village.resident, "/idea Jauns rotaļu laukums pie skolas")
    vid = await village_id(database, village.chat)
    url = opening(tg, board_url, village.admin, f"v{vid}-i1")
    cursor = tg.mark()

    def steps() -> None:
        browser.get(url)
        wait_for_text(browser, "#view h2", "Ideja #1")
        Select(wait_for(browser, "#idea-status")).select_by_value("accepted")
        wait_for(browser, 'form[data-action="ideas/1/status"] button').click()
        wait_for_text(browser, "#view", "Pieņemta")
        assert console_errors(browser) == []

    await asyncio.to_thread(steps)
    announced = await tg.next_message(village.chat, after=cursor)
    assert "#1" in announced["text"]
    await tg.settle(quiet=0.4)
    assert "Pieņemta" in tg.message(village.chat.id, card["message_id"])["text"]


async def test_a_resident_votes_in_the_budget_with_a_running_total(
    tg: BotApiEmulator,
    village: Village,
    database: Database,
    board_url: str,
    browser: webdriver.Chrome,
) -> None:
    await _accepted_ideas(tg, village)  # #1 3,000 €, #2 2,000 €, #3 1,500 €
    await tg.ask(village.chat, village.admin, "/budget 5000 1h Budžets 2027")
    await tg.ask(village.chat, village.admin, "/budget start")
    vid = await village_id(database, village.chat)
    url = opening(tg, board_url, village.resident, f"v{vid}")
    total = "output[data-running-total]"

    def tick(number: int) -> None:
        wait_for(browser, f'input[name="idea"][value="{number}"]').click()

    def steps() -> None:
        browser.get(url)
        wait_for(browser, "#view .cards")
        wait_for(browser, '.tabs a[data-go="budget"]').click()
        wait_for_text(browser, "#view h2", "Līdzdalības budžets „Budžets 2027”")
        wait_for_text(browser, total, "Vēl nekas nav izvēlēts.")
        tick(1)
        wait_for_text(browser, total, "✅ Izvēlēts: 3 000 € no 5 000 €; atlikums 2 000 €.")
        tick(2)
        wait_for_text(browser, total, "✅ Izvēlēts: 5 000 € no 5 000 €; atlikums 0 €.")
        tick(3)
        wait_for_text(browser, total, "Jūsu izvēlētās idejas kopā maksā 6 500 €, vairāk nekā")
        assert "over" in browser.find_element("css selector", total).get_attribute("class")
        tick(2)
        wait_for_text(browser, total, "✅ Izvēlēts: 4 500 € no 5 000 €; atlikums 500 €.")
        wait_for(browser, 'form[data-action="budget/vote"] button[type="submit"]').click()
        wait_for_text(browser, "#notice", "Jūsu balsojums ir saglabāts: idejas #1, #3 (4 500 €).")
        wait_for_text(browser, "#view .budget-ballot", "Jūsu balsojums ir saglabāts")
        ticked = browser.find_elements("css selector", 'input[name="idea"]:checked')
        assert [box.get_attribute("value") for box in ticked] == ["1", "3"]
        assert browser.find_element("css selector", total).text == (
            "✅ Izvēlēts: 4 500 € no 5 000 €; atlikums 500 €."
        )
        assert console_errors(browser) == []

    await asyncio.to_thread(steps)


async def test_the_public_village_page_is_accessible(
    tg: BotApiEmulator,
    village: Village,
    database: Database,
    board_url: str,
    browser: webdriver.Chrome,
) -> None:
    await _content(tg, village)
    await tg.ask(village.chat, village.admin, "/vision Dzīvs ciems, kur gribas palikt")
    await tg.ask(village.chat, village.admin, "/settings public on")
    vid = await village_id(database, village.chat)

    def steps() -> None:
        browser.get(f"{board_url}/v/{vid}")
        wait_for_text(browser, "h1", "Lejasciems")
        assert "Jānis" not in browser.page_source
        assert_accessible(browser)
        assert console_errors(browser) == []

    await asyncio.to_thread(steps)
