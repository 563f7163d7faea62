"""A poll's life in its group: posted as a native poll, reminded before its deadline, closed
(stopPoll) at the deadline or by a leader, and its results posted with a chart.

Deadlines and reminders are jobs rebuilt from the database at start-up and after each change
(`reschedule`); each message is claimed in `sent_once` before it goes out, so a restart or a
second process never sends it twice. A missed deadline still closes the poll late: a poll must
always end up closed.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta
from typing import cast

from telegram import InputPollOption, Message
from telegram.error import BadRequest, Forbidden, NetworkError

from bot import scheduler
from bot.i18n import N_
from bot.keyboards.polls import open_poll_keyboard
from bot.models import Community, Poll, User, utcnow
from bot.render import poll_chart
from bot.render import polls as render
from bot.runtime import RUNTIME_KEY, BotApplication, BotContext, Runtime
from bot.services import communities, once, outbox, polls
from handlers.context import Turn
from handlers.jobs import JobTurn, community_job
from handlers.notify import privately, translator_for

log = logging.getLogger(__name__)

# A deadline missed while the bot was down is still kept, however late; so is a reminder, as
# long as the poll is open.
LATE_IS_FINE = timedelta.max
RETRY_CLOSE = timedelta(minutes=1)
NOT_POSTED = N_(
    "I could not post the poll in the group. Check that I am still a member and may send polls."
)


def application(context: BotContext) -> BotApplication:
    return cast(BotApplication, context.application)


async def post_poll(
    context: BotContext, poll_id: int, *, reply_to: int | None = None
) -> Message | None:
    """Send a stored poll to its group as a native poll and keep Telegram's ids for it.

    When Telegram refuses it, the poll is dropped and None returned, so no poll exists that
    nobody can see."""
    db = context.runtime.db
    async with db.transaction() as session:
        poll = await polls.get(session, poll_id)
        community = await communities.by_id(session, poll.community_id) if poll else None
    if poll is None or community is None:
        return None
    try:
        message = await context.bot.send_poll(
            community.chat_id,
            poll.question,
            [InputPollOption(option.text, text_parse_mode=None) for option in poll.options],
            is_anonymous=poll.anonymous,
            allows_multiple_answers=poll.multiple,
            question_parse_mode=None,
            reply_to_message_id=reply_to,
            allow_sending_without_reply=True,
        )
    except (BadRequest, Forbidden) as exc:
        log.warning("could not post poll %s in community %s: %s", poll_id, community.id, exc)
        async with db.transaction() as session:
            await polls.discard(session, poll_id)
        return None
    assert message.poll is not None
    async with db.transaction() as session:
        await polls.posted(session, poll_id, message.chat_id, message.message_id, message.poll.id)
    if poll.closes_at is not None:
        await reschedule(application(context), community.id)
        t = context.runtime.translator(community.language)
        await context.bot.send_message(
            community.chat_id,
            render.deadline_note(t, poll.closes_at, communities.zone_of(community)),
            reply_to_message_id=message.message_id,
        )
    return message


async def close_poll(context: BotContext, poll_id: int) -> bool:
    """Stop the poll in Telegram, take its final counts and post the results, once.

    Returns False when the poll was closed before, or another worker of the region is closing
    it now (both run the deadline's job; one stops the poll). A poll Telegram can no longer
    stop (closed there already, deleted, or the bot removed) is closed here all the same."""
    async with context.runtime.db.exclusive(f"poll-close:{poll_id}") as alone:
        if not alone:
            log.info("poll %s is being closed by another worker", poll_id)
            return False
        return await _close(context, poll_id)


async def _close(context: BotContext, poll_id: int) -> bool:
    db = context.runtime.db
    async with db.transaction() as session:
        poll = await polls.get(session, poll_id)
    if poll is None or poll.closed_at is not None:
        return False
    final = None
    if poll.chat_id is not None and poll.message_id is not None:
        try:
            final = await context.bot.stop_poll(poll.chat_id, poll.message_id)
        except (BadRequest, Forbidden) as exc:
            log.info("poll %s could not be stopped in Telegram: %s", poll_id, exc)
    async with db.transaction() as session:
        poll = await polls.get(session, poll_id)
        if poll is None or not await polls.close(session, poll):
            return False
        if final is not None:
            polls.record_counts(
                poll, [option.voter_count for option in final.options], final.total_voter_count
            )
    scheduler.cancel_jobs(application(context), f"poll-remind:{poll_id}")
    await announce_results(context, poll_id)
    return True


async def announce_results(context: BotContext, poll_id: int) -> None:
    """Post the results (so far, while open) as a reply to the poll, then their chart."""
    db = context.runtime.db
    async with db.transaction() as session:
        poll = await polls.get(session, poll_id)
        community = await communities.by_id(session, poll.community_id) if poll else None
        if poll is None or community is None:
            return
        results = await polls.results(session, poll)
    t = context.runtime.translator(community.language)
    sent = await context.bot.send_message(
        community.chat_id,
        render.results_text(t, results),
        reply_to_message_id=poll.message_id,
        allow_sending_without_reply=True,
    )
    png = await asyncio.to_thread(poll_chart.render, results, render.chart_labels(t, results))
    chart = await context.bot.send_photo(
        community.chat_id,
        png,
        reply_to_message_id=sent.message_id,
        allow_sending_without_reply=True,
    )
    async with db.transaction() as session:
        stored = await polls.get(session, poll_id)
        if stored is not None:
            stored.results_message_id = sent.message_id
            stored.chart_message_id = chart.message_id


def publish(turn: Turn, poll_id: int) -> None:
    """After the commit, post the poll in the community's group (as a reply to the command when
    it was given there) and tell a leader who asked in private chat where it went."""
    message = turn.message
    in_group = not turn.in_private and message is not None
    community = turn.need_community()
    t = turn.t

    async def send() -> None:
        posted = await post_poll(
            turn.context, poll_id, reply_to=message.message_id if in_group and message else None
        )
        if posted is None:
            await turn.context.bot.send_message(turn.chat.id, t._(NOT_POSTED))
        elif not in_group:
            await turn.context.bot.send_message(
                turn.chat.id, t._("The poll is posted in {village}.", village=community.title)
            )

    turn.after_commit(send)


# --- jobs ---------------------------------------------------------------------------------


@community_job
async def close_job(job: JobTurn) -> None:
    poll_id = int(job.data["poll_id"])
    try:
        await close_poll(job.context, poll_id)
    except NetworkError as exc:
        log.warning("closing poll %s failed (%s); trying again in a minute", poll_id, exc)
        scheduler.schedule_at(
            application(job.context),
            f"poll-close:{poll_id}",
            close_job,
            utcnow() + RETRY_CLOSE,
            grace=LATE_IS_FINE,
            data=job.data,
        )


@community_job
async def remind_job(job: JobTurn) -> None:
    """The group is reminded; for a public poll, so is each member who has not voted and can
    be written to privately. Each claim is made once, before anything is sent."""
    poll_id = int(job.data["poll_id"])
    async with job.transaction() as session:
        poll = await polls.get(session, poll_id)
        if poll is None or poll.closed_at is not None or poll.closes_at is None:
            return
        if poll.closes_at <= utcnow() or not await once.claim(session, f"poll-remind:{poll_id}"):
            return
        zone = communities.zone_of(job.community)
        letters = [job.to_group(render.group_reminder(job.t, poll, zone), reply_to=poll.message_id)]
        if not poll.anonymous:
            for person in await polls.non_voters(session, poll):
                reachable = person.started_bot and person.telegram_id is not None
                if reachable and await once.claim(session, f"poll-remind:{poll_id}:{person.id}"):
                    letters += _private_reminder(job, poll, person)
        await outbox.put(session, letters)  # sent once, with their claims


def _private_reminder(job: JobTurn, poll: Poll, person: User) -> list[outbox.Message]:
    t = translator_for(job.runtime, person, job.community)
    keyboard = (
        open_poll_keyboard(t, poll.chat_id, poll.message_id)
        if poll.chat_id is not None and poll.message_id is not None
        else None
    )
    zone = communities.zone_of(job.community)
    text = render.private_reminder(t, poll, job.community.title, zone)
    return privately(person, text, keyboard)


# --- schedules ----------------------------------------------------------------------------


def schedule(app: BotApplication, deadline: polls.Deadline) -> None:
    data = {"community_id": deadline.community_id, "poll_id": deadline.poll_id}
    scheduler.schedule_at(
        app,
        f"poll-close:{deadline.poll_id}",
        close_job,
        deadline.closes_at,
        grace=LATE_IS_FINE,
        data=data,
    )
    remind = f"poll-remind:{deadline.poll_id}"
    if deadline.remind_at is None:
        scheduler.cancel_jobs(app, remind)
    else:
        scheduler.schedule_at(
            app, remind, remind_job, deadline.remind_at, grace=LATE_IS_FINE, data=data
        )


async def reschedule(app: BotApplication, community_id: int | None = None) -> None:
    """Deadlines and reminders as the database has them now: every open poll's at start-up
    (this is the job source), one community's after a change."""
    runtime: Runtime = app.bot_data[RUNTIME_KEY]
    async with runtime.db.transaction() as session:
        found = await polls.deadlines(session, community_id)
    for deadline in found:
        schedule(app, deadline)


async def settings_changed(app: BotApplication, community: Community) -> None:
    """The reminder setting changed: open polls follow it."""
    await reschedule(app, community.id)
