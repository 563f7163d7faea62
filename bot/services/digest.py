"""The village digest: when it is due, what period it covers, what happened, and posting once."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from dateutil import rrule
from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from bot.i18n import N_
from bot.models import (
    Base,
    Community,
    DigestFrequency,
    DigestPost,
    DigestSchedule,
    Idea,
    IdeaComment,
    IdeaStatus,
    IdeaStatusChange,
    IdeaSupport,
    Membership,
    Victory,
)
from bot.services import communities, victories
from bot.services.errors import InvalidInput
from bot.services.text import OFF_WORDS

# A digest due while the bot was down goes out late within this time, else waits for the next.
GRACE = timedelta(hours=6)
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
# The words a leader may type after /settings digest: English, and the Latvian and Russian ones
# the help texts show in those languages.
FREQUENCIES = {
    "monthly": DigestFrequency.MONTHLY,
    "ikmēneša": DigestFrequency.MONTHLY,
    "mēnesī": DigestFrequency.MONTHLY,
    "ежемесячно": DigestFrequency.MONTHLY,
    "weekly": DigestFrequency.WEEKLY,
    "iknedēļas": DigestFrequency.WEEKLY,
    "nedēļā": DigestFrequency.WEEKLY,
    "еженедельно": DigestFrequency.WEEKLY,
}
# Each weekday, Monday first: the abbreviations (pr, пн…) as they are, and the words that a
# day's name starts with (fri → friday, piektd → piektdienā, пят → пятница).
_WEEKDAY_ABBREVIATIONS = (
    ("pr", "пн"),
    ("ot", "вт"),
    ("tr", "ср"),
    ("ce", "чт"),
    ("pk", "пт"),
    ("se", "сб"),
    ("sv", "вс"),
)
_WEEKDAY_STEMS = (
    ("mon", "pirmd", "пон"),
    ("tue", "otrd", "вто"),
    ("wed", "trešd", "сре"),
    ("thu", "ceturtd", "чет"),
    ("fri", "piektd", "пят"),
    ("sat", "sestd", "суб"),
    ("sun", "svētd", "вос"),
)
SCHEDULE_USAGE = N_(
    "Write how often and when, for example: /settings digest monthly mon 18:00 "
    "(the first Monday of each month), /settings digest weekly fri 17:00, or /settings digest off."
)


@dataclass(frozen=True)
class Schedule:
    frequency: DigestFrequency = DigestFrequency.MONTHLY
    weekday: int = 0  # 0 = Monday
    at: time = time(18, 0)

    @property
    def words(self) -> str:
        """As typed after /settings digest; the same in every language."""
        if self.frequency == DigestFrequency.OFF:
            return "off"
        return f"{self.frequency.value} {WEEKDAYS[self.weekday]} {self.at:%H:%M}"


DEFAULT = Schedule()


def weekday_of(word: str) -> int | None:
    """0 for Monday … 6 for Sunday, from a weekday word in English, Latvian or Russian."""
    word = word.lower().rstrip(".")
    for index, (abbreviations, stems) in enumerate(
        zip(_WEEKDAY_ABBREVIATIONS, _WEEKDAY_STEMS, strict=True)
    ):
        if word in abbreviations or word.startswith(stems):
            return index
    return None


def parse_schedule(words: list[str]) -> Schedule:
    """`monthly mon 18:00`, `weekly fri 17:00` or `off`; in Latvian `ikmēneša pr 18:00`, in
    Russian `ежемесячно пн 18:00`."""
    lowered = [w.lower() for w in words]
    if len(lowered) == 1 and lowered[0] in OFF_WORDS:
        return Schedule(DigestFrequency.OFF)
    if len(lowered) != 3 or lowered[0] not in FREQUENCIES:
        raise InvalidInput(SCHEDULE_USAGE)
    day = weekday_of(lowered[1])
    if day is None:
        raise InvalidInput(SCHEDULE_USAGE)
    try:
        at = datetime.strptime(lowered[2], "%H:%M").time()
    except ValueError as exc:
        raise InvalidInput(SCHEDULE_USAGE) from exc
    return Schedule(FREQUENCIES[lowered[0]], day, at)


async def schedule_of(session: AsyncSession, community: Community) -> Schedule:
    row = await session.get(DigestSchedule, community.id)
    if row is None:
        return DEFAULT
    hours, minutes = (int(part) for part in row.time.split(":"))
    return Schedule(row.frequency, row.weekday, time(hours, minutes))


async def set_schedule(session: AsyncSession, community: Community, schedule: Schedule) -> None:
    row = await session.get(DigestSchedule, community.id)
    if row is None:
        row = DigestSchedule(community_id=community.id)
        session.add(row)
    row.frequency = schedule.frequency
    row.weekday = schedule.weekday
    row.time = f"{schedule.at:%H:%M}"
    await session.flush()


def _rule(schedule: Schedule, start: datetime) -> rrule.rrule:
    """Local wall-clock times (naive), so 18:00 stays 18:00 across daylight-saving changes."""
    weekday = rrule.weekdays[schedule.weekday]
    monthly = schedule.frequency == DigestFrequency.MONTHLY
    return rrule.rrule(
        rrule.MONTHLY if monthly else rrule.WEEKLY,
        dtstart=start,
        byweekday=weekday(+1) if monthly else weekday,
        byhour=schedule.at.hour,
        byminute=schedule.at.minute,
        bysecond=0,
    )


def next_due(schedule: Schedule, zone: ZoneInfo, now: datetime) -> datetime | None:
    """The first due time strictly after `now` (aware, UTC), or None when the digest is off."""
    if schedule.frequency == DigestFrequency.OFF:
        return None
    local = now.astimezone(zone).replace(tzinfo=None)
    due = _rule(schedule, local - timedelta(days=40)).after(local, inc=False)
    return due.replace(tzinfo=zone).astimezone(now.tzinfo) if due else None


def last_due(schedule: Schedule, zone: ZoneInfo, now: datetime) -> datetime | None:
    """The latest due time at or before `now`, or None."""
    if schedule.frequency == DigestFrequency.OFF:
        return None
    local = now.astimezone(zone).replace(tzinfo=None)
    due = _rule(schedule, local - timedelta(days=40)).before(local, inc=True)
    return due.replace(tzinfo=zone).astimezone(now.tzinfo) if due else None


def period_key(due: datetime, zone: ZoneInfo) -> str:
    return due.astimezone(zone).date().isoformat()


async def next_run(
    session: AsyncSession, community: Community, now: datetime, *, catch_up: bool
) -> datetime | None:
    """When the community's next digest goes out, or None when it is off. With `catch_up` (at
    start-up, or when a community returns) that is the period last due, if it was missed by no
    more than GRACE and not posted; otherwise the next due time."""
    schedule = await schedule_of(session, community)
    zone = communities.zone_of(community)
    last = last_due(schedule, zone, now) if catch_up else None
    if last is not None and now - last <= GRACE:
        posted = await session.scalar(
            select(DigestPost.id).where(
                DigestPost.community_id == community.id,
                DigestPost.period == period_key(last, zone),
            )
        )
        if posted is None:
            return last
    return next_due(schedule, zone, now)


async def covers_from(session: AsyncSession, community: Community) -> datetime:
    """A digest covers the time since the previous one, or since the community began."""
    last = await session.scalar(
        select(func.max(DigestPost.covers_to)).where(DigestPost.community_id == community.id)
    )
    return last if last is not None else community.created_at


@dataclass
class DigestData:
    since: datetime
    until: datetime
    victories: list[Victory] = field(default_factory=list)
    new_ideas: list[Idea] = field(default_factory=list)
    accepted: list[Idea] = field(default_factory=list)  # and not done in the period too
    done: list[Idea] = field(default_factory=list)
    active_members: int = 0
    joined: int = 0
    supports: int = 0
    comments: int = 0

    @property
    def has_news(self) -> bool:
        """Something happened worth telling (figures alone are no news)."""
        return bool(
            self.victories
            or self.new_ideas
            or self.accepted
            or self.done
            or self.supports
            or self.comments
        )


async def _ideas_reaching(
    session: AsyncSession,
    community: Community,
    status: IdeaStatus,
    since: datetime,
    until: datetime,
) -> list[Idea]:
    rows = await session.scalars(
        select(Idea)
        .join(IdeaStatusChange, IdeaStatusChange.idea_id == Idea.id)
        .where(
            Idea.community_id == community.id,
            Idea.hidden.is_(False),
            IdeaStatusChange.new_status == status,
            IdeaStatusChange.created_at >= since,
            IdeaStatusChange.created_at < until,
        )
        .order_by(Idea.number)
        .distinct()
    )
    return list(rows)


def _between(
    column: InstrumentedAttribute[datetime], since: datetime, until: datetime
) -> ColumnElement[bool]:
    return and_(column >= since, column < until)


async def _count(session: AsyncSession, model: type[Base], *conditions: ColumnElement[bool]) -> int:
    statement = select(func.count()).select_from(model).where(*conditions)
    return int(await session.scalar(statement) or 0)


async def collect(
    session: AsyncSession, community: Community, since: datetime, until: datetime
) -> DigestData:
    """What happened in the community between `since` and `until`."""
    data = DigestData(since, until)
    data.victories = await victories.approved_between(session, community, since, until)
    data.new_ideas = list(
        await session.scalars(
            select(Idea)
            .where(
                Idea.community_id == community.id,
                Idea.hidden.is_(False),
                Idea.status != IdeaStatus.WITHDRAWN,
                Idea.created_at >= since,
                Idea.created_at < until,
            )
            .order_by(Idea.number)
        )
    )
    data.done = await _ideas_reaching(session, community, IdeaStatus.DONE, since, until)
    # An idea accepted and done in the same period is told once, as done.
    done = {idea.id for idea in data.done}
    data.accepted = [
        idea
        for idea in await _ideas_reaching(session, community, IdeaStatus.ACCEPTED, since, until)
        if idea.id not in done
    ]
    data.active_members = await _count(
        session,
        Membership,
        Membership.community_id == community.id,
        _between(Membership.last_active_at, since, until),
    )
    data.joined = await _count(
        session,
        Membership,
        Membership.community_id == community.id,
        _between(Membership.joined_at, since, until),
    )
    data.supports = await _count(
        session,
        IdeaSupport,
        IdeaSupport.community_id == community.id,
        _between(IdeaSupport.created_at, since, until),
    )
    data.comments = await _count(
        session,
        IdeaComment,
        IdeaComment.community_id == community.id,
        _between(IdeaComment.created_at, since, until),
    )
    return data


async def claim(
    session: AsyncSession, community: Community, period: str, since: datetime, until: datetime
) -> DigestPost | None:
    """Record the post before it is sent; None when this period's digest went out already."""
    post = DigestPost(community_id=community.id, period=period, covers_from=since, covers_to=until)
    try:
        async with session.begin_nested():
            session.add(post)
    except IntegrityError:
        return None
    return post


async def posted(session: AsyncSession, post_id: int, message_id: int) -> None:
    """Where the claimed digest went out."""
    post = await session.get(DigestPost, post_id)
    if post is not None:
        post.message_id = message_id


async def posts(session: AsyncSession, community: Community) -> list[DigestPost]:
    rows = await session.scalars(
        select(DigestPost)
        .where(DigestPost.community_id == community.id)
        .order_by(DigestPost.posted_at)
    )
    return list(rows)
