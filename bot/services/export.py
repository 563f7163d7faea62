"""Everything a community holds, as tables for the working group's spreadsheet export.

One table per kind of record, each column with a header (a message id, translated when the
file is written) and a kind that says how its cells are written (numbers as numbers, times in
the community's time zone). Cells hold plain values, enum members and `Label`s, which the
writer translates. Anonymous polls appear as counts only: who voted in them is never stored.
Hidden ideas and SWOT inputs are included, marked in a "Hidden" column: the export is the
working group's full record, and the plan leaves them out. An idea posted without a name stays
so in every table: its author is "a resident" in its history (which starts with their posting
it), among its supporters and in the victory made of it.
"""

from __future__ import annotations

import enum
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from bot.i18n import N_
from bot.models import (
    Answer,
    BudgetRound,
    Choice,
    Community,
    Decision,
    Idea,
    IdeaComment,
    IdeaStatusChange,
    IdeaSupport,
    Meeting,
    MeetingMinutes,
    MeetingOccurrence,
    MeetingRsvp,
    Poll,
    PollVote,
    Repeat,
    SwotItem,
    SwotRound,
    SwotVote,
    Victory,
)
from bot.services import budget, budget_results
from bot.services.people import People

Kind = Literal["text", "long", "int", "euros", "percent", "datetime", "date", "flag"]
Cell = str | int | bool | date | datetime | enum.StrEnum | None


@dataclass(frozen=True)
class Column:
    header: str  # message id
    kind: Kind = "text"


@dataclass
class Table:
    title: str  # message id: the sheet's name, and the CSV file's
    columns: tuple[Column, ...]
    rows: list[tuple[Cell, ...]] = field(default_factory=list)


def _columns(*spec: tuple[str, Kind]) -> tuple[Column, ...]:
    return tuple(Column(header, kind) for header, kind in spec)


