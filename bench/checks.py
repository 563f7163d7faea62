"""Was every update of a run applied once, and every answer sent once? Read from the database and
from the emulator's record of the bot's calls, for benchmarks and fault tests that drive a
region with `bench.traffic`.

Applied once: each update id is stored once (ProcessedUpdate), each idea and SWOT text once,
and each support press counted once (a press supports, the next takes it back, so a press run
twice shows as a wrong parity). Answered once: each reply quotes its update's message once and
each button press is answered once.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from bench.traffic import Sent, _chat, _reply_to
from bot.db import Database
from bot.models import Idea, IdeaSupport, ProcessedUpdate, SwotItem, User
from bot.testing import BotApiEmulator


@dataclass
class Stored:
    """What the database holds after a run."""

    processed: list[int]
    ideas: Counter[str]
    swot: Counter[str]
    supports: set[tuple[int, int]]  # (idea id, supporter's Telegram id)
    support_counts: dict[int, int]  # idea id -> its support count

    @classmethod
    async def read(cls, database_url: str) -> Stored:
        database = Database(database_url)
        try:
            async with database.transaction() as session:
                processed = list(await session.scalars(select(ProcessedUpdate.update_id)))
                ideas = Counter(await session.scalars(select(Idea.text)))
                swot = Counter(await session.scalars(select(SwotItem.text)))
                supports = {
                    (idea_id, telegram_id)
                    for idea_id, telegram_id in await session.execute(
                        select(IdeaSupport.idea_id, User.telegram_id).join(User)
                    )
                    if telegram_id is not None
                }
                counts = {
                    i: n for i, n in await session.execute(select(Idea.id, Idea.support_count))
                }
        finally:
            await database.dispose()
        return cls(processed, ideas, swot, supports, counts)


def update_of(tg: BotApiEmulator, update_id: int) -> dict[str, Any]:
    return next(u for u in tg.history if u["update_id"] == update_id)


def text_of(tg: BotApiEmulator, s: Sent) -> str:
    """The text after the command of an /idea or SWOT update."""
    text = str(update_of(tg, s.update_id)["message"]["text"])
    return text.split(maxsplit=1)[1]


def texts(tg: BotApiEmulator, sent: list[Sent]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {"idea": [], "swot": []}
    for s in sent:
        if s.kind in found:
            found[s.kind].append(text_of(tg, s))
    return found


def cards(tg: BotApiEmulator) -> set[tuple[int | None, int | None]]:
    """(chat, message) of every /idea the bot answered with a card."""
    return {
        (_chat(c), _reply_to(c))
        for c in tg.calls
        if c.ok and c.method == "sendMessage" and str(c.result.get("text", "")).startswith("💡")
    }


def presses(tg: BotApiEmulator, sent: list[Sent]) -> list[tuple[int, int]]:
    """(idea id, presser's Telegram id) of every support press sent."""
    found = []
    for s in sent:
        if s.kind == "support":
            query = update_of(tg, s.update_id)["callback_query"]
            found.append((int(query["data"].split(":")[1]), int(query["from"]["id"])))
    return found


def expected_supports(tg: BotApiEmulator, sent: list[Sent]) -> set[tuple[int, int]]:
    """A press supports, the next takes it back: an odd number of presses supports."""
    return {key for key, n in Counter(presses(tg, sent)).items() if n % 2}


def answer_keys(tg: BotApiEmulator, after: int) -> list[str]:
    """One key per answer the bot sent after the cursor `after`: a press's answer, or a message
    quoting the update's message."""
    keys = []
    for call in tg.calls[after:]:
        if not call.ok:
            continue
        if call.method == "answerCallbackQuery":
            keys.append(f"q:{call.params.get('callback_query_id')}")
        elif call.method == "sendMessage" and _reply_to(call) is not None:
            keys.append(f"m:{_chat(call)}:{_reply_to(call)}")
    return keys


def sent_key(s: Sent) -> str | None:
    """The answer key of an update that gets an answer (None for a poll answer)."""
    if s.query_id is not None:
        return f"q:{s.query_id}"
    if s.chat_id is not None and s.message_id is not None:
        return f"m:{s.chat_id}:{s.message_id}"
    return None


def applied(tg: BotApiEmulator, sent: list[Sent], stored: Stored) -> dict[str, int]:
    """How many of `sent` were applied, and how many anything shows applied twice or wrongly."""
    processed = Counter(stored.processed)
    written = texts(tg, sent)
    pressed = set(presses(tg, sent))
    return {
        "updates": len(sent),
        "applied": sum(1 for s in sent if processed[s.update_id]),
        "stored_twice": sum(1 for n in processed.values() if n > 1),
        "texts_twice": sum(1 for t in written["idea"] if stored.ideas[t] > 1)
        + sum(1 for t in written["swot"] if stored.swot[t] > 1),
        "supports_wrong": len((stored.supports & pressed) ^ expected_supports(tg, sent)),
        "support_counts_wrong": sum(
            1
            for idea_id, count in stored.support_counts.items()
            if count != sum(1 for s in stored.supports if s[0] == idea_id)
        ),
    }


def answered(tg: BotApiEmulator, sent: list[Sent], after: int) -> dict[str, Any]:
    """Of `sent` that get an answer: how many got it once, twice or more, or never (and of
    which kinds those never answered are)."""
    keys = Counter(answer_keys(tg, after))
    wanted = [(s.kind, key) for s in sent if (key := sent_key(s)) is not None]
    return {
        "expecting_an_answer": len(wanted),
        "once": sum(1 for _, k in wanted if keys[k] == 1),
        "twice_or_more": sum(1 for _, k in wanted if keys[k] > 1),
        "never": sum(1 for _, k in wanted if keys[k] == 0),
        "never_by_kind": dict(Counter(kind for kind, k in wanted if keys[k] == 0)),
    }
