"""What is recorded once a message is sent: where a card now is, so that it can be kept up to
date, or what follows from Telegram's answer (a poll's ids, its final counts). An outbox row
names its record as `kind:argument`: `after_send`, given Telegram's whole answer, and
`on_refused`, given the refusal (`error_code`, `description`). A record may write outbox rows
of its own: they go after everything already waiting in their lanes."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import (
    budget,
    digest,
    ideas,
    meetings,
    outbox,
    polls,
    swot_confirmations,
    victories,
)

Answer = dict[str, Any]  # Telegram's answer to the call (a message, a poll), or its refusal
Record = Callable[[AsyncSession, str, Answer], Awaitable[None]]


def _where(message: Answer) -> tuple[int, int]:
    return message["chat"]["id"], message["message_id"]


async def _idea_card(session: AsyncSession, argument: str, message: Answer) -> None:
    await ideas.set_card(await session.connection(), int(argument), *_where(message))


async def _victory_card(session: AsyncSession, argument: str, message: Answer) -> None:
    await victories.announced(session, int(argument), *_where(message))


async def _victory_review(session: AsyncSession, argument: str, message: Answer) -> None:
    victory = await victories.by_id(session, int(argument))
    if victory is not None:
        await victories.add_review(session, victory, *_where(message))


async def _meeting_card(session: AsyncSession, argument: str, message: Answer) -> None:
    occurrence_id, stage = (int(part) for part in argument.split(":"))
    await meetings.remember_card(session, occurrence_id, message["message_id"], stage)


async def _budget_posted(session: AsyncSession, argument: str, message: Answer) -> None:
    await budget.announced(session, int(argument), *_where(message))


async def _digest_post(session: AsyncSession, argument: str, message: Answer) -> None:
    await digest.posted(session, int(argument), message["message_id"])


def _drawn(chat_id: int, view: str) -> outbox.Message:
    """A message drawn whole by its view when sent (bot.wire.messages.draw)."""
    return outbox.Message(chat_id, "sendMessage", {}, view=view)


def _redrawn(chat_id: int, message_id: int, view: str) -> outbox.Message:
    """A message redrawn whole by its view when the edit is sent (as bot.wire.messages.refresh,
    for a view that draws the whole call)."""
    params = {"message_id": message_id}
    key = outbox.edit_key(message_id)
    return outbox.Message(chat_id, "editMessageText", params, coalesce_key=key, view=view)


async def _swot_confirmation(session: AsyncSession, argument: str, message: Answer) -> None:
    """The confirmation is in its group. Inputs added while it was on its way may be missing
    from it (drawn before they came, it had no place to redraw yet): when it lists more than
    its first input, it is redrawn once."""
    chat_id, message_id = _where(message)
    listed = await swot_confirmations.sent(session, int(argument), chat_id, message_id)
    if listed > 1:
        await outbox.put(session, [_redrawn(chat_id, message_id, swot_confirmation(int(argument)))])


async def _poll_posted(session: AsyncSession, argument: str, message: Answer) -> None:
    """The poll is in its group: its ids are kept; a leader who asked elsewhere is told."""
    poll_id, _, notify = argument.partition(":")
    chat_id, message_id = _where(message)
    await polls.posted(session, int(poll_id), chat_id, message_id, message["poll"]["id"])
    if notify:
        notify_chat, language = notify.split(":")
        view = poll_notice(POSTED, int(poll_id), language)
        await outbox.put(session, [_drawn(int(notify_chat), view)])


async def _poll_refused(session: AsyncSession, argument: str, _refusal: Answer) -> None:
    """Telegram would not post the poll: it is dropped (nobody could see it), and the leader
    who asked is told."""
    poll_id, notify_chat, language = argument.split(":")
    await polls.discard(session, int(poll_id))
    view = poll_notice(NOT_POSTED, int(poll_id), language)
    await outbox.put(session, [_drawn(int(notify_chat), view)])


async def _poll_stopped(session: AsyncSession, argument: str, poll: Answer) -> None:
    """The poll's final counts, as stopPoll answered them."""
    counts = [int(option["voter_count"]) for option in poll.get("options", [])]
    await polls.final_counts(session, int(argument), counts, int(poll["total_voter_count"]))


async def _poll_results(session: AsyncSession, argument: str, message: Answer) -> None:
    await polls.results_posted(session, int(argument), message["message_id"])


async def _poll_chart(session: AsyncSession, argument: str, message: Answer) -> None:
    await polls.chart_posted(session, int(argument), message["message_id"])


async def _files_sent(session: AsyncSession, argument: str, _message: Answer) -> None:
    """The files reached the leader's private chat: the group is told (`argument` is the
    note's view)."""
    chat_id, _, view = argument.partition(":")
    await outbox.put(session, [_drawn(int(chat_id), view)])


