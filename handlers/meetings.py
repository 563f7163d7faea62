"""Progress meetings: /meeting, /meetings, /agenda, /minutes, RSVPs, and leaders' changes.

Times are typed in the community's time zone; a leader picks how a meeting repeats with
buttons; the group gets a card with RSVP buttons and an .ics file. Reminders and the start
notice are jobs (handlers.meeting_jobs).
"""

from __future__ import annotations

from telegram import InlineKeyboardMarkup

from bot.i18n import N_, Html
from bot.keyboards import meetings as keys
from bot.keyboards.meetings import Action, MeetingAction, MinutesTarget, RepeatPick, RsvpPick
from bot.models import Answer, Community, MeetingOccurrence, PrivateFlow, Repeat, utcnow
from bot.render import meetings as render
from bot.services import (
    communities,
    flows,
    leaders,
    meeting_notes,
    meeting_rsvps,
    meeting_times,
    meetings,
)
from bot.services.errors import NotAllowed, NotFound
from bot.services.text import shorten, whole_number
from bot.wire import messages
from handlers.common import deep_link
from handlers.context import REFUSAL, Turn, on_update
from handlers.flows import flow_step
from handlers.meeting_cards import (
    CalendarChange,
    announce,
    refresh_card,
    refresh_live_card,
    send_calendar,
    view_of,
)
from handlers.meeting_jobs import reschedule

LISTED = 10
MINUTES_CHOICES = 4
MOVE_FLOW = "mtgmove"

ANSWERED = {
    Answer.GOING: N_("✅ Noted: you are coming. See you there!"),
    Answer.MAYBE: N_("🤔 Noted: maybe."),
    Answer.NO: N_("❌ Noted: you can't come."),
}


def _example(community: Community) -> str:
    return meeting_times.example_when(communities.zone_of(community), utcnow())[0]


def _tell_group(turn: Turn, community: Community, text: str) -> None:
    """From private chat, the group hears of a change too (in the group, the reply does it)."""
    if not turn.in_private:
        return
    turn.send(messages.post(community.chat_id, text))


@on_update(leaders_only=True)
async def meeting_command(turn: Turn) -> None:
    """/meeting <date> <time> <title> [@ place]: then how it repeats, with buttons."""
    community = turn.need_community()
    zone = communities.zone_of(community)
    request = meeting_times.parse_request(turn.arg_text, zone, utcnow())
    meeting = await meetings.create_draft(turn.session, community, turn.need_user(), request)
    view = render.MeetingView(
        title=meeting.title,
        place=meeting.place,
        starts_at=meeting.starts_at,
        zone=zone,
        repeat=Repeat.ONCE,
        first_start=meeting.starts_at,
    )
    turn.reply(
        render.repeat_question(turn.t, view),
        keys.repeat_keyboard(
            turn.t, meeting.id, render.monthly_label(turn.t, meeting.starts_at, zone)
        ),
    )


@on_update(leaders_only=True, callback=RepeatPick)
async def repeat_chosen(turn: Turn) -> None:
    community = turn.need_community()
    pick: RepeatPick = turn.data
    occurrence = await meetings.confirm(
        turn.session, community, turn.need_user(), pick.meeting_id, Repeat(pick.repeat), utcnow()
    )
    turn.edit(render.scheduled(turn.t, await view_of(turn.session, turn.t, occurrence)))
    reschedule(turn, community.id)
    await announce(turn, community, occurrence.id, render.ANNOUNCED)


@on_update(callback=RsvpPick)
async def rsvp_pressed(turn: Turn) -> None:
    community = turn.need_community()
    pick: RsvpPick = turn.data
    answer = Answer(pick.answer)
    occurrence = await meeting_rsvps.set_rsvp(
        turn.session, community, turn.need_user(), pick.occurrence_id, answer, utcnow()
    )
    turn.answer(turn.t.plain(ANSWERED[answer]))
    pressed = turn.pressed
    if pressed is not None:
        refresh_card(turn, pressed.chat.id, pressed.message_id, occurrence.id, pick.stage)
        if occurrence.card_message_id != pressed.message_id:
            refresh_live_card(turn, occurrence, community.chat_id)


