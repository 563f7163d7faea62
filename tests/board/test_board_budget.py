"""The participatory budget on the board: the round as it is prepared, voted on and counted,
and a member's ballot saved through the chat's service (changeable until the deadline, refused
over the sum with both sums, after the deadline, and in another village)."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot import scheduler
from bot.db import Database
from bot.models import BudgetBallot, BudgetRound
from bot.runtime import BotApplication
from bot.testing import BotApiEmulator
from bot.testing.board import Answer, BoardClient
from bot.testing.world import FakeUser
from tests.board.conftest import WEB_URL, village_id
from tests.board.test_board_entry import DIRECT
from tests.conftest import Village, new_village
from tests.handlers.test_budget import _accepted_ideas
from tests.handlers.test_poll_deadlines import later

RIGA = ZoneInfo("Europe/Riga")
NOT_OPEN = "Balsošana budžeta kārtā #1 nav atvērta."


def _text(answer: Answer) -> str:
    """The answer with Babel's no-break spaces (in amounts) as plain ones."""
    return answer.text.replace("\xa0", " ")


async def _view(board: BoardClient, person: FakeUser, vid: int) -> str:
    answer = await board.get(person, f"/board/api/v/{vid}/budget")
    assert answer.status == 200, answer.text
    return _text(answer)


async def _vote(board: BoardClient, person: FakeUser, vid: int, *picks: str) -> Answer:
    fields = [("round", "1"), *(("idea", pick) for pick in picks)]
    return await board.post(person, f"/board/api/v/{vid}/budget/vote", fields)


async def _ballots(database: Database) -> list[tuple[int, bool, int | None]]:
    """(number, paper, voter) of every ballot."""
    async with database.transaction() as session:
        rows = await session.execute(
            select(BudgetBallot.number, BudgetBallot.is_paper, BudgetBallot.user_id).order_by(
                BudgetBallot.number
            )
        )
        return [tuple(row) for row in rows]  # type: ignore[misc]


async def _voting(tg: BotApiEmulator, village: Village, database: Database) -> int:
    """A round of 5,000 € on ideas #1 (3,000 €), #2 (2,000 €), #3 (1,500 €), voted on for an
    hour; the village's id."""
    await _accepted_ideas(tg, village)
    await tg.ask(village.chat, village.admin, "/budget 5000 1h Budžets 2027")
    await tg.ask(village.chat, village.admin, "/budget start")
    return await village_id(database, village.chat)


async def _closes(database: Database) -> str:
    """The round's deadline as Latvian writes it, in the village's time zone (with the year)."""
    async with database.transaction() as session:
        closes_at = await session.scalar(select(BudgetRound.closes_at))
    assert closes_at is not None
    return f"{closes_at.astimezone(RIGA):%d.%m.%Y %H:%M}"


async def test_no_round_then_a_round_being_prepared(
    tg: BotApiEmulator, village: Village, board: BoardClient, database: Database
) -> None:
    vid = await village_id(database, village.chat)
    none = await _view(board, village.resident, vid)
    assert "<h2>Līdzdalības budžets</h2>" in none
    assert "Pašlaik nenotiek neviena budžeta kārta." in none

    await _accepted_ideas(tg, village)
    await tg.ask(village.chat, village.admin, "/budget 5000 1h Budžets 2027")
    await tg.ask(village.chat, village.admin, "/budget remove 3")
    shown = await _view(board, village.resident, vid)
    assert "<h2>💶 <b>Līdzdalības budžets „Budžets 2027”</b></h2>" in shown
    assert "Summa: 5 000 €. Balsošanas ilgums: 1 stunda." in shown
    assert "Darba grupa gatavo balsošanas sarakstu: balsošana vēl nav sākusies." in shown
    assert 'data-go="idea/1">#1 Rotaļu laukums pie skolas — 3 000 €</a>' in shown
    assert 'data-go="idea/2">#2 Autobusa pietura pie veikala — 2 000 €</a>' in shown
    assert "#3" not in shown
    assert "<form" not in shown
    assert "/budget sākt" not in shown
    assert "<code>/budget sākt</code>" in await _view(board, village.admin, vid)

    early = await _vote(board, village.resident, vid, "1")
    assert early.status == 400
    assert NOT_OPEN in early.text
    assert await _ballots(database) == []


