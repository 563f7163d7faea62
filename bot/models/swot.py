"""The SWOT analysis: rounds, inputs (items), their authors, residents' agreement votes, and the
group messages that confirm bursts of inputs."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import BigInteger, Enum, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.models.base import Base, UTCDateTime, utcnow


class Quadrant(enum.StrEnum):
    """The letter of a quadrant; codes use it in every language (S4, W2, O1, T3)."""

    S = "S"
    W = "W"
    O = "O"  # noqa: E741
    T = "T"


class Choice(enum.StrEnum):
    AGREE = "agree"
    DISAGREE = "disagree"
    PASS = "pass"


def _enum(kind: type[enum.StrEnum], name: str, length: int) -> Enum:
    return Enum(
        kind,
        name=name,
        native_enum=False,
        length=length,
        values_callable=lambda e: [m.value for m in e],
    )


class SwotRound(Base):
    """One SWOT analysis of a community; a newer round archives the older ones, keeping them."""

    __tablename__ = "swot_rounds"
    __table_args__ = (UniqueConstraint("community_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None
    )
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)


class SwotItem(Base):
    """One input. A merged or moved input stays as a row pointing at the one that replaced it,
    so its code is never given to another input and its history is kept."""

    __tablename__ = "swot_items"
    __table_args__ = (UniqueConstraint("round_id", "quadrant", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    community_id: Mapped[int] = mapped_column(
        ForeignKey("communities.id", ondelete="CASCADE"), index=True
    )
    round_id: Mapped[int] = mapped_column(ForeignKey("swot_rounds.id", ondelete="CASCADE"))
    quadrant: Mapped[Quadrant] = mapped_column(_enum(Quadrant, "swot_quadrant", 1))
    number: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    hidden_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None
    )
    replaced_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("swot_items.id", ondelete="SET NULL"), default=None
    )

    @property
    def code(self) -> str:
        return f"{self.quadrant.value}{self.number}"

    @property
    def live(self) -> bool:
        return self.hidden_at is None and self.replaced_by_id is None


class SwotAuthor(Base):
    """Who wrote an input; a merge gives the kept input the authors of both."""

    __tablename__ = "swot_authors"

    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    item_id: Mapped[int] = mapped_column(
        ForeignKey("swot_items.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class SwotVote(Base):
    """A member's agreement with an input: one per member and input."""

    __tablename__ = "swot_votes"
    __table_args__ = (UniqueConstraint("item_id", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    item_id: Mapped[int] = mapped_column(ForeignKey("swot_items.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    choice: Mapped[Choice] = mapped_column(_enum(Choice, "swot_choice", 8))
    voted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class SwotConfirmation(Base):
    """One group message confirming a burst of inputs: the next inputs of its chat are added to
    it (and it is redrawn) while it is young and short (bot.services.swot_confirmations)."""

    __tablename__ = "swot_confirmations"
    __table_args__ = (Index("ix_swot_confirmations_open", "community_id", "chat_id", "opened_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    chat_id: Mapped[int] = mapped_column(BigInteger)
    message_id: Mapped[int | None] = mapped_column(BigInteger, default=None)  # once it is sent
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class SwotConfirmedInput(Base):
    """An input a confirmation lists, and who added it (as the message names them)."""

    __tablename__ = "swot_confirmed_inputs"

    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    item_id: Mapped[int] = mapped_column(
        ForeignKey("swot_items.id", ondelete="CASCADE"), primary_key=True
    )
    confirmation_id: Mapped[int] = mapped_column(
        ForeignKey("swot_confirmations.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
