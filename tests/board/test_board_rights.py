"""The rights and isolation table of the chat, for every route of the board: without signed
init data nothing answers; a member of another village is refused before the route runs; a
resident is refused every leaders' route. Routes are read from handlers.board.ROUTES, so a
new route is in the table from the start."""

from __future__ import annotations

import re

import pytest
from aiohttp import web

from bot.db import Database
from bot.testing import BotApiEmulator
from bot.testing.board import BoardClient
from handlers.board import ROUTES
from handlers.board.context import RULES
from tests.board.conftest import village_id
from tests.conftest import Village, new_village

VILLAGE_ROUTES = [route for route in ROUTES if route.handler in RULES]


def _path(route: web.RouteDef, village: int) -> str:
    """The route's path with the village filled in, 1 for any other number in it and the
    first of a choice of words."""
    path = route.path.replace("{village:\\d{1,9}}", str(village))
    path = re.sub(r"\{[a-z_]+:([a-z]+)(\|[a-z]+)+\}", r"\1", path)
    return re.sub(r"\{[a-z_]+(?::(?:[^{}]|\{[^}]*\})*)?\}", "1", path)


def test_every_village_route_is_in_the_table() -> None:
    assert len(VILLAGE_ROUTES) >= 10
    assert all("/board/api/v/" in route.path for route in VILLAGE_ROUTES)
    others = [r.path for r in ROUTES if r.handler not in RULES and "/board/api/v/" in r.path]
    assert others == [], "every route of a village goes through board_route"


async def _call(board: BoardClient, route: web.RouteDef, user: object, path: str) -> int:
    if route.method == "GET":
        return (await board.get(user, path)).status  # type: ignore[arg-type]
    return (await board.post(user, path, {"text": "x"})).status  # type: ignore[arg-type]


@pytest.mark.parametrize("route", VILLAGE_ROUTES, ids=lambda r: f"{r.method} {r.path}")
async def test_outsiders_and_unsigned_requests_are_refused(
    tg: BotApiEmulator,
    village: Village,
    board: BoardClient,
    database: Database,
    route: web.RouteDef,
) -> None:
    other = await new_village(tg)
    path = _path(route, await village_id(database, village.chat))
    assert await _call(board, route, None, path) == 401
    assert await _call(board, route, other.resident, path) == 403
    assert await _call(board, route, other.admin, path) == 403


LEADER_ROUTES = [route for route in VILLAGE_ROUTES if RULES[route.handler].leaders_only]


@pytest.mark.parametrize("route", LEADER_ROUTES, ids=lambda r: f"{r.method} {r.path}")
async def test_residents_are_refused_the_leaders_routes(
    village: Village, board: BoardClient, database: Database, route: web.RouteDef
) -> None:
    path = _path(route, await village_id(database, village.chat))
    assert await _call(board, route, village.resident, path) == 403
