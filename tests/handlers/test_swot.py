"""The SWOT analysis through Telegram: adding, the board and its picture, rating in private,
the guided flow, and the working group's merge, move, hide and new round."""

from __future__ import annotations

import asyncio
import re
from datetime import timedelta
from typing import Any

import time_machine
from sqlalchemy import func, select

from bot.db import Database
from bot.keyboards import encode
from bot.keyboards.swot import SwotRate, SwotRoundStart
from bot.models import (
    AuditEntry,
    Community,
    SwotConfirmedInput,
    SwotItem,
    SwotRound,
    SwotVote,
    utcnow,
)
from bot.services.swot_confirmations import BATCH_SECONDS, BATCH_SIZE
from bot.testing import BotApiEmulator, FakeUser, Params, buttons, running_bot, settings_for
from tests.conftest import Village, new_village

PNG = b"\x89PNG\r\n\x1a\n"


async def _add(tg: BotApiEmulator, village: Village, person: FakeUser, command: str) -> None:
    cursor = tg.mark()
    await tg.send(village.chat, person, command)
    await tg.wait_for(lambda c: c.method in ("sendMessage", "editMessageText"), after=cursor)


async def _count(database: Database, model: Any) -> int:
    async with database.transaction() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def test_inputs_in_the_group_are_confirmed_by_one_growing_message(
    tg: BotApiEmulator, village: Village, database: Database
) -> None:
    before = len(tg.bot_messages(village.chat))
    cursor = tg.mark()
    command = await tg.send(village.chat, village.resident, "/strength Kaimiņi palīdz cits citam")
    first = await tg.next_message(village.chat, after=cursor)
    assert first["text"] == "✅ Pievienots SVID analīzei: S1 (Jānis). Tabula: /swot"
    assert first["reply_to_message"]["message_id"] == command["message_id"]
    await _add(tg, village, village.admin, "/weakness Vakarā nav autobusa uz pilsētu")
    await _add(tg, village, village.resident, "/threat@villagebot_test Jaunās ģimenes pārceļas")
    await tg.settle()
    messages = tg.bot_messages(village.chat)
    assert len(messages) == before + 1
    assert messages[-1]["text"] == (
        "✅ Pievienots SVID analīzei: S1 (Jānis), W1 (Anna Ozola), T1 (Jānis). Tabula: /swot"
    )
    # Once the burst is over (ten minutes later), the next input gets a message of its own.
    with time_machine.travel(utcnow() + timedelta(seconds=BATCH_SECONDS + 1), tick=True):
        later = await tg.ask(village.chat, village.admin, "/opportunity ES finansējums ciemam")
        assert later["text"] == "✅ Pievienots SVID analīzei: O1 (Anna Ozola). Tabula: /swot"
        await tg.settle()
    assert len(tg.bot_messages(village.chat)) == before + 2
    assert await _count(database, SwotItem) == 4


async def test_eleven_inputs_take_a_second_message(tg: BotApiEmulator, village: Village) -> None:
    before = len(tg.bot_messages(village.chat))
    cursor = tg.mark()
    for n in range(1, BATCH_SIZE + 2):
        await tg.send(village.chat, village.admin, f"/strength Stiprā puse numur {n}")
    await tg.next_message(village.chat, after=cursor)
    await tg.settle(quiet=0.5)
    messages = tg.bot_messages(village.chat)[before:]
    listed = ", ".join(f"S{n} (Anna Ozola)" for n in range(1, BATCH_SIZE + 1))
    assert [m["text"] for m in messages] == [
        f"✅ Pievienots SVID analīzei: {listed}. Tabula: /swot",
        "✅ Pievienots SVID analīzei: S11 (Anna Ozola). Tabula: /swot",
    ]


