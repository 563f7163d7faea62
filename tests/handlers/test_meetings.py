"""Meetings through the emulator: a leader schedules one, residents answer, leaders list, move
and cancel dates, add agenda items and record minutes; wrong input and forged buttons get a
clear answer and change nothing."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
from icalendar import Calendar
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot import agenda
from bot.db import Database
from bot.i18n import Html, Translator, escape
from bot.models import (
    Community,
    Meeting,
    MeetingMinutes,
    MeetingOccurrence,
    MeetingRsvp,
    utcnow,
)
from bot.runtime import BotApplication
from bot.testing import BotApiEmulator, buttons
from tests.conftest import Village
from tests.handlers.meeting_steps import (
    RIGA,
    job_times,
    jobs_near,
    labels,
    local_day,
    occurrences,
    planned,
    schedule,
)


async def _card_now(tg: BotApiEmulator, card: dict[str, Any], wanted: str) -> dict[str, Any]:
    """The message once a button or a line of it reads `wanted` (it is edited a moment later)."""

    def check() -> dict[str, Any] | None:
        current = tg.message(card["chat"]["id"], card["message_id"])
        shown = [*labels(current), *current.get("text", "").splitlines()]
        return current if wanted in shown else None

    found = await tg.wait_until(check, timeout=5)
    assert found is not None, labels(tg.message(card["chat"]["id"], card["message_id"]))
    return found


async def test_a_leader_schedules_a_weekly_meeting(
    tg: BotApiEmulator, village: Village, database: Database, bot: BotApplication
) -> None:
    day = local_day(8)
    question = await tg.ask(
        village.chat, village.admin, f"/meeting {day} 18:00 Sanāksme par paveikto @ Tautas nams"
    )
    assert question["text"].startswith("Cik bieži notiks šī sanāksme?")
    assert labels(question)[:3] == ["Vienreiz", "Katru nedēļu", "Ik pēc divām nedēļām"]
    assert labels(question)[3].startswith("Katra mēneša ")

    cursor = tg.mark()
    await tg.press(question, "Katru nedēļu", by=village.admin)
    card = await tg.next_message(village.chat, after=cursor)
    document = (await tg.wait_for(lambda c: c.method == "sendDocument", after=cursor)).result
    lines = card["text"].splitlines()
    assert lines[0] == "📅 Ieplānota sanāksme. Vai piedalīsieties?"
    assert lines[2:] == [
        "Sanāksme par paveikto",
        lines[3],
        "📍 Tautas nams",
        "🔁 Katru nedēļu",
    ]
    assert lines[3].startswith("🗓 ")
    assert lines[3].endswith(", 18:00")
    assert labels(card) == ["✅ Piedalīšos · 0", "🤔 Varbūt · 0", "❌ Nevarēšu · 0"]
    assert tg.message(question["chat"]["id"], question["message_id"])["text"].startswith(
        "Ieplānots: Sanāksme par paveikto"
    )

    assert document["document"]["file_name"] == "sanaksme-par-paveikto.ics"
    assert document["caption"] == "📎 Pievienojiet to savam kalendāram"
    ics = Calendar.from_ical(tg.files[document["document"]["file_id"]].content)
    event = next(iter(ics.walk("VEVENT")))
    assert str(event["summary"]) == "Sanāksme par paveikto"
    assert event.decoded("dtstart").astimezone(RIGA).isoformat().startswith(f"{day}T18:00")
    assert event["rrule"].to_ical() == b"FREQ=WEEKLY"

    dates = await occurrences(database)
    assert len(dates) == 4  # 8, 15, 22 and 29 days ahead: up to 35 days ahead
    first = dates[0]
    jobs = await jobs_near(bot, first.starts_at)
    assert jobs[f"meeting-start:{first.id}"] == first.starts_at
    assert jobs[f"meeting-reminder:{first.id}:60"] == first.starts_at - timedelta(hours=1)
    assert jobs[f"meeting-reminder:{first.id}:1440"] == first.starts_at - timedelta(days=1)
    assert f"meeting-start:{dates[-1].id}" in await jobs_near(bot, dates[-1].starts_at)


async def test_residents_answer_and_the_card_counts_live(
    tg: BotApiEmulator, village: Village, database: Database
) -> None:
    card = await schedule(tg, village.chat, village.admin)
    query = await tg.press(card, "✅", by=village.resident)
    assert (await tg.answer_of(query))["text"] == "✅ Pierakstīts: jūs piedalīsieties. Uz tikšanos!"
    await _card_now(tg, card, "✅ Piedalīšos · 1")
    await tg.press(card, "🤔", by=village.admin)
    await tg.press(card, "❌", by=village.resident)
    current = await _card_now(tg, card, "❌ Nevarēšu · 1")
    assert labels(current) == ["✅ Piedalīšos · 0", "🤔 Varbūt · 1", "❌ Nevarēšu · 1"]
    async with database.transaction() as session:
        assert await session.scalar(select(func.count()).select_from(MeetingRsvp)) == 2
    listed = await tg.ask(village.chat, village.resident, "/meetings")
    assert listed["text"].splitlines()[1].endswith("📍 Tautas nams · ✅ 0")


@pytest.mark.parametrize(
    ("command", "reply"),
    [
        ("/meeting", "Uzrakstiet datumu un laiku šādi: "),
        ("/meeting 2020-01-01 18:00 Vecā sanāksme", "Šis laiks jau ir pagājis."),
        ("/meeting 31.02.2027 18:00 Sanāksme", "Nevaru saprast datumu. Uzrakstiet datumu"),
        ("/meeting rīt 18:00 Sanāksme", "Nevaru saprast datumu. Uzrakstiet datumu"),
        ("/meeting {day} 6pm Sanāksme", "Nevaru saprast laiku. Uzrakstiet to pēc datuma"),
        ("/meeting 2030-01-01 18:00 Sanāksme", "Tas ir pārāk tālu"),
        ("/meeting {day} 18:00 ab", "Nosaukums ir par īsu: vismaz 3 rakstzīmes. Piemēram: "),
        ("/meeting {day} 18:00 @ Tautas nams", "Trūkst sanāksmes nosaukuma"),
        ("/meeting 12.12.2026 18:00", "Trūkst sanāksmes nosaukuma"),
    ],
)
async def test_wrong_meeting_input_is_explained(
    tg: BotApiEmulator, village: Village, database: Database, command: str, reply: str
) -> None:
    answer = await tg.ask(village.chat, village.admin, command.format(day=local_day(3)))
    assert answer["text"].startswith(reply)
    if "Piemēram: /meeting" in answer["text"]:
        example = f"{local_day(7)} 18:00"
        assert f"Piemēram: /meeting {example} Sanāksme par paveikto @ Tautas nams" in answer["text"]
    async with database.transaction() as session:
        assert await session.scalar(select(func.count()).select_from(Meeting)) == 0


async def test_residents_cannot_schedule(
    tg: BotApiEmulator, village: Village, database: Database
) -> None:
    refused = await tg.ask(village.chat, village.resident, f"/meeting {local_day(3)} 18:00 Mana")
    assert refused["text"].startswith("Atvainojiet, to var darīt tikai darba grupa")
    question = await tg.ask(village.chat, village.admin, f"/meeting {local_day(3)} 18:00 Sanāksme")
    query = await tg.press(question, "Vienreiz", by=village.resident)
    answer = await tg.answer_of(query)
    assert answer["show_alert"]
    assert answer["text"].startswith("Atvainojiet, to var darīt tikai darba grupa")
    assert await occurrences(database) == []
    # Pressed twice: the second press finds it scheduled already.
    cursor = tg.mark()
    await tg.press(question, "Vienreiz", by=village.admin)
    await tg.next_message(village.chat, after=cursor)
    # Its buttons are gone; where Telegram no longer shows the message, the meeting says so.
    again = await tg.press_data(question, "mtgrepeat1:1:weekly", by=village.admin)
    assert (await tg.answer_of(again))["text"] == "Šī poga vairs nedarbojas."
    again = await tg.press_data(
        question, "mtgrepeat1:1:weekly", by=village.admin, inaccessible=True
    )
    assert (await tg.answer_of(again))["text"] == "Šī sanāksme jau ir ieplānota."
    assert len(await occurrences(database)) == 1


async def test_the_list_and_cancelling_one_date(
    tg: BotApiEmulator, village: Village, database: Database, bot: BotApplication
) -> None:
    empty = await tg.ask(village.chat, village.resident, "/meetings")
    assert empty["text"].startswith("Sanāksmes nav ieplānotas.")
    card = await schedule(tg, village.chat, village.admin, repeat="Katru nedēļu")
    resident_list = await tg.ask(village.chat, village.resident, "/meetings")
    assert resident_list["text"].splitlines()[0] == "Gaidāmās sanāksmes"
    assert len(resident_list["text"].splitlines()) == 6
    assert buttons(resident_list) == []

    leader_list = await tg.ask(village.chat, village.admin, "/meetings")
    assert labels(leader_list) == ["1", "2", "3", "4", "5"]
    await tg.press(leader_list, "1", by=village.admin)
    view = await _card_now(tg, leader_list, "✖️ Atcelt šo reizi")
    assert view["text"].endswith("Ko mainīt?")
    assert labels(view) == [
        "🕓 Pārcelt uz citu laiku",
        "✖️ Atcelt šo reizi",
        "✖️ Atcelt visu sēriju",
        "« Atpakaļ",
    ]
    first = (await occurrences(database))[0]
    assert buttons(view)[0]["url"] == f"https://t.me/{tg.bot.username}?start=mtgmove_{first.id}"

    await tg.press(view, "✖️ Atcelt šo reizi", by=village.admin)
    confirm = await _card_now(tg, leader_list, "Jā, atcelt")
    assert confirm["text"].startswith("Atcelt sanāksmi „Sanāksme par paveikto” (")
    await tg.press(confirm, "Jā, atcelt", by=village.admin)
    done = await _card_now(tg, card, "✖️ Šī sanāksme ir atcelta.")
    assert buttons(done) == []
    notice = tg.message(village.chat.id, leader_list["message_id"])["text"]
    assert notice.startswith("✖️ Sanāksme „Sanāksme par paveikto” (")
    assert f"meeting-start:{first.id}" not in await planned(database)
    assert f"meeting-start:{first.id + 1}" in await planned(database)
    await tg.settle()  # the calendar file of the cancellation goes before the next answer
    listed = await tg.ask(village.chat, village.admin, "/meetings")
    assert labels(listed) == ["1", "2", "3", "4"]
    # A press on the cancelled card's old button, or on the old list, changes nothing.
    stale = await tg.press_data(card, f"mtgrsvp1:{first.id}:going:-1", by=village.resident)
    assert (await tg.answer_of(stale))["text"] == "Šī poga vairs nedarbojas."
    old = await tg.press_data(
        card, f"mtgrsvp1:{first.id}:going:-1", by=village.resident, inaccessible=True
    )
    assert (await tg.answer_of(old))["text"] == "Šī sanāksme ir atcelta."


async def test_a_monthly_series_goes_on_after_a_moved_date_is_cancelled(
    tg: BotApiEmulator, village: Village, database: Database, bot: BotApplication
) -> None:
    admin = village.admin
    question = await tg.ask(
        village.chat, admin, f"/meeting {local_day(10)} 18:00 Sanāksme par paveikto"
    )
    monthly = next(label for label in labels(question) if label.startswith("Katra mēneša"))
    cursor = tg.mark()
    await tg.press(question, monthly, by=admin)
    invitation = (await tg.wait_for(lambda c: c.method == "sendDocument", after=cursor)).result
    uid = _event_of(tg, invitation)["uid"]
    (first,) = await occurrences(database)  # the next month's date is past the horizon
    await tg.ask(admin, admin, f"/start mtgmove_{first.id}")
    cursor = tg.mark()
    await tg.ask(admin, admin, f"{local_day(11)} 19:30")
    await tg.wait_for(lambda c: c.method == "sendDocument", after=cursor)

    listed = await tg.ask(village.chat, admin, "/meetings")
    await tg.press(listed, "1", by=admin)
    view = await _card_now(tg, listed, "✖️ Atcelt šo reizi")
    await tg.press(view, "✖️ Atcelt šo reizi", by=admin)
    confirm = await _card_now(tg, listed, "Jā, atcelt")
    cursor = tg.mark()
    await tg.press(confirm, "Jā, atcelt", by=admin)
    call = await tg.wait_for(lambda c: c.method == "sendDocument", after=cursor)
    assert call.params["caption"] == "📎 Atveriet, lai izņemtu sanāksmi no sava kalendāra"
    calendar = Calendar.from_ical(tg.files[call.result["document"]["file_id"]].content)
    assert str(calendar["method"]) == "CANCEL"
    event = _event_of(tg, call.result)
    assert (event["uid"], str(event["status"])) == (uid, "CANCELLED")
    assert int(event["sequence"]) > 1  # above the invitation's and the move's
    assert event.decoded("recurrence-id") == first.original_start.astimezone(RIGA)

    # The series goes on: its next date is listed, has the agenda, and counts in /stats.
    following = (await occurrences(database))[-1]
    assert following.id != first.id
    assert following.cancelled_at is None
    shown = await tg.ask(village.chat, village.resident, "/meetings")
    assert shown["text"].splitlines()[0] == "Gaidāmās sanāksmes"
    agenda_reply = await tg.ask(village.chat, village.resident, "/agenda")
    assert "Sanāksme par paveikto" in agenda_reply["text"]
    stats = await tg.ask(village.chat, admin, "/stats")
    assert "gaidāmas 1" in stats.get("text", stats.get("caption", ""))
    assert f"meeting-start:{following.id}" in await planned(database)


def _event_of(tg: BotApiEmulator, document: dict[str, Any]) -> Any:
    calendar = Calendar.from_ical(tg.files[document["document"]["file_id"]].content)
    return next(iter(calendar.walk("VEVENT")))


async def test_cancelling_the_whole_series(
    tg: BotApiEmulator, village: Village, database: Database, bot: BotApplication
) -> None:
    await schedule(tg, village.chat, village.admin, repeat="Ik pēc divām")
    listed = await tg.ask(village.chat, village.admin, "/meetings")
    await tg.press(listed, "2", by=village.admin)
    view = await _card_now(tg, listed, "✖️ Atcelt visu sēriju")
    await tg.press(view, "✖️ Atcelt visu sēriju", by=village.admin)
    confirm = await _card_now(tg, listed, "Jā, atcelt")
    assert confirm["text"].startswith("Atcelt visu sanāksmju sēriju „Sanāksme par paveikto”?")
    cursor = tg.mark()
    await tg.press(confirm, "Jā, atcelt", by=village.admin)
    await _card_now(
        tg, listed, "✖️ Sanāksmes „Sanāksme par paveikto” ir atceltas: tās vairs nenotiks."
    )
    call = await tg.wait_for(lambda c: c.method == "sendDocument", after=cursor)
    assert call.params["caption"] == "📎 Atveriet, lai izņemtu sanāksmes no sava kalendāra"
    event = _event_of(tg, call.result)
    assert (str(event["status"]), "recurrence-id" in event) == ("CANCELLED", False)
    assert job_times(bot) == {}
    assert all(o.cancelled_at is not None for o in await occurrences(database))
    empty = await tg.ask(village.chat, village.admin, "/meetings")
    assert empty["text"].startswith("Sanāksmes nav ieplānotas.")


async def test_a_leader_moves_a_date_in_private_chat(
    tg: BotApiEmulator, village: Village, database: Database, bot: BotApplication
) -> None:
    await schedule(tg, village.chat, village.admin)
    first = (await occurrences(database))[0]
    admin, resident = village.admin, village.resident
    refused = await tg.ask(resident, resident, f"/start mtgmove_{first.id}")
    assert refused["text"].startswith("Atvainojiet, to var darīt tikai darba grupa")
    question = await tg.ask(admin, admin, f"/start mtgmove_{first.id}")
    assert question["text"].startswith("Pārceļam sanāksmi „Sanāksme par paveikto” (")
    wrong = await tg.ask(admin, admin, "rīt vakarā")
    assert wrong["text"].startswith("Uzrakstiet datumu un laiku šādi: ")
    past = await tg.ask(admin, admin, "2020-01-01 10:00")
    assert past["text"].startswith("Šis laiks jau ir pagājis.")
    cursor = tg.mark()
    done = await tg.ask(admin, admin, f"{local_day(4)} 19:30")
    assert done["text"].startswith("Gatavs: sanāksmes „Sanāksme par paveikto” jaunais laiks — ")
    assert done["text"].endswith(", 19:30. Grupa ir informēta.")
    moved_card = await tg.next_message(village.chat, after=cursor)
    assert moved_card["text"].startswith("🕓 Sanāksmei ir jauns laiks. Vai piedalīsieties?")
    document = (await tg.wait_for(lambda c: c.method == "sendDocument", after=cursor)).result
    event = next(
        iter(Calendar.from_ical(tg.files[document["document"]["file_id"]].content).walk("VEVENT"))
    )
    assert event.decoded("dtstart").astimezone(RIGA).strftime("%H:%M") == "19:30"
    assert int(event["sequence"]) == 1

    moved = (await occurrences(database))[0]
    assert moved.starts_at.astimezone(RIGA).strftime("%H:%M") == "19:30"
    assert (await planned(database))[f"meeting-start:{moved.id}"] == moved.starts_at
    # The flow is over: more text is not taken as a new time.
    assert (await tg.ask(admin, admin, f"{local_day(5)} 10:00"))["text"].startswith(
        "Uzrakstiet komandu"
    )


async def test_buttons_and_links_from_another_village_do_nothing(
    tg: BotApiEmulator, village: Village, database: Database
) -> None:
    card = await schedule(tg, village.chat, village.admin)
    first = (await occurrences(database))[0]
    olga = tg.user("Olga")
    other = tg.group("Augšciems", admins=[olga])
    cursor = tg.mark()
    await tg.add_bot(other, by=olga)
    await tg.next_message(other, after=cursor)
    their_list = await tg.ask(other, olga, "/meetings")
    for data in (
        f"mtgrsvp1:{first.id}:going:-1",
        f"mtgact1:{first.id}:cy",
        f"mtgact1:{first.id}:sy",
        f"mtgact1:{first.id}:v",
    ):
        # Not among the list's buttons; on a message too old to be seen, the meeting is checked.
        query = await tg.press_data(their_list, data, by=olga)
        assert (await tg.answer_of(query))["text"] == "Šī poga vairs nedarbojas."
        query = await tg.press_data(their_list, data, by=olga, inaccessible=True)
        assert (await tg.answer_of(query))["text"] == "Šādu sanāksmi neatrodu. Skatiet /meetings."
    refused = await tg.ask(olga, olga, f"/start mtgmove_{first.id}")
    assert refused["text"].startswith("Atvainojiet, to var darīt tikai darba grupa")
    # In its own village, a resident may not cancel either.
    query = await tg.press_data(
        card, f"mtgact1:{first.id}:cy", by=village.resident, inaccessible=True
    )
    assert (await tg.answer_of(query))["text"].startswith("Atvainojiet")
    forged = await tg.press_data(card, f"mtgrsvp1:{first.id}:yes:-1", by=village.resident)
    assert (await tg.answer_of(forged))["text"] == "Šī poga vairs nedarbojas."
    dates = await occurrences(database)
    assert all(o.cancelled_at is None for o in dates)
    async with database.transaction() as session:
        assert await session.scalar(select(func.count()).select_from(MeetingRsvp)) == 0


@pytest.fixture
def fake_provider() -> Iterator[list[str]]:
    """An agenda provider like the ideas feature's, and one that fails."""
    seen: list[str] = []

    async def ideas(
        session: AsyncSession, community: Community, t: Translator, starts_at: datetime
    ) -> list[Html]:
        seen.append(community.title)
        return [escape("Idejā #3 <apspriešanā>: rotaļu laukums")]

    async def broken(
        session: AsyncSession, community: Community, t: Translator, starts_at: datetime
    ) -> list[Html]:
        raise RuntimeError("the polls feature is down")

    agenda.agenda_provider(ideas)
    agenda.agenda_provider(broken)
    yield seen
    agenda.AGENDA_PROVIDERS.remove(ideas)
    agenda.AGENDA_PROVIDERS.remove(broken)


