"""Ideas in the chat: /idea, the card and its buttons, comments by reply, /ideas, /status,
/ideaset."""

from __future__ import annotations

import logging

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from telegram import InlineKeyboardMarkup
from telegram.constants import ReactionEmoji
from telegram.error import TelegramError

from bot import lean_calls
from bot.cards import CardContent
from bot.i18n import LANGUAGES, N_, Html, Translator
from bot.keyboards import ideas as idea_keys
from bot.keyboards import victories as victory_keys
from bot.models import Community, Idea, IdeaArea, IdeaStatus, User
from bot.render import ideas as render
from bot.runtime import Runtime
from bot.services import communities, ideas, members
from bot.services.errors import InvalidInput, NotFound
from bot.services.ideas import StatusChanged
from handlers.context import STALE_BUTTON, Turn, on_update, profile_of
from handlers.notify import tell_privately, translator_for

log = logging.getLogger(__name__)

IDEA_USAGE = N_(
    "Write your idea after the command, for example:\n"
    "/idea A playground next to the school\n"
    "To see an idea: /idea 5"
)


# --- names and the card ---------------------------------------------------------------------


async def _names(session: AsyncSession, *user_ids: int | None) -> dict[int, str]:
    """Display names by user id (people who asked to be forgotten have none)."""
    wanted = {uid for uid in user_ids if uid is not None}
    if not wanted:
        return {}
    rows = await session.scalars(select(User).where(User.id.in_(wanted)))
    return {user.id: user.display_name for user in rows if user.display_name}


async def card_content(runtime: Runtime, idea_id: int) -> CardContent:
    """The card as it should look now, read fresh from the database."""
    async with runtime.db.plain() as connection:
        found = await ideas.card_view(connection, idea_id)
    if found is None:
        return None
    idea, language, author_name = found
    return _card(runtime.translator(language), idea, author_name)


def _card(
    t: Translator, idea: Idea, author_name: str | None
) -> tuple[Html, InlineKeyboardMarkup | None]:
    """The card in the village's language."""
    return render.card(t, idea, author_name), idea_keys.card_keyboard(t, idea)


async def _author_of(turn: Turn, idea: Idea) -> User | None:
    """The idea's author: often the one acting, already loaded."""
    if turn.user is not None and turn.user.id == idea.author_id:
        return turn.user
    return await turn.session.get(User, idea.author_id) if idea.author_id is not None else None


def _refresh_card(turn: Turn, idea: Idea) -> None:
    if idea.card_chat_id is None or idea.card_message_id is None:
        return
    runtime, idea_id = turn.runtime, idea.id

    async def render_now() -> CardContent:
        return await card_content(runtime, idea_id)

    turn.refresh_card(idea.card_chat_id, idea.card_message_id, render_now)


async def _publish(turn: Turn, idea: Idea, community: Community, reply_to: int | None) -> None:
    """After commit: post the idea's card in the group and remember where it is. The card is
    drawn now, from the idea just written (no one can support it before it is posted)."""
    runtime, bot, idea_id, chat_id = turn.runtime, turn.context.bot, idea.id, community.chat_id
    author = await _author_of(turn, idea)
    # People who asked to be forgotten have no name.
    name = (author.display_name or None) if author is not None else None
    text, markup = _card(runtime.translator(community.language), idea, name)

    async def post() -> None:
        message = await lean_calls.send_text(bot, chat_id, text, markup, reply_to=reply_to)
        async with runtime.db.plain() as connection:
            await ideas.set_card(connection, idea_id, message["chat"]["id"], message["message_id"])

    turn.after_commit(post)


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
    cleaned = await ideas.check_submission(turn.session, community, user, words)
    similar = await ideas.similar(turn.session, community, cleaned)
    if not turn.in_private and not similar:
        idea = await ideas.submit(turn.session, community, user, cleaned)
        reply_to = turn.message.message_id if turn.message else None
        await _publish(turn, idea, community, reply_to=reply_to)
        return
    draft = await ideas.save_draft(turn.session, community, user, cleaned)
    turn.reply(
        render.draft_prompt(turn.t, cleaned, similar, community.title, private=turn.in_private),
        idea_keys.draft_keyboard(turn.t, draft.id, similar, private=turn.in_private),
    )