async def _list(turn: Turn, community: Community) -> tuple[Html, InlineKeyboardMarkup | None]:
    found, total = await meetings.upcoming(turn.session, community, utcnow(), LISTED)
    views = [await view_of(turn.session, turn.t, o) for o in found]
    leader = await turn.is_leader()
    text = render.upcoming_list(turn.t, views, total, leader=leader, example=_example(community))
    return text, keys.list_keyboard([o.id for o in found]) if leader else None


@on_update()
async def meetings_command(turn: Turn) -> None:
    """/meetings: the upcoming dates; leaders get buttons to move or cancel them."""
    turn.reply(*await _list(turn, turn.need_community()))


@on_update(leaders_only=True, callback=MeetingAction)
async def meeting_action(turn: Turn) -> None:
    community = turn.need_community()
    pick: MeetingAction = turn.data
    if pick.action == Action.LIST:
        turn.edit(*await _list(turn, community))
        return
    now = utcnow()
    occurrence = await meetings.occurrence_in(turn.session, community, pick.occurrence_id)
    meetings.check_open(occurrence, now)
    view = await view_of(turn.session, turn.t, occurrence)
    if pick.action == Action.VIEW:
        move_url = turn.runtime.deep_link(f"{MOVE_FLOW}_{occurrence.id}")
        repeating = view.repeat != Repeat.ONCE
        turn.edit(
            render.manage_text(turn.t, view),
            keys.manage_keyboard(turn.t, occurrence.id, repeating=repeating, move_url=move_url),
        )
    elif pick.action in (Action.CANCEL, Action.SERIES):
        series = pick.action == Action.SERIES
        confirmed = Action.SERIES_CONFIRMED if series else Action.CANCEL_CONFIRMED
        turn.edit(
            render.confirm_cancel(turn.t, view, series=series),
            keys.confirm_keyboard(turn.t, occurrence.id, confirmed),
        )
    else:
        await _cancel(turn, community, occurrence, series=pick.action == Action.SERIES_CONFIRMED)


async def _cancel(
    turn: Turn, community: Community, occurrence: MeetingOccurrence, *, series: bool
) -> None:
    user, now = turn.need_user(), utcnow()
    if series:
        called_off = await meetings.cancel_series(turn.session, community, user, occurrence.id, now)
    else:
        called_off = [
            await meetings.cancel_occurrence(turn.session, community, user, occurrence.id, now)
        ]
    reschedule(turn, community.id)
    view = await view_of(turn.session, turn.t, occurrence)
    turn.edit(render.cancelled_notice(turn.t, view, series=series))
    group_t = turn.runtime.translator(community.language)
    _tell_group(turn, community, render.cancelled_notice(group_t, view, series=series))
    for each in called_off:
        refresh_live_card(turn, each, community.chat_id)
    change = CalendarChange.SERIES_CANCELLED if series else CalendarChange.DATE_CANCELLED
    await send_calendar(turn, community, occurrence.id, change)


@deep_link(MOVE_FLOW)
async def _move_link(turn: Turn, rest: str) -> None:
    """The "move" button opens the private chat: ask the leader for the new time there."""
    user = turn.need_user()
    occurrence_id = whole_number(rest)
    community = (
        await meetings.community_of_occurrence(turn.session, occurrence_id)
        if occurrence_id is not None
        else None
    )
    if community is None or occurrence_id is None:
        raise NotFound(meetings.MEETING_NOT_FOUND)
    if not await leaders.is_leader(turn.session, turn.runtime.admins, community, user):
        raise NotAllowed(REFUSAL)
    occurrence = await meetings.occurrence_in(turn.session, community, occurrence_id)
    meetings.check_open(occurrence, utcnow())
    await flows.start(
        turn.session, user, community, MOVE_FLOW, "when", {"occurrence_id": occurrence.id}
    )
    view = await view_of(turn.session, turn.t, occurrence)
    turn.reply(render.move_question(turn.t, view, _example(community)))


