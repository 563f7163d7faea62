"""Flood control: the Bot API answers 429 "retry after 1" to every fifth message the bot sends
or edits. Every message is still delivered exactly once, and in each chat in the order of the
updates that asked for them; live cards still end up showing the true counts."""

from __future__ import annotations

import itertools
import re

import pytest

from bot.testing import ApiError, BotApiEmulator, Params, buttons
from bot.wire.ratelimit import counted
from tests.conftest import Village

pytestmark = pytest.mark.faults

IDEAS = (
    "Jauns rotaļu laukums pie skolas",
    "Apgaismojums gar upes taku",
    "Velosipēdu novietne pie veikala",
    "Soliņi parkā pie baznīcas",
    "Vasaras koncerts kultūras namā",
    "Nojume autobusa pieturā",
)
ROUNDS = len(IDEAS)


class EveryFifth:
    """429 to every fifth message request (sends and edits), whichever chat it is for."""

    def __init__(self) -> None:
        self.seen = itertools.count(1)
        self.refused = 0

    def __call__(self, method: str, _params: Params) -> ApiError | None:
        if not counted(method) or next(self.seen) % 5:
            return None
        self.refused += 1
        return ApiError(429, "Too Many Requests: retry after 1", {"retry_after": 1})


async def test_every_message_is_delivered_once_and_in_order(
    tg: BotApiEmulator, village: Village
) -> None:
    neighbour = tg.user("Ilze")
    await tg.join(village.chat, neighbour)
    await tg.settle(quiet=0.2)
    flood = EveryFifth()
    tg.faults.append(flood)
    cursor = tg.mark()
    authors = (village.resident, neighbour)
    for n in range(ROUNDS):
        author = authors[n % 2]
        await tg.send(village.chat, author, f"/idea {IDEAS[n]}")
        await tg.private(author, f"/strength Stiprā puse numur {n}")
    await tg.settle(quiet=1.5, timeout=60)

    sent = [c for c in tg.calls[cursor:] if c.method == "sendMessage"]
    delivered = [c for c in sent if c.ok]
    assert flood.refused >= 2
    assert len(sent) - len(delivered) == len([c for c in sent if not c.ok]) > 0

    def texts(chat_id: int) -> list[str]:
        return [str(c.result["text"]) for c in delivered if c.params["chat_id"] == str(chat_id)]

    # The group: one card per idea, in the order the ideas were sent.
    cards = texts(village.chat.id)
    assert len(cards) == ROUNDS
    for idea, card in zip(IDEAS, cards, strict=True):
        assert card.startswith("💡")
        assert idea in card
    # Each author's private chat: one confirmation per input, codes in the order sent.
    for k, author in enumerate(authors):
        codes = [re.search(r"S\d+", text) for text in texts(author.id)]
        assert [m.group() if m else None for m in codes] == [
            f"S{n + 1}" for n in range(k, ROUNDS, 2)
        ]

    # Everyone supports every card: answers once each; the cards' edits go through the flood.
    cursor = tg.mark()
    messages = [m for m in tg.bot_messages(village.chat) if m["text"].startswith("💡")]
    for card in messages:
        data = next(b["callback_data"] for b in buttons(card) if b["text"].startswith("👍"))
        for person in (village.admin, village.resident, neighbour):
            await tg.press_data(card, data, person)
    await tg.settle(quiet=2.0, timeout=60)
    answers = [c for c in tg.calls[cursor:] if c.ok and c.method == "answerCallbackQuery"]
    assert len(answers) == len({c.params["callback_query_id"] for c in answers}) == 3 * ROUNDS
    for card in messages:
        assert "👍 3 atbalsti" in tg.message(village.chat.id, card["message_id"])["text"]
