"""Participatory budgets in the chat. For the working group: `/budget 5000 14d [rule] [title]`
opens a round, `/budget add|remove N` adjusts its ballot, `/budget start` announces the vote in
the group, `/budget paper 1 3 5` enters a paper ballot, `/budget cancel` drops a round not yet
voted on, `/budget file` sends the round in pabulib's `.pb` format, `/budget` alone shows the
round. Members vote in private chat (the announcement's button opens their ballot there), one
toggle button per idea, or, while the board is on, on its budget tab (the announcement's and
the reminders' second button). At the deadline the round is counted once (a job rebuilt from the
database at start-up, so also after a restart) and the results are posted in the group, with
what they store, in the same transaction: through the outbox, exactly once.
"""

from __future__ import annotations

import asyncio
import functools
from typing import cast

from telegram import InlineKeyboardMarkup

from bot import scheduler
from bot.board import links
from bot.i18n import Translator
from bot.keyboards.budget import BallotToggle, ballot_keyboard, vote_keyboard
from bot.models import BudgetRound, Community, utcnow
from bot.render import budget as render
from bot.render import budget_chart
from bot.runtime import BotApplication, Runtime, runtime_of
from bot.services import budget, budget_results, communities, ideas, once, outbox, placed
from bot.services.budget import Action
from bot.services.errors import InvalidInput, NotFound
from bot.services.text import slug
from bot.wire import messages
from bot.wire.messages import Drawn
from handlers.common import act_for, deep_link
from handlers.context import STALE_BUTTON, Turn, on_update
from handlers.jobs import JobTurn, community_job
from handlers.notify import privately, translator_for


@on_update(leaders_only=True)
async def budget_command(turn: Turn) -> None:
    community = turn.need_community()
    leader = turn.need_user()
    session, words, now = turn.session, turn.args, utcnow()
    action = budget.parse_action(words[0]) if words else None
    if not words:
        await _show(turn, await budget.current(session, community))
    elif action is None:
        opening = budget.parse_opening(words)
        await _show(turn, await budget.open_round(session, community, leader, opening, now))
    elif action in (Action.ADD, Action.REMOVE):
        round_ = await budget.current(session, community)
        for number in budget.parse_numbers(words[1:]):
            if action == Action.ADD:
                idea = await ideas.by_number(session, community, number)
                await budget.add_idea(session, round_, leader, idea)
            else:
                await budget.remove_idea(session, round_, leader, number)
        await _show(turn, round_)
    elif action == Action.START:
        round_ = await budget.current(session, community)
        await budget.start_voting(session, round_, leader, now)
        _announce(turn, round_, await budget.items(session, round_))
    elif action == Action.PAPER:
        round_ = await budget.current(session, community)
        numbers = budget.parse_numbers(words[1:])
        ballot = await budget.enter_paper(session, round_, leader, numbers, now)
        chosen = [item for item in await budget.items(session, round_) if item.number in numbers]
        turn.reply(render.paper_entered(turn.t, ballot.number, chosen))
    elif action == Action.FILE:
        round_ = await budget.latest(session, community)
        content = await budget_results.as_pabulib(session, round_, community)
        name = f"{slug(community.title, 'village')}-budget-{round_.number}.pb"
        caption = render.pabulib_caption(turn.t, round_)
        turn.send(
            messages.upload(turn.chat.id, "document", name, content.encode(), caption=caption)
        )
    else:
        round_ = await budget.current(session, community)
        await budget.cancel(session, round_, leader)
        turn.reply(turn.t._("Budget round “{title}” is dropped.", title=round_.title))


async def _show(turn: Turn, round_: BudgetRound) -> None:
    if round_.voting_starts_at is None:
        turn.reply(render.prepared(turn.t, round_, await budget.items(turn.session, round_)))
        return
    found = await budget_results.results(turn.session, round_)
    zone = communities.zone_of(turn.need_community())
    turn.reply(render.voting(turn.t, round_, found, zone))


def _announce(turn: Turn, round_: BudgetRound, items: list[budget.ItemView]) -> None:
    """The vote is announced in the group, in its language; a leader who started it in private
    chat is told so. The deadline's job is set once this is committed."""
    community = turn.need_community()
    t = turn.runtime.translator(community.language)
    text = render.announcement(t, round_, items, communities.zone_of(community))
    keys = _vote_keyboard(turn.runtime, t, community.id, private=False)
    posted = placed.budget_posted(round_.id)
    turn.send(messages.post(community.chat_id, text, keys, after_send=posted))
    if turn.in_private:
        turn.reply(turn.t._("The vote is announced in {village}.", village=community.title))
    app = cast(BotApplication, turn.context.application)
    turn.after_commit(functools.partial(reschedule, app, community.id))


def _vote_keyboard(
    runtime: Runtime, t: Translator, community_id: int, *, private: bool
) -> InlineKeyboardMarkup:
    """Vote in private chat, or on the board's ballot while the board is on (a `web_app`
    button in a private chat, the direct Mini App link in the group)."""
    param = links.start_param(community_id, budget=True)
    board = runtime.board_app_url(param) if private else runtime.board_link(param)
    return vote_keyboard(t, runtime.deep_link(f"budget_{community_id}"), board, app=private)