async def test_the_announcement_and_the_reminders_open_the_boards_ballot(
    tg: BotApiEmulator,
    village: Village,
    board: BoardClient,
    bot: BotApplication,
    database: Database,
) -> None:
    """With the board on, the vote can be cast there: the group's announcement links to the
    board's budget tab (the direct Mini App link), a private reminder opens it as a Mini App."""
    await _accepted_ideas(tg, village)
    await tg.private(village.resident, "/start")
    await tg.ask(village.chat, village.admin, "/budget 5000 2h")
    announcement = await tg.ask(village.chat, village.admin, "/budget start")
    vid = await village_id(database, village.chat)
    vote, on_the_board = (row[0] for row in announcement["reply_markup"]["inline_keyboard"])
    assert vote["text"] == "🗳 Balsot"
    assert on_the_board == {"text": "📋 Balsot tāfelē", "url": f"{DIRECT}v{vid}-b"}
    frame = await board.get(village.resident, f"/board/api/frame?start=v{vid}-b")
    assert 'data-view="budget"' in frame.text
    with later(timedelta(hours=1, seconds=2)):
        cursor = tg.mark()
        await scheduler.rebuild(bot)
        private = await tg.next_message(village.resident, after=cursor)
    app = private["reply_markup"]["inline_keyboard"][1][0]
    assert app == {
        "text": "📋 Balsot tāfelē",
        "web_app": {"url": f"{WEB_URL}/board?start=v{vid}-b"},
    }


async def test_a_member_votes_and_changes_the_ballot(
    tg: BotApiEmulator, village: Village, board: BoardClient, database: Database
) -> None:
    vid = await _voting(tg, village, database)
    closes = await _closes(database)

    before = await _view(board, village.resident, vid)
    assert "Ciems lemj, kā izlietot 5 000 €" in before
    assert "Skaitīšana: pēc balsu skaita, kamēr pietiek līdzekļu." in before
    assert f"Balsošana beidzas {closes}." in before
    assert "Jūs vēl neesat nobalsojuši." in before
    assert 'data-total-of="500000"' in before
    assert 'data-cost="300000"' in before
    assert "<output data-running-total>Vēl nekas nav izvēlēts.</output>" in before
    assert 'data-total-over="Jūsu izvēlētās idejas kopā maksā {total}, vairāk nekā' in before
    assert 'data-go="idea/2">Ideja #2</a>' in before
    assert "checked" not in before

    cursor = tg.mark()
    saved = await _vote(board, village.resident, vid, "1", "3")
    assert saved.status == 200
    assert (
        f"Jūsu balsojums ir saglabāts: idejas #1, #3 (4 500 €). To var mainīt līdz {closes}."
        in _text(saved)
    )
    [(number, paper, _voter)] = await _ballots(database)
    assert not paper
    shown = await _view(board, village.resident, vid)
    assert 'value="1" data-cost="300000" checked>' in shown
    assert 'value="2" data-cost="200000">' in shown
    assert 'value="3" data-cost="150000" checked>' in shown
    assert "✅ Izvēlēts: 4 500 € no 5 000 €; atlikums 500 €." in shown
    # Another member's page shows their own (empty) ballot.
    assert "checked" not in await _view(board, village.admin, vid)

    changed = await _vote(board, village.resident, vid, "2")
    assert changed.status == 200
    assert "idejas #2 (2 000 €)" in _text(changed)
    assert [row[0] for row in await _ballots(database)] == [number]  # the same ballot
    shown = await _view(board, village.resident, vid)
    assert 'value="1" data-cost="300000">' in shown
    assert 'value="2" data-cost="200000" checked>' in shown
    # The ballot is private: nothing is said in the group.
    await tg.settle(quiet=0.3)
    assert [c for c in tg.calls[cursor:] if c.method == "sendMessage"] == []


