"""A poll's life in its group: posted as a native poll, reminded before its deadline, closed
(stopPoll) at the deadline or by a leader, and its results posted with a chart.

Everything here is sent through the outbox, in the transaction of the change: the poll's
row records Telegram's ids for it once sent (or drops the poll Telegram refused), and what
follows it in its group's lane (the deadline note, the results, the chart) is drawn when it
is sent, so it quotes the message just posted and shows the final counts stopPoll answered.
Deadlines and reminders are jobs rebuilt from the database at start-up and after each change
(`reschedule`); closing claims `poll-close:{id}` in the transaction that writes its messages,
so a restart or a second process never closes a poll twice. A missed deadline still closes
the poll late: a poll must always end up closed.
"""

from __future__ import annotations

import asyncio
import functools
from typing import cast

from bot import scheduler
from bot.i18n import N_, Translator
from bot.keyboards.polls import open_poll_keyboard
from bot.models import Community, Poll, User, utcnow
from bot.render import poll_chart
from bot.render import polls as render
from bot.runtime import RUNTIME_KEY, BotApplication, BotContext, Runtime
from bot.services import Session, communities, once, outbox, placed, polls
from bot.wire import messages
from bot.wire.messages import Drawn
from handlers.context import Turn
from handlers.jobs import JobTurn, community_job
from handlers.notify import privately, translator_for

NOT_POSTED = N_(
    "I could not post the poll in the group. Check that I am still a member and may send polls."
)
DEADLINE_NOTE = "poll_deadline"  # a view: the note quoting a posted poll with its deadline


def application(context: BotContext) -> BotApplication:
    return cast(BotApplication, context.application)


def publish(turn: Turn, poll: Poll) -> None:
    """Post the poll in the community's group (as a reply to the command when it was given
    there), then its deadline note; a leader who asked in private chat is told where it went,
    and whoever asked is told when Telegram refuses it (the poll is dropped then)."""
    message = turn.message
    in_group = not turn.in_private and message is not None
    community = turn.need_community()
    asker = (turn.chat.id, turn.t.language)
    letters = [
        messages.send_poll(
            community.chat_id,
            poll.question,
            [option.text for option in poll.options],
            anonymous=poll.anonymous,
            multiple=poll.multiple,
            reply_to=message.message_id if in_group and message is not None else None,
            after_send=placed.poll_posted(poll.id, None if in_group else asker),
            on_refused=placed.poll_refused(poll.id, asker),
        )
    ]
    if poll.closes_at is not None:
        letters.append(messages.draw(community.chat_id, f"{DEADLINE_NOTE}:{poll.id}"))
        turn.after_commit(functools.partial(reschedule, application(turn.context), community.id))
    turn.send(*letters)


async def close(session: Session, poll: Poll, community: Community) -> list[outbox.Message]:
    """Close the poll once (None when closed before, here or by another worker): stop it in
    Telegram, whose answer records the final counts, then post the results drawn from them.
    A poll Telegram can no longer stop (closed there, deleted, the bot removed) is closed
    here all the same, with the counts it had."""
    if poll.closed_at is not None or not await polls.close(session, poll):
        return []
    letters: list[outbox.Message] = []
    if poll.chat_id is not None and poll.message_id is not None:
        stopped = placed.poll_stopped(poll.id)
        letters.append(messages.stop_poll(poll.chat_id, poll.message_id, after_send=stopped))
    return letters + results(poll, community)


def results(poll: Poll, community: Community) -> list[outbox.Message]:
    """The results (so far, while open) as a reply to the poll, then their chart as a reply to
    them: both drawn when sent, in the poll's lane."""
    chat_id = poll.chat_id if poll.chat_id is not None else community.chat_id
    text, chart = placed.poll_results(poll.id), placed.poll_chart(poll.id)
    return [
        messages.draw(chat_id, text, after_send=text),
        messages.draw(chat_id, chart, "sendPhoto", after_send=chart),
    ]


def closed(context: BotContext, poll_id: int) -> None:
    """After the close is committed: no reminder any more."""
    scheduler.cancel_jobs(application(context), f"poll-remind:{poll_id}")


# --- views: drawn when the outbox sends them -------------------------------------------------


async def _load(runtime: Runtime, poll_id: int) -> tuple[Poll, Community, Translator] | None:
    async with runtime.db.transaction(sync=False) as session:
        poll = await polls.get(session, poll_id)
        community = await communities.by_id(session, poll.community_id) if poll else None
    if poll is None or community is None:
        return None
    return poll, community, runtime.translator(community.language)


async def _deadline_view(runtime: Runtime, argument: str) -> Drawn | None:
    found = await _load(runtime, int(argument))
    if found is None:
        return None
    poll, community, t = found
    if poll.message_id is None or poll.closes_at is None or poll.closed_at is not None:
        return None
    note = render.deadline_note(t, poll.closes_at, communities.zone_of(community))
    return Drawn.text(note, reply_to=poll.message_id)


async def _notice_view(runtime: Runtime, argument: str) -> Drawn | None:
    outcome, poll_id, language = argument.split(":")
    t = runtime.translator(language)
    if outcome == placed.NOT_POSTED:
        return Drawn.text(t._(NOT_POSTED))
    found = await _load(runtime, int(poll_id))
    if found is None:
        return None
    return Drawn.text(t._("The poll is posted in {village}.", village=found[1].title))


async def _results(runtime: Runtime, poll_id: int) -> tuple[Poll, Translator, polls.Results] | None:
    async with runtime.db.transaction(sync=False) as session:
        poll = await polls.get(session, poll_id)
        community = await communities.by_id(session, poll.community_id) if poll else None
        if poll is None or community is None:
            return None
        found = await polls.results(session, poll)
    return poll, runtime.translator(community.language), found


async def _results_view(runtime: Runtime, argument: str) -> Drawn | None:
    found = await _results(runtime, int(argument))
    if found is None:
        return None
    poll, t, counted = found
    return Drawn.text(render.results_text(t, counted), reply_to=poll.message_id)


async def _chart_view(runtime: Runtime, argument: str) -> Drawn | None:
    found = await _results(runtime, int(argument))
    if found is None:
        return None
    poll, t, counted = found
    png = await asyncio.to_thread(poll_chart.render, counted, render.chart_labels(t, counted))
    return Drawn.upload("photo", "results.png", png, reply_to=poll.results_message_id)


VIEWS = {
    DEADLINE_NOTE: _deadline_view,
    placed.POLL_NOTICE: _notice_view,
    placed.POLL_RESULTS: _results_view,
    placed.POLL_CHART: _chart_view,
}


# --- jobs ---------------------------------------------------------------------------------


@community_job
async def close_job(job: JobTurn) -> None:
    poll_id = int(job.data["poll_id"])
    async with job.transaction() as session:
        poll = await polls.get(session, poll_id)
        letters = await close(session, poll, job.community) if poll is not None else []
        await outbox.put(session, letters)
    if letters:
        closed(job.context, poll_id)


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
    scheduler.schedule_vote(
        app,
        close=(f"poll-close:{deadline.poll_id}", close_job, deadline.closes_at),
        remind=(f"poll-remind:{deadline.poll_id}", remind_job, deadline.remind_at),
        data={"community_id": deadline.community_id, "poll_id": deadline.poll_id},
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
