"""All models; importing this package registers every table on `Base.metadata`."""

from bot.models.base import Base, UTCDateTime, utcnow
from bot.models.core import AuditEntry, Community, Membership, ProcessedUpdate, Role, User
from bot.models.delivery import SentOnce
from bot.models.flows import PrivateFlow
from bot.models.meetings import (
    AgendaItem,
    Answer,
    Meeting,
    MeetingMinutes,
    MeetingOccurrence,
    MeetingRsvp,
    Repeat,
)

__all__ = [
    "AgendaItem",
    "Answer",
    "AuditEntry",
    "Base",
    "Community",
    "Meeting",
    "MeetingMinutes",
    "MeetingOccurrence",
    "MeetingRsvp",
    "Membership",
    "PrivateFlow",
    "ProcessedUpdate",
    "Repeat",
    "Role",
    "SentOnce",
    "UTCDateTime",
    "User",
    "utcnow",
]
