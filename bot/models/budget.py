"""Participatory budgets: a round of a village, the ideas on its ballot, the ballots cast online
and entered from paper, and what each ballot chose."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from bot.models.base import Base, UTCDateTime, str_enum, utcnow


class BudgetRule(enum.StrEnum):
    """How the votes become funded ideas, chosen when the round is opened."""

    GREEDY = "greedy"
    EQUAL_SHARES = "equal_shares"


class BudgetRound(Base):
    """A sum the village spends on its own ideas. It is prepared (ideas added and removed), then
    voted on from `voting_starts_at` to `closes_at` (`voting_minutes` long), then counted once.
    A village has at most one round that is not counted yet (the partial unique index)."""

    __tablename__ = "budget_rounds"
    __table_args__ = (
        UniqueConstraint("community_id", "number"),
        Index(
            "ux_budget_rounds_one_uncounted",
            "community_id",
            unique=True,
            sqlite_where=text("counted_at IS NULL"),
            postgresql_where=text("counted_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    amount_cents: Mapped[int] = mapped_column(BigInteger)
    rule: Mapped[BudgetRule] = mapped_column(str_enum(BudgetRule))
    voting_minutes: Mapped[int] = mapped_column(Integer)
    opened_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None
    )
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    voting_starts_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    counted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    # The known members when it was counted: its turnout stays the one of its deadline.
    members_at_count: Mapped[int | None] = mapped_column(Integer, default=None)
    # Where the announcement of the vote stands in the group, once posted.
    chat_id: Mapped[int | None] = mapped_column(BigInteger, default=None)
    message_id: Mapped[int | None] = mapped_column(BigInteger, default=None)


class BudgetItem(Base):
    """An idea on a round's ballot, at the cost it had when it was put there; `votes` and
    `funded` are the count's result (None until counted)."""

    __tablename__ = "budget_items"
    __table_args__ = (UniqueConstraint("round_id", "idea_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    round_id: Mapped[int] = mapped_column(ForeignKey("budget_rounds.id", ondelete="CASCADE"))
    idea_id: Mapped[int] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"), index=True)
    cost_cents: Mapped[int] = mapped_column(BigInteger)
    votes: Mapped[int | None] = mapped_column(Integer, default=None)
    funded: Mapped[bool | None] = mapped_column(Boolean, default=None)


class BudgetBallot(Base):
    """One voter's ballot: a member's online one (one per member per round: the constraint), or
    one paper ballot entered by a leader (no user; each paper voter gets their own ballot).
    `number` identifies the ballot in exports instead of a name."""

    __tablename__ = "budget_ballots"
    __table_args__ = (
        UniqueConstraint("round_id", "user_id"),
        UniqueConstraint("round_id", "number"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    round_id: Mapped[int] = mapped_column(ForeignKey("budget_rounds.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), default=None, index=True
    )
    is_paper: Mapped[bool] = mapped_column(Boolean, default=False)
    entered_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None
    )
    cast_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)


class BudgetChoice(Base):
    """An idea a ballot chose."""

    __tablename__ = "budget_choices"
    __table_args__ = (UniqueConstraint("ballot_id", "item_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    ballot_id: Mapped[int] = mapped_column(ForeignKey("budget_ballots.id", ondelete="CASCADE"))
    item_id: Mapped[int] = mapped_column(
        ForeignKey("budget_items.id", ondelete="CASCADE"), index=True
    )
