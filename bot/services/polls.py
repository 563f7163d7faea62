"""Polls: creation within Telegram's limits, votes and counts as Telegram reports them, paper
votes, results and turnout, who has not voted, and the times of deadlines and reminders."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import cast

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Insert,
    Integer,
    Table,
    and_,
    bindparam,
    case,
    func,
    or_,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from bot.db import dialect_insert
from bot.i18n import N_, n_
from bot.models import Community, Idea, Membership, Poll, PollOption, PollVote, User, utcnow
from bot.services import durations, once
from bot.services.errors import InvalidInput, NotFound
from bot.services.text import OFF_WORDS, clean, shorten, whole_number

# Telegram's limits for a regular poll (Bot API sendPoll).
QUESTION_LIMIT = 300
OPTION_LIMIT = 100
OPTIONS_MIN = 2
OPTIONS_MAX = 12
# A deadline lies from a minute to 30 days ahead.
DEADLINE_MIN = timedelta(minutes=1)
DEADLINE_MAX = timedelta(days=30)
CLOCK_SLACK = timedelta(seconds=5)
OFFLINE_MAX = 100_000
DEFAULT_REMINDER = timedelta(days=1)
# Words that may lead the quick syntax: the English word, and the Latvian and Russian ones the
# help texts show in those languages.
PUBLIC_WORDS = frozenset({"public", "publiski", "открыто"})
MULTIPLE_WORDS = frozenset({"multi", "vairākas", "несколько"})

USAGE = N_(
    "Write the question and at least two options, separated by |, for example:\n"
    "<code>/poll 3d Where should the new bench stand? | By the shop | By the church</code>\n"
    "Put a deadline first if you like (30m, 2h, 3d, 1w), and the word <code>public</code> "
    "to show who voted, <code>multi</code> to allow several answers. "
    "In a private chat with me, /poll alone guides you step by step."
)
PAPER_USAGE = N_(
    "Reply to the poll with the paper votes for each option number, for example: "
    "<code>/papervotes 1=12 2=7</code>"
)
PAPER_NEGATIVE = N_(
    "Votes cannot be negative: write 0 or more for each option, for example "
    "<code>/papervotes 1=12 2=7</code>"
)
PAPER_WORD = N_(
    "I can't read “{word}”: write the option number, = and its votes, for example "
    "<code>/papervotes 1=12 2=7</code>"
)
NOT_FOUND = N_("I don't know that poll. Reply to a poll I posted in this group.")
DEADLINE_RANGE = N_(
    "The deadline must be between 1 minute and 30 days, written like 30m, 2h, 3d or 1w."
)


def looks_like_deadline(word: str) -> bool:
    """`3d`, and also `-3d`: a deadline typed wrong is refused, not taken into the question."""
    return durations.is_duration(word.removeprefix("-"))


def parse_deadline(word: str) -> timedelta:
    """A deadline word, from a minute to 30 days ahead."""
    if word.startswith("-"):
        raise InvalidInput(DEADLINE_RANGE)
    duration = durations.parse(word)
    if not DEADLINE_MIN <= duration <= DEADLINE_MAX:
        raise InvalidInput(DEADLINE_RANGE)
    return duration


@dataclass(frozen=True)
class QuickPoll:
    """What `/poll [deadline] [public] [multi] question | option | option …` asks for."""

    question: str
    options: tuple[str, ...]
    anonymous: bool = True
    multiple: bool = False
    duration: timedelta | None = None


def parse_quick(text: str) -> QuickPoll:
    parts = text.split("|")
    if len(parts) < 1 + OPTIONS_MIN:
        raise InvalidInput(USAGE)
    words = durations.group(parts[0].split())
    anonymous, multiple, duration = True, False, None
    while len(words) > 1:
        word = words[0]
        if word in PUBLIC_WORDS:
            anonymous = False
        elif word in MULTIPLE_WORDS:
            multiple = True
        elif duration is None and looks_like_deadline(word):
            duration = parse_deadline(word)
        else:
            break
        words.pop(0)
    return QuickPoll(
        question=check_question(" ".join(words)),
        options=tuple(check_options(parts[1:])),
        anonymous=anonymous,
        multiple=multiple,
        duration=duration,
    )


IDEA_POLL_DEFAULT = 5
IDEA_POLL_USAGE = N_(
    "Write how many of the most supported open ideas to put to a vote (2 to 12, 5 if left out); "
    "a deadline, <code>public</code> and <code>multi</code> work as with /poll, for example: "
    "<code>/ideapoll 5 1w</code>"
)


@dataclass(frozen=True)
class IdeaPollRequest:
    count: int = IDEA_POLL_DEFAULT
    anonymous: bool = True
    multiple: bool = False
    duration: timedelta | None = None


def parse_idea_poll(words: Sequence[str]) -> IdeaPollRequest:
    """`/ideapoll [n] [deadline] [public] [multi]`, in any order."""
    count, anonymous, multiple, duration = IDEA_POLL_DEFAULT, True, False, None
    for word in (w.lower() for w in durations.group(words)):
        number = whole_number(word)
        if number is not None and OPTIONS_MIN <= number <= OPTIONS_MAX:
            count = number
        elif word in PUBLIC_WORDS:
            anonymous = False
        elif word in MULTIPLE_WORDS:
            multiple = True
        elif looks_like_deadline(word):
            duration = parse_deadline(word)
        else:
            raise InvalidInput(IDEA_POLL_USAGE)
    return IdeaPollRequest(count, anonymous, multiple, duration)


def idea_options(ideas: Sequence[Idea]) -> list[str]:
    """One option per idea, `#5 text`, cut to Telegram's option length."""
    return [shorten(f"#{idea.number} {idea.text}", OPTION_LIMIT) for idea in ideas]


