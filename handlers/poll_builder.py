"""`/poll` alone in private chat: a leader builds a poll step by step.

The question, then the options one message each, then a card with buttons: anonymous or public
votes, one or several answers, and a deadline (none, 1 day, 3 days, 1 week, or a typed date).
The draft lives in the private flow, so a restart loses nothing.
"""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from telegram import InlineKeyboardMarkup

from bot.i18n import Html
from bot.keyboards.polls import DEADLINES, BuilderPress, builder_keyboard, done_keyboard
from bot.models import Community, PrivateFlow, utcnow
from bot.render import polls as render
from bot.services import communities, durations, flows, polls
from bot.services.dates import parse_moment
from bot.services.errors import NotFound
from handlers.context import STALE_BUTTON, Turn, on_update
from handlers.flows import flow_step
from handlers.poll_lifecycle import publish

KIND = "poll"
# A typed date without a time closes the poll that evening.
DEFAULT_CLOSING_TIME = time(20, 0)


async def begin(turn: Turn) -> None:
    community = turn.need_community()
    await flows.start(turn.session, turn.need_user(), community, KIND, "question")
    turn.reply(
        turn.t._(
            "Let's make a poll for {village}. Send the question. (/cancel stops.)",
            village=community.title,
        )
    )


def _draft(data: dict[str, Any]) -> render.Draft:
    closes_at = data.get("closes_at")
    return render.Draft(
        question=str(data.get("question", "")),
        options=tuple(data.get("options", [])),
        anonymous=bool(data.get("anonymous", True)),
        multiple=bool(data.get("multiple", False)),
        deadline=str(data.get("deadline", "none")),
        closes_at=datetime.fromisoformat(closes_at) if closes_at else None,
    )


def _card(turn: Turn, flow: PrivateFlow, community: Community) -> tuple[Html, InlineKeyboardMarkup]:
    draft = _draft(flow.data)
    text = render.builder_card(turn.t, draft, community.title, communities.zone_of(community))
    keyboard = builder_keyboard(
        turn.t, anonymous=draft.anonymous, multiple=draft.multiple, deadline=draft.deadline
    )
    return text, keyboard


@flow_step(KIND)
async def answer(turn: Turn, flow: PrivateFlow, text: str) -> None:
    community = turn.need_community()
    t = turn.t
    if flow.step == "question":
        flows.advance(flow, "options", question=polls.check_question(text), options=[])
        turn.reply(
            t._(
                "Now send the options, one message each: at least {minimum}, at most {maximum}.",
                minimum=polls.OPTIONS_MIN,
                maximum=polls.OPTIONS_MAX,
            )
        )
    elif flow.step == "options":
        options = [*flow.data["options"], polls.check_option(text, len(flow.data["options"]) + 1)]
        if len(options) >= polls.OPTIONS_MIN:
            polls.check_options(options)
        if len(options) == polls.OPTIONS_MAX:
            flows.advance(flow, "settings", options=options)
            turn.reply(*_card(turn, flow, community))
        elif len(options) >= polls.OPTIONS_MIN:
            flows.advance(flow, "options", options=options)
            turn.reply(
                t._("Option {number} added. Send another, or press Done.", number=len(options)),
                done_keyboard(t),
            )
        else:
            flows.advance(flow, "options", options=options)
            turn.reply(t._("Option {number} added. Send the next one.", number=len(options)))
    elif flow.step == "date":
        zone = communities.zone_of(community)
        closes_at = polls.check_deadline(parse_moment(text, zone, DEFAULT_CLOSING_TIME), utcnow())
        flows.advance(flow, "settings", deadline="date", closes_at=closes_at.isoformat())
        turn.reply(*_card(turn, flow, community))
    else:
        turn.reply(t._("Choose with the buttons above, or stop with /cancel."))


@on_update(chat="private", community="optional", callback=BuilderPress)
async def builder_pressed(turn: Turn) -> None:
    press: BuilderPress = turn.data
    user = turn.need_user()
    flow = await flows.current(turn.session, user)
    expected = "options" if press.action == "done" else "settings"
    if flow is None or flow.kind != KIND or flow.step != expected:
        raise NotFound(STALE_BUTTON)
    community = await communities.by_id(turn.session, flow.community_id)
    if community is None:
        raise NotFound(STALE_BUTTON)
    turn.community = community
    if press.action == "done" and len(flow.data.get("options", [])) >= polls.OPTIONS_MIN:
        flows.advance(flow, "settings")
    elif press.action in ("anon", "multi") and press.value in ("0", "1"):
        key = "anonymous" if press.action == "anon" else "multiple"
        flows.advance(flow, "settings", **{key: press.value == "1"})
    elif press.action == "deadline" and press.value == "date":
        flows.advance(flow, "date")
        turn.edit(
            turn.t._(
                "Send the deadline: a date, like 03.12.2026, or a date and time, like "
                "03.12.2026 18:00 (without a time, voting closes at 20:00)."
            )
        )
        return
    elif press.action == "deadline" and press.value in {value for value, _ in DEADLINES}:
        flows.advance(flow, "settings", deadline=press.value, closes_at=None)
    elif press.action == "post":
        await _post(turn, flow, community)
        return
    elif press.action == "cancel":
        await flows.finish(turn.session, user)
        turn.edit(turn.t._("Stopped. Nothing more is needed."))
        return
    else:
        raise NotFound(STALE_BUTTON)
    turn.edit(*_card(turn, flow, community))


async def _post(turn: Turn, flow: PrivateFlow, community: Community) -> None:
    """The rights are checked again: the leader may have left the working group meanwhile."""
    await turn.require_leader()
    draft = _draft(flow.data)
    closes_at = draft.closes_at
    if closes_at is None and draft.deadline != "none":
        closes_at = utcnow() + durations.parse(draft.deadline)
    poll = await polls.create(
        turn.session,
        community,
        turn.need_user(),
        draft.question,
        draft.options,
        anonymous=draft.anonymous,
        multiple=draft.multiple,
        closes_at=closes_at,
    )
    await flows.finish(turn.session, turn.need_user())
    turn.edit(turn.t._("<b>{question}</b>", question=draft.question))
    publish(turn, poll)
