"""Polls as a service: creation within Telegram's limits, votes with changes and retractions,
Telegram's counts, paper votes, turnout, who has not voted, closing once, and schedules."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import Database
from bot.models import Community, PollVote, User, utcnow
from bot.services import communities, members, placed, polls
from bot.services.communities import CommunityDefaults
from bot.services.errors import InvalidInput, NotFound

DEFAULTS = CommunityDefaults("lv", "Europe/Riga")


@dataclass
class World:
    db: Database
    village: Community
    other: Community
    people: list[User]


@pytest.fixture
async def world(db: Database) -> World:
    async with db.transaction() as session:
        village = (await communities.ensure(session, -1, "Lejasciems", DEFAULTS)).community
        other = (await communities.ensure(session, -2, "Augšciems", DEFAULTS)).community
        people = []
        for number in range(1, 5):
            person = await members.ensure_user(session, members.Profile(number, f"P{number}"))
            await members.ensure_membership(session, village, person)
            people.append(person)
    return World(db, village, other, people)


def _message(error: pytest.ExceptionInfo[InvalidInput]) -> tuple[str, dict[str, object]]:
    return error.value.message, error.value.params


def test_quick_syntax_reads_deadline_and_words_in_any_order() -> None:
    quick = polls.parse_quick("3d public multi Kur likt soliņu? | Pie veikala | Pie baznīcas ")
    assert quick == polls.QuickPoll(
        "Kur likt soliņu?", ("Pie veikala", "Pie baznīcas"), False, True, timedelta(days=3)
    )
    plain = polls.parse_quick("Vai rīkot talku?|Jā|Nē")
    assert (plain.anonymous, plain.multiple, plain.duration) == (True, False, None)
    # A question may begin with such a word when nothing else is left for the question.
    assert polls.parse_quick("public | Jā | Nē").question == "public"


@pytest.mark.parametrize(
    "words", ["public multi", "publiski vairākas", "открыто несколько", "vairākas открыто"]
)
def test_quick_syntax_words_in_latvian_and_russian(words: str) -> None:
    """The lv and ru help texts show these words; they work like the English ones."""
    quick = polls.parse_quick(f"3d {words} Kur likt soliņu? | Pie veikala | Pie baznīcas")
    assert (quick.question, quick.anonymous, quick.multiple) == ("Kur likt soliņu?", False, True)
    request = polls.parse_idea_poll(["7", *words.upper().split(), "1w"])
    assert (request.count, request.anonymous, request.multiple) == (7, False, True)


@pytest.mark.parametrize(
    ("deadline", "value"),
    [
        ("3 dienas", timedelta(days=3)),
        ("2 st", timedelta(hours=2)),
        ("3 дня", timedelta(days=3)),
        ("30 мин", timedelta(minutes=30)),
        ("1w", timedelta(weeks=1)),
        ("2 days", timedelta(days=2)),
    ],
)
def test_deadlines_in_latvian_and_russian_units(deadline: str, value: timedelta) -> None:
    """The lv and ru help texts show `/poll 3 dienas …` and `/ideapoll 5 1 нед`."""
    quick = polls.parse_quick(f"{deadline} Kur likt 2 soliņus? | Pie veikala | Pie baznīcas")
    assert (quick.question, quick.duration) == ("Kur likt 2 soliņus?", value)
    request = polls.parse_idea_poll(["5", *deadline.split()])
    assert (request.count, request.duration) == (5, value)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Kur likt soliņu?", polls.USAGE),
        ("Kur likt soliņu? | Pie veikala", polls.USAGE),
        (" | A | B", polls.USAGE),
        ("Q? | A | ", "Option {number} is empty."),
        ("Q? | Jā | jā", "Option {number} is the same as option {other}."),
        ("Q? " + " | x" * 13, "A poll can have at most {n} option; this one has {count}."),
        (
            "Q" * 301 + " | A | B",
            "The question is too long: at most {n} character, and it has {length}.",
        ),
        (
            "Q | A | " + "B" * 101,
            "Option {number} is too long: at most {n} character, and it has {length}.",
        ),
        ("31d Q | A | B", polls.DEADLINE_RANGE),
        ("-3d Q | A | B", polls.DEADLINE_RANGE),
        ("public -30m Q | A | B", polls.DEADLINE_RANGE),
        ("0m Q | A | B", polls.DEADLINE_RANGE),
    ],
)
def test_quick_syntax_explains_what_is_wrong(text: str, message: str) -> None:
    with pytest.raises(InvalidInput) as error:
        polls.parse_quick(text)
    assert error.value.message == message


def test_limits_are_telegrams() -> None:
    assert polls.check_question("Q" * 300) == "Q" * 300
    assert len(polls.check_options([f"{n}" * 100 for n in range(2)])) == 2
    assert len(polls.check_options([str(n) for n in range(12)])) == 12
    with pytest.raises(InvalidInput) as error:
        polls.check_options([str(n) for n in range(13)])
    assert error.value.params == {"n": 12, "count": 13}
    with pytest.raises(InvalidInput) as error:
        polls.check_option("ā" * 101, 3)
    assert error.value.params == {"number": 3, "n": 100, "length": 101}


async def test_create_checks_the_deadline(world: World) -> None:
    now = utcnow()
    async with world.db.transaction() as session:
        poll = await polls.create(
            session,
            world.village,
            world.people[0],
            "Q?",
            ["A", "B"],
            closes_at=now + timedelta(days=2),
        )
        assert [o.text for o in poll.options] == ["A", "B"]
        assert [o.position for o in poll.options] == [0, 1]
        # `/poll 1m …` computed its deadline a moment earlier: still a minute from now.
        soon = await polls.create(
            session, world.village, None, "Q?", ["A", "B"], closes_at=now + timedelta(minutes=1)
        )
        assert soon.closes_at == now + timedelta(minutes=1)
        for wrong in (now + timedelta(seconds=30), now + timedelta(days=31)):
            with pytest.raises(InvalidInput):
                await polls.create(session, world.village, None, "Q?", ["A", "B"], closes_at=wrong)


async def _posted_poll(world: World, *, anonymous: bool = False, hours: int | None = 24) -> int:
    async with world.db.transaction() as session:
        poll = await polls.create(
            session,
            world.village,
            world.people[0],
            "Kur likt soliņu?",
            ["Pie veikala", "Pie baznīcas", "Pie skolas"],
            anonymous=anonymous,
            closes_at=utcnow() + timedelta(hours=hours) if hours else None,
        )
        await polls.posted(session, poll.id, world.village.chat_id, 10, "tg-poll-1")
        return poll.id


async def _answer(
    session: AsyncSession, voter: User, positions: list[int], poll: str = "tg-poll-1"
) -> None:
    """As the handler records a poll answer: the voter's ballot, then the answer."""
    ballot = await polls.ballot(session, poll, voter)
    assert ballot is not None
    await polls.record_answer(session, ballot, positions)


