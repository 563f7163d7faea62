"""Small victories: approval by the first leader (also when two press at once), applause,
celebrating done ideas, and this year's list."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import Database
from bot.models import Community, IdeaStatus, User, Victory, VictoryStatus
from bot.services import communities, ideas, members, victories
from bot.services.communities import CommunityDefaults
from bot.services.errors import InvalidInput, NotFound

DEFAULTS = CommunityDefaults("lv", "Europe/Riga")


async def _setup(session: AsyncSession) -> tuple[Community, User, User, User]:
    village = (await communities.ensure(session, -1, "Lejasciems", DEFAULTS)).community
    people = [await members.ensure_user(session, members.Profile(n, f"P{n}")) for n in (1, 2, 3)]
    return village, people[0], people[1], people[2]


async def test_a_leaders_victory_is_approved_a_residents_waits(db: Database) -> None:
    async with db.transaction() as session:
        village, resident, leader, _ = await _setup(session)
        own = await victories.propose(
            session, village, leader, "Jauns soliņš pieturā!", by_leader=True
        )
        proposed = await victories.propose(
            session, village, resident, "Sakopām parku kopā", by_leader=False
        )
        assert (own.status, own.decided_by_id) == (VictoryStatus.APPROVED, leader.id)
        assert (proposed.status, proposed.decided_by_id) == (VictoryStatus.PENDING, None)
        assert [v.id for v in await victories.pending(session, village)] == [proposed.id]
        with pytest.raises(InvalidInput):
            await victories.propose(session, village, resident, "Jā!", by_leader=False)


async def test_the_first_leader_decides_even_when_two_press_at_once(db: Database) -> None:
    async with db.transaction() as session:
        village, resident, first, second = await _setup(session)
        victory = await victories.propose(
            session, village, resident, "Sakopām parku kopā", by_leader=False
        )

    async def press(leader: User, approve: bool) -> victories.Decided:
        async with db.transaction() as session:
            fresh = await session.get(Community, village.id)
            assert fresh is not None
            return await victories.decide(session, victory.id, fresh, leader, approve)

    results = await asyncio.gather(press(first, True), press(second, False))
    assert sorted(r.won for r in results) == [False, True]
    winner = next(r for r in results if r.won)
    loser = next(r for r in results if not r.won)
    assert loser.decided_by_id == winner.decided_by_id
    async with db.transaction() as session:
        stored = await session.get(Victory, victory.id)
        assert stored is not None
        assert stored.status == winner.victory.status


async def test_decisions_stay_inside_their_village(db: Database) -> None:
    async with db.transaction() as session:
        village, resident, leader, _ = await _setup(session)
        other = (await communities.ensure(session, -2, "Augšciems", DEFAULTS)).community
        victory = await victories.propose(
            session, village, resident, "Sakopām parku kopā", by_leader=False
        )
        with pytest.raises(NotFound):
            await victories.decide(session, victory.id, other, leader, True)
        assert victory.status == VictoryStatus.PENDING


async def test_applause_toggles_once_per_member(db: Database) -> None:
    async with db.transaction() as session:
        village, a, b, _ = await _setup(session)
        victory = await victories.propose(
            session, village, a, "Jauns soliņš pieturā!", by_leader=True
        )
        assert await victories.toggle_applause(session, victory, a)
        assert await victories.toggle_applause(session, victory, b)
        assert not await victories.toggle_applause(session, victory, a)
        assert victory.applause_count == 1
        waiting = await victories.propose(
            session, village, b, "Sakopām parku kopā", by_leader=False
        )
        with pytest.raises(NotFound):
            await victories.toggle_applause(session, waiting, a)


async def test_a_done_idea_is_celebrated_once(db: Database) -> None:
    async with db.transaction() as session:
        village, author, leader, _ = await _setup(session)
        idea = await ideas.submit(session, village, author, "Jauns rotaļu laukums pie skolas")
        with pytest.raises(InvalidInput):
            await victories.from_idea(session, idea, leader)
        await ideas.set_status(session, idea, leader, IdeaStatus.DONE)
        victory = await victories.from_idea(session, idea, leader)
        assert (victory.idea_id, victory.proposer_id, victory.status) == (
            idea.id,
            author.id,
            VictoryStatus.APPROVED,
        )
        with pytest.raises(InvalidInput):
            await victories.from_idea(session, idea, leader)


async def test_the_card_shows_the_idea_its_supporters_and_the_proposers_name(
    db: Database,
) -> None:
    async with db.transaction() as session:
        village, author, leader, other = await _setup(session)
        idea = await ideas.submit(session, village, author, "Jauns rotaļu laukums pie skolas")
        for supporter in (author, leader, other):
            await ideas.toggle_support(session, idea, supporter)
        await ideas.set_status(session, idea, leader, IdeaStatus.DONE)
        celebrated = await victories.from_idea(session, idea, leader)
        own = await victories.propose(
            session, village, leader, "Jauns soliņš pieturā!", by_leader=True
        )
        leader.first_name = ""  # as after /forgetme
        view = await victories.card_view(session, celebrated.id)
        assert view is not None
        assert (view.victory, view.language, view.idea) == (celebrated, "lv", idea)
        assert (view.proposer, view.supporters) == ("P1", 2)  # the author's own support not
        plain = await victories.card_view(session, own.id)
        assert plain is not None
        assert (plain.idea, plain.proposer, plain.supporters) == (None, None, 0)
        assert await victories.card_view(session, own.id + 1000) is None


async def test_this_years_victories_in_the_villages_time_zone(db: Database) -> None:
    riga = ZoneInfo("Europe/Riga")
    # 21:30 UTC is 23:30 on 31 December in Riga; 22:30 UTC is already the new year there.
    with time_machine.travel(datetime(2026, 12, 31, 21, 30, tzinfo=UTC), tick=False):
        async with db.transaction() as session:
            village, a, _, _ = await _setup(session)
            await victories.propose(session, village, a, "Vecgada uzvara ciemā", by_leader=True)
    with time_machine.travel(datetime(2026, 12, 31, 22, 30, tzinfo=UTC), tick=False):
        async with db.transaction() as session:
            await victories.propose(session, village, a, "Jaungada uzvara ciemā", by_leader=True)
    with time_machine.travel(datetime(2027, 1, 5, 12, 0, tzinfo=UTC), tick=False):
        async with db.transaction() as session:
            for n in range(6):
                await victories.propose(
                    session, village, a, f"Uzvara numur {n} ciemā", by_leader=True
                )
            page = await victories.this_year(session, village, riga)
            assert (page.total, page.pages, len(page.victories)) == (7, 2, 5)
            assert page.victories[0].text == "Uzvara numur 5 ciemā"
            last = await victories.this_year(session, village, riga, page=1)
            assert [v.text for v in last.victories][-1] == "Jaungada uzvara ciemā"


async def test_the_wall_has_every_year_newest_first_and_who_applauds(db: Database) -> None:
    with time_machine.travel(datetime(2025, 6, 1, 12, 0, tzinfo=UTC), tick=False):
        async with db.transaction() as session:
            village, a, b, _ = await _setup(session)
            old = await victories.propose(
                session, village, a, "Pagājušā gada uzvara", by_leader=True
            )
    with time_machine.travel(datetime(2026, 3, 1, 12, 0, tzinfo=UTC), tick=False):
        async with db.transaction() as session:
            new = await victories.propose(
                session, village, a, "Šī gada uzvara ciemā", by_leader=True
            )
            await victories.propose(
                session, village, b, "Vēl gaida apstiprinājumu", by_leader=False
            )
            other = (await communities.ensure(session, -2, "Kaimiņi", DEFAULTS)).community
            await victories.propose(session, other, a, "Kaimiņu ciema uzvara", by_leader=True)
            again = await victories.by_id(session, old.id)
            assert again is not None
            await victories.toggle_applause(session, again, b)
            wall = await victories.wall(session, village)
            assert [v.text for v in wall.victories] == [new.text, old.text]
            assert await victories.applauded_by(session, b, [old.id, new.id]) == {old.id}
            assert await victories.applauded_by(session, a, [old.id, new.id]) == set()
            second = await victories.wall(session, village, page=1, size=1)
            assert (second.page, second.pages, second.victories) == (1, 2, [again])
