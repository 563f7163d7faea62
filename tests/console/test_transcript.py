"""The console's transcript: messages and buttons keep their numbers across edits, polls show
numbered options, files are saved."""

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
        "── 1 · Lejasciems · Village bot",
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
        "── 1 · Lejasciems · Village bot (edited)",
        "Idea #1",
        "A playground",
        "  [1] Support (1)   [2] Share",
        "── 2 · Lejasciems · Village bot",
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
        "── 3 · Lejasciems · Village bot",
        f"[picture saved to {picture}]",
        "Participation",
        "── 4 · Lejasciems · Village bot",
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
        "── 1 · private chat with Anna · Village bot",
        "Hello",
    ]


async def test_people_messages_are_numbered_and_polls_list_their_options(
    tg: BotApiEmulator, tmp_path: Path
) -> None:
    anna = tg.user("Anna")
    janis = tg.user("Jānis")
    village = tg.group("Lejasciems", admins=[anna], members=[janis])
    village.members[tg.bot.id] = "member"
    transcript = Transcript(tg, tmp_path)

    hello = await tg.send(village, janis, "Hello")
    assert transcript.person_wrote(hello) == ["── 1 · Lejasciems · Jānis"]
    poll = await tg.call(
        "sendPoll",
        Params(
            {
                "chat_id": village.id,
                "question": "Where should the bench go?",
                "options": json.dumps(["By the shop", "By the lake", "By the school"]),
                "is_anonymous": False,
                "allows_multiple_answers": True,
            }
        ),
    )
    assert transcript.new_lines() == [
        "── 2 · Lejasciems · Village bot",
        "📊 Where should the bench go?",
        "  1. By the shop — 0",
        "  2. By the lake — 0",
        "  3. By the school — 0",
        "  (public, several answers: /vote 2 1 2 …)",
    ]
    answer = await tg.send(village, anna, "/promote", reply_to=hello)
    assert transcript.person_wrote(answer) == ["── 3 · Lejasciems · Anna (reply to 1)"]
    assert transcript.message(1) == tg.messages[(village.id, hello["message_id"])]
    assert transcript.message(2) == tg.messages[(village.id, poll["message_id"])]
    assert transcript.message(4) is None

    await tg.vote(poll, anna, [0, 2])
    current = transcript.message(2)
    assert current is not None
    assert transcript.poll_voted(current, [0, 2])[:5] == [
        "── 2 · Lejasciems · Village bot (your vote)",
        "📊 Where should the bench go?",
        "  1. By the shop — 1 ✓",
        "  2. By the lake — 0",
        "  3. By the school — 1 ✓",
    ]
    await tg.call("stopPoll", Params({"chat_id": village.id, "message_id": poll["message_id"]}))
    assert transcript.new_lines()[-2:] == ["  3. By the school — 1", "  (closed)"]
    assert transcript.new_lines() == []
    await tg.call(
        "deleteMessage", Params({"chat_id": village.id, "message_id": poll["message_id"]})
    )
    assert transcript.new_lines() == ["── Lejasciems: the bot deleted message 2"]
    assert transcript.message(2) is None
