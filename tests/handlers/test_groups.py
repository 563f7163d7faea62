"""The bot joining, leaving, a group becoming a supergroup, and members coming and going."""

from __future__ import annotations

from sqlalchemy import select

from bot.db import Database
from bot.models import Community, Idea, Membership, PrivateFlow, Role, User
from bot.services import flows
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


async def _memberships(database: Database) -> dict[int, tuple[bool, Role]]:
    """Telegram id → (a current member, role), for everyone the bot holds as a member."""
    async with database.transaction() as session:
        rows = await session.execute(
            select(User.telegram_id, Membership.left_at, Membership.role).join(
                Membership, Membership.user_id == User.id
            )
        )
        return {tid: (left_at is None, role) for tid, left_at, role in rows if tid is not None}


async def test_a_press_from_outside_the_group_changes_nothing_and_makes_no_member(
    tg: BotApiEmulator, village: Village, database: Database
) -> None:
    village.chat.public = True  # anyone may read it, and press its buttons, without joining
    card = await tg.ask(village.chat, village.resident, "/idea Jauns rotaļu laukums pie skolas")
    await tg.settle()
    before = await _memberships(database)
    stranger = tg.user("Svešais")
    answer = await tg.answer_of(await tg.press(card, "👍", by=stranger))
    assert answer == {"text": "To var darīt tikai ciema grupas dalībnieki.", "show_alert": True}
    # Someone who left is outside too.
    await tg.leave(village.chat, village.resident)
    answer = await tg.answer_of(await tg.press(card, "👍", by=village.resident))
    assert answer["text"] == "To var darīt tikai ciema grupas dalībnieki."
    await tg.settle()
    assert await _memberships(database) == {**before, village.resident.id: (False, Role.RESIDENT)}
    async with database.transaction() as session:
        assert await session.scalar(select(Idea.support_count)) == 0
        assert await session.scalar(select(User).where(User.telegram_id == stranger.id)) is None
    # Neither can pick the village in private chat.
    for person in (stranger, village.resident):
        reply = await tg.ask(person, person, "/village")
        assert reply["text"].startswith("Jūs vēl neesat nevienā ciema grupā kopā ar mani.")
    # A member the bot never saw write is asked of Telegram, and counts.
    quiet = tg.user("Klusā")
    village.chat.members[quiet.id] = "member"
    answer = await tg.answer_of(await tg.press(card, "👍", by=quiet))
    assert answer["text"] != "To var darīt tikai ciema grupas dalībnieki."
    await tg.settle()
    assert (await _memberships(database))[quiet.id] == (True, Role.RESIDENT)


async def test_leaving_ends_a_promoted_role_and_open_conversations(
    tg: BotApiEmulator, village: Village, database: Database
) -> None:
    said = await tg.send(village.chat, village.resident, "Es palīdzēšu!")
    await tg.ask(village.chat, village.admin, "/promote", reply_to=said)
    await tg.ask(village.resident, village.resident, "/start")
    async with database.transaction() as session:
        user = await session.scalar(select(User).where(User.telegram_id == village.resident.id))
        community = await session.scalar(select(Community))
        assert user is not None
        assert community is not None
        await flows.start(session, user, community, "swot", "write")
    await tg.leave(village.chat, village.resident)
    await tg.settle()
    assert (await _memberships(database))[village.resident.id] == (False, Role.RESIDENT)
    async with database.transaction() as session:
        assert await session.scalar(select(PrivateFlow)) is None
    # Back in the group, a resident again.
    await tg.join(village.chat, village.resident)
    await tg.settle()
    assert (await _memberships(database))[village.resident.id] == (True, Role.RESIDENT)


async def test_choosing_a_village_left_unseen_is_refused(
    tg: BotApiEmulator, village: Village, database: Database
) -> None:
    person = village.resident
    await tg.ask(village.chat, person, "/help")
    await tg.ask(person, person, "/start")
    picker = await tg.ask(person, person, "/village")
    assert picker["text"] == "Izvēlieties savu ciema grupu:"
    village.chat.members[person.id] = "left"  # gone, and the bot was not told
    answer = await tg.answer_of(await tg.press(picker, "Lejasciems", by=person))
    assert answer["text"] == "Jūs neesat šīs ciema grupas dalībnieks."
    await tg.settle()
    assert (await _memberships(database))[person.id] == (False, Role.RESIDENT)
