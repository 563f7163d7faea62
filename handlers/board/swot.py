"""The SWOT analysis on the board: the current round's 2×2 board ranked as the chat ranks it,
rating input by input, adding inputs (confirmed in the group as the chat's are), and the
working group's merge, move and hide, each asked first, through the chat's services."""

from __future__ import annotations

import html
import re

from aiohttp import web

from bot.i18n import N_, Html
from bot.models import Choice, Quadrant
from bot.render import hiding as hiding_render
from bot.render import swot as render
from bot.services import swot, swot_agreement
from bot.services.errors import InvalidInput, NotFound
from bot.services.swot import QUADRANTS
from bot.services.text import whole_number
from handlers.board.context import VILLAGE, BoardTurn, board_route
from handlers.swot import confirm_in_group

ITEM = f"{VILLAGE}/swot/{{item:\\d{{1,9}}}}"
RATINGS = (Choice.AGREE, Choice.DISAGREE)
NO_LONGER_RATED = N_("This input is no longer rated.")
PICK_A_RATING = N_("Choose 👍 Agree or 👎 Disagree.")
PICK_A_TARGET = N_("Choose the input to merge it into.")
_TAG = re.compile(r"<[^>]*>")


def _plain(text: Html) -> str:
    """A chat question (Telegram HTML) as plain text, for the board's confirmation dialog."""
    return html.unescape(_TAG.sub("", text))


def _item_id(request: web.Request) -> int:
    return int(request.match_info["item"])


def _quadrant_labels(turn: BoardTurn) -> dict[Quadrant, str]:
    return {quadrant: render.quadrant_label(turn.t, quadrant) for quadrant in QUADRANTS}


# --- views ----------------------------------------------------------------------------------


@board_route()
async def board(turn: BoardTurn, request: web.Request) -> str:
    """The current round, every input ranked per quadrant, with the reader's own ratings;
    leaders also see the hidden inputs."""
    community, user = turn.need_community(), turn.need_user()
    leader = await turn.is_leader()
    found = await swot_agreement.board(turn.session, community.id)
    hidden = await swot_agreement.hidden_items(turn.session, community.id) if leader else {}
    mine = await swot_agreement.ratings(turn.session, community.id, user)
    return turn.page(
        "swot.html",
        board=found,
        title=render.board_title(turn.t, found, community.title),
        quadrants=_quadrant_labels(turn),
        hidden=hidden,
        mine=mine,
        ratings=[(choice, turn.t.plain(render.CHOICE_NAMES[choice])) for choice in RATINGS],
        choice_names={choice: turn.t.plain(name) for choice, name in render.CHOICE_NAMES.items()},
        leader=leader,
        minimum=swot.MIN_TEXT,
        maximum=swot.MAX_TEXT,
    )


@board_route(leaders_only=True)
async def tidy(turn: BoardTurn, request: web.Request) -> str:
    """One input with the working group's tools: merge it into another input of its part, move
    it to another part, hide it or show it again; each asked first, in the chat's words."""
    community = turn.need_community()
    item = await swot.current_by_id(turn.session, community.id, _item_id(request))
    if item.hidden_at is None:
        item = await swot.live_by_id(turn.session, community.id, item.id)  # merged: it says so
        ranked = (await swot_agreement.board(turn.session, community.id)).quadrant(item.quadrant)
    else:
        ranked = (await swot_agreement.hidden_items(turn.session, community.id))[item.quadrant]
    counted = next((found for found in ranked if found.id == item.id), None)
    if counted is None:
        raise NotFound(swot.NOT_CURRENT)
    targets = [found for found in ranked if found.id != item.id] if item.live else []
    t = turn.t
    return turn.page(
        "swot_tidy.html",
        item=counted,
        hidden=item.hidden_at is not None,
        quadrants=_quadrant_labels(turn),
        targets=targets,
        merge_question=lambda target: _plain(render.merge_question(t, item, target)),
        move_question=lambda quadrant: t.plain(
            N_("Move {code} to {part}? It gets a new code there; its votes and authors go along."),
            code=item.code,
            part=t.plain(render.QUADRANT_NAMES[quadrant]).lower(),
        ),
        hide_question=_plain(hiding_render.question(t, render.hideable(item))),
        unhide_question=t.plain(N_("Show {code} to residents again?"), code=item.code),
    )


