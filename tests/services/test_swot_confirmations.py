"""The group's growing confirmation of SWOT inputs: which message an input joins, what it lists,
and where it was sent."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import time_machine
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import Database
from bot.models import Community, Quadrant, User, utcnow
from bot.services import communities, members, outbox, placed, privacy, swot, swot_confirmations
from bot.services.communities import CommunityDefaults
from bot.services.swot_confirmations import BATCH_SECONDS, BATCH_SIZE, Confirming

DEFAULTS = CommunityDefaults(language="lv", timezone="Europe/Riga")
START = datetime(2026, 12, 3, 18, 0, tzinfo=UTC)
CHAT = -100


async def _village(session: AsyncSession) -> Community:
    return (await communities.ensure(session, CHAT, "Lejasciems", DEFAULTS)).community


async def _member(session: AsyncSession, village: Community, telegram_id: int, name: str) -> User:
    user = await members.ensure_user(session, members.Profile(telegram_id, name))
    await members.ensure_membership(session, village, user)
    return user


async def _add(
    session: AsyncSession, village: Community, user: User, text: str, chat_id: int = CHAT
) -> Confirming:
    item = await swot.add_item(session, village, user, Quadrant.S, text)
    return await swot_confirmations.confirm(session, village.id, chat_id, item.id, user.id)


async def _entries(db: Database, confirmation_id: int) -> list[tuple[str, str | None]]:
    async with db.plain() as connection:
        found = await swot_confirmations.confirmation(connection, confirmation_id)
    assert found is not None
    assert found.language == "lv"
    return found.entries


async def test_a_burst_grows_one_confirmation_until_ten_minutes_have_passed(db: Database) -> None:
    async with db.transaction() as session:
        village = await _village(session)
        anna = await _member(session, village, 1, "Anna")
        janis = await _member(session, village, 2, "Jānis")
        with time_machine.travel(START, tick=False):
            first = await _add(session, village, anna, "Kaimiņi palīdz cits citam")
        with time_machine.travel(START + timedelta(seconds=BATCH_SECONDS - 1), tick=False):
            second = await _add(session, village, janis, "Skaista daba un tīra upe")
        with time_machine.travel(START + timedelta(seconds=BATCH_SECONDS), tick=False):
            third = await _add(session, village, anna, "Aktīva jauniešu biedrība")
    assert (first.new, first.message_id, first.chat_id) == (True, None, CHAT)
    assert (second.new, second.confirmation_id) == (False, first.confirmation_id)
    assert third.new
    assert third.confirmation_id != first.confirmation_id
    assert await _entries(db, first.confirmation_id) == [("S1", "Anna"), ("S2", "Jānis")]
    assert await _entries(db, third.confirmation_id) == [("S3", "Anna")]


async def test_the_eleventh_input_starts_a_new_confirmation(db: Database) -> None:
    async with db.transaction() as session:
        village = await _village(session)
        anna = await _member(session, village, 1, "Anna")
        added = [
            await _add(session, village, anna, f"Stiprā puse numur {n}")
            for n in range(BATCH_SIZE + 1)
        ]
    assert [a.new for a in added] == [True] + [False] * (BATCH_SIZE - 1) + [True]
    assert len({a.confirmation_id for a in added[:BATCH_SIZE]}) == 1
    assert len(await _entries(db, added[0].confirmation_id)) == BATCH_SIZE
    assert await _entries(db, added[-1].confirmation_id) == [("S11", "Anna")]


async def test_where_it_was_sent_is_kept_for_the_next_inputs(db: Database) -> None:
    async with db.transaction() as session:
        village = await _village(session)
        anna = await _member(session, village, 1, "Anna")
        first = await _add(session, village, anna, "Kaimiņi palīdz cits citam")
        listed = await swot_confirmations.sent(session, first.confirmation_id, CHAT, 77)
        second = await _add(session, village, anna, "Skaista daba un tīra upe")
    assert listed == 1
    assert (second.new, second.chat_id, second.message_id) == (False, CHAT, 77)


async def test_another_chat_of_the_village_has_a_confirmation_of_its_own(db: Database) -> None:
    """A group that became a supergroup has a new chat id: the old chat's message is left as it
    is, and the next input starts a new one in the new chat."""
    async with db.transaction() as session:
        village = await _village(session)
        anna = await _member(session, village, 1, "Anna")
        old = await _add(session, village, anna, "Kaimiņi palīdz cits citam")
        await communities.migrate_chat(session, CHAT, CHAT - 1)
        new = await _add(session, village, anna, "Skaista daba un tīra upe", chat_id=CHAT - 1)
    assert new.new
    assert (new.chat_id, new.message_id) == (CHAT - 1, None)
    assert new.confirmation_id != old.confirmation_id


async def test_a_forgotten_author_is_listed_without_a_name(db: Database) -> None:
    async with db.transaction() as session:
        village = await _village(session)
        anna = await _member(session, village, 1, "Anna")
        added = await _add(session, village, anna, "Kaimiņi palīdz cits citam")
        await privacy.forget(session, anna)
    assert await _entries(db, added.confirmation_id) == [("S1", None)]


async def test_a_confirmation_that_is_gone_draws_nothing(db: Database) -> None:
    async with db.plain() as connection:
        assert await swot_confirmations.confirmation(connection, 404) is None


async def test_once_sent_it_is_redrawn_if_inputs_came_while_it_was_on_its_way(
    db: Database,
) -> None:
    """It was drawn before it was sent: inputs added meanwhile could not redraw it (its place
    was not known), so recording where it went redraws it once it lists more than one."""
    sent = {"chat": {"id": CHAT}, "message_id": 5}
    async with db.transaction() as session:
        village = await _village(session)
        anna = await _member(session, village, 1, "Anna")
        alone = await _add(session, village, anna, "Kaimiņi palīdz cits citam")
        await placed.record(session, placed.swot_confirmation(alone.confirmation_id), sent)
        assert await outbox.waiting(session) == 0
    with time_machine.travel(utcnow() + timedelta(seconds=BATCH_SECONDS)):
        async with db.transaction() as session:
            first = await _add(session, village, anna, "Skaista daba un tīra upe")
            second = await _add(session, village, anna, "Aktīva jauniešu biedrība")
            card = placed.swot_confirmation(first.confirmation_id)
            await placed.record(session, card, {**sent, "message_id": 6})
            [redraw] = await outbox.claim(session, "test", 10, utcnow())
    assert (first.new, second.new, second.message_id) == (True, False, None)
    assert (redraw.method, redraw.chat_id, redraw.view) == ("editMessageText", CHAT, card)
    assert redraw.params == {"message_id": 6}
