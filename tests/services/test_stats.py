"""Participation figures, one test per figure, and the weekly activity of six months."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import time_machine

from bot.db import Database
from bot.models import Answer, IdeaArea, IdeaStatus, Quadrant, utcnow
from bot.services import communities, ideas, members, stats
from tests.services.desk_world import DEFAULTS, build


async def test_members_known_and_active(db: Database) -> None:
    async with db.transaction() as session:
        world = await build(session)
        assert await stats.members_known(session, world.village) == 4
        assert await stats.active_members(session, world.village, utcnow()) == 4
        await members.mark_left(session, world.village, world.ilze)
        assert await stats.members_known(session, world.village) == 3
        later = utcnow() + timedelta(days=31)
        assert await stats.active_members(session, world.village, later) == 0


async def test_ideas_by_area_and_status(db: Database) -> None:
    async with db.transaction() as session:
        world = await build(session)
        counts = await stats.ideas_by_area_and_status(session, world.village)
    # The hidden idea is left out.
    assert counts == {
        (IdeaArea.COMMUNITY, IdeaStatus.ACCEPTED): 1,
        (IdeaArea.INFRASTRUCTURE, IdeaStatus.PROGRESS): 1,
        (None, IdeaStatus.NEW): 1,
    }


async def test_swot_inputs_by_quadrant(db: Database) -> None:
    async with db.transaction() as session:
        world = await build(session)
        figures = await stats.swot_inputs_by_quadrant(session, world.village)
    assert figures.round_number == 1
    assert figures.inputs == {Quadrant.S: 1, Quadrant.W: 1, Quadrant.O: 1, Quadrant.T: 0}
    assert figures.total == 3
    assert figures.votes == 3  # the authors' own agreement is not counted


async def test_poll_turnout(db: Database) -> None:
    async with db.transaction() as session:
        world = await build(session)
        figures = await stats.poll_turnout(session, world.village)
    assert (figures.count, figures.open) == (2, 1)
    latest = {p.question: p for p in figures.latest}
    assert (latest["Kur likt soliņu?"].voters, latest["Kur likt soliņu?"].turnout) == (3, 75)
    # Anonymous polls: Telegram counted 4 voters, of the 4 members known.
    assert latest["Vai rīkot talku?"].turnout == 100
    assert figures.average_turnout == 88


async def test_meeting_figures(db: Database) -> None:
    async with db.transaction() as session:
        world = await build(session)
        figures = await stats.meeting_figures(session, world.village, utcnow())
    assert (figures.held, figures.upcoming) == (1, 1)
    assert figures.rsvps == {Answer.GOING: 1, Answer.MAYBE: 1, Answer.NO: 1}
    assert (figures.with_minutes, figures.minutes) == (1, 1)


async def test_victory_figures(db: Database) -> None:
    async with db.transaction() as session:
        world = await build(session)
        figures = await stats.victory_figures(session, world.village)
    assert (figures.announced, figures.pending, figures.applause) == (1, 1, 2)


async def test_weekly_activity_counts_each_kind_in_its_local_week(db: Database) -> None:
    # Sunday 23:30 in Riga is still the week that began on Monday 2026-11-16.
    sunday_night = datetime(2026, 11, 22, 21, 30, tzinfo=UTC)
    with time_machine.travel(sunday_night, tick=False):
        async with db.transaction() as session:
            world = await build(session)
            weeks = await stats.weekly_activity(session, world.village, utcnow())
    assert len(weeks) == stats.CHART_WEEKS
    assert weeks[-1].start == date(2026, 11, 16)
    assert weeks[0].start == date(2026, 11, 16) - timedelta(weeks=25)
    assert all(w.start.weekday() == 0 for w in weeks)
    # 4 ideas, 3 supports, 2 comments, 3 SWOT inputs and 3 votes on them, 3 public poll
    # answers, 3 RSVPs, 2 applause.
    assert weeks[-1].count == 4 + 3 + 2 + 3 + 3 + 3 + 3 + 2
    assert sum(w.count for w in weeks[:-1]) == 0


async def test_weekly_activity_leaves_out_older_activity(db: Database) -> None:
    long_ago = datetime(2026, 1, 5, 10, tzinfo=UTC)
    async with db.transaction() as session:
        village = (await communities.ensure(session, -1, "Lejasciems", DEFAULTS)).community
        author = await members.ensure_user(session, members.Profile(1, "Anna"))
        with time_machine.travel(long_ago, tick=False):
            await ideas.submit(session, village, author, "Sena ideja par ciemu")
        await ideas.submit(session, village, author, "Jauna ideja par ciemu")
        weeks = await stats.weekly_activity(session, village, utcnow())
    assert sum(w.count for w in weeks) == 1


async def test_overview_has_every_figure(db: Database) -> None:
    async with db.transaction() as session:
        world = await build(session)
        figures = await stats.overview(session, world.village, utcnow())
    assert (figures.members, figures.active) == (4, 4)
    assert figures.ideas_in(IdeaStatus.ACCEPTED) == 1
    assert figures.ideas_of(None) == 1
    assert figures.swot.total == 3
    assert figures.polls.count == 2
    assert figures.meetings.held == 1
    assert figures.victories.announced == 1
    assert len(figures.activity) == stats.CHART_WEEKS