async def test_an_input_added_while_the_confirmation_is_on_its_way_is_shown(
    tg: BotApiEmulator, village: Village, database: Database
) -> None:
    """The confirmation was drawn and is being sent when the next input comes: that input
    cannot redraw it yet (its place is not known), so it is redrawn once it is placed."""
    on_its_way, go_on = asyncio.Event(), asyncio.Event()

    async def hold(method: str, params: Params) -> None:
        if method == "sendMessage" and "SVID" in str(params.raw.get("text")):
            on_its_way.set()
            await go_on.wait()

    tg.faults.append(hold)
    cursor = tg.mark()
    await tg.send(village.chat, village.resident, "/strength Kaimiņi palīdz cits citam")
    await asyncio.wait_for(on_its_way.wait(), 10)
    await tg.send(village.chat, village.admin, "/weakness Vakarā nav autobusa uz pilsētu")
    for _ in range(100):  # the second input is stored (and told nowhere yet)
        if await _count(database, SwotConfirmedInput) == 2:
            break
        await asyncio.sleep(0.05)
    go_on.set()
    first = await tg.next_message(village.chat, after=cursor)
    assert first["text"] == "✅ Pievienots SVID analīzei: S1 (Jānis). Tabula: /swot"
    await tg.settle()
    assert tg.message(village.chat.id, first["message_id"])["text"] == (
        "✅ Pievienots SVID analīzei: S1 (Jānis), W1 (Anna Ozola). Tabula: /swot"
    )


async def test_the_growing_message_outlives_a_restart(
    tg: BotApiEmulator, api_url: str, database_url: str
) -> None:
    """Where the confirmation is, is stored: after a restart (or on another worker) the next
    input of the burst still joins it."""
    settings = settings_for(tg, api_url, database_url)
    async with running_bot(settings):
        village = await new_village(tg)
        first = await tg.ask(village.chat, village.resident, "/strength Kaimiņi palīdz cits citam")
        await tg.settle(quiet=0.2)  # where it went is recorded just after it is sent
    async with running_bot(settings):
        before = len(tg.bot_messages(village.chat))
        await _add(tg, village, village.admin, "/weakness Vakarā nav autobusa uz pilsētu")
        await tg.settle()
    assert len(tg.bot_messages(village.chat)) == before
    assert tg.message(village.chat.id, first["message_id"])["text"] == (
        "✅ Pievienots SVID analīzei: S1 (Jānis), W1 (Anna Ozola). Tabula: /swot"
    )


async def test_bad_inputs_are_explained_and_nothing_is_stored(
    tg: BotApiEmulator, village: Village, database: Database
) -> None:
    short = await tg.ask(village.chat, village.resident, "/strength Upe")
    assert short["text"] == "Lūdzu, uzrakstiet mazliet vairāk: vismaz 10 rakstzīmes."
    long = await tg.ask(village.chat, village.resident, "/threat " + "ā" * 501)
    assert long["text"].startswith("Tas ir par garu: ne vairāk kā 500 rakstzīmes")
    usage = await tg.ask(village.chat, village.resident, "/opportunity")
    assert "/opportunity ES finansējums ciema projektiem" in usage["text"]
    assert buttons(usage)[0]["url"] == "https://t.me/villagebot_test?start=swot_1"
    await tg.ask(village.chat, village.resident, "/strength Kaimiņi palīdz cits citam")
    twice = await tg.ask(village.chat, village.admin, "/strength kaimiņi palīdz cits citam")
    assert twice["text"] == "Tas jau ir tabulā kā S1. Novērtējiet to ar /swotvote."
    assert await _count(database, SwotItem) == 1


