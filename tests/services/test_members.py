from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import Database
from bot.models import AuditEntry, Community, Membership, Role, User, utcnow
from bot.services import communities, flows, members
from bot.services.communities import CommunityDefaults
from bot.services.errors import NotFound

DEFAULTS = CommunityDefaults(language="lv", timezone="Europe/Riga")


async def _community(session: AsyncSession, chat_id: int, title: str) -> Community:
    return (await communities.ensure(session, chat_id, title, DEFAULTS)).community


async def _user(session: AsyncSession, telegram_id: int, **kwargs: str) -> User:
    return await members.ensure_user(
        session, members.Profile(telegram_id, kwargs.pop("first_name", "Anna"), **kwargs)
    )


async def test_a_user_is_refreshed_not_duplicated(db: Database) -> None:
    async with db.transaction() as session:
        await _user(session, 7, first_name="Anna", username="anna")
        user = await members.ensure_user(
            session, members.Profile(7, "Anna", "Ozola", None, "ru"), in_private=True
        )
        assert (user.display_name, user.username, user.telegram_language) == (
            "Anna Ozola",
            None,
            "ru",
        )
        assert user.started_bot
        assert len(list(await session.scalars(select(User)))) == 1


async def test_one_community_is_chosen_by_itself(db: Database) -> None:
    async with db.transaction() as session:
        village = await _community(session, -1, "Lejasciems")
        user = await _user(session, 7)
        assert await members.acting_community(session, user) == []
        await members.ensure_membership(session, village, user)
        assert await members.acting_community(session, user) == village
        assert user.acting_community_id == village.id


async def test_several_communities_need_a_choice_that_is_remembered(db: Database) -> None:
    async with db.transaction() as session:
        first = await _community(session, -1, "Augšciems")
        second = await _community(session, -2, "Lejasciems")
        stranger = await _community(session, -3, "Citciems")
        user = await _user(session, 7)
        await members.ensure_membership(session, first, user)
        await members.ensure_membership(session, second, user)
        assert await members.acting_community(session, user) == [first, second]
        await members.choose_community(session, user, second.id)
        assert await members.acting_community(session, user) == second
        with pytest.raises(NotFound):
            await members.choose_community(session, user, stranger.id)


async def test_left_groups_and_inactive_communities_are_not_offered(db: Database) -> None:
    async with db.transaction() as session:
        first = await _community(session, -1, "Augšciems")
        second = await _community(session, -2, "Lejasciems")
        user = await _user(session, 7)
        await members.ensure_membership(session, first, user)
        await members.ensure_membership(session, second, user)
        await members.mark_left(session, first, user)
        await communities.deactivate(session, -2)
        assert await members.communities_of(session, user) == []


async def test_promote_and_demote_are_audited(db: Database) -> None:
    async with db.transaction() as session:
        village = await _community(session, -1, "Lejasciems")
        leader = await _user(session, 1)
        member = await _user(session, 2)
        assert await members.promote(session, village, leader, member)
        assert not await members.promote(session, village, leader, member)
        assert await members.promoted_leader_ids(session, village) == {2}
        membership = await members.membership(session, village, member)
        assert membership is not None
        assert membership.role == Role.LEADER
        assert await members.demote(session, village, leader, member)
        assert not await members.demote(session, village, leader, member)
        assert await members.promoted_leader_ids(session, village) == set()
        actions = [
            (e.action, e.actor_id, e.details) for e in await session.scalars(select(AuditEntry))
        ]
    assert actions == [
        ("promote", leader.id, {"user_id": member.id}),
        ("demote", leader.id, {"user_id": member.id}),
    ]


async def test_leaving_ends_the_role_and_the_conversations_about_that_village(
    db: Database,
) -> None:
    async with db.transaction() as session:
        first = await _community(session, -1, "Lejasciems")
        second = await _community(session, -2, "Augšciems")
        leader = await members.ensure_user(session, members.Profile(1, "Anna"))
        ilze = await members.ensure_user(session, members.Profile(2, "Ilze"))
        olga = await members.ensure_user(session, members.Profile(3, "Olga"))
        for village in (first, second):
            await members.ensure_membership(session, village, ilze)
        await members.promote(session, first, leader, ilze)
        await flows.start(session, ilze, first, "swot", "write")
        await flows.start(session, olga, second, "swot", "write")
        await members.mark_left(session, first, ilze)
        await members.mark_left(session, first, olga)  # never a member there: nothing to end
        member = await members.membership(session, first, ilze)
        assert member is not None
        assert (member.role, member.left_at is not None) == (Role.RESIDENT, True)
        assert await flows.current(session, ilze) is None
        assert await flows.current(session, olga) is not None
        assert await members.promoted_leader_ids(session, first) == set()
        # Coming back makes a resident.
        await members.ensure_membership(session, first, ilze)
        member = await members.membership(session, first, ilze)
        assert member is not None
        assert member.role == Role.RESIDENT


@pytest.mark.parametrize(
    ("chosen", "telegram", "village", "expected"),
    [
        # /language always wins.
        ("ru", "lv", "lv", "ru"),
        ("en", "ru", "lv", "en"),
        ("lv", None, None, "lv"),
        # Telegram's Latvian or Russian is a real choice and is kept.
        (None, "ru", "lv", "ru"),
        (None, "lv", "ru", "lv"),
        (None, "ru-RU", "lv", "ru"),
        # Telegram has no Latvian interface: English (or a language the bot lacks) is no choice.
        (None, "en", "lv", "lv"),
        (None, "en-US", "ru", "ru"),
        (None, "de", "lv", "lv"),
        (None, None, "lv", "lv"),
        # In no village: Telegram's language, English for one the bot lacks, else the default.
        (None, "en", None, "en"),
        (None, "de", None, "en"),
        (None, "ru", None, "ru"),
        (None, None, None, "lv"),
    ],
)
def test_private_language(
    chosen: str | None, telegram: str | None, village: str | None, expected: str
) -> None:
    user = User(language=chosen, telegram_language=telegram)
    community = Community(language=village) if village else None
    assert members.private_language(user, community, "lv") == expected


async def test_the_language_village_is_the_most_recently_active(db: Database) -> None:
    async with db.transaction() as session:
        first = await _community(session, -1, "Augšciems")
        second = await _community(session, -2, "Lejasciems")
        user = await _user(session, 7)
        await members.ensure_membership(session, first, user)
        older = await members.ensure_membership(session, second, user)
        older.last_active_at = utcnow() - timedelta(days=3)
        await session.flush()
        assert await members.latest_village(session, user, [first, second]) == first
        newer = await session.scalar(select(Membership).where(Membership.community_id == first.id))
        assert newer is not None
        newer.last_active_at = utcnow() - timedelta(days=5)
        await session.flush()
        assert await members.latest_village(session, user, [first, second]) == second
        assert await members.latest_village(session, user, []) is None


async def test_current_members_by_name(db: Database) -> None:
    async with db.transaction() as session:
        village = await _community(session, -1, "Lejasciems")
        elsewhere = await _community(session, -2, "Augšciems")
        zane = await _user(session, 1, first_name="Zane")
        anna = await _user(session, 2, first_name="anna")
        janis = await _user(session, 3, first_name="Jānis")
        stranger = await _user(session, 4, first_name="Bruno")
        for user in (zane, anna, janis):
            await members.ensure_membership(session, village, user)
        await members.ensure_membership(session, elsewhere, stranger)
        await members.mark_left(session, village, janis)
        assert await members.current_members(session, village) == [anna, zane]
