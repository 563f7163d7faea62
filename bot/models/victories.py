"""Small victories, their applause, the leaders' review messages, and the digests posted."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.models.base import Base, UTCDateTime, str_enum, utcnow


class VictoryStatus(enum.StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


class Victory(Base):
    __tablename__ = "victories"
    __table_args__ = (Index("ix_victories_community_announced", "community_id", "announced_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(Text)
    proposer_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None
    )
    status: Mapped[VictoryStatus] = mapped_column(
        str_enum(VictoryStatus), default=VictoryStatus.PENDING
    )
    decided_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None
    )
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    idea_id: Mapped[int | None] = mapped_column(
        ForeignKey("ideas.id", ondelete="SET NULL"), default=None
    )
    applause_count: Mapped[int] = mapped_column(Integer, default=0)
    card_chat_id: Mapped[int | None] = mapped_column(BigInteger, default=None)
    card_message_id: Mapped[int | None] = mapped_column(BigInteger, default=None)
    announced_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Applause(Base):
    """One 👏 per member per victory: the constraint is the rule."""

    __tablename__ = "applause"
    __table_args__ = (UniqueConstraint("victory_id", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    victory_id: Mapped[int] = mapped_column(ForeignKey("victories.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class VictoryReview(Base):
    """A private message asking one leader to approve a resident's victory (edited once the
    first leader decided, so the others see it was handled)."""

    __tablename__ = "victory_reviews"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    victory_id: Mapped[int] = mapped_column(
        ForeignKey("victories.id", ondelete="CASCADE"), index=True
    )
    chat_id: Mapped[int] = mapped_column(BigInteger)
    message_id: Mapped[int] = mapped_column(BigInteger)


class DigestFrequency(enum.StrEnum):
    MONTHLY = "monthly"
    WEEKLY = "weekly"
    OFF = "off"


class DigestSchedule(Base):
    """When a community's digest is posted; no row means the default (monthly, first Monday,
    18:00 local time)."""

    __tablename__ = "digest_schedules"

    community_id: Mapped[int] = mapped_column(
        ForeignKey("communities.id", ondelete="CASCADE"), primary_key=True
    )
    frequency: Mapped[DigestFrequency] = mapped_column(
        str_enum(DigestFrequency), default=DigestFrequency.MONTHLY
    )
    weekday: Mapped[int] = mapped_column(Integer, default=0)  # 0 = Monday
    time: Mapped[str] = mapped_column(String(5), default="18:00")


class DigestPost(Base):
    """A digest that went out (claimed before sending: one per community and period)."""

    __tablename__ = "digest_posts"
    __table_args__ = (UniqueConstraint("community_id", "period"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    period: Mapped[str] = mapped_column(String(32))  # the due date, e.g. "2026-12-07"
    covers_from: Mapped[datetime] = mapped_column(UTCDateTime)
    covers_to: Mapped[datetime] = mapped_column(UTCDateTime)
    message_id: Mapped[int | None] = mapped_column(BigInteger, default=None)
    posted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
