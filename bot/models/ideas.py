"""Residents' ideas, their supports, comments and status history, and drafts awaiting a choice."""

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
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from bot.models.base import Base, UTCDateTime, str_enum, utcnow


class IdeaArea(enum.StrEnum):
    """The smart-village areas, plus community and culture, environment and energy, other."""

    ECONOMY = "economy"
    INFRASTRUCTURE = "infrastructure"
    GOVERNANCE = "governance"
    COMMUNITY = "community"
    ENVIRONMENT = "environment"
    OTHER = "other"


class IdeaStatus(enum.StrEnum):
    """The words leaders type with /status, the same in every language (plus `withdrawn`,
    which only the author sets)."""

    NEW = "new"
    DISCUSSION = "discussion"
    ACCEPTED = "accepted"
    PROGRESS = "progress"
    DONE = "done"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


OPEN_STATUSES = (IdeaStatus.NEW, IdeaStatus.DISCUSSION, IdeaStatus.ACCEPTED, IdeaStatus.PROGRESS)


class Idea(Base):
    __tablename__ = "ideas"
    __table_args__ = (
        UniqueConstraint("community_id", "number"),
        Index("ix_ideas_community_support", "community_id", "support_count"),
        Index("ix_ideas_community_author_created", "community_id", "author_id", "created_at"),
        Index("ix_ideas_card", "card_chat_id", "card_message_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None
    )
    anonymous: Mapped[bool] = mapped_column(Boolean, default=False)
    text: Mapped[str] = mapped_column(Text)
    area: Mapped[IdeaArea | None] = mapped_column(str_enum(IdeaArea), default=None)
    status: Mapped[IdeaStatus] = mapped_column(str_enum(IdeaStatus), default=IdeaStatus.NEW)
    support_count: Mapped[int] = mapped_column(Integer, default=0)
    comment_count: Mapped[int] = mapped_column(Integer, default=0)
    owner_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None
    )
    cost_cents: Mapped[int | None] = mapped_column(BigInteger, default=None)
    funding_source: Mapped[str | None] = mapped_column(String(200), default=None)
    progress: Mapped[int] = mapped_column(Integer, default=0)
    hidden: Mapped[bool] = mapped_column(Boolean, default=False)
    card_chat_id: Mapped[int | None] = mapped_column(BigInteger, default=None)
    card_message_id: Mapped[int | None] = mapped_column(BigInteger, default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class IdeaSupport(Base):
    """One support per member per idea: the constraint is the rule."""

    __tablename__ = "idea_supports"
    __table_args__ = (UniqueConstraint("idea_id", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    idea_id: Mapped[int] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class IdeaComment(Base):
    __tablename__ = "idea_comments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    idea_id: Mapped[int] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None
    )
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class IdeaStatusChange(Base):
    """The history of an idea: every status change, who made it, and why (for rejections)."""

    __tablename__ = "idea_status_changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    idea_id: Mapped[int] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"), index=True)
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None
    )
    old_status: Mapped[IdeaStatus | None] = mapped_column(str_enum(IdeaStatus), default=None)
    new_status: Mapped[IdeaStatus] = mapped_column(str_enum(IdeaStatus))
    reason: Mapped[str | None] = mapped_column(Text, default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class IdeaDraft(Base):
    """An idea waiting for its author's choice (submit anyway, support a similar one instead,
    post with or without the author's name); kept for a day."""

    __tablename__ = "idea_drafts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
