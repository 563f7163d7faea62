"""Bad input, forged buttons, redelivered updates and failures: a clear reply, or safely ignored,
and the bot keeps running."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import func, select
from telegram import Update

from bot.db import Database
from bot.models import AuditEntry
from bot.runtime import BotApplication
from bot.testing import BotApiEmulator
from tests.conftest import Village


async def _still_running(tg: BotApiEmulator, village: Village) -> None:
    reply = await tg.ask(village.chat, village.resident, "/help")
    assert "Komandas" in reply["text"]


async def test_unknown_commands(tg: BotApiEmulator, village: Village) -> None:
    person = village.resident
    reply = await tg.ask(person, person, "/frobnicate now")
    # The first private answer ends with how to change the language.
    assert (
        reply["text"]
        == "Šādu komandu nezinu. Skatiet /help.\n\n🌐 Valoda: Latviešu. Mainīt: /language"
    )
    addressed = await tg.ask(village.chat, person, f"/frobnicate@{tg.bot.username}")
    assert addressed["text"] == "Šādu komandu nezinu. Skatiet /help."
    # Another bot's command in the group is not ours to answer.
    cursor = tg.mark()
    await tg.send(village.chat, person, "/weather")
    await tg.send(village.chat, person, "/roll@dicebot")
    await tg.settle()
    assert not [c for c in tg.calls[cursor:] if c.method == "sendMessage"]
    await _still_running(tg, village)


async def test_a_five_thousand_character_argument(tg: BotApiEmulator, village: Village) -> None:
    reply = await tg.ask(village.chat, village.resident, "/help " + "ā" * 5000)
    assert "Komandas" in reply["text"]
    refused = await tg.ask(village.chat, village.resident, "/promote " + "x" * 5000)
    assert refused["text"].startswith("Atvainojiet")
    await _still_running(tg, village)


async def test_html_in_names_is_shown_literally(
    tg: BotApiEmulator, village: Village, database: Database
) -> None:
    tricky = tg.user("<b>Bob</b> & <i>Co", last_name="</a>&amp;")
    await tg.join(village.chat, tricky)
    said = await tg.send(village.chat, tricky, "Sveiki")
    reply = await tg.ask(village.chat, village.admin, "/promote", reply_to=said)
    assert reply["text"] == "<b>Bob</b> & <i>Co </a>&amp; tagad ir darba grupā. 🎉"
    assert not [e for e in reply.get("entities", []) if e["type"] == "bold"]
    async with database.transaction() as session:
        assert await session.scalar(select(func.count()).select_from(AuditEntry)) == 1


@pytest.mark.parametrize(
    "data",
    ["lang1:g:de", "lang1:x:lv", "lang9:g:lv", "village1:999", "nonsense", "x" * 64, "lang1"],
)
async def test_forged_or_stale_buttons(tg: BotApiEmulator, village: Village, data: str) -> None:
    menu = await tg.ask(village.chat, village.admin, "/language")
    query = await tg.press_data(menu, data, village.admin)
    answer = await tg.answer_of(query)
    assert answer["show_alert"]
    assert answer["text"] in {
        "Šī poga vairs nedarbojas.",
        "Nezināma valoda.",
        "Tas darbojas privātā sarunā ar mani.",
        "Jūs neesat šīs ciema grupas dalībnieks.",
    }
    assert tg.bot_messages(village.chat)[-1]["text"] == menu["text"]  # nothing was edited
    await _still_running(tg, village)


async def test_a_redelivered_update_changes_nothing_twice(
    tg: BotApiEmulator, village: Village, bot: BotApplication, database: Database
) -> None:
    said = await tg.send(village.chat, village.resident, "Es palīdzēšu")
    await tg.ask(village.chat, village.admin, "/promote", reply_to=said)
    said2 = await tg.send(village.chat, village.resident, "Vēlreiz")
    await tg.ask(village.chat, village.admin, "/demote", reply_to=said2)
    promote = next(u for u in tg.history if u.get("message", {}).get("text") == "/promote")
    cursor = tg.mark()
    # Telegram redelivers the update after a crash: the same update id arrives again.
    await bot.process_update(Update.de_json(promote, bot.bot))
    await tg.settle(quiet=0.1)
    assert tg.calls[cursor:] == []
    async with database.transaction() as session:
        actions = [e.action for e in await session.scalars(select(AuditEntry))]
    assert actions == ["promote", "demote"]


async def test_a_failing_handler_says_sorry_and_the_bot_goes_on(
    tg: BotApiEmulator,
    village: Village,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    import handlers.common

    async def broken(*_args: object) -> str:
        raise RuntimeError("a bug")

    monkeypatch.setattr(handlers.common, "render_help", broken)
    person = tg.user("Zenta", last_name="Kalniņa", username="zenta_k")
    await tg.join(village.chat, person)
    reply = await tg.ask(village.chat, person, "/help mans tālrunis 29123456")
    assert reply["text"] == "Atvainojiet, kaut kas nogāja greizi. Lūdzu, mēģiniet vēlāk vēlreiz."
    monkeypatch.undo()
    await _still_running(tg, village)
    # The log says which update failed, not who wrote what: names and texts are personal data.
    [failure] = [r for r in caplog.records if r.levelno >= logging.ERROR]
    texts = [(u["update_id"], u.get("message", {}).get("text", "")) for u in tg.history]
    update_id = next(n for n, text in texts if text.startswith("/help mans"))
    assert failure.getMessage() == (
        f"help_command failed on update {update_id} (message, chat {village.chat.id})"
    )
    logged = caplog.text + "".join(logging.Formatter().format(r) for r in caplog.records)
    for personal in ("Zenta", "Kalniņa", "zenta_k", "29123456", str(person.id)):
        assert personal not in logged


async def test_an_error_outside_the_handlers_logs_no_personal_data(
    tg: BotApiEmulator, village: Village, bot: BotApplication, caplog: pytest.LogCaptureFixture
) -> None:
    from telegram.ext import TypeHandler

    async def broken(_update: object, _context: object) -> None:
        raise RuntimeError("a bug outside the decorator")

    outside = TypeHandler(Update, broken)
    bot.add_handler(outside, group=-1)
    try:
        person = tg.user("Zenta", username="zenta_k")
        await tg.join(village.chat, person)
        sorry = await tg.ask(village.chat, person, "/help mans tālrunis 29123456")
    finally:
        bot.remove_handler(outside, group=-1)
    assert sorry["text"].startswith("Atvainojiet")
    failures = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert failures
    assert all(r.getMessage().startswith("unhandled error on update ") for r in failures)
    logged = "".join(logging.Formatter().format(r) for r in caplog.records)
    for personal in ("Zenta", "zenta_k", "29123456"):
        assert personal not in logged


async def test_a_press_with_a_number_no_database_holds(
    tg: BotApiEmulator, village: Village, caplog: pytest.LogCaptureFixture
) -> None:
    card = await tg.ask(village.chat, village.resident, "/idea Soliņi parkā")
    for number in ("9999999999999999999", "9223372036854775808", "2147483648", "-2147483649"):
        # An old message's press reaches the decoder: its keyboard cannot be compared.
        for inaccessible in (False, True):
            query = await tg.press_data(
                card, f"sup1:{number}", village.resident, inaccessible=inaccessible
            )
            answer = await tg.answer_of(query)
            assert (answer["text"], answer["show_alert"]) == ("Šī poga vairs nedarbojas.", True)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    await _still_running(tg, village)


@pytest.mark.parametrize("number", ["99999999999999999999", "²", "1234567890"])
async def test_a_typed_number_no_database_holds(
    tg: BotApiEmulator, village: Village, caplog: pytest.LogCaptureFixture, number: str
) -> None:
    """Numbers residents type (a round, an idea, a deep link's village) are read only when they
    fit the database; otherwise the command explains itself like any other wrong word."""
    person = village.resident
    board = await tg.ask(village.chat, person, f"/swot {number}")
    assert board["text"].startswith("Rakstiet /swot")
    idea = await tg.ask(village.chat, person, f"/idea {number}")
    assert "Atvainojiet" not in idea["text"]
    joined = await tg.ask(person, person, f"/start join_{number}")
    assert joined["text"]
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    await _still_running(tg, village)


async def test_a_refused_send_is_logged_and_the_bot_goes_on(
    tg: BotApiEmulator, village: Village, caplog: pytest.LogCaptureFixture
) -> None:
    from bot.testing import ApiError

    def refuse_group(method: str, params: object) -> ApiError | None:
        chat = getattr(params, "raw", {}).get("chat_id")
        if method == "sendMessage" and str(chat) == str(village.chat.id):
            return ApiError(400, "Bad Request: not enough rights to send text messages to the chat")
        return None

    tg.faults.append(refuse_group)
    await tg.send(village.chat, village.resident, "/help")
    await tg.settle()
    assert "not enough rights" in caplog.text.lower()
    tg.faults.clear()
    await _still_running(tg, village)


async def test_flood_control_is_waited_out(tg: BotApiEmulator, village: Village) -> None:
    from bot.testing import ApiError, Params

    floods = iter([ApiError(429, "Too Many Requests: retry after 1", {"retry_after": 1})])

    def flood(method: str, _params: Params) -> ApiError | None:
        return next(floods, None) if method == "sendMessage" else None

    tg.faults.append(flood)
    cursor = tg.mark()
    reply = await tg.ask(village.chat, village.resident, "/help")
    assert "Komandas" in reply["text"]
    sends = [c.ok for c in tg.calls[cursor:] if c.method == "sendMessage"]
    assert sends == [False, True]
