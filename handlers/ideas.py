"""Ideas in the chat: /idea, the card and its buttons, comments by reply, /ideas, /status,
/ideaset."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from telegram import InlineKeyboardMarkup, Message
from telegram.constants import ReactionEmoji
from telegram.ext.filters import MessageFilter

from bot.board import links
from bot.i18n import LANGUAGES, N_, Html, Translator
from bot.keyboards import ideas as idea_keys
from bot.keyboards import victories as victory_keys
from bot.models import (
    Community,
    Idea,
    IdeaArea,
    IdeaComment,
    IdeaStatus,
    IdeaStatusChange,
    User,
)
from bot.render import ideas as render
from bot.render.hiding import Hideable
from bot.runtime import Runtime
from bot.services import communities, ideas, members, placed
from bot.services.errors import InvalidInput, NotFound
from bot.services.ideas import StatusChanged
from bot.services.people import People
from bot.wire import messages
from bot.wire.messages import CardContent
from handlers import hiding
from handlers.context import STALE_BUTTON, Acts, Turn, card_place, on_update, profile_of
from handlers.notify import privately, translator_for

log = logging.getLogger(__name__)

# How much of its talk /idea shows (a message has room for little; the board shows more).
DETAIL_COMMENTS = 5
DETAIL_CHANGES = 10

IDEA_USAGE = N_(
    "Write your idea after the command, for example:\n"
    "/idea A playground next to the school\n"
    "To see an idea: /idea 5"
)


# --- names and the card ---------------------------------------------------------------------


async def card_content(runtime: Runtime, idea_id: int) -> CardContent:
    """The card as it should look now, read fresh from the database."""
    async with runtime.db.plain() as connection:
        found = await ideas.card_view(connection, idea_id)
    if found is None:
        return None
    idea, language, author_name = found
    return _card(runtime, runtime.translator(language), idea, author_name)


def _card(
    runtime: Runtime, t: Translator, idea: Idea, author_name: str | None
) -> tuple[Html, InlineKeyboardMarkup | None]:
    """The card in the village's language."""
    keys = idea_keys.card_keyboard(t, idea, board=board_link(runtime, idea))
    return render.card(t, idea, author_name), keys


def board_link(runtime: Runtime, idea: Idea) -> str | None:
    """The idea on the village board, for a URL button (cards are in groups, where Telegram
    allows no other kind); None while the board is off."""
    return runtime.board_link(links.start_param(idea.community_id, idea=idea.number))


async def _author_of(turn: Acts, idea: Idea) -> User | None:
    """The idea's author: often the one acting, already loaded."""
    if turn.user is not None and turn.user.id == idea.author_id:
        return turn.user
    return await members.by_id(turn.session, idea.author_id) if idea.author_id is not None else None


async def _view(runtime: Runtime, argument: str) -> CardContent:
    return await card_content(runtime, int(argument))


VIEWS = {placed.IDEA_CARD: _view}


def refresh_card(turn: Acts, idea: Idea, pressed: Message | None = None) -> None:
    """The idea's card shows the latest supports, status and names (`pressed`: see
    handlers.context.card_place)."""
    place = card_place(idea.card_chat_id, idea.card_message_id, pressed)
    if place is not None:
        turn.send(messages.refresh(*place, placed.idea_card(idea.id)))


def _publish(turn: Turn, idea: Idea, community: Community, reply_to: int | None) -> None:
    """Post the idea's card in the group; the outbox records where it went."""
    card = placed.idea_card(idea.id)
    turn.send(messages.show(community.chat_id, card, reply_to=reply_to, after_send=card))


# --- /idea ----------------------------------------------------------------------------------


@on_update()
async def idea_command(turn: Turn) -> None:
    """`/idea <text>` submits; `/idea <number>` shows; `/idea` alone explains."""
    community, user = turn.need_community(), turn.need_user()
    words = turn.arg_text
    if not words:
        turn.reply(turn.t._(IDEA_USAGE))
        return
    number = ideas.parse_number(words) if len(words.split()) == 1 else None
    if number is not None:
        await _show(turn, community, number)
        return
    cleaned = await ideas.check_submission(
        turn.session, community, user, words, is_leader=turn.is_leader
    )
    similar = await ideas.similar(turn.session, community, cleaned)
    if not turn.in_private and not similar:
        idea = await ideas.submit(turn.session, community, user, cleaned)
        reply_to = turn.message.message_id if turn.message else None
        _publish(turn, idea, community, reply_to=reply_to)
        return
    draft = await ideas.save_draft(turn.session, community, user, cleaned)
    turn.reply(
        render.draft_prompt(turn.t, cleaned, similar, community.title, private=turn.in_private),
        idea_keys.draft_keyboard(turn.t, draft.id, similar, private=turn.in_private),
    )