async def _show(turn: Turn, community: Community, number: int) -> None:
    leader = await turn.is_leader()
    idea = await ideas.by_number(turn.session, community, number, include_hidden=leader)
    comments = await ideas.latest_comments(turn.session, idea)
    changes = await ideas.history(turn.session, idea)
    names = await _names(
        turn.session, idea.author_id, idea.owner_id, *(c.author_id for c in comments)
    )
    text = render.detail(
        turn.t,
        idea,
        author_name=names.get(idea.author_id or 0),
        owner_name=names.get(idea.owner_id or 0),
        comments=[(c, names.get(c.author_id or 0)) for c in comments],
        changes=changes,
        zone=communities.zone_of(community),
    )
    is_author = turn.user is not None and idea.author_id == turn.user.id
    turn.reply(text, idea_keys.detail_keyboard(turn.t, idea, is_author=is_author))


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
        _refresh_card(turn, idea)
        return
    if choice.action not in ("named", "anon", "submit"):
        raise NotFound(STALE_BUTTON)
    cleaned = await ideas.check_submission(turn.session, community, user, draft.text)
    idea = await ideas.submit(
        turn.session, community, user, cleaned, anonymous=choice.action == "anon"
    )
    await _publish(turn, idea, community, reply_to=None)
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
    idea = await turn.session.get(Idea, idea_id)
    if idea is None or idea.community_id != community.id or idea.hidden:
        raise NotFound(STALE_BUTTON)
    return idea


async def _idea_from_button(turn: Turn, idea_id: int, *, read_only: bool = False) -> Idea:
    """The pressed idea, if it belongs to this group (or, in private, to one of the user's);
    `read_only`: one that the handler will not change (see ideas.pressed)."""
    if read_only:
        idea = await ideas.pressed(turn.session, idea_id)
    else:
        idea = await turn.session.get(Idea, idea_id)
    if idea is None:
        raise NotFound(STALE_BUTTON)
    await _community_for(turn, idea.community_id)
    if idea.hidden:
        raise NotFound(STALE_BUTTON)
    return idea


# --- buttons on the card --------------------------------------------------------------------


@on_update(community="optional", callback=idea_keys.SupportPress)
async def support_pressed(turn: Turn) -> None:
    idea = await _idea_from_button(turn, turn.data.idea_id, read_only=True)
    supported = await ideas.toggle_support(turn.session, idea, turn.need_user())
    if supported:
        turn.answer(turn.t.plain(N_("👍 You support idea #{number}."), number=idea.number))
    else:
        turn.answer(turn.t.plain(N_("You no longer support idea #{number}."), number=idea.number))
    _refresh_card(turn, idea)


@on_update(community="optional", callback=idea_keys.AreaPick)
async def area_picked(turn: Turn) -> None:
    choice: idea_keys.AreaPick = turn.data
    idea = await _idea_from_button(turn, choice.idea_id)
    try:
        area = IdeaArea(choice.area)
    except ValueError as exc:
        raise NotFound(STALE_BUTTON) from exc
    ideas.choose_area(idea, turn.need_user(), area)
    turn.answer(turn.t.plain(N_("🏷 Area: {area}"), area=render.area_label(turn.t, area)))
    _refresh_card(turn, idea)
    if turn.in_private and turn.pressed is not None and turn.community is not None:
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
    _refresh_card(turn, idea)


@on_update(community="optional", callback=idea_keys.ManagePress)
async def manage_pressed(turn: Turn) -> None:
    """The ⚙ button: leaders change the status or hide the idea right on the card."""
    choice: idea_keys.ManagePress = turn.data
    idea = await _idea_from_button(turn, choice.idea_id)
    await turn.require_leader()
    names = await _names(turn.session, idea.author_id)
    author = names.get(idea.author_id or 0)
    if choice.action in ("open", "close"):
        turn.edit(
            render.card(turn.t, idea, author),
            idea_keys.card_keyboard(turn.t, idea, manage=choice.action == "open"),
        )
        return
    if choice.action == "hide":
        await ideas.hide(turn.session, idea, turn.need_user())
        turn.answer(turn.t.plain(N_("Idea #{number} is hidden."), number=idea.number))
        _refresh_card(turn, idea)
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
    await _after_status_change(turn, change, confirm=False)


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
        status, reason_words = ideas.parse_status(args[1], aliases), args[2:]
    change = await ideas.set_status(
        turn.session, idea, turn.need_user(), status, " ".join(reason_words) or None
    )
    await _after_status_change(turn, change, confirm=True)


