"""The agenda-provider hook: other features' lines follow the leaders' items; a failing provider
is left out."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from bot import agenda
from bot.db import Database
from bot.i18n import Catalogs, Html, Translator, escape
from bot.models import Community, Repeat
from bot.resources import locales_dir
from bot.services import communities, meeting_notes, meetings, members
from bot.services.communities import CommunityDefaults
from bot.services.meeting_times import MeetingRequest

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


@pytest.fixture
def providers() -> Iterator[list[datetime]]:
    asked: list[datetime] = []

    async def polls(
        session: AsyncSession, community: Community, t: Translator, starts_at: datetime
    ) -> list[Html]:
        asked.append(starts_at)
        return [t._("<b>Agenda</b>"), escape(f"{community.title} <poll>")]

    async def failing(
        session: AsyncSession, community: Community, t: Translator, starts_at: datetime
    ) -> list[Html]:
        await session.execute(text("SELECT * FROM no_such_table"))
        return [Html("never")]

    saved = list(agenda.AGENDA_PROVIDERS)
    agenda.agenda_provider(failing)
    agenda.agenda_provider(polls)
    agenda.agenda_provider(polls)  # registering twice does not double the lines
    yield asked
    agenda.AGENDA_PROVIDERS[:] = saved


async def test_providers_add_lines_after_the_leaders_items(
    db: Database, providers: list[datetime], caplog: pytest.LogCaptureFixture
) -> None:
    t = Catalogs.load(locales_dir()).translator("ru")
    async with db.transaction() as session:
        village = (
            await communities.ensure(
                session, -1, "Lejasciems", CommunityDefaults("lv", "Europe/Riga")
            )
        ).community
        anna = await members.ensure_user(session, members.Profile(1, "Anna"))
        start = datetime(2026, 12, 3, 18, 0, tzinfo=ZoneInfo("Europe/Riga"))
        draft = await meetings.create_draft(
            session, village, anna, MeetingRequest(start, "Sanāksme", None)
        )
        first = await meetings.confirm(session, village, anna, draft.id, Repeat.ONCE, NOW)
        await meeting_notes.add_agenda_item(session, village, anna, "Ceļš <remonts>", NOW)
        lines = await agenda.agenda_of(session, village, t, first)
        assert lines == [
            "Ceļš &lt;remonts&gt;",
            "<b>Повестка дня</b>",
            "Lejasciems &lt;poll&gt;",
        ]
        assert providers == [start]
        # The failed provider's error did not break the transaction.
        assert await meeting_notes.agenda_items(session, first.id) == ["Ceļš <remonts>"]
    assert "agenda provider failing failed" in caplog.text
