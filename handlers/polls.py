"""Polls in the group: /poll, /closepoll, /papervotes, /polls, and Telegram's poll updates.

The builder (`/poll` alone in private chat) is in `handlers/poll_builder.py`; posting, deadlines,
reminders and results are in `handlers/poll_lifecycle.py`.
"""

from __future__ import annotations

import dataclasses
import functools
import logging
from datetime import timedelta

from telegram import User as TelegramUser

from bot.i18n import N_
from bot.models import Poll, utcnow
from bot.render import polls as render
from bot.services import audit, communities, ideas, polls, visits
from bot.services.errors import InvalidInput
from handlers import poll_builder
from handlers.context import Turn, admit, on_update, profile_of
from handlers.poll_lifecycle import close, closed, publish, results

log = logging.getLogger(__name__)

RECENT = timedelta(days=30)
CLOSE_USAGE = N_("Reply to a poll with /closepoll to close it now.")


@on_update(leaders_only=True)
async def poll_command(turn: Turn) -> None:
    """`/poll [deadline] [public] [multi] question | option | option …`, or the builder."""
    community = turn.need_community()
    if not turn.arg_text:
        if turn.in_private:
            await poll_builder.begin(turn)
            return
        raise InvalidInput(polls.USAGE)
    quick = polls.parse_quick(turn.arg_text)
    poll = await polls.create(
        turn.session,
        community,
        turn.need_user(),
        quick.question,
        quick.options,
        anonymous=quick.anonymous,
        multiple=quick.multiple,
        closes_at=utcnow() + quick.duration if quick.duration else None,
    )
    publish(turn, poll)


@on_update(leaders_only=True)
async def ideapoll_command(turn: Turn) -> None:
    """`/ideapoll [n]`: the n most supported open ideas put to a vote in the group."""
    community = turn.need_community()
    request = polls.parse_idea_poll(turn.args)
    top = await ideas.top_open(turn.session, community, request.count)
    if len(top) < 2:
        raise InvalidInput(
            N_("A vote needs at least two open ideas; the village has {n}."), n=len(top)
        )
    question = turn.runtime.translator(community.language).plain(IDEA_POLL_QUESTION)
    poll = await polls.create(
        turn.session,
        community,
        turn.need_user(),
        question,
        polls.idea_options(top),
        anonymous=request.anonymous,
        multiple=request.multiple,
        closes_at=utcnow() + request.duration if request.duration else None,
    )
    publish(turn, poll)


IDEA_POLL_QUESTION = N_("Which of these ideas should the village take on first?")


async def _replied_poll(turn: Turn, usage: str) -> Poll:
    reply = turn.message.reply_to_message if turn.message else None
    if reply is None:
        raise InvalidInput(usage)
    return await polls.by_message(turn.session, turn.need_community(), reply.message_id)


@on_update(chat="group", leaders_only=True)
async def closepoll_command(turn: Turn) -> None:
    poll = await _replied_poll(turn, CLOSE_USAGE)
    if poll.closed_at is not None:
        raise InvalidInput(N_("This poll is closed already."))
    letters = await close(turn.session, poll, turn.need_community())
    turn.send(*letters)
    if letters:
        turn.after_commit(functools.partial(_closed, turn, poll.id))


async def _closed(turn: Turn, poll_id: int) -> None:
    closed(turn.context, poll_id)


@on_update(chat="group", leaders_only=True)
async def papervotes_command(turn: Turn) -> None:
    """`/papervotes 1=12 2=7`, replying to a poll: votes from a meeting, on open or closed polls."""
    poll = await _replied_poll(turn, polls.PAPER_USAGE)
    counts = polls.parse_offline(turn.args, len(poll.options))
    polls.set_offline(poll, counts)
    await audit.record(
        turn.session,
        poll.community_id,
        turn.need_user().id,
        "papervotes",
        poll_id=poll.id,
        counts={str(position + 1): count for position, count in counts.items()},
    )
    turn.send(*results(poll, turn.need_community()))


@on_update()
async def polls_command(turn: Turn) -> None:
    community = turn.need_community()
    open_polls = await polls.open_polls(turn.session, community)
    closed = await polls.recent_closed(
        turn.session, community, utcnow() - RECENT, render.LIST_LIMIT
    )
    turn.reply(render.poll_list(turn.t, open_polls, closed, communities.zone_of(community)))


@on_update(community="none")
async def poll_updated(turn: Turn) -> None:
    """Telegram's new counts for one of the bot's polls (anonymous polls have no other)."""
    update = turn.update.poll
    assert update is not None
    await polls.record_counts_of(
        turn.session,
        update.id,
        [option.voter_count for option in update.options],
        update.total_voter_count,
    )


@on_update(community="none")
async def poll_answered(turn: Turn) -> None:
    """A member's answer to a public poll, changed or retracted. Anyone may vote in a
    forwarded copy of the poll and Telegram counts it on the original: an answer counts only
    from a member of the village group, and makes nobody a member."""
    answer = turn.update.poll_answer
    assert answer is not None
    if answer.user is None or answer.user.is_bot:
        return
    ballot = await polls.ballot(turn.session, answer.poll_id, turn.user)
    if ballot is None:
        return
    ballot = await _members_ballot(turn, ballot, answer.user)
    if ballot is None:
        log.info("a poll answer from someone outside the village group is not counted")
        return
    await polls.record_answer(turn.session, ballot, answer.option_ids)


async def _members_ballot(
    turn: Turn, ballot: polls.Ballot, voter: TelegramUser
) -> polls.Ballot | None:
    """The ballot, when the voter is in the poll's village group (a current member, or one
    Telegram confirms, who is a member from now on); None for anyone else."""
    if turn.user is not None:
        found = await visits.of_community(turn.session, ballot.community_id, turn.user)
        if found is None:
            return None
        community, member = found
        if member:
            return ballot
    else:
        known = await communities.by_id(turn.session, ballot.community_id)
        if known is None:
            return None
        community = known
    admitted = await admit(turn.runtime, turn.session, community, profile_of(voter))
    return dataclasses.replace(ballot, user_id=admitted.id) if admitted is not None else None
