"""Welcome, help, language, the community a user acts for, deep links, and unknown input."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from bot import keyboards
from bot.board import links
from bot.commands import available
from bot.i18n import LANGUAGE_NAMES, N_, Html
from bot.keyboards import CommunityPick, LanguagePick
from bot.models import Community
from bot.services import communities, members
from bot.services.errors import NotFound
from bot.services.text import whole_number
from handlers.context import NO_COMMUNITY, STALE_BUTTON, Turn, on_update

DeepLink = Callable[[Turn, str], Awaitable[None]]

# `/start <payload>` continues a flow begun elsewhere; features add their prefixes here.
DEEP_LINKS: dict[str, DeepLink] = {}

NOT_A_MEMBER = N_("You are not a member of that village group.")
BOARD_OFF = N_("The village board is not set up for this bot.")
BOARD_INTRO = N_(
    "📋 The village board of <b>{village}</b>: its ideas, SWOT, meetings, plan and small "
    "victories at a glance."
)
MEMBERSHIP_UNKNOWN = N_(
    "Telegram did not tell me just now whether you are in that village group. "
    "Please try again in a few minutes."
)


def deep_link(prefix: str) -> Callable[[DeepLink], DeepLink]:
    def register(handler: DeepLink) -> DeepLink:
        DEEP_LINKS[prefix] = handler
        return handler

    return register


async def render_help(turn: Turn) -> Html:
    t = turn.t
    leader = await turn.is_leader()
    board = turn.runtime.settings.web_url is not None
    commands = available(in_private=turn.in_private, leader=leader, board=board)
    lines: list[str] = []
    if turn.community is not None:
        lines.append(
            t._(
                "I help <b>{village}</b> plan its future together: ideas, SWOT analysis, "
                "polls, meetings and small victories.",
                village=turn.community.title,
            )
        )
    else:
        lines.append(
            t._(
                "I help a village plan its future together, right in its Telegram group: "
                "ideas, SWOT analysis, polls, meetings and small victories."
            )
        )
    lines.append("")
    lines.append(t._("<b>Commands</b>"))
    lines.extend(f"/{c.name} — {t._(c.description)}" for c in commands if not c.leaders_only)
    leader_commands = [c for c in commands if c.leaders_only]
    if leader_commands:
        lines.append("")
        lines.append(t._("<b>For the working group</b>"))
        lines.extend(f"/{c.name} — {t._(c.description)}" for c in leader_commands)
    if turn.in_private:
        lines.append("")
        if turn.community is not None:
            lines.append(
                t._(
                    "Your village group: <b>{village}</b>. To change it: /village",
                    village=turn.community.title,
                )
            )
        elif turn.choices:
            lines.append(t._("You are in several village groups: choose one with /village."))
        else:
            lines.append(t._(NO_COMMUNITY))
    return Html("\n".join(lines))


@on_update(community="optional")
async def help_command(turn: Turn) -> None:
    """/help, and /start without a payload."""
    turn.reply(await render_help(turn), noise=True)


@on_update(community="optional")
async def start_command(turn: Turn) -> None:
    payload = turn.args[0] if turn.args and turn.in_private else ""
    prefix, _, rest = payload.partition("_")
    handler = DEEP_LINKS.get(prefix)
    if handler is None:
        turn.reply(await render_help(turn), noise=True)
        return
    await handler(turn, rest)


@deep_link("help")
async def _help_link(turn: Turn, _rest: str) -> None:
    turn.reply(await render_help(turn), noise=True)


@deep_link("join")
async def _join_link(turn: Turn, rest: str) -> None:
    """The group's "open a private chat" button."""
    await act_for(turn, rest)
    turn.reply(await render_help(turn), noise=True)


async def act_for(turn: Turn, rest: str) -> Community:
    """A deep link from a group (`rest` is its community id): the private chat acts for that
    group from now on, once Telegram confirms the user is in it."""
    user = turn.need_user()
    community_id = whole_number(rest)
    community = await communities.by_id(turn.session, community_id) if community_id else None
    if community is None or not community.active or user.telegram_id is None:
        raise NotFound(NOT_A_MEMBER)
    if not await turn.runtime.presence.is_member(community.chat_id, user.telegram_id):
        raise NotFound(NOT_A_MEMBER)
    await members.ensure_membership(turn.session, community, user)
    await members.choose_community(turn.session, user, community.id)
    turn.community = community
    return community


