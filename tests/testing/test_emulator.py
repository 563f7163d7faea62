"""The emulator speaks the Bot API: python-telegram-bot's own Bot, over HTTP, sees Telegram."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest, ChatMigrated, Forbidden, InvalidToken
from telegram.request import HTTPXRequest

from bot.testing import BotApiEmulator


@pytest.fixture
async def ptb(tg: BotApiEmulator, api_url: str) -> AsyncIterator[Bot]:
    bot = Bot(
        tg.token,
        base_url=f"{api_url}/bot",
        base_file_url=f"{api_url}/file/bot",
        request=HTTPXRequest(),
        get_updates_request=HTTPXRequest(),
    )
    async with bot:
        yield bot


async def test_get_me_and_a_wrong_token(tg: BotApiEmulator, api_url: str, ptb: Bot) -> None:
    assert ptb.username == tg.bot.username
    with pytest.raises(InvalidToken):
        async with Bot("1:wrong", base_url=f"{api_url}/bot") as bad:
            await bad.get_me()


async def test_messages_and_their_limits(tg: BotApiEmulator, ptb: Bot) -> None:
    alice = tg.user("Alice")
    village = tg.group("Lejasciems", admins=[alice])
    village.members[tg.bot.id] = "member"
    sent = await ptb.send_message(village.id, "<b>Sveiki</b> &amp; labdien", parse_mode="HTML")
    assert sent.text == "Sveiki & labdien"
    assert sent.entities[0].type == "bold"
    assert tg.html_of(tg.bot_messages(village)[0]) == "<b>Sveiki</b> &amp; labdien"
    with pytest.raises(BadRequest, match=r"(?i)too long"):
        await ptb.send_message(village.id, "x" * 4097)
    await ptb.send_message(village.id, "ā" * 4096)
    with pytest.raises(BadRequest, match=r"(?i)can't parse entities"):
        await ptb.send_message(village.id, "<b>Sveiki", parse_mode="HTML")
    with pytest.raises(BadRequest, match=r"(?i)empty"):
        await ptb.send_message(village.id, "<b> </b>", parse_mode="HTML")
    too_long = InlineKeyboardMarkup([[InlineKeyboardButton("x", callback_data="d" * 65)]])
    with pytest.raises(BadRequest, match=r"(?i)BUTTON_DATA_INVALID"):
        await ptb.send_message(village.id, "hi", reply_markup=too_long)


async def test_who_the_bot_may_write_to(tg: BotApiEmulator, ptb: Bot) -> None:
    alice = tg.user("Alice")
    village = tg.group("Lejasciems", admins=[alice])
    with pytest.raises(Forbidden, match=r"(?i)not a member"):
        await ptb.send_message(village.id, "hi")
    with pytest.raises(Forbidden, match=r"(?i)initiate conversation"):
        await ptb.send_message(alice.id, "hi")
    await tg.private(alice, "/start")
    await ptb.send_message(alice.id, "hi")
    alice.blocked = True
    with pytest.raises(Forbidden, match=r"(?i)blocked"):
        await ptb.send_message(alice.id, "hi")
    with pytest.raises(BadRequest, match=r"(?i)chat not found"):
        await ptb.send_message(-42, "hi")
    village.members[tg.bot.id] = "member"
    new = await tg.migrate(village)
    with pytest.raises(ChatMigrated) as migrated:
        await ptb.send_message(village.id, "hi")
    assert migrated.value.new_chat_id == new.id


async def test_edits_and_callback_answers(tg: BotApiEmulator, ptb: Bot) -> None:
    alice = tg.user("Alice")
    await tg.private(alice, "/start")
    button = InlineKeyboardMarkup([[InlineKeyboardButton("Go", callback_data="go")]])
    sent = await ptb.send_message(alice.id, "one", reply_markup=button)
    await ptb.edit_message_text("two", chat_id=alice.id, message_id=sent.message_id)
    with pytest.raises(BadRequest, match=r"(?i)not modified"):
        await ptb.edit_message_text("two", chat_id=alice.id, message_id=sent.message_id)
    with pytest.raises(BadRequest, match=r"(?i)not found"):
        await ptb.edit_message_text("x", chat_id=alice.id, message_id=999)
    query_id = await tg.press_data(tg.bot_messages(alice)[0], "go", alice)
    assert await ptb.answer_callback_query(query_id, "ok")
    with pytest.raises(BadRequest, match=r"(?i)query is too old"):
        await ptb.answer_callback_query(query_id, "again")


async def test_long_polling_delivers_and_confirms(tg: BotApiEmulator, ptb: Bot) -> None:
    import asyncio

    alice = tg.user("Alice")
    waiting = asyncio.create_task(ptb.get_updates(timeout=5))
    await asyncio.sleep(0.05)
    await tg.private(alice, "/help")
    updates = await asyncio.wait_for(waiting, 2)
    assert [u.message.text for u in updates if u.message] == ["/help"]
    assert isinstance(updates[0], Update)
    assert updates[0].message.entities[0].type == "bot_command"
    assert await ptb.get_updates(offset=updates[-1].update_id + 1, timeout=0) == ()
    assert tg.pending_updates == 0


async def test_files_and_polls(tg: BotApiEmulator, ptb: Bot) -> None:
    alice = tg.user("Alice")
    await tg.private(alice, "/start")
    document = await ptb.send_document(alice.id, b"a,b\n1,2\n", filename="data.csv")
    assert document.document is not None
    assert document.document.file_name == "data.csv"
    assert tg.files[document.document.file_id].content == b"a,b\n1,2\n"
    village = tg.group("Lejasciems", admins=[alice])
    village.members[tg.bot.id] = "member"
    poll = await ptb.send_poll(village.id, "Which day?", ["Mon", "Tue"], is_anonymous=False)
    assert poll.poll is not None
    assert [o.text for o in poll.poll.options] == ["Mon", "Tue"]
    with pytest.raises(BadRequest):
        await ptb.send_poll(village.id, "Only one?", ["Yes"])
    stopped = await ptb.stop_poll(village.id, poll.message_id)
    assert stopped.is_closed