IDEAS = _columns(
    (N_("Number"), "int"),
    (N_("Idea"), "long"),
    (N_("Area"), "text"),
    (N_("Status"), "text"),
    (N_("Author"), "text"),
    (N_("Supports"), "int"),
    (N_("Comments"), "int"),
    (N_("Responsible"), "text"),
    (N_("Cost estimate, €"), "euros"),
    (N_("Funding source"), "text"),
    (N_("Progress, %"), "percent"),
    (N_("Hidden"), "flag"),
    (N_("Submitted"), "datetime"),
)
SUPPORTS = _columns((N_("Idea"), "int"), (N_("Member"), "text"), (N_("Supported"), "datetime"))
COMMENTS = _columns(
    (N_("Idea"), "int"),
    (N_("Author"), "text"),
    (N_("Comment"), "long"),
    (N_("Written"), "datetime"),
)
HISTORY = _columns(
    (N_("Idea"), "int"),
    (N_("From"), "text"),
    (N_("To"), "text"),
    (N_("Changed by"), "text"),
    (N_("Reason"), "long"),
    (N_("Changed"), "datetime"),
)
SWOT = _columns(
    (N_("Round"), "int"),
    (N_("Code"), "text"),
    (N_("Part"), "text"),
    (N_("Input"), "long"),
    (N_("Agree"), "int"),
    (N_("Disagree"), "int"),
    (N_("Pass"), "int"),
    (N_("Score"), "int"),
    (N_("Merged into"), "text"),
    (N_("Hidden"), "flag"),
    (N_("Added"), "datetime"),
)
POLLS = _columns(
    (N_("Poll"), "int"),
    (N_("Question"), "long"),
    (N_("Anonymous"), "flag"),
    (N_("Several answers"), "flag"),
    (N_("Online voters"), "int"),
    (N_("Posted"), "datetime"),
    (N_("Deadline"), "datetime"),
    (N_("Closed"), "datetime"),
)
POLL_OPTIONS = _columns(
    (N_("Poll"), "int"),
    (N_("Question"), "long"),
    (N_("Option"), "text"),
    (N_("Online votes"), "int"),
    (N_("Paper votes"), "int"),
    (N_("Total"), "int"),
)
POLL_VOTES = _columns(
    (N_("Poll"), "int"),
    (N_("Question"), "long"),
    (N_("Member"), "text"),
    (N_("Answer"), "text"),
    (N_("Voted"), "datetime"),
)
MEETINGS = _columns(
    (N_("Meeting"), "text"),
    (N_("Place"), "text"),
    (N_("Starts"), "datetime"),
    (N_("Repeats"), "text"),
    (N_("Cancelled"), "flag"),
    (N_("Going"), "int"),
    (N_("Maybe"), "int"),
    (N_("Can't"), "int"),
    (N_("Minutes"), "int"),
)
RSVPS = _columns(
    (N_("Meeting"), "text"),
    (N_("Starts"), "datetime"),
    (N_("Member"), "text"),
    (N_("Answer"), "text"),
    (N_("Answered"), "datetime"),
)
MINUTES = _columns(
    (N_("Meeting"), "text"),
    (N_("Starts"), "datetime"),
    (N_("Minutes"), "long"),
    (N_("Recorded by"), "text"),
    (N_("Recorded"), "datetime"),
)
VICTORIES = _columns(
    (N_("Victory"), "long"),
    (N_("Proposed by"), "text"),
    (N_("Status"), "text"),
    (N_("Decided"), "datetime"),
    (N_("Applause"), "int"),
    (N_("Idea"), "int"),
)
DECISIONS = _columns(
    (N_("Decision"), "long"),
    (N_("Source"), "text"),
    (N_("Poll"), "long"),
    (N_("Review date"), "date"),
    (N_("Recorded by"), "text"),
    (N_("Recorded"), "datetime"),
)
BUDGET_ROUNDS = _columns(
    (N_("Budget round"), "int"),
    (N_("Title"), "text"),
    (N_("Sum, €"), "euros"),
    (N_("Counting rule"), "text"),
    (N_("Voting started"), "datetime"),
    (N_("Deadline"), "datetime"),
    (N_("Counted"), "datetime"),
    (N_("Funded, €"), "euros"),
)
BUDGET_IDEAS = _columns(
    (N_("Budget round"), "int"),
    (N_("Idea"), "int"),
    (N_("Text"), "long"),
    (N_("Cost, €"), "euros"),
    (N_("Votes"), "int"),
    (N_("Funded"), "flag"),
)
BUDGET_BALLOTS = _columns(
    (N_("Budget round"), "int"),
    (N_("Ballot"), "int"),
    (N_("On paper"), "flag"),
    (N_("Ideas chosen"), "text"),
    (N_("Cost, €"), "euros"),
)


# --- ideas ----------------------------------------------------------------------------------


