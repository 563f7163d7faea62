"""Meetings on the board: the dates with their answers and minutes, one date's page, RSVP and
leaders' agenda items through the chat's services (the group's card follows), the calendar
file behind its token, and nothing of another village."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from icalendar import Calendar
from sqlalchemy import func, select

from bot.db import Database
from bot.models import AgendaItem, Answer, MeetingOccurrence, MeetingRsvp, utcnow
from bot.testing import BotApiEmulator, FakeChat
from bot.testing.board import BoardClient
from tests.board.conftest import WEB_URL, village_id
from tests.conftest import Village, new_village
from tests.handlers.meeting_steps import RIGA, labels, occurrences, schedule


async def _first_date(database: Database, chat: FakeChat) -> MeetingOccurrence:
    """The village's soonest meeting date."""
    vid = await village_id(database, chat)
    async with database.transaction() as session:
        found = await session.scalar(
            select(MeetingOccurrence)
            .where(MeetingOccurrence.community_id == vid)
            .order_by(MeetingOccurrence.starts_at)
        )
    assert found is not None
    return found


async def _card(tg: BotApiEmulator, card: dict[str, Any]) -> dict[str, Any]:
    await tg.settle(quiet=0.4)
    return tg.message(card["chat"]["id"], card["message_id"])


async def test_residents_and_leaders_see_the_dates_and_answer(
    tg: BotApiEmulator, village: Village, board: BoardClient, database: Database
) -> None:
    card = await schedule(tg, village.chat, village.admin)
    vid = await village_id(database, village.chat)
    date = await _first_date(database, village.chat)
    year = str(date.starts_at.astimezone(RIGA).year)
    for person in (village.resident, village.admin):
        listed = await board.get(person, f"/board/api/v/{vid}/meetings")
        assert listed.status == 200
        assert "Sanāksme par paveikto" in listed.text
        assert "📍 Tautas nams" in listed.text
        assert f"{year}. gada" in listed.text
        assert "18:00" in listed.text
        assert "✅ Piedalīšos · 0" in listed.text
        assert "Jūsu atbilde" not in listed.text
        assert "Neviena sanāksme vēl nav notikusi." in listed.text

    answered = await board.post(
        village.resident, f"/board/api/v/{vid}/meeting/{date.id}/rsvp", {"answer": "going"}
    )
    assert answered.status == 200
    assert "Pierakstīts: jūs piedalīsieties." in answered.text
    listed = await board.get(village.resident, f"/board/api/v/{vid}/meetings")
    assert "Jūsu atbilde: piedalīšos." in listed.text
    assert "✅ Piedalīšos · 1" in listed.text
    assert labels(await _card(tg, card))[0] == "✅ Piedalīšos · 1"
    # A changed answer moves the count, on the board and on the group's card.
    await board.post(
        village.resident, f"/board/api/v/{vid}/meeting/{date.id}/rsvp", {"answer": "no"}
    )
    assert labels(await _card(tg, card)) == [
        "✅ Piedalīšos · 0",
        "🤔 Varbūt · 0",
        "❌ Nevarēšu · 1",
    ]
    by_leader = await board.get(village.admin, f"/board/api/v/{vid}/meetings")
    assert "❌ Nevarēšu · 1" in by_leader.text
    assert "Jūsu atbilde" not in by_leader.text
    async with database.transaction() as session:
        answers = list(await session.scalars(select(MeetingRsvp.answer)))
    assert answers == [Answer.NO]

    wrong = await board.post(
        village.resident, f"/board/api/v/{vid}/meeting/{date.id}/rsvp", {"answer": "yes!"}
    )
    assert wrong.status == 400
    assert "Izvēlieties vienu no atbildēm" in wrong.text


async def test_a_dates_page_opens_from_its_start_parameter(
    tg: BotApiEmulator, village: Village, board: BoardClient, database: Database
) -> None:
    await schedule(tg, village.chat, village.admin, repeat="Katru nedēļu")
    vid = await village_id(database, village.chat)
    date = await _first_date(database, village.chat)
    frame = await board.get(village.resident, f"/board/api/frame?start=v{vid}-m{date.id}")
    assert f'data-view="meeting/{date.id}"' in frame.text
    page = await board.get(village.resident, f"/board/api/v/{vid}/meeting/{date.id}")
    assert page.status == 200
    assert "<h2>Sanāksme par paveikto</h2>" in page.text
    assert "🔁 Katru nedēļu" in page.text
    assert f'data-action="meeting/{date.id}/rsvp"' in page.text
    assert "Darba kārtībā vēl nekā nav." in page.text
    assert "📎 Pievienojiet to savam kalendāram" in page.text
    assert "Jauns darba kārtības punkts" not in page.text  # residents add no items
    assert "Protokols" not in page.text  # a date to come has none yet
    by_leader = await board.get(village.admin, f"/board/api/v/{vid}/meeting/{date.id}")
    assert f'data-action="meeting/{date.id}/agenda"' in by_leader.text