def check_question(raw: str) -> str:
    question = clean(raw)
    if not question:
        raise InvalidInput(USAGE)
    if len(question) > QUESTION_LIMIT:
        raise InvalidInput(
            n_(
                "The question is too long: at most {n} character, and it has {length}.",
                "The question is too long: at most {n} characters, and it has {length}.",
            ),
            n=QUESTION_LIMIT,
            length=len(question),
        )
    return question


def check_option(raw: str, number: int) -> str:
    option = clean(raw).replace("\n", " ")
    if not option:
        raise InvalidInput(N_("Option {number} is empty."), number=number)
    if len(option) > OPTION_LIMIT:
        raise InvalidInput(
            n_(
                "Option {number} is too long: at most {n} character, and it has {length}.",
                "Option {number} is too long: at most {n} characters, and it has {length}.",
            ),
            number=number,
            n=OPTION_LIMIT,
            length=len(option),
        )
    return option


def check_options(raw: Sequence[str]) -> list[str]:
    if len(raw) > OPTIONS_MAX:
        raise InvalidInput(
            n_(
                "A poll can have at most {n} option; this one has {count}.",
                "A poll can have at most {n} options; this one has {count}.",
            ),
            n=OPTIONS_MAX,
            count=len(raw),
        )
    options = [check_option(text, number) for number, text in enumerate(raw, start=1)]
    if len(options) < OPTIONS_MIN:
        raise InvalidInput(USAGE)
    seen: dict[str, int] = {}
    for number, option in enumerate(options, start=1):
        earlier = seen.setdefault(option.casefold(), number)
        if earlier != number:
            raise InvalidInput(
                N_("Option {number} is the same as option {other}."), number=number, other=earlier
            )
    return options


def check_deadline(closes_at: datetime, now: datetime) -> datetime:
    # `/poll 1m …` computes its deadline a moment before the poll is created.
    if closes_at < now + DEADLINE_MIN - CLOCK_SLACK:
        raise InvalidInput(N_("The deadline must be at least a minute from now."))
    if closes_at > now + DEADLINE_MAX:
        raise InvalidInput(N_("The deadline can be at most 30 days from now."))
    return closes_at


