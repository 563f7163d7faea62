"""The SWOT analysis with the whole village: add inputs, see the board, rate, and tidy up.

In the group, a burst of inputs is confirmed by one message that grows, a live card
(bot.services.swot_confirmations) instead of one reply per input: during a meeting many people
add at once. Each author finds their code in it; after ten minutes or ten inputs a new message
starts.
"""

from __future__ import annotations

import asyncio

from telegram import InlineKeyboardMarkup

from bot.i18n import N_, Html
from bot.keyboards.swot import (
    SwotFlow,
    SwotHide,
    SwotMerge,
    SwotPage,
    SwotPart,
    SwotRate,
    SwotRoundStart,
    add_keyboard,
    board_keyboard,
    flow_keyboard,
    merge_keyboard,
    pages_keyboard,
    parts_keyboard,
    quadrant_of,
    rate_keyboard,
    rate_link_keyboard,
    round_keyboard,
)
from bot.models import Choice, Community, PrivateFlow, Quadrant, SwotItem
from bot.render import swot as render
from bot.render.hiding import Hideable
from bot.render.swot_picture import board_png
from bot.runtime import Runtime
from bot.services import (
    communities,
    flows,
    members,
    placed,
    swot,
    swot_agreement,
    swot_confirmations,
)
from bot.services.errors import InvalidInput, NotFound
from bot.services.text import whole_number
from bot.wire import messages
from bot.wire.messages import Drawn
from handlers import hiding
from handlers.common import act_for, deep_link
from handlers.context import STALE_BUTTON, Acts, Turn, on_update
from handlers.flows import flow_step

FLOW = "swot"
CHOICES = {"a": Choice.AGREE, "d": Choice.DISAGREE, "p": Choice.PASS}
COMMAND_QUADRANTS = {command: quadrant for quadrant, command in render.COMMANDS.items()}
# The word for every input: English, and the Latvian and Russian ones the help texts show.
ALL_WORDS = frozenset({"all", "visi", "visas", "все", "всё"})
BOARD_USAGE = N_(
    "Write /swot for the current round, /swot 1 for round 1, or /swot all for every input."
)


def _links(turn: Turn, community: Community) -> tuple[str, str]:
    return (
        turn.runtime.deep_link(f"swot_{community.id}"),
        turn.runtime.deep_link(f"swotvote_{community.id}"),
    )


# --- adding inputs --------------------------------------------------------------------------


def _command_quadrant(turn: Turn) -> Quadrant:
    text = turn.message.text if turn.message and turn.message.text else ""
    command = text.split(maxsplit=1)[0].lstrip("/").split("@")[0].lower() if text else ""
    return COMMAND_QUADRANTS[command]


@on_update()
async def add_command(turn: Turn) -> None:
    """/strength, /weakness, /opportunity, /threat <text>."""
    quadrant = _command_quadrant(turn)
    community = turn.need_community()
    user = turn.need_user()
    if not turn.arg_text:
        if turn.in_private:
            await _start_flow(turn, community, quadrant, edit=False)
        else:
            turn.reply(
                render.add_usage(turn.t, quadrant), add_keyboard(turn.t, _links(turn, community)[0])
            )
        return
    item = await swot.add_item(turn.session, community, user, quadrant, turn.arg_text)
    if turn.in_private:
        turn.reply(render.added(turn.t, item.code))
        return
    reply_to = turn.message.message_id if turn.message else None
    await confirm_in_group(turn, item, turn.chat.id, reply_to)


async def confirm_in_group(
    acts: Acts, item: SwotItem, chat_id: int, reply_to: int | None = None
) -> None:
    """An input added in the group (or on the board) is listed in the group's growing
    confirmation: the first input of a burst by a new message (quoting the command, if any);
    the next ones redraw it once it is sent (until then, it is drawn with them when it is)."""
    community, user = acts.need_community(), acts.need_user()
    confirming = await swot_confirmations.confirm(
        acts.session, community.id, chat_id, item.id, user.id
    )
    card = placed.swot_confirmation(confirming.confirmation_id)
    if confirming.new:
        acts.send(messages.show(confirming.chat_id, card, reply_to=reply_to, after_send=card))
    elif confirming.message_id is not None:
        acts.send(messages.refresh(confirming.chat_id, confirming.message_id, card))


