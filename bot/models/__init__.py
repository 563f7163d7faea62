"""All models; importing this package registers every table on `Base.metadata`."""

from bot.models.base import Base, UTCDateTime, utcnow
from bot.models.core import AuditEntry, Community, Membership, ProcessedUpdate, Role, User
from bot.models.delivery import SentOnce
from bot.models.flows import PrivateFlow

__all__ = [
    "AuditEntry",
    "Base",
    "Community",
    "Membership",
    "PrivateFlow",
    "ProcessedUpdate",
    "Role",
    "SentOnce",
    "UTCDateTime",
    "User",
    "utcnow",
]
