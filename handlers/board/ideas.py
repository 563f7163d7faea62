"""Ideas on the board: the whole list with filters and an order, an idea's page with its
comments and history, and what members and leaders do with an idea there. Each action is the
chat's own step (handlers.ideas), so the rules, the audit and the chat's cards, announcements
and notices are the same as from the group."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from aiohttp import web

from bot.i18n import N_
from bot.models import Idea, IdeaArea, IdeaStatus
from bot.render import hiding as hiding_render
from bot.render import ideas as render
from bot.services import communities, idea_board, ideas, members
from bot.services.errors import NotFound
from bot.services.people import People
from handlers import ideas as chat
from handlers.board.context import VILLAGE, BoardTurn, board_route, form_field

# An idea's page shows this much of its talk (the chat's /idea shows less).
COMMENTS_SHOWN = 20
CHANGES_SHOWN = 50
NOT_A_MEMBER = N_("This person is not a member of the village group now.")
COMMENTED = N_("💬 Your comment is added to idea #{number}.")


def _labels(turn: BoardTurn) -> dict[str, object]:
    """What every ideas template needs to name areas and statuses in the reader's language."""
    return {
        "area_label": lambda area: render.area_label(turn.t, area),
        "status_label": lambda status: render.status_label(turn.t, status),
        "areas": [(area.value, render.area_label(turn.t, area)) for area in IdeaArea],
    }


@board_route()
async def listing(turn: BoardTurn, request: web.Request) -> str:
    filters = idea_board.read_filters(dict(request.query))
    leader = await turn.is_leader()
    community, user = turn.need_community(), turn.need_user()
    found = await idea_board.listing(turn.session, community, filters, include_hidden=leader)
    owners = await People.load(turn.session, [idea.owner_id for idea in found.ideas])
    statuses = [(status.value, render.status_label(turn.t, status)) for status in IdeaStatus]
    return turn.page(
        "ideas.html",
        ideas=found.ideas,
        listing=found,
        filters=filters,
        statuses=statuses,
        owner_of=lambda idea: owners.known(idea.owner_id),
        supported=await idea_board.supported_by(turn.session, community, user),
        supportable=ideas.open_for_support,
        leader=leader,
        **_labels(turn),
    )


@board_route()
async def page(turn: BoardTurn, request: web.Request) -> str:
    """An idea with its tracking, supports, comments and status history; leaders' forms."""
    found = await chat.load_detail(
        turn, _number(request), comments=COMMENTS_SHOWN, changes=CHANGES_SHOWN
    )
    idea, community = found.idea, turn.need_community()
    zone = communities.zone_of(community)
    leader = await turn.is_leader()
    supported = await idea_board.supported_by(turn.session, community, turn.need_user())
    return turn.page(
        "idea.html",
        idea=idea,
        author=render.author_label(turn.t, idea, found.author_name),
        owner=found.owner_name,
        comments=[
            (render.person(turn.t, name), turn.t.date_text(comment.created_at, zone), comment)
            for comment, name in found.comments
        ],
        changes=[(turn.t.date_text(change.created_at, zone), change) for change in found.changes],
        cost=turn.t.money(idea.cost_cents) if idea.cost_cents is not None else None,
        # As a leader types it back (ideas.parse_cost): 1200.5, without the no-break spaces.
        cost_value=str(Decimal(idea.cost_cents) / 100) if idea.cost_cents is not None else "",
        supported=idea.id in supported,
        supportable=ideas.open_for_support(idea),
        leader=leader,
        members=await members.current_members(turn.session, community) if leader else [],
        leader_statuses=[
            (status.value, render.status_label(turn.t, status)) for status in ideas.LEADER_STATUSES
        ],
        comment_max=ideas.COMMENT_MAX,
        reason_max=ideas.REASON_MAX,
        funding_max=ideas.FUNDING_MAX,
        **_labels(turn),
    )


# --- what members do ------------------------------------------------------------------------


@board_route()
async def support(turn: BoardTurn, request: web.Request) -> str:
    """Support, or take the support back: the card's 👍 button."""
    idea = await _idea(turn, request)
    return turn.notice(await chat.toggle_support(turn, idea))


@board_route()
async def comment(turn: BoardTurn, request: web.Request) -> str:
    form = await request.post()
    idea = await _idea(turn, request)
    await chat.add_comment(turn, idea, form_field(form, "text"))
    return turn.notice(turn.t._(COMMENTED, number=idea.number))