async def _files_refused(session: AsyncSession, argument: str, refusal: Answer) -> None:
    """The leader blocked the bot: the group is told how to open the private chat."""
    if refusal.get("error_code") == 403:
        await _files_sent(session, argument, refusal)


IDEA_CARD = "idea_card"
DIGEST_POST = "digest_post"
MEETING_CARD = "meeting_card"
VICTORY_CARD = "victory_card"
VICTORY_REVIEW = "victory_review"
POLL_POSTED = "poll_posted"
POLL_REFUSED = "poll_refused"
POLL_STOPPED = "poll_stopped"
POLL_RESULTS = "poll_results"
POLL_CHART = "poll_chart"
POLL_NOTICE = "poll_notice"  # a view: what a leader is told about their poll
FILES_SENT = "files_sent"
FILES_REFUSED = "files_refused"
SWOT_CONFIRMATION = "swot_confirmation"
BUDGET_POSTED = "budget_posted"
_RECORDS: dict[str, Record] = {
    IDEA_CARD: _idea_card,
    VICTORY_CARD: _victory_card,
    VICTORY_REVIEW: _victory_review,
    MEETING_CARD: _meeting_card,
    DIGEST_POST: _digest_post,
    POLL_POSTED: _poll_posted,
    POLL_REFUSED: _poll_refused,
    POLL_STOPPED: _poll_stopped,
    POLL_RESULTS: _poll_results,
    POLL_CHART: _poll_chart,
    FILES_SENT: _files_sent,
    FILES_REFUSED: _files_refused,
    SWOT_CONFIRMATION: _swot_confirmation,
    BUDGET_POSTED: _budget_posted,
}
POSTED, NOT_POSTED = "posted", "not_posted"


def idea_card(idea_id: int) -> str:
    """The idea's card: the view that draws it and the record of where it is."""
    return f"{IDEA_CARD}:{idea_id}"


async def record(session: AsyncSession, hook: str, answer: Answer) -> None:
    """Record what `answer` (Telegram's answer to the call, or its refusal) tells."""
    kind, _, argument = hook.partition(":")
    await _RECORDS[kind](session, argument, answer)


def victory_card(victory_id: int) -> str:
    return f"{VICTORY_CARD}:{victory_id}"


def victory_review(victory_id: int) -> str:
    """A leader's private message asking to approve the victory."""
    return f"{VICTORY_REVIEW}:{victory_id}"


def meeting_card(occurrence_id: int, stage: int) -> str:
    """A meeting date's card at a stage (announced, a reminder, starting)."""
    return f"{MEETING_CARD}:{occurrence_id}:{stage}"


def digest_post(post_id: int) -> str:
    """A posted digest (the period's claim `post_id`)."""
    return f"{DIGEST_POST}:{post_id}"


def poll_posted(poll_id: int, notify: tuple[int, str] | None = None) -> str:
    """The poll is posted: its ids are kept; `notify` (a chat and its language) is told."""
    if notify is None:
        return f"{POLL_POSTED}:{poll_id}"
    return f"{POLL_POSTED}:{poll_id}:{notify[0]}:{notify[1]}"


def poll_refused(poll_id: int, notify: tuple[int, str]) -> str:
    """Telegram would not post the poll: it is dropped and `notify` told."""
    return f"{POLL_REFUSED}:{poll_id}:{notify[0]}:{notify[1]}"


def poll_notice(outcome: str, poll_id: int, language: str) -> str:
    """The view of what a leader is told: `posted` (in which village) or `not_posted`."""
    return f"{POLL_NOTICE}:{outcome}:{poll_id}:{language}"


def poll_stopped(poll_id: int) -> str:
    return f"{POLL_STOPPED}:{poll_id}"


def poll_results(poll_id: int) -> str:
    """A poll's results message; the same name is its view."""
    return f"{POLL_RESULTS}:{poll_id}"


def poll_chart(poll_id: int) -> str:
    """A poll's chart of results; the same name is its view."""
    return f"{POLL_CHART}:{poll_id}"


def files_sent(group_chat_id: int, note: str) -> str:
    """Files sent to a leader privately: `note` (a view) is posted in the group."""
    return f"{FILES_SENT}:{group_chat_id}:{note}"


def files_refused(group_chat_id: int, note: str) -> str:
    """The leader blocked the bot: `note` (a view) is posted in the group."""
    return f"{FILES_REFUSED}:{group_chat_id}:{note}"


def swot_confirmation(confirmation_id: int) -> str:
    """The group's message confirming a burst of SWOT inputs: its view (which draws the whole
    call) and the record of where it is."""
    return f"{SWOT_CONFIRMATION}:{confirmation_id}"


def budget_posted(round_id: int) -> str:
    """A budget round's announcement of the vote: where it is, for the results to reply to."""
    return f"{BUDGET_POSTED}:{round_id}"