async def _confirmation_view(runtime: Runtime, argument: str) -> Drawn | None:
    """The confirmation as it is now, in the village's language; drawn whole, as its record
    may redraw it (bot.services.placed)."""
    async with runtime.db.plain() as connection:
        found = await swot_confirmations.confirmation(connection, int(argument))
    if found is None:
        return None
    return Drawn.text(render.added_in_group(runtime.translator(found.language), found.entries))


VIEWS = {placed.SWOT_CONFIRMATION: _confirmation_view}


# --- the guided flow in private chat --------------------------------------------------------


async def _start_flow(turn: Turn, community: Community, quadrant: Quadrant, *, edit: bool) -> None:
    await flows.start(
        turn.session, turn.need_user(), community, FLOW, "write", {"quadrant": quadrant.value}
    )
    text = render.write_prompt(turn.t, quadrant, community.title)
    keyboard = flow_keyboard(turn.t, community.id)
    if edit:
        turn.edit(text, keyboard)
    else:
        turn.reply(text, keyboard)


@deep_link("swot")
async def add_link(turn: Turn, rest: str) -> None:
    """The board's "Add inputs" button: pick a part, then write."""
    community = await act_for(turn, rest)
    turn.reply(render.pick_quadrant(turn.t, community.title), parts_keyboard(turn.t, community.id))


async def _member_community(turn: Turn, community_id: int) -> Community:
    """The community a private-chat button names, if the presser is a member (acts for it)."""
    return await members.choose_community(turn.session, turn.need_user(), community_id)


@on_update(chat="private", community="optional", callback=SwotPart)
async def part_picked(turn: Turn) -> None:
    choice: SwotPart = turn.data
    quadrant = quadrant_of(choice.quadrant)
    if quadrant is None:
        raise NotFound(STALE_BUTTON)
    community = await _member_community(turn, choice.community_id)
    await _start_flow(turn, community, quadrant, edit=True)


@flow_step(FLOW)
async def flow_answer(turn: Turn, flow: PrivateFlow, text: str) -> None:
    """Each message of the flow is one input, stored at once."""
    community = turn.need_community()
    quadrant = quadrant_of(str(flow.data.get("quadrant"))) or Quadrant.S
    item = await swot.add_item(turn.session, community, turn.need_user(), quadrant, text)
    flows.advance(flow, "write")
    turn.reply(
        render.added_in_flow(turn.t, item.code, quadrant), flow_keyboard(turn.t, community.id)
    )


@on_update(chat="private", community="optional", callback=SwotFlow)
async def flow_pressed(turn: Turn) -> None:
    choice: SwotFlow = turn.data
    community = await _member_community(turn, choice.community_id)
    pressed = turn.pressed
    if pressed is not None:
        turn.send(messages.drop_buttons(pressed.chat.id, pressed.message_id))
    if choice.action == "part":
        turn.reply(
            render.pick_quadrant(turn.t, community.title), parts_keyboard(turn.t, community.id)
        )
    else:
        await flows.finish(turn.session, turn.need_user())
        turn.reply(render.flow_done(turn.t))


# --- the board ------------------------------------------------------------------------------


def _board_args(args: list[str]) -> tuple[int | None, bool]:
    """`/swot`, `/swot 1`, `/swot all`, `/swot 1 all`: the round's number and whether every
    input is wanted."""
    words = [word.lower() for word in args]
    rest = [word for word in words if word not in ALL_WORDS]
    every = len(rest) < len(words)
    number = whole_number(rest[0]) if rest else None
    if len(rest) > 1 or len(words) - len(rest) > 1 or (rest and number is None):
        raise InvalidInput(BOARD_USAGE)
    return number, every


@on_update()
async def board_command(turn: Turn) -> None:
    """/swot: the current round (or `/swot 1`: an earlier one) as text and as a picture;
    `/swot all`: every input, paged."""
    community = turn.need_community()
    number, every = _board_args(turn.args)
    board = await swot_agreement.board(turn.session, community.id, number)
    if every:
        _send_page(turn, board, community, 0, edit=False)
        return
    t = turn.t
    text, truncated = render.board_text(t, board, community.title)
    links = None if board.archived else _links(turn, community)
    more = SwotPage(board.round_number, 0, 1) if truncated else None
    turn.reply(text, board_keyboard(t, links, more))
    if board.total == 0:
        return
    village = community.title
    png = await asyncio.to_thread(board_png, t, board, village)
    caption = render.picture_caption(t, board, village)
    turn.send(messages.upload(turn.chat.id, "photo", "swot.png", png, caption=caption))


