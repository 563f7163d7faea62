"""Ideas as the service sees them: numbering, supports, similarity, triage, limits, lists."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
import time_machine
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import Database
from bot.models import (
    AuditEntry,
    Community,
    Idea,
    IdeaArea,
    IdeaStatus,
    IdeaStatusChange,
    IdeaSupport,
    User,
    utcnow,
)
from bot.services import communities, ideas, members
from bot.services.communities import CommunityDefaults
from bot.services.errors import InvalidInput, NotAllowed, NotFound

DEFAULTS = CommunityDefaults("lv", "Europe/Riga")


async def _village(session: AsyncSession, chat_id: int = -1) -> Community:
    return (await communities.ensure(session, chat_id, f"Village {chat_id}", DEFAULTS)).community


async def _person(session: AsyncSession, telegram_id: int) -> User:
    return await members.ensure_user(session, members.Profile(telegram_id, f"Person {telegram_id}"))


async def _submit(session: AsyncSession, village: Community, author: User, text: str) -> Idea:
    cleaned = await ideas.check_submission(session, village, author, text)
    return await ideas.submit(session, village, author, cleaned)


async def test_numbers_count_per_community(db: Database) -> None:
    async with db.transaction() as session:
        first, second = await _village(session, -1), await _village(session, -2)
        anna = await _person(session, 1)
        numbers = [
            (await _submit(session, first, anna, "Jauns rotaļu laukums pie skolas")).number,
            (await _submit(session, second, anna, "Ielu apgaismojums Dārza ielā")).number,
            (await _submit(session, first, anna, "Soliņi pie autobusa pieturas")).number,
        ]
        assert numbers == [1, 1, 2]
        changes = list(await session.scalars(select(IdeaStatusChange.new_status)))
        assert changes == [IdeaStatus.NEW] * 3


async def test_text_limits_and_flood_limit(db: Database) -> None:
    async with db.transaction() as session:
        village, anna = await _village(session), await _person(session, 1)
        with pytest.raises(InvalidInput):
            await ideas.check_submission(session, village, anna, "   īsi   ")
        with pytest.raises(InvalidInput):
            await ideas.check_submission(session, village, anna, "x" * 1001)
        leader_asked = 0

        async def a_leader() -> bool:
            nonlocal leader_asked
            leader_asked += 1
            return True

        # Under the limit, whether the member leads is not asked at all.
        await ideas.check_submission(session, village, anna, "Vēl viena ideja", is_leader=a_leader)
        assert leader_asked == 0
        start = utcnow()
        for n in range(ideas.RATE_LIMIT):
            await _submit(session, village, anna, f"Ideja numur {n} par ciemu")
        with pytest.raises(InvalidInput) as flood:
            await ideas.check_submission(session, village, anna, "Vēl viena laba ideja")
        # It says how long to wait, in minutes with the right plural form.
        assert (flood.value.message, flood.value.plural) == ideas.TOO_MANY_IDEAS
        assert flood.value.params == {"n": 10}
        # A leader typing in what a meeting collected has no limit.
        await ideas.check_submission(
            session, village, anna, "Vēl viena laba ideja", is_leader=a_leader
        )
        assert leader_asked == 1
    with time_machine.travel(start + timedelta(minutes=9, seconds=30)):
        async with db.transaction() as session:
            with pytest.raises(InvalidInput) as flood:
                await ideas.check_submission(session, village, anna, "Vēl viena laba ideja")
            assert flood.value.params["n"] == 1
    with time_machine.travel(start + ideas.RATE_WINDOW + timedelta(seconds=1)):
        async with db.transaction() as session:
            await ideas.check_submission(session, village, anna, "Vēl viena laba ideja")


async def test_support_toggles_and_counts(db: Database) -> None:
    async with db.transaction() as session:
        village = await _village(session)
        anna, janis = await _person(session, 1), await _person(session, 2)
        idea = await _submit(session, village, anna, "Jauns rotaļu laukums pie skolas")
        assert await ideas.toggle_support(session, idea, janis)
        assert await ideas.toggle_support(session, idea, anna)
        assert idea.support_count == 2
        assert not await ideas.toggle_support(session, idea, janis)
        assert idea.support_count == 1
        assert not await ideas.ensure_support(session, idea, anna)
        assert await ideas.ensure_support(session, idea, janis)
        assert idea.support_count == 2
        assert await ideas.supporters(session, idea) == [anna.id, janis.id]


async def test_one_support_per_member_is_the_databases_rule(db: Database) -> None:
    async with db.transaction() as session:
        village = await _village(session)
        anna = await _person(session, 1)
        idea = await _submit(session, village, anna, "Jauns rotaļu laukums pie skolas")
        session.add(IdeaSupport(community_id=village.id, idea_id=idea.id, user_id=anna.id))
        await session.flush()
    from sqlalchemy.exc import IntegrityError

    with pytest.raises(IntegrityError):
        async with db.transaction() as session:
            session.add(IdeaSupport(community_id=village.id, idea_id=idea.id, user_id=anna.id))


async def test_concurrent_presses_keep_the_count_true(db: Database) -> None:
    """Two members pressing at the same moment, each in their own transaction."""
    async with db.transaction() as session:
        village = await _village(session)
        people = [await _person(session, n) for n in range(1, 7)]
        idea = await _submit(session, village, people[0], "Jauns rotaļu laukums pie skolas")

    async def press(user: User) -> None:
        async with db.transaction() as session:
            fresh = await session.get(Idea, idea.id)
            assert fresh is not None
            await ideas.toggle_support(session, fresh, user)

    await asyncio.gather(*(press(p) for p in people))
    async with db.transaction() as session:
        fresh = await session.get(Idea, idea.id)
        rows = await session.scalar(select(func.count()).select_from(IdeaSupport))
    assert fresh is not None
    assert fresh.support_count == rows == 6


async def test_concurrent_submissions_get_one_number_each(db: Database) -> None:
    """Six members submit at once, each in their own transaction: a number taken by a racing
    transaction is skipped and the next one used (PostgreSQL runs them truly at once)."""
    async with db.transaction() as session:
        village = await _village(session)
        people = [await _person(session, n) for n in range(1, 7)]

    async def submit(user: User) -> int:
        async with db.transaction() as session:
            idea = await ideas.submit(session, village, user, f"Ideja numur {user.telegram_id}")
            return idea.number

    numbers = await asyncio.gather(*(submit(p) for p in people))
    assert sorted(numbers) == [1, 2, 3, 4, 5, 6]
    async with db.transaction() as session:
        history = await session.scalar(select(func.count()).select_from(IdeaStatusChange))
    assert history == 6


async def test_similar_ideas_in_latvian_and_russian(db: Database) -> None:
    async with db.transaction() as session:
        village = await _village(session)
        anna = await _person(session, 1)
        playground = await _submit(session, village, anna, "Jauns rotaļu laukums pie skolas")
        await _submit(session, village, anna, "Ielu apgaismojums Dārza ielā")
        road = await _submit(session, village, anna, "Починить дорогу к школе")
        other_village = await _village(session, -2)
        await _submit(session, other_village, anna, "Jauns rotaļu laukums pie baznīcas")

        found = await ideas.similar(session, village, "jauns rotalu laukums pie skolas!")
        assert [s.idea.id for s in found] == [playground.id]
        assert [
            s.idea.id for s in await ideas.similar(session, village, "починить дорогу до школы")
        ] == [road.id]
        assert await ideas.similar(session, village, "Tirgus laukumā katru sestdienu") == []
        await ideas.set_status(session, playground, anna, IdeaStatus.REJECTED, "Nav zemes")
        assert await ideas.similar(session, village, "Jauns rotaļu laukums pie skolas") == []


async def test_status_changes_allowed_and_refused(db: Database) -> None:
    async with db.transaction() as session:
        village = await _village(session)
        anna, leader = await _person(session, 1), await _person(session, 9)
        idea = await _submit(session, village, anna, "Jauns rotaļu laukums pie skolas")
        for status in (IdeaStatus.DISCUSSION, IdeaStatus.ACCEPTED, IdeaStatus.PROGRESS):
            change = await ideas.set_status(session, idea, leader, status)
            assert change.new == status
        with pytest.raises(InvalidInput):
            await ideas.set_status(session, idea, leader, IdeaStatus.PROGRESS)
        with pytest.raises(InvalidInput):
            await ideas.set_status(session, idea, leader, IdeaStatus.REJECTED)
        with pytest.raises(InvalidInput):
            await ideas.set_status(session, idea, leader, IdeaStatus.WITHDRAWN)
        done = await ideas.set_status(session, idea, leader, IdeaStatus.DONE)
        assert (done.old, idea.progress) == (IdeaStatus.PROGRESS, 100)
        rejected = await ideas.set_status(
            session, idea, leader, IdeaStatus.REJECTED, "  Nav zemes "
        )
        assert rejected.reason == "Nav zemes"
        history = [
            (c.old_status, c.new_status, c.reason) for c in await ideas.history(session, idea)
        ]
        assert history[-1] == (IdeaStatus.DONE, IdeaStatus.REJECTED, "Nav zemes")
        assert len(history) == 6
        audited = await session.scalar(
            select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "idea-status")
        )
        assert audited == 5


async def test_status_words_fixed_and_translated() -> None:
    assert ideas.parse_status("Accepted") == IdeaStatus.ACCEPTED
    assert ideas.parse_status("pieņemta", {"pieņemta": IdeaStatus.ACCEPTED}) == IdeaStatus.ACCEPTED
    with pytest.raises(InvalidInput):
        ideas.parse_status("withdrawn")
    with pytest.raises(InvalidInput) as caught:
        ideas.parse_status("maybe")
    assert caught.value.params["statuses"] == "new, discussion, accepted, progress, done, rejected"
    with pytest.raises(InvalidInput) as caught:
        ideas.parse_status("varbūt", shown=["jauna", "pieņemta"])
    assert caught.value.params == {"word": "varbūt", "statuses": "jauna, pieņemta"}


async def test_withdraw_only_by_the_author_while_new(db: Database) -> None:
    async with db.transaction() as session:
        village = await _village(session)
        anna, janis = await _person(session, 1), await _person(session, 2)
        idea = await _submit(session, village, anna, "Jauns rotaļu laukums pie skolas")
        with pytest.raises(NotAllowed):
            await ideas.withdraw(session, idea, janis)
        await ideas.withdraw(session, idea, anna)
        assert idea.status == IdeaStatus.WITHDRAWN
        with pytest.raises(InvalidInput):
            await ideas.set_status(session, idea, janis, IdeaStatus.ACCEPTED)
        later = await _submit(session, village, anna, "Soliņi pie autobusa pieturas")
        await ideas.set_status(session, later, janis, IdeaStatus.DISCUSSION)
        with pytest.raises(InvalidInput):
            await ideas.withdraw(session, later, anna)


async def test_hidden_ideas_vanish_for_residents(db: Database) -> None:
    async with db.transaction() as session:
        village = await _village(session)
        anna, leader = await _person(session, 1), await _person(session, 9)
        idea = await _submit(session, village, anna, "Kaut kas nepieklājīgs un aizskarošs")
        assert await ideas.hide(session, idea, leader)
        assert not await ideas.hide(session, idea, leader)
        with pytest.raises(NotFound):
            await ideas.by_number(session, village, idea.number)
        assert (await ideas.by_number(session, village, idea.number, include_hidden=True)).hidden
        assert (await ideas.open_ideas(session, village)).total == 0
        with pytest.raises(InvalidInput):
            await ideas.toggle_support(session, idea, leader)


async def test_area_is_the_authors_or_a_leaders_choice(db: Database) -> None:
    async with db.transaction() as session:
        village = await _village(session)
        anna, janis = await _person(session, 1), await _person(session, 2)
        idea = await _submit(session, village, anna, "Jauns rotaļu laukums pie skolas")
        with pytest.raises(NotAllowed):
            ideas.choose_area(idea, janis, IdeaArea.ECONOMY)
        assert ideas.choose_area(idea, anna, IdeaArea.INFRASTRUCTURE)
        assert not ideas.choose_area(idea, anna, IdeaArea.INFRASTRUCTURE)
        assert ideas.choose_area(idea, janis, IdeaArea.ECONOMY, leader=True)
        await ideas.set_tracking(session, idea, janis, area=IdeaArea.GOVERNANCE)
        assert idea.area == IdeaArea.GOVERNANCE
        audit = await session.scalar(
            select(AuditEntry)
            .where(AuditEntry.action == "idea-track")
            .order_by(AuditEntry.id.desc())
        )
        assert audit is not None
        assert audit.details["area"] == "governance"


async def test_tracking_values(db: Database) -> None:
    assert ideas.parse_cost("1200") == 120_000
    assert ideas.parse_cost("1 200,50") == 120_050
    assert ideas.parse_cost("€99.99") == 9_999
    for bad in ("abc", "-5", "1e12", "NaN"):
        with pytest.raises(InvalidInput):
            ideas.parse_cost(bad)
    assert ideas.parse_progress("40%") == 40
    for bad in ("101", "-1", "x"):
        with pytest.raises(InvalidInput):
            ideas.parse_progress(bad)
    async with db.transaction() as session:
        village = await _village(session)
        anna, leader = await _person(session, 1), await _person(session, 9)
        idea = await _submit(session, village, anna, "Jauns rotaļu laukums pie skolas")
        await ideas.set_tracking(
            session,
            idea,
            leader,
            owner=anna,
            cost_cents=500_000,
            funding_source="LEADER",
            progress=30,
        )
        assert (idea.owner_id, idea.cost_cents, idea.funding_source, idea.progress) == (
            anna.id,
            500_000,
            "LEADER",
            30,
        )
        await ideas.set_tracking(session, idea, leader, clear_owner=True)
        assert idea.owner_id is None


async def test_lists_are_paged_most_supported_first(db: Database) -> None:
    async with db.transaction() as session:
        village = await _village(session)
        people = [await _person(session, n) for n in range(1, 13)]
        made = []
        for n in range(12):
            idea = await _submit(
                session, village, people[n], f"Ideja numur {n:02d} ciema attīstībai"
            )
            made.append(idea)
            for supporter in people[: n % 4]:
                await ideas.toggle_support(session, idea, supporter)
        ideas.choose_area(made[0], people[0], IdeaArea.ECONOMY)
        first = await ideas.open_ideas(session, village)
        assert (first.total, first.pages, len(first.ideas)) == (12, 3, 5)
        counts = [i.support_count for i in first.ideas]
        assert counts == sorted(counts, reverse=True)
        last = await ideas.open_ideas(session, village, page=99)
        assert (last.page, len(last.ideas)) == (2, 2)
        economy = await ideas.open_ideas(session, village, area=IdeaArea.ECONOMY)
        assert [i.id for i in economy.ideas] == [made[0].id]
        other = await ideas.open_ideas(session, village, area=IdeaArea.OTHER)
        assert other.total == 11
        assert [i.number for i in await ideas.top_open(session, village, 2)] == [4, 8]


async def test_card_view_reads_the_idea_its_language_and_author(db: Database) -> None:
    async with db.transaction() as session:
        village = await _village(session)
        anna = await _person(session, 1)
        idea = await _submit(session, village, anna, "Jauns rotaļu laukums pie skolas")
        nameless = await _person(session, 2)
        nameless.first_name = ""
        orphan = await _submit(session, village, nameless, "Ielu apgaismojums Dārza ielā")
        await ideas.toggle_support(session, idea, nameless)
    async with db.plain() as connection:
        view = await ideas.card_view(connection, idea.id)
        orphan_view = await ideas.card_view(connection, orphan.id)
        assert await ideas.card_view(connection, 424242) is None
    assert view is not None
    shown, language, author = view
    assert (shown.number, shown.text, shown.support_count) == (1, idea.text, 1)
    assert (language, author) == (village.language, anna.display_name)
    assert orphan_view is not None
    assert orphan_view[2] is None


async def test_a_pressed_idea_is_read_outside_the_session(db: Database) -> None:
    async with db.transaction() as session:
        village = await _village(session)
        anna = await _person(session, 1)
        idea_id = (await _submit(session, village, anna, "Jauns rotaļu laukums pie skolas")).id
    async with db.transaction() as session:
        pressed = await ideas.pressed(session, idea_id)
        assert pressed is not None
        assert pressed not in session
        assert await ideas.toggle_support(session, pressed, anna)
        assert pressed.support_count == 1
        assert await ideas.pressed(session, 424242) is None
    async with db.transaction() as session:
        stored = await session.get(Idea, idea_id)
        assert stored is not None
        assert stored.support_count == 1
