"""Participatory budgets: a leader opens a round (a sum, a voting period, a counting rule), the
ballot holds the village's accepted ideas that fit the sum, leaders adjust it and start the
vote, members vote online (the picks may not cost more than the sum), leaders enter paper
ballots, and at the deadline the round is counted once: funded ideas get the budget as their
funding source and a decision record.

Rights (leaders open, adjust, start, enter paper ballots) are checked by the callers, as for
every leaders' command; membership of the round's village is checked here, for every voter.
"""

from __future__ import annotations

import enum
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import N_
from bot.models import (
    BudgetBallot,
    BudgetChoice,
    BudgetItem,
    BudgetRound,
    BudgetRule,
    Community,
    Idea,
    IdeaStatus,
    User,
)
from bot.services import audit, durations, ideas, members, numbering
from bot.services.errors import InvalidInput, Money, NotAllowed, NotFound
from bot.services.text import checked

VOTING_MIN = timedelta(minutes=1)
VOTING_MAX = timedelta(days=90)
TITLE_MAX = 100
FUNDING_MAX = 200
# Idea statuses that may stand on a ballot (accepted ideas are put there when a round opens).
BALLOT_STATUSES = (IdeaStatus.NEW, IdeaStatus.DISCUSSION, IdeaStatus.ACCEPTED)
# The rule words, the same in every language like the status words, plus the translated ones.
RULE_WORDS = {
    "greedy": BudgetRule.GREEDY,
    "votes": BudgetRule.GREEDY,
    "balsis": BudgetRule.GREEDY,
    "голоса": BudgetRule.GREEDY,
    "equal": BudgetRule.EQUAL_SHARES,
    "shares": BudgetRule.EQUAL_SHARES,
    "daļas": BudgetRule.EQUAL_SHARES,
    "доли": BudgetRule.EQUAL_SHARES,
}

USAGE = N_(
    "Write the sum in euros and the voting period, then the counting rule and a title if you "
    "like, for example:\n<code>/budget 5000 14d equal Budget 2027</code>\n"
    "Rules: <code>greedy</code> (by votes, while the money lasts, the default) or "
    "<code>equal</code> (Method of Equal Shares)."
)
ALREADY_OPEN = N_("Budget round #{number} is not counted yet: one round at a time.")
NO_ROUND = N_("There is no budget round in progress. The working group opens one with /budget.")
NOT_PREPARING = N_("The vote has started: the ballot can no longer change.")
NOT_VOTING = N_("Voting in budget round #{number} is not open.")
NOT_ON_BALLOT = N_("Idea #{number} is not on the ballot.")
OVER_BUDGET = N_("Your picks cost {total}, more than the sum of {amount}. Leave some out.")
NOT_MEMBER = N_("Only members of the village group can vote in its budget.")
EMPTY_BALLOT = N_("Choose at least one idea.")
NUMBERS_USAGE = N_("“{word}” is not an idea number. Write the numbers, for example: 1 3 5")
EMPTY_ROUND = N_("No idea is on the ballot yet: add ideas with a cost estimate first.")


class Action(enum.StrEnum):
    """What `/budget <word> …` does to the current round; the English words work in every
    language, as the status words do, and so do the Latvian and Russian ones."""

    ADD = "add"
    REMOVE = "remove"
    START = "start"
    PAPER = "paper"
    CANCEL = "cancel"
    FILE = "file"


ACTION_WORDS = {
    **{action.value: action for action in Action},
    "pievienot": Action.ADD,
    "noņemt": Action.REMOVE,
    "sākt": Action.START,
    "papīrs": Action.PAPER,
    "atcelt": Action.CANCEL,
    "fails": Action.FILE,
    "добавить": Action.ADD,
    "убрать": Action.REMOVE,
    "начать": Action.START,
    "бумага": Action.PAPER,
    "отменить": Action.CANCEL,
    "файл": Action.FILE,
}


def parse_action(word: str) -> Action | None:
    return ACTION_WORDS.get(word.strip().lower())


def parse_numbers(words: Sequence[str]) -> list[int]:
    """Idea numbers as typed: `1 3 5`, `#1, #3`."""
    numbers = []
    for word in " ".join(words).replace(",", " ").split():
        number = ideas.parse_number(word)
        if number is None:
            raise InvalidInput(NUMBERS_USAGE, word=word[:40])
        numbers.append(number)
    if not numbers:
        raise InvalidInput(NUMBERS_USAGE, word="")
    return numbers


