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


async def test_in_private_finds_the_person_and_the_village_they_act_for(db: Database) -> None:
    async with db.transaction() as session:  # a stranger: created, no village yet
        stranger, acting = await visits.in_private(session, members.Profile(9, "Svešais"))
        assert (stranger.first_name, stranger.started_bot, acting) == ("Svešais", True, [])
    async with db.transaction() as session:
        await visits.in_group(session, -1, "Lejasciems", ANNA, DEFAULTS)
    async with db.transaction() as session:  # one village: that one, and remembered
        anna, acting = await visits.in_private(session, ANNA)
        assert isinstance(acting, Community)
        assert acting.title == "Lejasciems"
        assert anna.acting_community_id == acting.id
    async with db.transaction() as session:
        await visits.in_group(session, -2, "Augšciems", ANNA, DEFAULTS)
        await visits.in_group(session, -3, "Vidusciems", ANNA, DEFAULTS)
        gone = (await visits.in_group(session, -3, "Vidusciems", ANNA, DEFAULTS))[0].community
        await members.mark_left(session, gone, anna)
        await communities.deactivate(session, -2)
    async with db.transaction() as session:  # the chosen one of those still current and active
        _anna, acting = await visits.in_private(session, ANNA)
        assert isinstance(acting, Community)
        assert acting.title == "Lejasciems"
    async with db.transaction() as session:
        await visits.in_group(session, -2, "Augšciems", ANNA, DEFAULTS)  # active again
        anna, _acting = await visits.in_private(session, ANNA)
        anna.acting_community_id = None
    async with db.transaction() as session:  # two current villages, none chosen: both offered
        _anna, acting = await visits.in_private(session, ANNA)
        assert isinstance(acting, list)
        assert [c.title for c in acting] == ["Augšciems", "Lejasciems"]


async def test_of_community_tells_whether_a_voter_is_a_member_and_makes_nobody_one(
    db: Database,
) -> None:
    async with db.transaction() as session:
        joined, _anna = await visits.in_group(session, -1, "Lejasciems", ANNA, DEFAULTS)
        janis = await members.ensure_user(session, members.Profile(8, "Jānis"))
        village_id = joined.community.id
    async with db.transaction() as session:
        janis = await members.ensure_user(session, members.Profile(8, "Jānis"))
        assert await visits.of_community(session, 424242, janis) is None
        found = await visits.of_community(session, village_id, janis)
        assert found is not None
        village, member = found
        assert (village.title, member) == ("Lejasciems", False)
        await members.ensure_membership(session, village, janis)
        assert await visits.of_community(session, village_id, janis) == (village, True)
        await members.mark_left(session, village, janis)
    async with db.transaction() as session:
        janis = await members.ensure_user(session, members.Profile(8, "Jānis"))
        found = await visits.of_community(session, village_id, janis)
        assert found is not None
        assert not found[1]
    async with db.transaction() as session:
        member = await session.scalar(select(Membership).where(Membership.user_id == janis.id))
        assert member is not None
        assert member.left_at is not None
    assert await _counts(db) == (1, 2, 2)


async def test_a_press_in_the_group_makes_nobody_a_member(db: Database) -> None:
    async with db.transaction() as session:
        await visits.in_group(session, -1, "Lejasciems", ANNA, DEFAULTS)
        joined, stranger, member = await visits.pressed_in_group(
            session, -1, "Lejasciems", members.Profile(8, "Svešais"), DEFAULTS
        )
        assert (joined.community.title, stranger, member) == ("Lejasciems", None, False)
        _joined, anna, member = await visits.pressed_in_group(
            session, -1, "Lejasciems", ANNA, DEFAULTS
        )
        assert anna is not None
        assert member
        await members.mark_left(session, joined.community, anna)
        _joined, anna, member = await visits.pressed_in_group(
            session, -1, "Lejasciems", ANNA, DEFAULTS
        )
        assert anna is not None
        assert not member
    async with db.transaction() as session:
        left = await session.scalar(select(Membership))
        assert left is not None
        assert left.left_at is not None
    assert await _counts(db) == (1, 1, 1)
