"""The next meeting's agenda gathers the other features: ideas in discussion, polls open or
closing soon, and decisions due for review."""

from __future__ import annotations

from bot.testing import BotApiEmulator
from tests.conftest import Village
from tests.handlers.meeting_steps import local_day, schedule


async def test_the_agenda_gathers_what_the_village_is_working_on(
    tg: BotApiEmulator, village: Village
) -> None:
    await schedule(tg, village.chat, village.admin)
    await tg.ask(village.chat, village.resident, "/idea Jauns rotaļu laukums pie skolas")
    await tg.ask(village.chat, village.resident, "/idea Ielu apgaismojums Dārza ielā")
    await tg.ask(village.chat, village.admin, "/status 1 discussion")
    cursor = tg.mark()
    await tg.send(
        village.chat, village.admin, "/poll 2d Kur likt soliņu? | Pie veikala | Pie skolas"
    )
    await tg.wait_for(lambda c: c.method == "sendPoll" and c.ok, after=cursor)
    await tg.settle()
    await tg.ask(village.chat, village.admin, f"/decision {local_day(2)} Remontēt tiltu maijā")
    await tg.ask(village.chat, village.admin, f"/decision {local_day(60)} Vēlāk pārskatāms lēmums")
    await tg.settle()
    agenda = await tg.ask(village.chat, village.resident, "/agenda")
    text = agenda["text"]
    assert "💡 Ideja #1 apspriešanā: „Jauns rotaļu laukums pie skolas”" in text
    assert "Ielu apgaismojums" not in text
    assert "🗳 Aptauja atvērta līdz " in text
    assert "„Kur likt soliņu?”" in text
    assert "„Remontēt tiltu maijā”" in text
    assert "Vēlāk pārskatāms" not in text