# --- a member's actions ---------------------------------------------------------------------


@board_route()
async def rate(turn: BoardTurn, request: web.Request) -> str:
    """👍 or 👎 on one input, new or changed: the chat's rating, the same rules (a merged
    input's rating goes to the input it is in now)."""
    form = await request.post()
    picked = {choice.value: choice for choice in RATINGS}.get(str(form.get("choice", "")))
    if picked is None:
        raise InvalidInput(PICK_A_RATING)
    community, user = turn.need_community(), turn.need_user()
    item = await swot.current_by_id(turn.session, community.id, _item_id(request))
    rated = await swot_agreement.vote(turn.session, user, item.id, picked)
    if rated is None:
        raise InvalidInput(NO_LONGER_RATED)
    if rated.previous is not None and rated.previous != picked:
        return turn.notice(render.rating_changed(turn.t, rated.item.code, picked))
    return turn.notice(
        turn.t.plain(
            N_("Your rating of {code}: {choice}."),
            code=rated.item.code,
            choice=turn.t.plain(render.CHOICE_NAMES[picked]),
        ),
    )


@board_route()
async def add(turn: BoardTurn, request: web.Request) -> str:
    """A new input, as /strength and the others add it; the group's growing confirmation
    lists it, as it lists the inputs added there."""
    form = await request.post()
    quadrant = swot.parse_quadrant(str(form.get("quadrant", "")))
    community = turn.need_community()
    item = await swot.add_item(
        turn.session, community, turn.need_user(), quadrant, str(form.get("text", ""))
    )
    await confirm_in_group(turn, item, community.chat_id)
    return turn.notice(turn.t._("✅ Added as <b>{code}</b>.", code=item.code))


# --- the working group's tidying ------------------------------------------------------------


@board_route(leaders_only=True)
async def merge(turn: BoardTurn, request: web.Request) -> str:
    """This input into the one chosen (which remains), as the chat's confirmed /swotmerge."""
    form = await request.post()
    target = whole_number(str(form.get("target", "")))
    if target is None:
        raise InvalidInput(PICK_A_TARGET)
    gone, kept = await swot.merge(
        turn.session, turn.need_community(), turn.need_user(), _item_id(request), target
    )
    return turn.notice(render.merged(turn.t, gone.code, kept.code))


@board_route(leaders_only=True)
async def move(turn: BoardTurn, request: web.Request) -> str:
    """This input to another part, as /swotmove: a new code there, votes and all."""
    form = await request.post()
    quadrant = swot.parse_quadrant(str(form.get("quadrant", "")))
    community = turn.need_community()
    item = await swot.live_by_id(turn.session, community.id, _item_id(request))
    old, new = await swot.move(
        turn.session, community, turn.need_user(), swot.Code(item.quadrant, item.number), quadrant
    )
    return turn.notice(render.moved(turn.t, old.code, new.code, quadrant))


@board_route(leaders_only=True)
async def hide(turn: BoardTurn, request: web.Request) -> str:
    item = await swot.hide(turn.session, turn.need_community(), turn.need_user(), _item_id(request))
    return turn.notice(hiding_render.hidden(turn.t, render.hideable(item)))


@board_route(leaders_only=True)
async def unhide(turn: BoardTurn, request: web.Request) -> str:
    item = await swot.unhide(
        turn.session, turn.need_community(), turn.need_user(), _item_id(request)
    )
    return turn.notice(hiding_render.unhidden(turn.t, render.hideable(item)))


ROUTES: list[web.RouteDef] = [
    web.get(f"{VILLAGE}/swot", board),
    web.get(ITEM, tidy),
    web.post(f"{VILLAGE}/swot/add", add),
    web.post(f"{ITEM}/rate", rate),
    web.post(f"{ITEM}/merge", merge),
    web.post(f"{ITEM}/move", move),
    web.post(f"{ITEM}/hide", hide),
    web.post(f"{ITEM}/unhide", unhide),
]
