"""The village digest: posted on the community's schedule, once per period, and on demand for
leaders (`/digest`: text to copy, and a picture card for social media).

Other features add what they have to tell with DIGEST_SECTIONS (polls closed, decisions, the next
meeting): each section is rendered for the period and says whether it is news.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime

from bot import scheduler
from bot.i18n import N_, Html, Translator, escape
from bot.models import Community, DigestFrequency, utcnow
from bot.render import digest as render
from bot.render.picture_card import draw_card
from bot.runtime import BotApplication, Runtime
from bot.services import (
    Session,
    communities,
    decisions,
    digest,
    meeting_notes,
    meetings,
    outbox,
    placed,
    polls,
)
from bot.services.digest import DigestData
from bot.wire import messages
from handlers.context import Turn, on_update
from handlers.jobs import JobTurn, community_job

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Section:
    text: Html
    news: bool  # counts as something having happened (the next meeting alone does not)


DigestSection = Callable[
    [Session, Community, Translator, datetime, datetime], Awaitable[Section | None]
]


async def _polls(
    session: Session, community: Community, t: Translator, since: datetime, until: datetime
) -> Section | None:
    closed = [
        poll
        for poll in await polls.recent_closed(session, community, since, limit=50)
        if poll.closed_at is not None and poll.closed_at < until
    ]
    if not closed:
        return None
    members = await polls.known_members(session, community.id)
    outcomes = [await polls.results(session, poll, members=members) for poll in reversed(closed)]
    return Section(render.polls_section(t, outcomes), news=True)


async def _decisions(
    session: Session, community: Community, t: Translator, since: datetime, until: datetime
) -> Section | None:
    made = await decisions.made_between(session, community, since, until)
    return Section(render.decisions_section(t, made), news=True) if made else None


async def _meetings_held(
    session: Session, community: Community, t: Translator, since: datetime, until: datetime
) -> Section | None:
    held = [
        o for o in await meetings.recent_past(session, community, until, 20) if o.starts_at >= since
    ]
    if not held:
        return None
    zone = communities.zone_of(community)
    entries = [
        (
            o.meeting.title,
            t.date_text(o.starts_at, zone),
            await meeting_notes.minutes_of(session, o.id),
        )
        for o in reversed(held)
    ]
    return Section(render.meetings_section(t, entries), news=True)


async def _next_meeting(
    session: Session, community: Community, t: Translator, _since: datetime, until: datetime
) -> Section | None:
    upcoming = await meetings.next_occurrence(session, community, until)
    if upcoming is None:
        return None
    when = t.datetime_text(upcoming.starts_at, communities.zone_of(community))
    return Section(render.next_meeting(t, upcoming.meeting.title, when), news=False)


# What other features tell in the digest, in this order.
DIGEST_SECTIONS: tuple[DigestSection, ...] = (
    _polls,
    _decisions,
    _meetings_held,
    _next_meeting,
)


@dataclass(frozen=True)
class Composed:
    text: Html
    data: DigestData
    has_news: bool


async def compose(
    session: Session,
    runtime: Runtime,
    community: Community,
    since: datetime,
    until: datetime,
    frequency: DigestFrequency | None,
) -> Composed:
    t = runtime.translator(community.language)
    data = await digest.collect(session, community, since, until)
    sections = [
        s for s in [await f(session, community, t, since, until) for f in DIGEST_SECTIONS] if s
    ]
    text = render.digest(
        t,
        community.title,
        data,
        frequency,
        communities.zone_of(community),
        [s.text for s in sections],
    )
    return Composed(text, data, data.has_news or any(s.news for s in sections))


# --- the schedule ---------------------------------------------------------------------------


def _job_name(community_id: int) -> str:
    return f"digest:{community_id}"


async def schedule_next(app: BotApplication, community_id: int, *, catch_up: bool = True) -> None:
    """The community's next digest job, or (with `catch_up`, at start-up or when a community
    returns) a late one for a period missed while down. After a digest ran, or a leader changed
    the schedule, the period just past is not missed: only the next one is scheduled."""
    runtime: Runtime = app.bot_data["runtime"]
    async with runtime.db.transaction() as session:
        community = await communities.by_id(session, community_id)
        if community is None or not community.active:
            scheduler.cancel_jobs(app, _job_name(community_id))
            return
        when = await digest.next_run(session, community, utcnow(), catch_up=catch_up)
        zone = communities.zone_of(community)
    if when is None:
        scheduler.cancel_jobs(app, _job_name(community_id))
        return
    scheduler.schedule_at(
        app,
        _job_name(community_id),
        post_digest,
        when,
        grace=digest.GRACE,
        data={"community_id": community_id, "period": digest.period_key(when, zone)},
    )


async def digest_jobs(app: BotApplication) -> None:
    """Job source: every active community's next digest."""
    runtime: Runtime = app.bot_data["runtime"]
    async with runtime.db.transaction() as session:
        ids = await communities.active_ids(session)
    for community_id in ids:
        await schedule_next(app, community_id)