# --- what leaders do ------------------------------------------------------------------------


@board_route(leaders_only=True)
async def status(turn: BoardTurn, request: web.Request) -> str:
    """A new status (a rejection with its reason), told as /status tells it."""
    form = await request.post()
    idea = await _idea(turn, request)
    new = ideas.parse_status(form_field(form, "status"))
    change = await ideas.set_status(
        turn.session, idea, turn.need_user(), new, form_field(form, "reason") or None
    )
    await chat.after_status_change(turn, change)
    return turn.notice(chat.status_confirmation(turn.t, idea))


@board_route(leaders_only=True)
async def area(turn: BoardTurn, request: web.Request) -> str:
    form = await request.post()
    idea = await _idea(turn, request)
    chosen = chat.area_from(turn, [form_field(form, "area")])
    return turn.notice(await chat.save_tracking(turn, idea, area=chosen))


@board_route(leaders_only=True)
async def owner(turn: BoardTurn, request: web.Request) -> str:
    """The member responsible for the idea, one of the village's current members; or nobody."""
    form = await request.post()
    idea = await _idea(turn, request)
    wanted = form_field(form, "owner")
    if not wanted:
        return turn.notice(await chat.save_tracking(turn, idea, clear_owner=True))
    current = await members.current_members(turn.session, turn.need_community())
    chosen = next((member for member in current if str(member.id) == wanted), None)
    if chosen is None:
        raise NotFound(NOT_A_MEMBER)
    return turn.notice(await chat.save_tracking(turn, idea, owner=chosen))


# What a leader types into the idea's cost, funding and progress fields, read as /ideaset reads
# it, by the field's name (the path's last part).
TRACKED: dict[str, tuple[str, Callable[[str], object]]] = {
    "cost": ("cost_cents", ideas.parse_cost),
    "funding": ("funding_source", str),
    "progress": ("progress", ideas.parse_progress),
}


@board_route(leaders_only=True)
async def tracking(turn: BoardTurn, request: web.Request) -> str:
    """The idea's cost estimate, funding source or progress, as /ideaset sets them."""
    name = request.match_info["field"]
    setting, parse = TRACKED[name]
    form = await request.post()
    idea = await _idea(turn, request)
    value = parse(form_field(form, name))
    return turn.notice(await chat.save_tracking(turn, idea, **{setting: value}))  # type: ignore[arg-type]


@board_route(leaders_only=True)
async def hide(turn: BoardTurn, request: web.Request) -> str:
    """Hidden from residents (the board asked first); the card says so."""
    idea = await _idea(turn, request, hidden_too=True)
    await chat.set_hidden(turn, idea, True)
    return turn.notice(hiding_render.hidden(turn.t, chat.hideable(turn.t, idea)))


@board_route(leaders_only=True)
async def unhide(turn: BoardTurn, request: web.Request) -> str:
    idea = await _idea(turn, request, hidden_too=True)
    await chat.set_hidden(turn, idea, False)
    return turn.notice(hiding_render.unhidden(turn.t, chat.hideable(turn.t, idea)))


# --- parts ----------------------------------------------------------------------------------


def _number(request: web.Request) -> int:
    return int(request.match_info["number"])


async def _idea(turn: BoardTurn, request: web.Request, *, hidden_too: bool = False) -> Idea:
    """The idea of this village named in the path; a hidden one only where a leader shows it
    again (as in the chat, nothing else happens to a hidden idea)."""
    return await ideas.by_number(
        turn.session, turn.need_community(), _number(request), include_hidden=hidden_too
    )


# Numbers of up to nine digits (a longer one names no idea, and would not fit the database).
IDEA = f"{VILLAGE}/idea/{{number:\\d{{1,9}}}}"
ACT = f"{VILLAGE}/ideas/{{number:\\d{{1,9}}}}"

ROUTES: list[web.RouteDef] = [
    web.get(f"{VILLAGE}/ideas", listing),
    web.get(IDEA, page),
    web.post(f"{ACT}/support", support),
    web.post(f"{ACT}/comment", comment),
    web.post(f"{ACT}/status", status),
    web.post(f"{ACT}/area", area),
    web.post(f"{ACT}/owner", owner),
    web.post(f"{ACT}/{{field:cost|funding|progress}}", tracking),
    web.post(f"{ACT}/hide", hide),
    web.post(f"{ACT}/unhide", unhide),
]
