"""Live cards: messages that show counts (supports, RSVPs, applause) and are edited as they change.

Many presses in a short time must not become many edits (Telegram limits edits like messages),
yet the card must end up showing the true state. `CardRefresher.refresh` coalesces: per card,
at most one edit per `interval`, and the content is rendered from the database when the edit
is made, so the last edit always shows the latest state.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from telegram import Bot, InlineKeyboardMarkup
from telegram.error import BadRequest, TelegramError

from bot.wire import lean_calls

log = logging.getLogger(__name__)

# What a card shows now; None when the card should no longer be edited (e.g. item deleted).
CardContent = tuple[str, InlineKeyboardMarkup | None] | None
Render = Callable[[], Awaitable[CardContent]]
CardKey = tuple[int, int]  # (chat id, message id)


@dataclass
class _Card:
    render: Render
    dirty: bool = True
    last_edit: float = float("-inf")
    task: asyncio.Task[None] | None = field(default=None, repr=False)


class CardRefresher:
    def __init__(self, interval: float = 3.0) -> None:
        self.interval = interval
        self._cards: dict[CardKey, _Card] = {}
        self.edits = 0  # how many edits were sent, for tests and benchmarks

    def refresh(self, bot: Bot, chat_id: int, message_id: int, render: Render) -> None:
        """Ask for the card to show the latest state soon; cheap to call on every change."""
        key = (chat_id, message_id)
        card = self._cards.get(key)
        if card is None:
            card = self._cards[key] = _Card(render)
        card.render = render
        card.dirty = True
        if card.task is None or card.task.done():
            card.task = asyncio.create_task(self._run(bot, key, card), name=f"card:{key}")

    async def _run(self, bot: Bot, key: CardKey, card: _Card) -> None:
        loop = asyncio.get_running_loop()
        while card.dirty:
            wait = card.last_edit + self.interval - loop.time()
            if wait > 0:
                await asyncio.sleep(wait)
            card.dirty = False
            try:
                content = await card.render()
                if content is not None:
                    text, markup = content
                    await lean_calls.edit_text(bot, key[0], key[1], text, markup)
                    self.edits += 1
            except BadRequest as exc:
                if "not modified" not in str(exc):
                    log.warning("could not update card %s: %s", key, exc)
            except TelegramError as exc:
                log.warning("could not update card %s: %s", key, exc)
            except Exception:
                log.exception("rendering card %s failed", key)
            card.last_edit = loop.time()
        # Keep the card's last edit time for one interval, so a press right after is coalesced.
        loop.call_later(self.interval, self._forget, key, card)

    def _forget(self, key: CardKey, card: _Card) -> None:
        if self._cards.get(key) is card and not card.dirty:
            del self._cards[key]

    async def drain(self) -> None:
        """Finish pending edits (at shutdown, and in tests)."""
        while tasks := [c.task for c in self._cards.values() if c.task and not c.task.done()]:
            await asyncio.gather(*tasks, return_exceptions=True)
