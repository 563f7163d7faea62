"""One resident writing a lot to the bot in private must not hold up another village. With
Telegram's flood limits (the bot at its production settings, the emulator enforcing them), the
noisy resident's private chat gets an answer a second; a /help in another village's group must
be answered at once all the same, not after his backlog."""

from __future__ import annotations

import time
from typing import Any

import pytest

from bot.runtime import BotApplication
from bot.testing import BotApiEmulator, Params
from bot.testing.flood import FloodLimits
from tests.conftest import Village

NOISY_MESSAGES = 15
ANSWERED_WITHIN = 1.0  # seconds, from the /help to its answer reaching the emulator


@pytest.fixture
def bot_env() -> dict[str, str]:
    """Production flood limits (the tests' default is unlimited)."""
    return {
        "VILLAGEBOT_MESSAGES_PER_SECOND": "30",
        "VILLAGEBOT_GROUP_MESSAGES_PER_MINUTE": "20",
        "VILLAGEBOT_CHAT_MESSAGES_PER_SECOND": "1",
    }


def record_fetched(tg: BotApiEmulator, monkeypatch: pytest.MonkeyPatch) -> set[int]:
    """The ids of the updates the bot has fetched (getUpdates answered them), from now on."""
    fetched: set[int] = set()
    original = tg.api_getupdates

    async def recording(params: Params) -> list[dict[str, Any]]:
        updates = await original(params)
        fetched.update(update["update_id"] for update in updates)
        await tg.notify()
        return updates

    monkeypatch.setattr(tg, "api_getupdates", recording)
    return fetched


async def test_a_noisy_resident_does_not_hold_up_another_village(
    tg: BotApiEmulator, bot: BotApplication, village: Village, monkeypatch: pytest.MonkeyPatch
) -> None:
    tg.flood = FloodLimits()
    # From the next getUpdates on (the one waiting now answers with the new group's updates).
    fetched = record_fetched(tg, monkeypatch)
    leader = tg.user("Pēteris", language_code="lv")
    noisy = tg.user("Kārlis", language_code="lv")
    neighbours = tg.group("Augšciems", admins=[leader], members=[noisy])
    cursor = tg.mark()
    await tg.add_bot(neighbours, by=leader)
    await tg.next_message(neighbours, after=cursor)
    await tg.settle()

    for n in range(NOISY_MESSAGES):
        await tg.private(noisy, f"Sveiki, vai dzirdi mani? {n}")
    last = tg.history[-1]["update_id"]
    # Once the bot has his last message, it owes him answers for a dozen seconds; the /help
    # comes after it, in a later getUpdates.
    await tg.wait_until(lambda: True if last in fetched else None, 10)
    assert last in fetched

    asked_from = tg.mark()
    await tg.send(village.chat, village.resident, "/help")
    asked = time.monotonic()
    answer = await tg.wait_for(
        lambda c: (
            c.ok and c.method == "sendMessage" and c.params.get("chat_id") == str(village.chat.id)
        ),
        after=asked_from,
        timeout=NOISY_MESSAGES + 10,
    )
    assert answer.params["text"].startswith("Es palīdzu")
    assert answer.at - asked <= ANSWERED_WITHIN
