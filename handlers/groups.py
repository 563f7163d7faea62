"""The bot joining and leaving groups, groups becoming supergroups, members coming and going."""

from __future__ import annotations

import logging

from telegram import ChatMember, ChatMemberUpdated
from telegram.constants import ChatMemberStatus, ChatType

from bot import keyboards
from bot.board import links
from bot.i18n import N_, Html
from bot.models import Community
from bot.services import communities, members
from handlers.context import GROUP_TYPES, Turn, on_update, profile_of, schedule_community

log = logging.getLogger(__name__)

_PRESENT = frozenset(
    {ChatMemberStatus.MEMBER, ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER}
)


def is_present(member: ChatMember) -> bool:
    if member.status == ChatMemberStatus.RESTRICTED:
        return bool(getattr(member, "is_member", False))
    return member.status in _PRESENT


def joined_or_left(change: ChatMemberUpdated) -> bool | None:
    """True when the member arrived, False when they went, None when only rights changed."""
    was, now = is_present(change.old_chat_member), is_present(change.new_chat_member)
    return None if was == now else now


def greeting(turn: Turn, community: Community) -> Html:
    return turn.t._(
        "Hello, {village}! 👋 I help the village plan its future together: propose and "
        "support ideas, add to the SWOT analysis, vote in polls and come to meetings. "
        "Type /help to see what you can do.",
        village=community.title,
    )


@on_update(community="none")
async def bot_membership_changed(turn: Turn) -> None:
    """my_chat_member: added to a group (greet), removed (keep the data, go quiet), or a user
    blocking or unblocking the bot in private chat."""
    change = turn.update.my_chat_member
    assert change is not None
    chat = change.chat
    arrived = joined_or_left(change)
    if chat.type == ChatType.PRIVATE:
        if turn.user is not None:
            turn.user.started_bot = change.new_chat_member.status != ChatMemberStatus.BANNED
        return
    if chat.type not in GROUP_TYPES:
        return
    turn.runtime.admins.forget(chat.id)
    if arrived is True:
        joined = await communities.ensure(
            turn.session, chat.id, chat.title or "", turn.runtime.community_defaults
        )
        community = joined.community
        if turn.user is not None:
            await members.ensure_membership(turn.session, community, turn.user)
        if joined.is_new or joined.reactivated:
            schedule_community(turn, community.id)
        turn.t = turn.runtime.translator(community.language)
        log.info("added to chat %s (community %s)", chat.id, community.id)
        link = turn.runtime.deep_link(f"join_{community.id}")
        rows = [[keyboards.url_button(turn.t.plain(N_("Open a private chat")), link)]]
        board = turn.runtime.board_link(links.start_param(community.id))
        if board is not None:
            rows.append([keyboards.board_button(turn.t, board)])
        turn.reply(greeting(turn, community), keyboards.keyboard(rows))
    elif arrived is False:
        await communities.deactivate(turn.session, chat.id)
        log.info("removed from chat %s; its data is kept", chat.id)


@on_update(community="none")
async def chat_migrated(turn: Turn) -> None:
    """A group upgraded to a supergroup: Telegram says so in the old chat and in the new one."""
    message = turn.message
    assert message is not None
    if message.migrate_to_chat_id:
        old, new = message.chat.id, message.migrate_to_chat_id
    elif message.migrate_from_chat_id:
        old, new = message.migrate_from_chat_id, message.chat.id
    else:
        return
    community = await communities.migrate_chat(turn.session, old, new)
    turn.runtime.admins.forget(old)
    if community is not None:
        log.info("community %s moved from chat %s to %s", community.id, old, new)


@on_update()
async def members_joined(turn: Turn) -> None:
    message = turn.message
    assert message is not None
    community = turn.need_community()
    for tg_user in message.new_chat_members or ():
        if not tg_user.is_bot:
            turn.runtime.presence.forget(community.chat_id, tg_user.id)
            user = await members.ensure_user(turn.session, profile_of(tg_user))
            await members.ensure_membership(turn.session, community, user)


@on_update()
async def member_left(turn: Turn) -> None:
    """Someone left or was removed: see members.mark_left for what ends with it."""
    message = turn.message
    assert message is not None
    gone = message.left_chat_member
    if gone is None or gone.is_bot:
        return
    turn.runtime.presence.forget(message.chat.id, gone.id)
    user = await members.by_telegram_id(turn.session, gone.id)
    if user is not None:
        await members.mark_left(turn.session, turn.need_community(), user)


@on_update(community="none")
async def member_changed(turn: Turn) -> None:
    """chat_member updates (sent when the bot is an admin): admins and members changed."""
    change = turn.update.chat_member
    assert change is not None
    turn.runtime.admins.forget(change.chat.id)
    tg_user = change.new_chat_member.user
    turn.runtime.presence.forget(change.chat.id, tg_user.id)
    arrived = joined_or_left(change)
    if tg_user.is_bot or arrived is None:
        return
    community = await communities.by_chat(turn.session, change.chat.id)
    if community is None:
        return
    user = await members.ensure_user(turn.session, profile_of(tg_user))
    if arrived:
        await members.ensure_membership(turn.session, community, user)
    else:
        await members.mark_left(turn.session, community, user)