async def test_wrong_ballots_are_refused_and_explained(
    tg: BotApiEmulator, village: Village, board: BoardClient, database: Database
) -> None:
    vid = await _voting(tg, village, database)
    await _vote(board, village.resident, vid, "3")

    over = await _vote(board, village.resident, vid, "1", "2", "3")
    assert over.status == 400
    assert (
        "Jūsu izvēlētās idejas kopā maksā 6 500 €, vairāk nekā pieejamie 5 000 €. "
        "Atsakieties no kādas." in _text(over)
    )
    for picks, refusal in (
        ((), "Izvēlieties vismaz vienu ideju."),
        (("4",), "Idejas #4 nav balsošanas sarakstā."),
        (("pieci",), "„pieci” nav idejas numurs."),
    ):
        answer = await _vote(board, village.resident, vid, *picks)
        assert answer.status == 400
        assert refusal in answer.text
    # A form from an earlier round never lands in this one.
    stale = await board.post(
        village.resident, f"/board/api/v/{vid}/budget/vote", [("round", "7"), ("idea", "1")]
    )
    assert stale.status == 400
    assert "Balsošana budžeta kārtā #7 nav atvērta." in stale.text
    shown = await _view(board, village.resident, vid)
    assert "idejas #3 (1 500 €)" in shown  # unchanged


async def test_leaders_see_the_ballots_and_how_to_enter_paper_ones(
    tg: BotApiEmulator, village: Village, board: BoardClient, database: Database
) -> None:
    vid = await _voting(tg, village, database)
    await tg.ask(village.chat, village.admin, "/budget paper 1 2")
    await _vote(board, village.resident, vid, "3")
    leader = await _view(board, village.admin, vid)
    assert "Līdz šim balsojumi: 1 tiešsaistē, 1 uz papīra." in leader
    assert "<code>/budget papīrs 1 3 5</code>" in leader
    resident = await _view(board, village.resident, vid)
    assert "Līdz šim balsojumi" not in resident
    assert "/budget papīrs" not in resident


async def test_after_the_deadline_the_ballot_is_closed_and_the_results_shown(
    tg: BotApiEmulator,
    village: Village,
    board: BoardClient,
    database: Database,
    bot: BotApplication,
) -> None:
    vid = await _voting(tg, village, database)
    closes = await _closes(database)
    await _vote(board, village.resident, vid, "1", "3")
    await _vote(board, village.admin, vid, "1")
    with later(timedelta(hours=1, seconds=2)):
        late = await _vote(board, village.resident, vid, "2")
        assert late.status == 400
        assert NOT_OPEN in late.text
        closed = await _view(board, village.resident, vid)
        assert f"🗳 Balsošana beidzās {closes}." in closed
        assert "Balsis tiek skaitītas." in closed
        assert "<form" not in closed

        cursor = tg.mark()
        await scheduler.rebuild(bot)  # the deadline's job counts the round
        await tg.next_message(village.chat, after=cursor)
        shown = await _view(board, village.resident, vid)
        counted_late = await _vote(board, village.resident, vid, "2")
    assert "<h2>📊 <b>Līdzdalības budžets „Budžets 2027”: rezultāti</b></h2>" in shown
    assert (
        'data-go="idea/1">✅ #1 Rotaļu laukums pie skolas — 3 000 €, 2 balsis</a>\n'
        '    <span class="meta">· finansēta</span>' in shown
    )
    assert "✅ #3 Soliņi gar upes taku — 1 500 €, 1 balss" in shown
    assert "▫️ #2 Autobusa pietura pie veikala — 2 000 €, 0 balsu</a>" in shown
    assert "· nav finansēta" in shown
    assert f"🗳 Balsošana beidzās {closes}." in shown
    assert "Finansēts: 4 500 € no 5 000 €; atlikums 500 €." in shown
    assert "Tiešsaistē nobalsoja 2 no 2 man zināmajiem dalībniekiem (100%)." in shown
    assert shown.index("#1 Rotaļu") < shown.index("#3 Soliņi") < shown.index("#2 Autobusa")
    assert "<form" not in shown
    assert counted_late.status == 400
    assert NOT_OPEN in counted_late.text
    assert len(await _ballots(database)) == 2


async def test_a_member_of_another_village_is_refused(
    tg: BotApiEmulator, village: Village, board: BoardClient, database: Database
) -> None:
    vid = await _voting(tg, village, database)
    other = await new_village(tg)
    view = await board.get(other.resident, f"/board/api/v/{vid}/budget")
    assert view.status == 403
    assert "Balsošanas" not in view.text
    refused = await _vote(board, other.resident, vid, "1")
    assert refused.status == 403
    assert await _ballots(database) == []
