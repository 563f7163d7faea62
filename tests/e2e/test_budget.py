"""The real process: a participatory budget counted by the Method of Equal Shares. A leader
opens it from accepted ideas with costs and announces it; one member votes in private chat,
another on the village board, the leader enters a paper ballot. The process is stopped before
the deadline and started again after it (its clock moved on, as if the test had waited): the
round is counted then, once, and funds what equal shares fund (not what greedy would)."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest

from bot.models import utcnow
from bot.testing import BotApiEmulator
from bot.testing.board import BoardClient
from tests.e2e.process import clock_at, villagebot
from tests.handlers.test_budget import _text
from tests.wire.test_webhook import free_port

pytestmark = pytest.mark.e2e

IDEAS = (
    ("Rotaļu laukums pie skolas", 3000),
    ("Autobusa pietura pie veikala", 2000),
    ("Soliņi gar upes taku", 1500),
)


async def test_a_budget_round_end_to_end(
    tg: BotApiEmulator, api_url: str, tmp_path: Path, database_url: str
) -> None:
    leader = tg.user("Anna", language_code="lv")
    janis = tg.user("Jānis", language_code="lv")
    ilze = tg.user("Ilze", language_code="lv")
    village = tg.group("Lejasciems", admins=[leader], members=[janis, ilze])
    port = free_port()
    extra = {"VILLAGEBOT_WEB_URL": "https://board.example.org", "VILLAGEBOT_WEB_PORT": str(port)}

    async with villagebot(tg, api_url, tmp_path, database_url, extra=extra) as bot:
        await tg.wait_for(lambda c: c.method == "deleteWebhook", timeout=60)
        cursor = tg.mark()
        await tg.add_bot(village, by=leader)
        await tg.next_message(village, after=cursor)
        for person in (leader, janis, ilze):
            await tg.ask(person, person, "/start")
        for number, (text, cost) in enumerate(IDEAS, start=1):
            await tg.ask(village, janis, f"/idea {text}")
            await tg.ask(village, leader, f"/ideaset {number} cost {cost}")
            await tg.ask(village, leader, f"/status {number} accepted")

        opened_at = utcnow()
        prepared = await tg.ask(village, leader, "/budget 5000 1h daļas Budžets 2027")
        assert _text(prepared).startswith("💶 Līdzdalības budžets „Budžets 2027”")
        announcement = await tg.ask(village, leader, "/budget start")
        assert _text(announcement).splitlines()[3:6] == [
            f"#{n} {text} — {cost:,} €".replace(",", " ") for n, (text, cost) in enumerate(IDEAS, 1)
        ]
        vote, on_the_board = (row[0] for row in announcement["reply_markup"]["inline_keyboard"])
        assert on_the_board["url"].startswith("https://t.me/villagebot_test?startapp=v")

        # Jānis votes in private chat: #1 and #2.
        payload = vote["url"].split("?start=")[1]
        ballot = await tg.ask(janis, janis, f"/start {payload}")
        for label in ("▫️ #1", "▫️ #2"):
            await tg.answer_of(await tg.press(ballot, label, by=janis))
            await tg.settle(quiet=0.3)
        shown = tg.message(ballot["chat"]["id"], ballot["message_id"])
        assert _text(shown).splitlines()[-1] == "✅ Izvēlēts: 5 000 € no 5 000 €; atlikums 0 €."

        # Ilze votes on the board: #3.
        async with BoardClient(f"http://127.0.0.1:{port}", tg.token) as board:
            start = on_the_board["url"].split("startapp=")[1]
            frame = await board.get(ilze, f"/board/api/frame?start={start}")
            found = re.search(r'data-village="(\d+)"', frame.text)
            assert found is not None
            assert 'data-view="budget"' in frame.text
            vid = found.group(1)
            saved = await board.post(
                ilze, f"/board/api/v/{vid}/budget/vote", [("round", "1"), ("idea", "3")]
            )
            assert saved.status == 200, saved.text

        # The leader: online #1 and #2, and a paper ballot for #3.
        ballot = await tg.ask(leader, leader, f"/start {payload}")
        for label in ("▫️ #1", "▫️ #2"):
            await tg.answer_of(await tg.press(ballot, label, by=leader))
            await tg.settle(quiet=0.3)
        paper = await tg.ask(village, leader, "/budget paper 3")
        assert _text(paper).startswith("Papīra biļetens #")
        status = await tg.ask(village, leader, "/budget")
        assert "Līdz šim balsojumi: 3 tiešsaistē, 1 uz papīra." in _text(status)
        assert await bot.stop() == 0, bot.output()

    # Started again after the deadline: the round is counted.
    with clock_at(opened_at + timedelta(hours=1, minutes=1)) as clock:
        async with villagebot(tg, api_url, tmp_path, database_url, extra=extra | clock) as bot:
            cursor = tg.mark()
            results = await tg.wait_for(
                lambda c: c.ok and c.method == "sendMessage" and _text(c.result).startswith("📊"),
                after=cursor,
                timeout=60,
            )
            await tg.wait_for(lambda c: c.ok and c.method == "sendPhoto", after=cursor)
            # Equal shares: each of the four voters controls 1 250 €. #3's two voters pay
            # 750 € each, #2's two 1 000 € each; #1 (3 000 €) is out of its voters' reach.
            # Greedy would have funded #1 and #2.
            lines = _text(results.result).splitlines()
            assert lines[3:6] == [
                "✅ #2 Autobusa pietura pie veikala — 2 000 €, 2 balsis",
                "✅ #3 Soliņi gar upes taku — 1 500 €, 2 balsis",
                "▫️ #1 Rotaļu laukums pie skolas — 3 000 €, 2 balsis",
            ]
            assert "Tiešsaistē nobalsoja 3 no 3 man zināmajiem dalībniekiem (100%)." in lines
            shown = await tg.ask(village, leader, "/idea 3")
            assert "līdzdalības budžets Budžets 2027" in _text(shown)
            assert await bot.stop() == 0, bot.output()

    # And again later: counted once.
    with clock_at(opened_at + timedelta(hours=2)) as clock:
        async with villagebot(tg, api_url, tmp_path, database_url, extra=extra | clock) as bot:
            cursor = tg.mark()
            await tg.wait_for(lambda c: c.method == "deleteWebhook", after=cursor, timeout=60)
            await tg.ask(village, janis, "/help")
            await tg.settle(quiet=1.0)
            assert await bot.stop() == 0, bot.output()
    posted = [m for m in tg.bot_messages(village) if _text(m).startswith(("📊", "⏰"))]
    assert len(posted) == 1, [_text(m) for m in posted]
    assert "Traceback" not in bot.output()
