"""A group update's community, user and membership, found in one query or created."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from sqlalchemy import func, select

from bot.db import Database
from bot.models import Community, Membership, User, utcnow
from bot.services import communities, members, visits
from bot.services.communities import CommunityDefaults

DEFAULTS = CommunityDefaults("lv", "Europe/Riga")
ANNA = members.Profile(7, "Anna", username="anna")


async def _counts(db: Database) -> tuple[int, int, int]:
    async with db.transaction() as session:
        return (
            await session.scalar(select(func.count(Community.id))) or 0,
            await session.scalar(select(func.count(User.id))) or 0,
            await session.scalar(select(func.count(Membership.id))) or 0,
        )


async def test_first_sight_creates_all_three_and_then_finds_them(db: Database) -> None:
    async with db.transaction() as session:
        joined, anna = await visits.in_group(session, -1, "Lejasciems", ANNA, DEFAULTS)
        assert joined.is_new
        assert (anna.first_name, joined.community.title) == ("Anna", "Lejasciems")
    async with db.transaction() as session:
        again, same = await visits.in_group(session, -1, "Lejasciems", ANNA, DEFAULTS)
        assert not again.is_new
        assert not again.reactivated
        assert (same.id, again.community.id) == (anna.id, joined.community.id)
        assert not session.dirty  # nothing changed, nothing to write
    assert await _counts(db) == (1, 1, 1)


async def test_a_known_person_in_a_new_group_and_a_new_person_in_a_known_group(
    db: Database,
) -> None:
    async with db.transaction() as session:
        await visits.in_group(session, -1, "Lejasciems", ANNA, DEFAULTS)
    async with db.transaction() as session:
        joined, _ = await visits.in_group(session, -2, "Augšciems", ANNA, DEFAULTS)
        assert joined.is_new
        await visits.in_group(session, -1, "Lejasciems", members.Profile(8, "Jānis"), DEFAULTS)
    assert await _counts(db) == (2, 2, 3)


async def test_latest_names_a_member_who_left_is_back_a_quiet_village_wakes(
    db: Database,
) -> None:
    async with db.transaction() as session:
        joined, anna = await visits.in_group(session, -1, "Lejasciems", ANNA, DEFAULTS)
        await members.mark_left(session, joined.community, anna)
        await communities.deactivate(session, -1)
    renamed = members.Profile(7, "Anna", last_name="Ozola", username="anna_o")
    async with db.transaction() as session:
        joined, anna = await visits.in_group(session, -1, "Lejasciems II", renamed, DEFAULTS)
        assert joined.reactivated
    async with db.transaction() as session:
        user = await session.get(User, anna.id)
        community = await session.get(Community, joined.community.id)
        member = await members.membership(session, joined.community, anna)
        assert user is not None
        assert (user.last_name, user.username) == ("Ozola", "anna_o")
        assert community is not None
        assert (community.title, community.active) == ("Lejasciems II", True)
        assert member is not None
        assert member.left_at is None


async def test_activity_is_written_once_per_precision(db: Database) -> None:
    start = utcnow()
    with time_machine.travel(start, tick=False):
        async with db.transaction() as session:
            await visits.in_group(session, -1, "Lejasciems", ANNA, DEFAULTS)
    with time_machine.travel(start + members.ACTIVE_PRECISION / 2, tick=False):
        async with db.transaction() as session:
            await visits.in_group(session, -1, "Lejasciems", ANNA, DEFAULTS)
            assert not session.dirty
    later = start + members.ACTIVE_PRECISION + timedelta(seconds=1)
    with time_machine.travel(later, tick=False):
        async with db.transaction() as session:
            joined, anna = await visits.in_group(session, -1, "Lejasciems", ANNA, DEFAULTS)
        async with db.transaction() as session:
            member = await members.membership(session, joined.community, anna)
            assert member is not None
            assert member.last_active_at == later.replace(tzinfo=member.last_active_at.tzinfo)
