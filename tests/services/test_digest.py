"""The digest's schedule (month boundaries, weekdays, time zones, daylight saving), the period
it covers, what it collects, and posting once per period."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from bot.db import Database
from bot.i18n import Catalogs
from bot.models import DigestFrequency, IdeaStatus, utcnow
from bot.render import digest as digest_render
from bot.resources import locales_dir
from bot.services import communities, digest, ideas, members, victories
from bot.services.communities import CommunityDefaults
from bot.services.digest import Schedule
from bot.services.errors import InvalidInput

RIGA = ZoneInfo("Europe/Riga")
CATALOGS = Catalogs.load(locales_dir())
MONTHLY = Schedule(DigestFrequency.MONTHLY, 0, time(18, 0))


def riga(*args: int) -> datetime:
    return datetime(*args, tzinfo=RIGA)  # type: ignore[misc]


def test_parse_schedule() -> None:
    assert digest.parse_schedule(["off"]).frequency == DigestFrequency.OFF
    weekly = digest.parse_schedule(["Weekly", "friday", "17:30"])
    assert (weekly.frequency, weekly.weekday, weekly.at) == (
        DigestFrequency.WEEKLY,
        4,
        time(17, 30),
    )
    assert weekly.words == "weekly fri 17:30"
    for bad in (
        ["monthly"],
        ["ikmēneša", "xx", "18:00"],
        ["daily", "mon", "18:00"],
        ["weekly", "xyz", "18:00"],
        ["weekly", "mon", "25:00"],
    ):
        with pytest.raises(InvalidInput):
            digest.parse_schedule(bad)


@pytest.mark.parametrize(
    ("words", "frequency", "weekday"),
    [
        ("monthly mon 18:00", DigestFrequency.MONTHLY, 0),
        ("weekly Friday 18:00", DigestFrequency.WEEKLY, 4),
        # Latvian, as the lv help text shows it, and the days' names
        ("ikmēneša pr 18:00", DigestFrequency.MONTHLY, 0),
        ("iknedēļas pk 18:00", DigestFrequency.WEEKLY, 4),
        ("mēnesī Trešdienā 18:00", DigestFrequency.MONTHLY, 2),
        ("nedēļā sv. 18:00", DigestFrequency.WEEKLY, 6),
        # Russian
        ("ежемесячно пн 18:00", DigestFrequency.MONTHLY, 0),
        ("Еженедельно пт 18:00", DigestFrequency.WEEKLY, 4),
        ("еженедельно четверг 18:00", DigestFrequency.WEEKLY, 3),
        ("ежемесячно вс 18:00", DigestFrequency.MONTHLY, 6),
    ],
)
def test_schedule_words_in_latvian_and_russian(
    words: str, frequency: DigestFrequency, weekday: int
) -> None:
    schedule = digest.parse_schedule(words.split())
    assert (schedule.frequency, schedule.weekday, schedule.at) == (frequency, weekday, time(18))


@pytest.mark.parametrize("word", ["off", "izslēgt", "выкл", "0"])
def test_the_digest_is_turned_off_in_any_language(word: str) -> None:
    assert digest.parse_schedule([word]).frequency == DigestFrequency.OFF


def test_monthly_is_the_first_monday_at_18_local_time() -> None:
    # 1 December 2026 is a Tuesday: the first Monday is 7 December.
    now = riga(2026, 11, 30, 20, 0).astimezone(UTC)
    assert digest.next_due(MONTHLY, RIGA, now) == riga(2026, 12, 7, 18, 0)
    assert digest.last_due(MONTHLY, RIGA, now) == riga(2026, 11, 2, 18, 0)
    at_the_minute = riga(2026, 12, 7, 18, 0).astimezone(UTC)
    assert digest.last_due(MONTHLY, RIGA, at_the_minute) == riga(2026, 12, 7, 18, 0)
    assert digest.next_due(MONTHLY, RIGA, at_the_minute) == riga(2027, 1, 4, 18, 0)
    assert digest.period_key(riga(2026, 12, 7, 18, 0), RIGA) == "2026-12-07"


def test_18_00_stays_18_00_across_daylight_saving() -> None:
    weekly = Schedule(DigestFrequency.WEEKLY, 0, time(18, 0))
    before_spring = riga(2027, 3, 16, 12, 0)  # summer time starts on Sunday 28 March
    due = digest.next_due(weekly, RIGA, before_spring)
    after = digest.next_due(weekly, RIGA, due)  # type: ignore[arg-type]
    assert due is not None
    assert after is not None
    assert (due.astimezone(RIGA).hour, after.astimezone(RIGA).hour) == (18, 18)
    assert after.astimezone(UTC) - due.astimezone(UTC) == timedelta(days=7, hours=-1)
    autumn = digest.next_due(weekly, RIGA, riga(2026, 10, 26, 19, 0))
    assert autumn == riga(2026, 11, 2, 18, 0)
    assert autumn is not None
    assert autumn.utcoffset() == timedelta(hours=2)


def test_the_same_moment_is_a_different_day_elsewhere() -> None:
    tokyo = ZoneInfo("Asia/Tokyo")
    now = datetime(2026, 12, 6, 20, 0, tzinfo=UTC)  # Monday 7 December, 05:00 in Tokyo
    assert digest.next_due(MONTHLY, tokyo, now) == datetime(2026, 12, 7, 18, 0, tzinfo=tokyo)
    assert digest.next_due(MONTHLY, RIGA, now) == riga(2026, 12, 7, 18, 0)
    assert digest.next_due(Schedule(DigestFrequency.OFF), RIGA, now) is None


async def test_schedules_are_stored_per_community(db: Database) -> None:
    async with db.transaction() as session:
        village = (
            await communities.ensure(session, -1, "L", CommunityDefaults("lv", "Europe/Riga"))
        ).community
        assert await digest.schedule_of(session, village) == digest.DEFAULT
        weekly = Schedule(DigestFrequency.WEEKLY, 4, time(17, 0))
        await digest.set_schedule(session, village, weekly)
        assert await digest.schedule_of(session, village) == weekly


async def test_periods_chain_and_post_once(db: Database) -> None:
    start = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
    with time_machine.travel(start, tick=False):
        async with db.transaction() as session:
            village = (
                await communities.ensure(session, -1, "L", CommunityDefaults("lv", "Europe/Riga"))
            ).community
            assert await digest.covers_from(session, village) == start
    until = start + timedelta(days=30)
    async with db.transaction() as session:
        assert await digest.claim(session, village, "2026-12-07", start, until) is not None
        assert await digest.claim(session, village, "2026-12-07", start, until) is None
    async with db.transaction() as session:
        assert await digest.covers_from(session, village) == until
        assert len(await digest.posts(session, village)) == 1


async def test_next_run_catches_up_a_missed_period_within_grace_once(db: Database) -> None:
    due = riga(2026, 12, 7, 18, 0)
    two_hours_late = (due + timedelta(hours=2)).astimezone(UTC)
    next_month = riga(2027, 1, 4, 18, 0)
    async with db.transaction() as session:
        village = (
            await communities.ensure(session, -1, "L", CommunityDefaults("lv", "Europe/Riga"))
        ).community
        assert await digest.next_run(session, village, two_hours_late, catch_up=True) == due
        # After a digest ran, or a schedule change, only the next period counts.
        assert await digest.next_run(session, village, two_hours_late, catch_up=False) == next_month
        too_late = due.astimezone(UTC) + digest.GRACE + timedelta(minutes=1)
        assert await digest.next_run(session, village, too_late, catch_up=True) == next_month
        claimed = await digest.claim(session, village, "2026-12-07", due, due)
        assert claimed is not None
        assert await digest.next_run(session, village, two_hours_late, catch_up=True) == next_month
        await digest.set_schedule(session, village, Schedule(DigestFrequency.OFF))
        assert await digest.next_run(session, village, two_hours_late, catch_up=True) is None


async def test_posted_remembers_the_message(db: Database) -> None:
    async with db.transaction() as session:
        village = (
            await communities.ensure(session, -1, "L", CommunityDefaults("lv", "Europe/Riga"))
        ).community
        claimed = await digest.claim(session, village, "2026-12-07", utcnow(), utcnow())
        assert claimed is not None
        await digest.posted(session, claimed.id, 42)
    async with db.transaction() as session:
        assert [p.message_id for p in await digest.posts(session, village)] == [42]


async def test_collect_tells_what_happened_in_the_period(db: Database) -> None:
    before = utcnow() - timedelta(days=10)
    with time_machine.travel(before, tick=False):
        async with db.transaction() as session:
            village = (
                await communities.ensure(session, -1, "L", CommunityDefaults("lv", "Europe/Riga"))
            ).community
            anna = await members.ensure_user(session, members.Profile(1, "Anna"))
            await members.ensure_membership(session, village, anna)
            old = await ideas.submit(session, village, anna, "Vecā ideja par ceļiem")
    since = utcnow() - timedelta(days=1)
    async with db.transaction() as session:
        empty = await digest.collect(session, village, since, utcnow())
        assert not empty.has_news
        janis = await members.ensure_user(session, members.Profile(2, "Jānis"))
        await members.ensure_membership(session, village, janis)
        await members.ensure_membership(session, village, anna)
        fresh = await ideas.submit(session, village, janis, "Jauns rotaļu laukums pie skolas")
        old = await session.merge(old)
        await ideas.toggle_support(session, old, janis)
        await ideas.set_status(session, old, anna, IdeaStatus.ACCEPTED)
        await ideas.set_status(session, old, anna, IdeaStatus.DONE)
        await victories.propose(session, village, anna, "Sakopām parku kopā!", by_leader=True)
        await ideas.add_comment(session, fresh, anna, "Lieliski!")
    async with db.transaction() as session:
        data = await digest.collect(session, village, since, utcnow() + timedelta(seconds=1))
    assert data.has_news
    assert [i.id for i in data.new_ideas] == [fresh.id]
    assert data.accepted == []  # accepted and done in the period: told once, as done
    assert [i.id for i in data.done] == [old.id]
    assert [v.text for v in data.victories] == ["Sakopām parku kopā!"]
    assert (data.active_members, data.joined, data.supports, data.comments) == (2, 1, 1, 1)


async def test_the_digest_tells_each_idea_once_and_its_period_once(db: Database) -> None:
    """An idea accepted, done and celebrated in one period is one line (the victory's); the
    period stands on the line under the heading, not in it as well."""
    since = utcnow() - timedelta(days=1)
    async with db.transaction() as session:
        village = (
            await communities.ensure(session, -1, "Lejasciems", CommunityDefaults("lv", "UTC"))
        ).community
        anna = await members.ensure_user(session, members.Profile(1, "Anna"))
        await members.ensure_membership(session, village, anna)
        done = await ideas.submit(session, village, anna, "Jauns rotaļu laukums pie skolas")
        accepted = await ideas.submit(session, village, anna, "Apgaismojums gar ceļu")
        for status in (IdeaStatus.ACCEPTED, IdeaStatus.DONE):
            await ideas.set_status(session, done, anna, status)
        await ideas.set_status(session, accepted, anna, IdeaStatus.ACCEPTED)
        await victories.from_idea(session, done, anna)
        data = await digest.collect(session, village, since, utcnow() + timedelta(seconds=1))
    for language in ("lv", "en", "ru"):
        t = CATALOGS.translator(language)
        for frequency in (None, DigestFrequency.MONTHLY, DigestFrequency.WEEKLY):
            text = digest_render.as_plain_text(
                digest_render.digest(t, "Lejasciems", data, frequency, RIGA)
            )
            assert text.count("Jauns rotaļu laukums pie skolas") == 1, text
            assert text.count("Apgaismojums gar ceļu") == 1, text
            heading, period = text.splitlines()[:2]
            assert t.date_text(since, RIGA) not in heading
            assert period.startswith(t.date_text(since, RIGA))
    english = CATALOGS.translator("en")
    text = digest_render.digest(english, "Lejasciems", data, None, RIGA)
    assert text.splitlines()[0] == "📰 <b>News of Lejasciems</b>"