@dataclass(frozen=True)
class Opening:
    """What `/budget <sum> <period> [rule] [title]` asks for."""

    amount_cents: int
    period: timedelta
    rule: BudgetRule
    title: str | None


def parse_opening(words: Sequence[str]) -> Opening:
    words = durations.group(words)
    if len(words) < 2:
        raise InvalidInput(USAGE)
    amount = ideas.parse_cost(words[0])
    if amount <= 0:
        raise InvalidInput(USAGE)
    period = durations.parse_between(words[1], VOTING_MIN, VOTING_MAX)
    rest = list(words[2:])
    rule = BudgetRule.GREEDY
    if rest and rest[0].lower() in RULE_WORDS:
        rule = RULE_WORDS[rest.pop(0).lower()]
    title = checked(" ".join(rest), minimum=2, maximum=TITLE_MAX) if rest else None
    return Opening(amount, period, rule, title)


# --- preparing ----------------------------------------------------------------------------


async def current(session: AsyncSession, community: Community) -> BudgetRound:
    """The village's round that is not counted yet."""
    found = await session.scalar(
        select(BudgetRound).where(
            BudgetRound.community_id == community.id, BudgetRound.counted_at.is_(None)
        )
    )
    if found is None:
        raise NotFound(NO_ROUND)
    return found


async def latest(session: AsyncSession, community: Community) -> BudgetRound:
    """The round in progress, else the last one counted."""
    found = await last_round(session, community)
    if found is None:
        raise NotFound(NO_ROUND)
    return found


async def last_round(session: AsyncSession, community: Community) -> BudgetRound | None:
    """The round in progress, else the last one counted; None when the village has had none."""
    found: BudgetRound | None = await session.scalar(
        select(BudgetRound)
        .where(BudgetRound.community_id == community.id)
        .order_by(BudgetRound.counted_at.is_not(None), BudgetRound.number.desc())
        .limit(1)
    )
    return found