async def test_votes_are_stored_with_changes_and_retractions(world: World) -> None:
    poll_id = await _posted_poll(world)
    anna, janis, olga, _ = world.people
    async with world.db.transaction() as session:
        await _answer(session, anna, [0])
        await _answer(session, janis, [1])
        await _answer(session, olga, [2])
        await _answer(session, janis, [0])  # Jānis changes his mind
        await _answer(session, olga, [])  # Olga takes her vote back
        await _answer(session, anna, [7])  # no such option: nothing chosen
    async with world.db.transaction() as session:
        votes = {
            v.user_id: (v.options, v.changes)
            for v in await session.scalars(select(PollVote).where(PollVote.poll_id == poll_id))
        }
        poll = await polls.get(session, poll_id)
    assert votes == {anna.id: ([], 1), janis.id: ([0], 1), olga.id: ([], 1)}
    # A public poll is counted from these answers, not from Telegram's counts.
    assert poll is not None
    assert ([o.online_count for o in poll.options], poll.online_voters) == ([1, 0, 0], 1)


async def test_a_public_polls_counts_are_its_members_answers_not_telegrams(world: World) -> None:
    poll_id = await _posted_poll(world)
    anna, janis, _, _ = world.people
    async with world.db.transaction() as session:
        await _answer(session, anna, [0])
        await _answer(session, janis, [0, 1])
        # Telegram's counts include votes cast in forwarded copies by people outside the group.
        assert not await polls.record_counts_of(session, "tg-poll-1", [9, 8, 7], 12)
        poll = await polls.get(session, poll_id)
        assert poll is not None
        polls.record_counts(poll, [9, 8, 7], 12)
        results = await polls.results(session, poll)
    assert [o.online for o in results.options] == [2, 1, 0]
    assert results.online_voters == 2


async def test_telegram_counts_are_recorded_by_telegram_id(world: World) -> None:
    poll_id = await _posted_poll(world, anonymous=True)
    async with world.db.transaction() as session:
        assert await polls.record_counts_of(session, "tg-poll-1", [2, -1, 5], 6)
        assert not await polls.record_counts_of(session, "tg-poll-unknown", [1], 1)
    async with world.db.transaction() as session:
        poll = await polls.get(session, poll_id)
        assert poll is not None
        assert poll.id == poll_id
        assert [o.online_count for o in poll.options] == [2, 0, 5]
        assert poll.online_voters == 6
        voter = world.people[1]
        assert await polls.ballot(session, "tg-poll-1", voter) == polls.Ballot(
            poll_id, world.village.id, 3, voter.id
        )


