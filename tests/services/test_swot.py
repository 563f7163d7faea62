"""SWOT inputs, codes, ranking by agreement, merging, moving, hiding and rounds."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import Database
from bot.models import (
    AuditEntry,
    Choice,
    Community,
    Quadrant,
    SwotAuthor,
    SwotItem,
    SwotRound,
    SwotVote,
    User,
)
from bot.services import communities, members, swot, swot_agreement
from bot.services.communities import CommunityDefaults
from bot.services.errors import InvalidInput, NotFound
from bot.services.swot import Code, parse_code, parse_quadrant
from bot.services.swot_agreement import RankedItem, rank_key

DEFAULTS = CommunityDefaults(language="lv", timezone="Europe/Riga")
S, W, O, T = Quadrant.S, Quadrant.W, Quadrant.O, Quadrant.T  # noqa: E741
AGREE, DISAGREE, PASS = Choice.AGREE, Choice.DISAGREE, Choice.PASS


async def _village(session: AsyncSession, chat_id: int = -1) -> Community:
    return (await communities.ensure(session, chat_id, "Lejasciems", DEFAULTS)).community


async def _member(session: AsyncSession, village: Community, telegram_id: int) -> User:
    user = await members.ensure_user(session, members.Profile(telegram_id, f"U{telegram_id}"))
    await members.ensure_membership(session, village, user)
    return user


async def _people(session: AsyncSession, village: Community, n: int) -> list[User]:
    return [await _member(session, village, 100 + i) for i in range(n)]


def test_codes_are_the_same_in_every_language() -> None:
    assert parse_code("S4") == Code(S, 4)
    assert parse_code(" w12 ") == Code(W, 12)
    assert parse_code("О3") == Code(O, 3)  # Cyrillic О
    assert parse_code("т1") == Code(T, 1)  # Cyrillic т
    assert str(Code(O, 7)) == "O7"
    for wrong in ("X1", "S", "4S", "S-1", "S1234567", ""):
        with pytest.raises(InvalidInput):
            parse_code(wrong)
    assert parse_quadrant("o") == O
    assert parse_quadrant("С") == S
    with pytest.raises(InvalidInput):
        parse_quadrant("Opportunity")


def test_ranking_is_agreement_then_engagement_then_age() -> None:
    start = datetime(2026, 1, 1, tzinfo=UTC)

    def item(number: int, agree: int, disagree: int, age: int) -> RankedItem:
        return RankedItem(number, S, number, "x", start + timedelta(days=age), agree, disagree)

    items = [
        item(1, 1, 1, 0),  # score 0, 2 sided
        item(2, 3, 1, 5),  # score 2
        item(3, 2, 0, 4),  # score 2, fewer sided than 2
        item(4, 0, 0, 1),  # score 0, none sided
        item(5, 2, 2, 9),  # score 0, 4 sided
        item(6, 1, 1, 3),  # score 0, 2 sided, newer than 1
        item(7, 0, 3, 0),  # score -3
    ]
    assert [i.number for i in sorted(items, key=rank_key)] == [2, 3, 5, 1, 6, 4, 7]


async def test_inputs_get_codes_per_quadrant_and_their_authors_agree(db: Database) -> None:
    async with db.transaction() as session:
        village = await _village(session)
        anna, janis = await _people(session, village, 2)
        s1 = await swot.add_item(session, village, anna, S, "  Aktīvi   brīvprātīgie ciemā ")
        s2 = await swot.add_item(session, village, janis, S, "Skaista daba un upe")
        w1 = await swot.add_item(session, village, janis, W, "Slikts ceļš uz centru")
        assert (s1.code, s2.code, w1.code) == ("S1", "S2", "W1")
        assert s1.text == "Aktīvi brīvprātīgie ciemā"
        with pytest.raises(InvalidInput) as short:
            await swot.add_item(session, village, anna, O, "Par īsu")
        assert short.value.params == {"n": 10}
        with pytest.raises(InvalidInput) as long:
            await swot.add_item(session, village, anna, O, "ā" * 501)
        assert long.value.params["n"] == 500
        with pytest.raises(InvalidInput) as twice:
            await swot.add_item(session, village, anna, S, "skaista DABA un upe")
        assert twice.value.params == {"code": "S2"}
        board = await swot_agreement.board(session, village.id)
        assert [(i.code, i.agree) for i in board.quadrant(S)] == [("S1", 1), ("S2", 1)]
        assert (board.round_number, board.total, board.archived) == (1, 3, False)
        rate = await swot_agreement.next_to_rate(session, village.id, anna)
        assert (rate.item and rate.item.code, rate.remaining) == ("S2", 2)


async def test_votes_rank_the_board_and_can_be_changed(db: Database) -> None:
    async with db.transaction() as session:
        village = await _village(session)
        author, *voters = await _people(session, village, 5)
        old = await swot.add_item(session, village, author, O, "Tūrisms pie ezera")
        new = await swot.add_item(session, village, author, O, "ES fondu projekti")
        for person in voters[:3]:
            await swot_agreement.vote(session, person, new.id, AGREE)
        await swot_agreement.vote(session, voters[3], old.id, DISAGREE)
        await swot_agreement.vote(session, voters[3], old.id, PASS)  # changed their mind
        board = await swot_agreement.board(session, village.id)
        ranked = [(i.code, i.agree, i.disagree, i.passed) for i in board.quadrant(O)]
        assert ranked == [("O2", 4, 0, 0), ("O1", 1, 0, 1)]
        assert len(list(await session.scalars(select(SwotVote)))) == 6
        rate = await swot_agreement.next_to_rate(session, village.id, voters[3])
        assert (rate.item and rate.item.code, rate.remaining) == ("O2", 1)
        assert (await swot_agreement.next_to_rate(session, village.id, author)).item is None


async def test_merge_carries_votes_and_authors_one_vote_per_member(db: Database) -> None:
    async with db.transaction() as session:
        village = await _village(session)
        anna, janis, ilze, peteris = await _people(session, village, 4)
        kept = await swot.add_item(session, village, anna, S, "Laba skola ciemā")
        merged = await swot.add_item(session, village, janis, S, "Mums ir laba pamatskola")
        await swot_agreement.vote(session, ilze, merged.id, AGREE)
        await swot_agreement.vote(session, ilze, kept.id, DISAGREE)  # voted on both: keeps this one
        await swot_agreement.vote(session, peteris, merged.id, AGREE)
        pair = await swot.merge_pair(session, village.id, Code(S, 2), Code(S, 1))
        assert pair == (merged, kept)
        gone, stays = await swot.merge(session, village, anna, merged.id, kept.id)
        assert (gone.code, stays.code) == ("S2", "S1")
        board = await swot_agreement.board(session, village.id)
        assert [(i.code, i.agree, i.disagree) for i in board.quadrant(S)] == [("S1", 3, 1)]
        authors = await session.scalars(select(SwotAuthor.user_id).where(SwotAuthor.item_id == 1))
        assert set(authors) == {anna.id, janis.id}
        votes = await session.scalars(select(SwotVote).where(SwotVote.user_id == ilze.id))
        assert [(v.item_id, v.choice) for v in votes] == [(kept.id, DISAGREE)]
        # The merged code is never reused, and says where it went.
        again = await swot.add_item(session, village, ilze, S, "Kultūras nams strādā")
        assert again.code == "S3"
        with pytest.raises(InvalidInput) as moved_on:
            await swot.shown(session, village.id, Code(S, 2))
        assert moved_on.value.params == {"code": "S2", "current": "S1"}
        # A vote pressed on the old card lands on the kept input.
        await swot_agreement.vote(session, await _member(session, village, 200), merged.id, AGREE)
        assert (await swot_agreement.board(session, village.id)).quadrant(S)[0].agree == 4
        with pytest.raises(InvalidInput):
            await swot.merge_pair(session, village.id, Code(S, 1), Code(S, 1))
        with pytest.raises(NotFound):
            await swot.merge_pair(session, village.id, Code(S, 9), Code(S, 1))
        with pytest.raises(InvalidInput):  # a confirmation pressed twice merges once
            await swot.merge(session, village, anna, merged.id, kept.id)
        actions = [e.action for e in await session.scalars(select(AuditEntry))]
        assert actions == ["swot_merge"]


async def test_move_gives_a_new_code_and_keeps_votes(db: Database) -> None:
    async with db.transaction() as session:
        village = await _village(session)
        anna, janis = await _people(session, village, 2)
        await swot.add_item(session, village, anna, O, "Jauns autobusu maršruts")
        item = await swot.add_item(session, village, anna, S, "Tuvu pilsētai, 20 km")
        await swot_agreement.vote(session, janis, item.id, AGREE)
        old, moved = await swot.move(session, village, anna, Code(S, 1), O)
        assert (old.code, moved.code) == ("S1", "O2")
        assert moved.created_at == item.created_at
        board = await swot_agreement.board(session, village.id)
        assert board.quadrant(S) == []
        assert [(i.code, i.agree) for i in board.quadrant(O)] == [("O2", 2), ("O1", 1)]
        with pytest.raises(InvalidInput):
            await swot.move(session, village, anna, Code(O, 2), O)
        assert (await swot.add_item(session, village, anna, S, "Stipra kopiena ciemā")).code == "S2"


async def test_hidden_inputs_leave_the_board_and_the_log_keeps_them(db: Database) -> None:
    async with db.transaction() as session:
        village = await _village(session)
        anna, janis = await _people(session, village, 2)
        await swot.add_item(session, village, janis, T, "Kaimiņš ir muļķis un zaglis")
        item = await swot.shown(session, village.id, Code(T, 1))
        hidden = await swot.hide(session, village, anna, item.id)
        assert hidden.hidden_by_id == anna.id
        assert (await swot_agreement.board(session, village.id)).total == 0
        assert (await swot_agreement.next_to_rate(session, village.id, anna)).item is None
        assert await swot_agreement.vote(session, anna, hidden.id, AGREE) is None
        with pytest.raises(InvalidInput):
            await swot.hide(session, village, anna, item.id)
        with pytest.raises(InvalidInput):
            await swot.shown(session, village.id, Code(T, 1))
        entry = await session.scalar(select(AuditEntry))
        assert entry is not None
        assert (entry.action, entry.actor_id) == ("swot_hide", anna.id)
        assert entry.details == {"code": "T1", "text": "Kaimiņš ir muļķis un zaglis"}


async def test_only_inputs_of_one_part_are_merged(db: Database) -> None:
    async with db.transaction() as session:
        village = await _village(session)
        (anna,) = await _people(session, village, 1)
        strength = await swot.add_item(session, village, anna, S, "Laba skola ciemā")
        weakness = await swot.add_item(session, village, anna, W, "Skolā maz skolēnu")
        with pytest.raises(InvalidInput) as apart:
            await swot.merge_pair(session, village.id, Code(W, 1), Code(S, 1))
        assert apart.value.params == {"source": "W1", "target": "S1", "part": "S"}
        with pytest.raises(InvalidInput):  # forged or stale data is checked again
            await swot.merge(session, village, anna, weakness.id, strength.id)
        board = await swot_agreement.board(session, village.id)
        assert [i.code for i in board.quadrant(S) + board.quadrant(W)] == ["S1", "W1"]
        assert await session.scalar(select(func.count()).select_from(AuditEntry)) == 0


async def test_a_hidden_input_is_shown_again_with_its_votes(db: Database) -> None:
    async with db.transaction() as session:
        village = await _village(session)
        anna, janis = await _people(session, village, 2)
        item = await swot.add_item(session, village, janis, T, "Jaunieši aizbrauc uz pilsētu")
        await swot_agreement.vote(session, anna, item.id, DISAGREE)
        with pytest.raises(InvalidInput):
            await swot.hidden_item(session, village.id, Code(T, 1))
        await swot.hide(session, village, anna, item.id)
        found = await swot.hidden_item(session, village.id, Code(T, 1))
        shown = await swot.unhide(session, village, anna, found.id)
        assert (shown.hidden_at, shown.hidden_by_id) == (None, None)
        board = await swot_agreement.board(session, village.id)
        assert [(i.code, i.agree, i.disagree) for i in board.quadrant(T)] == [("T1", 1, 1)]
        with pytest.raises(InvalidInput):
            await swot.unhide(session, village, anna, item.id)
        log = [(e.action, e.details) for e in await session.scalars(select(AuditEntry))]
        assert log == [
            ("swot_hide", {"code": "T1", "text": "Jaunieši aizbrauc uz pilsētu"}),
            ("swot_unhide", {"code": "T1"}),
        ]


async def test_a_member_changes_their_rating(db: Database) -> None:
    async with db.transaction() as session:
        village = await _village(session)
        anna, janis = await _people(session, village, 2)
        item = await swot.add_item(session, village, anna, O, "ES finansējums ciemam")
        first = await swot_agreement.vote(session, janis, item.id, DISAGREE)
        assert first is not None
        assert first.previous is None
        assert await swot_agreement.rating_of(session, item.id, janis) == DISAGREE
        changed = await swot_agreement.vote(session, janis, item.id, AGREE)
        assert changed is not None
        assert (changed.item.code, changed.previous) == ("O1", DISAGREE)
        board = await swot_agreement.board(session, village.id)
        assert [(i.agree, i.disagree) for i in board.quadrant(O)] == [(2, 0)]


async def test_a_new_round_archives_the_old_one(db: Database) -> None:
    async with db.transaction() as session:
        village = await _village(session)
        anna, janis = await _people(session, village, 2)
        assert await swot.round_summary(session, village.id) == swot.RoundSummary(0, 0)
        first = await swot.add_item(session, village, anna, S, "Aktīva jaunatne")
        assert await swot.round_summary(session, village.id) == swot.RoundSummary(1, 1)
        await swot.start_round(session, village, anna, expected=1)
        with pytest.raises(InvalidInput):  # a second press of the same confirmation
            await swot.start_round(session, village, anna, expected=1)
        assert await swot.round_summary(session, village.id) == swot.RoundSummary(2, 0)
        latest = await swot_agreement.latest_board(session, village.id)
        assert (latest.round_number, latest.total) == (2, 0)
        again = await swot.add_item(session, village, janis, S, "Aktīva jaunatne")
        assert again.code == "S1"
        old = await swot_agreement.board(session, village.id, 1)
        assert (old.archived, [i.text for i in old.quadrant(S)]) == (True, ["Aktīva jaunatne"])
        # Inputs of an archived round are not rated any more.
        assert await swot_agreement.vote(session, janis, first.id, AGREE) is None
        with pytest.raises(NotFound):
            await swot_agreement.board(session, village.id, 5)
        with pytest.raises(NotFound):  # codes belong to the current round
            await swot.shown(session, village.id, Code(S, 2))
        with pytest.raises(NotFound):  # so do the questions' buttons
            await swot.hide(session, village, anna, first.id)


async def test_nothing_crosses_between_villages(db: Database) -> None:
    async with db.transaction() as session:
        here = await _village(session, -1)
        there = await _village(session, -2)
        anna = await _member(session, here, 1)
        outsider = await _member(session, there, 2)
        item = await swot.add_item(session, here, anna, W, "Nav veikala ciemā")
        with pytest.raises(NotFound):
            await swot_agreement.vote(session, outsider, item.id, AGREE)
        with pytest.raises(NotFound):
            await swot.shown(session, there.id, Code(W, 1))
        with pytest.raises(NotFound):  # forged buttons name another village's input
            await swot.hide(session, there, outsider, item.id)
        with pytest.raises(NotFound):
            await swot.merge(session, there, outsider, item.id, item.id)
        assert (await swot_agreement.board(session, there.id)).total == 0
        assert (await swot_agreement.next_to_rate(session, there.id, outsider)).item is None


async def test_the_boards_lookups_by_id_ratings_and_hidden_inputs(db: Database) -> None:
    """What the village board reads besides the ranked board: an input by its id (of this
    village's current round only), the reader's own ratings, and the hidden inputs."""
    async with db.transaction() as session:
        here = await _village(session, -1)
        there = await _village(session, -2)
        anna, janis = await _people(session, here, 2)
        outsider = await _member(session, there, 9)
        s1 = await swot.add_item(session, here, anna, S, "Laba skola ciemā")
        s2 = await swot.add_item(session, here, janis, S, "Mums ir laba pamatskola")
        t1 = await swot.add_item(session, here, janis, T, "Jaunās ģimenes pārceļas")
        assert await swot.current_by_id(session, here.id, s1.id) is s1
        with pytest.raises(NotFound):
            await swot.current_by_id(session, there.id, s1.id)
        with pytest.raises(NotFound):
            await swot.live_by_id(session, there.id, s1.id)
        await swot_agreement.vote(session, anna, s2.id, DISAGREE)
        assert await swot_agreement.ratings(session, here.id, anna) == {
            s1.id: AGREE,
            s2.id: DISAGREE,
        }
        assert await swot_agreement.ratings(session, there.id, outsider) == {}
        assert await swot_agreement.hidden_items(session, here.id) == {
            q: [] for q in swot.QUADRANTS
        }

        await swot.hide(session, here, anna, t1.id)
        await swot_agreement.vote(session, anna, t1.id, AGREE)  # not rated: nothing changes
        hidden = await swot_agreement.hidden_items(session, here.id)
        assert [(i.code, i.agree, i.disagree) for i in hidden[T]] == [("T1", 1, 0)]
        assert await swot.current_by_id(session, here.id, t1.id) is t1
        with pytest.raises(InvalidInput):
            await swot.live_by_id(session, here.id, t1.id)
        # A merged input is found by its id (its votes moved on), but it is not live.
        await swot.merge(session, here, anna, s2.id, s1.id)
        assert await swot.current_by_id(session, here.id, s2.id) is s2
        with pytest.raises(InvalidInput):
            await swot.live_by_id(session, here.id, s2.id)
        assert (await swot_agreement.hidden_items(session, here.id))[S] == []
        # An archived round's inputs are no longer the board's.
        await swot.start_round(session, here, anna, expected=1)
        with pytest.raises(NotFound):
            await swot.current_by_id(session, here.id, s1.id)
        assert await swot_agreement.ratings(session, here.id, anna) == {}
        assert await swot_agreement.hidden_items(session, here.id) == {
            q: [] for q in swot.QUADRANTS
        }


async def test_concurrent_inputs_get_one_code_each(db: Database) -> None:
    """Five residents add strengths at once, each in their own transaction (truly at once on
    PostgreSQL): S1 to S5, each with its author's agreement."""
    async with db.transaction() as session:
        village = await _village(session)
        people = await _people(session, village, 5)
        await swot.add_item(session, village, people[0], W, "Nav vakara autobusa uz pilsētu")

    async def add(user: User) -> str:
        async with db.transaction() as session:
            item = await swot.add_item(session, village, user, S, f"Stiprā puse {user.telegram_id}")
            return item.code

    codes = await asyncio.gather(*(add(p) for p in people))
    assert sorted(codes) == ["S1", "S2", "S3", "S4", "S5"]
    async with db.transaction() as session:
        votes = await session.scalar(select(func.count()).select_from(SwotVote))
    assert votes == 6


async def test_codes_and_votes_are_unique_in_the_database(db: Database) -> None:
    """What concurrent presses could break is refused by the database itself."""
    async with db.transaction() as session:
        village = await _village(session)
        anna = await _member(session, village, 1)
        item = await swot.add_item(session, village, anna, S, "Kaimiņi palīdz cits citam")
        ids = (village.id, item.round_id, item.id, anna.id)
    twins = (
        SwotItem(community_id=ids[0], round_id=ids[1], quadrant=S, number=1, text="Cits teksts"),
        SwotVote(community_id=ids[0], item_id=ids[2], user_id=ids[3], choice=DISAGREE),
        SwotRound(community_id=ids[0], number=1),
    )
    for twin in twins:
        with pytest.raises(IntegrityError):
            async with db.transaction() as session:
                session.add(twin)
