from __future__ import annotations

from datetime import timedelta

import time_machine

from bot.db import Database
from bot.models import utcnow
from bot.services import communities, flows, members
from bot.services.communities import CommunityDefaults


async def test_a_flow_moves_step_by_step_and_ends(db: Database) -> None:
    async with db.transaction() as session:
        village = (
            await communities.ensure(
                session, -1, "Lejasciems", CommunityDefaults("lv", "Europe/Riga")
            )
        ).community
        user = await members.ensure_user(session, members.Profile(7, "Anna"))
        await flows.start(session, user, village, "poll", "question")
    async with db.transaction() as session:
        flow = await flows.current(session, user)
        assert flow is not None
        assert (flow.kind, flow.step, flow.data) == ("poll", "question", {})
        flows.advance(flow, "options", question="Kur likt soliņu?")
    async with db.transaction() as session:
        flow = await flows.current(session, user)
        assert flow is not None
        assert (flow.step, flow.data) == ("options", {"question": "Kur likt soliņu?"})
        assert await flows.finish(session, user)
        assert not await flows.finish(session, user)
        assert await flows.current(session, user) is None


async def test_a_forgotten_flow_expires(db: Database) -> None:
    async with db.transaction() as session:
        village = (
            await communities.ensure(
                session, -1, "Lejasciems", CommunityDefaults("lv", "Europe/Riga")
            )
        ).community
        user = await members.ensure_user(session, members.Profile(7, "Anna"))
        await flows.start(session, user, village, "swot", "quadrant")
    with time_machine.travel(utcnow() + flows.FLOW_LIFETIME + timedelta(minutes=1), tick=False):
        async with db.transaction() as session:
            assert await flows.current(session, user) is None


async def test_whether_a_flow_is_open_is_read_by_telegram_id(db: Database) -> None:
    """The intake limit asks this before leaving private text unanswered (handlers.intake)."""
    async with db.transaction() as session:
        village = (
            await communities.ensure(
                session, -1, "Lejasciems", CommunityDefaults("lv", "Europe/Riga")
            )
        ).community
        user = await members.ensure_user(session, members.Profile(7, "Anna"))
        await members.ensure_user(session, members.Profile(8, "Jānis"))
        assert not await flows.is_open(session, 7)
        await flows.start(session, user, village, "swot", "quadrant")
    async with db.transaction() as session:
        assert await flows.is_open(session, 7)
        assert not await flows.is_open(session, 8)
        assert not await flows.is_open(session, 9)
    with time_machine.travel(utcnow() + flows.FLOW_LIFETIME + timedelta(minutes=1), tick=False):
        async with db.transaction() as session:
            assert not await flows.is_open(session, 7)