async def create(
    session: AsyncSession,
    community: Community,
    author: User | None,
    question: str,
    options: Sequence[str],
    *,
    anonymous: bool = True,
    multiple: bool = False,
    closes_at: datetime | None = None,
) -> Poll:
    """A new poll, checked against Telegram's limits; the outbox posts it after the commit."""
    now = utcnow()
    poll = Poll(
        community_id=community.id,
        author_id=author.id if author else None,
        question=check_question(question),
        anonymous=anonymous,
        multiple=multiple,
        created_at=now,
        closes_at=check_deadline(closes_at, now) if closes_at is not None else None,
        options=[
            PollOption(community_id=community.id, position=position, text=text)
            for position, text in enumerate(check_options(options))
        ],
    )
    session.add(poll)
    await session.flush()
    return poll


async def get(session: AsyncSession, poll_id: int) -> Poll | None:
    return await session.scalar(
        select(Poll).where(Poll.id == poll_id).options(selectinload(Poll.options))
    )


async def posted(
    session: AsyncSession, poll_id: int, chat_id: int, message_id: int, telegram_poll_id: str
) -> None:
    """Telegram accepted the poll: remember where it is, so its updates find it."""
    await session.execute(
        update(Poll)
        .where(Poll.id == poll_id)
        .values(chat_id=chat_id, message_id=message_id, telegram_poll_id=telegram_poll_id)
    )


async def final_counts(
    session: AsyncSession, poll_id: int, counts: Sequence[int], voters: int
) -> None:
    """Telegram's counts as it stopped the poll (`record_counts`)."""
    poll = await get(session, poll_id)
    if poll is not None:
        record_counts(poll, counts, voters)


async def results_posted(session: AsyncSession, poll_id: int, message_id: int) -> None:
    """The results message: the chart quotes it, and a reply to it finds the poll."""
    await session.execute(
        update(Poll).where(Poll.id == poll_id).values(results_message_id=message_id)
    )


async def chart_posted(session: AsyncSession, poll_id: int, message_id: int) -> None:
    await session.execute(
        update(Poll).where(Poll.id == poll_id).values(chart_message_id=message_id)
    )


async def discard(session: AsyncSession, poll_id: int) -> None:
    """Telegram refused the poll: it never existed for anyone."""
    poll = await session.get(Poll, poll_id)
    if poll is not None:
        await session.delete(poll)


async def by_message(session: AsyncSession, community: Community, message_id: int) -> Poll:
    """The community's poll whose message, results or chart this is; NotFound otherwise."""
    poll = await find_by_message(session, community, message_id)
    if poll is None:
        raise NotFound(NOT_FOUND)
    return poll


async def find_by_message(
    session: AsyncSession, community: Community, message_id: int
) -> Poll | None:
    return await session.scalar(
        select(Poll)
        .where(
            Poll.community_id == community.id,
            or_(
                Poll.message_id == message_id,
                Poll.results_message_id == message_id,
                Poll.chart_message_id == message_id,
            ),
        )
        .options(selectinload(Poll.options))
    )


@dataclass(frozen=True)
class Ballot:
    """What recording a member's answer needs of a poll: read in one query, options uncounted
    by row (every public poll answer is an update of its own): one voter's, with the options
    their stored answer holds."""

    poll_id: int
    community_id: int
    option_count: int
    user_id: int | None  # None: a voter the bot does not know (yet)
    previous: tuple[int, ...] = ()


_BALLOT = (
    select(
        Poll.id,
        Poll.community_id,
        select(func.count(PollOption.id))
        .where(PollOption.poll_id == Poll.id)
        .correlate(Poll)
        .scalar_subquery(),
        PollVote.options,
    )
    .outerjoin(
        PollVote, and_(PollVote.poll_id == Poll.id, PollVote.user_id == bindparam("user_id"))
    )
    .where(Poll.telegram_poll_id == bindparam("telegram_poll_id"))
)