async def test_the_agenda_has_leaders_items_and_other_features_lines(
    tg: BotApiEmulator, village: Village, fake_provider: list[str]
) -> None:
    nothing = await tg.ask(village.chat, village.resident, "/agenda")
    assert nothing["text"] == "Neviena sanāksme nav ieplānota. Līderis to var ieplānot ar /meeting."
    card = await schedule(tg, village.chat, village.admin)
    refused = await tg.ask(village.chat, village.resident, "/agenda Mans jautājums")
    assert refused["text"].startswith("Atvainojiet")
    added = await tg.ask(village.chat, village.admin, "/agenda Ceļa <remonts>")
    assert added["text"].startswith("Pievienots sanāksmes „Sanāksme par paveikto” (")
    shown = await tg.ask(village.chat, village.resident, "/agenda")
    assert shown["text"].splitlines()[1:] == [
        "• Ceļa <remonts>",
        "• Idejā #3 <apspriešanā>: rotaļu laukums",
    ]
    assert fake_provider
    assert set(fake_provider) == {"Lejasciems"}
    current = await _card_now(tg, card, "✅ Piedalīšos · 0")

    def with_agenda() -> dict[str, Any] | None:
        now = tg.message(card["chat"]["id"], card["message_id"])
        return now if "• Ceļa <remonts>" in now["text"] else None

    assert await tg.wait_until(with_agenda, timeout=5), current["text"]
    too_long = await tg.ask(village.chat, village.admin, "/agenda " + "x" * 400)
    assert too_long["text"].startswith("Tas ir par garu: ne vairāk kā 300 rakstzīmes")


