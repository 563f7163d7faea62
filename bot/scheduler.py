"""Scheduled work is derived from the database, never kept only in the JobQueue.

Each feature registers a job source: an async function that (re)creates that feature's jobs from
the database. All sources run at start-up (post_init); a feature calls `reschedule` after a
change. Jobs carry structured names (`"meeting-reminder:{occurrence_id}:{offset}"`) so that a
source can replace its own jobs.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import TYPE_CHECKING

from bot.models import utcnow
from bot.services import updates

if TYPE_CHECKING:
    from bot.runtime import BotApplication, BotContext

log = logging.getLogger(__name__)

JobSource = Callable[["BotApplication"], Awaitable[None]]
SOURCES_KEY = "job_sources"
HOUSEKEEPING_INTERVAL = timedelta(hours=6)
PROCESSED_UPDATES_KEPT = timedelta(days=2)


def add_source(app: BotApplication, source: JobSource) -> None:
    app.bot_data.setdefault(SOURCES_KEY, []).append(source)


async def rebuild(app: BotApplication) -> None:
    """Recreate every job from the database; a failing source is logged, the others still run."""
    for source in app.bot_data.get(SOURCES_KEY, []):
        try:
            await source(app)
        except Exception:
            log.exception("job source %s failed", getattr(source, "__name__", source))


def replace_job(
    app: BotApplication,
    name: str,
    callback: Callable[[BotContext], Awaitable[None]],
    when: object,
    data: object = None,
) -> None:
    """Schedule one job by name, dropping an earlier job of the same name."""
    queue = app.job_queue
    assert queue is not None, "python-telegram-bot was installed without the job-queue extra"
    for job in queue.get_jobs_by_name(name):
        job.schedule_removal()
    queue.run_once(callback, when, data=data, name=name)  # type: ignore[arg-type]


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