async def _show(turn: Turn, community: Community, number: int) -> None:
    found = await load_detail(turn, number)
    idea = found.idea
    text = render.detail(
        turn.t,
        idea,
        author_name=found.author_name,
        owner_name=found.owner_name,
        comments=found.comments,
        changes=found.changes,
        zone=communities.zone_of(community),
    )
    is_author = turn.user is not None and idea.author_id == turn.user.id
    keys = idea_keys.detail_keyboard(
        turn.t, idea, is_author=is_author, board=board_link(turn.runtime, idea)
    )
    turn.reply(text, keys)


@dataclass(frozen=True)
class Detail:
    """An idea with its latest comments (each with its author's name) and status history."""

    idea: Idea
    author_name: str | None
    owner_name: str | None
    comments: list[tuple[IdeaComment, str | None]]
    changes: list[IdeaStatusChange]


async def load_detail(
    turn: Acts, number: int, *, comments: int = DETAIL_COMMENTS, changes: int = DETAIL_CHANGES
) -> Detail:
    """Idea `number` of the village as /idea and the board show it; leaders see hidden ones."""
    leader = await turn.is_leader()
    idea = await ideas.by_number(turn.session, turn.need_community(), number, include_hidden=leader)
    latest = await ideas.latest_comments(turn.session, idea, comments)
    history = await ideas.history(turn.session, idea, changes)
    names = await People.load(
        turn.session, [idea.author_id, idea.owner_id, *(c.author_id for c in latest)]
    )
    return Detail(
        idea,
        author_name=names.known(idea.author_id),
        owner_name=names.known(idea.owner_id),
        comments=[(c, names.known(c.author_id)) for c in latest],
        changes=history,
    )


@on_update(community="optional", callback=idea_keys.DraftChoice)
async def draft_chosen(turn: Turn) -> None:
    choice: idea_keys.DraftChoice = turn.data
    user = turn.need_user()
    draft = await ideas.take_draft(turn.session, choice.draft_id, user)
    community = await _community_for(turn, draft.community_id)
    if choice.action == "support":
        idea = await _idea_in(turn, community, choice.idea_id)
        await ideas.ensure_support(turn.session, idea, user)
        turn.edit(turn.t._("👍 Thank you! You support idea #{number} now.", number=idea.number))
        refresh_card(turn, idea)
        return
    if choice.action not in ("named", "anon", "submit"):
        raise NotFound(STALE_BUTTON)
    cleaned = await ideas.check_submission(
        turn.session, community, user, draft.text, is_leader=turn.is_leader
    )
    idea = await ideas.submit(
        turn.session, community, user, cleaned, anonymous=choice.action == "anon"
    )
    _publish(turn, idea, community, reply_to=None)
    if turn.in_private:
        turn.edit(
            render.posted(turn.t, idea, community.title), idea_keys.posted_keyboard(turn.t, idea)
        )
    else:
        turn.edit(turn.t._("➕ Submitted as idea #{number}.", number=idea.number))


async def _community_for(turn: Turn, community_id: int) -> Community:
    """The community of a pressed item: this group's, or in private one the user belongs to."""
    if not turn.in_private:
        if turn.community is None or turn.community.id != community_id:
            raise NotFound(STALE_BUTTON)
        return turn.community
    mine = await members.communities_of(turn.session, turn.need_user())
    community = next((c for c in mine if c.id == community_id), None)
    if community is None:
        raise NotFound(STALE_BUTTON)
    turn.community = community
    return community


async def _idea_in(turn: Turn, community: Community, idea_id: int) -> Idea:
    idea = await ideas.by_id(turn.session, idea_id)
    if idea is None or idea.community_id != community.id or idea.hidden:
        raise NotFound(STALE_BUTTON)
    return idea


