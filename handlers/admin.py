"""The working group's membership: /promote and /demote, by replying to a member's message."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from bot.i18n import N_
from bot.models import Community, User
from bot.services import Session, leaders, members
from bot.services.errors import InvalidInput
from handlers.context import Turn, on_update, profile_of


@dataclass(frozen=True)
class RoleChange:
    """One of the two changes, with what to say in each outcome (message ids)."""

    usage: str
    apply: Callable[[Session, Community, User, User], Awaitable[bool]]
    admin: str  # the target is a Telegram admin: always a leader
    done: str
    unchanged: str


PROMOTE = RoleChange(
    usage=N_("Reply to a member's message with /promote to add them to the working group."),
    apply=members.promote,
    admin=N_("{name} is an admin of this group, so they are in the working group already."),
    done=N_("{name} is now in the working group. 🎉"),
    unchanged=N_("{name} is in the working group already."),
)
DEMOTE = RoleChange(
    usage=N_("Reply to a member's message with /demote to remove them from the working group."),
    apply=members.demote,
    admin=N_("{name} is an admin of this group; admins are always in the working group."),
    done=N_("{name} is no longer in the working group."),
    unchanged=N_("{name} is not in the working group."),
)


async def _reply_target(turn: Turn, usage: str) -> User:
    """The member whose message the leader replied to."""
    reply = turn.message.reply_to_message if turn.message else None
    if reply is None:
        raise InvalidInput(usage)
    target = reply.from_user
    if target is None or target.is_bot or reply.sender_chat is not None:
        raise InvalidInput(N_("Only people can be in the working group, not bots or channels."))
    return await members.ensure_user(turn.session, profile_of(target))


async def _change_role(turn: Turn, change: RoleChange) -> None:
    target = await _reply_target(turn, change.usage)
    community = turn.need_community()
    if await leaders.is_admin(turn.runtime.admins, community, target):
        outcome = change.admin
    elif await change.apply(turn.session, community, turn.need_user(), target):
        outcome = change.done
    else:
        outcome = change.unchanged
    turn.reply(turn.t._(outcome, name=target.display_name))


@on_update(chat="group", leaders_only=True)
async def promote_command(turn: Turn) -> None:
    await _change_role(turn, PROMOTE)


@on_update(chat="group", leaders_only=True)
async def demote_command(turn: Turn) -> None:
    await _change_role(turn, DEMOTE)