def _send_page(
    turn: Turn, board: swot_agreement.Board, community: Community, page: int, *, edit: bool
) -> None:
    pages = render.all_pages(turn.t, board, community.title)
    page = min(max(page, 0), len(pages) - 1)
    markup = pages_keyboard(board.round_number, page, len(pages))
    if edit:
        turn.edit(pages[page], markup)
    else:
        turn.reply(pages[page], markup)


@on_update(community="optional", callback=SwotPage)
async def page_pressed(turn: Turn) -> None:
    """The board's "every input" button, and the pages' ◀ ▶: of the presser's village."""
    choice: SwotPage = turn.data
    community = turn.need_community()
    board = await swot_agreement.board(turn.session, community.id, choice.number)
    _send_page(turn, board, community, choice.page, edit=not choice.fresh)


# --- rating ---------------------------------------------------------------------------------


async def _rating_card(
    turn: Turn, community: Community
) -> tuple[Html, InlineKeyboardMarkup | None]:
    """The next input this member has not rated, with the buttons; or "all done"."""
    user = turn.need_user()
    upcoming = await swot_agreement.next_to_rate(turn.session, community.id, user)
    if upcoming.item is None:
        summary = await swot.round_summary(turn.session, community.id)
        return render.nothing_to_rate(turn.t, summary.inputs > 0), None
    card = render.vote_card(turn.t, upcoming.item, upcoming.remaining, community.title)
    return card, rate_keyboard(turn.t, upcoming.item.id)


async def _rerating_card(
    turn: Turn, community: Community, item: SwotItem
) -> tuple[Html, InlineKeyboardMarkup | None]:
    """An input the member names by its code, with their rating of it: to change it."""
    rating = await swot_agreement.rating_of(turn.session, item.id, turn.need_user())
    card = render.vote_card(turn.t, item, 1, community.title, rating)
    return card, rate_keyboard(turn.t, item.id)


@on_update()
async def vote_command(turn: Turn) -> None:
    """/swotvote: one input at a time, in private chat (the group would be flooded);
    `/swotvote S4`: that input, to rate it or change one's rating."""
    community = turn.need_community()
    if not turn.in_private:
        turn.reply(
            render.rate_in_private(turn.t), rate_link_keyboard(turn.t, _links(turn, community)[1])
        )
        return
    if len(turn.args) > 1:
        raise InvalidInput(N_("Write /swotvote, or /swotvote S4 to rate input S4 again."))
    if turn.args:
        item = await swot.shown(turn.session, community.id, swot.parse_code(turn.args[0]))
        turn.reply(*await _rerating_card(turn, community, item))
        return
    turn.reply(*await _rating_card(turn, community))


@deep_link("swotvote")
async def vote_link(turn: Turn, rest: str) -> None:
    community = await act_for(turn, rest)
    turn.reply(*await _rating_card(turn, community))


@on_update(chat="private", community="optional", callback=SwotRate)
async def rate_pressed(turn: Turn) -> None:
    """A rating, new or changed (the new one replaces the old); then the next input."""
    choice: SwotRate = turn.data
    picked = CHOICES.get(choice.choice)
    if picked is None:
        raise NotFound(STALE_BUTTON)
    user = turn.need_user()
    item = await swot_agreement.item_for(turn.session, choice.item_id, user)
    rated = await swot_agreement.vote(turn.session, user, item.id, picked)
    if rated is None:
        turn.answer(turn.t.plain(N_("This input is no longer rated.")))
    elif rated.previous is not None and rated.previous != picked:
        turn.answer(render.rating_changed(turn.t, rated.item.code, picked))
    community = await communities.by_id(turn.session, item.community_id)
    if community is None:
        raise NotFound(STALE_BUTTON)
    turn.edit(*await _rating_card(turn, community))


# --- the working group's tidying ------------------------------------------------------------