async def _idea_from_button(
    turn: Turn, idea_id: int, *, read_only: bool = False, hidden_too: bool = False
) -> Idea:
    """The pressed idea, if it belongs to this group (or, in private, to one of the user's);
    `read_only`: one that the handler will not change (see ideas.pressed); `hidden_too`: a
    hidden one as well (its undo shows it again)."""
    if read_only:
        idea = await ideas.pressed(turn.session, idea_id)
    else:
        idea = await ideas.by_id(turn.session, idea_id)
    if idea is None:
        raise NotFound(STALE_BUTTON)
    await _community_for(turn, idea.community_id)
    if idea.hidden and not hidden_too:
        raise NotFound(STALE_BUTTON)
    return idea


# --- buttons on the card --------------------------------------------------------------------


@on_update(community="optional", callback=idea_keys.SupportPress)
async def support_pressed(turn: Turn) -> None:
    idea = await _idea_from_button(turn, turn.data.idea_id, read_only=True)
    turn.answer(await toggle_support(turn, idea, turn.pressed))


async def toggle_support(turn: Acts, idea: Idea, pressed: Message | None = None) -> str:
    """Support the idea or take the support back (from the card or the board); the card
    counts it. What the member is told, plain."""
    supported = await ideas.toggle_support(turn.session, idea, turn.need_user())
    refresh_card(turn, idea, pressed)
    if supported:
        return turn.t.plain(N_("👍 You support idea #{number}."), number=idea.number)
    return turn.t.plain(N_("You no longer support idea #{number}."), number=idea.number)


@on_update(community="optional", callback=idea_keys.AreaPick)
async def area_picked(turn: Turn) -> None:
    choice: idea_keys.AreaPick = turn.data
    idea = await _idea_from_button(turn, choice.idea_id)
    try:
        area = IdeaArea(choice.area)
    except ValueError as exc:
        raise NotFound(STALE_BUTTON) from exc
    user = turn.need_user()
    leader = idea.author_id != user.id and await turn.is_leader()
    ideas.choose_area(idea, user, area, leader=leader)
    turn.answer(turn.t.plain(N_("🏷 Area: {area}"), area=render.area_label(turn.t, area)))
    pressed = turn.pressed
    refresh_card(turn, idea, pressed)
    if pressed is None:
        return
    if leader and (pressed.chat.id, pressed.message_id) != (
        idea.card_chat_id,
        idea.card_message_id,
    ):
        # The ⚙ menu of an /idea view closes on the idea as it is now.
        names = await People.load(turn.session, [idea.author_id])
        turn.edit(*_card(turn.runtime, turn.t, idea, names.known(idea.author_id)))
    elif turn.in_private and turn.community is not None:
        turn.edit(
            render.posted(turn.t, idea, turn.community.title),
            idea_keys.posted_keyboard(turn.t, idea),
        )


@on_update(community="optional", callback=idea_keys.WithdrawPress)
async def withdraw_pressed(turn: Turn) -> None:
    idea = await _idea_from_button(turn, turn.data.idea_id)
    await ideas.withdraw(turn.session, idea, turn.need_user())
    turn.answer(turn.t.plain(N_("Idea #{number} is withdrawn."), number=idea.number))
    turn.edit(turn.t._("↩ You withdrew idea #{number}.", number=idea.number))
    refresh_card(turn, idea)


@on_update(community="optional", callback=idea_keys.ManagePress)
async def manage_pressed(turn: Turn) -> None:
    """The ⚙ button: leaders change the status or hide the idea right on the card."""
    choice: idea_keys.ManagePress = turn.data
    idea = await _idea_from_button(turn, choice.idea_id)
    await turn.require_leader()
    names = await People.load(turn.session, [idea.author_id])
    author = names.known(idea.author_id)
    if choice.action in ("open", "close"):
        turn.edit(
            render.card(turn.t, idea, author),
            idea_keys.card_keyboard(
                turn.t,
                idea,
                manage=choice.action == "open",
                board=board_link(turn.runtime, idea),
            ),
        )
        return
    if choice.action == "hide":
        idea_id, user_id = idea.id, turn.need_user().id
        hiding.ask(turn, hideable(turn.t, idea), lambda a: idea_keys.IdeaHide(idea_id, user_id, a))
        refresh_card(turn, idea)  # the card closes its management buttons
        return
    try:
        status = IdeaStatus(choice.action)
    except ValueError as exc:
        raise NotFound(STALE_BUTTON) from exc
    if status == IdeaStatus.REJECTED:
        raise InvalidInput(ideas.REJECTION_NEEDS_REASON, number=idea.number)
    change = await ideas.set_status(turn.session, idea, turn.need_user(), status)
    turn.answer(
        turn.t.plain(
            N_("Idea #{number} is now: {status}."),
            number=idea.number,
            status=render.status_label(turn.t, status),
        )
    )
    await after_status_change(turn, change)


