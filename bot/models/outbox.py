"""What the bot is yet to send: written in the transaction of the change it tells about."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.models.base import Base, UTCDateTime, utcnow


class OutboxMessage(Base):
    """One Bot API call to make (`method` with `params` as JSON), in `chat_id`'s lane.

    Rows of one lane are sent one at a time in id order. A sender claims the oldest row of a
    lane (`claimed_by`, `claimed_at`) and commits the claim before the call; the row is deleted
    once Telegram answered. `coalesce_key` names what a row shows (a card's latest state): a
    newer row with the same key replaces a pending one. `noise` rows answer read-only requests
    and may be dropped when their lane is full. `after_send` names what to record once the message
    is sent (where a card was posted), as `hook:argument`; `on_refused` what to record when
    Telegram refuses the call for good (bot.services.placed).
    """

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_lane", "chat_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    method: Mapped[str] = mapped_column(String(40))
    params: Mapped[str] = mapped_column(Text)
    coalesce_key: Mapped[str | None] = mapped_column(String(100), default=None)
    noise: Mapped[bool] = mapped_column(Boolean, default=False)
    after_send: Mapped[str | None] = mapped_column(String(100), default=None)
    on_refused: Mapped[str | None] = mapped_column(String(100), default=None)
    # A view (`kind:argument`) draws the call when it is sent: a live card's text and buttons,
    # or the whole call (a file built then), so the message shows the state of that moment.
    view: Mapped[str | None] = mapped_column(String(100), default=None)
    # A message that means nothing later (a reminder): not sent after this time.
    send_by: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    # Not before this time (a card edited a moment ago waits, gathering the next changes); a
    # row waiting so holds up none of its lane's later rows.
    not_before: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    # A file to upload with the call (a chart, an export, a calendar file); `params` names its
    # field and file name.
    file: Mapped[bytes | None] = mapped_column(LargeBinary, default=None)
    claimed_by: Mapped[str | None] = mapped_column(String(64), default=None)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