async def ballot(session: AsyncSession, telegram_poll_id: str, voter: User | None) -> Ballot | None:
    user_id = voter.id if voter is not None else None
    found = (
        await session.execute(_BALLOT, {"telegram_poll_id": telegram_poll_id, "user_id": user_id})
    ).first()
    if found is None:
        return None
    poll_id, community_id, option_count, previous = found
    return Ballot(poll_id, community_id, int(option_count), user_id, tuple(previous or ()))


async def record_answer(session: AsyncSession, ballot: Ballot, positions: Sequence[int]) -> None:
    """A member's answer to a public poll, a change of it, or (no positions) its retraction:
    one upsert (a change counts itself and keeps the first answer's time), and the poll's
    online counts moved by the difference. A public poll is counted from its members' answers
    only: Telegram's own counts include votes cast in forwarded copies by anyone."""
    assert ballot.user_id is not None, "only a known member's answer is recorded"
    chosen = sorted({p for p in positions if 0 <= p < ballot.option_count})
    before = set(ballot.previous)
    moves = [(p, 1) for p in chosen if p not in before] + [
        (p, -1) for p in sorted(before - set(chosen))
    ]
    if moves:
        await session.execute(
            _MOVE_OPTION,
            [{"in_poll": ballot.poll_id, "at_position": p, "by": by} for p, by in moves],
        )
    if bool(chosen) != bool(before):
        await session.execute(
            _MOVE_VOTERS, {"for_poll": ballot.poll_id, "voters_by": 1 if chosen else -1}
        )
    await session.execute(
        _answer_upsert(session.get_bind().dialect.name),
        {
            "community_id": ballot.community_id,
            "poll_id": ballot.poll_id,
            "user_id": ballot.user_id,
            "options": chosen,
            "voted_at": utcnow(),
        },
    )


@cache
def _answer_upsert(dialect: str) -> Insert:
    table = cast(Table, PollVote.__table__)
    statement = dialect_insert(dialect)(table)
    return statement.on_conflict_do_update(
        index_elements=[table.c.poll_id, table.c.user_id],
        set_={
            "options": statement.excluded.options,
            "changed_at": statement.excluded.voted_at,
            "changes": table.c.changes + 1,
        },
    )


_OPTIONS = cast(Table, PollOption.__table__)
_POLLS = cast(Table, Poll.__table__)


def _moved(column: ColumnElement[int], by: BindParameter[int]) -> ColumnElement[int]:
    """`column + by`, never below zero."""
    return case((column + by < 0, 0), else_=column + by)


# One option of a poll, by position: moved by a member's answer, or set from Telegram's counts.
_OPTION_AT = update(_OPTIONS).where(
    _OPTIONS.c.poll_id == bindparam("in_poll"),
    _OPTIONS.c.position == bindparam("at_position"),
)
_MOVE_OPTION = _OPTION_AT.values(
    online_count=_moved(_OPTIONS.c.online_count, bindparam("by", type_=Integer))
)
_OPTION_COUNT = _OPTION_AT.values(online_count=bindparam("count"))
_MOVE_VOTERS = (
    update(_POLLS)
    .where(_POLLS.c.id == bindparam("for_poll"))
    .values(online_voters=_moved(_POLLS.c.online_voters, bindparam("voters_by", type_=Integer)))
)
_VOTERS = (
    update(_POLLS)
    .where(_POLLS.c.telegram_poll_id == bindparam("of_poll"), _POLLS.c.anonymous.is_(True))
    .values(online_voters=bindparam("voters"))
    .returning(_POLLS.c.id)
)


