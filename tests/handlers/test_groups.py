"""The bot joining, leaving, a group becoming a supergroup, and members coming and going."""

from __future__ import annotations

from sqlalchemy import select

from bot.db import Database
from bot.models import Community, Membership, User
from bot.testing import BotApiEmulator, buttons
from tests.conftest import Village


async def test_added_to_a_group_it_creates_the_community_and_greets(
    tg: BotApiEmulator, bot: object, database: Database
) -> None:
    anna = tg.user("Anna")
    group = tg.group("Lejasciems", admins=[anna])
    cursor = tg.mark()
    await tg.add_bot(group, by=anna)
    greeting = await tg.next_message(group, after=cursor)
    assert greeting["text"].startswith("Sveiki, Lejasciems! 👋")
    assert "/help" in greeting["text"]
    assert buttons(greeting)[0]["url"].startswith(f"https://t.me/{tg.bot.username}?start=join_")
    async with database.transaction() as session:
        community = await session.scalar(select(Community))
        assert community is not None
        assert (community.chat_id, community.title, community.language, community.timezone) == (
            group.id,
            "Lejasciems",
            "lv",
            "Europe/Riga",
        )
        assert community.active


async def test_removed_it_keeps_the_data_and_comes_back_to_it(
    tg: BotApiEmulator, village: Village, database: Database
) -> None:
    await tg.ask(village.chat, village.resident, "/help")
    await tg.remove_bot(village.chat, by=village.admin)
    await tg.settle()
    async with database.transaction() as session:
        community = await session.scalar(select(Community))
        assert community is not None
        assert not community.active
        assert len(list(await session.scalars(select(Membership)))) == 2
    cursor = tg.mark()
    await tg.add_bot(village.chat, by=village.admin)
    await tg.next_message(village.chat, after=cursor)
    async with database.transaction() as session:
        communities = list(await session.scalars(select(Community)))
        assert len(communities) == 1
        assert communities[0].active


async def test_a_supergroup_upgrade_keeps_the_community_and_its_members(
    tg: BotApiEmulator, village: Village, database: Database
) -> None:
    await tg.ask(village.chat, village.resident, "/help")
    async with database.transaction() as session:
        before = await session.scalar(select(Community))
        assert before is not None
    supergroup = await tg.migrate(village.chat)
    reply = await tg.ask(supergroup, village.resident, "/help")
    assert "Lejasciems" in reply["text"]
    async with database.transaction() as session:
        communities = list(await session.scalars(select(Community)))
        assert [(c.id, c.chat_id) for c in communities] == [(before.id, supergroup.id)]
        rows = list(await session.scalars(select(Membership)))
        assert {m.community_id for m in rows} == {before.id}
        assert len(rows) == 2


async def test_members_joining_and_leaving_are_known(
    tg: BotApiEmulator, village: Village, database: Database
) -> None:
    newcomer = tg.user("Pēteris")
    await tg.join(village.chat, newcomer)
    await tg.settle()
    async with database.transaction() as session:
        user = await session.scalar(select(User).where(User.telegram_id == newcomer.id))
        assert user is not None
        membership = await session.scalar(select(Membership).where(Membership.user_id == user.id))
        assert membership is not None
        assert membership.left_at is None
    await tg.leave(village.chat, newcomer)
    await tg.settle()
    async with database.transaction() as session:
        membership = await session.scalar(select(Membership).where(Membership.user_id == user.id))
        assert membership is not None
        assert membership.left_at is not None


async def test_blocking_the_bot_is_remembered(
    tg: BotApiEmulator, village: Village, database: Database
) -> None:
    person = village.resident
    await tg.ask(person, person, "/start")
    await tg.block(person)
    await tg.settle()
    async with database.transaction() as session:
        user = await session.scalar(select(User).where(User.telegram_id == person.id))
        assert user is not None
        assert not user.started_bot
