"""/budget through the emulator: a leader opens a round from the accepted ideas with a cost
estimate, adjusts it, announces the vote in the group, enters paper ballots; at the deadline
the round is counted once and the results are posted in the group (also when the jobs are
rebuilt, as after a restart)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from pabutools.election.pabulib import parse_pabulib_from_string
from sqlalchemy import select

from bot import scheduler
from bot.db import Database
from bot.models import BudgetRound, Decision, DecisionSource, Idea
from bot.runtime import BotApplication
from bot.testing import BotApiEmulator, buttons, running_bot, settings_for
from tests.conftest import Village
from tests.handlers.test_poll_deadlines import later

REFUSAL = "Atvainojiet, to var darīt tikai darba grupa"


def _text(message: dict[str, Any]) -> str:
    """The message's text ("" for one without, as a chart) with Babel's no-break spaces (in
    amounts) as plain ones."""
    return str(message.get("text", "")).replace("\xa0", " ")


async def _accepted_ideas(tg: BotApiEmulator, village: Village) -> None:
    """#1 playground 3,000 €, #2 bus stop 2,000 €, #3 benches 1,500 €, all accepted; #4 has no
    cost estimate."""
    chat, leader = village.chat, village.admin
    for text in (
        "Rotaļu laukums pie skolas",
        "Autobusa pietura pie veikala",
        "Soliņi gar upes taku",
        "Jauns ceļa segums",
    ):
        await tg.ask(chat, village.resident, f"/idea {text}")
    for number, cost in ((1, 3000), (2, 2000), (3, 1500)):
        await tg.ask(chat, leader, f"/ideaset {number} cost {cost}")
    for number in (1, 2, 3, 4):
        await tg.ask(chat, leader, f"/status {number} accepted")
    await tg.settle(quiet=0.2)


async def test_a_leader_runs_a_round_from_announcement_to_funded_ideas(
    tg: BotApiEmulator, village: Village, bot: BotApplication, database: Database
) -> None:
    await _accepted_ideas(tg, village)
    chat, leader = village.chat, village.admin

    refused = await tg.ask(chat, village.resident, "/budget 5000 14d")
    assert _text(refused).startswith(REFUSAL)

    prepared = await tg.ask(chat, leader, "/budget 5000 1h balsis Budžets 2027")
    assert _text(prepared).splitlines()[:6] == [
        "💶 Līdzdalības budžets „Budžets 2027”",
        "Summa: 5 000 €. Balsošanas ilgums: 1 stunda. Skaitīšana: pēc balsu skaita, kamēr "
        "pietiek līdzekļu.",
        "",
        "Balsošanas sarakstā:",
        "#1 Rotaļu laukums pie skolas — 3 000 €",
        "#2 Autobusa pietura pie veikala — 2 000 €",
    ]
    again = await tg.ask(chat, leader, "/budget 3000 2d")
    assert (
        _text(again)
        == "Budžeta kārta #1 vēl nav saskaitīta: vienlaikus var notikt tikai viena kārta."
    )
    removed = await tg.ask(chat, leader, "/budget noņemt 3")
    assert "#3" not in _text(removed)
    no_cost = await tg.ask(chat, leader, "/budget add 4")
    assert _text(no_cost).startswith("Idejai #4 vēl nav izmaksu tāmes")
    added = await tg.ask(chat, leader, "/budget add 3")
    assert "#3 Soliņi gar upes taku — 1 500 €" in _text(added)

    announcement = await tg.ask(chat, leader, "/budget start")
    lines = _text(announcement).splitlines()
    assert lines[0] == "💶 Līdzdalības budžets „Budžets 2027”"
    assert "5 000 €" in lines[1]
    assert lines[3:6] == [
        "#1 Rotaļu laukums pie skolas — 3 000 €",
        "#2 Autobusa pietura pie veikala — 2 000 €",
        "#3 Soliņi gar upes taku — 1 500 €",
    ]
    assert lines[-1].startswith("🗳 Balsošana beidzas")
    late = await tg.ask(chat, leader, "/budget add 4")
    assert _text(late) == "Balsošana ir sākusies: ideju sarakstu vairs nevar mainīt."

    # Paper ballots from a meeting: each its own; one over the sum is refused with both sums.
    over = await tg.ask(chat, leader, "/budget paper 1 2 3")
    assert _text(over) == (
        "Jūsu izvēlētās idejas kopā maksā 6 500 €, vairāk nekā pieejamie 5 000 €. "
        "Atsakieties no kādas."
    )
    for picks in ("1 2", "1, 3", "#3"):
        entered = await tg.ask(chat, leader, f"/budget papīrs {picks}")
        assert _text(entered).startswith("Papīra biļetens #")
    status = await tg.ask(chat, leader, "/budget")
    assert "Līdz šim balsojumi: 0 tiešsaistē, 3 uz papīra." in _text(status)

    with later(timedelta(hours=1, seconds=2)):
        cursor = tg.mark()
        await scheduler.rebuild(bot)  # the jobs as at start-up, now that the time has come
        results = await tg.next_message(chat, after=cursor)
        chart = await tg.wait_for(lambda c: c.method == "sendPhoto" and c.ok, after=cursor)
        await scheduler.rebuild(bot)  # counted once: nothing more
        await tg.settle(quiet=0.3)
        assert [c for c in tg.calls[cursor:] if c.method == "sendMessage"][1:] == []
        assert len([c for c in tg.calls[cursor:] if c.method == "sendPhoto"]) == 1
    assert results["reply_to_message"]["message_id"] == announcement["message_id"]
    assert chart.result["reply_to_message"]["message_id"] == announcement["message_id"]
    assert tg.files[chart.result["photo"][0]["file_id"]].content.startswith(b"\x89PNG")
    assert _text(results).splitlines() == [
        "📊 Līdzdalības budžets „Budžets 2027”: rezultāti",
        "Skaitīšana: pēc balsu skaita, kamēr pietiek līdzekļu.",
        "",
        "✅ #1 Rotaļu laukums pie skolas — 3 000 €, 2 balsis",
        "✅ #3 Soliņi gar upes taku — 1 500 €, 2 balsis",
        "▫️ #2 Autobusa pietura pie veikala — 2 000 €, 1 balss",
        "",
        "Finansēts: 4 500 € no 5 000 €; atlikums 500 €.",
        "Tiešsaistē nobalsoja 0 no 2 man zināmajiem dalībniekiem (0%).",
        "Papīra biļeteni: 3.",
    ]
    async with database.transaction() as session:
        funded = {
            i.number: i.funding_source for i in await session.scalars(select(Idea)) if i.number < 4
        }
        decisions = list(await session.scalars(select(Decision)))
        round_ = await session.scalar(select(BudgetRound))
    assert funded == {
        1: "līdzdalības budžets Budžets 2027",
        2: None,
        3: "līdzdalības budžets Budžets 2027",
    }
    assert [d.source for d in decisions] == [DecisionSource.BUDGET] * 2
    assert decisions[0].text.replace("\xa0", " ") == (
        "Ideja #1 „Rotaļu laukums pie skolas” tiek finansēta no līdzdalības budžeta "
        "„Budžets 2027” (3 000 €)."
    )
    assert round_ is not None
    assert round_.counted_at is not None
    gone = await tg.ask(chat, leader, "/budget")
    assert _text(gone).startswith("Pašlaik nenotiek neviena budžeta kārta.")

    # The counted round in pabulib's format, read back by pabutools: the paper ballots by number.
    cursor = tg.mark()
    await tg.send(chat, leader, "/budget fails")
    sent = await tg.wait_for(lambda c: c.ok and c.method == "sendDocument", after=cursor)
    document = sent.result["document"]
    assert document["file_name"] == "lejasciems-budget-1.pb"
    assert sent.result["caption"].startswith("Budžets „Budžets 2027” pabulib formātā (.pb)")
    instance, profile = parse_pabulib_from_string(tg.files[document["file_id"]].content.decode())
    assert instance.budget_limit == 5000
    assert sorted(sorted(p.name for p in ballot) for ballot in profile) == [
        ["1", "2"],
        ["1", "3"],
        ["3"],
    ]
    assert {b.meta["voting_method"] for b in profile} == {"paper"}


async def test_wrong_input_is_explained(tg: BotApiEmulator, village: Village) -> None:
    chat, leader = village.chat, village.admin
    usage = await tg.ask(chat, leader, "/budget 5000")
    assert _text(usage).startswith("Uzrakstiet summu eiro un balsošanas ilgumu")
    nothing = await tg.ask(chat, leader, "/budget start")
    assert _text(nothing).startswith("Pašlaik nenotiek neviena budžeta kārta.")
    await tg.ask(chat, leader, "/budget 5000 3d")
    empty = await tg.ask(chat, leader, "/budget start")
    assert _text(empty).startswith("Balsošanas sarakstā vēl nav nevienas idejas")
    word = await tg.ask(chat, leader, "/budget add pieci")
    assert _text(word) == "„pieci” nav idejas numurs. Uzrakstiet numurus, piemēram: 1 3 5"
    dropped = await tg.ask(chat, leader, "/budget atcelt")
    assert _text(dropped).startswith("Budžeta kārta „")
    assert _text(dropped).endswith("” atcelta.")


async def test_a_round_whose_deadline_passed_while_the_bot_was_down_is_counted_on_restart(
    tg: BotApiEmulator, api_url: str, database_url: str
) -> None:
    anna = tg.user("Anna", language_code="lv")
    janis = tg.user("Jānis", language_code="lv")
    chat = tg.group("Lejasciems", admins=[anna], members=[janis])
    settings = settings_for(tg, api_url, database_url)
    async with running_bot(settings):
        cursor = tg.mark()
        await tg.add_bot(chat, by=anna)
        await tg.next_message(chat, after=cursor)
        village = Village(chat, anna, janis)
        await _accepted_ideas(tg, village)
        await tg.ask(chat, anna, "/budget 5000 2h")
        await tg.ask(chat, anna, "/budget start")
        await tg.ask(chat, anna, "/budget paper 2")
        await tg.settle(quiet=0.2)
    with later(timedelta(hours=3)):
        cursor = tg.mark()
        async with running_bot(settings):
            results = await tg.next_message(chat, after=cursor)
            await tg.settle(quiet=0.3)
    assert _text(results).startswith("📊 Līdzdalības budžets „")
    assert "✅ #2 Autobusa pietura pie veikala — 2 000 €, 1 balss" in _text(results)
    # Started again later, nothing more happens.
    cursor = tg.mark()
    async with running_bot(settings):
        await tg.settle(quiet=0.3)
    assert [c.method for c in tg.calls[cursor:] if c.method == "sendMessage"] == []


async def test_members_vote_in_private_chat_with_a_running_total(
    tg: BotApiEmulator, village: Village, bot: BotApplication, database: Database
) -> None:
    await _accepted_ideas(tg, village)
    chat, leader, resident = village.chat, village.admin, village.resident
    await tg.ask(chat, leader, "/budget 5000 1h")
    announcement = await tg.ask(chat, leader, "/budget start")
    [vote] = buttons(announcement)
    assert vote["text"] == "🗳 Balsot"
    payload = vote["url"].split("?start=")[1]

    card = await tg.ask(resident, resident, f"/start {payload}")
    assert _text(card).splitlines()[-1] == "Vēl nekas nav izvēlēts."
    assert [b["text"].replace("\xa0", " ") for b in buttons(card)] == [
        "▫️ #1 Rotaļu laukums pie skolas — 3 000 €",
        "▫️ #2 Autobusa pietura pie veikala — 2 000 €",
        "▫️ #3 Soliņi gar upes taku — 1 500 €",
    ]

    async def press(label: str) -> dict[str, Any]:
        answer = await tg.answer_of(await tg.press(card, label, by=resident))
        await tg.settle(quiet=0.2)
        return answer

    await press("▫️ #1")
    await press("▫️ #2")
    shown = tg.message(card["chat"]["id"], card["message_id"])
    assert _text(shown).splitlines()[-1] == "✅ Izvēlēts: 5 000 € no 5 000 €; atlikums 0 €."
    refused = await press("▫️ #3")
    assert refused["show_alert"]
    assert refused["text"].replace("\xa0", " ") == (
        "Jūsu izvēlētās idejas kopā maksā 6 500 €, vairāk nekā pieejamie 5 000 €. "
        "Atsakieties no kādas."
    )
    await press("✅ #2")
    await press("▫️ #3")
    shown = tg.message(card["chat"]["id"], card["message_id"])
    assert _text(shown).splitlines()[-1] == "✅ Izvēlēts: 4 500 € no 5 000 €; atlikums 500 €."
    assert [" ".join(b["text"].split()[:2]) for b in buttons(shown)] == ["✅ #1", "▫️ #2", "✅ #3"]

    # Someone who is not in the village group gets no ballot.
    stranger = tg.user("Svešinieks", language_code="lv")
    refused_link = await tg.ask(stranger, stranger, f"/start {payload}")
    assert _text(refused_link) == "Jūs neesat šīs ciema grupas dalībnieks."

    with later(timedelta(hours=1, seconds=2)):
        cursor = tg.mark()
        await scheduler.rebuild(bot)
        results = await tg.next_message(chat, after=cursor)
        await tg.settle(quiet=0.3)
    assert "✅ #1 Rotaļu laukums pie skolas — 3 000 €, 1 balss" in _text(results)
    assert "Tiešsaistē nobalsoja 1 no 2 man zināmajiem dalībniekiem (50%)." in _text(results)
    # After the deadline the buttons no longer change anything.
    late = await press("✅ #1")
    assert late["text"] == "Balsošana budžeta kārtā #1 nav atvērta."


async def test_members_who_have_not_voted_are_reminded_once(
    tg: BotApiEmulator, village: Village, bot: BotApplication
) -> None:
    """The village's poll reminder (a day before) falls in the first half of a two-hour vote:
    the reminder comes halfway, to the group and privately to each member who has not voted."""
    await _accepted_ideas(tg, village)
    chat, leader, resident = village.chat, village.admin, village.resident
    await tg.private(resident, "/start")
    await tg.ask(chat, leader, "/budget 5000 2h")
    announcement = await tg.ask(chat, leader, "/budget start")
    payload = buttons(announcement)[0]["url"].split("?start=")[1]
    card = await tg.ask(leader, leader, f"/start {payload}")
    await tg.answer_of(await tg.press(card, "▫️ #1", by=leader))
    await tg.settle(quiet=0.2)
    with later(timedelta(hours=1, seconds=2)):
        cursor = tg.mark()
        await scheduler.rebuild(bot)
        reminder = await tg.next_message(chat, after=cursor)
        private = await tg.next_message(resident, after=cursor)
        await scheduler.rebuild(bot)  # once only
        await tg.settle(quiet=0.3)
        sent = [c for c in tg.calls[cursor:] if c.method == "sendMessage" and c.ok]
    assert _text(reminder).startswith("⏰ Balsošana par līdzdalības budžetu „")
    assert reminder["reply_to_message"]["message_id"] == announcement["message_id"]
    assert _text(private).startswith("⏰ Jūs vēl neesat nobalsojuši par līdzdalības budžetu „")
    assert buttons(private)[0]["url"].endswith(payload)
    assert len(sent) == 2  # the group and the resident; not the leader, who voted
