"""Scheduled work is derived from the database, never kept only in the JobQueue.

Each feature registers a job source: an async function that (re)creates that feature's jobs from
the database. All sources run at start-up (post_init); a feature calls `reschedule` after a
change. Jobs carry structured names (`"meeting-reminder:{occurrence_id}:{offset}"`) so that a
source can replace its own jobs.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from telegram.ext import Job

from bot.models import utcnow
from bot.services import updates
from bot.wire import request

if TYPE_CHECKING:
    from bot.runtime import BotApplication, BotContext

log = logging.getLogger(__name__)

JobSource = Callable[["BotApplication"], Awaitable[None]]
CommunitySource = Callable[["BotApplication", int], Awaitable[None]]
SOURCES_KEY = "job_sources"
COMMUNITY_SOURCES_KEY = "community_job_sources"
HOUSEKEEPING_INTERVAL = timedelta(hours=6)
PROCESSED_UPDATES_KEPT = timedelta(days=2)


def add_source(app: BotApplication, source: JobSource) -> None:
    app.bot_data.setdefault(SOURCES_KEY, []).append(source)


def add_community_source(app: BotApplication, source: CommunitySource) -> None:
    """A source that can derive one community's jobs (run when a community appears or returns)."""
    app.bot_data.setdefault(COMMUNITY_SOURCES_KEY, []).append(source)


async def rebuild_community(app: BotApplication, community_id: int) -> None:
    for source in app.bot_data.get(COMMUNITY_SOURCES_KEY, []):
        try:
            await source(app, community_id)
        except Exception:
            log.exception("job source %s failed for community %s", source, community_id)


async def rebuild(app: BotApplication) -> None:
    """Recreate every job from the database; a failing source is logged, the others still run."""
    for source in app.bot_data.get(SOURCES_KEY, []):
        try:
            await source(app)
        except Exception:
            log.exception("job source %s failed", getattr(source, "__name__", source))


def cancel_jobs(app: BotApplication, name: str) -> None:
    """Remove the job of that name. Jobs made by `schedule_at` carry their name as their
    APScheduler id, so this is a lookup, not a scan of every job (a region has thousands)."""
    queue = app.job_queue
    assert queue is not None, "python-telegram-bot was installed without the job-queue extra"
    aps_job = queue.scheduler.get_job(name)
    if aps_job is not None:
        Job.from_aps_job(aps_job).schedule_removal()


def schedule_at(
    app: BotApplication,
    name: str,
    callback: Callable[[BotContext], Awaitable[None]],
    when: datetime,
    *,
    grace: timedelta,
    data: object = None,
) -> bool:
    """Run `callback` at `when` (aware), replacing a job of the same name.

    A time already past runs at once if it is at most `grace` ago (the bot was down when it
    was due); older ones are skipped and logged. Returns whether a job was scheduled. While
    the Bot API is unreachable, the job's requests keep retrying until `grace` after `when`.
    """
    queue = app.job_queue
    assert queue is not None, "python-telegram-bot was installed without the job-queue extra"
    cancel_jobs(app, name)
    late = utcnow() - when
    if late > grace:
        log.info("skipped %s: it was due %s ago, past its grace of %s", name, late, grace)
        return False
    if late > timedelta(0):
        log.info("running %s late: it was due %s ago", name, late)
    patience = request.Patience(_plus(when, grace), lambda: not app.running)

    async def run(context: BotContext) -> None:
        # Through a Bot API outage the message waits, as long as its grace allows.
        with request.patient(patience):
            await callback(context)

    queue.run_once(
        run,
        max(when, utcnow()),
        data=data,
        name=name,
        job_kwargs={"id": name, "replace_existing": True},
    )
    return True


# A vote's deadline job runs however late it is: its results are still due.
LATE_IS_FINE = timedelta.max


def schedule_vote(
    app: BotApplication,
    *,
    close: tuple[str, Callable[[BotContext], Awaitable[None]], datetime],
    remind: tuple[str, Callable[[BotContext], Awaitable[None]], datetime | None],
    data: object,
) -> None:
    """A vote's two jobs (a poll's, a budget round's), each (name, callback, when): its close,
    and its reminder, cancelled when it has none."""
    close_name, close_job, closes_at = close
    schedule_at(app, close_name, close_job, closes_at, grace=LATE_IS_FINE, data=data)
    remind_name, remind_job, remind_at = remind
    if remind_at is None:
        cancel_jobs(app, remind_name)
    else:
        schedule_at(app, remind_name, remind_job, remind_at, grace=LATE_IS_FINE, data=data)


def _plus(when: datetime, grace: timedelta) -> datetime:
    """`when + grace`, where a grace of timedelta.max means for ever."""
    try:
        return when + grace
    except OverflowError:
        return datetime.max.replace(tzinfo=UTC)


async def housekeeping(context: BotContext) -> None:
    """Forget update ids older than Telegram's redelivery window."""
    async with context.runtime.db.transaction() as session:
        removed = await updates.prune_processed(session, utcnow() - PROCESSED_UPDATES_KEPT)
    if removed:
        log.info("pruned %s processed update ids", removed)


async def housekeeping_source(app: BotApplication) -> None:
    queue = app.job_queue
    assert queue is not None
    for job in queue.get_jobs_by_name("housekeeping"):
        job.schedule_removal()
    queue.run_repeating(
        housekeeping,
        interval=HOUSEKEEPING_INTERVAL,
        first=timedelta(minutes=1),
        name="housekeeping",
    )
