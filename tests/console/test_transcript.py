"""The console's transcript: buttons keep their numbers across edits, files are saved."""

from __future__ import annotations

import json
from pathlib import Path

from bot.console import Transcript
from bot.testing import BotApiEmulator, Params
from bot.testing.params import Upload

# The smallest PNG header the emulator reads a size from: 3 x 2 pixels.
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + (3).to_bytes(4, "big") + (2).to_bytes(4, "big")


def _keyboard(*labels: str) -> str:
    return json.dumps(
        {"inline_keyboard": [[{"text": label, "callback_data": f"x:{label}"} for label in labels]]}
    )


async def test_buttons_keep_their_numbers_and_files_are_saved(
    tg: BotApiEmulator, tmp_path: Path
) -> None:
    anna = tg.user("Anna")
    village = tg.group("Lejasciems", members=[anna])
    village.members[tg.bot.id] = "member"
    transcript = Transcript(tg, tmp_path / "files")

    card = await tg.call(
        "sendMessage",
        Params(
            {
                "chat_id": village.id,
                "text": "Idea #1\nA playground",
                "reply_markup": _keyboard("Support (0)", "Share"),
            }
        ),
    )
    assert transcript.new_lines() == [
        "── Lejasciems · Village bot",
        "Idea #1",
        "A playground",
        "  [1] Support (0)   [2] Share",
    ]
    await tg.call(
        "editMessageText",
        Params(
            {
                "chat_id": village.id,
                "message_id": card["message_id"],
                "text": "Idea #1\nA playground",
                "reply_markup": _keyboard("Support (1)", "Share"),
            }
        ),
    )
    await tg.call(
        "sendMessage",
        Params(
            {
                "chat_id": village.id,
                "text": "<b>Vote</b>",
                "parse_mode": "HTML",
                "reply_markup": _keyboard("Yes"),
            }
        ),
    )
    assert transcript.new_lines() == [
        "── Lejasciems · Village bot (edited)",
        "Idea #1",
        "A playground",
        "  [1] Support (1)   [2] Share",
        "── Lejasciems · Village bot",
        "Vote",
        "  [3] Yes",
    ]
    found = transcript.button(1)
    assert found is not None
    assert found[1]["text"] == "Support (1)"
    assert transcript.button(4) is None

    await tg.call(
        "sendPhoto",
        Params(
            {"chat_id": village.id, "caption": "Participation"},
            {"photo": Upload("chart.png", PNG, "image/png")},
        ),
    )
    await tg.call(
        "sendDocument",
        Params(
            {"chat_id": village.id},
            {"document": Upload("plan 2027.docx", b"PK..", "application/zip")},
        ),
    )
    lines = transcript.new_lines()
    picture, document = (
        tmp_path / "files" / "001-picture.png",
        tmp_path / "files" / "002-plan_2027.docx",
    )
    assert lines == [
        "── Lejasciems · Village bot",
        f"[picture saved to {picture}]",
        "Participation",
        "── Lejasciems · Village bot",
        f"[file saved to {document}]",
    ]
    assert picture.read_bytes() == PNG
    assert document.read_bytes() == b"PK.."


async def test_answers_to_presses_and_private_chats(tg: BotApiEmulator, tmp_path: Path) -> None:
    anna = tg.user("Anna")
    await tg.private(anna, "/start")
    transcript = Transcript(tg, tmp_path)
    tg.callback_answers["q1"] = None
    await tg.call(
        "answerCallbackQuery",
        Params({"callback_query_id": "q1", "text": "Only the working group", "show_alert": True}),
    )
    await tg.call("sendMessage", Params({"chat_id": anna.id, "text": "Hello"}))
    assert transcript.new_lines() == [
        "  (alert) Only the working group",
        "── private chat with Anna · Village bot",
        "Hello",
    ]
