"""A resident's own data: all of it as one document (/mydata), and erasing them (/forgetme).

Forgetting keeps the `users` row with nothing but its internal id, so what the person wrote
(ideas, comments, SWOT inputs, minutes…) stays in the village's record as "a former resident".
Their identity goes (Telegram id, names, username, languages, private-chat state), and so do
their memberships, supports, votes, RSVPs, applause, drafts and conversations. Counts kept
beside the rows (supports and applause per item, a public poll's online counts) go down with
them, so every figure stays consistent. A budget ballot goes while its round is not counted;
a counted round keeps it by its number only, as the count used it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, case, delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute, selectinload

from bot.models import (
    AgendaItem,
    Applause,
    AuditEntry,
    Community,
    Decision,
    Idea,
    IdeaComment,
    IdeaDraft,
    IdeaSupport,
    Meeting,
    MeetingMinutes,
    MeetingOccurrence,
    MeetingRsvp,
    Membership,
    Poll,
    PollOption,
    PollVote,
    PrivateFlow,
    SwotAuthor,
    SwotItem,
    SwotRound,
    SwotVote,
    User,
    Victory,
    VictoryReview,
    utcnow,
)
from bot.services import budget

Record = dict[str, Any]


def _when(value: datetime | date | None) -> str | None:
    return value.isoformat() if value is not None else None


# --- /mydata --------------------------------------------------------------------------------


class _Titles:
    """Community titles by id, loaded as they are asked for."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session
        self._titles: dict[int, str] = {}

    async def load(self, ids: Iterable[int]) -> None:
        wanted = set(ids) - set(self._titles)
        if wanted:
            rows = await self._session.execute(
                select(Community.id, Community.title).where(Community.id.in_(wanted))
            )
            self._titles.update({community_id: title for community_id, title in rows})

    def __getitem__(self, community_id: int) -> str:
        return self._titles.get(community_id, "")


async def _owned(
    session: AsyncSession, column: InstrumentedAttribute[Any], user: User
) -> list[Any]:
    """Every row of `column`'s table whose `column` is the user."""
    rows = await session.scalars(select(column.class_).where(column == user.id))
    return list(rows)


