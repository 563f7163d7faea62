"""Polls through the emulator: the quick syntax and its limits, votes stored from Telegram's
updates, /closepoll with results and chart, paper votes, /polls, and villages kept apart."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from bot.db import Database
from bot.models import AuditEntry, Membership, Poll, PollOption, PollVote, User
from bot.testing import BotApiEmulator
from tests.conftest import Village

DEADLINE_RANGE_LV = (
    "Termiņam jābūt no 1 minūtes līdz 30 dienām, piemēram, 30 min, 2 st, 3 d vai 1 ned."
)


async def create_poll(tg: BotApiEmulator, village: Village, command: str) -> dict[str, Any]:
    """A leader's /poll; returns the native poll the bot posted."""
    cursor = tg.mark()
    await tg.send(village.chat, village.admin, command)
    call = await tg.wait_for(lambda c: c.method == "sendPoll" and c.ok, after=cursor)
    await tg.settle(quiet=0.1)
    message: dict[str, Any] = call.result
    return message


async def close(
    tg: BotApiEmulator, village: Village, poll: dict[str, Any], command: str = "/closepoll"
) -> tuple[dict[str, Any], dict[str, Any]]:
    """A leader's command replying to the poll, answered with the results and their chart."""
    cursor = tg.mark()
    results = await tg.ask(village.chat, village.admin, command, reply_to=poll)
    chart = await tg.wait_for(lambda c: c.method == "sendPhoto" and c.ok, after=cursor)
    return results, chart.result


async def _votes(database: Database) -> dict[int, list[int]]:
    async with database.transaction() as session:
        rows = await session.execute(
            select(User.telegram_id, PollVote.options).join(User, User.id == PollVote.user_id)
        )
        return {telegram_id: options for telegram_id, options in rows if telegram_id}


async def test_a_leader_posts_a_native_poll(tg: BotApiEmulator, village: Village) -> None:
    poll = await create_poll(
        tg, village, "/poll Kur likt jauno soliņu? | Pie veikala | Pie baznīcas | Pie skolas"
    )
    assert poll["poll"]["question"] == "Kur likt jauno soliņu?"
    assert [o["text"] for o in poll["poll"]["options"]] == [
        "Pie veikala",
        "Pie baznīcas",
        "Pie skolas",
    ]
    assert poll["poll"]["is_anonymous"]
    assert not poll["poll"]["allows_multiple_answers"]
    assert poll["reply_to_message"]["text"].startswith("/poll")
    # No deadline: no note about one.
    assert tg.bot_messages(village.chat)[-1] == tg.message(village.chat.id, poll["message_id"])


async def test_words_before_the_question(tg: BotApiEmulator, village: Village) -> None:
    poll = await create_poll(tg, village, "/poll 3d public multi <b>Talka</b> & ko? | A<b> | B")
    assert poll["poll"]["question"] == "<b>Talka</b> & ko?"  # shown as typed, not as HTML
    assert [o["text"] for o in poll["poll"]["options"]] == ["A<b>", "B"]
    assert not poll["poll"]["is_anonymous"]
    assert poll["poll"]["allows_multiple_answers"]
    call = await tg.wait_for(lambda c: c.method == "sendMessage" and "reply_to_message" in c.result)
    note = call.result
    assert note["text"].startswith("🗳 Balsošana beidzas ")
    assert note["reply_to_message"]["message_id"] == poll["message_id"]


async def test_limits_and_mistakes_are_explained(
    tg: BotApiEmulator, village: Village, database: Database
) -> None:
    admin = village.admin
    usage = await tg.ask(village.chat, admin, "/poll Kur likt soliņu?")
    assert usage["text"].startswith("Uzrakstiet jautājumu un vismaz divus atbilžu variantus")
    assert "/poll 3 dienas Kur likt jauno soliņu? | Pie veikala | Pie baznīcas" in usage["text"]
    many = await tg.ask(village.chat, admin, "/poll Q?" + " | x" * 13)
    assert many["text"] == "Aptaujā var būt ne vairāk kā 12 atbilžu varianti, bet šeit ir 13."
    long_question = await tg.ask(village.chat, admin, "/poll " + "ā" * 301 + " | A | B")
    assert long_question["text"] == (
        "Jautājums ir par garu: ne vairāk kā 300 rakstzīmes, bet tajā ir 301."
    )
    long_option = await tg.ask(village.chat, admin, "/poll Q? | A | " + "b" * 101)
    assert long_option["text"] == (
        "2. variants ir par garu: ne vairāk kā 100 rakstzīmes, bet tajā ir 101."
    )
    deadline = await tg.ask(village.chat, admin, "/poll 31d Q? | A | B")
    assert deadline["text"] == DEADLINE_RANGE_LV
    negative = await tg.ask(village.chat, admin, "/poll -3d Q? | A | B")
    assert negative["text"] == DEADLINE_RANGE_LV
    same = await tg.ask(village.chat, admin, "/poll Q? | Jā | jā")
    assert same["text"] == "2. variants ir tāds pats kā 1. variants."
    refused = await tg.ask(village.chat, village.resident, "/poll Q? | A | B")
    assert refused["text"].startswith("Atvainojiet, to var darīt tikai darba grupa")
    # The longest poll Telegram takes goes through.
    longest = "/poll " + "ā" * 300 + "".join(f" | {n:02d}" + "o" * 98 for n in range(12))
    poll = await create_poll(tg, village, longest)
    assert len(poll["poll"]["options"]) == 12
    async with database.transaction() as session:
        assert len(list(await session.scalars(select(Poll)))) == 1