@on_update(leaders_only=True)
async def merge_command(turn: Turn) -> None:
    """`/swotmerge S4 S2` asks first, showing both texts: a merge is not undone."""
    if len(turn.args) != 2:
        raise InvalidInput(N_("Write two codes: /swotmerge S4 S2 puts S4 into S2 (S2 remains)."))
    source, target = (swot.parse_code(arg) for arg in turn.args)
    gone, kept = await swot.merge_pair(turn.session, turn.need_community().id, source, target)
    turn.reply(
        render.merge_question(turn.t, gone, kept),
        merge_keyboard(turn.t, gone.id, kept.id, turn.need_user().id),
    )


@on_update(leaders_only=True, callback=SwotMerge)
async def merge_pressed(turn: Turn) -> None:
    choice: SwotMerge = turn.data
    hiding.only_the_asker(turn, choice.user_id)
    if not choice.go:
        turn.edit(render.not_merged(turn.t))
        return
    gone, kept = await swot.merge(
        turn.session, turn.need_community(), turn.need_user(), choice.source_id, choice.target_id
    )
    turn.edit(render.merged(turn.t, gone.code, kept.code))


@on_update(leaders_only=True)
async def move_command(turn: Turn) -> None:
    if len(turn.args) != 2:
        raise InvalidInput(N_("Write a code and a part: /swotmove S4 O (S, W, O or T)."))
    code, quadrant = swot.parse_code(turn.args[0]), swot.parse_quadrant(turn.args[1])
    old, new = await swot.move(
        turn.session, turn.need_community(), turn.need_user(), code, quadrant
    )
    turn.reply(render.moved(turn.t, old.code, new.code, quadrant))


@on_update(leaders_only=True)
async def hide_command(turn: Turn) -> None:
    """`/swothide S4` asks first; `/swotunhide S4` undoes it."""
    if len(turn.args) != 1:
        raise InvalidInput(N_("Write the code of the input: /swothide S4"))
    item = await swot.shown(turn.session, turn.need_community().id, swot.parse_code(turn.args[0]))
    item_id, user_id = item.id, turn.need_user().id
    hiding.ask(turn, render.hideable(item), lambda action: SwotHide(item_id, user_id, action))


@on_update(leaders_only=True, callback=SwotHide)
async def hide_pressed(turn: Turn) -> None:
    choice: SwotHide = turn.data
    community, actor = turn.need_community(), turn.need_user()

    async def act(hide: bool) -> Hideable:
        if hide:
            item = await swot.hide(turn.session, community, actor, choice.item_id)
        else:
            item = await swot.unhide(turn.session, community, actor, choice.item_id)
        return render.hideable(item)

    await hiding.answer(
        turn, choice, lambda action: SwotHide(choice.item_id, choice.user_id, action), act
    )


@on_update(leaders_only=True)
async def unhide_command(turn: Turn) -> None:
    if len(turn.args) != 1:
        raise InvalidInput(N_("Write the code of the hidden input: /swotunhide S4"))
    community = turn.need_community()
    item = await swot.hidden_item(turn.session, community.id, swot.parse_code(turn.args[0]))
    await swot.unhide(turn.session, community, turn.need_user(), item.id)
    hiding.shown_again(turn, render.hideable(item))


@on_update(leaders_only=True)
async def round_command(turn: Turn) -> None:
    """/swotround: asks first, since archiving is not undone."""
    community = turn.need_community()
    summary = await swot.round_summary(turn.session, community.id)
    if summary.inputs == 0:
        raise InvalidInput(N_("This round has no inputs yet: there is nothing to archive."))
    turn.reply(
        render.round_question(turn.t, summary),
        round_keyboard(turn.t, community.id, summary.number),
    )


@on_update(leaders_only=True, callback=SwotRoundStart)
async def round_pressed(turn: Turn) -> None:
    choice: SwotRoundStart = turn.data
    community = turn.need_community()
    if choice.community_id != community.id:
        raise NotFound(STALE_BUTTON)
    if choice.action != "go":
        turn.edit(render.round_kept(turn.t))
        return
    fresh = await swot.start_round(turn.session, community, turn.need_user(), choice.number)
    turn.edit(render.round_started(turn.t, fresh.number))
