"""The outbox sender against the emulator: lanes in order and side by side, rows left by a
stopped or killed process sent by the next one, and Telegram's refusals settled in one place."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from sqlalchemy import select
from telegram import Bot
from telegram.ext import ExtBot

from bot.db import Database
from bot.models import Idea, OutboxMessage, Poll, User, utcnow
from bot.services import communities, ideas, outbox, placed, polls
from bot.testing import ApiError, BotApiEmulator, Params
from bot.testing.world import MEMBER
from bot.wire import messages
from bot.wire import outbox as sender_module
from bot.wire.messages import Drawn
from bot.wire.outbox import Sender
from bot.wire.ratelimit import FloodLimiter


@pytest.fixture
async def bot(tg: BotApiEmulator, api_url: str) -> AsyncIterator[Bot]:
    async with Bot(tg.token, base_url=f"{api_url}/bot") as bot:
        yield bot


@pytest.fixture
async def sender(bot: Bot, db: Database) -> AsyncIterator[Sender]:
    sender = Sender(bot, db, poll_seconds=0.05)
    await sender.start()
    yield sender
    await sender.stop(grace=1.0)


def _text(chat_id: int, text: str, **kwargs: object) -> outbox.Message:
    return outbox.Message(chat_id, "sendMessage", {"text": text}, **kwargs)  # type: ignore[arg-type]


async def _put(db: Database, *messages: outbox.Message) -> None:
    async with db.transaction() as session:
        await outbox.put(session, messages)


def _sent(tg: BotApiEmulator, chat_id: int) -> list[str]:
    return [
        c.params["text"]
        for c in tg.calls
        if c.ok and c.method == "sendMessage" and str(c.params["chat_id"]) == str(chat_id)
    ]


async def _waiting(db: Database) -> int:
    async with db.transaction() as session:
        return await outbox.waiting(session)


async def test_a_slow_chat_keeps_its_order_and_holds_up_no_other(
    tg: BotApiEmulator, db: Database, sender: Sender
) -> None:
    slow, quick = tg.user("Ilze"), tg.user("Pēteris")
    for person in (slow, quick):
        person.started = True

    async def slow_answers(method: str, params: Params) -> None:
        if method == "sendMessage" and params.integer("chat_id") == slow.id:
            await asyncio.sleep(1.5)

    tg.faults.append(slow_answers)
    await _put(db, *(_text(slow.id, f"s{n}") for n in range(3)), _text(quick.id, "q0"))
    await _put(db, _text(quick.id, "q1"))
    sender.wake()
    await tg.wait_for(lambda c: c.params.get("text") == "q1", timeout=1.2)
    assert _sent(tg, slow.id) == []  # its first answer is still on its way
    await sender.drain()
    assert _sent(tg, slow.id) == ["s0", "s1", "s2"]
    assert _sent(tg, quick.id) == ["q0", "q1"]
    assert await _waiting(db) == 0


async def test_rows_left_by_a_process_are_sent_by_the_next_one_once(
    tg: BotApiEmulator, bot: Bot, db: Database
) -> None:
    """A process died with one call on its way (claimed) and another waiting: on SQLite, one
    process serves the database, so the next start settles the claim at once. The message on
    its way may have reached Telegram: it is not sent again; the waiting one is sent."""
    person = tg.user("Ilze")
    person.started = True
    await _put(db, _text(person.id, "in flight"), _text(person.id, "waiting"))
    async with db.transaction() as session:
        await outbox.claim(session, "killed", 10, utcnow())
    sender = Sender(bot, db, poll_seconds=0.05)
    await sender.start()
    try:
        await sender.drain()
    finally:
        await sender.stop()
    assert _sent(tg, person.id) == ["waiting"]
    assert await _waiting(db) == 0


async def test_a_stopped_sender_leaves_waiting_rows_for_the_next_start(
    tg: BotApiEmulator, bot: Bot, db: Database
) -> None:
    person = tg.user("Ilze")
    person.started = True
    gate = asyncio.Event()

    async def held(method: str, _params: Params) -> None:
        if method == "sendMessage":
            await gate.wait()

    tg.faults.append(held)
    await _put(db, _text(person.id, "first"), _text(person.id, "second"))
    first = Sender(bot, db, poll_seconds=0.05)
    await first.start()
    await asyncio.sleep(0.2)
    await first.stop(grace=0.1)  # "first" was on its way: cancelled, and given up
    gate.set()
    assert await _waiting(db) == 1
    second = Sender(bot, db, poll_seconds=0.05)
    await second.start()
    try:
        await second.drain()
    finally:
        await second.stop()
    assert _sent(tg, person.id) == ["second"]


async def test_a_group_that_became_a_supergroup_takes_its_lane_along(
    tg: BotApiEmulator, db: Database, sender: Sender
) -> None:
    group = tg.group("Ozoli")
    group.members[tg.bot.id] = MEMBER
    supergroup = tg.group("Ozoli")
    supergroup.members[tg.bot.id] = MEMBER
    async with db.transaction() as session:
        await communities.ensure(session, group.id, "Ozoli", _defaults())

    def moved(method: str, params: Params) -> ApiError | None:
        if method == "sendMessage" and params.integer("chat_id") == group.id:
            return ApiError(
                400,
                "Bad Request: group chat was upgraded to a supergroup chat",
                {"migrate_to_chat_id": supergroup.id},
            )
        return None

    tg.faults.append(moved)
    await _put(db, _text(group.id, "one"), _text(group.id, "two"))
    sender.wake()
    await sender.drain()
    assert _sent(tg, supergroup.id) == ["one", "two"]
    async with db.transaction() as session:
        assert await communities.by_chat(session, supergroup.id) is not None


async def test_a_person_who_blocked_the_bot_is_remembered_and_the_row_dropped(
    tg: BotApiEmulator, db: Database, sender: Sender
) -> None:
    person = tg.user("Ilze")
    async with db.transaction() as session:
        user = User(telegram_id=person.id, first_name="Ilze", started_bot=True)
        session.add(user)
    await _put(db, _text(person.id, "hello"))  # the emulator: never started, so refused
    sender.wake()
    await sender.drain()
    assert await _waiting(db) == 0
    async with db.transaction() as session:
        stored = await session.get(User, user.id)
        assert stored is not None
        assert not stored.started_bot


async def test_a_network_failure_sends_the_row_again_in_its_place(
    tg: BotApiEmulator, db: Database, sender: Sender, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sender_module, "FIRST_PAUSE", 0.05)
    person = tg.user("Ilze")
    person.started = True
    failures = iter([ApiError(502, "Bad Gateway")] * 2)

    def flaky(method: str, _params: Params) -> ApiError | None:
        return next(failures, None) if method == "sendMessage" else None

    tg.faults.append(flaky)
    await _put(db, _text(person.id, "first"), _text(person.id, "second"))
    sender.wake()
    await sender.drain()
    assert _sent(tg, person.id) == ["first", "second"]


async def test_a_posted_card_is_recorded_where_it_went(
    tg: BotApiEmulator, db: Database, sender: Sender
) -> None:
    group = tg.group("Ozoli")
    group.members[tg.bot.id] = MEMBER
    async with db.transaction() as session:
        joined = await communities.ensure(session, group.id, "Ozoli", _defaults())
        author = User(telegram_id=tg.user("Ilze").id, first_name="Ilze")
        session.add(author)
        await session.flush()
        idea = await ideas.submit(session, joined.community, author, "Soliņi pie ezera")
        idea_id = idea.id
    await _put(db, _text(group.id, "💡 card", after_send=placed.idea_card(idea_id)))
    sender.wake()
    await sender.drain()
    (card,) = tg.bot_messages(group)
    async with db.transaction() as session:
        stored = await session.get(Idea, idea_id)
        assert stored is not None
        assert (stored.card_chat_id, stored.card_message_id) == (group.id, card["message_id"])


def _defaults() -> communities.CommunityDefaults:
    return communities.CommunityDefaults("lv", "Europe/Riga")


async def test_a_row_waiting_for_its_chats_limit_is_not_claimed(
    tg: BotApiEmulator, api_url: str, db: Database
) -> None:
    """A row is claimed only when its call can leave, so a crash while a chat waits for its
    flood window drops nothing: what was not on its way stays in the outbox."""
    person = tg.user("Ilze")
    person.started = True
    limiter = FloodLimiter(chat_per_second=1)
    async with ExtBot(tg.token, base_url=f"{api_url}/bot", rate_limiter=limiter) as bot:
        sender = Sender(bot, db, poll_seconds=0.05)
        await sender.start()
        try:
            await _put(db, _text(person.id, "first"), _text(person.id, "second"))
            sender.wake()
            await tg.wait_for(lambda c: c.params.get("text") == "first")
            await asyncio.sleep(0.3)  # "second" waits for the chat's one-second window
            async with db.transaction() as session:
                claims = list(await session.scalars(select(OutboxMessage.claimed_by)))
            assert claims == [None]
            await sender.drain()
        finally:
            await sender.stop()
    assert _sent(tg, person.id) == ["first", "second"]


async def test_a_message_past_its_time_is_dropped_and_the_lane_goes_on(
    tg: BotApiEmulator, db: Database, sender: Sender
) -> None:
    person = tg.user("Ilze")
    person.started = True
    late = utcnow() - timedelta(seconds=1)
    await _put(db, _text(person.id, "reminder", send_by=late), _text(person.id, "answer"))
    sender.wake()
    await sender.drain()
    assert _sent(tg, person.id) == ["answer"]


async def test_a_live_senders_claims_are_left_to_it(
    tg: BotApiEmulator, bot: Bot, db: Database
) -> None:
    """Workers on one PostgreSQL: a sender holds a lock for as long as its process lives, so
    another sender starting meanwhile leaves its claims alone (a gone one's are settled at
    once: test_rows_left_by_a_process_are_sent_by_the_next_one_once)."""
    if db.engine.dialect.name == "sqlite":
        pytest.skip("SQLite serves one process")
    person = tg.user("Ilze")
    person.started = True
    gate, reached = asyncio.Event(), asyncio.Event()

    async def held(method: str, _params: Params) -> None:
        if method == "sendMessage":
            reached.set()
            await gate.wait()

    tg.faults.append(held)
    await _put(db, _text(person.id, "on its way"), _text(person.id, "next"))
    first = Sender(bot, db, poll_seconds=0.05)
    await first.start()
    await asyncio.wait_for(reached.wait(), 5)
    second = Sender(bot, db, poll_seconds=0.05)
    await second.start()
    try:
        async with db.transaction() as session:
            claims = list(
                await session.scalars(select(OutboxMessage.claimed_by).order_by(OutboxMessage.id))
            )
        assert claims == [first.worker, None]
        gate.set()
        await second.drain()
    finally:
        await first.stop()
        await second.stop()
    assert _sent(tg, person.id) == ["on its way", "next"]


async def _stored_poll(db: Database, chat_id: int) -> int:
    async with db.transaction() as session:
        joined = await communities.ensure(session, chat_id, "Ozoli", _defaults())
        poll = await polls.create(session, joined.community, None, "Talka?", ["Jā", "Nē"])
        return poll.id


async def test_a_refused_call_is_recorded_and_the_record_may_send(
    tg: BotApiEmulator, db: Database, sender: Sender
) -> None:
    """`on_refused` is recorded with the refusal, before the lane goes on: a poll Telegram
    will not post (the bot is not in the group) is dropped and its leader told."""
    group, leader = tg.group("Ozoli"), tg.user("Ilze")
    leader.started = True
    poll_id = await _stored_poll(db, group.id)
    sender.views[placed.POLL_NOTICE] = _echo
    asker = (leader.id, "lv")
    poll = messages.send_poll(
        group.id,
        "Talka?",
        ["Jā", "Nē"],
        anonymous=True,
        multiple=False,
        after_send=placed.poll_posted(poll_id, asker),
        on_refused=placed.poll_refused(poll_id, asker),
    )
    await _put(db, poll)
    sender.wake()
    await sender.drain()
    assert _sent(tg, leader.id) == [f"drawn {placed.NOT_POSTED}:{poll_id}:lv"]
    async with db.transaction() as session:
        assert await session.get(Poll, poll_id) is None


async def _echo(argument: str) -> Drawn:
    return Drawn.text(f"drawn {argument}")


async def test_a_drawn_call_quotes_what_was_recorded_just_before_in_its_lane(
    tg: BotApiEmulator, db: Database, sender: Sender
) -> None:
    """A view may draw the whole call when it is sent (a file built then, quoting the message
    the previous row of its lane posted: its record is written before the row is taken)."""
    group = tg.group("Ozoli")
    group.members[tg.bot.id] = MEMBER
    poll_id = await _stored_poll(db, group.id)

    async def chart(argument: str) -> Drawn | None:
        async with db.transaction() as session:
            stored = await session.get(Poll, int(argument))
        assert stored is not None
        assert stored.message_id is not None
        return Drawn.upload("photo", "chart.png", PNG, reply_to=stored.message_id)

    sender.views["chart"] = chart
    posted = placed.poll_posted(poll_id)
    await _put(
        db,
        messages.send_poll(
            group.id, "Talka?", ["Jā", "Nē"], anonymous=True, multiple=False, after_send=posted
        ),
        messages.draw(group.id, f"chart:{poll_id}", "sendPhoto"),
    )
    sender.wake()
    await sender.drain()
    poll_message, photo = tg.bot_messages(group)
    assert "poll" in poll_message
    assert photo["reply_to_message"]["message_id"] == poll_message["message_id"]
    async with db.transaction() as session:
        stored = await session.get(Poll, poll_id)
        assert stored is not None
        assert stored.telegram_poll_id == poll_message["poll"]["id"]


PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f"
    b"\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7V\xbd\xfa\x00\x00"
    b"\x00\x00IEND\xaeB`\x82"
)


async def test_a_record_that_fails_finishes_its_row_and_the_lane_goes_on(
    tg: BotApiEmulator, db: Database, sender: Sender
) -> None:
    person = tg.user("Ilze")
    person.started = True
    # A text message is no poll: recording it as a posted poll fails.
    await _put(
        db, _text(person.id, "one", after_send=placed.poll_posted(1)), _text(person.id, "two")
    )
    sender.wake()
    await sender.drain(timeout=3)
    assert _sent(tg, person.id) == ["one", "two"]
    assert await _waiting(db) == 0


async def test_a_card_edited_a_moment_ago_waits_and_its_changes_become_one_edit(
    tg: BotApiEmulator, bot: Bot, db: Database
) -> None:
    """Presses in quick succession: the first redraw goes at once, the next ones wait for the
    card's interval and go as one edit, drawn then; the chat's other messages do not wait."""
    group = tg.group("Ozoli")
    group.members[tg.bot.id] = MEMBER
    supports = iter(range(1, 100))
    sender = Sender(bot, db, poll_seconds=0.05, card_edit_seconds=2.0)
    sender.views["card"] = lambda _argument: _drawn(f"👍 {next(supports)}")
    await sender.start()
    try:
        await sender.put(messages.post(group.id, "card"))
        await sender.drain()
        (card,) = tg.bot_messages(group)
        cursor = tg.mark()
        for press in range(4):
            async with db.transaction() as session:
                letters = sender.pace([messages.refresh(group.id, card["message_id"], "card:1")])
                await outbox.put(session, letters)
            sender.wake()
            if press == 0:  # the first redraw goes at once
                await sender.drain()
        await sender.put(messages.post(group.id, "an answer"))
        await sender.drain()
    finally:
        await sender.stop()
    calls = [(c.method, c.params.get("text")) for c in tg.calls[cursor:] if c.ok]
    assert calls == [
        ("editMessageText", "👍 1"),
        ("sendMessage", "an answer"),
        ("editMessageText", "👍 2"),
    ]


async def _drawn(text: str) -> tuple[str, None]:
    return text, None


async def test_a_row_claimed_as_it_was_written_goes_once_and_its_lane_follows_in_order(
    tg: BotApiEmulator, db: Database, sender: Sender
) -> None:
    """An update's reply is claimed in its own transaction and taken after the commit: sent
    once, without a claim of the sender's, and what its chat writes next goes after it."""
    person = tg.user("Ilze")
    person.started = True
    gate = asyncio.Event()

    async def held(method: str, params: Params) -> None:
        if method == "sendMessage" and params.text("text") == "first":
            await gate.wait()

    tg.faults.append(held)
    async with db.transaction() as session:
        taken = await sender.write(session, [_text(person.id, "first")], person.id)
    assert [row.params["text"] for row in taken] == ["first"]
    sender.take(taken)
    async with db.transaction() as session:
        assert await sender.write(session, [_text(person.id, "second")], person.id) == []
    sender.wake()
    await asyncio.sleep(0.2)
    assert _sent(tg, person.id) == []  # "second" waits for "first", on its way
    gate.set()
    await sender.drain()
    assert _sent(tg, person.id) == ["first", "second"]
    assert [c.method for c in tg.calls].count("sendMessage") == 2
