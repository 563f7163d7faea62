"""The emulated Telegram world: users, chats, their members, and the Bot API JSON shapes of them."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

_user_ids = itertools.count(100_001)
_group_ids = itertools.count(1)


@dataclass
class FakeUser:
    """A person (or bot) in the emulated Telegram."""

    id: int
    first_name: str
    last_name: str | None = None
    username: str | None = None
    language_code: str | None = "lv"
    is_bot: bool = False
    started: bool = False  # has opened a private chat with the bot
    blocked: bool = False  # has blocked the bot

    def to_api(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "is_bot": self.is_bot, "first_name": self.first_name}
        if self.last_name:
            data["last_name"] = self.last_name
        if self.username:
            data["username"] = self.username
        if self.language_code:
            data["language_code"] = self.language_code
        return data

    @property
    def private_chat(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "type": "private", "first_name": self.first_name}
        if self.last_name:
            data["last_name"] = self.last_name
        if self.username:
            data["username"] = self.username
        return data


MEMBER = "member"
ADMINISTRATOR = "administrator"
CREATOR = "creator"
LEFT = "left"
KICKED = "kicked"
PRESENT = frozenset({MEMBER, ADMINISTRATOR, CREATOR})


@dataclass
class FakeChat:
    """A group or supergroup; `members` maps user ids to their chat-member status. Anyone
    may read a `public` one (and press its buttons) without joining it."""

    id: int
    title: str
    type: str = "supergroup"
    members: dict[int, str] = field(default_factory=dict)
    migrated_to: int | None = None
    public: bool = False

    def to_api(self) -> dict[str, Any]:
        return {"id": self.id, "type": self.type, "title": self.title}

    def status(self, user_id: int) -> str:
        return self.members.get(user_id, LEFT)


def new_user_id() -> int:
    return next(_user_ids)


def new_group_id(supergroup: bool) -> int:
    n = next(_group_ids)
    return -(1_000_000_000_000 + n) if supergroup else -(4_000_000_000 + n)


_ADMIN_RIGHTS = {
    "can_be_edited": False,
    "is_anonymous": False,
    "can_manage_chat": True,
    "can_delete_messages": True,
    "can_manage_video_chats": True,
    "can_restrict_members": True,
    "can_promote_members": False,
    "can_change_info": True,
    "can_invite_users": True,
    "can_post_stories": False,
    "can_edit_stories": False,
    "can_delete_stories": False,
    "can_pin_messages": True,
    "can_manage_topics": False,
}


def chat_member(user: FakeUser, status: str) -> dict[str, Any]:
    """A ChatMember object of the given status, with the fields the Bot API always sends."""
    data: dict[str, Any] = {"user": user.to_api(), "status": status}
    if status == CREATOR:
        data["is_anonymous"] = False
    elif status == ADMINISTRATOR:
        data.update(_ADMIN_RIGHTS)
    elif status == KICKED:
        data["until_date"] = 0
    return data