async def test_who_has_not_voted(world: World) -> None:
    poll_id = await _posted_poll(world)
    anna, janis, olga, peteris = world.people
    async with world.db.transaction() as session:
        await _answer(session, anna, [0])
        await _answer(session, olga, [1])
        await _answer(session, olga, [])
        await members.mark_left(session, world.village, peteris)
        # Someone of another village is never "a member who has not voted".
        stranger = await members.ensure_user(session, members.Profile(99, "Svešais"))
        await members.ensure_membership(session, world.other, stranger)
        poll = await polls.get(session, poll_id)
        assert poll is not None
        assert [p.id for p in await polls.non_voters(session, poll)] == [janis.id, olga.id]


async def test_results_turnout_and_paper_votes(world: World) -> None:
    poll_id = await _posted_poll(world, anonymous=True)
    async with world.db.transaction() as session:
        poll = await polls.get(session, poll_id)
        assert poll is not None
        polls.record_counts(poll, [2, 1, 0], 3)
        polls.set_offline(poll, polls.parse_offline(["1=12", "3=7"], 3))
        polls.set_offline(poll, polls.parse_offline(["3=5"], 3))  # a correction replaces
        await members.mark_left(session, world.village, world.people[3])
        results = await polls.results(session, poll)
    assert [(o.online, o.offline, o.total) for o in results.options] == [
        (2, 12, 14),
        (1, 0, 1),
        (0, 5, 5),
    ]
    assert (results.votes, results.offline_votes) == (20, 17)
    assert [results.share(o) for o in results.options] == [70, 5, 25]
    assert (results.online_voters, results.known_members, results.turnout) == (3, 3, 100)
    assert not results.closed


def test_turnout_never_passes_all() -> None:
    results = polls.Results("Q", (polls.OptionResult("A", 5, 0),), 5, 2, True, False, True)
    assert results.turnout == 100
    empty = polls.Results("Q", (polls.OptionResult("A", 0, 0),), 0, 0, True, False, True)
    assert (empty.turnout, empty.share(empty.options[0])) == (0, 0)


@pytest.mark.parametrize(
    ("words", "message"),
    [
        ([], polls.PAPER_USAGE),
        (["1:12"], polls.PAPER_WORD),
        (["x=1"], polls.PAPER_WORD),
        (["1=-3"], polls.PAPER_NEGATIVE),
        (["1=12", "2=-5"], polls.PAPER_NEGATIVE),
        (["4=1"], "This poll has options 1 to {count}; there is no option {number}."),
        (["0=1"], "This poll has options 1 to {count}; there is no option {number}."),
        (["1=100001"], "At most {n} vote per option."),
    ],
)
def test_paper_votes_syntax(words: list[str], message: str) -> None:
    with pytest.raises(InvalidInput) as error:
        polls.parse_offline(words, 3)
    assert error.value.message == message


async def test_a_poll_closes_once(world: World) -> None:
    poll_id = await _posted_poll(world)
    async with world.db.transaction() as session:
        poll = await polls.get(session, poll_id)
        assert poll is not None
        assert await polls.close(session, poll)
        assert poll.closed_at is not None
    async with world.db.transaction() as session:
        poll = await polls.get(session, poll_id)
        assert poll is not None
        assert not await polls.close(session, poll)
        assert await polls.open_polls(session, world.village) == []


async def test_polls_are_found_only_in_their_own_village(world: World) -> None:
    poll_id = await _posted_poll(world)
    async with world.db.transaction() as session:
        assert (await polls.by_message(session, world.village, 10)).id == poll_id
        with pytest.raises(NotFound):
            await polls.by_message(session, world.other, 10)
        with pytest.raises(NotFound):
            await polls.by_message(session, world.village, 11)


async def test_open_polls_soonest_deadline_first(world: World) -> None:
    later = await _posted_poll(world, hours=48)
    async with world.db.transaction() as session:
        for hours, telegram_id in ((None, "tg-none"), (2, "tg-soon")):
            poll = await polls.create(
                session,
                world.village,
                None,
                f"Q {telegram_id}",
                ["A", "B"],
                closes_at=utcnow() + timedelta(hours=hours) if hours else None,
            )
            await polls.posted(session, poll.id, world.village.chat_id, 20 + poll.id, telegram_id)
        # A poll Telegram has not accepted yet is nobody's open poll.
        await polls.create(session, world.village, None, "Unposted", ["A", "B"])
        found = await polls.open_polls(session, world.village)
    assert [p.telegram_poll_id for p in found] == ["tg-soon", "tg-poll-1", "tg-none"]
    assert found[1].id == later