async def record_counts_of(
    session: AsyncSession, telegram_poll_id: str, counts: Sequence[int], voters: int
) -> bool:
    """`record_counts` for a poll known by Telegram's id, without loading it (a poll update
    follows every answer); False when the poll is not one of the bot's anonymous polls."""
    poll_id = await session.scalar(_VOTERS, {"of_poll": telegram_poll_id, "voters": max(0, voters)})
    if poll_id is None:
        return False
    await session.execute(
        _OPTION_COUNT,
        [
            {"in_poll": poll_id, "at_position": position, "count": max(0, count)}
            for position, count in enumerate(counts)
        ],
    )
    return True


def record_counts(poll: Poll, counts: Sequence[int], voters: int) -> None:
    """Telegram's counts from a poll update: the only source for an anonymous poll. A public
    poll keeps the counts of its members' answers (see record_answer)."""
    if not poll.anonymous:
        return
    for option, count in zip(poll.options, counts, strict=False):
        option.online_count = max(0, count)
    poll.online_voters = max(0, voters)


def parse_offline(words: Sequence[str], option_count: int) -> dict[int, int]:
    """`1=12 2=7` → {0: 12, 1: 7} (option numbers as people count, from 1)."""
    if not words:
        raise InvalidInput(PAPER_USAGE)
    counts: dict[int, int] = {}
    for word in words:
        number_word, equals, count_word = word.partition("=")
        number, count = whole_number(number_word), whole_number(count_word)
        negative = whole_number(count_word.removeprefix("-")) if count_word[:1] == "-" else None
        if equals and number is not None and negative is not None:
            raise InvalidInput(PAPER_NEGATIVE)
        if not equals or number is None or count is None:
            raise InvalidInput(PAPER_WORD, word=word)
        if not 1 <= number <= option_count:
            raise InvalidInput(
                N_("This poll has options 1 to {count}; there is no option {number}."),
                count=option_count,
                number=number,
            )
        if count > OFFLINE_MAX:
            raise InvalidInput(
                n_("At most {n} vote per option.", "At most {n} votes per option."), n=OFFLINE_MAX
            )
        counts[number - 1] = count
    return counts


def set_offline(poll: Poll, counts: dict[int, int]) -> None:
    """Paper or show-of-hands counts from a meeting; they replace earlier paper counts."""
    for option in poll.options:
        if option.position in counts:
            option.offline_count = counts[option.position]


async def close(session: AsyncSession, poll: Poll) -> bool:
    """Close the poll once: the claim on `poll-close:{id}` makes a second closer (a deadline
    job after /closepoll, another process) get False."""
    if not await once.claim(session, f"poll-close:{poll.id}"):
        return False
    poll.closed_at = utcnow()
    await session.flush()
    return True


# --- results ------------------------------------------------------------------------------


@dataclass(frozen=True)
class OptionResult:
    text: str
    online: int
    offline: int

    @property
    def total(self) -> int:
        return self.online + self.offline


@dataclass(frozen=True)
class Results:
    question: str
    options: tuple[OptionResult, ...]
    online_voters: int
    known_members: int
    anonymous: bool
    multiple: bool
    closed: bool

    @property
    def votes(self) -> int:
        return sum(o.total for o in self.options)

    @property
    def offline_votes(self) -> int:
        return sum(o.offline for o in self.options)

    def share(self, option: OptionResult) -> int:
        """Percent of all votes (online and paper), rounded."""
        return round(100 * option.total / self.votes) if self.votes else 0

    @property
    def members(self) -> int:
        """The members the bot knows; an anonymous poll may have voters it never met."""
        return max(self.known_members, self.online_voters)

    @property
    def turnout(self) -> int:
        """Percent of the members who voted online."""
        return round(100 * self.online_voters / self.members) if self.members else 0


async def known_members(session: AsyncSession, community_id: int) -> int:
    count = await session.scalar(
        select(func.count())
        .select_from(Membership)
        .where(Membership.community_id == community_id, Membership.left_at.is_(None))
    )
    return int(count or 0)


