"""The Bot API side of the emulator: the methods a bot may call, answered as Telegram does.

`BotApiCore.call(method, params)` answers like the Bot API, including its 400 and 403 errors;
`bot.testing.server` puts it behind HTTP and `bot.testing.telegram` adds the people who use it.
Every call is recorded in `calls`; every update waits in a queue for getUpdates.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import dataclasses
import ipaddress
import itertools
import re
import time
from collections.abc import Awaitable, Callable, Collection
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import urlsplit

from bot.testing.flood import FloodLimits
from bot.testing.html import EntityParseError, parse_html, utf16_length
from bot.testing.params import ApiError, Params, Upload, bad_request, forbidden
from bot.testing.world import (
    ADMINISTRATOR,
    CREATOR,
    KICKED,
    PRESENT,
    FakeChat,
    FakeUser,
    chat_member,
)

TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024
CALLBACK_DATA_LIMIT = 64
CALLBACK_ANSWER_LIMIT = 200
BUTTONS_LIMIT = 100
BUTTONS_PER_ROW_LIMIT = 8
POLL_QUESTION_LIMIT = 300
POLL_OPTION_LIMIT = 100
POLL_OPTIONS_MAX = 12
COMMANDS_LIMIT = 100
DESCRIPTION_LIMIT = 512
SHORT_DESCRIPTION_LIMIT = 120
DEFAULT_ALLOWED = frozenset(
    {
        "message",
        "edited_message",
        "channel_post",
        "edited_channel_post",
        "callback_query",
        "inline_query",
        "chosen_inline_result",
        "shipping_query",
        "pre_checkout_query",
        "poll",
        "poll_answer",
        "my_chat_member",
        "chat_join_request",
    }
)
NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)

_WEBHOOK_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")

T = TypeVar("T")
Fault = Callable[[str, Params], Awaitable[ApiError | None] | ApiError | None]


@dataclass
class ApiCall:
    """One request the bot made, what it got back, and when it arrived (time.monotonic)."""

    method: str
    params: dict[str, Any]
    result: Any = None
    error: ApiError | None = None
    at: float = dataclasses.field(default_factory=time.monotonic)

    @property
    def ok(self) -> bool:
        return self.error is None


class BotApiCore:
    """Telegram as a bot sees it, for one bot token."""

    def __init__(
        self,
        token: str = "123456789:TEST-TOKEN-villagebot",
        *,
        bot_username: str = "villagebot_test",
        bot_name: str = "Village bot",
        first_update_id: int = 1,
    ) -> None:
        self.token = token
        bot_id = int(token.split(":", 1)[0])
        self.bot = FakeUser(
            bot_id, bot_name, username=bot_username, is_bot=True, language_code=None
        )
        self.users: dict[int, FakeUser] = {}
        self.chats: dict[int, FakeChat] = {}
        self.messages: dict[tuple[int, int], dict[str, Any]] = {}
        # The HTML each bot message was sent with, as the bot wrote it.
        self.html_sources: dict[tuple[int, int], str] = {}
        self.files: dict[str, Upload] = {}
        self.calls: list[ApiCall] = []
        self.commands: dict[tuple[str, str], list[dict[str, str]]] = {}
        # The bot's description and short description by language code ("" for the default).
        self.descriptions: dict[str, str] = {}
        self.short_descriptions: dict[str, str] = {}
        # Menu buttons by private chat id (0: the default for every private chat).
        self.menu_buttons: dict[int, dict[str, Any]] = {}
        self.callback_answers: dict[str, dict[str, Any] | None] = {}
        self.reactions: dict[tuple[int, int], list[str]] = {}
        self.polls: dict[str, tuple[int, int]] = {}  # poll id -> (chat id, message id)
        self.poll_answers: dict[str, dict[int, list[int]]] = {}  # poll id -> user id -> options
        self.webhook: dict[str, Any] = {}
        self.faults: list[Fault] = []
        # Telegram's flood limits, enforced when set (bot.testing.flood); off by default.
        self.flood: FloodLimits | None = None
        self._updates: list[dict[str, Any]] = []
        self.history: list[dict[str, Any]] = []  # every update ever queued
        self._update_ids = itertools.count(first_update_id)
        self._message_ids: dict[int, itertools.count[int]] = {}
        self._file_ids = itertools.count(1)
        self._allowed: frozenset[str] = DEFAULT_ALLOWED
        self._poll_generation = 0
        self._changed: asyncio.Condition | None = None
        self.closing = False

    # --- plumbing -------------------------------------------------------------------------

    @property
    def changed(self) -> asyncio.Condition:
        if self._changed is None:
            self._changed = asyncio.Condition()
        return self._changed

    async def wait_until(self, check: Callable[[], T | None], timeout: float) -> T | None:
        """Run `check` now and after every change until it gives a value or time is up."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        async with self.changed:
            while True:
                value = check()
                remaining = deadline - loop.time()
                if value is not None or remaining <= 0:
                    return value
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self.changed.wait(), remaining)

    async def notify(self) -> None:
        async with self.changed:
            self.changed.notify_all()

    async def call(self, method: str, params: Params) -> Any:
        """Run one Bot API method; raises ApiError for an error answer."""
        handler = getattr(self, f"api_{method.lower()}", None)
        record = ApiCall(method, dict(params.raw))
        try:
            for fault in self.faults:
                outcome = fault(method, params)
                if asyncio.iscoroutine(outcome):
                    outcome = await outcome
                if isinstance(outcome, ApiError):
                    raise outcome
            if handler is None:
                raise ApiError(404, "Not Found")
            chat_id = _chat_id(params) if self.flood is not None else None
            if self.flood is not None:
                self.flood.check(method, chat_id)
            result = await handler(params)
            if self.flood is not None:
                self.flood.sent(method, chat_id)
            record.result = copy.deepcopy(result)
            return result
        except ApiError as error:
            record.error = error
            raise
        except asyncio.CancelledError:
            # The bot went away before the answer (it was killed, or gave up waiting).
            record.error = ApiError(499, "Client Closed Request")
            raise
        finally:
            if method.lower() != "getupdates":
                self.calls.append(record)
                await self.notify()

    def next_message_id(self, chat_id: int) -> int:
        counter = self._message_ids.setdefault(chat_id, itertools.count(1))
        return next(counter)

    async def push_update(self, payload: dict[str, Any]) -> dict[str, Any]:
        """Queue an update for getUpdates; returns it with its update_id."""
        update = {"update_id": next(self._update_ids), **payload}
        self._updates.append(update)
        self.history.append(update)
        await self.notify()
        return update

    @property
    def pending_updates(self) -> int:
        return len(self._updates)

    def store(self, message: dict[str, Any]) -> dict[str, Any]:
        """Keep a message; the HTML source of a bot's text or caption is kept beside it."""
        key = (message["chat"]["id"], message["message_id"])
        for field in ("text", "caption"):
            source = message.pop(f"_{field}_source", None)
            if source is not None:
                self.html_sources[key] = source
        self.messages[key] = message
        return message

    def message(self, chat_id: int, message_id: int) -> dict[str, Any]:
        return self.messages[(chat_id, message_id)]

    # --- getting updates --------------------------------------------------------------------

    async def api_getupdates(self, p: Params) -> list[dict[str, Any]]:
        if self.webhook.get("url"):
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        offset = p.integer("offset", 0) or 0
        limit = min(max(p.integer("limit", 100) or 100, 1), 100)
        timeout = p.number("timeout", 0.0)
        allowed = p.json("allowed_updates")
        if isinstance(allowed, list):
            self._allowed = frozenset(allowed) if allowed else DEFAULT_ALLOWED
        if offset > 0:
            waiting = len(self._updates)
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
            if len(self._updates) < waiting:
                await self.notify()  # confirmed: tests may wait for the queue to empty
        self._poll_generation += 1
        generation = self._poll_generation

        def ready() -> list[dict[str, Any]] | None:
            batch = [u for u in self._updates if self._is_allowed(u)][:limit]
            if batch or self.closing:
                return batch
            if generation != self._poll_generation:
                raise ApiError(
                    409,
                    "Conflict: terminated by other getUpdates request; "
                    "make sure that only one bot instance is running",
                )
            return None

        return await self.wait_until(ready, timeout) or []

    def _is_allowed(self, update: dict[str, Any]) -> bool:
        return any(key in self._allowed for key in update if key != "update_id")

    async def api_deletewebhook(self, p: Params) -> bool:
        self.webhook = {}
        if p.flag("drop_pending_updates"):
            self._updates.clear()
        return True

    async def api_setwebhook(self, p: Params) -> bool:
        url = p.required_text("url")
        if not url.startswith("https://") and not url.startswith("http://127.0.0.1"):
            raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
        secret = p.text("secret_token")
        if secret is not None and not _WEBHOOK_SECRET.fullmatch(secret):
            raise bad_request("bad webhook: secret token contains unallowed characters")
        allowed = p.json("allowed_updates")
        if isinstance(allowed, list):
            self._allowed = frozenset(allowed) if allowed else DEFAULT_ALLOWED
        self.webhook = {
            "url": url,
            "secret_token": secret,
            "allowed_updates": allowed,
            "max_connections": p.integer("max_connections", 40),
        }
        if p.flag("drop_pending_updates"):
            self._updates.clear()
        return True

    async def api_getwebhookinfo(self, _p: Params) -> dict[str, Any]:
        info: dict[str, Any] = {
            "url": self.webhook.get("url", ""),
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }
        if self.webhook.get("url"):
            info["max_connections"] = self.webhook.get("max_connections") or 40
            if isinstance(self.webhook.get("allowed_updates"), list):
                info["allowed_updates"] = self.webhook["allowed_updates"]
        for key in ("last_error_date", "last_error_message"):
            if key in self.webhook:
                info[key] = self.webhook[key]
        return info

    def webhook_due(self, busy: Collection[int] = (), room: int = 1) -> list[dict[str, Any]]:
        """The updates to POST to the webhook now, while one is set: as Telegram does, each
        chat's updates form a queue, of which only the first is sent, and only once the one
        before it was answered (`busy`: queues with an update in flight); at most `room` at
        once. Only a webhook on this machine is called: tests never reach the internet, so
        another URL's updates wait."""
        if not _on_loopback(self.webhook.get("url") or ""):
            return []
        due: list[dict[str, Any]] = []
        seen: set[int] = set(busy)
        for update in self._updates:
            if len(due) >= room:
                break
            queue = webhook_queue(update)
            if queue in seen or not self._is_allowed(update):
                continue
            seen.add(queue)
            due.append(update)
        return due

    async def webhook_answered(self, update_id: int, error: str | None) -> None:
        """The bot's server took the update (it leaves the queue) or refused it (it stays and
        the error shows in getWebhookInfo, as Telegram reports it)."""
        if error is None:
            self._updates = [u for u in self._updates if u["update_id"] != update_id]
        elif self.webhook.get("url"):
            self.webhook["last_error_date"] = int(time.time())
            self.webhook["last_error_message"] = error
        await self.notify()

    # --- the bot itself ---------------------------------------------------------------------

    async def api_getme(self, _p: Params) -> dict[str, Any]:
        return {
            **self.bot.to_api(),
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    async def api_logout(self, _p: Params) -> bool:
        return True

    async def api_close(self, _p: Params) -> bool:
        return True

    async def api_setmycommands(self, p: Params) -> bool:
        commands = p.json("commands")
        if not isinstance(commands, list) or len(commands) > COMMANDS_LIMIT:
            raise bad_request("commands must be a list of at most 100 commands")
        for command in commands:
            name = str(command.get("command", ""))
            description = str(command.get("description", ""))
            if not (1 <= len(name) <= 32) or not all(
                c.islower() or c.isdigit() or c == "_" for c in name
            ):
                raise bad_request("BOT_COMMAND_INVALID")
            if not (1 <= len(description) <= 256):
                raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        self.commands[self._command_key(p)] = commands
        return True

    async def api_getmycommands(self, p: Params) -> list[dict[str, str]]:
        return self.commands.get(self._command_key(p), [])

    async def api_deletemycommands(self, p: Params) -> bool:
        self.commands.pop(self._command_key(p), None)
        return True

    async def api_setmydescription(self, p: Params) -> bool:
        text = p.text("description") or ""
        _set_text(self.descriptions, _language_code(p), text, DESCRIPTION_LIMIT)
        return True

    async def api_getmydescription(self, p: Params) -> dict[str, str]:
        return {"description": self.descriptions.get(_language_code(p), "")}

    async def api_setmyshortdescription(self, p: Params) -> bool:
        text = p.text("short_description") or ""
        _set_text(self.short_descriptions, _language_code(p), text, SHORT_DESCRIPTION_LIMIT)
        return True

    async def api_getmyshortdescription(self, p: Params) -> dict[str, str]:
        return {"short_description": self.short_descriptions.get(_language_code(p), "")}

    async def api_setchatmenubutton(self, p: Params) -> bool:
        button = p.json("menu_button") or {"type": "default"}
        kind = button.get("type")
        if kind == "web_app":
            text = str(button.get("text", ""))
            url = str((button.get("web_app") or {}).get("url", ""))
            if not text.strip():
                raise bad_request("BUTTON_TEXT_EMPTY")
            _check_app_url(url)
        elif kind not in ("commands", "default"):
            raise bad_request("BUTTON_TYPE_INVALID")
        chat_id = p.integer("chat_id") or 0
        if chat_id and chat_id not in self.users:
            raise bad_request("chat not found")
        self.menu_buttons[chat_id] = dict(button)
        return True

    async def api_getchatmenubutton(self, p: Params) -> dict[str, Any]:
        chat_id = p.integer("chat_id") or 0
        return self.menu_buttons.get(chat_id) or self.menu_buttons.get(0) or {"type": "commands"}

    def _command_key(self, p: Params) -> tuple[str, str]:
        scope = p.json("scope") or {"type": "default"}
        return str(scope.get("type", "default")), p.text("language_code") or ""

    # --- chats and members ------------------------------------------------------------------

    def _group(self, p: Params) -> FakeChat:
        chat_id = p.required_integer("chat_id")
        chat = self.chats.get(chat_id)
        if chat is None:
            raise bad_request("chat not found")
        if chat.status(self.bot.id) not in PRESENT:
            raise forbidden(f"bot is not a member of the {chat.type} chat")
        return chat

    async def api_getchatadministrators(self, p: Params) -> list[dict[str, Any]]:
        chat = self._group(p)
        return [
            chat_member(self.users[uid], status)
            for uid, status in chat.members.items()
            if status in (ADMINISTRATOR, CREATOR) and uid in self.users
        ]

    async def api_getchatmember(self, p: Params) -> dict[str, Any]:
        chat = self._group(p)
        user = self.users.get(p.required_integer("user_id"))
        if user is None:
            raise bad_request("user not found")
        return chat_member(user, chat.status(user.id))

    async def api_getchatmembercount(self, p: Params) -> int:
        return sum(1 for s in self._group(p).members.values() if s in PRESENT)

    async def api_getchat(self, p: Params) -> dict[str, Any]:
        chat = self._group(p)
        gifts = (
            "unlimited_gifts",
            "limited_gifts",
            "unique_gifts",
            "premium_subscription",
            "gifts_from_channels",
        )
        return {
            **chat.to_api(),
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": dict.fromkeys(gifts, False),
        }

    async def api_leavechat(self, p: Params) -> bool:
        chat = self._group(p)
        chat.members[self.bot.id] = "left"
        return True

    async def api_sendchataction(self, p: Params) -> bool:
        self._destination(p.required_integer("chat_id"))
        return True

    # --- sending ----------------------------------------------------------------------------

    def _destination(self, chat_id: int) -> dict[str, Any]:
        """The chat the bot may post to, or the error Telegram gives for it."""
        chat = self.chats.get(chat_id)
        if chat is not None:
            if chat.migrated_to is not None:
                raise bad_request(
                    "group chat was upgraded to a supergroup chat",
                    migrate_to_chat_id=chat.migrated_to,
                )
            status = chat.status(self.bot.id)
            if status == KICKED:
                raise forbidden(f"bot was kicked from the {chat.type} chat")
            if status not in PRESENT:
                raise forbidden(f"bot is not a member of the {chat.type} chat")
            return chat.to_api()
        user = self.users.get(chat_id)
        if user is None:
            raise bad_request("chat not found")
        if user.is_bot:
            raise forbidden("bot can't send messages to bots")
        if user.blocked:
            raise forbidden("bot was blocked by the user")
        if not user.started:
            raise forbidden("bot can't initiate conversation with a user")
        return user.private_chat

    def _formatted(self, p: Params, field: str, limit: int, kind: str) -> dict[str, Any]:
        source = p.text(field) or ""
        if (p.text("parse_mode") or "").upper() == "HTML":
            try:
                text, entities = parse_html(source)
            except EntityParseError as exc:
                raise bad_request(f"can't parse entities: {exc}") from exc
        else:
            text, entities = source, []
        if kind == "text" and not text.strip():
            raise bad_request("message text is empty")
        if utf16_length(text) > limit:
            raise bad_request(
                "message is too long" if kind == "text" else "message caption is too long"
            )
        result: dict[str, Any] = {}
        if text:
            result[field] = text
            result[f"_{field}_source"] = source
        if entities:
            result["entities" if kind == "text" else "caption_entities"] = entities
        return result

    def _markup(self, p: Params) -> dict[str, Any] | None:
        markup = p.json("reply_markup")
        if not markup:
            return None
        rows = markup.get("inline_keyboard")
        if rows is None:
            return dict(markup)
        # Mini App buttons open only in a private chat with the bot (a user's id is its chat's).
        in_private = p.integer("chat_id") in self.users
        count = 0
        for row in rows:
            if len(row) > BUTTONS_PER_ROW_LIMIT:
                raise bad_request("BUTTONS_TOO_WIDE")
            for button in row:
                count += 1
                if not str(button.get("text", "")).strip():
                    raise bad_request("BUTTON_TEXT_EMPTY")
                if "callback_data" in button:
                    size = len(str(button["callback_data"]).encode())
                    if not 1 <= size <= CALLBACK_DATA_LIMIT:
                        raise bad_request("BUTTON_DATA_INVALID")
                elif "url" in button:
                    url = str(button["url"])
                    if not url.startswith(("http://", "https://", "tg://")):
                        raise bad_request(
                            f"inline keyboard button URL '{url}' is invalid: Wrong HTTP URL"
                        )
                elif "web_app" in button and in_private:
                    _check_app_url(str((button["web_app"] or {}).get("url", "")))
                else:
                    raise bad_request("BUTTON_TYPE_INVALID")
        if count > BUTTONS_LIMIT:
            raise bad_request("reply markup is too long")
        return dict(markup)

    def _reply_to(self, chat_id: int, p: Params) -> dict[str, Any] | None:
        reply = p.json("reply_parameters") or {}
        message_id = reply.get("message_id") or p.integer("reply_to_message_id")
        if not message_id:
            return None
        found = self.messages.get((chat_id, int(message_id)))
        allow = reply.get("allow_sending_without_reply", p.flag("allow_sending_without_reply"))
        if found is None and not allow:
            raise bad_request("message to be replied not found")
        if found is None:
            return None
        return {k: v for k, v in found.items() if k != "reply_to_message"}

    def _post(self, p: Params, content: dict[str, Any]) -> dict[str, Any]:
        chat_id = p.required_integer("chat_id")
        chat = self._destination(chat_id)
        markup = self._markup(p)
        reply_to = self._reply_to(chat_id, p)
        message: dict[str, Any] = {
            "message_id": self.next_message_id(chat_id),
            "from": self.bot.to_api(),
            "chat": chat,
            "date": int(time.time()),
            **content,
        }
        if reply_to is not None:
            message["reply_to_message"] = reply_to
        if markup is not None:
            message["reply_markup"] = markup
        return self.store(message)

    async def api_sendmessage(self, p: Params) -> dict[str, Any]:
        self._destination(p.required_integer("chat_id"))
        return self._post(p, self._formatted(p, "text", TEXT_LIMIT, "text"))

    def _upload(self, p: Params, field: str) -> dict[str, Any]:
        upload = p.files.get(field)
        if upload is None:
            file_id = p.text(field)
            if not file_id or file_id not in self.files:
                raise bad_request(f"there is no {field} in the request")
            upload = self.files[file_id]
        file_id = f"file-{next(self._file_ids)}"
        self.files[file_id] = upload
        return {
            "file_id": file_id,
            "file_unique_id": f"u{file_id}",
            "file_size": len(upload.content),
            "file_name": upload.filename,
            "mime_type": upload.content_type,
        }

    async def api_senddocument(self, p: Params) -> dict[str, Any]:
        self._destination(p.required_integer("chat_id"))
        caption = self._formatted(p, "caption", CAPTION_LIMIT, "caption")
        return self._post(p, {"document": self._upload(p, "document"), **caption})

    async def api_sendphoto(self, p: Params) -> dict[str, Any]:
        self._destination(p.required_integer("chat_id"))
        caption = self._formatted(p, "caption", CAPTION_LIMIT, "caption")
        info = self._upload(p, "photo")
        width, height = _png_size(self.files[info["file_id"]].content)
        photo = {k: info[k] for k in ("file_id", "file_unique_id", "file_size")}
        return self._post(p, {"photo": [{**photo, "width": width, "height": height}], **caption})

    async def api_getfile(self, p: Params) -> dict[str, Any]:
        file_id = p.required_text("file_id")
        if file_id not in self.files:
            raise bad_request("invalid file_id")
        return {
            "file_id": file_id,
            "file_unique_id": f"u{file_id}",
            "file_size": len(self.files[file_id].content),
            "file_path": f"files/{file_id}",
        }

    async def api_sendpoll(self, p: Params) -> dict[str, Any]:
        self._destination(p.required_integer("chat_id"))
        question, question_entities = _parsed(
            p.required_text("question"), p.text("question_parse_mode")
        )
        if not 1 <= len(question) <= POLL_QUESTION_LIMIT:
            raise bad_request("POLL_QUESTION_INVALID")
        raw_options = p.json("options") or []
        options = [
            _parsed(str(o.get("text", "")), o.get("text_parse_mode"))[0]
            if isinstance(o, dict)
            else str(o)
            for o in raw_options
        ]
        if not 2 <= len(options) <= POLL_OPTIONS_MAX:
            raise bad_request(
                "POLL_OPTIONS_INVALID" if options else "poll must have at least 2 options"
            )
        if any(not 1 <= len(o) <= POLL_OPTION_LIMIT for o in options):
            raise bad_request("POLL_OPTION_INVALID")
        poll_id = str(5_000_000_000 + next(self._file_ids))
        poll: dict[str, Any] = {
            "id": poll_id,
            "question": question,
            "options": [
                {"text": o, "voter_count": 0, "persistent_id": f"{poll_id}-{i}"}
                for i, o in enumerate(options)
            ],
            "total_voter_count": 0,
            "is_closed": False,
            "is_anonymous": p.flag("is_anonymous", True),
            "type": p.text("type", "regular"),
            "allows_multiple_answers": p.flag("allows_multiple_answers"),
            "allows_revoting": p.flag("allows_revoting", True),
            "members_only": p.flag("members_only"),
        }
        if question_entities:
            poll["question_entities"] = question_entities
        if p.has("close_date"):
            poll["close_date"] = p.integer("close_date")
        if p.has("open_period"):
            poll["open_period"] = p.integer("open_period")
        message = self._post(p, {"poll": poll})
        self.polls[poll_id] = (message["chat"]["id"], message["message_id"])
        return message

    async def api_stoppoll(self, p: Params) -> dict[str, Any]:
        message = self._own_message(p)
        if "poll" not in message:
            raise bad_request("message with poll to stop not found")
        if message["poll"]["is_closed"]:
            raise bad_request("poll has already been closed")
        message["poll"]["is_closed"] = True
        markup = self._markup(p)
        if markup is not None:
            message["reply_markup"] = markup
        await self.push_update({"poll": message["poll"]})
        return dict(message["poll"])

    # --- changing sent messages -------------------------------------------------------------

    def _own_message(self, p: Params, missing: str = "message to edit not found") -> dict[str, Any]:
        chat_id = p.required_integer("chat_id")
        self._destination(chat_id)
        message = self.messages.get((chat_id, p.required_integer("message_id")))
        if message is None:
            raise bad_request(missing)
        if message["from"]["id"] != self.bot.id:
            raise bad_request("message can't be edited")
        return message

    async def api_editmessagetext(self, p: Params) -> dict[str, Any]:
        message = self._own_message(p)
        if "text" not in message:
            raise bad_request("there is no text in the message to edit")
        content = self._formatted(p, "text", TEXT_LIMIT, "text")
        markup = self._markup(p)
        if (
            content.get("text") == message.get("text")
            and content.get("entities") == message.get("entities")
            and markup == message.get("reply_markup")
        ):
            raise bad_request(NOT_MODIFIED)
        for key in ("text", "entities", "reply_markup"):
            message.pop(key, None)
        message.update(content)
        if markup is not None:
            message["reply_markup"] = markup
        message["edit_date"] = int(time.time())
        return self.store(message)

    async def api_editmessagecaption(self, p: Params) -> dict[str, Any]:
        message = self._own_message(p)
        content = self._formatted(p, "caption", CAPTION_LIMIT, "caption")
        markup = self._markup(p)
        for key in ("caption", "caption_entities", "reply_markup"):
            message.pop(key, None)
        message.update(content)
        if markup is not None:
            message["reply_markup"] = markup
        message["edit_date"] = int(time.time())
        return self.store(message)

    async def api_editmessagereplymarkup(self, p: Params) -> dict[str, Any]:
        message = self._own_message(p)
        markup = self._markup(p)
        if markup == message.get("reply_markup"):
            raise bad_request(NOT_MODIFIED)
        message.pop("reply_markup", None)
        if markup is not None:
            message["reply_markup"] = markup
        message["edit_date"] = int(time.time())
        return message

    async def api_deletemessage(self, p: Params) -> bool:
        chat_id = p.required_integer("chat_id")
        self._destination(chat_id)
        if self.messages.pop((chat_id, p.required_integer("message_id")), None) is None:
            raise bad_request("message to delete not found")
        return True

    async def api_pinchatmessage(self, p: Params) -> bool:
        self._own_message(p, "message to pin not found")
        return True

    async def api_unpinchatmessage(self, p: Params) -> bool:
        self._destination(p.required_integer("chat_id"))
        return True

    async def api_setmessagereaction(self, p: Params) -> bool:
        chat_id = p.required_integer("chat_id")
        self._destination(chat_id)
        key = (chat_id, p.required_integer("message_id"))
        if key not in self.messages:
            raise bad_request("message to react not found")
        reactions = p.json("reaction") or []
        self.reactions[key] = [str(r.get("emoji")) for r in reactions if isinstance(r, dict)]
        return True

    async def api_answercallbackquery(self, p: Params) -> bool:
        query_id = p.required_text("callback_query_id")
        if query_id not in self.callback_answers or self.callback_answers[query_id] is not None:
            raise bad_request(
                "query is too old and response timeout expired or query ID is invalid"
            )
        text = p.text("text") or ""
        if len(text) > CALLBACK_ANSWER_LIMIT:
            raise bad_request("MESSAGE_TOO_LONG")
        self.callback_answers[query_id] = {"text": text, "show_alert": p.flag("show_alert")}
        return True


def _language_code(p: Params) -> str:
    """A two-letter ISO 639-1 code, or "" for the users of any language without its own."""
    code = p.text("language_code") or ""
    if code and not (len(code) == 2 and code.isalpha() and code.islower()):
        raise bad_request("language_code must be a two-letter ISO 639-1 code")
    return code


def _set_text(texts: dict[str, str], language: str, text: str, limit: int) -> None:
    """Set (an empty text removes) the bot's description of one kind for one language."""
    if len(text) > limit:
        raise bad_request(f"the text must be at most {limit} characters")
    if text:
        texts[language] = text
    else:
        texts.pop(language, None)


def _chat_id(params: Params) -> int | None:
    try:
        return params.integer("chat_id")
    except ApiError:
        return None


def _parsed(source: str, parse_mode: object) -> tuple[str, list[dict[str, Any]]]:
    """Poll texts as Telegram reads them: HTML when a parse mode says so, else as they are."""
    if str(parse_mode or "").upper() != "HTML":
        return source, []
    try:
        return parse_html(source)
    except EntityParseError as exc:
        raise bad_request(f"can't parse entities: {exc}") from exc


def webhook_queue(update: dict[str, Any]) -> int:
    """Which of Telegram's webhook queues an update waits in: its chat's, else its sender's
    (a poll answer), else its own (a poll's new counts)."""
    for key, value in update.items():
        if key == "update_id" or not isinstance(value, dict):
            continue
        message = value.get("message") if key == "callback_query" else value
        chat = message.get("chat") if isinstance(message, dict) else None
        if isinstance(chat, dict) and isinstance(chat.get("id"), int):
            return int(chat["id"])
        person = value.get("from") or value.get("user")
        if isinstance(person, dict) and isinstance(person.get("id"), int):
            return int(person["id"])
    return -(2**62) - int(update["update_id"])


def _check_app_url(url: str) -> None:
    """A Mini App's address: HTTPS (plain http only on this machine, for the console's board
    and tests; Telegram itself takes none)."""
    if not (url.startswith("https://") or (url.startswith("http://") and _on_loopback(url))):
        raise bad_request("BUTTON_URL_INVALID")


def _on_loopback(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _png_size(content: bytes) -> tuple[int, int]:
    if content[:8] == b"\x89PNG\r\n\x1a\n" and len(content) >= 24:
        return int.from_bytes(content[16:20], "big"), int.from_bytes(content[20:24], "big")
    return 1, 1
