"""The working group's membership: /promote and /demote, by replying to a member's message."""

from __future__ import annotations

from bot.i18n import N_
from bot.models import User
from bot.services import leaders, members
from bot.services.errors import InvalidInput
from handlers.context import Turn, on_update, profile_of


async def _reply_target(turn: Turn, usage: str) -> User:
    """The member whose message the leader replied to."""
    reply = turn.message.reply_to_message if turn.message else None
    if reply is None:
        raise InvalidInput(usage)
    target = reply.from_user
    if target is None or target.is_bot or reply.sender_chat is not None:
        raise InvalidInput(N_("Only people can be in the working group, not bots or channels."))
    return await members.ensure_user(turn.session, profile_of(target))


@on_update(chat="group", leaders_only=True)
async def promote_command(turn: Turn) -> None:
    target = await _reply_target(
        turn,
        N_("Reply to a member's message with /promote to add them to the working group."),
    )
    community = turn.need_community()
    if await leaders.is_admin(turn.runtime.admins, community, target):
        turn.reply(
            turn.t._(
                "{name} is an admin of this group, so they are in the working group already.",
                name=target.display_name,
            )
        )
    elif await members.promote(turn.session, community, turn.need_user(), target):
        turn.reply(turn.t._("{name} is now in the working group. 🎉", name=target.display_name))
    else:
        turn.reply(turn.t._("{name} is in the working group already.", name=target.display_name))


@on_update(chat="group", leaders_only=True)
async def demote_command(turn: Turn) -> None:
    target = await _reply_target(
        turn,
        N_("Reply to a member's message with /demote to remove them from the working group."),
    )
    community = turn.need_community()
    if await leaders.is_admin(turn.runtime.admins, community, target):
        turn.reply(
            turn.t._(
                "{name} is an admin of this group; admins are always in the working group.",
                name=target.display_name,
            )
        )
    elif await members.demote(turn.session, community, turn.need_user(), target):
        turn.reply(turn.t._("{name} is no longer in the working group.", name=target.display_name))
    else:
        turn.reply(turn.t._("{name} is not in the working group.", name=target.display_name))