async def idea_tables(session: AsyncSession, community: Community) -> list[Table]:
    """Ideas, their supports, comments and status history."""
    ideas = list(
        await session.scalars(
            select(Idea).where(Idea.community_id == community.id).order_by(Idea.number)
        )
    )
    number = {idea.id: idea.number for idea in ideas}
    hidden_author = {idea.id: idea.author_id for idea in ideas if idea.anonymous}
    # Supports and history are the long tables (five rows an idea and more): read as plain
    # rows, not objects in the session (5 MB less at the peak for a village of 5,000 ideas).
    supports = list(
        await session.execute(
            select(IdeaSupport.idea_id, IdeaSupport.user_id, IdeaSupport.created_at)
            .where(IdeaSupport.community_id == community.id)
            .order_by(IdeaSupport.created_at, IdeaSupport.id)
        )
    )
    comments = list(
        await session.scalars(
            select(IdeaComment)
            .where(IdeaComment.community_id == community.id)
            .order_by(IdeaComment.created_at, IdeaComment.id)
        )
    )
    changes = list(
        await session.execute(
            select(
                IdeaStatusChange.idea_id,
                IdeaStatusChange.old_status,
                IdeaStatusChange.new_status,
                IdeaStatusChange.actor_id,
                IdeaStatusChange.reason,
                IdeaStatusChange.created_at,
            )
            .where(IdeaStatusChange.community_id == community.id)
            .order_by(IdeaStatusChange.created_at, IdeaStatusChange.id)
        )
    )
    people = await People.load(
        session,
        [i.author_id for i in ideas]
        + [i.owner_id for i in ideas]
        + [s.user_id for s in supports]
        + [c.author_id for c in comments]
        + [c.actor_id for c in changes],
    )
    return [
        Table(
            N_("Ideas"),
            IDEAS,
            [
                (
                    idea.number,
                    idea.text,
                    idea.area,
                    idea.status,
                    people.author(idea.author_id, idea.anonymous),
                    idea.support_count,
                    idea.comment_count,
                    people.optional(idea.owner_id),
                    idea.cost_cents,
                    idea.funding_source,
                    idea.progress,
                    idea.hidden,
                    idea.created_at,
                )
                for idea in ideas
            ],
        ),
        Table(
            N_("Supports"),
            SUPPORTS,
            [
                (
                    number[s.idea_id],
                    people.author(s.user_id, hidden_author.get(s.idea_id, -1) == s.user_id),
                    s.created_at,
                )
                for s in supports
            ],
        ),
        Table(
            N_("Comments"),
            COMMENTS,
            [(number[c.idea_id], people.name(c.author_id), c.text, c.created_at) for c in comments],
        ),
        Table(
            N_("Idea history"),
            HISTORY,
            [
                (
                    number[c.idea_id],
                    c.old_status,
                    c.new_status,
                    people.author(c.actor_id, hidden_author.get(c.idea_id, -1) == c.actor_id),
                    c.reason,
                    c.created_at,
                )
                for c in changes
            ],
        ),
    ]


# --- SWOT -----------------------------------------------------------------------------------


async def swot_table(session: AsyncSession, community: Community) -> Table:
    """Every round's inputs with their votes counted; merged and hidden ones marked."""
    rounds = {
        r.id: r.number
        for r in await session.scalars(
            select(SwotRound).where(SwotRound.community_id == community.id)
        )
    }
    items = list(
        await session.scalars(
            select(SwotItem)
            .where(SwotItem.community_id == community.id)
            .order_by(SwotItem.round_id, SwotItem.quadrant, SwotItem.number)
        )
    )
    codes = {item.id: item.code for item in items}
    votes = await session.execute(
        select(SwotVote.item_id, SwotVote.choice, func.count())
        .where(SwotVote.community_id == community.id)
        .group_by(SwotVote.item_id, SwotVote.choice)
    )
    counts = Counter({(item_id, Choice(choice)): int(n) for item_id, choice, n in votes})
    rows: list[tuple[Cell, ...]] = []
    for item in items:
        agree, disagree, passed = (counts[item.id, choice] for choice in Choice)
        rows.append(
            (
                rounds[item.round_id],
                item.code,
                item.quadrant,
                item.text,
                agree,
                disagree,
                passed,
                agree - disagree,
                codes.get(item.replaced_by_id or 0),
                item.hidden_at is not None,
                item.created_at,
            )
        )
    return Table(N_("SWOT inputs"), SWOT, rows)


# --- polls ----------------------------------------------------------------------------------


