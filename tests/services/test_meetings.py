"""Meetings in the database: scheduling a series, its dates, cancelling, moving, RSVPs, agenda,
minutes, and what is due to be sent — each village sees only its own."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import Database
from bot.models import (
    Answer,
    AuditEntry,
    Community,
    MeetingOccurrence,
    MeetingRsvp,
    Repeat,
    User,
)
from bot.services import communities, meeting_notes, meeting_rsvps, meetings, members, once
from bot.services.communities import CommunityDefaults
from bot.services.errors import InvalidInput, NotFound
from bot.services.meeting_plan import Kind, due_messages, still_due
from bot.services.meeting_times import MeetingRequest

DEFAULTS = CommunityDefaults(language="lv", timezone="Europe/Riga")
RIGA = ZoneInfo("Europe/Riga")
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
FIRST = datetime(2026, 12, 3, 18, 0, tzinfo=RIGA)  # a Thursday


async def _village(session: AsyncSession, chat_id: int = -100) -> Community:
    return (await communities.ensure(session, chat_id, f"Village {chat_id}", DEFAULTS)).community


async def _person(session: AsyncSession, telegram_id: int = 7) -> User:
    return await members.ensure_user(session, members.Profile(telegram_id, "Anna"))


async def _scheduled(
    session: AsyncSession,
    community: Community,
    user: User,
    repeat: Repeat = Repeat.WEEKLY,
    first: datetime = FIRST,
    now: datetime = NOW,
) -> MeetingOccurrence:
    request = MeetingRequest(first, "Sanāksme", "Tautas nams")
    meeting = await meetings.create_draft(session, community, user, request)
    return await meetings.confirm(session, community, user, meeting.id, repeat, now)


async def _starts(session: AsyncSession, community: Community) -> list[str]:
    rows = await session.scalars(
        select(MeetingOccurrence.starts_at)
        .where(MeetingOccurrence.community_id == community.id)
        .order_by(MeetingOccurrence.starts_at)
    )
    return [f"{s.astimezone(RIGA):%m-%d %H:%M}" for s in rows]


async def test_a_weekly_meeting_has_its_dates_up_to_the_horizon(db: Database) -> None:
    async with db.transaction() as session:
        village, anna = await _village(session), await _person(session)
        first = await _scheduled(session, village, anna)
        assert first.starts_at == FIRST
        assert first.meeting.repeat == Repeat.WEEKLY
        # Created 25.11: dates up to 30.12 (35 days) exist.
        assert await _starts(session, village) == [
            "12-03 18:00",
            "12-10 18:00",
            "12-17 18:00",
            "12-24 18:00",
        ]
        assert await meetings.extend(session, first.meeting, NOW) == 0
        # A week later, one more date appears; nothing is doubled.
        assert await meetings.extend_all(session, NOW + timedelta(days=7)) == 1
        assert (await _starts(session, village))[-1] == "12-31 18:00"
        audit = await session.scalar(select(AuditEntry))
        assert audit is not None
        assert audit.action == "meeting"


async def test_a_series_always_has_its_next_date(db: Database) -> None:
    async with db.transaction() as session:
        village, anna = await _village(session), await _person(session)
        await _scheduled(session, village, anna, Repeat.MONTHLY)
        assert await _starts(session, village) == ["12-03 18:00"]
        # Restarted long after: past dates that never existed are not made, the next one is.
        await meetings.extend_all(session, datetime(2027, 1, 20, tzinfo=UTC))
        assert await _starts(session, village) == ["12-03 18:00", "02-04 18:00"]


async def test_a_monthly_series_goes_on_after_its_next_date_is_cancelled(db: Database) -> None:
    async with db.transaction() as session:
        village, anna = await _village(session), await _person(session)
        first = await _scheduled(session, village, anna, Repeat.MONTHLY)
        later = NOW + timedelta(hours=1)
        moved = FIRST + timedelta(days=1)
        await meetings.move_occurrence(session, village, anna, first.id, moved, later)
        await meetings.cancel_occurrence(session, village, anna, first.id, later)
        # The next date (the first Thursday of January) is there at once, though past the horizon.
        found, total = await meetings.upcoming(session, village, later, 10)
        assert total == 1
        assert f"{found[0].starts_at.astimezone(RIGA):%m-%d %H:%M}" == "01-07 18:00"
        assert await meetings.next_occurrence(session, village, later) == found[0]
        # Rebuilding the jobs makes nothing twice; a date moved earlier and held does the same.
        assert await meetings.extend_all(session, later) == 0
        january = found[0]
        await meetings.move_occurrence(
            session, village, anna, january.id, FIRST + timedelta(days=10), later
        )
        assert await meetings.extend_all(session, FIRST + timedelta(days=11)) == 1
        assert (await _starts(session, village))[-1] == "02-04 18:00"


async def test_scheduling_is_checked(db: Database) -> None:
    async with db.transaction() as session:
        village, other, anna = await _village(session), await _village(session, -200), None
        anna = await _person(session)
        draft = await meetings.create_draft(
            session, village, anna, MeetingRequest(FIRST, "Sanāksme", None)
        )
        with pytest.raises(NotFound):  # a forged button from another village
            await meetings.confirm(session, other, anna, draft.id, Repeat.ONCE, NOW)
        with pytest.raises(InvalidInput):  # the leader pressed too late
            await meetings.confirm(session, village, anna, draft.id, Repeat.ONCE, FIRST)
        await meetings.confirm(session, village, anna, draft.id, Repeat.ONCE, NOW)
        with pytest.raises(NotFound):
            await meetings.confirm(session, village, anna, draft.id, Repeat.WEEKLY, NOW)
        assert await _starts(session, village) == ["12-03 18:00"]
        assert await meetings.extend_all(session, NOW + timedelta(days=60)) == 0


async def test_upcoming_dates_and_cancelling_one(db: Database) -> None:
    async with db.transaction() as session:
        village, anna = await _village(session), await _person(session)
        first = await _scheduled(session, village, anna)
        found, total = await meetings.upcoming(session, village, NOW, 2)
        assert (len(found), total) == (2, 4)
        assert found[0].id == first.id
        await meetings.cancel_occurrence(session, village, anna, first.id, NOW)
        found, total = await meetings.upcoming(session, village, NOW, 10)
        assert total == 3
        assert first.id not in [o.id for o in found]
        with pytest.raises(NotFound):
            await meetings.cancel_occurrence(session, village, anna, first.id, NOW)
        # The cancelled date is not made again when the series is extended.
        await meetings.extend(session, first.meeting, NOW)
        assert (await _starts(session, village)).count("12-03 18:00") == 1


async def test_cancelling_the_series_keeps_the_past(db: Database) -> None:
    async with db.transaction() as session:
        village, anna = await _village(session), await _person(session)
        first = await _scheduled(session, village, anna)
        later = FIRST + timedelta(days=1)
        cancelled = await meetings.cancel_series(session, village, anna, first.id + 1, later)
        assert len(cancelled) == 3
        assert first.cancelled_at is None
        assert await meetings.extend_all(session, later + timedelta(days=30)) == 0
        assert await meetings.upcoming(session, village, NOW, 10) == ([first], 1)


async def test_moving_a_date(db: Database) -> None:
    async with db.transaction() as session:
        village, other = await _village(session), await _village(session, -200)
        anna = await _person(session)
        first = await _scheduled(session, village, anna)
        new = FIRST + timedelta(days=1, hours=1)
        with pytest.raises(NotFound):
            await meetings.move_occurrence(session, other, anna, first.id, new, NOW)
        with pytest.raises(InvalidInput):
            await meetings.move_occurrence(session, village, anna, first.id, NOW, NOW)
        later = NOW + timedelta(hours=3)
        moved = await meetings.move_occurrence(session, village, anna, first.id, new, later)
        assert (moved.starts_at, moved.original_start, moved.planned_at) == (new, FIRST, later)
        with pytest.raises(InvalidInput):  # once it has taken place, it stays
            await meetings.move_occurrence(session, village, anna, first.id, new, new)


async def test_one_answer_per_member_and_date(db: Database) -> None:
    async with db.transaction() as session:
        village, anna = await _village(session), await _person(session)
        janis = await _person(session, 8)
        first = await _scheduled(session, village, anna)
        await meeting_rsvps.set_rsvp(session, village, anna, first.id, Answer.GOING, NOW)
        await meeting_rsvps.set_rsvp(session, village, janis, first.id, Answer.GOING, NOW)
        await meeting_rsvps.set_rsvp(session, village, janis, first.id, Answer.MAYBE, NOW)
        counts = await meeting_rsvps.rsvp_counts(session, first.id)
        assert (counts[Answer.GOING], counts[Answer.MAYBE], counts[Answer.NO]) == (1, 1, 0)
        assert await session.scalar(select(func.count()).select_from(MeetingRsvp)) == 2


async def test_the_database_refuses_a_second_answer(db: Database) -> None:
    async with db.transaction() as session:
        village, anna = await _village(session), await _person(session)
        first = await _scheduled(session, village, anna)
        await meeting_rsvps.set_rsvp(session, village, anna, first.id, Answer.GOING, NOW)
        with pytest.raises(IntegrityError):
            async with session.begin_nested():
                session.add(
                    MeetingRsvp(
                        community_id=village.id,
                        occurrence_id=first.id,
                        user_id=anna.id,
                        answer=Answer.NO,
                    )
                )


async def test_answers_are_checked(db: Database) -> None:
    async with db.transaction() as session:
        village, other = await _village(session), await _village(session, -200)
        anna = await _person(session)
        first = await _scheduled(session, village, anna)
        with pytest.raises(NotFound):
            await meeting_rsvps.set_rsvp(session, other, anna, first.id, Answer.GOING, NOW)
        with pytest.raises(InvalidInput):
            await meeting_rsvps.set_rsvp(
                session, village, anna, first.id, Answer.GOING, FIRST + timedelta(hours=2)
            )
        await meetings.cancel_occurrence(session, village, anna, first.id, NOW)
        with pytest.raises(NotFound):
            await meeting_rsvps.set_rsvp(session, village, anna, first.id, Answer.GOING, NOW)


async def test_agenda_items_go_to_the_next_date_of_the_village(db: Database) -> None:
    async with db.transaction() as session:
        village, other = await _village(session), await _village(session, -200)
        anna = await _person(session)
        with pytest.raises(NotFound):
            await meeting_notes.add_agenda_item(session, village, anna, "Ceļa remonts", NOW)
        first = await _scheduled(session, village, anna)
        target = await meeting_notes.add_agenda_item(session, village, anna, " Ceļa  remonts ", NOW)
        assert target.id == first.id
        assert await meeting_notes.agenda_items(session, first.id) == ["Ceļa remonts"]
        with pytest.raises(NotFound):
            await meeting_notes.add_agenda_item(session, other, anna, "Cits ciems", NOW)
        with pytest.raises(InvalidInput):
            await meeting_notes.add_agenda_item(session, village, anna, "x" * 301, NOW)
        for n in range(meeting_notes.AGENDA_ITEMS_MAX - 1):
            await meeting_notes.add_agenda_item(session, village, anna, f"Jautājums {n}", NOW)
        with pytest.raises(InvalidInput):
            await meeting_notes.add_agenda_item(session, village, anna, "Vēl viens", NOW)


async def test_an_agenda_item_goes_to_the_date_named_while_it_is_still_to_come(
    db: Database,
) -> None:
    async with db.transaction() as session:
        village, other = await _village(session), await _village(session, -200)
        anna = await _person(session)
        first = await _scheduled(session, village, anna)
        second = await session.scalar(
            select(MeetingOccurrence)
            .where(MeetingOccurrence.community_id == village.id)
            .order_by(MeetingOccurrence.starts_at)
            .offset(1)
            .limit(1)
        )
        assert second is not None
        target = await meeting_notes.add_agenda_item(
            session, village, anna, "Ceļa remonts", NOW, second.id
        )
        assert target.id == second.id
        assert await meeting_notes.agenda_items(session, second.id) == ["Ceļa remonts"]
        assert await meeting_notes.agenda_items(session, first.id) == []
        with pytest.raises(NotFound):
            await meeting_notes.add_agenda_item(session, other, anna, "Cits ciems", NOW, second.id)
        later = FIRST + timedelta(hours=1)
        with pytest.raises(InvalidInput):
            await meeting_notes.add_agenda_item(session, village, anna, "Par vēlu", later, first.id)
        await meetings.cancel_occurrence(session, village, anna, second.id, NOW)
        with pytest.raises(NotFound):
            await meeting_notes.add_agenda_item(session, village, anna, "Atcelta", NOW, second.id)


async def test_minutes_go_to_the_last_meeting_and_can_be_moved(db: Database) -> None:
    async with db.transaction() as session:
        village, other = await _village(session), await _village(session, -200)
        anna = await _person(session)
        with pytest.raises(NotFound):
            await meeting_notes.record_minutes(session, village, anna, "Lēmums", NOW)
        first = await _scheduled(session, village, anna)
        after_two = FIRST + timedelta(days=8)
        entry = await meeting_notes.record_minutes(session, village, anna, "Lēmums", after_two)
        assert entry.occurrence_id == first.id + 1
        assert await meeting_notes.has_minutes(session, first.id + 1)
        with pytest.raises(NotFound):  # not a date that has taken place
            await meeting_notes.move_minutes(session, village, entry.id, first.id + 2, after_two)
        with pytest.raises(NotFound):
            await meeting_notes.move_minutes(session, other, entry.id, first.id, after_two)
        moved = await meeting_notes.move_minutes(session, village, entry.id, first.id, after_two)
        assert moved.id == first.id
        assert await meeting_notes.minutes_of(session, first.id) == ["Lēmums"]
        assert not await meeting_notes.has_minutes(session, first.id + 1)


async def test_what_is_due_for_a_date(db: Database) -> None:
    async with db.transaction() as session:
        village, anna = await _village(session), await _person(session)
        await _scheduled(session, village, anna, Repeat.ONCE)
        plan = await due_messages(session, NOW)
        assert [(d.kind, d.offset, f"{d.when.astimezone(RIGA):%m-%d %H:%M}") for d in plan] == [
            (Kind.REMINDER, 1440, "12-02 18:00"),
            (Kind.REMINDER, 60, "12-03 17:00"),
            (Kind.START, 0, "12-03 18:00"),
            (Kind.MINUTES, 0, "12-04 18:00"),
        ]
        assert [d.name for d in plan][:3] == [
            "meeting-reminder:1:1440",
            "meeting-reminder:1:60",
            "meeting-start:1",
        ]
        # The key names the start, so a moved date is reminded of again.
        assert plan[0].key == "meeting-reminder:1:1440@20261203T1600Z"


async def test_reminders_due_before_a_date_was_set_are_not_planned(db: Database) -> None:
    async with db.transaction() as session:
        village, anna = await _village(session), await _person(session)
        village.reminder_offsets = [1440, 60, 1]
        soon = FIRST - timedelta(minutes=30)
        await _scheduled(session, village, anna, Repeat.ONCE, now=soon)
        plan = await due_messages(session, soon)
        assert [(d.kind, d.offset) for d in plan] == [
            (Kind.REMINDER, 1),
            (Kind.START, 0),
            (Kind.MINUTES, 0),
        ]


async def test_sent_cancelled_and_answered_messages_are_not_planned(db: Database) -> None:
    async with db.transaction() as session:
        village, other = await _village(session), await _village(session, -200)
        anna = await _person(session)
        first = await _scheduled(session, village, anna, Repeat.ONCE)
        await _scheduled(session, other, anna, Repeat.ONCE)
        plan = await due_messages(session, NOW, village.id)
        assert {d.community_id for d in plan} == {village.id}
        assert await once.claim(session, plan[0].key)
        assert len(await due_messages(session, NOW, village.id)) == 3
        # The start has passed: the minutes reminder is due unless minutes were recorded.
        later = FIRST + timedelta(hours=2)
        assert [d.kind for d in await due_messages(session, later, village.id)] == [
            Kind.REMINDER,
            Kind.START,
            Kind.MINUTES,
        ]
        await meeting_notes.record_minutes(session, village, anna, "Lēmums", later)
        assert Kind.MINUTES not in [d.kind for d in await due_messages(session, later, village.id)]
        await meetings.cancel_occurrence(session, village, anna, first.id, NOW)
        assert await due_messages(session, NOW, village.id) == []
        other.active = False
        assert await due_messages(session, NOW) == []


async def test_a_planned_message_is_dropped_when_things_change(db: Database) -> None:
    async with db.transaction() as session:
        village, anna = await _village(session), await _person(session)
        first = await _scheduled(session, village, anna, Repeat.ONCE)
        reminder, _, start, _ = await due_messages(session, NOW)
        assert await still_due(session, reminder) is first
        village.reminder_offsets = [60]
        assert await still_due(session, reminder) is None
        assert await still_due(session, start) is first
        moved = FIRST + timedelta(days=1)
        await meetings.move_occurrence(session, village, anna, first.id, moved, NOW)
        assert await still_due(session, start) is None
        (new_start,) = [d for d in await due_messages(session, NOW) if d.kind == Kind.START]
        assert new_start.key == "meeting-start:1@20261204T1600Z"
        assert await still_due(session, new_start) is first


async def test_a_date_is_found_with_its_village_by_its_id_alone(db: Database) -> None:
    async with db.transaction() as session:
        village, anna = await _village(session), await _person(session)
        first = await _scheduled(session, village, anna)
        assert await meetings.occurrence_with_community(session, first.id) == (first, village)
        assert await meetings.community_of_occurrence(session, first.id) == village
        assert await meetings.occurrence_with_community(session, first.id + 1000) is None
        assert await meetings.community_of_occurrence(session, first.id + 1000) is None