async def test_the_board_ranks_by_agreement_and_sends_a_picture(
    tg: BotApiEmulator, village: Village
) -> None:
    empty = await tg.ask(village.chat, village.resident, "/swot")
    assert empty["text"].startswith("SVID analīze — Lejasciems\n\nVēl nav neviena ieraksta.")
    for command in (
        "/strength Kaimiņi palīdz cits citam",
        "/strength Skaista daba un tīra upe",
        "/weakness Vakarā nav autobusa uz pilsētu",
    ):
        await _add(tg, village, village.resident, command)
    await tg.ask(village.admin, village.admin, "/start")
    card = await tg.ask(village.admin, village.admin, "/swotvote")
    assert "S1" in card["text"]
    cursor = tg.mark()
    await tg.press(card, "👎", by=village.admin)  # S1: 1 - 1
    await tg.wait_for(lambda c: c.method == "editMessageText", after=cursor)
    current = tg.bot_messages(village.admin)[-1]
    assert "S2" in current["text"]
    cursor = tg.mark()
    await tg.press(current, "👍", by=village.admin)  # S2: 2 - 0
    await tg.wait_for(lambda c: c.method == "editMessageText", after=cursor)

    cursor = tg.mark()
    await tg.send(village.chat, village.resident, "/swot")
    board = await tg.next_message(village.chat, after=cursor)
    lines = board["text"].splitlines()
    assert lines[0] == "SVID analīze — Lejasciems"
    strengths = lines.index("💪 Stiprās puses")
    assert lines[strengths + 1].startswith("S2 Skaista daba un tīra upe · 👍 2 👎 0")
    assert lines[strengths + 2].startswith("S1 Kaimiņi palīdz cits citam · 👍 1 👎 1")
    assert lines[lines.index("🌱 Iespējas") + 1] == "—"
    links = [b["url"] for b in buttons(board)]
    assert links == [
        "https://t.me/villagebot_test?start=swot_1",
        "https://t.me/villagebot_test?start=swotvote_1",
    ]
    photo = await tg.wait_for(lambda c: c.method == "sendPhoto" and c.ok, after=cursor)
    assert photo.result["caption"] == "SVID analīze — Lejasciems"
    picture = tg.files[photo.result["photo"][-1]["file_id"]].content
    assert picture.startswith(PNG)
    assert photo.result["photo"][-1]["width"] == 1200
    assert len(picture) < 1_000_000


async def test_rating_one_by_one_in_private(
    tg: BotApiEmulator, village: Village, database: Database
) -> None:
    await _add(tg, village, village.admin, "/strength Kaimiņi palīdz cits citam")
    await _add(tg, village, village.admin, "/threat Jaunās ģimenes pārceļas prom")
    in_group = await tg.ask(village.chat, village.resident, "/swotvote")
    assert in_group["text"].startswith("Ierakstus vērtē pa vienam privātā sarunā")
    link = buttons(in_group)[0]["url"]
    assert link == "https://t.me/villagebot_test?start=swotvote_1"
    person = village.resident
    card = await tg.ask(person, person, "/start swotvote_1")
    assert card["text"].splitlines()[1] == "💪 Stiprās puses · S1"
    assert card["text"].endswith("Vai piekrītat? Novērtēšanai atlikuši 2 ieraksti.")
    cursor = tg.mark()
    await tg.press(card, "👍 Piekrītu", by=person)
    await tg.wait_for(lambda c: c.method == "editMessageText", after=cursor)
    card = tg.bot_messages(person)[-1]
    assert "T1" in card["text"]
    assert card["text"].endswith("Novērtēšanai atlicis 1 ieraksts.")
    cursor = tg.mark()
    await tg.press(card, "Izlaist", by=person)
    await tg.wait_for(lambda c: c.method == "editMessageText", after=cursor)
    done = tg.bot_messages(person)[-1]
    assert done["text"] == (
        "Jūs esat novērtējuši visus ierakstus. Paldies! SVID tabula: /swot\n"
        "Lai mainītu vērtējumu, norādiet ieraksta kodu: /swotvote S4"
    )
    assert "reply_markup" not in done
    async with database.transaction() as session:
        choices = sorted(str(v.choice) for v in await session.scalars(select(SwotVote)))
    assert choices == ["agree", "agree", "agree", "pass"]  # the author's two, and Jānis' two
    assert (await tg.ask(person, person, "/swotvote"))["text"].startswith("Jūs esat novērtējuši")