@community_job
async def post_digest(job: JobTurn) -> None:
    """Compose the period's digest; claim the period, then post; an empty period is skipped."""
    community, period = job.community, str(job.data["period"])
    async with job.transaction() as session:
        schedule = await digest.schedule_of(session, community)
        since, until = await digest.covers_from(session, community), utcnow()
        composed = await compose(session, job.runtime, community, since, until, schedule.frequency)
        claimed = (
            await digest.claim(session, community, period, since, until)
            if composed.has_news
            else None
        )
        if claimed is not None:  # posted with its claim; the outbox records where it went
            posted = messages.post(
                community.chat_id, composed.text, after_send=placed.digest_post(claimed.id)
            )
            await outbox.put(session, [posted])
    if not composed.has_news:
        log.info("no digest for community %s: nothing happened since %s", community.id, since)
    elif claimed is None:
        log.info("digest %s of community %s was posted before", period, community.id)
    await schedule_next(job.context.app, community.id, catch_up=False)


# --- settings -------------------------------------------------------------------------------


# Whole phrases per weekday: Latvian and Russian inflect the day with "first" and "on".
FIRST_WEEKDAY = (
    N_("monthly, on the first Monday at {time}"),
    N_("monthly, on the first Tuesday at {time}"),
    N_("monthly, on the first Wednesday at {time}"),
    N_("monthly, on the first Thursday at {time}"),
    N_("monthly, on the first Friday at {time}"),
    N_("monthly, on the first Saturday at {time}"),
    N_("monthly, on the first Sunday at {time}"),
)
EVERY_WEEKDAY = (
    N_("weekly, on Mondays at {time}"),
    N_("weekly, on Tuesdays at {time}"),
    N_("weekly, on Wednesdays at {time}"),
    N_("weekly, on Thursdays at {time}"),
    N_("weekly, on Fridays at {time}"),
    N_("weekly, on Saturdays at {time}"),
    N_("weekly, on Sundays at {time}"),
)


async def show_schedule(session: Session, t: Translator, community: Community) -> str:
    schedule = await digest.schedule_of(session, community)
    if schedule.frequency == DigestFrequency.OFF:
        return t.plain(N_("off"))
    phrases = FIRST_WEEKDAY if schedule.frequency == DigestFrequency.MONTHLY else EVERY_WEEKDAY
    return t.plain(phrases[schedule.weekday], time=f"{schedule.at:%H:%M}")


async def apply_schedule(session: Session, community: Community, values: list[str]) -> None:
    await digest.set_schedule(session, community, digest.parse_schedule(values))


async def schedule_changed(app: BotApplication, community: Community) -> None:
    await schedule_next(app, community.id, catch_up=False)


# --- /digest --------------------------------------------------------------------------------


@on_update(chat="private", leaders_only=True)
async def digest_command(turn: Turn) -> None:
    """The current period's digest as text to copy, and as a picture card."""
    community = turn.need_community()
    since, until = await digest.covers_from(turn.session, community), utcnow()
    composed = await compose(turn.session, turn.runtime, community, since, until, None)
    zone = communities.zone_of(community)
    if not composed.has_news:
        turn.reply(
            turn.t._(
                "Nothing new in {village} since {date} yet.",
                village=community.title,
                date=turn.t.date_text(since, zone),
            )
        )
        return
    turn.reply(escape(render.as_plain_text(composed.text)))
    group_t = turn.runtime.translator(community.language)
    data = composed.data
    picture = await asyncio.to_thread(
        draw_card,
        render.as_plain_text(render.heading(group_t, community.title, None)).removeprefix("📰 "),
        render.as_plain_text(render.period(group_t, data, zone)),
        render.picture_figures(group_t, data),
        data.victories[-1].text if data.victories else None,
    )
    turn.send(messages.upload(turn.chat.id, "photo", "digest.png", picture))