# --- hiding ---------------------------------------------------------------------------------


def hideable(t: Translator, idea: Idea) -> Hideable:
    name = t.plain(N_("Idea #{number}"), number=idea.number)
    return Hideable(name, idea.text, f"/ideaunhide {idea.number}")


@on_update(community="optional", callback=idea_keys.IdeaHide)
async def hide_pressed(turn: Turn) -> None:
    """The answer to the ⚙ Hide question, and its undo (see handlers.hiding)."""
    choice: idea_keys.IdeaHide = turn.data
    idea = await _idea_from_button(turn, choice.idea_id, hidden_too=True)
    await turn.require_leader()

    async def act(hide: bool) -> Hideable:
        await set_hidden(turn, idea, hide)
        return hideable(turn.t, idea)

    await hiding.answer(
        turn, choice, lambda a: idea_keys.IdeaHide(choice.idea_id, choice.user_id, a), act
    )


@on_update(leaders_only=True)
async def unhide_command(turn: Turn) -> None:
    """`/ideaunhide 5`: a hidden idea and its card are shown again."""
    number = ideas.parse_number(turn.args[0]) if len(turn.args) == 1 else None
    if number is None:
        raise InvalidInput(N_("Write the number of the hidden idea: /ideaunhide 5"))
    idea = await ideas.by_number(turn.session, turn.need_community(), number, include_hidden=True)
    await set_hidden(turn, idea, False)
    hiding.shown_again(turn, hideable(turn.t, idea))


async def set_hidden(turn: Acts, idea: Idea, hide: bool) -> None:
    """Hide the idea or show it again (a leader, from the chat or the board); its card says so."""
    if hide and not await ideas.hide(turn.session, idea, turn.need_user()):
        raise InvalidInput(N_("Idea #{number} is hidden already."), number=idea.number)
    if not hide:
        await ideas.unhide(turn.session, idea, turn.need_user())
    refresh_card(turn, idea)


# --- /status and /ideaset -------------------------------------------------------------------


def _status_aliases(turn: Turn) -> dict[str, IdeaStatus]:
    """Leaders may type the translated status words too (pieņemta, принята, accepted…)."""
    aliases: dict[str, IdeaStatus] = {}
    for language in LANGUAGES:
        t = turn.runtime.translator(language)
        for status in ideas.LEADER_STATUSES:
            aliases[render.status_label(t, status).lower()] = status
    return aliases


STATUS_USAGE = N_(
    "Write the idea's number and the new status, for example: /status 5 accepted\n"
    "Statuses: new, discussion, accepted, progress, done, rejected (with a reason)."
)


@on_update(leaders_only=True)
async def status_command(turn: Turn) -> None:
    args = turn.args
    number = ideas.parse_number(args[0]) if args else None
    if number is None or len(args) < 2:
        raise InvalidInput(STATUS_USAGE)
    community = turn.need_community()
    idea = await ideas.by_number(turn.session, community, number)
    aliases = _status_aliases(turn)
    # Translated words may be two words long ("in progress", "tiek īstenota").
    two_words = " ".join(args[1:3]).lower()
    if len(args) >= 3 and two_words in aliases:
        status, reason_words = aliases[two_words], args[3:]
    else:
        shown = [render.status_label(turn.t, s).lower() for s in ideas.LEADER_STATUSES]
        status, reason_words = ideas.parse_status(args[1], aliases, shown), args[2:]
    change = await ideas.set_status(
        turn.session, idea, turn.need_user(), status, " ".join(reason_words) or None
    )
    announced = await after_status_change(turn, change)
    if not announced or turn.in_private:
        turn.reply(status_confirmation(turn.t, change.idea))