async def test_a_resident_changes_a_rating(
    tg: BotApiEmulator, village: Village, database: Database
) -> None:
    await _add(tg, village, village.admin, "/strength Kaimiņi palīdz cits citam")
    person = village.resident
    await tg.ask(village.chat, person, "/help")
    card = await tg.ask(person, person, "/swotvote")
    done = await _pressed(tg, card, "👎", person)
    assert done["text"].startswith("Jūs esat novērtējuši visus ierakstus.")
    again = await tg.ask(person, person, "/swotvote s1")
    assert again["text"].splitlines()[1] == "💪 Stiprās puses · S1"
    assert again["text"].endswith("Jūsu vērtējums: 👎 Nepiekrītu. Lai to mainītu, nospiediet pogu.")
    agree = buttons(again)[0]["callback_data"]
    cursor = tg.mark()
    changed = await tg.answer_of(await tg.press(again, "👍", by=person))
    assert changed["text"] == "Jūsu S1 vērtējums mainīts: 👍 Piekrītu."
    await tg.wait_for(lambda c: c.method == "editMessageText", after=cursor)
    assert "S1 Kaimiņi palīdz cits citam · 👍 2 👎 0" in await _board(tg, village)
    assert await _count(database, SwotVote) == 2  # the author's and Jānis' one, replaced
    # The question has moved on: pressing its old button again changes nothing.
    same = await tg.answer_of(await tg.press_data(again, agree, by=person, inaccessible=True))
    assert same["text"] == "Šī poga vairs nedarbojas."
    assert await _count(database, SwotVote) == 2
    unknown = await tg.ask(person, person, "/swotvote S9")
    assert unknown["text"] == "Pašreizējā SVID analīzes kārtā nav ieraksta S9."
    usage = await tg.ask(person, person, "/swotvote S1 S2")
    assert (
        usage["text"] == "Rakstiet /swotvote vai /swotvote S4, lai vēlreiz novērtētu ierakstu S4."
    )


async def test_the_guided_flow_adds_one_input_per_message(
    tg: BotApiEmulator, village: Village, database: Database
) -> None:
    person = village.resident
    await tg.ask(village.chat, person, "/help")
    picker = await tg.ask(person, person, "/start swot_1")
    assert picker["text"] == "SVID analīze — Lejasciems\nKurai daļai vēlaties pievienot?"
    cursor = tg.mark()
    await tg.press(picker, "🌱 Iespējas", by=person)
    await tg.wait_for(lambda c: c.method == "editMessageText", after=cursor)
    assert tg.bot_messages(person)[-1]["text"].startswith("🌱 Iespējas — Lejasciems: rakstiet")
    added = await tg.ask(person, person, "Tūrisma taka gar upi")
    assert added["text"] == (
        "✅ Pievienots kā O1. Rakstiet nākamo (iespējas) vai nospiediet „Gatavs”."
    )
    short = await tg.ask(person, person, "Īss")
    assert short["text"] == "Lūdzu, uzrakstiet mazliet vairāk: vismaz 10 rakstzīmes."
    added = await tg.ask(person, person, "Kopienas dārzs pie skolas")
    assert "O2" in added["text"]
    cursor = tg.mark()
    await tg.press(added, "Cita daļa", by=person)
    picker = await tg.next_message(person, after=cursor)
    cursor = tg.mark()
    await tg.press(picker, "⛈ Draudi", by=person)
    await tg.wait_for(lambda c: c.method == "editMessageText", after=cursor)
    added = await tg.ask(person, person, "Skola var tikt slēgta")
    assert "T1" in added["text"]
    cursor = tg.mark()
    await tg.press(added, "✅ Gatavs", by=person)
    thanks = await tg.next_message(person, after=cursor)
    assert thanks["text"].startswith("Paldies! SVID tabula: /swot.")
    assert "reply_markup" not in tg.bot_messages(person)[-2]
    after = await tg.ask(person, person, "Vēl kaut kas garāks")
    assert after["text"] == "Uzrakstiet komandu, piemēram, /help."
    # A command without text in private starts the same flow.
    prompt = await tg.ask(person, person, "/weakness")
    assert prompt["text"].startswith("🔧 Vājās puses — Lejasciems")
    assert "W1" in (await tg.ask(person, person, "Nav veikala tuvumā"))["text"]
    assert await _count(database, SwotItem) == 4