async def test_a_leader_adds_an_agenda_item_and_a_resident_cannot(
    tg: BotApiEmulator, village: Village, board: BoardClient, database: Database
) -> None:
    card = await schedule(tg, village.chat, village.admin)
    vid = await village_id(database, village.chat)
    date = await _first_date(database, village.chat)
    path = f"/board/api/v/{vid}/meeting/{date.id}/agenda"

    refused = await board.post(village.resident, path, {"text": "Mans jautājums"})
    assert refused.status == 403
    assert "Atvainojiet" in refused.text
    too_short = await board.post(village.admin, path, {"text": "x"})
    assert too_short.status == 400
    assert "vismaz 3 rakstzīmes" in too_short.text
    async with database.transaction() as session:
        assert await session.scalar(select(func.count()).select_from(AgendaItem)) == 0

    added = await board.post(village.admin, path, {"text": "Ceļa <remonts>"})
    assert added.status == 200
    assert "Pievienots sanāksmes „Sanāksme par paveikto”" in added.text
    page = await board.get(village.resident, f"/board/api/v/{vid}/meeting/{date.id}")
    assert "<li>Ceļa &lt;remonts&gt;</li>" in page.text
    assert "• Ceļa <remonts>" in (await _card(tg, card))["text"]


async def test_another_villages_date_is_not_found(
    tg: BotApiEmulator, village: Village, board: BoardClient, database: Database
) -> None:
    await schedule(tg, village.chat, village.admin)
    other = await new_village(tg)
    await schedule(tg, other.chat, other.admin, title="Citu sanāksme")
    vid = await village_id(database, village.chat)
    theirs = await _first_date(database, other.chat)
    base = f"/board/api/v/{vid}/meeting/{theirs.id}"
    assert (await board.get(village.admin, base)).status == 404
    rsvp = await board.post(village.resident, f"{base}/rsvp", {"answer": "going"})
    assert rsvp.status == 404
    agenda = await board.post(village.admin, f"{base}/agenda", {"text": "Svešs punkts"})
    assert agenda.status == 404
    listed = await board.get(village.resident, f"/board/api/v/{vid}/meetings")
    assert "Citu sanāksme" not in listed.text
    async with database.transaction() as session:
        assert await session.scalar(select(func.count()).select_from(MeetingRsvp)) == 0
        assert await session.scalar(select(func.count()).select_from(AgendaItem)) == 0


async def test_the_calendar_link_works_without_init_data_and_only_with_its_token(
    tg: BotApiEmulator, village: Village, board: BoardClient, database: Database
) -> None:
    await schedule(tg, village.chat, village.admin, repeat="Katru nedēļu")
    vid = await village_id(database, village.chat)
    date = await _first_date(database, village.chat)
    page = await board.get(village.resident, f"/board/api/v/{vid}/meeting/{date.id}")
    found = re.search(r'href="([^"]+\.ics)"', page.text)
    assert found is not None
    url = found.group(1)
    assert url.startswith(f"{WEB_URL}/board/ics/{date.id}-")
    path = url.removeprefix(WEB_URL)

    served = await board.get(None, path)
    assert served.status == 200
    event = next(iter(Calendar.from_ical(served.text).walk("VEVENT")))
    assert str(event["summary"]) == "Sanāksme par paveikto"
    assert str(event["location"]) == "Tautas nams"
    assert event["rrule"].to_ical() == b"FREQ=WEEKLY"

    # A date called off: the same link now takes it out of the calendar.
    async with database.transaction() as session:
        cancelled = await session.get(MeetingOccurrence, date.id)
        assert cancelled is not None
        cancelled.cancelled_at = utcnow()
    page = await board.get(village.resident, f"/board/api/v/{vid}/meeting/{date.id}")
    assert "📎 Atveriet, lai izņemtu sanāksmi no sava kalendāra" in page.text
    assert 'data-action="meeting/' not in page.text
    event = next(iter(Calendar.from_ical((await board.get(None, path)).text).walk("VEVENT")))
    assert str(event["status"]) == "CANCELLED"

    token = path.rsplit("-", 1)[1].removesuffix(".ics")
    wrong = "0" * len(token) if token != "0" * len(token) else "1" * len(token)
    assert (await board.get(None, f"/board/ics/{date.id}-{wrong}.ics")).status == 404
    assert (await board.get(None, f"/board/ics/{date.id + 1}-{token}.ics")).status == 404
    assert (await board.get(None, f"/board/ics/{date.id}-{token[:8]}.ics")).status == 404


async def test_past_dates_link_to_their_minutes(
    tg: BotApiEmulator, village: Village, board: BoardClient, database: Database
) -> None:
    await schedule(tg, village.chat, village.admin, repeat="Katru nedēļu")
    # Time passes: the first date took place two hours ago (answers are closed by then).
    async with database.transaction() as session:
        dates = list(
            await session.scalars(select(MeetingOccurrence).order_by(MeetingOccurrence.starts_at))
        )
        shift = dates[0].starts_at - utcnow() + timedelta(hours=2)
        for each in dates:
            each.starts_at -= shift
    await tg.ask(village.chat, village.admin, "/minutes Remontēt ceļu <līdz maijam>")
    vid = await village_id(database, village.chat)
    past = (await occurrences(database))[0]

    listed = await board.get(village.resident, f"/board/api/v/{vid}/meetings")
    upcoming, _, before = listed.text.partition("Notikušās sanāksmes")
    assert "Lasīt protokolu" in before
    assert f'data-go="meeting/{past.id}"' in before
    assert f'data-go="meeting/{past.id}"' not in upcoming
    page = await board.get(village.resident, f"/board/api/v/{vid}/meeting/{past.id}")
    assert "<li>Remontēt ceļu &lt;līdz maijam&gt;</li>" in page.text
    assert 'data-action="meeting/' not in page.text  # no answers, no agenda items now
    late = await board.post(
        village.resident, f"/board/api/v/{vid}/meeting/{past.id}/rsvp", {"answer": "going"}
    )
    assert late.status == 400
    assert "Šī sanāksme jau ir notikusi." in late.text