async def after_status_change(turn: Acts, change: StatusChanged) -> bool:
    """The card shows it, the author hears of it, and the group of acceptance and completion.
    Whether the group was told (the chat's confirmation is then that announcement)."""
    idea, community = change.idea, turn.need_community()
    refresh_card(turn, idea)
    names = await People.load(turn.session, [idea.author_id])
    group_t = turn.runtime.translator(community.language)
    supporters = await ideas.other_supporters(turn.session, idea)
    announcement = render.announcement(group_t, idea, names.known(idea.author_id), supporters)
    if announcement is not None:
        celebrate = (
            victory_keys.celebrate_keyboard(group_t, idea.id)
            if idea.status == IdeaStatus.DONE
            else None
        )
        _post_in_group(turn, community, announcement, idea.card_message_id, celebrate)
    author = await _author_of(turn, idea)
    if author is not None and author.id != turn.need_user().id:
        author_t = translator_for(turn.runtime, author, community)
        notice = render.status_notice(author_t, idea, community.title, change.reason)
        turn.send(*privately(author, notice))
    return announcement is not None


def status_confirmation(t: Translator, idea: Idea) -> Html:
    """The answer to the leader who changed the status (when the group was not told)."""
    return t._(
        "Idea #{number} is now: <b>{status}</b>.",
        number=idea.number,
        status=render.status_label(t, idea.status),
    )


def _post_in_group(
    turn: Acts,
    community: Community,
    text: Html,
    reply_to: int | None,
    markup: InlineKeyboardMarkup | None = None,
) -> None:
    turn.send(messages.post(community.chat_id, text, markup, reply_to=reply_to))


IDEASET_USAGE = N_(
    "Write the idea's number, what to set and the value, for example:\n"
    "/ideaset 5 owner @anna (or reply to the member's message: /ideaset 5 owner)\n"
    "/ideaset 5 cost 1200\n"
    "/ideaset 5 funding LEADER programme\n"
    "/ideaset 5 progress 40\n"
    "/ideaset 5 area infrastructure"
)


# What /ideaset sets, by the word a leader types: English, or the Latvian and Russian word the
# help text shows in those languages.
IDEASET_FIELDS: dict[str, str] = {
    "owner": "owner",
    "atbildīgais": "owner",
    "ответственный": "owner",
    "cost": "cost",
    "izmaksas": "cost",
    "стоимость": "cost",
    "funding": "funding",
    "finansējums": "funding",
    "финансирование": "funding",
    "progress": "progress",
    "izpilde": "progress",
    "выполнение": "progress",
    "area": "area",
    "joma": "area",
    "сфера": "area",
}


@on_update(leaders_only=True)
async def ideaset_command(turn: Turn) -> None:
    args = turn.args
    number = ideas.parse_number(args[0]) if args else None
    if number is None or len(args) < 2:
        raise InvalidInput(IDEASET_USAGE)
    community = turn.need_community()
    idea = await ideas.by_number(turn.session, community, number)
    field, values = IDEASET_FIELDS.get(args[1].lower(), ""), args[2:]
    if field == "owner":
        owner = await _owner_from(turn, community, values)
        saved = await save_tracking(turn, idea, owner=owner, clear_owner=owner is None)
    elif field == "cost" and values:
        saved = await save_tracking(turn, idea, cost_cents=ideas.parse_cost("".join(values)))
    elif field == "funding" and values:
        saved = await save_tracking(turn, idea, funding_source=" ".join(values))
    elif field == "area" and values:
        saved = await save_tracking(turn, idea, area=area_from(turn, values))
    elif field == "progress" and len(values) == 1:
        saved = await save_tracking(turn, idea, progress=ideas.parse_progress(values[0]))
    else:
        raise InvalidInput(IDEASET_USAGE)
    turn.reply(saved)


async def save_tracking(
    turn: Acts,
    idea: Idea,
    *,
    owner: User | None = None,
    clear_owner: bool = False,
    cost_cents: int | None = None,
    funding_source: str | None = None,
    progress: int | None = None,
    area: IdeaArea | None = None,
) -> Html:
    """A leader sets an idea's owner, cost, funding, progress or area (ideas.set_tracking);
    the card shows a new area. The confirmation lists what the idea tracks now."""
    await ideas.set_tracking(
        turn.session,
        idea,
        turn.need_user(),
        owner=owner,
        clear_owner=clear_owner,
        cost_cents=cost_cents,
        funding_source=funding_source,
        progress=progress,
        area=area,
    )
    people = await People.load(turn.session, [idea.owner_id])
    lines = render.tracking_lines(turn.t, idea, people.known(idea.owner_id))
    if area is not None:
        lines.insert(0, turn.t._("🏷 Area: {area}", area=render.area_label(turn.t, idea.area)))
        refresh_card(turn, idea)
    return Html("\n".join([turn.t._("Saved for idea #{number}.", number=idea.number), *lines]))


