"""All models; importing this package registers every table on `Base.metadata`."""

from bot.models.base import Base, UTCDateTime, utcnow
from bot.models.core import AuditEntry, Community, Membership, ProcessedUpdate, Role, User
from bot.models.delivery import SentOnce
from bot.models.flows import PrivateFlow
from bot.models.polls import Decision, DecisionSource, Poll, PollOption, PollVote

__all__ = [
    "AuditEntry",
    "Base",
    "Community",
    "Decision",
    "DecisionSource",
    "Membership",
    "Poll",
    "PollOption",
    "PollVote",
    "PrivateFlow",
    "ProcessedUpdate",
    "Role",
    "SentOnce",
    "UTCDateTime",
    "User",
    "utcnow",
]
