"""A region served by two `villagebot run --webhook` workers on one PostgreSQL database, behind
a round-robin load balancer (tests/e2e/balancer.py, standing in for nginx).

The emulator delivers updates as Telegram does: several chats' at once, each chat's one at a
time. Three villages post ideas and support them, vote in a poll and ask for help in private;
meanwhile the poll's reminder and its deadline come, and both workers have those jobs. Every
update is applied once and in its chat's order, every answer is sent once, and the scheduled
messages go out once.
"""

from __future__ import annotations

import itertools
import signal
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.db import Database
from bot.models import Community, Idea, IdeaSupport, ProcessedUpdate
from bot.testing import ApiCall, BotApiEmulator, FakeChat, FakeUser
from tests import postgres
from tests.e2e.balancer import Balancer, balancing
from tests.e2e.process import BotProcess, villagebot
from tests.e2e.test_webhook import SECRET, idea_text
from tests.wire.test_webhook import free_ports

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.postgres,
    pytest.mark.skipif(postgres.server_url() is None, reason=f"{postgres.ENV} is not set"),
]

IDEAS_EACH = 2


@dataclass
class Village:
    chat: FakeChat
    leader: FakeUser
    residents: list[FakeUser]

    @property
    def people(self) -> list[FakeUser]:
        return [self.leader, *self.residents]


def replies_to(tg: BotApiEmulator, message: dict[str, Any]) -> list[ApiCall]:
    """The bot's messages that quote `message` (its answers to it)."""
    chat_id, message_id = message["chat"]["id"], message["message_id"]
    return [
        call
        for call in tg.calls
        if call.ok
        and call.method == "sendMessage"
        and call.result["chat"]["id"] == chat_id
        and (call.result.get("reply_to_message") or {}).get("message_id") == message_id
    ]


def texts_starting(tg: BotApiEmulator, chat_id: int, prefix: str) -> list[str]:
    return [
        call.result["text"]
        for call in tg.calls
        if call.ok
        and call.method == "sendMessage"
        and call.result["chat"]["id"] == chat_id
        and call.result.get("text", "").startswith(prefix)
    ]


async def test_two_workers_share_one_postgresql(
    tg: BotApiEmulator, api_url: str, tmp_path: Path
) -> None:
    server = postgres.server_url()
    assert server is not None
    names = ("Lejasciems", "Kalnamuiža", "Upesgrīva")
    villages = []
    for number, title in enumerate(names):
        leader = tg.user(f"Leader {number}", language_code="en")
        residents = [tg.user(f"Resident {number}.{i}", language_code="en") for i in range(3)]
        villages.append(
            Village(tg.group(title, admins=[leader], members=residents), leader, residents)
        )
    ports = free_ports(2)
    upstreams = [f"http://127.0.0.1:{port}/villagebot" for port in ports]

    async with (
        postgres.fresh_database(server) as database_url,
        balancing(upstreams) as (balancer, url),
    ):

        def worker(index: int) -> Any:
            args = ("run", "--webhook", url, "--listen", "127.0.0.1", "--port", str(ports[index]))
            extra = {"TELEGRAM_WEBHOOK_SECRET": SECRET, "VILLAGEBOT_LANGUAGE": "en"}
            return villagebot(tg, api_url, tmp_path, database_url, *args, extra=extra)

        async with worker(0) as first:
            await tg.wait_for(lambda c: c.method == "setWebhook" and c.ok, timeout=60)
            for village in villages:
                cursor = tg.mark()
                await tg.add_bot(village.chat, by=village.leader)
                await tg.next_message(village.chat, after=cursor)
            # A public poll in the first village: its reminder is due in 30 s, its deadline in 60.
            # Its residents are known members who started the bot: those who do not vote will
            # be reminded privately.
            lejasciems = villages[0]
            for resident in lejasciems.residents:
                await tg.ask(lejasciems.chat, resident, "/help")
                await tg.ask(resident, resident, "/start")
            cursor = tg.mark()
            await tg.send(
                lejasciems.chat,
                lejasciems.leader,
                "/poll 1m public When shall we clean up? | Saturday | Sunday",
            )
            poll = (
                await tg.wait_for(lambda c: c.method == "sendPoll" and c.ok, after=cursor)
            ).result

            # The second worker starts now and plans the poll's jobs from the database: both
            # workers will run them.
            second_start = tg.mark()
            async with worker(1) as second:
                await tg.wait_for(
                    lambda c: c.method == "setWebhook" and c.ok, after=second_start, timeout=60
                )
                sent = await run_the_region(tg, villages, poll)
                # The deadline: the results and their chart.
                await tg.wait_for(
                    lambda c: c.ok and c.method == "sendPhoto", after=second_start, timeout=75
                )
                await tg.wait_until(lambda: True if tg.pending_updates == 0 else None, 30)
                await tg.settle(quiet=1.0)
                assert await second.stop(signal.SIGTERM) == 0, second.output()
            assert await first.stop(signal.SIGTERM) == 0, first.output()

        check_workers_shared_the_load(balancer, first, second)
        check_answers(tg, sent)
        check_scheduled_messages(tg, lejasciems, poll)
        await check_database(tg, database_url, sent)


