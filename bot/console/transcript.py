"""What the console prints: the bot's calls to the emulator as a chat transcript.

Each button gets a number the first time it is shown and keeps it while its message lives
(an edited card keeps `[1] Support (3)` as `[1] Support (4)`), so `/press 1` always means the
button the person saw. Pictures and files the bot sends are saved to a folder.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.testing import ApiCall, BotApiEmulator

SENT = frozenset({"sendMessage", "sendPhoto", "sendDocument", "sendPoll"})
EDITED = frozenset({"editMessageText", "editMessageCaption", "editMessageReplyMarkup"})
_UNSAFE = re.compile(r"[^\w.\-]+")


@dataclass(frozen=True)
class ButtonRef:
    """Where a numbered button lives: its message and its place in the keyboard."""

    chat_id: int
    message_id: int
    index: int


class Transcript:
    """Turns the bot's successful calls into lines, numbering buttons and saving files."""

    def __init__(self, tg: BotApiEmulator, files_dir: Path) -> None:
        self.tg = tg
        self.files_dir = files_dir
        self.cursor = 0
        self.buttons: dict[int, ButtonRef] = {}
        self._numbers: dict[ButtonRef, int] = {}
        self._saved = 0

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
            return self._message(call.result, edited=False)
        if call.method in EDITED and isinstance(call.result, dict):
            return self._message(call.result, edited=True)
        if call.method == "answerCallbackQuery" and call.params.get("text"):
            alert = str(call.params.get("show_alert")).lower() in ("true", "1")
            return [f"  ({'alert' if alert else 'notice'}) {call.params['text']}"]
        if call.method == "deleteMessage":
            chat = self.chat_name(_int(call.params.get("chat_id")))
            return [f"── {chat}: the bot deleted a message"]
        return []

    def chat_name(self, chat_id: int) -> str:
        chat = self.tg.chats.get(chat_id)
        if chat is not None:
            return chat.title
        user = self.tg.users.get(chat_id)
        return f"private chat with {user.first_name}" if user is not None else str(chat_id)

    def _message(self, message: dict[str, Any], *, edited: bool) -> list[str]:
        chat_id = message["chat"]["id"]
        header = f"── {self.chat_name(chat_id)} · {self.tg.bot.first_name}"
        lines = [header + (" (edited)" if edited else "")]
        if "photo" in message:
            lines.append(f"[picture saved to {self._save(message['photo'][-1], 'picture.png')}]")
        if "document" in message:
            document = message["document"]
            name = document.get("file_name") or "file"
            lines.append(f"[file saved to {self._save(document, name)}]")
        if "poll" in message:
            poll = message["poll"]
            lines.append(f"📊 {poll['question']}")
            lines.extend(f"  ○ {option['text']}" for option in poll["options"])
        body = message.get("text") or message.get("caption")
        if body:
            lines.extend(body.splitlines() or [""])
        lines.extend(self._buttons(chat_id, message))
        return lines

    def _buttons(self, chat_id: int, message: dict[str, Any]) -> list[str]:
        rows = (message.get("reply_markup") or {}).get("inline_keyboard", [])
        index = 0
        lines = []
        for row in rows:
            labels = []
            for button in row:
                ref = ButtonRef(chat_id, message["message_id"], index)
                number = self._numbers.get(ref)
                if number is None:
                    number = self._numbers[ref] = len(self._numbers) + 1
                    self.buttons[number] = ref
                link = " ↗" if "url" in button else ""
                labels.append(f"[{number}] {button['text']}{link}")
                index += 1
            lines.append("  " + "   ".join(labels))
        return lines

    def _save(self, file: dict[str, Any], name: str) -> Path:
        upload = self.tg.files.get(file["file_id"])
        self.files_dir.mkdir(parents=True, exist_ok=True)
        self._saved += 1
        path = self.files_dir / f"{self._saved:03d}-{_UNSAFE.sub('_', name) or 'file'}"
        path.write_bytes(upload.content if upload is not None else b"")
        return path

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


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0
