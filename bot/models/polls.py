"""Polls posted as native Telegram polls, their options and stored votes, and decisions."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    Enum,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bot.models.base import Base, UTCDateTime, utcnow


class Poll(Base):
    """A poll of one community. Telegram's poll id and message are set once it is posted
    (poll updates carry no chat, so the poll id is how they are matched)."""

    __tablename__ = "polls"
    __table_args__ = (Index("ix_polls_community_created", "community_id", "created_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None
    )
    question: Mapped[str] = mapped_column(String(300))
    anonymous: Mapped[bool] = mapped_column(Boolean, default=True)
    multiple: Mapped[bool] = mapped_column(Boolean, default=False)
    telegram_poll_id: Mapped[str | None] = mapped_column(String(64), unique=True, default=None)
    chat_id: Mapped[int | None] = mapped_column(BigInteger, default=None)
    message_id: Mapped[int | None] = mapped_column(Integer, default=None)
    # The latest results message and its chart: a /decision may reply to either.
    results_message_id: Mapped[int | None] = mapped_column(Integer, default=None)
    chart_message_id: Mapped[int | None] = mapped_column(Integer, default=None)
    # Online voters as Telegram counts them (anonymous polls have no other source).
    online_voters: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)

    options: Mapped[list[PollOption]] = relationship(
        lazy="raise", order_by="PollOption.position", cascade="all, delete-orphan"
    )


class PollOption(Base):
    """One answer; `position` is Telegram's option id (0-based); paper votes are kept apart."""

    __tablename__ = "poll_options"
    __table_args__ = (UniqueConstraint("poll_id", "position"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    poll_id: Mapped[int] = mapped_column(ForeignKey("polls.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(String(100))
    online_count: Mapped[int] = mapped_column(Integer, default=0)
    offline_count: Mapped[int] = mapped_column(Integer, default=0)


class PollVote(Base):
    """A member's current answer to a public poll; an empty `options` list is a retraction."""

    __tablename__ = "poll_votes"
    __table_args__ = (UniqueConstraint("poll_id", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    poll_id: Mapped[int] = mapped_column(ForeignKey("polls.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    options: Mapped[list[int]] = mapped_column(JSON, default=list)
    voted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    changes: Mapped[int] = mapped_column(Integer, default=0)


class DecisionSource(enum.StrEnum):
    POLL = "poll"
    LEADER = "leader"
    BUDGET = "budget"


class Decision(Base):
    """What the working group decided, from a poll or on its own, with an optional review date."""

    __tablename__ = "decisions"
    __table_args__ = (Index("ix_decisions_community_review", "community_id", "review_on"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(String(1000))
    review_on: Mapped[date | None] = mapped_column(Date, default=None)
    source: Mapped[DecisionSource] = mapped_column(
        Enum(
            DecisionSource,
            native_enum=False,
            length=16,
            values_callable=lambda e: [m.value for m in e],
        ),
        default=DecisionSource.LEADER,
    )
    poll_id: Mapped[int | None] = mapped_column(
        ForeignKey("polls.id", ondelete="SET NULL"), default=None
    )
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