async def test_every_vote_of_a_public_poll_is_stored(
    tg: BotApiEmulator, village: Village, database: Database
) -> None:
    poll = await create_poll(tg, village, "/poll public Talka sestdien? | Jā | Nē | Varbūt")
    olga = tg.user("Olga", language_code="ru")
    await tg.join(village.chat, olga)
    await tg.vote(poll, village.admin, [0])
    await tg.vote(poll, village.resident, [1])
    await tg.vote(poll, olga, [2])
    await tg.vote(poll, village.resident, [0])  # changed
    await tg.vote(poll, olga, [])  # retracted
    await tg.settle(quiet=0.2)
    assert await _votes(database) == {village.admin.id: [0], village.resident.id: [0], olga.id: []}
    async with database.transaction() as session:
        counts = list(
            await session.scalars(select(PollOption.online_count).order_by(PollOption.position))
        )
        stored = await session.scalar(select(Poll))
    assert counts == [2, 0, 0]
    assert stored is not None
    assert stored.online_voters == 2


async def test_a_vote_from_outside_the_group_neither_counts_nor_makes_a_member(
    tg: BotApiEmulator, village: Village, database: Database
) -> None:
    poll = await create_poll(tg, village, "/poll public Talka sestdien? | Jā | Nē")
    stranger = tg.user("Svešais")  # votes in a forwarded copy; Telegram counts it here
    gone = village.resident
    await tg.send(village.chat, gone, "Uz redzēšanos")
    await tg.leave(village.chat, gone)
    await tg.vote(poll, village.admin, [0])
    await tg.vote(poll, stranger, [1], in_a_copy=True)
    await tg.vote(poll, gone, [1], in_a_copy=True)
    await tg.settle(quiet=0.2)
    assert await _votes(database) == {village.admin.id: [0]}
    async with database.transaction() as session:
        people = {
            telegram_id: left_at is None
            for telegram_id, left_at in await session.execute(
                select(User.telegram_id, Membership.left_at).join(
                    Membership, Membership.user_id == User.id
                )
            )
        }
        stored = await session.scalar(select(User).where(User.telegram_id == stranger.id))
    assert people == {village.admin.id: True, gone.id: False}
    assert stored is None  # nothing is kept of someone outside the village
    results, _ = await close(tg, village, poll)
    assert results["text"].splitlines() == [
        "📊 Rezultāti: Talka sestdien?",
        "1. Jā — 1 (100%)",
        "2. Nē — 0 (0%)",
        "",
        "Tiešsaistē nobalsoja 1 no 1 man zināmā dalībnieka (100%).",
    ]


async def test_a_member_the_bot_never_saw_write_is_counted_once_telegram_confirms(
    tg: BotApiEmulator, village: Village, database: Database
) -> None:
    poll = await create_poll(tg, village, "/poll public Talka sestdien? | Jā | Nē")
    quiet = tg.user("Klusā")
    village.chat.members[quiet.id] = "member"  # joined unseen (the join notice was hidden)
    await tg.vote(poll, quiet, [1])
    await tg.settle(quiet=0.2)
    assert await _votes(database) == {quiet.id: [1]}


