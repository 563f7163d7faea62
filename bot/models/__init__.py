"""All models; importing this package registers every table on `Base.metadata`."""

from bot.models.base import Base, UTCDateTime, utcnow
from bot.models.core import AuditEntry, Community, Membership, ProcessedUpdate, Role, User
from bot.models.delivery import SentOnce
from bot.models.flows import PrivateFlow
from bot.models.swot import Choice, Quadrant, SwotAuthor, SwotItem, SwotRound, SwotVote

__all__ = [
    "AuditEntry",
    "Base",
    "Choice",
    "Community",
    "Membership",
    "PrivateFlow",
    "ProcessedUpdate",
    "Quadrant",
    "Role",
    "SentOnce",
    "SwotAuthor",
    "SwotItem",
    "SwotRound",
    "SwotVote",
    "UTCDateTime",
    "User",
    "utcnow",
]
