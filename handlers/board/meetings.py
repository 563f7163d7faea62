"""Meetings on the board: the dates to come with their answers, those that took place with
their minutes, one date's page (agenda, minutes, RSVP, calendar file); RSVP and leaders'
agenda items through the chat's services, the group's card refreshed as after a press."""

from __future__ import annotations

from collections.abc import Mapping

from aiohttp import web
from markupsafe import Markup

from bot.board import calendar_links
from bot.board.site import BOT_APP
from bot.i18n import N_, Html, escape
from bot.keyboards.meetings import ANSWER_LABELS
from bot.models import Answer, MeetingOccurrence, utcnow
from bot.render import meetings as render
from bot.runtime import runtime_of
from bot.services import meeting_board, meeting_notes, meeting_rsvps, meetings
from bot.services.errors import InvalidInput
from handlers.board.context import VILLAGE, BoardTurn, board_route
from handlers.meeting_cards import (
    CALENDAR_CAPTIONS,
    calendar_content,
    change_of,
    refresh_live_card,
    view_of,
)
from handlers.meetings import ANSWERED

MINE = {
    Answer.GOING: N_("Your answer: you are coming."),
    Answer.MAYBE: N_("Your answer: maybe."),
    Answer.NO: N_("Your answer: you can't come."),
}
NOT_AN_ANSWER = N_("Choose one of the answers: coming, maybe or can't come.")


def _occurrence_id(request: web.Request) -> int:
    return int(request.match_info["occurrence"])


def _texts(turn: BoardTurn) -> dict[str, object]:
    """What the templates need to show a date: its time with the year, its answers."""
    t = turn.t

    def when(occurrence: MeetingOccurrence) -> str:
        return render.when_text(t, occurrence.starts_at, meetings.zone_of(occurrence.meeting))

    def answer_label(answer: Answer, count: int) -> str:
        return t.plain(ANSWER_LABELS[answer], count=count)

    return {
        "when": when,
        "answers": list(Answer),
        "answer_label": answer_label,
        "mine_text": lambda answer: Markup(t._(MINE[answer])),
    }


@board_route()
async def listing(turn: BoardTurn, _request: web.Request) -> str:
    found = await meeting_board.overview(
        turn.session, turn.need_community(), turn.need_user(), utcnow()
    )
    return turn.page("meetings.html", overview=found, **_texts(turn))


@board_route()
async def one_date(turn: BoardTurn, request: web.Request) -> str:
    community = turn.need_community()
    page = await meeting_board.date_page(
        turn.session, community, turn.need_user(), _occurrence_id(request), utcnow()
    )
    occurrence = page.row.occurrence
    view = await view_of(turn.session, turn.t, occurrence, agenda=page.upcoming)
    agenda: list[Html] = list(view.agenda)
    if not page.upcoming:  # what other features list now is no part of a past agenda
        items = await meeting_notes.agenda_items(turn.session, occurrence.id)
        agenda = [escape(item) for item in items]
    runtime = turn.runtime
    ics_url = (runtime.settings.web_url or "") + calendar_links.ics_path(
        runtime.settings.require_token(), occurrence.id
    )
    return turn.page(
        "meeting.html",
        page=page,
        row=page.row,
        view=view,
        # Telegram HTML, its user text escaped already.
        agenda=[Markup(line) for line in agenda],
        repeat=Markup(render.repeat_text(turn.t, view.repeat, view.first_start, view.zone)),
        ics_url=ics_url,
        calendar_caption=turn.t.plain(CALENDAR_CAPTIONS[change_of(occurrence)]),
        leader=await turn.is_leader(),
        agenda_max=meeting_notes.AGENDA_ITEM_MAX,
        **_texts(turn),
    )


def _answer(form: Mapping[str, object]) -> Answer:
    try:
        return Answer(str(form.get("answer", "")))
    except ValueError:
        raise InvalidInput(NOT_AN_ANSWER) from None


@board_route()
async def rsvp(turn: BoardTurn, request: web.Request) -> str:
    """The same answer as the card's button; the group's card shows the new counts."""
    community = turn.need_community()
    answer = _answer(await request.post())
    occurrence = await meeting_rsvps.set_rsvp(
        turn.session, community, turn.need_user(), _occurrence_id(request), answer, utcnow()
    )
    refresh_live_card(turn, occurrence, community.chat_id)
    return turn.notice(turn.t._(ANSWERED[answer]))


@board_route(leaders_only=True)
async def add_agenda_item(turn: BoardTurn, request: web.Request) -> str:
    """As /agenda <text>, for the date whose page it is; the group's card shows it."""
    community = turn.need_community()
    form = await request.post()
    occurrence = await meeting_notes.add_agenda_item(
        turn.session,
        community,
        turn.need_user(),
        str(form.get("text", "")),
        utcnow(),
        _occurrence_id(request),
    )
    refresh_live_card(turn, occurrence, community.chat_id)
    view = await view_of(turn.session, turn.t, occurrence)
    return turn.notice(render.agenda_added(turn.t, view))


async def calendar(request: web.Request) -> web.Response:
    """The date's .ics for a plain link: its token, not init data, says the board made it."""
    runtime = runtime_of(request.app[BOT_APP])
    occurrence_id = _occurrence_id(request)
    token = runtime.settings.require_token()
    if not calendar_links.is_valid(token, occurrence_id, request.match_info["token"]):
        raise web.HTTPNotFound()
    async with runtime.db.transaction() as session:
        found = await meetings.occurrence_with_community(session, occurrence_id)
        if found is None or not found[1].active:
            raise web.HTTPNotFound()
        occurrence, community = found
        name, content = calendar_content(community, occurrence, change_of(occurrence))
    return web.Response(
        body=content,
        content_type="text/calendar",
        charset="utf-8",
        # A moved or cancelled date changes the file: it is fetched anew each time.
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "Cache-Control": "no-cache",
        },
    )


DATE = f"{VILLAGE}/meeting/{{occurrence:\\d{{1,9}}}}"
ROUTES: list[web.RouteDef] = [
    web.get(f"{VILLAGE}/meetings", listing),
    web.get(DATE, one_date),
    web.post(f"{DATE}/rsvp", rsvp),
    web.post(f"{DATE}/agenda", add_agenda_item),
    web.get("/board/ics/{occurrence:\\d{1,9}}-{token:[0-9a-f]{1,64}}.ics", calendar),
]
