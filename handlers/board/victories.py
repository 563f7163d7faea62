"""Small victories on the board: the wall, newest first, and applause through the chat's
service, the victory's card in the group refreshed as after a press of its button."""

from __future__ import annotations

from aiohttp import web

from bot.i18n import N_
from bot.models import Victory
from bot.services import communities, victories, victory_board
from bot.services.errors import NotFound
from bot.services.text import whole_number
from handlers.board.context import VILLAGE, BoardTurn, board_route
from handlers.victories import refresh_card

GONE = N_("This victory is no longer here.")
TAKEN_BACK = N_("Applause taken back.")
APPLAUDED = N_("👏 You applaud this victory.")


@board_route()
async def wall(turn: BoardTurn, request: web.Request) -> str:
    """`?page=2`: older victories (pages counted from 1, as the page shows them)."""
    community = turn.need_community()
    page = (whole_number(request.query.get("page", "")) or 1) - 1
    found = await victory_board.wall(turn.session, community, turn.need_user(), page)
    zone = communities.zone_of(community)

    def date(victory: Victory) -> str:
        return turn.t.date_text(victory.decided_at or victory.created_at, zone)

    return turn.page("victories.html", wall=found, date=date)


@board_route()
async def applaud(turn: BoardTurn, request: web.Request) -> str:
    """👏, or take it back, as the card's button does."""
    community = turn.need_community()
    victory_id = int(request.match_info["victory"])
    victory = await victories.by_id(turn.session, victory_id)
    if victory is None or victory.community_id != community.id:
        raise NotFound(GONE)
    applauds = await victories.toggle_applause(turn.session, victory, turn.need_user())
    refresh_card(turn, victory)
    return turn.notice(turn.t._(APPLAUDED if applauds else TAKEN_BACK))


ROUTES: list[web.RouteDef] = [
    web.get(f"{VILLAGE}/victories", wall),
    web.post(f"{VILLAGE}/victories/{{victory:\\d{{1,9}}}}/applause", applaud),
]
