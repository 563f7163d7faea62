"""All models; importing this package registers every table on `Base.metadata`."""

from bot.models.base import Base, UTCDateTime, utcnow
from bot.models.core import AuditEntry, Community, Membership, ProcessedUpdate, Role, User

__all__ = [
    "AuditEntry",
    "Base",
    "Community",
    "Membership",
    "ProcessedUpdate",
    "Role",
    "UTCDateTime",
    "User",
    "utcnow",
]
