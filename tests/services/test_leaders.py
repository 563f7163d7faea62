from __future__ import annotations

import pytest

from bot.db import Database
from bot.services import communities, leaders, members
from bot.services.communities import CommunityDefaults
from bot.services.leaders import AdminDirectory


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class Fetcher:
    def __init__(self, admins: set[int]) -> None:
        self.admins = admins
        self.calls = 0
        self.fail = False

    async def __call__(self, chat_id: int) -> set[int]:
        self.calls += 1
        if self.fail:
            raise RuntimeError("Bot API unreachable")
        return set(self.admins)


async def test_admins_are_cached_for_at_most_the_ttl() -> None:
    clock, fetch = Clock(), Fetcher({1})
    directory = AdminDirectory(fetch, ttl=600, clock=clock)
    assert await directory.admins(-1) == {1}
    fetch.admins = {1, 2}
    clock.now += 599
    assert await directory.admins(-1) == {1}
    assert fetch.calls == 1
    clock.now += 1
    assert await directory.admins(-1) == {1, 2}
    assert fetch.calls == 2


async def test_a_failed_fetch_trusts_the_last_list_only_within_its_age() -> None:
    clock, fetch = Clock(), Fetcher({1})
    directory = AdminDirectory(fetch, ttl=600, clock=clock)
    await directory.admins(-1)
    fetch.fail = True
    clock.now += leaders.RECHECK_AFTER + 1
    # A recheck that fails: the list is younger than the ttl, so it still answers.
    assert await directory.admins(-1, max_age=leaders.RECHECK_AFTER) == {1}
    clock.now += 600
    with pytest.raises(leaders.RightsUnknown):
        await directory.admins(-1)
    fetch.fail = False
    assert await directory.admins(-1) == {1}


async def test_forget_refetches_and_no_list_at_all_is_not_an_empty_one() -> None:
    clock, fetch = Clock(), Fetcher({1})
    directory = AdminDirectory(fetch, ttl=600, clock=clock)
    await directory.admins(-1)
    fetch.fail = True
    directory.forget(-1)
    with pytest.raises(leaders.RightsUnknown):
        await directory.admins(-1)
    fetch.fail = False
    assert await directory.admins(-1) == {1}


async def test_without_a_trusted_list_admins_are_not_leaders_and_promoted_ones_stay(
    db: Database,
) -> None:
    clock, fetch = Clock(), Fetcher({10})
    directory = AdminDirectory(fetch, ttl=600, clock=clock)
    async with db.transaction() as session:
        village = (
            await communities.ensure(
                session, -1, "Lejasciems", CommunityDefaults("lv", "Europe/Riga")
            )
        ).community
        admin = await members.ensure_user(session, members.Profile(10, "Admin"))
        promoted = await members.ensure_user(session, members.Profile(20, "Promoted"))
        await members.promote(session, village, admin, promoted)
        promoted.started_bot = admin.started_bot = True
        assert await leaders.is_leader(session, directory, village, admin)
        fetch.fail = True
        clock.now += 601
        with pytest.raises(leaders.RightsUnknown):
            await leaders.is_leader(session, directory, village, admin)
        assert await leaders.is_leader(session, directory, village, promoted)
        # Messages to leaders go to the promoted ones meanwhile.
        assert [u.telegram_id for u in await leaders.reachable(session, directory, village)] == [20]


async def test_leaders_are_admins_and_promoted_members(db: Database) -> None:
    directory = AdminDirectory(Fetcher({10}), ttl=600)
    async with db.transaction() as session:
        village = (
            await communities.ensure(
                session, -1, "Lejasciems", CommunityDefaults("lv", "Europe/Riga")
            )
        ).community
        admin = await members.ensure_user(session, members.Profile(10, "Admin"))
        promoted = await members.ensure_user(session, members.Profile(20, "Promoted"))
        resident = await members.ensure_user(session, members.Profile(30, "Resident"))
        await members.promote(session, village, admin, promoted)
        assert await leaders.is_leader(session, directory, village, admin)
        assert await leaders.is_leader(session, directory, village, promoted)
        assert not await leaders.is_leader(session, directory, village, resident)
        await members.mark_left(session, village, promoted)
        assert not await leaders.is_leader(session, directory, village, promoted)


async def test_a_refusal_rechecks_an_older_admin_list(db: Database) -> None:
    clock, fetch = Clock(), Fetcher({10})
    directory = AdminDirectory(fetch, ttl=600, clock=clock)
    async with db.transaction() as session:
        village = (
            await communities.ensure(
                session, -1, "Lejasciems", CommunityDefaults("lv", "Europe/Riga")
            )
        ).community
        newcomer = await members.ensure_user(session, members.Profile(20, "New admin"))
        assert not await leaders.is_admin(directory, village, newcomer)
        fetch.admins = {10, 20}
        clock.now += 30
        assert not await leaders.is_admin(directory, village, newcomer)
        clock.now += leaders.RECHECK_AFTER
        assert await leaders.is_admin(directory, village, newcomer)
    assert fetch.calls == 2