async def open_round(
    session: AsyncSession, community: Community, leader: User, opening: Opening, now: datetime
) -> BudgetRound:
    """A new round, its ballot holding the accepted ideas whose cost estimate fits the sum.
    Its default title is the year (`2027`, or `2027/2` for the year's second round)."""
    uncounted = await session.scalar(
        select(BudgetRound.number).where(
            BudgetRound.community_id == community.id, BudgetRound.counted_at.is_(None)
        )
    )
    if uncounted is not None:
        raise InvalidInput(ALREADY_OPEN, number=uncounted)
    title = opening.title or await _year_title(session, community, now)
    round_ = await numbering.insert_numbered(
        session,
        BudgetRound,
        {"community_id": community.id},
        {
            "title": title,
            "amount_cents": opening.amount_cents,
            "rule": opening.rule,
            "voting_minutes": int(opening.period.total_seconds() // 60),
            "opened_by_id": leader.id,
            "opened_at": now,
        },
    )
    accepted = await session.scalars(
        select(Idea)
        .where(
            Idea.community_id == community.id,
            Idea.status == IdeaStatus.ACCEPTED,
            Idea.hidden.is_(False),
            Idea.cost_cents > 0,
            Idea.cost_cents <= opening.amount_cents,
        )
        .order_by(Idea.number)
    )
    for idea in accepted:
        session.add(_item(round_, idea))
    await session.flush()
    await audit.record(
        session,
        community.id,
        leader.id,
        "budget-open",
        round=round_.number,
        amount_cents=opening.amount_cents,
        rule=opening.rule.value,
    )
    return round_


async def _year_title(session: AsyncSession, community: Community, now: datetime) -> str:
    year = str(now.year)
    same = await session.scalar(
        select(func.count())
        .select_from(BudgetRound)
        .where(BudgetRound.community_id == community.id, BudgetRound.title.like(f"{year}%"))
    )
    return f"{year}/{same + 1}" if same else year


def _item(round_: BudgetRound, idea: Idea) -> BudgetItem:
    assert idea.cost_cents is not None
    return BudgetItem(
        community_id=round_.community_id,
        round_id=round_.id,
        idea_id=idea.id,
        cost_cents=idea.cost_cents,
    )


def _check_preparing(round_: BudgetRound) -> None:
    if round_.voting_starts_at is not None:
        raise InvalidInput(NOT_PREPARING)


async def add_idea(session: AsyncSession, round_: BudgetRound, leader: User, idea: Idea) -> None:
    """An open idea with a cost estimate within the sum, at its cost now."""
    _check_preparing(round_)
    if idea.community_id != round_.community_id:
        raise NotFound(N_("There is no idea #{number} in this village group."), number=idea.number)
    if idea.status not in BALLOT_STATUSES or idea.hidden:
        raise InvalidInput(
            N_("Idea #{number} is not open, so it can't go on the ballot."), number=idea.number
        )
    if not idea.cost_cents:
        raise InvalidInput(
            N_(
                "Idea #{number} has no cost estimate yet: set one with /ideaset {number} cost 1200."
            ),
            number=idea.number,
        )
    if idea.cost_cents > round_.amount_cents:
        raise InvalidInput(
            N_("Idea #{number} costs {cost}, more than the whole sum of {amount}."),
            number=idea.number,
            cost=Money(idea.cost_cents),
            amount=Money(round_.amount_cents),
        )
    present = await session.scalar(
        select(BudgetItem.id).where(BudgetItem.round_id == round_.id, BudgetItem.idea_id == idea.id)
    )
    if present is not None:
        raise InvalidInput(N_("Idea #{number} is on the ballot already."), number=idea.number)
    session.add(_item(round_, idea))
    await session.flush()
    await audit.record(
        session, round_.community_id, leader.id, "budget-add", round=round_.number, idea=idea.number
    )


async def remove_idea(
    session: AsyncSession, round_: BudgetRound, leader: User, number: int
) -> None:
    _check_preparing(round_)
    item = await session.scalar(
        select(BudgetItem)
        .join(Idea, Idea.id == BudgetItem.idea_id)
        .where(BudgetItem.round_id == round_.id, Idea.number == number)
    )
    if item is None:
        raise InvalidInput(NOT_ON_BALLOT, number=number)
    await session.delete(item)
    await session.flush()
    await audit.record(
        session, round_.community_id, leader.id, "budget-remove", round=round_.number, idea=number
    )


async def start_voting(
    session: AsyncSession, round_: BudgetRound, leader: User, now: datetime
) -> None:
    """The ballot is fixed; the vote runs for the round's period from now."""
    _check_preparing(round_)
    if not await items(session, round_):
        raise InvalidInput(EMPTY_ROUND)
    round_.voting_starts_at = now
    round_.closes_at = now + timedelta(minutes=round_.voting_minutes)
    await session.flush()
    await audit.record(session, round_.community_id, leader.id, "budget-start", round=round_.number)


async def cancel(session: AsyncSession, round_: BudgetRound, leader: User) -> None:
    """A round is dropped only before its vote starts (ballots are never thrown away)."""
    _check_preparing(round_)
    number = round_.number
    await session.delete(round_)
    await session.flush()
    await audit.record(session, round_.community_id, leader.id, "budget-cancel", round=number)


@dataclass(frozen=True)
class ItemView:
    item_id: int
    number: int
    text: str
    cost_cents: int
    votes: int | None = None
    funded: bool | None = None


async def items(session: AsyncSession, round_: BudgetRound) -> list[ItemView]:
    """The ballot, by idea number."""
    rows = await session.execute(
        select(BudgetItem, Idea.number, Idea.text)
        .join(Idea, Idea.id == BudgetItem.idea_id)
        .where(BudgetItem.round_id == round_.id)
        .order_by(Idea.number)
    )
    return [
        ItemView(item.id, number, text, item.cost_cents, item.votes, item.funded)
        for item, number, text in rows
    ]


# --- voting -------------------------------------------------------------------------------


class Phase(enum.StrEnum):
    """Where a round stands: its ballot prepared, voted on, past its deadline but not yet
    counted (the count's job runs at the deadline), counted."""

    PREPARING = "preparing"
    VOTING = "voting"
    CLOSED = "closed"
    COUNTED = "counted"


def phase(round_: BudgetRound, now: datetime) -> Phase:
    if round_.counted_at is not None:
        return Phase.COUNTED
    if round_.voting_starts_at is None:
        return Phase.PREPARING
    return Phase.VOTING if is_voting(round_, now) else Phase.CLOSED


def is_voting(round_: BudgetRound, now: datetime) -> bool:
    return (
        round_.voting_starts_at is not None
        and round_.closes_at is not None
        and round_.counted_at is None
        and now < round_.closes_at
    )


async def _chosen_items(
    session: AsyncSession, round_: BudgetRound, numbers: Collection[int], now: datetime
) -> list[ItemView]:
    """The ballot's items for these idea numbers, within the sum; refusals name the problem."""
    if not is_voting(round_, now):
        raise InvalidInput(NOT_VOTING, number=round_.number)
    if not numbers:
        raise InvalidInput(EMPTY_BALLOT)
    on_ballot = {item.number: item for item in await items(session, round_)}
    for number in sorted(set(numbers)):
        if number not in on_ballot:
            raise InvalidInput(NOT_ON_BALLOT, number=number)
    chosen = [on_ballot[number] for number in sorted(set(numbers))]
    total = sum(item.cost_cents for item in chosen)
    if total > round_.amount_cents:
        raise OverBudget(total, round_.amount_cents)
    return chosen


class OverBudget(InvalidInput):
    """The picks cost more than the sum; carries both, shown as money."""

    def __init__(self, total_cents: int, amount_cents: int) -> None:
        super().__init__(OVER_BUDGET, total=Money(total_cents), amount=Money(amount_cents))
        self.total_cents = total_cents
        self.amount_cents = amount_cents


async def cast(
    session: AsyncSession,
    round_: BudgetRound,
    voter: User,
    numbers: Collection[int],
    now: datetime,
) -> BudgetBallot:
    """A member's ballot, new or changed (it keeps its number); refused over the sum."""
    if not await members.is_current(session, round_.community_id, voter):
        raise NotAllowed(NOT_MEMBER)
    chosen = await _chosen_items(session, round_, numbers, now)
    ballot = await session.scalar(
        select(BudgetBallot).where(
            BudgetBallot.round_id == round_.id, BudgetBallot.user_id == voter.id
        )
    )
    if ballot is None:
        ballot = await _new_ballot(session, round_, user_id=voter.id, paper=False, now=now)
    else:
        ballot.changed_at = now
        await session.execute(delete(BudgetChoice).where(BudgetChoice.ballot_id == ballot.id))
    _choose(session, ballot, chosen)
    await session.flush()
    return ballot


async def withdraw(session: AsyncSession, round_: BudgetRound, voter: User, now: datetime) -> bool:
    """A member takes back their online ballot while the vote is open; False if there was none."""
    if not is_voting(round_, now):
        raise InvalidInput(NOT_VOTING, number=round_.number)
    result = await session.execute(
        delete(BudgetBallot).where(
            BudgetBallot.round_id == round_.id, BudgetBallot.user_id == voter.id
        )
    )
    return bool(getattr(result, "rowcount", 0))


async def enter_paper(
    session: AsyncSession,
    round_: BudgetRound,
    leader: User,
    numbers: Collection[int],
    now: datetime,
) -> BudgetBallot:
    """One paper voter's ballot, as its own ballot (never merged with another)."""
    chosen = await _chosen_items(session, round_, numbers, now)
    ballot = await _new_ballot(session, round_, user_id=None, paper=True, now=now, by=leader)
    _choose(session, ballot, chosen)
    await session.flush()
    await audit.record(
        session,
        round_.community_id,
        leader.id,
        "budget-paper",
        round=round_.number,
        ballot=ballot.number,
        ideas=[item.number for item in chosen],
    )
    return ballot


async def remove_paper(
    session: AsyncSession, round_: BudgetRound, leader: User, number: int, now: datetime
) -> None:
    """A paper ballot entered by mistake, by its number, while the vote is open."""
    if not is_voting(round_, now):
        raise InvalidInput(NOT_VOTING, number=round_.number)
    result = await session.execute(
        delete(BudgetBallot).where(
            BudgetBallot.round_id == round_.id,
            BudgetBallot.number == number,
            BudgetBallot.is_paper.is_(True),
        )
    )
    if not getattr(result, "rowcount", 0):
        raise InvalidInput(N_("There is no paper ballot #{number}."), number=number)
    await audit.record(
        session, round_.community_id, leader.id, "budget-paper-remove", ballot=number
    )


async def _new_ballot(
    session: AsyncSession,
    round_: BudgetRound,
    *,
    user_id: int | None,
    paper: bool,
    now: datetime,
    by: User | None = None,
) -> BudgetBallot:
    return await numbering.insert_numbered(
        session,
        BudgetBallot,
        {"round_id": round_.id},
        {
            "community_id": round_.community_id,
            "user_id": user_id,
            "is_paper": paper,
            "entered_by_id": by.id if by is not None else None,
            "cast_at": now,
            "changed_at": None,
        },
    )


def _choose(session: AsyncSession, ballot: BudgetBallot, chosen: Sequence[ItemView]) -> None:
    session.add_all(
        BudgetChoice(community_id=ballot.community_id, ballot_id=ballot.id, item_id=item.item_id)
        for item in chosen
    )


async def toggle(
    session: AsyncSession, round_: BudgetRound, voter: User, number: int, now: datetime
) -> set[int]:
    """One idea chosen or left out of a member's ballot, step by step (the last one left out
    takes the ballot back); refused over the sum like any ballot. The picks as they are now."""
    chosen = await ballot_of(session, round_, voter) or set()
    chosen ^= {number}
    if chosen:
        await cast(session, round_, voter, chosen, now)
    else:
        if not await members.is_current(session, round_.community_id, voter):
            raise NotAllowed(NOT_MEMBER)
        await withdraw(session, round_, voter, now)
    return chosen


async def ballot_of(session: AsyncSession, round_: BudgetRound, voter: User) -> set[int] | None:
    """The idea numbers of a member's online ballot, or None when they have not voted."""
    ballot_id = await session.scalar(
        select(BudgetBallot.id).where(
            BudgetBallot.round_id == round_.id, BudgetBallot.user_id == voter.id
        )
    )
    if ballot_id is None:
        return None
    numbers = await session.scalars(
        select(Idea.number)
        .join(BudgetItem, BudgetItem.idea_id == Idea.id)
        .join(BudgetChoice, BudgetChoice.item_id == BudgetItem.id)
        .where(BudgetChoice.ballot_id == ballot_id)
    )
    return set(numbers)


async def announced(session: AsyncSession, round_id: int, chat_id: int, message_id: int) -> None:
    """Where the vote's announcement stands in the group (the results reply to it)."""
    round_ = await session.get(BudgetRound, round_id)
    if round_ is not None:
        round_.chat_id, round_.message_id = chat_id, message_id


async def get(session: AsyncSession, round_id: int) -> BudgetRound | None:
    return await session.get(BudgetRound, round_id)


# --- a voter's own ballots (/mydata, /forgetme) --------------------------------------------


@dataclass(frozen=True)
class OwnBallot:
    community_id: int
    round_title: str
    ideas: list[int]
    cast_at: datetime
    changed_at: datetime | None


async def own_ballots(session: AsyncSession, user: User) -> list[OwnBallot]:
    """A member's online ballots in every village, oldest first."""
    rows = await session.execute(
        select(BudgetBallot, BudgetRound.title)
        .join(BudgetRound, BudgetRound.id == BudgetBallot.round_id)
        .where(BudgetBallot.user_id == user.id)
        .order_by(BudgetBallot.cast_at)
    )
    found = []
    for ballot, title in rows:
        numbers = await session.scalars(
            select(Idea.number)
            .join(BudgetItem, BudgetItem.idea_id == Idea.id)
            .join(BudgetChoice, BudgetChoice.item_id == BudgetItem.id)
            .where(BudgetChoice.ballot_id == ballot.id)
            .order_by(Idea.number)
        )
        found.append(
            OwnBallot(ballot.community_id, title, list(numbers), ballot.cast_at, ballot.changed_at)
        )
    return found


async def forget_voter(session: AsyncSession, user: User) -> None:
    """A member who asks to be forgotten: their ballots in rounds not yet counted are taken
    back; in counted rounds the ballot stays, by its number only, as the count used it."""
    uncounted = select(BudgetRound.id).where(BudgetRound.counted_at.is_(None))
    await session.execute(
        delete(BudgetBallot).where(
            BudgetBallot.user_id == user.id, BudgetBallot.round_id.in_(uncounted)
        )
    )
    await session.execute(
        update(BudgetBallot).where(BudgetBallot.user_id == user.id).values(user_id=None)
    )