async def _pressed(
    tg: BotApiEmulator, message: dict[str, Any], label: str, by: FakeUser
) -> dict[str, Any]:
    """Press a button and return the pressed message as the bot edited it."""
    cursor = tg.mark()
    await tg.press(message, label, by=by)
    await tg.wait_for(
        lambda c: (
            c.method == "editMessageText"
            and c.params.get("message_id") == str(message["message_id"])
        ),
        after=cursor,
    )
    return tg.message(message["chat"]["id"], message["message_id"])


async def _board(tg: BotApiEmulator, village: Village) -> str:
    """/swot's text, once its picture is sent too (if there is one)."""
    cursor = tg.mark()
    await tg.send(village.chat, village.resident, "/swot")
    board = await tg.next_message(village.chat, after=cursor)
    if "Vēl nav neviena ieraksta" not in board["text"]:
        await tg.wait_for(lambda c: c.method == "sendPhoto", after=cursor)
    return str(board["text"])


def _labels(message: dict[str, Any]) -> list[str]:
    return [str(b["text"]) for b in buttons(message)]


async def test_leaders_merge_move_and_hide(
    tg: BotApiEmulator, village: Village, database: Database
) -> None:
    chat, anna, janis = village.chat, village.admin, village.resident
    for person, command in (
        (janis, "/strength Laba skola ciemā"),
        (anna, "/strength Mums ir laba pamatskola"),
        (janis, "/strength Tuvu pilsētai, tikai 20 km"),
        (janis, "/threat Kaimiņš ir muļķis un zaglis"),
    ):
        await _add(tg, village, person, command)
    refused = await tg.ask(chat, janis, "/swotmerge S2 S1")
    assert refused["text"].startswith("Atvainojiet, to var darīt tikai darba grupa")
    usage = await tg.ask(chat, anna, "/swotmerge S2")
    assert usage["text"].startswith("Norādiet divus kodus: /swotmerge S4 S2")
    wrong = await tg.ask(chat, anna, "/swotmerge S2 X1")
    assert wrong["text"] == "„X1” nav SVID kods. Kodi izskatās šādi: S4, W2, O1 vai T3."
    unknown = await tg.ask(chat, anna, "/swotmerge S2 S9")
    assert unknown["text"] == "Pašreizējā SVID analīzes kārtā nav ieraksta S9."
    merged = await _pressed(tg, await tg.ask(chat, anna, "/swotmerge s2 S1"), "✅", anna)
    assert merged["text"] == "S2 apvienots ar S1: tā balsis un autori pārgāja līdzi."
    again = await tg.ask(chat, anna, "/swotmerge S2 S3")
    assert again["text"] == "S2 ir apvienots vai pārvietots: tagad tas ir S1."
    moved = await tg.ask(chat, anna, "/swotmove S3 O")
    assert moved["text"] == "S3 pārvietots uz daļu „iespējas”: tagad tā kods ir O1."
    bad_part = await tg.ask(chat, anna, "/swotmove S1 X")
    assert bad_part["text"] == "Norādiet daļas burtu: S, W, O vai T."
    hidden = await _pressed(tg, await tg.ask(chat, anna, "/swothide T1"), "🙈", anna)
    assert hidden["text"].startswith("🙈 T1: iedzīvotāji to vairs neredz.")
    assert (await tg.ask(chat, anna, "/swothide T1"))["text"] == "T1 ir paslēpts."
    board = (await tg.ask(chat, janis, "/swot"))["text"]
    assert "S1 Laba skola ciemā · 👍 2 👎 0" in board
    assert "O1 Tuvu pilsētai, tikai 20 km · 👍 1 👎 0" in board
    assert "muļķis" not in board
    assert "S2 " not in board
    async with database.transaction() as session:
        actions = [e.action for e in await session.scalars(select(AuditEntry))]
    assert actions == ["swot_merge", "swot_move", "swot_hide"]


