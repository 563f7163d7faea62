"""One row per member and item: found, added, toggled, and a lost race read back."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from bot.db import Database
from bot.models import Idea, IdeaSupport
from bot.services import communities, ideas, members, per_member
from bot.services.communities import CommunityDefaults


async def _idea(db: Database) -> tuple[int, int, int]:
    async with db.transaction() as session:
        village = (
            await communities.ensure(session, -1, "L", CommunityDefaults("lv", "Europe/Riga"))
        ).community
        anna = await members.ensure_user(session, members.Profile(1, "Anna"))
        idea = await ideas.submit(session, village, anna, "Jauns rotaļu laukums pie skolas")
        return village.id, idea.id, anna.id


async def test_find_or_add_and_toggle(db: Database) -> None:
    community_id, idea_id, user_id = await _idea(db)
    query = select(IdeaSupport).where(
        IdeaSupport.idea_id == idea_id, IdeaSupport.user_id == user_id
    )

    def make() -> IdeaSupport:
        return IdeaSupport(community_id=community_id, idea_id=idea_id, user_id=user_id)

    async with db.transaction() as session:
        first, added = await per_member.find_or_add(session, query, make)
        again, added_again = await per_member.find_or_add(session, query, make)
        assert (added, added_again, again is first) == (True, False, True)


async def _supports(db: Database, idea_id: int) -> list[int]:
    async with db.transaction() as session:
        rows = await session.scalars(
            select(IdeaSupport.user_id).where(IdeaSupport.idea_id == idea_id)
        )
        return list(rows)


async def test_toggle_removes_then_adds(db: Database) -> None:
    community_id, idea_id, user_id = await _idea(db)
    key, extra = {"idea_id": idea_id, "user_id": user_id}, {"community_id": community_id}
    async with db.transaction() as session:
        assert await per_member.toggle(session, IdeaSupport, key, extra) == (True, True)
    assert await _supports(db, idea_id) == [user_id]
    async with db.transaction() as session:
        assert await per_member.toggle(session, IdeaSupport, key, extra) == (False, True)
    assert await _supports(db, idea_id) == []


async def test_toggle_asks_before_adding_only(db: Database) -> None:
    community_id, idea_id, user_id = await _idea(db)
    key, extra = {"idea_id": idea_id, "user_id": user_id}, {"community_id": community_id}

    def closed() -> None:
        raise RuntimeError("closed")

    with pytest.raises(RuntimeError):
        async with db.transaction() as session:
            await per_member.toggle(session, IdeaSupport, key, extra, closed)
    assert await _supports(db, idea_id) == []
    async with db.transaction() as session:
        await per_member.toggle(session, IdeaSupport, key, extra)
    async with db.transaction() as session:  # taking it back is always allowed
        assert await per_member.toggle(session, IdeaSupport, key, extra, closed) == (False, True)


async def test_toggle_after_a_racing_twin_added_the_row(db: Database) -> None:
    """The twin's row lands between this call's delete and its insert: the insert is skipped
    without an error (no savepoint), and the call reports no change."""
    community_id, idea_id, user_id = await _idea(db)
    key, extra = {"idea_id": idea_id, "user_id": user_id}, {"community_id": community_id}
    async with db.transaction() as session:
        await per_member.toggle(session, IdeaSupport, key, extra)
    async with db.transaction() as session:
        twin = await session.execute(
            per_member._adder(IdeaSupport.__table__, session.get_bind().dialect.name),
            {**key, **extra},
        )  # type: ignore[arg-type]
        assert twin.first() is None
    assert await _supports(db, idea_id) == [user_id]


async def test_a_lost_race_reads_the_winners_row(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    community_id, idea_id, user_id = await _idea(db)
    query = select(IdeaSupport).where(
        IdeaSupport.idea_id == idea_id, IdeaSupport.user_id == user_id
    )
    async with db.transaction() as session:
        session.add(IdeaSupport(community_id=community_id, idea_id=idea_id, user_id=user_id))
    async with db.transaction() as session:
        real_scalar = session.scalar
        calls = {"n": 0}

        async def first_look_misses(statement: object, *args: object, **kwargs: object) -> object:
            calls["n"] += 1
            return None if calls["n"] == 1 else await real_scalar(statement, *args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(session, "scalar", first_look_misses)
        row, added = await per_member.find_or_add(
            session,
            query,
            lambda: IdeaSupport(community_id=community_id, idea_id=idea_id, user_id=user_id),
        )
        assert not added
        assert row.user_id == user_id
        monkeypatch.undo()
        count = await session.scalar(select(func.count()).select_from(IdeaSupport))
        assert count == 1
        assert await session.get(Idea, idea_id) is not None