async def test_anonymous_polls_keep_telegrams_counts(
    tg: BotApiEmulator, village: Village, database: Database
) -> None:
    poll = await create_poll(tg, village, "/poll Talka sestdien? | Jā | Nē")
    await tg.vote(poll, village.admin, [0])
    await tg.vote(poll, village.resident, [0])
    await tg.settle(quiet=0.2)
    assert await _votes(database) == {}  # nobody's choice is known
    async with database.transaction() as session:
        counts = list(
            await session.scalars(select(PollOption.online_count).order_by(PollOption.position))
        )
    assert counts == [2, 0]


async def test_closepoll_posts_the_results_with_a_chart(
    tg: BotApiEmulator, village: Village
) -> None:
    poll = await create_poll(tg, village, "/poll public Talka sestdien? | Jā | Nē")
    await tg.vote(poll, village.admin, [0])
    await tg.vote(poll, village.resident, [1])
    await tg.vote(poll, village.resident, [0])
    needs_reply = await tg.ask(village.chat, village.admin, "/closepoll")
    assert needs_reply["text"] == "Atbildiet uz aptauju ar /closepoll, lai to slēgtu tūlīt."
    refused = await tg.ask(village.chat, village.resident, "/closepoll", reply_to=poll)
    assert refused["text"].startswith("Atvainojiet")
    results, chart = await close(tg, village, poll)
    assert tg.message(village.chat.id, poll["message_id"])["poll"]["is_closed"]
    assert results["text"].splitlines() == [
        "📊 Rezultāti: Talka sestdien?",
        "1. Jā — 2 (100%)",
        "2. Nē — 0 (0%)",
        "",
        "Tiešsaistē nobalsoja 2 no 2 man zināmajiem dalībniekiem (100%).",
    ]
    assert results["reply_to_message"]["message_id"] == poll["message_id"]
    assert chart["reply_to_message"]["message_id"] == results["message_id"]
    assert chart["photo"][0]["width"] == 800
    again = await tg.ask(village.chat, village.admin, "/closepoll", reply_to=poll)
    assert again["text"] == "Šī aptauja jau ir slēgta."
    stops = [c for c in tg.calls if c.method == "stopPoll"]
    assert len(stops) == 1


async def test_paper_votes_are_shown_apart_and_added_up(
    tg: BotApiEmulator, village: Village, database: Database
) -> None:
    poll = await create_poll(tg, village, "/poll Talka sestdien? | Jā | Nē")
    await tg.vote(poll, village.admin, [0])
    await tg.vote(poll, village.resident, [1])
    await close(tg, village, poll)
    wrong = await tg.ask(village.chat, village.admin, "/papervotes 3=4", reply_to=poll)
    assert wrong["text"] == "Šai aptaujai ir varianti no 1 līdz 2; 3. varianta nav."
    negative = await tg.ask(village.chat, village.admin, "/papervotes 1=-5", reply_to=poll)
    assert negative["text"].startswith("Balsu skaits nevar būt negatīvs")
    unreadable = await tg.ask(village.chat, village.admin, "/papervotes 1:5", reply_to=poll)
    assert unreadable["text"].startswith("Nevaru saprast „1:5”")
    refused = await tg.ask(village.chat, village.resident, "/papervotes 1=4", reply_to=poll)
    assert refused["text"].startswith("Atvainojiet")
    results, _ = await close(tg, village, poll, "/papervotes 1=12 2=7")
    assert results["text"].splitlines() == [
        "📊 Rezultāti: Talka sestdien?",
        "1. Jā — 13 (62%): 1 tiešsaistē, 12 uz papīra",
        "2. Nē — 8 (38%): 1 tiešsaistē, 7 uz papīra",
        "",
        "Tiešsaistē nobalsoja 2 no 2 man zināmajiem dalībniekiem (100%).",
        "Uz papīra: 19 balsis.",
        "Kopā: 21 balss.",
    ]
    # Later paper votes may answer the new results too.
    fixed, _ = await close(tg, village, results, "/papervotes 2=8")
    assert "Kopā: 22 balsis." in fixed["text"]
    async with database.transaction() as session:
        entries = list(
            await session.scalars(select(AuditEntry).where(AuditEntry.action == "papervotes"))
        )
    assert [e.details["counts"] for e in entries] == [{"1": 12, "2": 7}, {"2": 8}]


async def test_polls_lists_open_and_closed_polls(tg: BotApiEmulator, village: Village) -> None:
    empty = await tg.ask(village.chat, village.resident, "/polls")
    assert empty["text"] == "Aptauju vēl nav. Darba grupa to var sākt ar /poll."
    first = await create_poll(tg, village, "/poll Pirmā? | A | B")
    await create_poll(tg, village, "/poll 2d Otrā? | A | B")
    await close(tg, village, first)
    listing = await tg.ask(village.chat, village.resident, "/polls")
    lines = listing["text"].splitlines()
    assert lines[0] == "🗳 Atvērtās aptaujas"
    assert lines[1].startswith("• Otrā? — beidzas ")
    assert lines[3] == "Nesen slēgtās"
    assert lines[4].startswith("• Pirmā? — slēgta ")


