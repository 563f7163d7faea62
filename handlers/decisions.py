"""/decision: the working group records what was decided, optionally linked to a poll by
replying to its results, with a review date on which the group is reminded."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import cast

from bot import scheduler
from bot.models import Community, Decision, utcnow
from bot.render import decisions as render
from bot.runtime import RUNTIME_KEY, BotApplication, Runtime
from bot.services import communities, decisions, polls
from handlers.context import Turn, on_update
from handlers.jobs import JobTurn, community_job

# Reviews are announced in the morning of the review day; one missed by a day off is still sent.
REVIEW_TIME = time(9, 0)
REVIEW_GRACE = timedelta(days=1)


@on_update(leaders_only=True)
async def decision_command(turn: Turn) -> None:
    """`/decision [review date] text`; a reply to a poll or its results links the decision."""
    community = turn.need_community()
    zone = communities.zone_of(community)
    parsed = decisions.parse(turn.arg_text, utcnow().astimezone(zone).date())
    reply = turn.message.reply_to_message if turn.message else None
    poll = (
        await polls.find_by_message(turn.session, community, reply.message_id)
        if reply is not None and not turn.in_private
        else None
    )
    decision = await decisions.record(turn.session, community, turn.need_user(), parsed, poll)
    turn.reply(render.recorded(turn.t, decision))
    if decision.review_on is not None:
        app = cast(BotApplication, turn.context.application)

        async def plan() -> None:
            _schedule(app, decision, community)

        turn.after_commit(plan)


@community_job
async def review_job(job: JobTurn) -> None:
    decision_id = int(job.data["decision_id"])
    async with job.transaction() as session:
        decision = await session.get(Decision, decision_id)
    if decision is None or decision.community_id != job.community.id:
        return
    zone = communities.zone_of(job.community)
    reminder = job.to_group(render.review_reminder(job.t, decision, zone))
    await job.send_once(f"decision-review:{decision_id}", reminder)


def _schedule(app: BotApplication, decision: Decision, community: Community) -> None:
    """In the morning of the review day, in the village's time zone."""
    assert decision.review_on is not None
    scheduler.schedule_at(
        app,
        f"decision-review:{decision.id}",
        review_job,
        datetime.combine(decision.review_on, REVIEW_TIME, tzinfo=communities.zone_of(community)),
        grace=REVIEW_GRACE,
        data={"community_id": community.id, "decision_id": decision.id},
    )


async def review_source(app: BotApplication) -> None:
    """At start-up: the review reminders still to come, or missed within their grace."""
    runtime: Runtime = app.bot_data[RUNTIME_KEY]
    async with runtime.db.transaction() as session:
        due = await decisions.reviews_from(session, (utcnow() - REVIEW_GRACE).date())
    for decision, community in due:
        _schedule(app, decision, community)
