"""The board's plan (routes to be written)."""

from __future__ import annotations

from aiohttp import web

ROUTES: list[web.RouteDef] = []
