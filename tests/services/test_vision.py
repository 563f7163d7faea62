"""The vision and the numbered goals: set, replaced, added, removed, within limits, audited."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.db import Database
from bot.models import AuditEntry
from bot.services import communities, members, vision
from bot.services.errors import InvalidInput, NotFound
from tests.services.desk_world import DEFAULTS


async def test_vision_is_set_replaced_and_cleared(db: Database) -> None:
    async with db.transaction() as session:
        village = (await communities.ensure(session, -1, "Lejasciems", DEFAULTS)).community
        anna = await members.ensure_user(session, members.Profile(1, "Anna"))
        assert await vision.set_vision(session, village, anna, "  Dzīvs   ciems  ") == "Dzīvs ciems"
        await vision.set_vision(session, village, anna, "Ciems, kur ģimenes paliek")
        assert village.vision == "Ciems, kur ģimenes paliek"
        with pytest.raises(InvalidInput):
            await vision.set_vision(session, village, anna, "Īsi")
        with pytest.raises(InvalidInput):
            await vision.set_vision(session, village, anna, "x" * 2001)
        assert await vision.set_vision(session, village, anna, "-") is None
        assert village.vision is None
        actions = list(await session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))
    assert actions == ["vision", "vision", "vision-clear"]


async def test_goals_are_numbered_and_removed_by_number(db: Database) -> None:
    async with db.transaction() as session:
        village = (await communities.ensure(session, -1, "Lejasciems", DEFAULTS)).community
        anna = await members.ensure_user(session, members.Profile(1, "Anna"))
        for text in ("Apgaismots ceļš", "Rotaļu laukums", "Jauns soliņš"):
            await vision.add_goal(session, village, anna, text)
        assert await vision.remove_goal(session, village, anna, 2) == "Rotaļu laukums"
        assert village.goals == ["Apgaismots ceļš", "Jauns soliņš"]
        with pytest.raises(NotFound):
            await vision.remove_goal(session, village, anna, 3)
        with pytest.raises(InvalidInput):
            await vision.add_goal(session, village, anna, "Nē")
    async with db.transaction() as session:
        stored = await communities.by_id(session, village.id)
        assert stored is not None
        assert stored.goals == ["Apgaismots ceļš", "Jauns soliņš"]


async def test_at_most_twenty_goals(db: Database) -> None:
    async with db.transaction() as session:
        village = (await communities.ensure(session, -1, "Lejasciems", DEFAULTS)).community
        anna = await members.ensure_user(session, members.Profile(1, "Anna"))
        for number in range(1, vision.GOALS_MAX + 1):
            assert await vision.add_goal(session, village, anna, f"Mērķis {number}") == number
        with pytest.raises(InvalidInput):
            await vision.add_goal(session, village, anna, "Vēl viens mērķis")


def test_removal_words() -> None:
    assert vision.parse_removal("-2") == 2
    assert vision.parse_removal(" -12 ") == 12
    assert vision.parse_removal("-2 ceļš") is None
    assert vision.parse_removal("2") is None
    assert vision.parse_removal("-") is None
