"""Scheduled meeting messages: reminders, the start notice, and the leaders' minutes reminder.

Jobs are derived from the database (`bot.services.meeting_plan`) at start-up and after every
change (`schedule`). A job checks that its message is still wanted, claims its key in the
sent-once ledger (committed), then sends: at most once per date, even across restarts. A time
missed while the bot was down is sent late within its grace period, else skipped and logged.
"""

from __future__ import annotations

import logging
import re
from dataclasses import replace
from datetime import timedelta
from typing import cast

from bot import scheduler
from bot.models import utcnow
from bot.render import meetings as render
from bot.runtime import RUNTIME_KEY, BotApplication, BotContext, Runtime
from bot.services import leaders, meeting_plan, meetings, members, outbox
from bot.services.meeting_plan import Due, Kind
from handlers.context import Turn
from handlers.jobs import JobCallback, JobTurn, community_job
from handlers.meeting_cards import show_card, view_of
from handlers.notify import privately, translator_for

log = logging.getLogger(__name__)

GRACE = {
    Kind.REMINDER: timedelta(minutes=30),
    Kind.START: timedelta(minutes=30),
    Kind.MINUTES: timedelta(hours=12),  # not urgent: better late than never
}
_OUR_JOBS = re.compile(r"^meeting-(reminder|start|minutes):")
# Jobs exist for the messages due in this window; the planner extends it every REPLAN_EVERY,
# so a region's month of reminders (thousands of meetings) is not all waiting in memory.
PLANNING_WINDOW = timedelta(hours=36)
REPLAN_EVERY = timedelta(hours=12)
PLANNER = "planner:meetings"


async def schedule(app: BotApplication, community_id: int | None = None) -> None:
    """(Re)create the jobs of one community's meetings, or of all: the database decides."""
    runtime: Runtime = app.bot_data[RUNTIME_KEY]
    now = utcnow()
    async with runtime.db.transaction() as session:
        await meetings.extend_all(session, now, community_id)
        plan = await meeting_plan.due_messages(
            session, now, community_id, until=now + PLANNING_WINDOW
        )
    queue = app.job_queue
    assert queue is not None
    for job in queue.jobs(_OUR_JOBS):
        data = job.data if isinstance(job.data, dict) else {}
        if community_id is None or data.get("community_id") == community_id:
            job.schedule_removal()
    for due in plan:
        scheduler.schedule_at(
            app,
            due.name,
            JOBS[due.kind],
            due.when,
            grace=GRACE[due.kind],
            data={"community_id": due.community_id, "due": due},
        )


def reschedule(turn: Turn, community_id: int) -> None:
    """Once the update's change is committed, its community's meeting jobs follow it."""
    app = cast(BotApplication, turn.context.application)

    async def again() -> None:
        await schedule(app, community_id)

    turn.after_commit(again)


async def meetings_source(app: BotApplication) -> None:
    """The job source run at start-up; the planner runs it again every REPLAN_EVERY."""
    await schedule(app)
    queue = app.job_queue
    assert queue is not None
    queue.run_repeating(
        _replan,
        interval=REPLAN_EVERY,
        first=REPLAN_EVERY,
        name=PLANNER,
        job_kwargs={"id": PLANNER, "replace_existing": True},
    )


async def _replan(context: BotContext) -> None:
    try:
        await schedule(context.app)
    except Exception:
        log.exception("planning the meeting messages failed")


async def _still_due(job: JobTurn) -> Due | None:
    due: Due = job.data["due"]
    async with job.transaction() as session:
        wanted = await meeting_plan.still_due(session, due)
    if wanted is None:
        log.info("%s is no longer wanted", due.name)
        return None
    return due


async def _send_once(job: JobTurn, due: Due, *letters: outbox.Message) -> None:
    """Claimed and written together; not sent at all once its grace is over (a reminder an
    outage held up would give a wrong time)."""
    send_by = due.when + GRACE[due.kind]
    if not await job.send_once(due.key, *(replace(letter, send_by=send_by) for letter in letters)):
        log.info("%s was sent before", due.name)


@community_job
async def send_reminder(job: JobTurn) -> None:
    due = await _still_due(job)
    if due is not None:
        card = show_card(job.community.chat_id, due.occurrence_id, due.offset)
        await _send_once(job, due, card)


@community_job
async def send_start(job: JobTurn) -> None:
    due = await _still_due(job)
    if due is None:
        return
    await _send_once(job, due, show_card(job.community.chat_id, due.occurrence_id, render.START))
    # The next date of a series is created and scheduled now that this one has begun.
    await schedule(cast(BotApplication, job.context.application), job.community.id)


@community_job
async def ask_for_minutes(job: JobTurn) -> None:
    """Tell each leader who started the bot, in their language."""
    due = await _still_due(job)
    if due is None:
        return
    community = job.community
    admins = await leaders.known_admins(job.runtime.admins, community)
    async with job.transaction() as session:
        leader_ids = set(admins) | await members.promoted_leader_ids(session, community)
        occurrence = await meetings.occurrence_in(session, community, due.occurrence_id)
        letters = []
        for telegram_id in sorted(leader_ids):
            person = await members.by_telegram_id(session, telegram_id)
            if person is None or not person.started_bot:
                continue
            t = translator_for(job.runtime, person, community)
            view = await view_of(session, t, occurrence)
            letters += privately(person, render.minutes_reminder(t, view, community.title))
    await _send_once(job, due, *letters)


JOBS: dict[Kind, JobCallback] = {
    Kind.REMINDER: send_reminder,
    Kind.START: send_start,
    Kind.MINUTES: ask_for_minutes,
}
