"""A meeting's agenda: the items leaders add, plus lines other features provide.

The providers of the features in this repository (ideas in discussion, polls open or closing
soon, decisions due for review: bot/agenda_lines.py) are listed below; `@agenda_provider`
registers another. Each provider gets the session, the community, a Translator in the
community's language and the meeting's start, and returns agenda lines as Telegram HTML,
already translated (escape any user text with `bot.i18n.escape`). A failing provider is logged
and left out: a reminder is never lost because of one.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot import agenda_lines
from bot.i18n import Html, Translator, escape
from bot.models import Community, MeetingOccurrence
from bot.services import meeting_notes

log = logging.getLogger(__name__)

AgendaProvider = Callable[[AsyncSession, Community, Translator, datetime], Awaitable[list[Html]]]
AGENDA_PROVIDERS: list[AgendaProvider] = [
    agenda_lines.ideas_in_discussion,
    agenda_lines.open_polls,
    agenda_lines.decisions_to_review,
]


def agenda_provider(provider: AgendaProvider) -> AgendaProvider:
    """Register a provider (in the order features are imported)."""
    if provider not in AGENDA_PROVIDERS:
        AGENDA_PROVIDERS.append(provider)
    return provider


async def provided_lines(
    session: AsyncSession, community: Community, t: Translator, starts_at: datetime
) -> list[Html]:
    lines: list[Html] = []
    for provider in list(AGENDA_PROVIDERS):
        try:
            async with session.begin_nested():
                lines.extend(await provider(session, community, t, starts_at))
        except Exception:
            log.exception("agenda provider %s failed", getattr(provider, "__name__", provider))
    return lines


async def agenda_of(
    session: AsyncSession, community: Community, t: Translator, occurrence: MeetingOccurrence
) -> list[Html]:
    """The items leaders added to this date, then the other features' lines."""
    items = [escape(text) for text in await meeting_notes.agenda_items(session, occurrence.id)]
    return items + await provided_lines(session, community, t, occurrence.starts_at)
