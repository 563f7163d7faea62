"""Progress meetings: a meeting (one or a series), its occurrences, RSVPs, agenda and minutes."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bot.models.base import Base, UTCDateTime, utcnow


class Repeat(enum.StrEnum):
    ONCE = "once"
    WEEKLY = "weekly"
    BIWEEKLY = "biweekly"  # every two weeks
    MONTHLY = "monthly"  # the same weekday of the month, e.g. the first Tuesday


class Answer(enum.StrEnum):
    """An RSVP: going, maybe, can't."""

    GOING = "going"
    MAYBE = "maybe"
    NO = "no"


class Meeting(Base):
    """What a leader scheduled. `repeat` is None while the leader has not picked it yet."""

    __tablename__ = "meetings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    community_id: Mapped[int] = mapped_column(
        ForeignKey("communities.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    place: Mapped[str | None] = mapped_column(String(200), default=None)
    # The first start; the series repeats its wall-clock time in `timezone`.
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    timezone: Mapped[str] = mapped_column(String(64))
    repeat: Mapped[str | None] = mapped_column(String(16), default=None)
    created_by: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)


class MeetingOccurrence(Base):
    """One date of a meeting. `original_start` is the date the rule gave (unique per meeting, so
    a cancelled or moved date is never generated again); `starts_at` is when it really starts."""

    __tablename__ = "meeting_occurrences"
    __table_args__ = (UniqueConstraint("meeting_id", "original_start"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    community_id: Mapped[int] = mapped_column(
        ForeignKey("communities.id", ondelete="CASCADE"), index=True
    )
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    original_start: Mapped[datetime] = mapped_column(UTCDateTime)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    # When `starts_at` was set: reminders due before then are not sent (the group was just told).
    planned_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    # The latest card posted for this date (announcement, reminder or start notice), kept live.
    card_message_id: Mapped[int | None] = mapped_column(BigInteger, default=None)
    card_stage: Mapped[int | None] = mapped_column(Integer, default=None)

    meeting: Mapped[Meeting] = relationship(lazy="selectin")


class MeetingRsvp(Base):
    """One answer per member per date; pressing another button changes it."""

    __tablename__ = "meeting_rsvps"
    __table_args__ = (UniqueConstraint("occurrence_id", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    community_id: Mapped[int] = mapped_column(
        ForeignKey("communities.id", ondelete="CASCADE"), index=True
    )
    occurrence_id: Mapped[int] = mapped_column(
        ForeignKey("meeting_occurrences.id", ondelete="CASCADE")
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    answer: Mapped[str] = mapped_column(String(8))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class AgendaItem(Base):
    """An item a leader added to one date's agenda with /agenda."""

    __tablename__ = "meeting_agenda_items"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    community_id: Mapped[int] = mapped_column(
        ForeignKey("communities.id", ondelete="CASCADE"), index=True
    )
    occurrence_id: Mapped[int] = mapped_column(
        ForeignKey("meeting_occurrences.id", ondelete="CASCADE"), index=True
    )
    text: Mapped[str] = mapped_column(String(500))
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class MeetingMinutes(Base):
    """One entry of a date's minutes (its decisions), recorded with /minutes."""

    __tablename__ = "meeting_minutes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    community_id: Mapped[int] = mapped_column(
        ForeignKey("communities.id", ondelete="CASCADE"), index=True
    )
    occurrence_id: Mapped[int] = mapped_column(
        ForeignKey("meeting_occurrences.id", ondelete="CASCADE"), index=True
    )
    text: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
