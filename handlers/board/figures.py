"""The board's figures (routes to be written)."""

from __future__ import annotations

from aiohttp import web

ROUTES: list[web.RouteDef] = []