async def test_deadlines_and_reminder_times(world: World) -> None:
    poll_id = await _posted_poll(world, hours=72)
    async with world.db.transaction() as session:
        [deadline] = await polls.deadlines(session)
        poll = await polls.get(session, poll_id)
        assert poll is not None
        assert poll.closes_at is not None
        assert deadline.closes_at == poll.closes_at
        # The default: a day before the deadline.
        assert deadline.remind_at == poll.closes_at - timedelta(days=1)
        # Never in the first half of the voting time.
        halfway = poll.created_at + (poll.closes_at - poll.created_at) / 2
        assert polls.reminder_time(poll, timedelta(days=3)) == halfway
        assert abs(halfway - poll.created_at - timedelta(hours=36)) < timedelta(seconds=1)
        village = await session.get(Community, world.village.id)
        assert village is not None
        polls.set_reminder_offset(village, ["none"])
        [deadline] = await polls.deadlines(session, world.village.id)
        assert deadline.remind_at is None
        assert await polls.deadlines(session, world.other.id) == []
        await communities.deactivate(session, village.chat_id)
        assert await polls.deadlines(session) == []


def test_the_reminder_setting() -> None:
    village = Community(
        chat_id=-1, language="lv", timezone="Europe/Riga", poll_reminder_minutes=1440
    )
    polls.set_reminder_offset(village, ["3h"])
    assert polls.reminder_offset(village) == timedelta(hours=3)
    polls.set_reminder_offset(village, ["off"])
    assert polls.reminder_offset(village) is None
    for wrong in (["soon"], ["1d", "2d"], ["31d"]):
        with pytest.raises(InvalidInput):
            polls.set_reminder_offset(village, wrong)
    # The Latvian and Russian words the help texts show.
    polls.set_reminder_offset(village, ["1", "d"])
    assert polls.reminder_offset(village) == timedelta(days=1)
    polls.set_reminder_offset(village, ["izslēgt"])
    assert polls.reminder_offset(village) is None
    polls.set_reminder_offset(village, ["3", "ч"])
    assert polls.reminder_offset(village) == timedelta(hours=3)
    polls.set_reminder_offset(village, ["выкл"])
    assert polls.reminder_offset(village) is None


async def test_nothing_is_counted_twice(world: World) -> None:
    await _posted_poll(world)
    async with world.db.transaction() as session:
        for _ in range(3):
            await _answer(session, world.people[1], [1])
        count = await session.scalar(select(func.count()).select_from(PollVote))
    assert count == 1


def test_idea_poll_requests_and_options() -> None:
    from datetime import timedelta

    from bot.models import Idea

    request = polls.parse_idea_poll(["7", "multi", "1w"])
    assert (request.count, request.multiple, request.anonymous, request.duration) == (
        7,
        True,
        True,
        timedelta(weeks=1),
    )
    assert polls.parse_idea_poll([]).count == polls.IDEA_POLL_DEFAULT
    for bad in (["1"], ["13"], ["many"]):
        with pytest.raises(InvalidInput):
            polls.parse_idea_poll(bad)
    for bad in (["-3d"], ["5", "31d"]):
        with pytest.raises(InvalidInput) as error:
            polls.parse_idea_poll(bad)
        assert error.value.message == polls.DEADLINE_RANGE
    options = polls.idea_options([Idea(number=4, text="ā" * 300)])
    assert options[0].startswith("#4 ā")
    assert len(options[0]) == polls.OPTION_LIMIT


async def test_a_posted_poll_and_its_final_counts_are_recorded_from_telegrams_answers(
    world: World,
) -> None:
    """The outbox records a posted poll's ids from sendPoll's message, and an anonymous poll's
    final counts from stopPoll's answer (its results are drawn after that)."""
    async with world.db.transaction() as session:
        poll = await polls.create(session, world.village, world.people[0], "Talka?", ["Jā", "Nē"])
        poll_id = poll.id
    sent = {"chat": {"id": -1}, "message_id": 77, "poll": {"id": "5000"}}
    stopped = {"options": [{"voter_count": 3}, {"voter_count": 1}], "total_voter_count": 4}
    async with world.db.transaction() as session:
        await placed.record(session, placed.poll_posted(poll_id), sent)
        await placed.record(session, placed.poll_stopped(poll_id), stopped)
        await placed.record(session, placed.poll_results(poll_id), {"message_id": 78})
    async with world.db.transaction() as session:
        stored = await polls.get(session, poll_id)
        assert stored is not None
        assert (stored.chat_id, stored.message_id, stored.telegram_poll_id) == (-1, 77, "5000")
        assert [option.online_count for option in stored.options] == [3, 1]
        assert stored.online_voters == 4
        assert stored.results_message_id == 78