async def results(session: AsyncSession, poll: Poll, *, members: int | None = None) -> Results:
    """`members`: the community's member count, when the caller counted it once for many polls."""
    return Results(
        question=poll.question,
        options=tuple(OptionResult(o.text, o.online_count, o.offline_count) for o in poll.options),
        online_voters=poll.online_voters,
        known_members=(
            members if members is not None else await known_members(session, poll.community_id)
        ),
        anonymous=poll.anonymous,
        multiple=poll.multiple,
        closed=poll.closed_at is not None,
    )


async def non_voters(session: AsyncSession, poll: Poll) -> list[User]:
    """Current members with no answer to this public poll (retracted answers count as none)."""
    votes = await session.scalars(select(PollVote).where(PollVote.poll_id == poll.id))
    voted = {vote.user_id for vote in votes if vote.options}
    people = await session.scalars(
        select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.community_id == poll.community_id, Membership.left_at.is_(None))
        .order_by(User.id)
    )
    return [person for person in people if person.id not in voted]


# --- lists and schedules ------------------------------------------------------------------


async def open_polls(session: AsyncSession, community: Community) -> list[Poll]:
    """Posted polls still open, those closing soonest first (no deadline last)."""
    rows = await session.scalars(
        select(Poll)
        .where(
            Poll.community_id == community.id,
            Poll.closed_at.is_(None),
            Poll.message_id.is_not(None),
        )
        .order_by(Poll.closes_at.is_(None), Poll.closes_at, Poll.created_at)
    )
    return list(rows)


async def recent_closed(
    session: AsyncSession, community: Community, since: datetime, limit: int
) -> list[Poll]:
    rows = await session.scalars(
        select(Poll)
        .where(Poll.community_id == community.id, Poll.closed_at >= since)
        .options(selectinload(Poll.options))
        .order_by(Poll.closed_at.desc())
        .limit(limit)
    )
    return list(rows)


def reminder_offset(community: Community) -> timedelta | None:
    minutes = community.poll_reminder_minutes
    return timedelta(minutes=minutes) if minutes else None


def set_reminder_offset(community: Community, values: Sequence[str]) -> None:
    """`/settings pollreminder 1d` (or `1 d`); `none` turns reminders off."""
    values = durations.group(values)
    if len(values) != 1:
        raise InvalidInput(N_("Write how long before the deadline, like 1d or 3h, or none."))
    if values[0].lower() in OFF_WORDS:
        community.poll_reminder_minutes = None
        return
    offset = durations.parse_between(values[0], DEADLINE_MIN, DEADLINE_MAX)
    community.poll_reminder_minutes = int(offset.total_seconds() // 60)


def reminder_time(poll: Poll, offset: timedelta | None) -> datetime | None:
    """`offset` before the deadline, but never in the first half of the voting time: a
    reminder before people could answer would only be noise."""
    if offset is None or poll.closes_at is None:
        return None
    halfway = poll.created_at + (poll.closes_at - poll.created_at) / 2
    return max(poll.closes_at - offset, halfway)


@dataclass(frozen=True)
class Deadline:
    poll_id: int
    community_id: int
    closes_at: datetime
    remind_at: datetime | None


async def deadlines(session: AsyncSession, community_id: int | None = None) -> list[Deadline]:
    """Open polls with a deadline in active communities (all, or one community's); a poll on
    its way to its group is among them (closing a poll Telegram refused finds it gone)."""
    query = (
        select(Poll, Community)
        .join(Community, Community.id == Poll.community_id)
        .where(
            Poll.closed_at.is_(None),
            Poll.closes_at.is_not(None),
            Community.active.is_(True),
        )
    )
    if community_id is not None:
        query = query.where(Poll.community_id == community_id)
    found = []
    for poll, community in await session.execute(query):
        assert poll.closes_at is not None
        remind_at = reminder_time(poll, reminder_offset(community))
        found.append(Deadline(poll.id, community.id, poll.closes_at, remind_at))
    return found