async def test_a_poll_of_another_village_cannot_be_touched(
    tg: BotApiEmulator, village: Village, database: Database
) -> None:
    poll = await create_poll(tg, village, "/poll Mūsu? | A | B")
    other_admin = tg.user("Rūta")
    other = tg.group("Augšciems", admins=[other_admin])
    await tg.add_bot(other, by=other_admin)
    await tg.settle(quiet=0.1)
    # A message in the other group that happens to have the same message id as our poll.
    while True:
        said = await tg.send(other, other_admin, "čau")
        if said["message_id"] >= poll["message_id"]:
            break
    lookalike = {**said, "message_id": poll["message_id"]}
    reply = await tg.ask(other, other_admin, "/closepoll", reply_to=lookalike)
    assert reply["text"] == "Šādu aptauju nezinu. Atbildiet uz aptauju, ko es publicēju šajā grupā."
    reply = await tg.ask(other, other_admin, "/papervotes 1=5", reply_to=lookalike)
    assert reply["text"] == "Šādu aptauju nezinu. Atbildiet uz aptauju, ko es publicēju šajā grupā."
    async with database.transaction() as session:
        stored = await session.scalar(select(Poll))
        assert stored is not None
        assert stored.closed_at is None
        assert list(await session.scalars(select(PollOption.offline_count))) == [0, 0]


async def test_a_poll_telegram_refuses_is_not_kept(
    tg: BotApiEmulator, village: Village, database: Database
) -> None:
    from bot.testing import ApiError, Params

    def no_polls(method: str, _params: Params) -> ApiError | None:
        if method == "sendPoll":
            return ApiError(400, "Bad Request: not enough rights to send polls to the chat")
        return None

    tg.faults.append(no_polls)
    reply = await tg.ask(village.chat, village.admin, "/poll Talka? | Jā | Nē")
    assert reply["text"] == (
        "Neizdevās publicēt aptauju grupā. Pārbaudiet, vai es joprojām esmu grupā un drīkstu "
        "sūtīt aptaujas."
    )
    async with database.transaction() as session:
        assert await session.scalar(select(Poll)) is None


async def test_a_leader_posts_from_the_private_chat(tg: BotApiEmulator, village: Village) -> None:
    admin = village.admin
    await tg.ask(admin, admin, "/start")
    cursor = tg.mark()
    told = await tg.ask(admin, admin, "/poll public Talka? | Jā | Nē")
    assert told["text"] == "Aptauja publicēta: Lejasciems."
    posted = await tg.wait_for(lambda c: c.method == "sendPoll" and c.ok, after=cursor)
    assert posted.result["chat"]["id"] == village.chat.id
    assert "reply_to_message" not in posted.result


async def test_ideapoll_puts_the_most_supported_ideas_to_a_vote(
    tg: BotApiEmulator, village: Village
) -> None:
    few = await tg.ask(village.chat, village.admin, "/ideapoll")
    assert few["text"] == "Balsojumam vajag vismaz divas aktuālas idejas; ciemam ir 0."
    texts = [
        "Jauns rotaļu laukums pie skolas",
        "Ielu apgaismojums Dārza ielā",
        "Soliņi pie autobusa pieturas",
    ]
    cards = [await tg.ask(village.chat, village.resident, f"/idea {text}") for text in texts]
    await tg.answer_of(await tg.press(cards[2], "👍", village.admin))
    bad = await tg.ask(village.chat, village.admin, "/ideapoll lots")
    assert bad["text"].startswith("Uzrakstiet, cik visvairāk atbalstīto")
    refused = await tg.ask(village.chat, village.resident, "/ideapoll 2")
    assert refused["text"].startswith("Atvainojiet")
    poll = await create_poll(tg, village, "/ideapoll 2 public 3d")
    assert poll["poll"]["question"] == "Kuru no šīm idejām ciemam īstenot vispirms?"
    assert [o["text"] for o in poll["poll"]["options"]] == [
        "#3 Soliņi pie autobusa pieturas",
        "#1 Jauns rotaļu laukums pie skolas",
    ]
    assert not poll["poll"]["is_anonymous"]
