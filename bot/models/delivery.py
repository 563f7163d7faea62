"""The ledger of scheduled messages already sent: each is claimed once, before it is sent."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from bot.models.base import Base, UTCDateTime, utcnow


class SentOnce(Base):
    """A claimed message key such as `meeting-reminder:12:3600` or `digest:4:2026-11`.

    Inserting the key (unique) before sending makes a reminder, deadline notice or digest go
    out at most once, across restarts and even with two bot processes on one database.
    """

    __tablename__ = "sent_once"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
