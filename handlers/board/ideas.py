"""Ideas on the board: the whole list with filters and an order."""

from __future__ import annotations

from aiohttp import web

from bot.models import IdeaArea, IdeaStatus
from bot.render import ideas as render
from bot.services import idea_board
from handlers.board.context import VILLAGE, BoardTurn, board_route


@board_route()
async def listing(turn: BoardTurn, request: web.Request) -> str:
    filters = idea_board.read_filters(dict(request.query))
    leader = await turn.is_leader()
    found = await idea_board.listing(
        turn.session, turn.need_community(), filters, include_hidden=leader
    )
    areas = [(area.value, render.area_label(turn.t, area)) for area in IdeaArea]
    statuses = [(status.value, render.status_label(turn.t, status)) for status in IdeaStatus]
    return turn.page(
        "ideas.html",
        ideas=found,
        filters=filters,
        areas=areas,
        statuses=statuses,
        area_label=lambda area: render.area_label(turn.t, area),
        status_label=lambda status: render.status_label(turn.t, status),
        leader=leader,
    )


ROUTES: list[web.RouteDef] = [
    web.get(f"{VILLAGE}/ideas", listing),
]
