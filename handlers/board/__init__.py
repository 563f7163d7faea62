"""The board's routes: the one list of every path the Mini App and the public page answer.
Each route is thin, as the chat's handlers are: parse, check rights (handlers.board.context),
call a service, render a template. Each module lists its own routes."""

from __future__ import annotations

from aiohttp import web

from handlers.board import budget, figures, frame, ideas, meetings, plan, public, swot, victories

ROUTES: list[web.RouteDef] = [
    web.get("/board/api/frame", frame.frame),
    *ideas.ROUTES,
    *swot.ROUTES,
    *meetings.ROUTES,
    *victories.ROUTES,
    *plan.ROUTES,
    *budget.ROUTES,
    *figures.ROUTES,
    *public.ROUTES,
]
