"""All models; importing this package registers every table on `Base.metadata`."""

from bot.models.base import Base, UTCDateTime, utcnow
from bot.models.budget import BudgetBallot, BudgetChoice, BudgetItem, BudgetRound, BudgetRule
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
from bot.models.meetings import (
    AgendaItem,
    Answer,
    Meeting,
    MeetingMinutes,
    MeetingOccurrence,
    MeetingRsvp,
    Repeat,
)
from bot.models.outbox import OutboxMessage
from bot.models.polls import Decision, DecisionSource, Poll, PollOption, PollVote
from bot.models.swot import (
    Choice,
    Quadrant,
    SwotAuthor,
    SwotConfirmation,
    SwotConfirmedInput,
    SwotItem,
    SwotRound,
    SwotVote,
)
from bot.models.victories import (
    Applause,
    DigestFrequency,
    DigestPost,
    DigestSchedule,
    Victory,
    VictoryReview,
    VictoryStatus,
)

__all__ = [
    "OPEN_STATUSES",
    "AgendaItem",
    "Answer",
    "Applause",
    "AuditEntry",
    "Base",
    "BudgetBallot",
    "BudgetChoice",
    "BudgetItem",
    "BudgetRound",
    "BudgetRule",
    "Choice",
    "Community",
    "Decision",
    "DecisionSource",
    "DigestFrequency",
    "DigestPost",
    "DigestSchedule",
    "Idea",
    "IdeaArea",
    "IdeaComment",
    "IdeaDraft",
    "IdeaStatus",
    "IdeaStatusChange",
    "IdeaSupport",
    "Meeting",
    "MeetingMinutes",
    "MeetingOccurrence",
    "MeetingRsvp",
    "Membership",
    "OutboxMessage",
    "Poll",
    "PollOption",
    "PollVote",
    "PrivateFlow",
    "ProcessedUpdate",
    "Quadrant",
    "Repeat",
    "Role",
    "SentOnce",
    "SwotAuthor",
    "SwotConfirmation",
    "SwotConfirmedInput",
    "SwotItem",
    "SwotRound",
    "SwotVote",
    "UTCDateTime",
    "User",
    "Victory",
    "VictoryReview",
    "VictoryStatus",
    "utcnow",
]