@flow_step(MOVE_FLOW)
async def _move_answer(turn: Turn, flow: PrivateFlow, text: str) -> None:
    community = turn.need_community()
    await turn.require_leader()
    now = utcnow()
    new_start = meeting_times.parse_when_text(text, communities.zone_of(community), now)
    occurrence = await meetings.move_occurrence(
        turn.session, community, turn.need_user(), int(flow.data["occurrence_id"]), new_start, now
    )
    await flows.finish(turn.session, turn.need_user())
    view = await view_of(turn.session, turn.t, occurrence)
    turn.reply(
        turn.t._(
            "Done: the new time of “{title}” is {when}. The group is told.",
            title=view.title,
            when=render.when_text(turn.t, view.starts_at, view.zone),
        )
    )
    reschedule(turn, community.id)
    await announce(turn, community, occurrence.id, render.MOVED)


@on_update()
async def agenda_command(turn: Turn) -> None:
    """/agenda: the next meeting's agenda; /agenda <text> (leaders): add an item to it."""
    community, now = turn.need_community(), utcnow()
    if turn.arg_text:
        await turn.require_leader()
        occurrence = await meeting_notes.add_agenda_item(
            turn.session, community, turn.need_user(), turn.arg_text, now
        )
        turn.reply(render.agenda_added(turn.t, await view_of(turn.session, turn.t, occurrence)))
        refresh_live_card(turn, occurrence, community.chat_id)
        return
    found = await meetings.next_occurrence(turn.session, community, now)
    if found is None:
        raise NotFound(meeting_notes.NO_NEXT_MEETING)
    turn.reply(render.agenda_text(turn.t, await view_of(turn.session, turn.t, found, agenda=True)))


@on_update()
async def minutes_command(turn: Turn) -> None:
    """/minutes: the last meeting's minutes; /minutes <text> (leaders): record a decision."""
    community, now = turn.need_community(), utcnow()
    if not turn.arg_text:
        latest = await meetings.recent_past(turn.session, community, now, 1)
        if not latest:
            raise NotFound(meeting_notes.NO_PAST_MEETING)
        entries = await meeting_notes.minutes_of(turn.session, latest[0].id)
        view = await view_of(turn.session, turn.t, latest[0])
        turn.reply(render.minutes_text(turn.t, view, entries))
        return
    await turn.require_leader()
    entry = await meeting_notes.record_minutes(
        turn.session, community, turn.need_user(), turn.arg_text, now
    )
    recent = await meetings.recent_past(turn.session, community, now, MINUTES_CHOICES + 1)
    occurrence, others = recent[0], recent[1:]
    view = await view_of(turn.session, turn.t, occurrence)
    choices = [
        (
            other.id,
            shorten(
                f"{render.short_when(turn.t, other.starts_at, view.zone)} · {other.meeting.title}",
                40,
            ),
        )
        for other in others
    ]
    turn.reply(
        render.minutes_saved(turn.t, view, entry.text, other_dates=bool(choices)),
        keys.minutes_keyboard(entry.id, choices),
    )
    group_t = turn.runtime.translator(community.language)
    group_view = await view_of(turn.session, group_t, occurrence)
    _tell_group(turn, community, render.minutes_text(group_t, group_view, [entry.text]))


@on_update(leaders_only=True, callback=MinutesTarget)
async def minutes_moved(turn: Turn) -> None:
    community = turn.need_community()
    pick: MinutesTarget = turn.data
    occurrence = await meeting_notes.move_minutes(
        turn.session, community, pick.minutes_id, pick.occurrence_id, utcnow()
    )
    entry = await meeting_notes.minutes_in(turn.session, community, pick.minutes_id)
    view = await view_of(turn.session, turn.t, occurrence)
    turn.edit(render.minutes_moved(turn.t, view, entry.text))
