"""What the other features put on every meeting's agenda: ideas in discussion, polls open or
closing soon, decisions due for review (used by bot/agenda.py)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import Html, Translator
from bot.models import Community, IdeaStatus
from bot.services import communities, decisions, ideas, polls
from bot.services.text import shorten

LIMIT = 5
TEXT_LIMIT = 100


def _capped(t: Translator, lines: list[Html], total: int) -> list[Html]:
    if total > LIMIT:
        return [*lines[:LIMIT], t.n_("…and {n} more", "…and {n} more", total - LIMIT)]
    return lines


async def ideas_in_discussion(
    session: AsyncSession, community: Community, t: Translator, _starts_at: datetime
) -> list[Html]:
    found = await ideas.in_status(session, community, IdeaStatus.DISCUSSION)
    lines = [
        t._(
            "💡 Idea #{number} in discussion: “{text}”",
            number=idea.number,
            text=shorten(idea.text, TEXT_LIMIT),
        )
        for idea in found[:LIMIT]
    ]
    return _capped(t, lines, len(found))


async def open_polls(
    session: AsyncSession, community: Community, t: Translator, _starts_at: datetime
) -> list[Html]:
    zone = communities.zone_of(community)
    found = await polls.open_polls(session, community)
    lines = []
    for poll in found[:LIMIT]:
        question = shorten(poll.question, TEXT_LIMIT)
        if poll.closes_at is not None:
            lines.append(
                t._(
                    "🗳 Poll open until {when}: “{question}”",
                    when=t.datetime_text(poll.closes_at, zone),
                    question=question,
                )
            )
        else:
            lines.append(t._("🗳 Poll open: “{question}”", question=question))
    return _capped(t, lines, len(found))


async def decisions_to_review(
    session: AsyncSession, community: Community, t: Translator, starts_at: datetime
) -> list[Html]:
    zone = communities.zone_of(community)
    # Due by the meeting's day, or within the week after it: the meeting is the time to look.
    until = (starts_at + timedelta(days=7)).astimezone(zone).date()
    due = await decisions.decisions_due(session, community, until)
    lines = [
        t._(
            "📌 Decision to review ({date}): “{text}”",
            date=t.date_text(d.review_on),
            text=shorten(d.text, TEXT_LIMIT),
        )
        for d in due[:LIMIT]
        if d.review_on is not None
    ]
    return _capped(t, lines, len(due))
