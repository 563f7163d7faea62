"""The schema holds Telegram's values the same way on SQLite and PostgreSQL: ids past 32 bits,
aware UTC timestamps, JSON, and the role enum stored as its value."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from sqlalchemy import select, text

from bot import migrate
from bot.db import Database
from bot.models import AuditEntry, Community, Membership, ProcessedUpdate, Role, User


async def test_values_round_trip_through_the_migrated_schema(database_url: str) -> None:
    await migrate.upgrade(database_url)  # the migrations' schema, not create_all's
    db = Database(database_url)
    riga = timezone(timedelta(hours=2))
    moment = datetime(2026, 11, 25, 18, 30, 15, 123456, tzinfo=riga)
    try:
        async with db.transaction() as session:
            village = Community(
                chat_id=-1_002_147_483_649,
                title="Lejasciems",
                language="lv",
                timezone="Europe/Riga",
            )
            person = User(telegram_id=8_123_456_789, first_name="Jānis")
            session.add_all([village, person, ProcessedUpdate(update_id=5_000_000_000)])
            await session.flush()
            session.add(Membership(community_id=village.id, user_id=person.id, role=Role.LEADER))
            session.add(
                AuditEntry(
                    community_id=village.id,
                    actor_id=person.id,
                    action="vision",
                    details={"text": "Ciemats ar nākotni — будущее", "votes": [1, 2]},
                    created_at=moment,
                )
            )
        async with db.transaction() as session:
            village = (await session.scalars(select(Community))).one()
            person = (await session.scalars(select(User))).one()
            entry = (await session.scalars(select(AuditEntry))).one()
            membership = (await session.scalars(select(Membership))).one()
            stored_role = await session.scalar(text("SELECT role FROM memberships"))
            update_id = await session.scalar(select(ProcessedUpdate.update_id))
        assert village.chat_id == -1_002_147_483_649
        assert person.telegram_id == 8_123_456_789
        assert update_id == 5_000_000_000
        assert entry.created_at == moment
        assert entry.created_at.tzinfo == UTC
        assert entry.details == {"text": "Ciemats ar nākotni — будущее", "votes": [1, 2]}
        assert membership.role is Role.LEADER
        assert stored_role == "leader"
    finally:
        await db.dispose()
