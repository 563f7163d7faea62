"""The participatory budget on the board: the village's round (being prepared, voted on, or
counted, with its results as the chat posts them), and the member's ballot as a form of
checkboxes with a running total (board.js adds it up as boxes are ticked; the server is the
judge, through the chat's service: a ballot over the sum is refused with both sums)."""

from __future__ import annotations

from dataclasses import dataclass

from aiohttp import web

from bot.i18n import N_, Html
from bot.models import BudgetRound, utcnow
from bot.render import budget as render
from bot.services import budget, budget_results, communities
from bot.services.budget import ItemView, Phase
from bot.services.errors import InvalidInput
from bot.services.text import whole_number
from handlers.board.context import VILLAGE, BoardTurn, board_route, form_field

PREPARING = N_("The working group is preparing the ballot: voting has not started yet.")
CLOSED = N_("🗳 Voting closed {when}.")
COUNTING = N_("The ballots are being counted.")
NOT_VOTED = N_("You have not voted yet.")
SAVED = N_("🗳 Your ballot is saved: ideas {ideas} ({total}). You may change it until {when}.")


@dataclass(frozen=True)
class Entry:
    """An idea on the page: its line (as the chat writes it) and, on a ballot, whether the
    member chose it."""

    item: ItemView
    line: Html
    chosen: bool


@board_route()
async def view(turn: BoardTurn, _request: web.Request) -> str:
    community, t = turn.need_community(), turn.t
    round_ = await budget.last_round(turn.session, community)
    if round_ is None:
        return turn.page("budget.html", round=None, nothing=t._(budget.NO_ROUND))
    stage = budget.phase(round_, utcnow())
    counted = stage == Phase.COUNTED
    found = await budget_results.results(turn.session, round_)
    chosen = await budget.ballot_of(turn.session, round_, turn.need_user())
    line = render.result_line if counted else render.ballot_line
    leader = await turn.is_leader()
    return turn.page(
        "budget.html",
        round=round_,
        phase=stage.value,
        heading=render.results_heading(t, round_) if counted else render.title(t, round_),
        lines=_about(turn, round_, stage),
        entries=[Entry(item, line(t, item), item.number in (chosen or ())) for item in found.items],
        summary=render.results_summary(t, found) if counted else [],
        saved=_saved(turn, round_, found.items, chosen) if stage == Phase.VOTING else None,
        running=render.chosen_line(t, round_, found.items, chosen or ()),
        running_texts=render.running_texts(t, round_),
        leader_lines=_for_leaders(turn, stage, found) if leader else [],
    )


def _about(turn: BoardTurn, round_: BudgetRound, stage: Phase) -> list[Html]:
    """The sum, the rule and the deadline, as the chat's messages of this stage say them."""
    t, zone = turn.t, communities.zone_of(turn.need_community())
    if stage == Phase.PREPARING:
        return [render.terms(t, round_), t._(PREPARING)]
    if stage == Phase.VOTING:
        return [
            render.invitation(t, round_),
            render.rule_line(t, round_),
            render.closes_line(t, round_, zone),
        ]
    assert round_.closes_at is not None
    closed = t._(CLOSED, when=t.datetime_text(round_.closes_at, zone))
    if stage == Phase.CLOSED:
        return [render.rule_line(t, round_), closed, t._(COUNTING)]
    return [render.rule_line(t, round_), closed]


def _saved(
    turn: BoardTurn,
    round_: BudgetRound,
    items: list[ItemView],
    chosen: set[int] | None,
) -> Html:
    """The member's ballot as saved (or that they have not voted)."""
    if not chosen:
        return turn.t._(NOT_VOTED)
    picked = [item for item in items if item.number in chosen]
    zone = communities.zone_of(turn.need_community())
    assert round_.closes_at is not None
    return turn.t._(
        SAVED,
        ideas=", ".join(f"#{item.number}" for item in picked),
        total=turn.t.money(sum(item.cost_cents for item in picked)),
        when=turn.t.datetime_text(round_.closes_at, zone),
    )


def _for_leaders(turn: BoardTurn, stage: Phase, found: budget_results.Results) -> list[Html]:
    """How the working group goes on in the chat (no leaders' buttons here)."""
    if stage == Phase.PREPARING:
        return [render.preparing_hint(turn.t)]
    if stage == Phase.VOTING:
        return [render.ballots_so_far(turn.t, found), render.paper_hint(turn.t)]
    if stage == Phase.CLOSED:
        return [render.ballots_so_far(turn.t, found)]
    return []


@board_route()
async def vote(turn: BoardTurn, request: web.Request) -> str:
    """The member's ballot, new or changed, while the vote is open (the form names its round,
    so a ballot meant for a round that has ended never lands in the next one)."""
    form = await request.post()
    community, voter, now = turn.need_community(), turn.need_user(), utcnow()
    round_ = await budget.latest(turn.session, community)
    meant = whole_number(form_field(form, "round"))
    if meant is not None and meant != round_.number:
        raise InvalidInput(budget.NOT_VOTING, number=meant)
    picks = [value for value in form.getall("idea", []) if isinstance(value, str)]
    numbers = budget.parse_numbers(picks) if picks else []
    await budget.cast(turn.session, round_, voter, numbers, now)
    items = await budget.items(turn.session, round_)
    return turn.notice(_saved(turn, round_, items, set(numbers)))


ROUTES: list[web.RouteDef] = [
    web.get(f"{VILLAGE}/budget", view),
    web.post(f"{VILLAGE}/budget/vote", vote),
]
