"""All models; importing this package registers every table on `Base.metadata`."""

from bot.models.base import Base, UTCDateTime, utcnow
from bot.models.core import AuditEntry, Community, Membership, ProcessedUpdate, Role, User
from bot.models.delivery import SentOnce
from bot.models.flows import PrivateFlow
from bot.models.ideas import (
    OPEN_STATUSES,
    Idea,
    IdeaArea,
    IdeaComment,
    IdeaDraft,
    IdeaStatus,
    IdeaStatusChange,
    IdeaSupport,
)

__all__ = [
    "OPEN_STATUSES",
    "AuditEntry",
    "Base",
    "Community",
    "Idea",
    "IdeaArea",
    "IdeaComment",
    "IdeaDraft",
    "IdeaStatus",
    "IdeaStatusChange",
    "IdeaSupport",
    "Membership",
    "PrivateFlow",
    "ProcessedUpdate",
    "Role",
    "SentOnce",
    "UTCDateTime",
    "User",
    "utcnow",
]