@on_update(community="optional")
async def board_command(turn: Turn) -> None:
    """/board: a button opening the village board on this village. A group allows only URL
    buttons (the bot's direct Mini App link); in private chat a `web_app` button opens it."""
    runtime = turn.runtime
    if runtime.settings.web_url is None:
        turn.reply(turn.t._(BOARD_OFF), noise=True)
        return
    community = turn.chosen_community()
    param = links.start_param(community.id)
    url = runtime.board_app_url(param) if turn.in_private else runtime.board_link(param)
    assert url is not None
    button = keyboards.board_button(turn.t, url, app=turn.in_private)
    turn.reply(
        turn.t._(BOARD_INTRO, village=community.title), keyboards.keyboard([[button]]), noise=True
    )


@on_update(community="optional")
async def language_command(turn: Turn) -> None:
    if turn.in_private:
        turn.reply(turn.t._("Choose your language:"), keyboards.language_keyboard("p"))
        return
    await turn.require_leader()
    turn.reply(turn.t._("Choose the group's language:"), keyboards.language_keyboard("g"))


@on_update(community="optional", callback=LanguagePick)
async def language_chosen(turn: Turn) -> None:
    choice: LanguagePick = turn.data
    if choice.scope == "g" and not turn.in_private:
        await turn.require_leader()
        community = turn.need_community()
        communities.set_language(community, choice.language)
        turn.t = turn.runtime.translator(community.language)
        turn.edit(
            turn.t._(
                "The group's language is now {language}.",
                language=LANGUAGE_NAMES[community.language],
            )
        )
    elif choice.scope == "p" and turn.in_private:
        user = turn.need_user()
        members.set_user_language(user, choice.language)
        turn.t = turn.runtime.translator(choice.language)
        turn.edit(
            turn.t._("I will write to you in {language}.", language=LANGUAGE_NAMES[choice.language])
        )
    else:
        raise NotFound(STALE_BUTTON)


def _choices(options: list[Community]) -> list[tuple[int, str]]:
    return [(c.id, c.title or "…") for c in options]


@on_update(chat="private", community="optional")
async def village_command(turn: Turn) -> None:
    user = turn.need_user()
    options = await members.communities_of(turn.session, user)
    if not options:
        raise NotFound(NO_COMMUNITY)
    turn.reply(
        turn.t._("Choose your village group:"),
        keyboards.community_keyboard(_choices(options)),
    )


@on_update(chat="private", community="optional", callback=CommunityPick)
async def village_chosen(turn: Turn) -> None:
    """The village to act for, among the user's current memberships, once Telegram confirms
    they are still in its group (one who left unseen must not act for it)."""
    choice: CommunityPick = turn.data
    user = turn.need_user()
    community = await members.choose_community(turn.session, user, choice.community_id)
    assert user.telegram_id is not None
    present = await turn.runtime.presence.is_member(community.chat_id, user.telegram_id, max_age=0)
    if present is None:
        raise NotFound(MEMBERSHIP_UNKNOWN)
    if not present:
        await members.mark_left(turn.session, community, user)
        turn.answer(turn.t.plain(NOT_A_MEMBER), alert=True)
        turn.edit(turn.t._(NOT_A_MEMBER))
        return
    turn.community = community
    turn.edit(turn.t._("Your village group is now <b>{village}</b>.", village=community.title))


@on_update(community="optional")
async def unknown_command(turn: Turn) -> None:
    """Private chat: always answered. Group: only commands addressed to this bot by name,
    since other bots in the group may own the rest."""
    message = turn.message
    text = message.text if message and message.text else ""
    command = text.split(maxsplit=1)[0] if text else ""
    addressed = command.lower().endswith(f"@{turn.runtime.bot_username.lower()}")
    if turn.in_private or addressed:
        turn.reply(turn.t._("I don't know that command. See /help."), noise=True)


@on_update(community="none")
async def stale_button(turn: Turn) -> None:
    """A press whose data matches no current button: forged, or from an older version."""
    turn.answer(turn.t.plain(STALE_BUTTON), alert=True)