async def my_data(session: AsyncSession, user: User) -> Record:
    """Everything the bot keeps about the user, in every community, as plain JSON values."""
    titles = _Titles(session)
    memberships = await _owned(session, Membership.user_id, user)
    ideas: list[Idea] = await _owned(session, Idea.author_id, user)
    responsible: list[Idea] = await _owned(session, Idea.owner_id, user)
    drafts: list[IdeaDraft] = await _owned(session, IdeaDraft.author_id, user)
    supports: list[IdeaSupport] = await _owned(session, IdeaSupport.user_id, user)
    comments: list[IdeaComment] = await _owned(session, IdeaComment.author_id, user)
    victories: list[Victory] = await _owned(session, Victory.proposer_id, user)
    applause: list[Applause] = await _owned(session, Applause.user_id, user)
    rsvps: list[MeetingRsvp] = await _owned(session, MeetingRsvp.user_id, user)
    meetings: list[Meeting] = await _owned(session, Meeting.created_by, user)
    agenda: list[AgendaItem] = await _owned(session, AgendaItem.author_id, user)
    minutes: list[MeetingMinutes] = await _owned(session, MeetingMinutes.author_id, user)
    polls: list[Poll] = await _owned(session, Poll.author_id, user)
    decisions: list[Decision] = await _owned(session, Decision.author_id, user)
    actions: list[AuditEntry] = await _owned(session, AuditEntry.actor_id, user)
    flow = await session.get(PrivateFlow, user.id)
    ballots = await budget.own_ballots(session, user)
    votes = list(
        await session.scalars(
            select(PollVote).where(PollVote.user_id == user.id).order_by(PollVote.voted_at)
        )
    )
    voted_polls = {
        poll.id: poll
        for poll in await session.scalars(
            select(Poll)
            .where(Poll.id.in_({vote.poll_id for vote in votes}))
            .options(selectinload(Poll.options))
        )
    }
    swot_inputs = list(
        await session.execute(
            select(SwotItem, SwotRound.number)
            .join(SwotAuthor, SwotAuthor.item_id == SwotItem.id)
            .join(SwotRound, SwotRound.id == SwotItem.round_id)
            .where(SwotAuthor.user_id == user.id)
            .order_by(SwotItem.created_at)
        )
    )
    swot_votes = list(
        await session.execute(
            select(SwotVote, SwotItem, SwotRound.number)
            .join(SwotItem, SwotItem.id == SwotVote.item_id)
            .join(SwotRound, SwotRound.id == SwotItem.round_id)
            .where(SwotVote.user_id == user.id)
            .order_by(SwotVote.voted_at)
        )
    )
    idea_numbers = {
        idea.id: idea.number
        for idea in await session.scalars(
            select(Idea).where(
                Idea.id.in_({s.idea_id for s in supports} | {c.idea_id for c in comments})
            )
        )
    }
    applauded = {
        victory.id: victory.text
        for victory in await session.scalars(
            select(Victory).where(Victory.id.in_({a.victory_id for a in applause}))
        )
    }
    dates = {
        occurrence.id: occurrence
        for occurrence in await session.scalars(
            select(MeetingOccurrence).where(
                MeetingOccurrence.id.in_(
                    {r.occurrence_id for r in rsvps}
                    | {a.occurrence_id for a in agenda}
                    | {m.occurrence_id for m in minutes}
                )
            )
        )
    }
    everything: list[Any] = [
        *memberships,
        *ideas,
        *responsible,
        *drafts,
        *supports,
        *comments,
        *victories,
        *applause,
        *rsvps,
        *meetings,
        *agenda,
        *minutes,
        *polls,
        *decisions,
        *actions,
        *votes,
    ]
    await titles.load(
        [row.community_id for row in everything]
        + [item.community_id for item, _ in swot_inputs]
        + ([user.acting_community_id] if user.acting_community_id else [])
        + ([flow.community_id] if flow else [])
        + [b.community_id for b in ballots]
    )

    def meeting_of(occurrence_id: int) -> Record:
        occurrence = dates[occurrence_id]
        return {
            "meeting": occurrence.meeting.title,
            "starts": _when(occurrence.starts_at),
        }

    return {
        "exported_at": _when(utcnow()),
        "profile": {
            "telegram_id": user.telegram_id,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "username": user.username,
            "language_chosen": user.language,
            "telegram_language": user.telegram_language,
            "started_private_chat": user.started_bot,
            "named_on_public_pages": user.public_name,
            "private_chat_village": titles[user.acting_community_id]
            if user.acting_community_id
            else None,
            "first_seen": _when(user.created_at),
        },
        "villages": [
            {
                "village": titles[m.community_id],
                "role": m.role.value,
                "joined": _when(m.joined_at),
                "last_active": _when(m.last_active_at),
                "left": _when(m.left_at),
            }
            for m in memberships
        ],
        "ideas": [
            {
                "village": titles[i.community_id],
                "number": i.number,
                "text": i.text,
                "area": i.area.value if i.area else None,
                "status": i.status.value,
                "posted_without_name": i.anonymous,
                "hidden": i.hidden,
                "created": _when(i.created_at),
            }
            for i in ideas
        ],
        "ideas_responsible_for": [
            {"village": titles[i.community_id], "number": i.number, "text": i.text}
            for i in responsible
        ],
        "idea_drafts": [
            {"village": titles[d.community_id], "text": d.text, "created": _when(d.created_at)}
            for d in drafts
        ],
        "supports": [
            {
                "village": titles[s.community_id],
                "idea": idea_numbers.get(s.idea_id),
                "created": _when(s.created_at),
            }
            for s in supports
        ],
        "comments": [
            {
                "village": titles[c.community_id],
                "idea": idea_numbers.get(c.idea_id),
                "text": c.text,
                "created": _when(c.created_at),
            }
            for c in comments
        ],
        "swot_inputs": [
            {
                "village": titles[item.community_id],
                "round": number,
                "code": item.code,
                "text": item.text,
                "created": _when(item.created_at),
            }
            for item, number in swot_inputs
        ],
        "swot_votes": [
            {
                "village": titles[item.community_id],
                "round": number,
                "code": item.code,
                "choice": vote.choice.value,
                "voted": _when(vote.voted_at),
            }
            for vote, item, number in swot_votes
        ],
        "poll_votes": [
            {
                "village": titles[v.community_id],
                "question": voted_polls[v.poll_id].question,
                "answers": [
                    o.text for o in voted_polls[v.poll_id].options if o.position in v.options
                ],
                "voted": _when(v.voted_at),
                "changed": _when(v.changed_at),
            }
            for v in votes
        ],
        "budget_ballots": [
            {
                "village": titles[b.community_id],
                "budget": b.round_title,
                "ideas": b.ideas,
                "voted": _when(b.cast_at),
                "changed": _when(b.changed_at),
            }
            for b in ballots
        ],
        "polls_started": [
            {
                "village": titles[p.community_id],
                "question": p.question,
                "created": _when(p.created_at),
            }
            for p in polls
        ],
        "meeting_answers": [
            {"village": titles[r.community_id], **meeting_of(r.occurrence_id), "answer": r.answer}
            for r in rsvps
        ],
        "meetings_scheduled": [
            {"village": titles[m.community_id], "title": m.title, "starts": _when(m.starts_at)}
            for m in meetings
        ],
        "agenda_items": [
            {"village": titles[a.community_id], **meeting_of(a.occurrence_id), "text": a.text}
            for a in agenda
        ],
        "minutes": [
            {"village": titles[m.community_id], **meeting_of(m.occurrence_id), "text": m.text}
            for m in minutes
        ],
        "decisions": [
            {"village": titles[d.community_id], "text": d.text, "created": _when(d.created_at)}
            for d in decisions
        ],
        "victories": [
            {
                "village": titles[v.community_id],
                "text": v.text,
                "status": v.status.value,
                "created": _when(v.created_at),
            }
            for v in victories
        ],
        "applause": [
            {
                "village": titles[a.community_id],
                "victory": applauded.get(a.victory_id),
                "created": _when(a.created_at),
            }
            for a in applause
        ],
        "private_conversation": {
            "village": titles[flow.community_id],
            "kind": flow.kind,
            "step": flow.step,
            "data": flow.data,
            "updated": _when(flow.updated_at),
        }
        if flow is not None
        else None,
        "working_group_actions": [
            {
                "village": titles[a.community_id],
                "action": a.action,
                "details": a.details,
                "when": _when(a.created_at),
            }
            for a in actions
        ],
    }


