"""The village's public page (opt-in, `/settings public on`): read-only, for anyone, without
init data, at `{VILLAGEBOT_WEB_URL}/v/<village>`, in the village's language, with Open Graph
tags so a shared link shows a card. What it shows and who may be named on it:
bot.services.public_page."""

from __future__ import annotations

from aiohttp import web

from bot.board import links
from bot.board.pages import render
from bot.board.site import BOT_APP, prefix_of
from bot.i18n import N_
from bot.models import utcnow
from bot.render.ideas import area_label, status_label
from bot.runtime import runtime_of
from bot.services import communities, leaders, public_page
from bot.services.text import shorten

NOT_PUBLISHED = N_("This village has no public page.")
DESCRIPTION_LIMIT = 200
# A shared link is fetched by many previews at once: caches may keep the page this long (so a
# page taken down may be seen that much longer).
CACHE_SECONDS = 60
# Open Graph names a locale with its country.
OG_LOCALES = {"lv": "lv_LV", "en": "en_GB", "ru": "ru_RU"}


async def village_page(request: web.Request) -> web.Response:
    runtime = runtime_of(request.app[BOT_APP])
    web_url = runtime.settings.web_url or ""
    village_id = int(request.match_info["village"])
    async with runtime.db.transaction() as session:
        community = await public_page.published(session, village_id)
        agreed = community is not None and await public_page.anyone_agreed(session, community)
    if community is None:
        # The bot's language: a village that keeps its page private is not told apart from
        # one that does not exist.
        t = runtime.translator(None)
        body = render("public_missing.html", t, prefix=prefix_of(web_url), text=t._(NOT_PUBLISHED))
        return web.Response(text=body, content_type="text/html", status=404)
    # Who leads, for the leaders who agreed to be named (Telegram's answer is cached briefly);
    # Telegram is not asked when nobody agreed, as in most villages.
    admins = await leaders.known_admins(runtime.admins, community) if agreed else frozenset()
    async with runtime.db.transaction() as session:
        page = await public_page.village_page(session, community, utcnow(), admins)
    t = runtime.translator(community.language)
    zone = communities.zone_of(community)
    description = (
        shorten(page.vision, DESCRIPTION_LIMIT)
        if page.vision
        else t.plain(
            N_("How {village} develops: its goals, ideas and small victories."),
            village=community.title,
        )
    )
    body = render(
        "public.html",
        t,
        prefix=prefix_of(web_url),
        village=community,
        page=page,
        description=description,
        url=links.public_url(web_url, community.id),
        og_locale=OG_LOCALES.get(t.language, t.language),
        day=lambda value: t.date_text(value, zone),
        moment=lambda value: t.datetime_text(value, zone),
        percent=t.percent,
        area_label=lambda area: area_label(t, area),
        status_label=lambda status: status_label(t, status),
    )
    return web.Response(
        text=body,
        content_type="text/html",
        headers={"Cache-Control": f"public, max-age={CACHE_SECONDS}"},
    )


ROUTES: list[web.RouteDef] = [
    web.get("/v/{village:\\d+}", village_page),
]