@dataclass
class Sent:
    ideas: dict[int, list[dict[str, Any]]] = field(default_factory=dict)  # chat id -> messages
    commands: list[dict[str, Any]] = field(default_factory=list)
    presses: list[str] = field(default_factory=list)


async def run_the_region(tg: BotApiEmulator, villages: list[Village], poll: dict[str, Any]) -> Sent:
    """Everyone at once (the emulator queues it all; it reaches the workers as Telegram would
    send it): `/start` and `/help` in private, ideas in the groups, votes, then supports."""
    sent = Sent()
    texts = (idea_text(n) for n in itertools.count())
    for village in villages:
        sent.ideas[village.chat.id] = []
    for village in villages:
        for person in village.people:
            sent.commands.append(await tg.private(person, "/start"))
    lejasciems = villages[0]
    await tg.vote(poll, lejasciems.leader, [0])
    await tg.vote(poll, lejasciems.residents[0], [1])
    for _ in range(IDEAS_EACH):
        for village in villages:
            for person in village.people:
                message = await tg.send(village.chat, person, f"/idea {next(texts)}")
                sent.ideas[village.chat.id].append(message)
    for village in villages:
        for person in village.people:
            sent.commands.append(await tg.private(person, "/help"))
        sent.commands.append(await tg.send(village.chat, village.leader, "/ideas"))

    all_ideas = [m for messages in sent.ideas.values() for m in messages]

    def cards() -> list[dict[str, Any]] | None:
        found = [replies_to(tg, message) for message in all_ideas]
        return [calls[0].result for calls in found] if all(found) else None

    posted = await tg.wait_until(cards, 45)
    assert posted is not None, "not every idea got its card"
    by_message = {id(message): card for message, card in zip(all_ideas, posted, strict=True)}
    for village in villages:
        for message in sent.ideas[village.chat.id]:
            card = by_message[id(message)]
            for person in village.people:
                if person.id != message["from"]["id"]:
                    sent.presses.append(await tg.press(card, "👍", person))
    return sent


def check_workers_shared_the_load(balancer: Balancer, *workers: BotProcess) -> None:
    assert min(balancer.served.values()) > 40, balancer.served
    for worker in workers:
        output = worker.output()
        assert "Traceback" not in output, output
        assert output.count(" handled") > 40


def check_answers(tg: BotApiEmulator, sent: Sent) -> None:
    """Each idea got one card, each command one answer, each press one answer."""
    for messages in sent.ideas.values():
        for message in messages:
            cards = replies_to(tg, message)
            assert len(cards) == 1, [c.result["text"] for c in cards]
            assert cards[0].result["text"].startswith("💡 Idea #")
    for message in sent.commands:
        assert len(replies_to(tg, message)) == 1, message["text"]
    answered = Counter(
        str(call.params.get("callback_query_id"))
        for call in tg.calls
        if call.method == "answerCallbackQuery"
    )
    assert {query: answered[query] for query in sent.presses} == dict.fromkeys(sent.presses, 1)
    # Each worker keeps a card up to date from its own updates: when both redraw a card to the
    # same state, Telegram refuses the second edit as "not modified"; nothing else fails.
    failed = [
        (c.method, c.error)
        for c in tg.calls
        if not c.ok and not (c.method == "editMessageText" and "not modified" in str(c.error))
    ]
    assert failed == []


def check_scheduled_messages(tg: BotApiEmulator, village: Village, poll: dict[str, Any]) -> None:
    """The poll's reminder (in the group, and privately to each member who has not voted) and
    its results went out once, though both workers ran both jobs."""
    assert len(texts_starting(tg, village.chat.id, "⏰")) == 1
    voters = {village.leader.id, village.residents[0].id}
    for person in village.people:
        reminded = len(texts_starting(tg, person.id, "⏰"))
        assert reminded == (0 if person.id in voters else 1), person.first_name
    assert len(texts_starting(tg, village.chat.id, "📊")) == 1
    charts = [c for c in tg.calls if c.ok and c.method == "sendPhoto"]
    assert len(charts) == 1
    assert tg.message(village.chat.id, poll["message_id"])["poll"]["is_closed"]


async def check_database(tg: BotApiEmulator, database_url: str, sent: Sent) -> None:
    """Every update stored once, every idea and support once, each village's ideas numbered
    in the order they were sent."""
    database = Database(database_url)
    try:
        async with database.transaction() as session:
            processed = list(await session.scalars(select(ProcessedUpdate.update_id)))
            supports = await session.scalar(select(func.count()).select_from(IdeaSupport))
            numbered = {
                chat_id: list(
                    await session.scalars(
                        select(Idea.text)
                        .join(Community, Community.id == Idea.community_id)
                        .where(Community.chat_id == chat_id)
                        .order_by(Idea.number)
                    )
                )
                for chat_id in sent.ideas
            }
    finally:
        await database.dispose()
    assert len(processed) == len(set(processed))
    sent_ids = {u["update_id"] for u in tg.history if "poll" not in u}
    assert sent_ids <= set(processed)
    assert supports == len(sent.presses)
    for chat_id, messages in sent.ideas.items():
        assert numbered[chat_id] == [m["text"].removeprefix("/idea ") for m in messages]