async def _after_status_change(turn: Turn, change: StatusChanged, *, confirm: bool) -> None:
    """The card shows it, the author hears of it, and the group of acceptance and completion."""
    idea, community = change.idea, turn.need_community()
    _refresh_card(turn, idea)
    names = await _names(turn.session, idea.author_id)
    group_t = turn.runtime.translator(community.language)
    announcement = render.announcement(group_t, idea, names.get(idea.author_id or 0))
    announced_here = announcement is not None and not turn.in_private
    if announcement is not None:
        celebrate = (
            victory_keys.celebrate_keyboard(group_t, idea.id)
            if idea.status == IdeaStatus.DONE
            else None
        )
        _post_in_group(turn, community, announcement, idea.card_message_id, celebrate)
    if confirm and not announced_here:
        turn.reply(
            turn.t._(
                "Idea #{number} is now: <b>{status}</b>.",
                number=idea.number,
                status=render.status_label(turn.t, idea.status),
            )
        )
    author = await _author_of(turn, idea)
    if author is not None and author.id != turn.need_user().id:
        author_t = translator_for(turn.runtime, author, community)
        notice = render.status_notice(author_t, idea, community.title, change.reason)
        bot, db = turn.context.bot, turn.runtime.db

        async def tell() -> None:
            await tell_privately(bot, db, author, notice)

        turn.after_commit(tell)


def _post_in_group(
    turn: Turn,
    community: Community,
    text: Html,
    reply_to: int | None,
    markup: InlineKeyboardMarkup | None = None,
) -> None:
    bot, chat_id = turn.context.bot, community.chat_id

    async def post() -> None:
        await bot.send_message(
            chat_id,
            text,
            reply_markup=markup,
            reply_to_message_id=reply_to,
            allow_sending_without_reply=True,
        )

    turn.after_commit(post)


IDEASET_USAGE = N_(
    "Write the idea's number, what to set and the value, for example:\n"
    "/ideaset 5 owner @anna (or reply to the member's message: /ideaset 5 owner)\n"
    "/ideaset 5 cost 1200\n"
    "/ideaset 5 funding LEADER programme\n"
    "/ideaset 5 progress 40"
)


@on_update(leaders_only=True)
async def ideaset_command(turn: Turn) -> None:
    args = turn.args
    number = ideas.parse_number(args[0]) if args else None
    if number is None or len(args) < 2:
        raise InvalidInput(IDEASET_USAGE)
    community, actor = turn.need_community(), turn.need_user()
    idea = await ideas.by_number(turn.session, community, number)
    field, values = args[1].lower(), args[2:]
    if field == "owner":
        owner = await _owner_from(turn, community, values)
        await ideas.set_tracking(turn.session, idea, actor, owner=owner, clear_owner=owner is None)
    elif field == "cost" and values:
        await ideas.set_tracking(
            turn.session, idea, actor, cost_cents=ideas.parse_cost("".join(values))
        )
    elif field == "funding" and values:
        await ideas.set_tracking(turn.session, idea, actor, funding_source=" ".join(values))
    elif field == "progress" and len(values) == 1:
        await ideas.set_tracking(
            turn.session, idea, actor, progress=ideas.parse_progress(values[0])
        )
    else:
        raise InvalidInput(IDEASET_USAGE)
    owner_names = await _names(turn.session, idea.owner_id)
    lines = render.tracking_lines(turn.t, idea, owner_names.get(idea.owner_id or 0))
    turn.reply(Html("\n".join([turn.t._("Saved for idea #{number}.", number=idea.number), *lines])))


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


@on_update()
async def comment_by_reply(turn: Turn) -> None:
    """Text replying to an idea card becomes a comment; the bot marks it with ✍."""
    message = turn.message
    reply = message.reply_to_message if message else None
    if message is None or reply is None or not message.text:
        return
    idea = await ideas.by_card(turn.session, reply.chat.id, reply.message_id)
    if idea is None or idea.community_id != turn.need_community().id:
        return
    await ideas.add_comment(turn.session, idea, turn.need_user(), message.text)
    _refresh_card(turn, idea)
    bot, chat_id, message_id = turn.context.bot, message.chat.id, message.message_id

    async def mark() -> None:
        try:
            await bot.set_message_reaction(chat_id, message_id, ReactionEmoji.WRITING_HAND)
        except TelegramError as exc:
            log.info("could not mark comment %s: %s", message_id, exc)

    turn.after_commit(mark)


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