async def poll_tables(session: AsyncSession, community: Community) -> list[Table]:
    """Polls, their options' counts, and the answers to public polls (never anonymous ones)."""
    posted = list(
        await session.scalars(
            select(Poll)
            .where(Poll.community_id == community.id, Poll.message_id.is_not(None))
            .options(selectinload(Poll.options))
            .order_by(Poll.created_at, Poll.id)
        )
    )
    numbers = {poll.id: index for index, poll in enumerate(posted, start=1)}
    public = {poll.id: poll for poll in posted if not poll.anonymous}
    votes = list(
        await session.scalars(
            select(PollVote)
            .where(PollVote.community_id == community.id, PollVote.poll_id.in_(public))
            .order_by(PollVote.poll_id, PollVote.voted_at, PollVote.id)
        )
    )
    people = await People.load(session, [vote.user_id for vote in votes])
    options_rows: list[tuple[Cell, ...]] = []
    for poll in posted:
        for option in poll.options:
            options_rows.append(
                (
                    numbers[poll.id],
                    poll.question,
                    option.text,
                    option.online_count,
                    option.offline_count,
                    option.online_count + option.offline_count,
                )
            )
    vote_rows: list[tuple[Cell, ...]] = []
    for vote in votes:
        if not vote.options:  # taken back
            continue
        poll = public[vote.poll_id]
        texts = [o.text for o in poll.options if o.position in vote.options]
        vote_rows.append(
            (
                numbers[poll.id],
                poll.question,
                people.name(vote.user_id),
                "; ".join(texts),
                vote.changed_at or vote.voted_at,
            )
        )
    return [
        Table(
            N_("Polls"),
            POLLS,
            [
                (
                    numbers[poll.id],
                    poll.question,
                    poll.anonymous,
                    poll.multiple,
                    poll.online_voters,
                    poll.created_at,
                    poll.closes_at,
                    poll.closed_at,
                )
                for poll in posted
            ],
        ),
        Table(N_("Poll options"), POLL_OPTIONS, options_rows),
        Table(N_("Poll votes"), POLL_VOTES, vote_rows),
    ]


# --- meetings -------------------------------------------------------------------------------


async def meeting_tables(session: AsyncSession, community: Community) -> list[Table]:
    """Meeting dates (of meetings that were scheduled), RSVPs and minutes."""
    dates = list(
        await session.scalars(
            select(MeetingOccurrence)
            .join(Meeting, Meeting.id == MeetingOccurrence.meeting_id)
            .where(MeetingOccurrence.community_id == community.id, Meeting.repeat.is_not(None))
            .order_by(MeetingOccurrence.starts_at, MeetingOccurrence.id)
        )
    )
    by_id = {occurrence.id: occurrence for occurrence in dates}
    rsvps = [
        r
        for r in await session.scalars(
            select(MeetingRsvp)
            .where(MeetingRsvp.community_id == community.id)
            .order_by(MeetingRsvp.updated_at, MeetingRsvp.id)
        )
        if r.occurrence_id in by_id
    ]
    minutes = [
        m
        for m in await session.scalars(
            select(MeetingMinutes)
            .where(MeetingMinutes.community_id == community.id)
            .order_by(MeetingMinutes.created_at, MeetingMinutes.id)
        )
        if m.occurrence_id in by_id
    ]
    people = await People.load(session, [r.user_id for r in rsvps] + [m.author_id for m in minutes])
    meeting_rows: list[tuple[Cell, ...]] = []
    for occurrence in dates:
        answers = [Answer(r.answer) for r in rsvps if r.occurrence_id == occurrence.id]
        meeting = occurrence.meeting
        meeting_rows.append(
            (
                meeting.title,
                meeting.place,
                occurrence.starts_at,
                Repeat(meeting.repeat or Repeat.ONCE),
                occurrence.cancelled_at is not None,
                answers.count(Answer.GOING),
                answers.count(Answer.MAYBE),
                answers.count(Answer.NO),
                sum(1 for m in minutes if m.occurrence_id == occurrence.id),
            )
        )
    return [
        Table(N_("Meetings"), MEETINGS, meeting_rows),
        Table(
            N_("RSVPs"),
            RSVPS,
            [
                (
                    by_id[r.occurrence_id].meeting.title,
                    by_id[r.occurrence_id].starts_at,
                    people.name(r.user_id),
                    Answer(r.answer),
                    r.updated_at,
                )
                for r in rsvps
            ],
        ),
        Table(
            N_("Minutes"),
            MINUTES,
            [
                (
                    by_id[m.occurrence_id].meeting.title,
                    by_id[m.occurrence_id].starts_at,
                    m.text,
                    people.name(m.author_id),
                    m.created_at,
                )
                for m in minutes
            ],
        ),
    ]