async def test_a_merge_is_asked_first_and_only_within_one_part(
    tg: BotApiEmulator, village: Village, database: Database
) -> None:
    chat, anna, janis = village.chat, village.admin, village.resident
    await _add(tg, village, janis, "/strength Laba skola ciemā")
    await _add(tg, village, anna, "/strength Mums ir laba pamatskola")
    await _add(tg, village, janis, "/weakness Skolā ir maz skolēnu")
    apart = await tg.ask(chat, anna, "/swotmerge W1 S1")
    assert apart["text"] == (
        "W1 un S1 ir dažādās daļās: apvienot var tikai vienas daļas ierakstus. "
        "Vispirms pārvietojiet to: /swotmove W1 S, tad apvienojiet."
    )
    question = await tg.ask(chat, anna, "/swotmerge S2 S1")
    assert question["text"] == (
        "Apvienot S2 ar S1?\n"
        "S2: „Mums ir laba pamatskola”\n"
        "S1: „Laba skola ciemā”\n"
        "S1 paliek, ar abu ierakstu balsīm un autoriem."
    )
    assert _labels(question) == ["✅ Apvienot", "Atcelt"]
    assert await _count(database, AuditEntry) == 0  # nothing is merged before the answer
    # Another leader may not answer the question that Anna asked.
    said = await tg.send(chat, janis, "Es palīdzēšu darba grupai")
    await tg.ask(chat, anna, "/promote", reply_to=said)
    other = await tg.answer_of(await tg.press(question, "✅", by=janis))
    assert other == {
        "text": "Uz šo jautājumu var atbildēt tikai līderis, kurš to uzdeva.",
        "show_alert": True,
    }
    kept = await _pressed(tg, question, "Atcelt", anna)
    assert (kept["text"], _labels(kept)) == ("Nekas netika apvienots.", [])
    question = await tg.ask(chat, anna, "/swotmerge S2 S1")
    data = buttons(question)[0]["callback_data"]
    merged = await _pressed(tg, question, "✅", anna)
    assert merged["text"] == "S2 apvienots ar S1: tā balsis un autori pārgāja līdzi."
    # The answered question carries no buttons; pressed again on a copy too old to be checked
    # against its keyboard, it merges nothing twice.
    again = await tg.answer_of(await tg.press_data(question, data, by=anna))
    assert again["text"] == "Šī poga vairs nedarbojas."
    twice = await tg.answer_of(await tg.press_data(question, data, by=anna, inaccessible=True))
    assert twice["text"] == "S2 ir apvienots vai pārvietots: tagad tas ir S1."
    async with database.transaction() as session:
        actions = [e.action for e in await session.scalars(select(AuditEntry))]
    assert actions == ["promote", "swot_merge"]


