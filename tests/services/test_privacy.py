"""A resident's own data: everything about them as one document, and forgetting them: nothing
that identifies them is left anywhere in the database, and every figure stays consistent."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import Database
from bot.models import (
    Answer,
    Applause,
    Base,
    Idea,
    IdeaComment,
    IdeaSupport,
    Membership,
    PollOption,
    PollVote,
    SwotAuthor,
    SwotVote,
    User,
    Victory,
    utcnow,
)
from bot.services import export, plan, privacy, stats
from tests.services.desk_world import ZELMA_ID, build


def _values(value: Any) -> Iterator[Any]:
    """Every scalar inside a column's value (JSON documents walked through)."""
    if isinstance(value, dict):
        for key, inner in value.items():
            yield key
            yield from _values(inner)
    elif isinstance(value, list | tuple):
        for inner in value:
            yield from _values(inner)
    else:
        yield value


async def traces(session: AsyncSession, telegram_id: int, words: list[str]) -> list[str]:
    """Where, in any column of any table, the Telegram id (as a number, or inside a text) or
    one of the words (names, username) is found."""
    found = []
    for table in Base.metadata.sorted_tables:
        for row in await session.execute(select(table)):
            for column, value in zip(table.columns, row, strict=True):
                for scalar in _values(value):
                    text = str(scalar).casefold()
                    if scalar == telegram_id or str(telegram_id) in text.split(":"):
                        found.append(f"{table.name}.{column.name}")
                    if isinstance(scalar, str) and (
                        str(telegram_id) in text or any(w.casefold() in text for w in words)
                    ):
                        found.append(f"{table.name}.{column.name}={scalar!r}")
    return found


ZELMA = ["Zelma", "Priedīte", "zelma_p"]


async def test_my_data_has_everything_about_the_person(db: Database) -> None:
    async with db.transaction() as session:
        world = await build(session)
        data = await privacy.my_data(session, world.zelma)
    json.dumps(data)  # plain JSON values only
    assert data["profile"]["telegram_id"] == ZELMA_ID
    assert data["profile"]["username"] == "zelma_p"
    assert [v["village"] for v in data["villages"]] == ["Lejasciems"]
    assert data["villages"][0]["role"] == "leader"
    assert [i["number"] for i in data["ideas"]] == [2]
    assert [s["idea"] for s in data["supports"]] == [1]
    assert [c["text"] for c in data["comments"]] == ["Labi, es palīdzēšu ar krāsošanu"]
    assert [i["code"] for i in data["swot_inputs"]] == ["W1"]
    assert sorted(v["code"] for v in data["swot_votes"]) == ["S1", "W1"]
    assert data["poll_votes"][0]["answers"] == ["Pie veikala"]
    assert data["meeting_answers"][0]["answer"] == "going"
    assert data["meeting_answers"][0]["meeting"] == "Sanāksme par paveikto"
    assert [v["text"] for v in data["victories"]] == ["Sakopām parku kopā"]
    assert [a["victory"] for a in data["applause"]] == ["Pieturā ir jauns soliņš!"]
    assert data["private_conversation"]["kind"] == "swot"
    # Nobody else's data: Jānis's idea, Anna's actions.
    assert all(i["number"] != 1 for i in data["ideas"])
    assert data["working_group_actions"] == []


async def test_forgetting_leaves_no_trace_and_keeps_the_figures(db: Database) -> None:
    async with db.transaction() as session:
        world = await build(session)
        zelma_id = world.zelma.id
        assert await traces(session, ZELMA_ID, ZELMA)  # the search finds her before
        before = await stats.overview(session, world.village, utcnow())
        changed = await privacy.forget(session, world.zelma)
    assert changed.ideas == {world.accepted.id, world.progress.id}
    assert changed.victories == {world.victory.id, world.victory.id + 1}
    async with db.transaction() as session:
        assert await traces(session, ZELMA_ID, ZELMA) == []
        user = await session.get(User, zelma_id)
        assert user is not None
        assert (user.telegram_id, user.first_name, user.username, user.started_bot) == (
            None,
            "",
            None,
            False,
        )
        for model in (IdeaSupport, Applause, PollVote, SwotVote, Membership):
            count = select(func.count()).select_from(model).where(model.user_id == zelma_id)
            assert await session.scalar(count) == 0, model
        # What she wrote stays, as a former resident's.
        idea = await session.get(Idea, world.progress.id)
        assert idea is not None
        assert idea.author_id == zelma_id
        comments = await session.scalar(select(func.count()).select_from(IdeaComment))
        assert comments == 2
        assert await session.scalar(select(func.count()).select_from(SwotAuthor)) == 3
        # Counts beside the rows went down with them.
        for each in await session.scalars(select(Idea)):
            supports = select(func.count()).select_from(IdeaSupport)
            assert each.support_count == await session.scalar(
                supports.where(IdeaSupport.idea_id == each.id)
            )
        victory = await session.get(Victory, world.victory.id)
        assert victory is not None
        assert victory.applause_count == 1
        options = list(
            await session.scalars(
                select(PollOption)
                .where(PollOption.poll_id == world.public_poll.id)
                .order_by(PollOption.position)
            )
        )
        assert [o.online_count for o in options] == [1, 1]
        village = world.village
        after = await stats.overview(session, village, utcnow())
        assert after.members == before.members - 1
        assert after.swot.votes == before.swot.votes - 1
        assert after.meetings.rsvps[Answer.GOING] == before.meetings.rsvps[Answer.GOING] - 1
        assert after.victories.applause == before.victories.applause - 1
        voters = {p.question: p.voters for p in after.polls.latest}
        assert voters["Kur likt soliņu?"] == 2
        # The documents show her contributions without her name.
        tables = {t.title: t for t in await export.tables(session, village)}
        ideas_rows = tables["Ideas"].rows
        assert ideas_rows[1][4] == "a former resident"
        draft = await plan.draft(session, village, utcnow())
        assert draft.figures.members == after.members


async def test_forgetting_twice_changes_nothing_more(db: Database) -> None:
    async with db.transaction() as session:
        world = await build(session)
        await privacy.forget(session, world.zelma)
        again = await privacy.forget(session, world.zelma)
    assert (again.ideas, again.meeting_dates) == ({world.progress.id}, set())


async def test_the_cards_to_redraw_are_what_forgetting_changed(db: Database) -> None:
    async with db.transaction() as session:
        world = await build(session)
        changed = await privacy.forget(session, world.zelma)
        cards = await privacy.changed_cards(session, changed)
    assert {idea.id for idea in cards.ideas} == changed.ideas
    assert {victory.id for victory in cards.victories} == changed.victories
    assert changed.meeting_dates
    assert sorted(o.id for o, _ in cards.meeting_dates) == sorted(changed.meeting_dates)
    assert {chat_id for _, chat_id in cards.meeting_dates} == {world.village.chat_id}
    async with db.transaction() as session:
        nothing = await privacy.changed_cards(session, privacy.Forgotten())
    assert nothing == privacy.ChangedCards([], [], [])