# --- /forgetme ------------------------------------------------------------------------------


@dataclass
class Forgotten:
    """What changed for others to see: cards whose counts or author line must be redrawn."""

    ideas: set[int] = field(default_factory=set)
    victories: set[int] = field(default_factory=set)
    meeting_dates: set[int] = field(default_factory=set)


def _minus_one(column: InstrumentedAttribute[int]) -> ColumnElement[int]:
    return case((column > 0, column - 1), else_=0)


async def forget(session: AsyncSession, user: User) -> Forgotten:
    """Erase the user's identity and their votes of every kind, everywhere (see the module)."""
    changed = Forgotten()
    for support in await _owned(session, IdeaSupport.user_id, user):
        changed.ideas.add(support.idea_id)
        await session.execute(
            update(Idea)
            .where(Idea.id == support.idea_id)
            .values(support_count=_minus_one(Idea.support_count))
        )
    await session.execute(delete(IdeaSupport).where(IdeaSupport.user_id == user.id))
    for clap in await _owned(session, Applause.user_id, user):
        changed.victories.add(clap.victory_id)
        await session.execute(
            update(Victory)
            .where(Victory.id == clap.victory_id)
            .values(applause_count=_minus_one(Victory.applause_count))
        )
    await session.execute(delete(Applause).where(Applause.user_id == user.id))
    for vote in await _owned(session, PollVote.user_id, user):
        if vote.options:
            await session.execute(
                update(PollOption)
                .where(PollOption.poll_id == vote.poll_id, PollOption.position.in_(vote.options))
                .values(online_count=_minus_one(PollOption.online_count))
            )
            await session.execute(
                update(Poll)
                .where(Poll.id == vote.poll_id)
                .values(online_voters=_minus_one(Poll.online_voters))
            )
    await session.execute(delete(PollVote).where(PollVote.user_id == user.id))
    await budget.forget_voter(session, user)
    changed.meeting_dates.update(
        r.occurrence_id for r in await _owned(session, MeetingRsvp.user_id, user)
    )
    changed.ideas.update(i.id for i in await _owned(session, Idea.author_id, user))
    changed.victories.update(v.id for v in await _owned(session, Victory.proposer_id, user))
    for model, column in (
        (MeetingRsvp, MeetingRsvp.user_id),
        (SwotVote, SwotVote.user_id),
        (IdeaDraft, IdeaDraft.author_id),
        (PrivateFlow, PrivateFlow.user_id),
        (Membership, Membership.user_id),
    ):
        await session.execute(delete(model).where(column == user.id))
    if user.telegram_id is not None:
        # The leaders' review messages live in their private chats, whose id is theirs.
        await session.execute(
            delete(VictoryReview).where(VictoryReview.chat_id == user.telegram_id)
        )
    await session.execute(update(Idea).where(Idea.owner_id == user.id).values(owner_id=None))
    user.telegram_id = None
    user.first_name = ""
    user.last_name = None
    user.username = None
    user.language = None
    user.telegram_language = None
    user.started_bot = False
    user.public_name = False
    user.acting_community_id = None
    await session.flush()
    return changed


@dataclass(frozen=True)
class ChangedCards:
    """The items whose cards show what a forgetting changed, as they are now."""

    ideas: list[Idea]
    victories: list[Victory]
    meeting_dates: list[tuple[MeetingOccurrence, int]]  # with their group's chat id


async def changed_cards(session: AsyncSession, changed: Forgotten) -> ChangedCards:
    """The ideas, victories and meeting dates behind `changed`, to redraw their cards."""
    found_ideas = await session.scalars(select(Idea).where(Idea.id.in_(changed.ideas)))
    found_victories = await session.scalars(
        select(Victory).where(Victory.id.in_(changed.victories))
    )
    dates = await session.execute(
        select(MeetingOccurrence, Community.chat_id)
        .join(Community, Community.id == MeetingOccurrence.community_id)
        .where(MeetingOccurrence.id.in_(changed.meeting_dates))
    )
    return ChangedCards(
        list(found_ideas),
        list(found_victories),
        [(occurrence, chat_id) for occurrence, chat_id in dates],
    )