async def _into_the_past(database: Database, taken_place: int) -> None:
    """Move the meeting's dates back as if time had passed: the first `taken_place` of them are
    over, the last of those an hour ago (whatever the time of day the test runs at)."""
    async with database.transaction() as session:
        dates = list(
            await session.scalars(select(MeetingOccurrence).order_by(MeetingOccurrence.starts_at))
        )
        shift = dates[taken_place - 1].starts_at - utcnow() + timedelta(hours=1)
        for occurrence in dates:
            occurrence.starts_at -= shift


async def test_minutes_of_the_last_meeting(
    tg: BotApiEmulator, village: Village, database: Database
) -> None:
    await schedule(tg, village.chat, village.admin, repeat="Katru nedēļu")
    none_yet = await tg.ask(village.chat, village.admin, "/minutes Lēmums")
    assert none_yet["text"] == "Neviena sanāksme vēl nav notikusi."
    # Time passes: the first two dates have taken place.
    await _into_the_past(database, taken_place=2)
    dates = await occurrences(database)
    refused = await tg.ask(village.chat, village.resident, "/minutes Mans lēmums")
    assert refused["text"].startswith("Atvainojiet")
    saved = await tg.ask(village.chat, village.admin, "/minutes Remontēt ceļu <līdz maijam>")
    assert saved["text"].splitlines()[1] == "Remontēt ceļu <līdz maijam>"
    assert saved["text"].startswith("📝 Ierakstīts sanāksmes „Sanāksme par paveikto” (")
    assert saved["text"].endswith("Vai tā bija cita sanāksme? Izvēlieties tās datumu:")
    assert len(buttons(saved)) == 1
    async with database.transaction() as session:
        entry = await session.scalar(select(MeetingMinutes))
        assert entry is not None
        assert entry.occurrence_id == dates[1].id
    cursor = tg.mark()
    await tg.press(saved, labels(saved)[0], by=village.admin)
    await tg.wait_for(lambda c: c.method == "editMessageText", after=cursor)
    moved = tg.message(village.chat.id, saved["message_id"])
    assert moved["text"].startswith("📝 Pārcelts uz sanāksmes „Sanāksme par paveikto” (")
    async with database.transaction() as session:
        assert await session.scalar(select(MeetingMinutes.occurrence_id)) == dates[0].id
    latest = await tg.ask(village.chat, village.resident, "/minutes")
    assert latest["text"].splitlines()[1] == "Vēl nekas nav ierakstīts."


