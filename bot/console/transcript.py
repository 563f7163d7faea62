"""What the console prints: the bot's calls to the emulator as a chat transcript.

Every message shown, the bot's and the people's, gets a number (`── 5 · Demo village · Anna`)
that `/reply 5 …` and `/vote 5 …` use. Each button gets a number too (`[1] Support (3)`), for
`/press 1`. Both are given the first time something is shown and kept while it lives, so an
edited card keeps its numbers. Pictures and files the bot sends are saved to a folder.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.console.files import FileShelf
from bot.terminal import _
from bot.testing import ApiCall, BotApiEmulator

SENT = frozenset({"sendMessage", "sendPhoto", "sendDocument", "sendPoll"})
EDITED = frozenset({"editMessageText", "editMessageCaption", "editMessageReplyMarkup"})
Key = tuple[int, int]  # (chat id, message id)


@dataclass(frozen=True)
class ButtonRef:
    """Where a numbered button lives: its message and its place in the keyboard."""

    chat_id: int
    message_id: int
    index: int


class Transcript:
    """Turns the bot's successful calls into lines, numbering messages and buttons and saving
    files."""

    def __init__(self, tg: BotApiEmulator, files_dir: Path) -> None:
        self.tg = tg
        self.shelf = FileShelf(files_dir)
        self.cursor = 0
        self.buttons: dict[int, ButtonRef] = {}
        self._button_numbers: dict[ButtonRef, int] = {}
        self.listed: dict[int, Key] = {}
        self._message_numbers: dict[Key, int] = {}

    def new_lines(self) -> list[str]:
        """Lines for every call made since the last time this was asked."""
        calls = self.tg.calls[self.cursor :]
        self.cursor += len(calls)
        lines: list[str] = []
        for call in calls:
            if call.ok:
                lines.extend(self.lines_for(call))
        return lines

    def lines_for(self, call: ApiCall) -> list[str]:
        if call.method in SENT:
            return self._message(call.result)
        if call.method in EDITED and isinstance(call.result, dict):
            return self._message(call.result, note=_("edited"))
        if call.method == "stopPoll":
            key = (_int(call.params.get("chat_id")), _int(call.params.get("message_id")))
            message = self.tg.messages.get(key)
            if message is None:
                return []
            return self._message({**message, "poll": call.result}, note=_("poll closed"))
        if call.method == "answerCallbackQuery" and call.params.get("text"):
            alert = str(call.params.get("show_alert")).lower() in ("true", "1")
            kind = _("alert") if alert else _("notice")
            return [f"  ({kind}) {call.params['text']}"]
        if call.method == "deleteMessage":
            chat_id = _int(call.params.get("chat_id"))
            number = self._message_numbers.get((chat_id, _int(call.params.get("message_id"))))
            chat = self.chat_name(chat_id)
            if number is None:
                return [_("── {chat}: the bot deleted a message", chat=chat)]
            return [_("── {chat}: the bot deleted message {number}", chat=chat, number=number)]
        return []

    def chat_name(self, chat_id: int) -> str:
        chat = self.tg.chats.get(chat_id)
        if chat is not None:
            return chat.title
        user = self.tg.users.get(chat_id)
        if user is None:
            return str(chat_id)
        return _("private chat with {name}", name=user.first_name)

    # --- numbered messages ------------------------------------------------------------------

    def number(self, message: dict[str, Any]) -> int:
        """The message's number, given now if it has none yet."""
        key = (message["chat"]["id"], message["message_id"])
        number = self._message_numbers.get(key)
        if number is None:
            number = self._message_numbers[key] = len(self._message_numbers) + 1
            self.listed[number] = key
        return number

    def message(self, number: int) -> dict[str, Any] | None:
        """The numbered message as it is now (None once deleted)."""
        key = self.listed.get(number)
        return self.tg.messages.get(key) if key is not None else None

    def header(self, message: dict[str, Any], note: str = "") -> str:
        sender = message["from"]["first_name"]
        reply = message.get("reply_to_message")
        if note == "" and reply is not None and message["from"]["id"] != self.tg.bot.id:
            replied = self._message_numbers.get((reply["chat"]["id"], reply["message_id"]))
            note = _("reply to {number}", number=replied) if replied is not None else _("a reply")
        line = f"── {self.number(message)} · {self.chat_name(message['chat']['id'])} · {sender}"
        return f"{line} ({note})" if note else line

    def person_wrote(self, message: dict[str, Any]) -> list[str]:
        """A person's message, typed at the prompt just above: its number is what is new."""
        return [self.header(message)]

    def poll_voted(self, message: dict[str, Any], chosen: Collection[int]) -> list[str]:
        """The poll as the voter sees it after voting (Telegram sends the bot no message)."""
        note = _("your vote") if chosen else _("your vote retracted")
        return [self.header(message, note), *self._poll(message, chosen)]

    def _message(self, message: dict[str, Any], note: str = "") -> list[str]:
        chat_id = message["chat"]["id"]
        lines = [self.header(message, note)]
        if "photo" in message:
            saved = self._save(message["photo"][-1], "picture.png")
            lines.append(_("[picture saved to {path}]", path=saved))
        if "document" in message:
            document = message["document"]
            name = document.get("file_name") or "file"
            lines.append(_("[file saved to {path}]", path=self._save(document, name)))
        if "poll" in message:
            lines.extend(self._poll(message))
        body = message.get("text") or message.get("caption")
        if body:
            lines.extend(body.splitlines() or [""])
        lines.extend(self._buttons(chat_id, message))
        return lines

    def _poll(self, message: dict[str, Any], chosen: Collection[int] = ()) -> list[str]:
        """A poll with its options numbered for /vote, their counts, and the mark ✓ on the
        options the voter chose."""
        poll = message["poll"]
        lines = [f"📊 {poll['question']}"]
        for index, option in enumerate(poll["options"]):
            mark = " ✓" if index in chosen else ""
            lines.append(f"  {index + 1}. {option['text']} — {option['voter_count']}{mark}")
        if poll["is_closed"]:
            lines.append("  " + _("(closed)"))
            return lines
        number = self.number(message)
        several = poll["allows_multiple_answers"]
        if poll["is_anonymous"]:
            line = (
                _("(anonymous, several answers: /vote {number} 1 2 …)", number=number)
                if several
                else _("(anonymous, one answer: /vote {number} N)", number=number)
            )
        else:
            line = (
                _("(public, several answers: /vote {number} 1 2 …)", number=number)
                if several
                else _("(public, one answer: /vote {number} N)", number=number)
            )
        lines.append("  " + line)
        return lines

    # --- numbered buttons -------------------------------------------------------------------

    def _buttons(self, chat_id: int, message: dict[str, Any]) -> list[str]:
        rows = (message.get("reply_markup") or {}).get("inline_keyboard", [])
        index = 0
        lines = []
        for row in rows:
            labels = []
            for button in row:
                ref = ButtonRef(chat_id, message["message_id"], index)
                number = self._button_numbers.get(ref)
                if number is None:
                    number = self._button_numbers[ref] = len(self._button_numbers) + 1
                    self.buttons[number] = ref
                link = " ↗" if "url" in button or "web_app" in button else ""
                labels.append(f"[{number}] {button['text']}{link}")
                index += 1
            lines.append("  " + "   ".join(labels))
        return lines

    def button(self, number: int) -> tuple[dict[str, Any], dict[str, Any]] | None:
        """The message and button as they are now (the message may have been edited)."""
        ref = self.buttons.get(number)
        if ref is None:
            return None
        message = self.tg.messages.get((ref.chat_id, ref.message_id))
        if message is None:
            return None
        markup = message.get("reply_markup") or {}
        flat = [button for row in markup.get("inline_keyboard", []) for button in row]
        return (message, flat[ref.index]) if ref.index < len(flat) else None

    def _save(self, file: dict[str, Any], name: str) -> Path:
        upload = self.tg.files.get(file["file_id"])
        return self.shelf.save(name, upload.content if upload is not None else b"")


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0
