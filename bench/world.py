"""A region of villages for a benchmark: people and groups in the emulator, and the same villages
already in the database (as if the bot had served them for months), written with bulk inserts.

The emulator's users and chats get their ids from the emulator; the rows written here use them
as Telegram ids, so the bot recognises every member and group at once.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import insert, text
from sqlalchemy.ext.asyncio import AsyncConnection

from bot import migrate
from bot.db import Database
from bot.models import (
    Community,
    Idea,
    IdeaArea,
    IdeaStatus,
    IdeaStatusChange,
    IdeaSupport,
    Meeting,
    MeetingOccurrence,
    Membership,
    Repeat,
    Role,
    User,
)
from bot.services import meeting_times
from bot.services.meetings import HORIZON
from bot.testing import BotApiEmulator, FakeChat, FakeUser
from bot.testing.world import MEMBER

ZONE = "Europe/Riga"
CHUNK = 5000  # rows per executemany

_WORDS = (
    "jauns",
    "rotaļu",
    "laukums",
    "skola",
    "bibliotēka",
    "ceļš",
    "apgaismojums",
    "parks",
    "soliņi",
    "velosipēdu",
    "celiņš",
    "tirgus",
    "laukums",
    "kultūras",
    "nams",
    "sporta",
    "zāle",
    "dīķis",
    "pludmale",
    "autobusa",
    "pietura",
    "tilts",
    "baznīca",
    "muzejs",
    "darbnīca",
    "koncerts",
    "svētki",
    "talka",
    "koki",
    "puķes",
    "atkritumi",
    "šķirošana",
    "saules",
    "paneļi",
    "uzlādes",
    "stacija",
    "internets",
    "pasts",
    "aptieka",
    "ambulance",
    "bērnudārzs",
    "jauniešu",
    "centrs",
    "senioru",
    "klubs",
    "amatnieki",
    "lauksaimnieki",
    "kooperatīvs",
    "mežs",
    "taka",
    "skatu",
    "tornis",
    "strūklaka",
    "mols",
    "laipa",
)


@dataclass
class Village:
    chat: FakeChat
    leader: FakeUser
    residents: list[FakeUser]
    community_id: int
    idea_ids: list[int] = field(default_factory=list)


@dataclass
class RegionSpec:
    communities: int
    members_per_community: int  # the leader included
    ideas_per_community: int = 0
    supports_per_idea: int = 0
    meetings_per_community: int = 0
    # (how many communities, ideas in each): a few big villages besides the others
    big_communities: tuple[int, int] = (0, 0)
    # When set, the other villages share this many ideas in all (some get one more).
    total_ideas: int | None = None

    def ideas_in(self, index: int) -> int:
        big_count, big_size = self.big_communities
        if index < big_count:
            return big_size
        if self.total_ideas is None:
            return self.ideas_per_community
        share, extra = divmod(self.total_ideas - big_count * big_size, self.communities - big_count)
        return share + (1 if index - big_count < extra else 0)


@dataclass
class Region:
    villages: list[Village]
    rows: dict[str, int]


def idea_text(rng: random.Random, serial: int) -> str:
    words = rng.sample(_WORDS, 6)
    return f"{' '.join(words).capitalize()} ({serial})"


def build_world(tg: BotApiEmulator, spec: RegionSpec) -> list[tuple[FakeChat, list[FakeUser]]]:
    """Groups and their members in the emulator; the bot is in every group and every member has
    opened a private chat with it."""
    world = []
    for n in range(spec.communities):
        people = [
            tg.user(f"Iedzīvotājs{n}-{m}", language_code="lv")
            for m in range(spec.members_per_community)
        ]
        for person in people:
            person.started = True
        chat = tg.group(f"Ciems {n + 1}", admins=people[:1], members=people[1:])
        chat.members[tg.bot.id] = MEMBER
        world.append((chat, people))
    return world


async def seed(
    tg: BotApiEmulator, database_url: str, spec: RegionSpec, *, seed_value: int = 1
) -> Region:
    """Migrate a fresh database and fill it; returns the villages with their ids."""
    rng = random.Random(seed_value)
    await migrate.upgrade(database_url)
    world = build_world(tg, spec)
    now = datetime.now(UTC)
    rows: dict[str, list[dict[str, Any]]] = {}
    villages: list[Village] = []
    user_id = 0
    idea_id = 0
    occurrence_id = 0
    meeting_ids = itertools.count(1)
    for index, (chat, people) in enumerate(world):
        community_id = index + 1
        created = now - timedelta(days=200)
        rows.setdefault("communities", []).append(
            {
                "id": community_id,
                "chat_id": chat.id,
                "title": chat.title,
                "language": "lv",
                "timezone": ZONE,
                "active": True,
                "created_at": created,
                "poll_reminder_minutes": 1440,
                "reminder_offsets": [1440, 60],
            }
        )
        user_ids = []
        for person in people:
            user_id += 1
            user_ids.append(user_id)
            rows.setdefault("users", []).append(
                {
                    "id": user_id,
                    "telegram_id": person.id,
                    "first_name": person.first_name,
                    "telegram_language": "lv",
                    "started_bot": True,
                    "acting_community_id": community_id,
                    "created_at": created,
                }
            )
            rows.setdefault("memberships", []).append(
                {
                    "community_id": community_id,
                    "user_id": user_id,
                    "role": Role.RESIDENT,
                    "joined_at": created,
                    "last_active_at": created,
                }
            )
        village = Village(chat, people[0], people[1:], community_id)
        villages.append(village)
        count = spec.ideas_in(index)
        for number in range(1, count + 1):
            idea_id += 1
            village.idea_ids.append(idea_id)
            supporters = rng.sample(user_ids, min(spec.supports_per_idea, len(user_ids)))
            at = created + timedelta(minutes=number)
            rows.setdefault("ideas", []).append(
                {
                    "id": idea_id,
                    "community_id": community_id,
                    "number": number,
                    "author_id": rng.choice(user_ids),
                    "anonymous": False,
                    "text": idea_text(rng, idea_id),
                    "area": rng.choice(list(IdeaArea)),
                    "status": rng.choice(
                        (IdeaStatus.NEW,) * 6
                        + (IdeaStatus.DISCUSSION, IdeaStatus.ACCEPTED, IdeaStatus.DONE)
                    ),
                    "support_count": len(supporters),
                    "comment_count": 0,
                    "progress": 0,
                    "hidden": False,
                    "created_at": at,
                    "updated_at": at,
                }
            )
            rows.setdefault("idea_status_changes", []).append(
                {
                    "community_id": community_id,
                    "idea_id": idea_id,
                    "actor_id": None,
                    "new_status": IdeaStatus.NEW,
                    "created_at": at,
                }
            )
            for supporter in supporters:
                rows.setdefault("idea_supports", []).append(
                    {
                        "community_id": community_id,
                        "idea_id": idea_id,
                        "user_id": supporter,
                        "created_at": at,
                    }
                )
        for meeting in _meetings(rng, meeting_ids, community_id, spec.meetings_per_community, now):
            rows.setdefault("meetings", []).append(meeting)
            for start in _dates(meeting, now):
                occurrence_id += 1
                rows.setdefault("meeting_occurrences", []).append(
                    {
                        "id": occurrence_id,
                        "community_id": community_id,
                        "meeting_id": meeting["id"],
                        "original_start": start,
                        "starts_at": start,
                        "planned_at": meeting["created_at"],
                    }
                )
    database = Database(database_url)
    try:
        async with database.engine.begin() as connection:
            for table, model in _TABLES:
                table_rows = rows.get(table, [])
                await _insert(connection, model, table_rows)
                given_ids = bool(table_rows) and "id" in table_rows[0]
                if given_ids and connection.dialect.name == "postgresql":
                    await _advance_sequence(connection, table)
    finally:
        await database.dispose()
    return Region(villages, {table: len(rows.get(table, [])) for table, _ in _TABLES})


_TABLES: Sequence[tuple[str, Any]] = (
    ("communities", Community),
    ("users", User),
    ("memberships", Membership),
    ("ideas", Idea),
    ("idea_status_changes", IdeaStatusChange),
    ("idea_supports", IdeaSupport),
    ("meetings", Meeting),
    ("meeting_occurrences", MeetingOccurrence),
)


async def _insert(connection: AsyncConnection, model: Any, rows: list[dict[str, Any]]) -> None:
    for chunk in _chunks(rows):
        await connection.execute(insert(model), chunk)


async def _advance_sequence(connection: AsyncConnection, table: str) -> None:
    """Rows inserted with their ids leave PostgreSQL's id sequence at 1: the bot's own inserts
    would then take ids that exist (SQLite takes the largest id + 1 by itself)."""
    await connection.execute(
        text(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
        )
    )


def _chunks(rows: list[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    for start in range(0, len(rows), CHUNK):
        yield rows[start : start + CHUNK]


def _meetings(
    rng: random.Random, ids: Iterator[int], community_id: int, count: int, now: datetime
) -> Iterator[dict[str, Any]]:
    """Repeating meetings at 18:00 local time, the first in the coming four weeks."""
    zone = ZoneInfo(ZONE)
    for _ in range(count):
        day = (now + timedelta(days=rng.randint(1, 28))).astimezone(zone).date()
        local = datetime(day.year, day.month, day.day, 18, 0, tzinfo=zone)
        yield {
            "id": next(ids),
            "community_id": community_id,
            "title": "Sanāksme par paveikto",
            "place": "Tautas nams",
            "starts_at": local.astimezone(UTC),
            "timezone": ZONE,
            "repeat": rng.choice((Repeat.WEEKLY, Repeat.BIWEEKLY, Repeat.MONTHLY)).value,
            "created_at": now - timedelta(days=1),
        }


def _dates(meeting: dict[str, Any], now: datetime) -> list[datetime]:
    """The dates the bot keeps ahead of a series (what `meetings.extend` makes)."""
    zone, repeat = ZoneInfo(meeting["timezone"]), Repeat(meeting["repeat"])
    wanted = meeting_times.starts_until(meeting["starts_at"], zone, repeat, now + HORIZON)
    upcoming = meeting_times.next_start_after(meeting["starts_at"], zone, repeat, now)
    if upcoming is not None and upcoming not in wanted:
        wanted.append(upcoming)
    return [start for start in wanted if start > now]