# --- victories and decisions ----------------------------------------------------------------


async def victory_table(session: AsyncSession, community: Community) -> Table:
    victories = list(
        await session.scalars(
            select(Victory)
            .where(Victory.community_id == community.id)
            .order_by(Victory.created_at, Victory.id)
        )
    )
    ideas = {
        idea.id: idea
        for idea in await session.scalars(
            select(Idea).where(Idea.id.in_([v.idea_id for v in victories if v.idea_id]))
        )
    }
    people = await People.load(session, [v.proposer_id for v in victories])
    rows: list[tuple[Cell, ...]] = []
    for v in victories:
        idea = ideas.get(v.idea_id or 0)
        # A victory made of an idea posted without a name names no one either.
        anonymous = idea is not None and idea.anonymous and idea.author_id == v.proposer_id
        rows.append(
            (
                v.text,
                people.author(v.proposer_id, anonymous),
                v.status,
                v.decided_at,
                v.applause_count,
                idea.number if idea is not None else None,
            )
        )
    return Table(N_("Victories"), VICTORIES, rows)


async def decision_table(session: AsyncSession, community: Community) -> Table:
    decisions = list(
        await session.scalars(
            select(Decision)
            .where(Decision.community_id == community.id)
            .order_by(Decision.created_at, Decision.id)
        )
    )
    questions = {
        poll.id: poll.question
        for poll in await session.scalars(
            select(Poll).where(Poll.id.in_([d.poll_id for d in decisions if d.poll_id]))
        )
    }
    people = await People.load(session, [d.author_id for d in decisions])
    return Table(
        N_("Decisions"),
        DECISIONS,
        [
            (
                d.text,
                d.source,
                questions.get(d.poll_id or 0),
                d.review_on,
                people.name(d.author_id),
                d.created_at,
            )
            for d in decisions
        ],
    )


async def budget_tables(session: AsyncSession, community: Community) -> list[Table]:
    """Participatory budget rounds, the ideas on their ballots with the results, and every
    ballot by its number (never by name)."""
    rounds = list(
        await session.scalars(
            select(BudgetRound)
            .where(BudgetRound.community_id == community.id)
            .order_by(BudgetRound.number)
        )
    )
    round_rows: list[tuple[Cell, ...]] = []
    idea_rows: list[tuple[Cell, ...]] = []
    ballot_rows: list[tuple[Cell, ...]] = []
    for round_ in rounds:
        on_ballot = await budget.items(session, round_)
        costs = {item.number: item.cost_cents for item in on_ballot}
        funded = sum(item.cost_cents for item in on_ballot if item.funded)
        round_rows.append(
            (
                round_.number,
                round_.title,
                round_.amount_cents,
                round_.rule,
                round_.voting_starts_at,
                round_.closes_at,
                round_.counted_at,
                funded if round_.counted_at is not None else None,
            )
        )
        idea_rows += [
            (round_.number, item.number, item.text, item.cost_cents, item.votes, item.funded)
            for item in on_ballot
        ]
        if round_.counted_at is None:
            continue  # ballots only once counted, as in the .pb file (budget_results)
        ballot_rows += [
            (
                round_.number,
                row.number,
                row.paper,
                ", ".join(str(number) for number in sorted(row.chosen)),
                sum(costs[number] for number in row.chosen),
            )
            for row in await budget_results.ballots(session, round_)
        ]
    return [
        Table(N_("Budget rounds"), BUDGET_ROUNDS, round_rows),
        Table(N_("Budget ideas"), BUDGET_IDEAS, idea_rows),
        Table(N_("Budget ballots"), BUDGET_BALLOTS, ballot_rows),
    ]


async def tables(session: AsyncSession, community: Community) -> list[Table]:
    """Every table of the export, in the workbook's order."""
    return [
        *await idea_tables(session, community),
        await swot_table(session, community),
        *await poll_tables(session, community),
        *await meeting_tables(session, community),
        await victory_table(session, community),
        await decision_table(session, community),
        *await budget_tables(session, community),
    ]