AREA_WORDS_USAGE = N_(
    "Write the area: economy, infrastructure, governance, community, environment or other "
    "(the area's name in your language works too)."
)


def area_from(turn: Acts, values: list[str]) -> IdeaArea:
    """The area's word, the same in every language, or its name (or first word) in any."""
    words: dict[str, IdeaArea] = {area.value: area for area in IdeaArea}
    for language in LANGUAGES:
        t = turn.runtime.translator(language)
        for area in IdeaArea:
            label = render.area_label(t, area).lower()
            words.setdefault(label, area)
            words.setdefault(label.split()[0], area)
    found = words.get(" ".join(values).lower())
    if found is None:
        raise InvalidInput(AREA_WORDS_USAGE)
    return found


async def _owner_from(turn: Turn, community: Community, values: list[str]) -> User | None:
    """The member replied to, or named by @username; `-` clears the owner."""
    if values == ["-"]:
        return None
    reply = turn.message.reply_to_message if turn.message else None
    if not values and reply is not None and reply.from_user and not reply.from_user.is_bot:
        user = await members.ensure_user(turn.session, profile_of(reply.from_user))
        await members.ensure_membership(turn.session, community, user)
        return user
    if len(values) == 1 and values[0].startswith("@"):
        found = await members.by_username(turn.session, community, values[0][1:])
        if found is not None:
            return found
        raise NotFound(
            N_("I don't know a member {username} in this village group."), username=values[0]
        )
    raise InvalidInput(IDEASET_USAGE)


# --- comments by reply ----------------------------------------------------------------------


def replied_idea(message: Message) -> int | None:
    """The idea of the bot's card or `/idea N` view that `message` replies to: the message
    carries it in its buttons, so the group card and the views (group or private) are one case."""
    reply = message.reply_to_message
    if reply is None or reply.from_user is None or reply.from_user.id != message.get_bot().id:
        return None
    return idea_keys.idea_of(reply.reply_markup)


async def add_comment(turn: Acts, idea: Idea, text: str) -> None:
    """A member's comment (a reply in the chat, or from the board); the card counts it."""
    await ideas.add_comment(turn.session, idea, turn.need_user(), text)
    refresh_card(turn, idea)


class _RepliesToIdea(MessageFilter):
    def filter(self, message: Message) -> bool:
        return replied_idea(message) is not None


REPLIES_TO_IDEA = _RepliesToIdea(name="replies_to_idea")


@on_update(community="optional")
async def comment_by_reply(turn: Turn) -> None:
    """Text replying to an idea's card or view becomes a comment; the bot marks it with ✍."""
    message = turn.message
    idea_id = replied_idea(message) if message is not None else None
    if message is None or idea_id is None or not message.text:
        return
    idea = await _idea_from_button(turn, idea_id)
    await add_comment(turn, idea, message.text)
    turn.send(messages.react(message.chat.id, message.message_id, ReactionEmoji.WRITING_HAND))


# --- /ideas ---------------------------------------------------------------------------------


@on_update()
async def ideas_command(turn: Turn) -> None:
    await _send_page(turn, 0, None, edit=False)


@on_update(community="optional", callback=idea_keys.IdeasPage)
async def ideas_page(turn: Turn) -> None:
    choice: idea_keys.IdeasPage = turn.data
    if turn.community is None:
        raise NotFound(STALE_BUTTON)
    areas = {a.value: a for a in IdeaArea}
    if choice.area != "all" and choice.area not in areas:
        raise NotFound(STALE_BUTTON)
    await _send_page(turn, choice.page, areas.get(choice.area), edit=True)


async def _send_page(turn: Turn, page: int, area: IdeaArea | None, *, edit: bool) -> None:
    result = await ideas.open_ideas(turn.session, turn.need_community(), area=area, page=page)
    text = render.idea_list(turn.t, result, area)
    markup = idea_keys.list_keyboard(turn.t, result, area)
    if edit:
        turn.edit(text, markup)
    else:
        turn.reply(text, markup)
