"""The emulator as tests use it: people and groups, what they do, and waiting for the bot.

    tg = BotApiEmulator()
    alice = tg.user("Alice", language_code="en")
    village = tg.group("Lejasciems", admins=[alice])
    await tg.add_bot(village, by=alice)
    reply = await tg.ask(village, alice, "/help")

Groups behave as with privacy mode on: the bot receives commands, replies to its own messages,
mentions of it, service messages and button presses, and nothing else.
"""

from __future__ import annotations

import asyncio
import copy
import time
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from bot.testing.emulator import ApiCall, BotApiCore
from bot.testing.html import utf16_length
from bot.testing.params import Params
from bot.testing.world import (
    ADMINISTRATOR,
    CREATOR,
    KICKED,
    LEFT,
    MEMBER,
    PRESENT,
    FakeChat,
    FakeUser,
    chat_member,
    new_group_id,
    new_user_id,
)

DEFAULT_TIMEOUT = 10.0
SEND_METHODS = frozenset({"sendMessage", "sendPhoto", "sendDocument", "sendPoll"})
Place = FakeChat | FakeUser


class BotApiEmulator(BotApiCore):
    """Telegram for one bot: its people, groups and messages, driven by the test."""

    privacy_mode = True

    # --- the world --------------------------------------------------------------------------

    def user(
        self,
        first_name: str,
        *,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = "lv",
    ) -> FakeUser:
        person = FakeUser(new_user_id(), first_name, last_name, username, language_code)
        self.users[person.id] = person
        return person

    def group(
        self,
        title: str,
        *,
        members: Iterable[FakeUser] = (),
        admins: Iterable[FakeUser] = (),
        supergroup: bool = True,
    ) -> FakeChat:
        chat = FakeChat(new_group_id(supergroup), title, "supergroup" if supergroup else "group")
        for index, person in enumerate(admins):
            chat.members[person.id] = CREATOR if index == 0 else ADMINISTRATOR
        for person in members:
            chat.members.setdefault(person.id, MEMBER)
        self.chats[chat.id] = chat
        return chat

    def set_admin(self, chat: FakeChat, person: FakeUser, admin: bool = True) -> None:
        chat.members[person.id] = ADMINISTRATOR if admin else MEMBER

    # --- what people do ---------------------------------------------------------------------

    def _chat_json(self, where: Place) -> dict[str, Any]:
        return where.private_chat if isinstance(where, FakeUser) else where.to_api()

    def _new_message(self, where: Place, sender: FakeUser, **content: Any) -> dict[str, Any]:
        chat = self._chat_json(where)
        message = {
            "message_id": self.next_message_id(chat["id"]),
            "from": sender.to_api(),
            "chat": chat,
            "date": int(time.time()),
            **content,
        }
        return self.store(message)

    async def send(
        self, where: Place, sender: FakeUser, text: str, *, reply_to: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        """`sender` writes `text` in a group or (where is the sender) in private chat."""
        content = _text_content(text)
        if reply_to is not None:
            content["reply_to_message"] = {
                k: v for k, v in reply_to.items() if k != "reply_to_message"
            }
        if isinstance(where, FakeUser):
            assert where.id == sender.id, "a private chat is between the bot and its user"
            sender.started = True
            sender.blocked = False
        else:
            assert where.status(sender.id) in PRESENT, f"{sender.first_name} is not in the group"
        message = self._new_message(where, sender, **content)
        if self._bot_sees(where, text, reply_to):
            await self.push_update({"message": message})
        return message

    async def private(self, sender: FakeUser, text: str) -> dict[str, Any]:
        return await self.send(sender, sender, text)

    async def edit(self, message: dict[str, Any], text: str) -> dict[str, Any]:
        """Its sender edits a message they sent: the bot gets an `edited_message` update for
        a message it saw."""
        unchanged = {k: v for k, v in message.items() if k != "entities"}
        edited = {**unchanged, **_text_content(text), "edit_date": int(time.time())}
        self.store(edited)
        chat = self.chats.get(message["chat"]["id"])
        where: Place = chat if chat is not None else self.users[message["chat"]["id"]]
        if self._bot_sees(where, message.get("text", ""), message.get("reply_to_message")):
            await self.push_update({"edited_message": edited})
        return edited

    def _bot_sees(self, where: Place, text: str, reply_to: dict[str, Any] | None) -> bool:
        if isinstance(where, FakeUser) or not self.privacy_mode:
            return True
        if where.status(self.bot.id) not in PRESENT:
            return False
        return (
            text.startswith("/")
            or f"@{self.bot.username}".lower() in text.lower()
            or (reply_to is not None and reply_to.get("from", {}).get("id") == self.bot.id)
        )

    async def _bot_status_change(self, chat: FakeChat, by: FakeUser, new: str) -> None:
        old = chat.status(self.bot.id)
        chat.members[self.bot.id] = new
        await self.push_update(
            {
                "my_chat_member": {
                    "chat": chat.to_api(),
                    "from": by.to_api(),
                    "date": int(time.time()),
                    "old_chat_member": chat_member(self.bot, old),
                    "new_chat_member": chat_member(self.bot, new),
                }
            }
        )

    async def add_bot(self, chat: FakeChat, by: FakeUser, *, as_admin: bool = False) -> None:
        """`by` adds the bot to the group: my_chat_member, then the service message."""
        await self._bot_status_change(chat, by, ADMINISTRATOR if as_admin else MEMBER)
        message = self._new_message(
            chat, by, new_chat_members=[self.bot.to_api()], new_chat_member=self.bot.to_api()
        )
        await self.push_update({"message": message})

    async def remove_bot(self, chat: FakeChat, by: FakeUser) -> None:
        await self._bot_status_change(chat, by, KICKED)

    async def _member_change(self, chat: FakeChat, person: FakeUser, new: str) -> None:
        old = chat.status(person.id)
        chat.members[person.id] = new
        if chat.status(self.bot.id) == ADMINISTRATOR:
            await self.push_update(
                {
                    "chat_member": {
                        "chat": chat.to_api(),
                        "from": person.to_api(),
                        "date": int(time.time()),
                        "old_chat_member": chat_member(person, old),
                        "new_chat_member": chat_member(person, new),
                    }
                }
            )

    async def join(self, chat: FakeChat, person: FakeUser) -> None:
        await self._member_change(chat, person, MEMBER)
        if chat.status(self.bot.id) in PRESENT:
            message = self._new_message(
                chat, person, new_chat_members=[person.to_api()], new_chat_member=person.to_api()
            )
            await self.push_update({"message": message})

    async def leave(self, chat: FakeChat, person: FakeUser) -> None:
        await self._member_change(chat, person, LEFT)
        if chat.status(self.bot.id) in PRESENT:
            message = self._new_message(chat, person, left_chat_member=person.to_api())
            await self.push_update({"message": message})

    async def migrate(self, chat: FakeChat) -> FakeChat:
        """The group becomes a supergroup with a new id; both chats tell the bot."""
        new = FakeChat(new_group_id(True), chat.title, "supergroup", dict(chat.members))
        self.chats[new.id] = new
        chat.migrated_to = new.id
        owner = next((self.users[uid] for uid, s in chat.members.items() if s == CREATOR), self.bot)
        old_notice = self._new_message(chat, owner, migrate_to_chat_id=new.id)
        new_notice = self._new_message(new, owner, migrate_from_chat_id=chat.id)
        await self.push_update({"message": old_notice})
        await self.push_update({"message": new_notice})
        return new

    async def block(self, person: FakeUser) -> None:
        person.blocked = True
        await self.push_update(
            {
                "my_chat_member": {
                    "chat": person.private_chat,
                    "from": person.to_api(),
                    "date": int(time.time()),
                    "old_chat_member": chat_member(self.bot, MEMBER),
                    "new_chat_member": chat_member(self.bot, KICKED),
                }
            }
        )

    async def press(self, message: dict[str, Any], label: str, by: FakeUser) -> str:
        """`by` presses the button whose text is (or starts with) `label`; returns the query id."""
        current = self.messages.get((message["chat"]["id"], message["message_id"]), message)
        found = [b for b in buttons(current) if b["text"] == label] or [
            b for b in buttons(current) if b["text"].startswith(label)
        ]
        assert found, f"no button {label!r} in {[b['text'] for b in buttons(current)]}"
        data = found[0].get("callback_data")
        assert data is not None, f"button {label!r} is a link, not a callback button"
        return await self.press_data(current, data, by)

    async def press_data(
        self, message: dict[str, Any], data: str, by: FakeUser, *, inaccessible: bool = False
    ) -> str:
        """A callback query with any data, forged or stale ones included. Someone outside a
        group can press only in a public one (they may read it without joining).
        `inaccessible`: Telegram sends the message as it does for old ones, with only its
        chat, id and a zero date."""
        chat = self.chats.get(message["chat"]["id"])
        assert chat is None or chat.public or chat.status(by.id) in PRESENT, (
            f"{by.first_name} is not in the group"
        )
        query_id = f"{by.id}{len(self.callback_answers) + 1:06d}"
        self.callback_answers[query_id] = None
        current = self.messages.get((message["chat"]["id"], message["message_id"]), message)
        if inaccessible:
            current = {"chat": current["chat"], "message_id": current["message_id"], "date": 0}
        await self.push_update(
            {
                "callback_query": {
                    "id": query_id,
                    "from": by.to_api(),
                    "message": current,
                    "chat_instance": str(abs(current["chat"]["id"])),
                    "data": data,
                }
            }
        )
        return query_id

    async def vote(
        self,
        poll_message: dict[str, Any],
        voter: FakeUser,
        option_ids: Sequence[int],
        *,
        in_a_copy: bool = False,
    ) -> None:
        """`voter` answers a poll the bot sent; an empty list retracts the answer. As Telegram
        does, this sends a poll_answer update (public polls only) and a poll update with the
        new counts. `in_a_copy`: the vote is cast in a forwarded copy of the poll, which
        anyone may do, and Telegram counts it on the original all the same."""
        key = (poll_message["chat"]["id"], poll_message["message_id"])
        poll = self.messages[key]["poll"]
        assert not poll["is_closed"], "the poll is closed"
        assert in_a_copy or self.chats[key[0]].status(voter.id) in PRESENT, (
            f"{voter.first_name} is not there"
        )
        chosen = sorted(set(option_ids))
        assert all(0 <= i < len(poll["options"]) for i in chosen), f"no option among {chosen}"
        assert poll["allows_multiple_answers"] or len(chosen) <= 1, "one answer only"
        answers = self.poll_answers.setdefault(poll["id"], {})
        if chosen:
            answers[voter.id] = chosen
        else:
            answers.pop(voter.id, None)
        for index, option in enumerate(poll["options"]):
            option["voter_count"] = sum(index in answer for answer in answers.values())
        poll["total_voter_count"] = len(answers)
        if not poll["is_anonymous"]:
            await self.push_update(
                {
                    "poll_answer": {
                        "poll_id": poll["id"],
                        "user": voter.to_api(),
                        "option_ids": chosen,
                        "option_persistent_ids": [
                            poll["options"][i]["persistent_id"] for i in chosen
                        ],
                    }
                }
            )
        await self.push_update({"poll": copy.deepcopy(poll)})

    # --- waiting for the bot ----------------------------------------------------------------

    def mark(self) -> int:
        """A cursor: wait for calls made after this point."""
        return len(self.calls)

    async def wait_for(
        self,
        predicate: Callable[[ApiCall], bool],
        *,
        after: int = 0,
        timeout: float = DEFAULT_TIMEOUT,
    ) -> ApiCall:
        """The first call after `after` that matches; TimeoutError lists what was called."""

        def found() -> ApiCall | None:
            return next((call for call in self.calls[after:] if predicate(call)), None)

        call = await self.wait_until(found, timeout)
        if call is None:
            seen = [(c.method, c.params.get("chat_id"), c.ok) for c in self.calls[after:]]
            raise TimeoutError(f"the bot did not make the expected call; it made {seen}")
        return call

    async def next_message(
        self, where: Place, *, after: int, timeout: float = DEFAULT_TIMEOUT
    ) -> dict[str, Any]:
        """The next message the bot sent successfully to this chat."""
        chat_id = where.id
        call = await self.wait_for(
            lambda c: c.ok and c.method in SEND_METHODS and _chat_of(c) == chat_id,
            after=after,
            timeout=timeout,
        )
        result: dict[str, Any] = call.result
        return result

    async def ask(
        self,
        where: Place,
        sender: FakeUser,
        text: str,
        *,
        reply_to: dict[str, Any] | None = None,
        timeout: float = DEFAULT_TIMEOUT,
    ) -> dict[str, Any]:
        """Send, then return the bot's next message in that chat."""
        cursor = self.mark()
        await self.send(where, sender, text, reply_to=reply_to)
        return await self.next_message(where, after=cursor, timeout=timeout)

    async def answer_of(self, query_id: str, timeout: float = DEFAULT_TIMEOUT) -> dict[str, Any]:
        """How the bot answered a button press (text and whether it was an alert)."""
        call = await self.wait_for(
            lambda c: (
                c.method == "answerCallbackQuery"
                and str(c.params.get("callback_query_id")) == query_id
            ),
            timeout=timeout,
        )
        params = Params(call.params)
        return {"text": params.text("text") or "", "show_alert": params.flag("show_alert")}

    async def settle(self, quiet: float = 0.3, timeout: float = DEFAULT_TIMEOUT) -> None:
        """Wait until every update was fetched and the bot made no call for `quiet` seconds."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while loop.time() < deadline:
            count = len(self.calls)
            await asyncio.sleep(quiet)
            if count == len(self.calls) and not self.pending_updates:
                return
        raise TimeoutError("the bot kept calling the Bot API")

    def bot_messages(self, where: Place) -> list[dict[str, Any]]:
        """The bot's messages in a chat as they are now (after edits), oldest first."""
        return [
            m
            for (chat_id, _), m in sorted(self.messages.items(), key=lambda kv: kv[0][1])
            if chat_id == where.id and m["from"]["id"] == self.bot.id
        ]

    def html_of(self, message: dict[str, Any]) -> str:
        return self.html_sources.get((message["chat"]["id"], message["message_id"]), "")


def buttons(message: dict[str, Any]) -> list[dict[str, Any]]:
    markup = message.get("reply_markup") or {}
    return [button for row in markup.get("inline_keyboard", []) for button in row]


def _chat_of(call: ApiCall) -> int | None:
    raw = call.params.get("chat_id")
    try:
        return int(raw) if raw is not None else None
    except (TypeError, ValueError):
        return None


def _text_content(text: str) -> dict[str, Any]:
    """A typed text as Telegram sends it: a leading command marked as a bot_command entity."""
    content: dict[str, Any] = {"text": text}
    if text.startswith("/"):
        command = text.split(maxsplit=1)[0]
        content["entities"] = [
            {"type": "bot_command", "offset": 0, "length": utf16_length(command)}
        ]
    return content
