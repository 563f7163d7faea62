from __future__ import annotations

import pytest
from sqlalchemy import func, select

from bot.db import Database
from bot.models import Community, Membership, User
from bot.services import communities, members
from bot.services.communities import CommunityDefaults
from bot.services.errors import InvalidInput

DEFAULTS = CommunityDefaults(language="lv", timezone="Europe/Riga")


async def test_a_group_becomes_a_community_once(db: Database) -> None:
    async with db.transaction() as session:
        first = await communities.ensure(session, -100, "Lejasciems", DEFAULTS)
        again = await communities.ensure(session, -100, "Lejasciems (new name)", DEFAULTS)
    assert first.is_new
    assert not again.is_new
    assert first.community.id == again.community.id
    assert again.community.title == "Lejasciems (new name)"
    assert (first.community.language, first.community.timezone) == ("lv", "Europe/Riga")


async def test_removal_keeps_the_data_and_return_reactivates(db: Database) -> None:
    async with db.transaction() as session:
        community = (await communities.ensure(session, -100, "Lejasciems", DEFAULTS)).community
        await communities.deactivate(session, -100)
        assert not community.active
        assert community.deactivated_at is not None
        back = await communities.ensure(session, -100, "Lejasciems", DEFAULTS)
    assert back.reactivated
    assert back.community.active
    async with db.transaction() as session:
        assert await session.scalar(select(func.count()).select_from(Community)) == 1


async def _member(session: object, community: Community, telegram_id: int) -> User:
    user = await members.ensure_user(session, members.Profile(telegram_id, f"U{telegram_id}"))  # type: ignore[arg-type]
    await members.ensure_membership(session, community, user)  # type: ignore[arg-type]
    return user


async def test_migration_moves_the_community_and_merges_a_premature_twin(db: Database) -> None:
    async with db.transaction() as session:
        old = (await communities.ensure(session, -5, "Lejasciems", DEFAULTS)).community
        await _member(session, old, 1)
        # Telegram told about the new supergroup before the migration message arrived.
        twin = (await communities.ensure(session, -1005, "Lejasciems", DEFAULTS)).community
        await _member(session, twin, 1)
        await _member(session, twin, 2)
        moved = await communities.migrate_chat(session, -5, -1005)
    assert moved is not None
    assert moved.id == old.id
    assert moved.chat_id == -1005
    async with db.transaction() as session:
        assert [c.chat_id for c in await session.scalars(select(Community))] == [-1005]
        rows = list(await session.scalars(select(Membership)))
        assert sorted(m.user_id for m in rows) == [1, 2]
        assert {m.community_id for m in rows} == {old.id}


async def test_migration_of_an_unknown_group_changes_nothing(db: Database) -> None:
    async with db.transaction() as session:
        assert await communities.migrate_chat(session, -5, -1005) is None


async def test_only_supported_languages(db: Database) -> None:
    async with db.transaction() as session:
        community = (await communities.ensure(session, -1, "X", DEFAULTS)).community
        communities.set_language(community, "ru")
        assert community.language == "ru"
        with pytest.raises(InvalidInput):
            communities.set_language(community, "de")


async def test_active_ids_leave_out_communities_the_bot_left(db: Database) -> None:
    async with db.transaction() as session:
        staying = (await communities.ensure(session, -100, "Lejasciems", DEFAULTS)).community
        await communities.ensure(session, -200, "Augšciems", DEFAULTS)
        await communities.deactivate(session, -200)
        assert await communities.active_ids(session) == [staying.id]