async def test_hiding_is_asked_first_and_undone(
    tg: BotApiEmulator, village: Village, database: Database
) -> None:
    chat, anna, janis = village.chat, village.admin, village.resident
    await _add(tg, village, janis, "/threat Kaimiņš ir muļķis un zaglis")
    question = await tg.ask(chat, anna, "/swothide T1")
    assert question["text"] == (
        "🙈 Paslēpt šo? T1: „Kaimiņš ir muļķis un zaglis”\n"
        "Iedzīvotāji to vairs neredzēs. To var atkal parādīt: /swotunhide T1"
    )
    assert _labels(question) == ["🙈 Paslēpt", "Atcelt"]
    kept = await _pressed(tg, question, "Atcelt", anna)
    assert kept["text"] == "Nekas netika paslēpts."
    assert "muļķis" in await _board(tg, village)

    hidden = await _pressed(tg, await tg.ask(chat, anna, "/swothide T1"), "🙈", anna)
    assert hidden["text"] == (
        "🙈 T1: iedzīvotāji to vairs neredz. Lai parādītu atkal: /swotunhide T1"
    )
    assert _labels(hidden) == ["↩ Rādīt atkal"]
    assert "muļķis" not in await _board(tg, village)
    # Any leader may undo it, not only the one who hid it.
    said = await tg.send(chat, janis, "Es palīdzēšu darba grupai")
    await tg.ask(chat, anna, "/promote", reply_to=said)
    shown = await _pressed(tg, hidden, "↩", janis)
    assert shown["text"] == "↩ T1: iedzīvotāji to atkal redz."
    assert "T1 Kaimiņš ir muļķis un zaglis" in await _board(tg, village)

    await _pressed(tg, await tg.ask(chat, anna, "/swothide T1"), "🙈", anna)
    back = await tg.ask(chat, anna, "/swotunhide t1")
    assert back["text"] == "↩ T1: iedzīvotāji to atkal redz."
    assert (await tg.ask(chat, anna, "/swotunhide T1"))["text"] == "T1 nav paslēpts."
    assert (await tg.ask(chat, anna, "/swotunhide"))["text"] == (
        "Norādiet paslēptā ieraksta kodu: /swotunhide S4"
    )
    log = (await tg.ask(chat, anna, "/log"))["text"]
    assert log.count("paslēpa SVID ierakstu T1") == 2
    assert log.count("atkal parādīja SVID ierakstu T1") == 2
    async with database.transaction() as session:
        actions = [e.action for e in await session.scalars(select(AuditEntry))]
    assert actions == ["swot_hide", "promote", "swot_unhide", "swot_hide", "swot_unhide"]


async def test_every_input_is_shown_on_pages(tg: BotApiEmulator, village: Village) -> None:
    chat, janis = village.chat, village.resident
    long = "Laba skola ciemā, kurā mācās bērni no visa pagasta un apkārtnes" * 7
    for n in range(1, 13):
        await _add(tg, village, janis, f"/strength {n}. {long}"[:500])
    cursor = tg.mark()
    await tg.send(chat, janis, "/swot")
    board = await tg.next_message(chat, after=cursor)
    assert "…un vēl 7" in board["text"]
    assert "Visi ieraksti: /swot visi" in board["text"]
    assert _labels(board)[-1] == "📋 Visi ieraksti"
    await tg.wait_for(lambda c: c.method == "sendPhoto", after=cursor)
    cursor = tg.mark()
    await tg.press(board, "📋", by=janis)
    first = await tg.next_message(chat, after=cursor)
    assert first["text"].startswith("SVID analīze — Lejasciems — visi ieraksti\n\n💪 Stiprās puses")
    assert _labels(first) == ["◀", "1/2", "▶"]
    assert len(first["text"]) <= 4096
    second = await _pressed(tg, first, "▶", janis)
    assert _labels(second) == ["◀", "2/2", "▶"]
    shown = [
        line.split(" ", 1)[0]
        for page in (first["text"], second["text"])
        for line in page.splitlines()
        if re.match(r"S\d+ ", line)
    ]
    assert sorted(shown, key=lambda code: int(code[1:])) == [f"S{n}" for n in range(1, 13)]
    # The word the Latvian text shows, and the English and Russian ones too.
    for every in ("visi", "all", "все"):
        typed = await tg.ask(chat, janis, f"/swot {every}")
        assert typed["text"] == first["text"]
    assert (await tg.ask(chat, janis, "/swot visi all"))["text"].startswith("Rakstiet /swot")