@deep_link("budget")
async def _vote_link(turn: Turn, rest: str) -> None:
    """The announcement's Vote button: the member's ballot, in private chat."""
    community = await act_for(turn, rest)
    round_ = await budget.current(turn.session, community)
    if not budget.is_voting(round_, utcnow()):
        raise InvalidInput(budget.NOT_VOTING, number=round_.number)
    chosen = await budget.ballot_of(turn.session, round_, turn.need_user()) or set()
    text, keys = await _ballot(turn, round_, community, chosen)
    turn.reply(text, keys)


@on_update(chat="private", community="optional", callback=BallotToggle)
async def ballot_toggled(turn: Turn) -> None:
    """An idea chosen or left out: saved at once, the card shows the running total."""
    round_ = await budget.get(turn.session, turn.data.round_id)
    community = await communities.by_id(turn.session, round_.community_id) if round_ else None
    if round_ is None or community is None:
        raise NotFound(STALE_BUTTON)
    voter = turn.need_user()
    chosen = await budget.toggle(turn.session, round_, voter, turn.data.number, utcnow())
    text, keys = await _ballot(turn, round_, community, chosen)
    turn.answer()
    turn.edit(text, keys)


async def _ballot(
    turn: Turn, round_: BudgetRound, community: Community, chosen: set[int]
) -> tuple[str, InlineKeyboardMarkup]:
    items = await budget.items(turn.session, round_)
    zone = communities.zone_of(community)
    text = render.ballot_card(turn.t, round_, community.title, items, chosen, zone)
    return text, ballot_keyboard(turn.t, round_.id, items, chosen)


@community_job
async def count_job(job: JobTurn) -> None:
    """Count the round and post its results, in one transaction with the count's claim."""
    round_id = int(job.data["round_id"])
    async with job.transaction() as session:
        round_ = await budget.get(session, round_id)
        if round_ is None or round_.community_id != job.community.id:
            return
        if not await budget_results.count(session, round_, render.Labels(job.t)):
            return
        found = await budget_results.results(session, round_)
        text = render.results_text(job.t, found)
        chart = messages.draw(job.community.chat_id, f"{CHART}:{round_id}", "sendPhoto")
        await outbox.put(session, [job.to_group(text, reply_to=round_.message_id), chart])


CHART = "budget_chart"  # a view: the results' chart, drawn when it is sent


async def _chart_view(runtime: Runtime, argument: str) -> Drawn | None:
    async with runtime.db.transaction(sync=False) as session:
        round_ = await budget.get(session, int(argument))
        community = await communities.by_id(session, round_.community_id) if round_ else None
        if round_ is None or community is None or round_.counted_at is None:
            return None
        found = await budget_results.results(session, round_)
    t = runtime.translator(community.language)
    png = await asyncio.to_thread(budget_chart.render, found, render.chart_labels(t, round_))
    return Drawn.upload("photo", "budget.png", png, reply_to=round_.message_id)


VIEWS = {CHART: _chart_view}


@community_job
async def remind_job(job: JobTurn) -> None:
    """The group is reminded, and so is each member who has not voted and can be written to
    privately, with the button to their ballot. Each claim is made once, before anything is
    sent."""
    round_id = int(job.data["round_id"])
    async with job.transaction() as session:
        round_ = await budget.get(session, round_id)
        if round_ is None or round_.community_id != job.community.id:
            return
        if not budget.is_voting(round_, utcnow()):
            return
        if not await once.claim(session, f"budget-remind:{round_id}"):
            return
        zone = communities.zone_of(job.community)
        text = render.group_reminder(job.t, round_, zone)
        letters = [job.to_group(text, reply_to=round_.message_id)]
        for person in await budget_results.non_voters(session, round_):
            reachable = person.started_bot and person.telegram_id is not None
            if reachable and await once.claim(session, f"budget-remind:{round_id}:{person.id}"):
                t = translator_for(job.runtime, person, job.community)
                note = render.private_reminder(t, round_, job.community.title, zone)
                keys = _vote_keyboard(job.runtime, t, job.community.id, private=True)
                letters += privately(person, note, keys)
        await outbox.put(session, letters)  # sent once, with their claims


async def reschedule(app: BotApplication, community_id: int | None = None) -> None:
    """The deadlines and reminders of rounds being voted on, as the database has them: every
    village's at start-up, one village's after a vote starts."""
    async with runtime_of(app).db.transaction() as session:
        found = await budget_results.deadlines(session, community_id)
    for deadline in found:
        scheduler.schedule_vote(
            app,
            close=(f"budget-count:{deadline.round_id}", count_job, deadline.closes_at),
            remind=(f"budget-remind:{deadline.round_id}", remind_job, deadline.remind_at),
            data={"community_id": deadline.community_id, "round_id": deadline.round_id},
        )
