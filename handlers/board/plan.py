"""The development plan on the board: the eight parts of /plan's draft as a live page, read
from the same service (bot.services.plan.draft), and the button that sends the .docx to the
leader's private chat as /plan does (handlers.desk)."""

from __future__ import annotations

from aiohttp import web

from bot.i18n import N_
from bot.models import IdeaArea, utcnow
from bot.render import desk as desk_render
from bot.render import plan as plan_render
from bot.render.ideas import area_label, status_label
from bot.render.swot import QUADRANT_NAMES
from bot.services import communities, plan
from bot.services.swot import QUADRANTS
from handlers import desk
from handlers.board.context import VILLAGE, BoardTurn, board_route
from handlers.digest import show_schedule

NOT_STARTED = N_(
    "You have no private chat with me yet. Open it and press “Start”: the plan comes there at once."
)


def formats(turn: BoardTurn) -> dict[str, object]:
    """How the plan and figures pages write dates, money, names and labels: as the document
    does, in the reader's language and the village's time zone."""
    t, zone = turn.t, communities.zone_of(turn.need_community())
    return {
        "day": lambda value: t.date_text(value, zone) if value is not None else "",
        "moment": lambda value: t.datetime_text(value, zone),
        "money": lambda cents: t.money(cents, sign=False),
        "percent": t.percent,
        "person": lambda name: desk_render.person(t, name) if name else "",
        "area_label": lambda area: area_label(t, area),
        "status_label": lambda status: status_label(t, status),
    }


@board_route()
async def plan_view(turn: BoardTurn, _request: web.Request) -> str:
    community = turn.need_community()
    draft = await plan.draft(turn.session, community, utcnow())
    zone = communities.zone_of(community)
    areas: list[IdeaArea | None] = [*IdeaArea, None]
    return turn.page(
        "plan.html",
        plan=draft,
        headings=plan_render.headings(turn.t),
        missing=plan_render.MISSING,
        figures=plan_render.measurement(turn.t, draft.figures),
        budget_rounds=[plan_render.budget_round(turn.t, r, zone) for r in draft.budget_rounds],
        round_columns=plan_render.ROUND_COLUMNS,
        quadrants=[(turn.t.plain(QUADRANT_NAMES[q]), draft.board.quadrant(q)) for q in QUADRANTS],
        by_area=[
            (area, [a for a in draft.actions if a.area == area])
            for area in areas
            if any(a.area == area for a in draft.actions)
        ],
        schedule=await show_schedule(turn.session, turn.t, community),
        leader=await turn.is_leader(),
        **formats(turn),
    )


@board_route(leaders_only=True)
async def send_plan(turn: BoardTurn, _request: web.Request) -> str:
    """The .docx to the leader's private chat, as /plan sends it; without a private chat yet,
    the link that opens it (its "Start" brings the plan)."""
    chat_id = desk.private_chat_of(turn.need_user())
    if chat_id is None:
        return turn.page(
            "private_chat.html", text=turn.t._(NOT_STARTED), link=desk.files_link(turn, desk.PLAN)
        )
    turn.send(*await desk.private_files(turn, desk.PLAN, chat_id))
    return turn.notice(desk_render.sent_privately(turn.t))


ROUTES: list[web.RouteDef] = [
    web.get(f"{VILLAGE}/plan", plan_view),
    web.post(f"{VILLAGE}/plan/send", send_plan),
]