async def test_minutes_written_in_private_are_posted_in_the_group(
    tg: BotApiEmulator, village: Village, database: Database
) -> None:
    await schedule(tg, village.chat, village.admin)
    await _into_the_past(database, taken_place=1)
    admin = village.admin
    await tg.ask(admin, admin, "/start")
    cursor = tg.mark()
    saved = await tg.ask(admin, admin, "/minutes Nākamā talka 12. maijā")
    assert saved["text"].startswith("📝 Ierakstīts")
    assert buttons(saved) == []
    posted = await tg.next_message(village.chat, after=cursor)
    assert posted["text"].startswith("📝 Protokols: Sanāksme par paveikto")
    assert posted["text"].endswith("• Nākamā talka 12. maijā")
    shown = await tg.ask(village.chat, village.resident, "/minutes")
    assert shown["text"].splitlines()[1:] == ["• Nākamā talka 12. maijā"]


async def test_reminder_settings_reschedule_the_reminders(
    tg: BotApiEmulator, village: Village, database: Database, bot: BotApplication
) -> None:
    await schedule(tg, village.chat, village.admin)
    first = (await occurrences(database))[0]
    # The units the Latvian help text shows.
    saved = await tg.ask(village.chat, village.admin, "/settings reminders 2 st 15 min")
    assert saved["text"] == "Saglabāts. Sanāksmju atgādinājumi: 2 st., 15 min"
    await tg.settle()
    jobs = await jobs_near(bot, first.starts_at)
    reminders = sorted(n for n in jobs if n.startswith("meeting-reminder:"))
    assert reminders == [f"meeting-reminder:{first.id}:120", f"meeting-reminder:{first.id}:15"]
    off = await tg.ask(village.chat, village.admin, "/settings reminders none")
    assert off["text"] == "Saglabāts. Sanāksmju atgādinājumi: nav atgādinājumu"
    await tg.settle()
    assert not [n for n in job_times(bot) if n.startswith("meeting-reminder:")]
    assert not [n for n in await planned(database) if n.startswith("meeting-reminder:")]
    wrong = await tg.ask(village.chat, village.admin, "/settings reminders soon")
    assert wrong["text"].startswith("„soon” nav ilgums.")
    too_far = await tg.ask(village.chat, village.admin, "/settings reminders 5 ned")
    assert too_far["text"] == "Ilgumam jābūt no 1 min līdz 4 ned. ieskaitot."
    async with database.transaction() as session:
        assert await session.scalar(select(Community.reminder_offsets)) == []
    resident = await tg.ask(village.chat, village.resident, "/settings reminders 1h")
    assert resident["text"].startswith("Atvainojiet")


