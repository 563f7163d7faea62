"""The board's frame: the village it opens on (from the start parameter, else the one the
person was most recently active in), its tabs, and the other villages to switch to."""

from __future__ import annotations

from aiohttp import web

from bot.board import init_data, links
from bot.board.pages import render
from bot.board.site import BOT_APP
from bot.i18n import N_
from bot.models import Community, User
from bot.runtime import Runtime, runtime_of
from bot.services import Session, communities, members
from handlers.board.context import member_of, who_is_asking

NOT_A_MEMBER = N_(
    "The board shows the villages you are in. Open it from your village group's message, "
    "or write something in the group first."
)


async def frame(request: web.Request) -> web.Response:
    runtime = runtime_of(request.app[BOT_APP])
    who = who_is_asking(request, runtime)
    village_id, view = links.parse_start(request.query.get("start"))
    async with runtime.db.transaction() as session:
        user, village, villages = await _villages(runtime, session, who, village_id)
        if village is None or village.id != village_id:
            view = "ideas"
        language = members.private_language(user, village, runtime.settings.default_language)
        t = runtime.translator(language)
        if village is None:
            body = render("notice.html", t, text=t._(NOT_A_MEMBER), error=True)
            return web.Response(text=body, content_type="text/html", status=403)
        others = [v for v in villages if v.id != village.id]
        body = render("frame.html", t, village=village, view=view, others=others)
    return web.Response(text=body, content_type="text/html")


async def _villages(
    runtime: Runtime, session: Session, who: init_data.InitData, village_id: int | None
) -> tuple[User | None, Community | None, list[Community]]:
    """The person, the village to show (the one asked for when they are in it), and all of
    theirs. One the bot does not know in the asked village yet is asked about at Telegram."""
    if village_id is not None:
        asked = await communities.by_id(session, village_id)
        if asked is not None and asked.active:
            user = await member_of(runtime, session, asked, who)
            if user is not None:
                return user, asked, await members.communities_of(session, user)
    user = await members.by_telegram_id(session, who.telegram_id)
    if user is None:
        return None, None, []
    villages = await members.communities_of(session, user)
    return user, await members.latest_village(session, user, villages), villages
