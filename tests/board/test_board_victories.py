"""The wall of small victories on the board: newest first with their dates and ideas, and
applause through the chat's service, once per person, the group's card following."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from bot.db import Database
from bot.models import Applause, Idea, Victory, VictoryStatus, utcnow
from bot.testing import BotApiEmulator
from bot.testing.board import BoardClient
from tests.board.conftest import village_id
from tests.conftest import Village, new_village
from tests.handlers.test_victories import labels

RIGA = ZoneInfo("Europe/Riga")


async def _applause(database: Database) -> tuple[int, int]:
    """(the victory's count, applause rows)."""
    async with database.transaction() as session:
        count = await session.scalar(select(Victory.applause_count).order_by(Victory.id))
        rows = await session.scalar(select(func.count()).select_from(Applause))
    return count or 0, rows or 0


async def test_the_wall_newest_first_with_dates_and_ideas(
    tg: BotApiEmulator, village: Village, board: BoardClient, database: Database
) -> None:
    await tg.ask(village.chat, village.admin, "/victory Pieturā ir jauns soliņš!")
    await tg.ask(village.chat, village.resident, "/victory Vēl gaida apstiprinājumu")
    await tg.ask(village.chat, village.resident, "/idea Jauns rotaļu laukums")
    vid = await village_id(database, village.chat)
    async with database.transaction() as session:
        idea = await session.scalar(select(Idea))
        assert idea is not None
        session.add(
            Victory(
                community_id=vid,
                text=idea.text,
                status=VictoryStatus.APPROVED,
                decided_at=utcnow() + timedelta(seconds=5),
                idea_id=idea.id,
            )
        )
    for person in (village.resident, village.admin):
        wall = await board.get(person, f"/board/api/v/{vid}/victories")
        assert wall.status == 200
        assert wall.text.index("Jauns rotaļu laukums") < wall.text.index("Pieturā ir jauns soliņš!")
        assert 'data-go="idea/1">Ideja #1</a>' in wall.text
        assert f"{utcnow().astimezone(RIGA):%d.%m.%Y}" in wall.text
        assert "👏 Aplausi · 0" in wall.text
        assert "Vēl gaida apstiprinājumu" not in wall.text


async def test_applause_counts_once_per_person_and_refreshes_the_card(
    tg: BotApiEmulator, village: Village, board: BoardClient, database: Database
) -> None:
    card = await tg.ask(village.chat, village.admin, "/victory Pieturā ir jauns soliņš!")
    await tg.settle(quiet=0.4)
    vid = await village_id(database, village.chat)
    async with database.transaction() as session:
        victory_id = await session.scalar(select(Victory.id))
    path = f"/board/api/v/{vid}/victories/{victory_id}/applause"

    applauded = await board.post(village.resident, path)
    assert applauded.status == 200
    assert "Jūs aplaudējat šai uzvarai." in applauded.text
    assert await _applause(database) == (1, 1)
    await tg.settle(quiet=0.4)
    assert labels(tg.message(village.chat.id, card["message_id"])) == ["👏 1"]
    wall = await board.get(village.resident, f"/board/api/v/{vid}/victories")
    assert 'aria-pressed="true">👏 Aplausi · 1' in wall.text
    by_leader = await board.get(village.admin, f"/board/api/v/{vid}/victories")
    assert 'aria-pressed="false">👏 Aplausi · 1' in by_leader.text

    await board.post(village.admin, path)
    assert await _applause(database) == (2, 2)
    # A second press of the same person takes it back, as the card's button does.
    back = await board.post(village.resident, path)
    assert "Aplausi atsaukti." in back.text
    assert await _applause(database) == (1, 1)
    await tg.settle(quiet=0.4)
    assert labels(tg.message(village.chat.id, card["message_id"])) == ["👏 1"]
    # The chat's button and the board are one applause per person.
    await tg.press(card, "👏", village.resident)
    await tg.settle(quiet=0.4)
    assert await _applause(database) == (2, 2)
    await board.post(village.resident, path)
    assert await _applause(database) == (1, 1)


async def test_another_villages_or_a_waiting_victory_is_not_found(
    tg: BotApiEmulator, village: Village, board: BoardClient, database: Database
) -> None:
    other = await new_village(tg)
    await tg.ask(other.chat, other.admin, "/victory Kaimiņiem jauns tilts!")
    await tg.ask(village.chat, village.resident, "/victory Vēl gaida apstiprinājumu")
    vid = await village_id(database, village.chat)
    async with database.transaction() as session:
        theirs = await session.scalar(select(Victory.id).where(Victory.community_id != vid))
        waiting = await session.scalar(select(Victory.id).where(Victory.community_id == vid))
    for victory_id in (theirs, waiting, 999999):
        answer = await board.post(
            village.resident, f"/board/api/v/{vid}/victories/{victory_id}/applause"
        )
        assert answer.status == 404
        assert "Šīs uzvaras vairs nav." in answer.text
    wall = await board.get(village.resident, f"/board/api/v/{vid}/victories")
    assert "Kaimiņiem jauns tilts!" not in wall.text
    assert "Mazo uzvaru vēl nav." in wall.text
    async with database.transaction() as session:
        assert await session.scalar(select(func.count()).select_from(Applause)) == 0


async def test_older_victories_on_the_next_page(
    tg: BotApiEmulator, village: Village, board: BoardClient, database: Database
) -> None:
    vid = await village_id(database, village.chat)
    start = utcnow() - timedelta(days=30)
    async with database.transaction() as session:
        for n in range(21):
            session.add(
                Victory(
                    community_id=vid,
                    text=f"Uzvara numur {n}",
                    status=VictoryStatus.APPROVED,
                    decided_at=start + timedelta(days=n),
                )
            )
    first = await board.get(village.resident, f"/board/api/v/{vid}/victories")
    assert "Uzvara numur 20" in first.text
    assert "Uzvara numur 0<" not in first.text
    assert 'data-go="victories?page=2">Vecākās' in first.text
    assert "lapa 1 no 2" in first.text
    second = await board.get(village.resident, f"/board/api/v/{vid}/victories?page=2")
    assert "Uzvara numur 0<" in second.text
    assert "Uzvara numur 1<" not in second.text
    assert 'data-go="victories?page=1">Jaunākās' in second.text