async def test_english_village(tg: BotApiEmulator, village: Village, database: Database) -> None:
    async with database.transaction() as session:
        await session.execute(update(Community).values(language="en"))
    day = datetime.fromisoformat(local_day(3))
    question = await tg.ask(village.chat, village.admin, f"/meeting {day:%d.%m.%Y} 18:00 Talk")
    assert labels(question)[3].startswith("Every ")
    assert labels(question)[3].endswith(" of the month")
    cursor = tg.mark()
    await tg.press(question, "Once", by=village.admin)
    card = await tg.next_message(village.chat, after=cursor)
    assert card["text"].startswith("📅 A meeting is scheduled. Will you come?")
    assert labels(card) == ["✅ Going · 0", "🤔 Maybe · 0", "❌ Can't · 0"]


async def test_a_leader_schedules_from_private_chat(
    tg: BotApiEmulator, village: Village, database: Database
) -> None:
    admin = village.admin
    await tg.ask(admin, admin, "/start")
    question = await tg.ask(admin, admin, f"/meeting {local_day(5)} 10:00 Talka @ Skola")
    assert question["text"].startswith("Cik bieži notiks šī sanāksme?")
    cursor = tg.mark()
    await tg.press(question, "Vienreiz", by=admin)
    card = await tg.next_message(village.chat, after=cursor)
    assert card["text"].splitlines()[2] == "Talka"
    assert tg.message(admin.id, question["message_id"])["text"].endswith(
        "Ielūgums ir publicēts grupā."
    )
    listed = await tg.ask(admin, admin, "/meetings")
    assert listed["text"].splitlines()[1].startswith("1. ")
    assert labels(listed) == ["1"]
    resident = village.resident
    await tg.answer_of(await tg.press(card, "✅", by=resident))  # the bot now knows them
    await tg.ask(resident, resident, "/start")
    listed = await tg.ask(admin, admin, "/meetings")
    theirs = await tg.ask(resident, resident, "/meetings")
    assert theirs["text"] == listed["text"].rsplit("\n\n", 1)[0]
    assert buttons(theirs) == []
