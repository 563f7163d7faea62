"""Telegram's flood limits, for the emulator to enforce when a test or benchmark switches them on.

Telegram does not publish its algorithm; its advice is about 30 messages per second overall,
20 per minute in a group and 1 per second in a chat, with 429 "Too Many Requests: retry after N"
past them. The emulator reads that strictly: at most N accepted messages in any window of T
seconds, sends and edits alike. `retry_after` is the whole seconds until the oldest message
leaves the full window, at least 1, as Telegram gives it.
"""

from __future__ import annotations

import math
import time
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass, field

from bot.testing.params import ApiError

# The methods that put or change a message in a chat.
COUNTED = frozenset(
    {
        "sendmessage",
        "sendphoto",
        "senddocument",
        "sendpoll",
        "sendmediagroup",
        "sendaudio",
        "sendvideo",
        "sendvoice",
        "sendanimation",
        "sendsticker",
        "sendlocation",
        "copymessage",
        "forwardmessage",
        "editmessagetext",
        "editmessagecaption",
        "editmessagereplymarkup",
        "editmessagemedia",
        "stoppoll",
    }
)


@dataclass
class FloodLimits:
    """Sliding windows: (messages, seconds) overall, per group and per chat."""

    overall: tuple[int, float] = (30, 1.0)
    group: tuple[int, float] = (20, 60.0)
    chat: tuple[int, float] = (1, 1.0)
    clock: Callable[[], float] = time.monotonic
    refused: int = 0  # 429s answered
    _sent: deque[float] = field(default_factory=deque, repr=False)
    _by_chat: dict[int, deque[float]] = field(
        default_factory=lambda: defaultdict(deque), repr=False
    )

    def check(self, method: str, chat_id: int | None) -> None:
        """Raise the 429 Telegram would give for this message now."""
        if method.lower() not in COUNTED or chat_id is None:
            return
        now = self.clock()
        chat = self._by_chat[chat_id]
        waits = [_wait(self._sent, *self.overall, now), _wait(chat, *self.chat, now)]
        if chat_id < 0:
            waits.append(_wait(chat, *self.group, now))
        wait = max(waits)
        if wait > 0:
            self.refused += 1
            seconds = max(1, math.ceil(wait))
            raise ApiError(
                429, f"Too Many Requests: retry after {seconds}", {"retry_after": seconds}
            )

    def sent(self, method: str, chat_id: int | None) -> None:
        """Count a message Telegram accepted."""
        if method.lower() not in COUNTED or chat_id is None:
            return
        now = self.clock()
        chat = self._by_chat[chat_id]
        self._sent.append(now)
        chat.append(now)
        while self._sent and self._sent[0] <= now - self.overall[1]:
            self._sent.popleft()
        keep = max(self.chat[1], self.group[1])
        while chat and chat[0] <= now - keep:
            chat.popleft()


def _wait(sent: deque[float], limit: int, period: float, now: float) -> float:
    """Seconds until the window ending now holds fewer than `limit` messages (0: room now)."""
    inside = [t for t in sent if t > now - period]
    if len(inside) < limit:
        return 0.0
    return inside[-limit] + period - now