async def test_a_new_round_is_confirmed_by_a_leader(
    tg: BotApiEmulator, village: Village, database: Database
) -> None:
    chat, anna, janis = village.chat, village.admin, village.resident
    nothing = await tg.ask(chat, anna, "/swotround")
    assert nothing["text"] == "Šajā kārtā vēl nav ierakstu: nav ko arhivēt."
    await _add(tg, village, janis, "/strength Kaimiņi palīdz cits citam")
    question = await tg.ask(chat, anna, "/swotround")
    assert question["text"].startswith("Sākt jaunu SVID analīzes kārtu? 1. kārta ar 1 ierakstu")
    refused = await tg.press(question, "Jā, sākt 2. kārtu", by=janis)
    assert (await tg.answer_of(refused))["show_alert"] is True
    cursor = tg.mark()
    await tg.press(question, "Jā, sākt 2. kārtu", by=anna)
    await tg.wait_for(lambda c: c.method == "editMessageText", after=cursor)
    assert tg.bot_messages(chat)[-1]["text"].startswith("Sākusies SVID analīzes 2. kārta.")
    # The same confirmation pressed again changes nothing.
    stale = await tg.press_data(question, encode(SwotRoundStart(1, 1, "go")), by=anna)
    assert (await tg.answer_of(stale))["text"] == "Šī poga vairs nedarbojas."
    old = encode(SwotRoundStart(1, 1, "go"))
    stale = await tg.press_data(question, old, by=anna, inaccessible=True)
    assert (await tg.answer_of(stale))["text"] == "Jauna SVID analīzes kārta jau ir sākta."
    new_board = await tg.ask(chat, janis, "/swot")
    assert new_board["text"].startswith("SVID analīze — Lejasciems, 2. kārta\n\nVēl nav")
    old_board = await tg.ask(chat, janis, "/swot 1")
    assert old_board["text"].startswith("SVID analīze — Lejasciems, 1. kārta (arhīvā)")
    assert "S1 Kaimiņi palīdz cits citam" in old_board["text"]
    assert "reply_markup" not in old_board
    await tg.wait_for(lambda c: c.method == "sendPhoto")
    await tg.settle()
    assert (await tg.ask(chat, janis, "/swot 7"))["text"] == "SVID analīzes 7. kārtas nav."
    assert (await tg.ask(chat, janis, "/swot vakar"))["text"].startswith("Rakstiet /swot")
    cancel = await tg.ask(chat, anna, "/swotround")
    assert cancel["text"] == "Šajā kārtā vēl nav ierakstu: nav ko arhivēt."
    assert await _count(database, SwotRound) == 2


async def test_nothing_crosses_between_villages(
    tg: BotApiEmulator, village: Village, database: Database
) -> None:
    await _add(tg, village, village.resident, "/strength Kaimiņi palīdz cits citam")
    ilze = tg.user("Ilze")
    other = tg.group("Augšciems", admins=[ilze])
    cursor = tg.mark()
    await tg.add_bot(other, by=ilze)
    await tg.next_message(other, after=cursor)
    assert "Vēl nav neviena ieraksta" in (await tg.ask(other, ilze, "/swot"))["text"]
    refused = await tg.ask(other, ilze, "/swothide S1")
    assert refused["text"] == "Pašreizējā SVID analīzes kārtā nav ieraksta S1."
    card = await tg.ask(ilze, ilze, "/swotvote")
    assert card["text"].startswith("Vēl nav ko vērtēt.")
    # Data the card does not carry is refused as such; where the message cannot be seen, the
    # item itself is checked.
    forged = await tg.press_data(card, encode(SwotRate(1, "a")), by=ilze)
    assert (await tg.answer_of(forged))["text"] == "Šī poga vairs nedarbojas."
    forged = await tg.press_data(card, encode(SwotRate(1, "a")), by=ilze, inaccessible=True)
    answer = await tg.answer_of(forged)
    assert answer == {
        "text": "Šis ieraksts nav jūsu ciema grupas SVID analīzē.",
        "show_alert": True,
    }
    foreign_flow = await tg.press_data(card, "swq1:1:S", by=ilze, inaccessible=True)
    assert (await tg.answer_of(foreign_flow))["text"] == "Jūs neesat šīs ciema grupas dalībnieks."
    joined = await tg.ask(ilze, ilze, "/start swot_1")
    assert joined["text"] == "Jūs neesat šīs ciema grupas dalībnieks."
    async with database.transaction() as session:
        assert await session.scalar(select(func.count()).select_from(SwotVote)) == 1
        assert await session.scalar(select(func.count()).select_from(Community)) == 2
