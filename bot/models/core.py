"""Communities, users, their memberships, processed updates and the audit log."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bot.models.base import Base, UTCDateTime, str_enum, utcnow

DEFAULT_REMINDER_OFFSETS = (1440, 60)


class Role(enum.StrEnum):
    """A member's stored role; Telegram admins are leaders whatever is stored here."""

    RESIDENT = "resident"
    LEADER = "leader"


class Community(Base):
    """One village: one Telegram group or supergroup."""

    __tablename__ = "communities"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    chat_id: Mapped[int] = mapped_column(BigInteger, unique=True)
    title: Mapped[str] = mapped_column(String(255), default="")
    language: Mapped[str] = mapped_column(String(8))
    timezone: Mapped[str] = mapped_column(String(64))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    deactivated_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    # How long before a poll's deadline the group is reminded; None: no reminders.
    poll_reminder_minutes: Mapped[int | None] = mapped_column(
        Integer, default=1440, server_default="1440"
    )
    # Meeting reminders: minutes before each meeting (default 1 day and 1 hour); [] turns them off.
    reminder_offsets: Mapped[list[int]] = mapped_column(
        JSON, default=lambda: list(DEFAULT_REMINDER_OFFSETS), server_default="[1440, 60]"
    )
    # The development plan's part 2, set by the working group with /vision and /goal.
    vision: Mapped[str | None] = mapped_column(Text, default=None)
    goals: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")
    # Whether the read-only village page (`{VILLAGEBOT_WEB_URL}/v/<id>`) is served: a leader's
    # `/settings public on`; off until they publish it.
    public_page: Mapped[bool] = mapped_column(Boolean, default=False)


class User(Base):
    """A Telegram user the bot has seen; `telegram_id` is None once they asked to be forgotten."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    telegram_id: Mapped[int | None] = mapped_column(BigInteger, unique=True)
    first_name: Mapped[str] = mapped_column(String(255), default="")
    last_name: Mapped[str | None] = mapped_column(String(255), default=None)
    username: Mapped[str | None] = mapped_column(String(64), default=None)
    # The language the user chose with /language; None means "follow Telegram's".
    language: Mapped[str | None] = mapped_column(String(8), default=None)
    telegram_language: Mapped[str | None] = mapped_column(String(16), default=None)
    started_bot: Mapped[bool] = mapped_column(Boolean, default=False)
    # Whether a private answer has told the user how to change the language (said once).
    language_hint_shown: Mapped[bool] = mapped_column(Boolean, default=False)
    # Whether, as a leader, they agree to be named on their villages' public pages.
    public_name: Mapped[bool] = mapped_column(Boolean, default=False)
    acting_community_id: Mapped[int | None] = mapped_column(
        ForeignKey("communities.id", ondelete="SET NULL"), default=None
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def display_name(self) -> str:
        name = " ".join(part for part in (self.first_name, self.last_name) if part)
        return name or (f"@{self.username}" if self.username else "")


class Membership(Base):
    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("community_id", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    community_id: Mapped[int] = mapped_column(
        ForeignKey("communities.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[Role] = mapped_column(str_enum(Role), default=Role.RESIDENT)
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_active_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    left_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)

    user: Mapped[User] = relationship(lazy="raise")
    community: Mapped[Community] = relationship(lazy="raise")


class ProcessedUpdate(Base):
    """An update id written in the same transaction as the update's effects: at most once."""

    __tablename__ = "processed_updates"

    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    processed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


class AuditEntry(Base):
    """A leader action, kept for the working group's log."""

    __tablename__ = "audit_entries"
    __table_args__ = (Index("ix_audit_entries_community_created", "community_id", "created_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None
    )
    action: Mapped[str] = mapped_column(String(64))
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
