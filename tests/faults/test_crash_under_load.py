"""SIGKILL in the middle of 1,000 mixed updates (ideas, supports, SWOT inputs, poll answers,
/ideas pages) in eight villages, with meeting reminders due before, during and after the time
the bot is down; then a restart. Every update ends up processed once: what the bot answered is
in the database, nothing is there twice, no update is answered twice, and each reminder is
sent exactly once (the one due while the bot was down, late, within its grace)."""

from __future__ import annotations

import asyncio
import random
import signal
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import insert, select, update

from bench.checks import Stored, answer_keys, applied, cards, text_of
from bench.traffic import Answers, Sent, Traffic
from bench.world import RegionSpec, Village, seed
from bot.db import Database
from bot.models import (
    Community,
    Meeting,
    MeetingOccurrence,
    SentOnce,
)
from bot.testing import ApiCall, BotApiEmulator
from tests.e2e.process import villagebot

pytestmark = [pytest.mark.e2e, pytest.mark.faults]

UPDATES = 1000
REMINDER = "⏰"
SPEC = RegionSpec(
    communities=8, members_per_community=15, ideas_per_community=8, supports_per_idea=2
)
# Reminders (one minute before each date) due this long after the load starts: the bot is
# killed once the first is sent, the second falls while it is down, the third after.
REMINDERS_DUE = (timedelta(seconds=2.5), timedelta(seconds=4), timedelta(seconds=11))


async def _add_meeting(database: Database, village: Village) -> None:
    far = datetime.now(UTC) + timedelta(days=300)
    async with database.transaction() as session:
        meeting_id = await session.scalar(
            insert(Meeting)
            .values(
                community_id=village.community_id,
                title="Sanāksme par paveikto",
                starts_at=far,
                timezone="Europe/Riga",
                repeat="once",
                created_at=far - timedelta(days=400),
            )
            .returning(Meeting.id)
        )
        for n in range(len(REMINDERS_DUE)):
            await session.execute(
                insert(MeetingOccurrence).values(
                    community_id=village.community_id,
                    meeting_id=meeting_id,
                    original_start=far + timedelta(days=n),
                    starts_at=far + timedelta(days=n),
                    planned_at=far - timedelta(days=400),
                )
            )


async def _reminders_due_from(database: Database, village: Village, start: datetime) -> None:
    """The dates move so that their one-minute reminders fall due at REMINDERS_DUE."""
    async with database.transaction() as session:
        ids = list(
            await session.scalars(
                select(MeetingOccurrence.id)
                .where(MeetingOccurrence.community_id == village.community_id)
                .order_by(MeetingOccurrence.id)
            )
        )
        for occurrence_id, due in zip(ids, REMINDERS_DUE, strict=True):
            await session.execute(
                update(MeetingOccurrence)
                .where(MeetingOccurrence.id == occurrence_id)
                .values(starts_at=start + due + timedelta(minutes=1))
            )


def _reminders(tg: BotApiEmulator, village: Village) -> list[ApiCall]:
    return [
        c
        for c in tg.calls
        if c.ok
        and c.method == "sendMessage"
        and str(c.params.get("chat_id")) == str(village.chat.id)
        and str(c.result.get("text", "")).startswith(REMINDER)
    ]


async def test_sigkill_under_load_loses_and_doubles_nothing(
    tg: BotApiEmulator, api_url: str, tmp_path: Path, database_url: str
) -> None:
    region = await seed(tg, database_url, SPEC)
    database = Database(database_url)
    meeting_village = region.villages[0]
    await _add_meeting(database, meeting_village)
    traffic = Traffic(tg, region, random.Random(7))
    sent: list[Sent] = []
    async with villagebot(tg, api_url, tmp_path, database_url) as bot:
        await tg.wait_for(lambda c: c.method == "deleteWebhook", timeout=60)
        await traffic.warm_up(ideas_per_village=3)
        start = datetime.now(UTC)
        await _reminders_due_from(database, meeting_village, start)
        # A leader sets one-minute reminders: the bot plans that village's reminders again.
        saved = await tg.ask(meeting_village.chat, meeting_village.leader, "/settings reminders 1m")
        assert saved["text"].startswith("Saglabāts")
        warm = tg.mark()
        while len(sent) < UPDATES:
            sent += await traffic.one()
        first_reminder = await tg.wait_until(lambda: _reminders(tg, meeting_village) or None, 30)
        assert first_reminder, "the first reminder did not come"
        assert await bot.stop(signal.SIGKILL) == -signal.SIGKILL
    killed_at = datetime.now(UTC)
    before_kill = Answers.of(tg, None, after=warm)
    answered_before = [s for s in sent if before_kill.answered_at(s) is not None]
    assert 0 < len(answered_before) < len(sent), "the bot was not killed in the middle of the load"
    assert killed_at < start + REMINDERS_DUE[1], "too slow: the second reminder was due already"

    # Down while the second reminder falls due; back within its grace.
    await asyncio.sleep((start + REMINDERS_DUE[1] - datetime.now(UTC)).total_seconds() + 1)
    restart = tg.mark()
    async with villagebot(tg, api_url, tmp_path, database_url) as bot:
        await tg.wait_for(lambda c: c.method == "deleteWebhook", after=restart, timeout=60)
        await tg.wait_until(lambda: True if tg.pending_updates == 0 else None, 120)
        third_due = (start + REMINDERS_DUE[2] - datetime.now(UTC)).total_seconds()
        await tg.wait_until(
            lambda: True if len(_reminders(tg, meeting_village)) >= 3 else None, third_due + 15
        )
        await tg.settle(quiet=1.0, timeout=60)
        assert await bot.stop() == 0, bot.output()

    answers = Answers.of(tg, None, after=warm)
    stored = await Stored.read(database_url)
    async with database.transaction() as session:
        reminder_keys = list(
            await session.scalars(
                select(SentOnce.key).where(SentOnce.key.like("meeting-reminder:%"))
            )
        )
        assert await session.scalar(
            select(Community.reminder_offsets).where(Community.id == meeting_village.community_id)
        ) == [1]
    await database.dispose()

    # Nothing lost: every update was processed (those fetched but not confirmed came again).
    assert {s.update_id for s in sent} <= set(stored.processed)
    # Nothing twice: each text once; each button press counted once (supports toggle, so a
    # press run twice would show as a wrong parity).
    outcome = applied(tg, sent, stored)
    assert outcome["texts_twice"] == outcome["supports_wrong"] == 0, outcome
    assert outcome["support_counts_wrong"] == 0, outcome
    posted = cards(tg)
    stored_as_answered = [
        text_of(tg, s)
        for s in sent
        if s.kind == "idea"
        and answers.answered_at(s) is not None
        and (s.chat_id, s.message_id) in posted
    ]
    assert stored_as_answered
    assert all(stored.ideas[text] == 1 for text in stored_as_answered)
    # No update answered twice.
    replies = Counter(answer_keys(tg, warm))
    assert max(replies.values()) == 1
    # Each reminder once; the one due while the bot was down came after the restart.
    reminders = _reminders(tg, meeting_village)
    assert len(reminders) == 3
    assert len(set(reminder_keys)) == len(reminder_keys) == 3
    assert reminders[0].at < reminders[1].at < reminders[2].at
    after_restart = {id(c) for c in tg.calls[restart:]}
    assert [id(c) in after_restart for c in reminders] == [False, True, True]
