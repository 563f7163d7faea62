"""The /stats figures on the board (the same service, bot.services.stats.overview) with the
weekly activity chart (bot.render.activity_chart) embedded in the page: an image the page
asks for could not carry the init data that every request of the board needs."""

from __future__ import annotations

import asyncio
import base64

from aiohttp import web

from bot.models import Answer, IdeaArea, utcnow
from bot.render import activity_chart
from bot.render import plan as plan_render
from bot.render.swot import QUADRANT_NAMES
from bot.services import plan, stats
from handlers.board.context import VILLAGE, BoardTurn, board_route
from handlers.board.plan import formats


def data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


@board_route()
async def figures_view(turn: BoardTurn, _request: web.Request) -> str:
    community = turn.need_community()
    figures = await stats.overview(turn.session, community, utcnow())
    picture = await asyncio.to_thread(
        activity_chart.render, turn.t, figures.activity, community.title
    )
    counts = [week.count for week in figures.activity]
    areas: list[IdeaArea | None] = [*IdeaArea, None]
    return turn.page(
        "figures.html",
        figures=plan_render.measurement(turn.t, figures),
        stats=figures,
        statuses=[(s, figures.ideas_in(s)) for s in plan.STATUS_ORDER if figures.ideas_in(s)],
        areas=[(a, figures.ideas_of(a)) for a in areas if figures.ideas_of(a)],
        quadrants=[(turn.t.plain(QUADRANT_NAMES[q]), n) for q, n in figures.swot.inputs.items()],
        answers=Answer,
        missing_swot=plan_render.MISSING["swot"],
        chart=data_uri(picture),
        total=sum(counts),
        this_week=counts[-1] if counts else 0,
        most=max(counts, default=0),
        **formats(turn),
    )


ROUTES: list[web.RouteDef] = [
    web.get(f"{VILLAGE}/figures", figures_view),
]
