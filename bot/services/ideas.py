"""Ideas: submit (after a similarity check), support, comment, triage, and track to done."""

from __future__ import annotations

import unicodedata
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any, cast

from rapidfuzz import fuzz, process, utils
from sqlalchemy import ColumnElement, Table, bindparam, delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from sqlalchemy.orm.attributes import set_committed_value

from bot.i18n import N_, n_
from bot.models import (
    OPEN_STATUSES,
    Community,
    Idea,
    IdeaArea,
    IdeaComment,
    IdeaDraft,
    IdeaStatus,
    IdeaStatusChange,
    IdeaSupport,
    User,
    utcnow,
)
from bot.services import audit, numbering, per_member, text
from bot.services.errors import InvalidInput, NotAllowed, NotFound

IDEA_MIN, IDEA_MAX = 10, 1000
COMMENT_MIN, COMMENT_MAX = 2, 1000
REASON_MAX = 500
FUNDING_MAX = 200
COST_MAX_EUROS = Decimal("100000000")
RATE_LIMIT = 5
RATE_WINDOW = timedelta(minutes=10)
DRAFT_LIFETIME = timedelta(days=1)
TOO_MANY_IDEAS = n_(
    "Thank you for so many ideas at once! Please wait {n} minute before the next one.",
    "Thank you for so many ideas at once! Please wait {n} minutes before the next one.",
)
COMPARABLE_CACHE = 20_000  # idea texts kept in comparable form (a few MB at most)

# Built once: every /idea runs these (bench/: an idea cost 4.5 ms of CPU with them built per
# call, an ORM insert in a savepoint and a second insert flushed; 2.7 ms now).
# When a member's latest ideas were shared, newest first (RATE_LIMIT of them).
_RECENT = (
    select(Idea.created_at)
    .where(
        Idea.community_id == bindparam("community_id"),
        Idea.author_id == bindparam("author_id"),
        Idea.created_at > bindparam("since"),
    )
    .order_by(Idea.created_at.desc())
    .limit(RATE_LIMIT)
)
_HISTORY = insert(cast(Table, IdeaStatusChange.__table__))
_IDEAS = cast(Table, Idea.__table__)
_COUNT_SUPPORT = (
    update(_IDEAS)
    .where(_IDEAS.c.id == bindparam("idea_id"))
    .values(support_count=_IDEAS.c.support_count + bindparam("change"))
    .returning(_IDEAS.c.support_count)
)
_SET_CARD = (
    update(_IDEAS)
    .where(_IDEAS.c.id == bindparam("idea_id"))
    .values(card_chat_id=bindparam("chat"), card_message_id=bindparam("message"))
)


SIMILARITY_THRESHOLD = 80
PAGE_SIZE = 5
REJECTION_NEEDS_REASON = N_(
    "Please give a reason for the rejection, for example: /status {number} rejected "
    "The land belongs to the railway."
)

# Statuses a leader can set (withdrawn is the author's own).
LEADER_STATUSES = (
    IdeaStatus.NEW,
    IdeaStatus.DISCUSSION,
    IdeaStatus.ACCEPTED,
    IdeaStatus.PROGRESS,
    IdeaStatus.DONE,
    IdeaStatus.REJECTED,
)


@dataclass(frozen=True)
class Similar:
    idea: Idea
    score: float


@dataclass(frozen=True)
class StatusChanged:
    idea: Idea
    old: IdeaStatus
    new: IdeaStatus
    reason: str | None


# --- finding ideas --------------------------------------------------------------------------


async def by_id(session: AsyncSession, idea_id: int) -> Idea | None:
    return await session.get(Idea, idea_id)


async def by_number(
    session: AsyncSession, community: Community, number: int, *, include_hidden: bool = False
) -> Idea:
    idea = await session.scalar(
        select(Idea).where(Idea.community_id == community.id, Idea.number == number)
    )
    if idea is None or (idea.hidden and not include_hidden):
        raise NotFound(N_("There is no idea #{number} in this village group."), number=number)
    return idea


def parse_number(word: str) -> int | None:
    """`5` or `#5`, else None."""
    word = word.strip().removeprefix("#")
    return text.whole_number(word)


# --- submitting -----------------------------------------------------------------------------


async def check_submission(
    session: AsyncSession,
    community: Community,
    author: User,
    raw: str,
    *,
    is_leader: Callable[[], Awaitable[bool]] | None = None,
) -> str:
    """The cleaned text, if the member may submit it now (length and flood limits). Leaders
    have no flood limit: they type in what a meeting collected. `is_leader` is asked only
    when the limit is reached (it may cost a query and a Telegram call)."""
    cleaned = text.checked(raw, minimum=IDEA_MIN, maximum=IDEA_MAX)
    now = utcnow()
    recent = list(
        await session.scalars(
            _RECENT,
            {"community_id": community.id, "author_id": author.id, "since": now - RATE_WINDOW},
        )
    )
    if len(recent) >= RATE_LIMIT and not (is_leader is not None and await is_leader()):
        # The oldest of them leaves the window first; the wait is rounded up to whole minutes.
        wait = recent[-1] + RATE_WINDOW - now
        minutes = max(1, -(-int(wait.total_seconds()) // 60))
        raise InvalidInput(TOO_MANY_IDEAS, n=minutes)
    return cleaned


@lru_cache(maxsize=COMPARABLE_CACHE)
def _comparable(value: str) -> str:
    """Lower case without diacritics (ā→a, ё→е), so spelling without them still matches."""
    decomposed = unicodedata.normalize("NFKD", value.lower().replace("ё", "е"))
    return utils.default_process("".join(c for c in decomposed if not unicodedata.combining(c)))


async def similar(
    session: AsyncSession, community: Community, proposal: str, limit: int = 3
) -> list[Similar]:
    """Open ideas of the community that look like the proposal, most alike first."""
    rows = list(await session.execute(_OPEN_TEXTS, {"community_id": community.id}))
    if not rows:
        return []
    choices = {idea_id: _comparable(body) for idea_id, body in rows}
    matches = process.extract(
        _comparable(proposal),
        choices,
        scorer=fuzz.token_set_ratio,
        score_cutoff=SIMILARITY_THRESHOLD,
        limit=limit,
        processor=None,
    )
    if not matches:
        return []
    matched = [key for _choice, _score, key in matches]
    ideas = {i.id: i for i in await session.scalars(select(Idea).where(Idea.id.in_(matched)))}
    found = [Similar(ideas[key], score) for _choice, score, key in matches]
    return sorted(found, key=lambda s: (-s.score, -s.idea.support_count, s.idea.number))


async def submit(
    session: AsyncSession,
    community: Community,
    author: User,
    cleaned: str,
    *,
    anonymous: bool = False,
) -> Idea:
    """Record the idea with the community's next number (see bot.services.numbering)."""
    idea = await numbering.insert_numbered(
        session,
        Idea,
        {"community_id": community.id},
        {"author_id": author.id, "anonymous": anonymous, "text": cleaned},
    )
    await session.execute(
        _HISTORY,
        {
            "community_id": community.id,
            "idea_id": idea.id,
            "actor_id": author.id,
            "new_status": IdeaStatus.NEW,
        },
    )
    return idea


async def save_draft(
    session: AsyncSession, community: Community, author: User, cleaned: str
) -> IdeaDraft:
    await session.execute(delete(IdeaDraft).where(IdeaDraft.created_at < utcnow() - DRAFT_LIFETIME))
    draft = IdeaDraft(community_id=community.id, author_id=author.id, text=cleaned)
    session.add(draft)
    await session.flush()
    return draft


async def take_draft(session: AsyncSession, draft_id: int, author: User) -> IdeaDraft:
    """The author's draft, removed from the drafts; NotFound if gone or someone else's."""
    draft = await session.get(IdeaDraft, draft_id)
    if draft is None or draft.created_at < utcnow() - DRAFT_LIFETIME:
        raise NotFound(N_("This draft is no longer here. Please send the idea again."))
    if draft.author_id != author.id:
        raise NotAllowed(N_("Only the author of this idea can choose."))
    await session.delete(draft)
    await session.flush()
    return draft


def choose_area(idea: Idea, user: User, area: IdeaArea, *, leader: bool = False) -> bool:
    """The author or a leader sets the area; False if unchanged."""
    if idea.author_id != user.id and not leader:
        raise NotAllowed(N_("Only the idea's author or a leader can choose its area."))
    if idea.area == area:
        return False
    idea.area = area
    return True


# --- supporting and commenting ----------------------------------------------------------------


def open_for_support(idea: Idea) -> bool:
    """Whether members may support the idea (or take their support back): not once it is
    hidden, withdrawn or rejected."""
    return not idea.hidden and idea.status not in (IdeaStatus.WITHDRAWN, IdeaStatus.REJECTED)


def _check_open_for_support(idea: Idea) -> None:
    if not open_for_support(idea):
        raise InvalidInput(N_("This idea can no longer be supported."))


async def toggle_support(session: AsyncSession, idea: Idea, user: User) -> bool:
    """Support, or take the support back; returns whether the member now supports the idea."""
    supports, changed = await per_member.toggle(
        session,
        IdeaSupport,
        {"idea_id": idea.id, "user_id": user.id},
        {"community_id": idea.community_id},
        lambda: _check_open_for_support(idea),
    )
    if changed:
        await _count_supports(session, idea, +1 if supports else -1)
    return supports


async def ensure_support(session: AsyncSession, idea: Idea, user: User) -> bool:
    """Support the idea if the member does not yet (never takes a support back)."""
    already = await session.scalar(
        select(IdeaSupport.id).where(IdeaSupport.idea_id == idea.id, IdeaSupport.user_id == user.id)
    )
    return False if already is not None else await toggle_support(session, idea, user)


async def _count_supports(session: AsyncSession, idea: Idea, change: int) -> None:
    """Counted in the database (two presses at once both count) and read back in one step."""
    count = await session.scalar(_COUNT_SUPPORT, {"idea_id": idea.id, "change": change})
    set_committed_value(idea, "support_count", count)


async def other_supporters(session: AsyncSession, idea: Idea) -> int:
    """How many support the idea besides its author (who may support their own): the residents
    thanked "and the N who supported it" next to the author."""
    conditions = [IdeaSupport.idea_id == idea.id]
    if idea.author_id is not None:
        conditions.append(IdeaSupport.user_id != idea.author_id)
    count = await session.scalar(select(func.count()).select_from(IdeaSupport).where(*conditions))
    return int(count or 0)


async def supporters(session: AsyncSession, idea: Idea) -> list[int]:
    rows = await session.scalars(select(IdeaSupport.user_id).where(IdeaSupport.idea_id == idea.id))
    return list(rows)


async def add_comment(session: AsyncSession, idea: Idea, author: User, raw: str) -> IdeaComment:
    if idea.hidden:
        raise NotFound(N_("There is no idea #{number} in this village group."), number=idea.number)
    cleaned = text.checked(raw, minimum=COMMENT_MIN, maximum=COMMENT_MAX)
    comment = IdeaComment(
        community_id=idea.community_id, idea_id=idea.id, author_id=author.id, text=cleaned
    )
    session.add(comment)
    idea.comment_count += 1
    await session.flush()
    return comment


async def latest_comments(session: AsyncSession, idea: Idea, limit: int = 5) -> list[IdeaComment]:
    rows = await session.scalars(
        select(IdeaComment)
        .where(IdeaComment.idea_id == idea.id)
        .order_by(IdeaComment.created_at.desc(), IdeaComment.id.desc())
        .limit(limit)
    )
    return list(reversed(list(rows)))


async def history(session: AsyncSession, idea: Idea, limit: int = 10) -> list[IdeaStatusChange]:
    rows = await session.scalars(
        select(IdeaStatusChange)
        .where(IdeaStatusChange.idea_id == idea.id)
        .order_by(IdeaStatusChange.created_at.desc(), IdeaStatusChange.id.desc())
        .limit(limit)
    )
    return list(reversed(list(rows)))


# --- triage and tracking (leaders) ------------------------------------------------------------


def parse_status(
    word: str,
    aliases: dict[str, IdeaStatus] | None = None,
    shown: Sequence[str] | None = None,
) -> IdeaStatus:
    """The fixed words (new, discussion, accepted, progress, done, rejected) or a translated one.
    A word that is neither is refused with the `shown` words (the reader's own; the fixed
    words when none are given)."""
    key = word.strip().lower()
    for status in LEADER_STATUSES:
        if key == status.value:
            return status
    if aliases and key in aliases:
        return aliases[key]
    raise InvalidInput(
        N_("“{word}” is not a status. Use one of: {statuses}."),
        word=word[:40],
        statuses=", ".join(shown or [s.value for s in LEADER_STATUSES]),
    )


async def set_status(
    session: AsyncSession,
    idea: Idea,
    actor: User,
    status: IdeaStatus,
    reason: str | None = None,
) -> StatusChanged:
    """Leaders may move an idea to any status; a rejection needs a reason. Recorded and audited."""
    if idea.status == IdeaStatus.WITHDRAWN:
        raise InvalidInput(N_("The author withdrew this idea; its status can't change."))
    if status not in LEADER_STATUSES:
        raise InvalidInput(N_("Only the author can withdraw an idea."))
    if idea.status == status:
        raise InvalidInput(N_("Idea #{number} has this status already."), number=idea.number)
    cleaned = text.clean(reason or "") or None
    if status == IdeaStatus.REJECTED and not cleaned:
        raise InvalidInput(REJECTION_NEEDS_REASON, number=idea.number)
    if cleaned is not None and len(cleaned) > REASON_MAX:
        raise InvalidInput(text.TOO_LONG, n=REASON_MAX, length=len(cleaned))
    old = idea.status
    idea.status = status
    if status == IdeaStatus.DONE:
        idea.progress = 100
    session.add(
        IdeaStatusChange(
            community_id=idea.community_id,
            idea_id=idea.id,
            actor_id=actor.id,
            old_status=old,
            new_status=status,
            reason=cleaned if status == IdeaStatus.REJECTED else None,
        )
    )
    await audit.record(
        session, idea.community_id, actor.id, "idea-status", idea=idea.number, status=status.value
    )
    return StatusChanged(idea, old, status, cleaned)


async def withdraw(session: AsyncSession, idea: Idea, user: User) -> None:
    if idea.author_id != user.id:
        raise NotAllowed(N_("Only the author can withdraw an idea."))
    if idea.status != IdeaStatus.NEW:
        raise InvalidInput(
            N_("An idea can be withdrawn only while it is new; this one is already being handled.")
        )
    idea.status = IdeaStatus.WITHDRAWN
    session.add(
        IdeaStatusChange(
            community_id=idea.community_id,
            idea_id=idea.id,
            actor_id=user.id,
            old_status=IdeaStatus.NEW,
            new_status=IdeaStatus.WITHDRAWN,
        )
    )
    await session.flush()


async def hide(session: AsyncSession, idea: Idea, actor: User) -> bool:
    """Hide an abusive idea from everyone; audit-logged. False if it was hidden already."""
    if idea.hidden:
        return False
    idea.hidden = True
    await audit.record(
        session, idea.community_id, actor.id, "idea-hide", idea=idea.number, text=idea.text[:200]
    )
    return True


async def unhide(session: AsyncSession, idea: Idea, actor: User) -> None:
    """A hidden idea is shown again as it was, supports and all; audit-logged."""
    if not idea.hidden:
        raise InvalidInput(N_("Idea #{number} is not hidden."), number=idea.number)
    idea.hidden = False
    await audit.record(session, idea.community_id, actor.id, "idea-unhide", idea=idea.number)


def parse_cost(word: str) -> int:
    """Euros as typed (`1200`, `1 200,50`, `€1200`) → cents."""
    cleaned = word.replace("€", "").replace("EUR", "").replace(" ", "").replace(",", ".")
    try:
        euros = Decimal(cleaned)
    except InvalidOperation as exc:
        raise InvalidInput(
            N_("“{value}” is not an amount in euros. Write it like 1200 or 1200.50."),
            value=word[:40],
        ) from exc
    if not euros.is_finite() or euros < 0 or euros > COST_MAX_EUROS:
        raise InvalidInput(
            N_("“{value}” is not an amount in euros. Write it like 1200 or 1200.50."),
            value=word[:40],
        )
    return int((euros * 100).to_integral_value())


def parse_progress(word: str) -> int:
    percent = text.whole_number(word.strip().removesuffix("%"))
    if percent is None or percent > 100:
        raise InvalidInput(N_("Progress is a percentage from 0 to 100, like 40."))
    return percent


async def set_tracking(
    session: AsyncSession,
    idea: Idea,
    actor: User,
    *,
    owner: User | None = None,
    clear_owner: bool = False,
    cost_cents: int | None = None,
    funding_source: str | None = None,
    progress: int | None = None,
    area: IdeaArea | None = None,
) -> None:
    """Owner, cost estimate, funding source, progress, area: what the plan's action and budget
    use, set by a leader."""
    changes: dict[str, object] = {}
    if area is not None:
        choose_area(idea, actor, area, leader=True)
        changes["area"] = area.value
    if owner is not None or clear_owner:
        idea.owner_id = owner.id if owner is not None else None
        changes["owner"] = idea.owner_id
    if cost_cents is not None:
        idea.cost_cents = cost_cents
        changes["cost_cents"] = cost_cents
    if funding_source is not None:
        cleaned = text.checked(funding_source, minimum=2, maximum=FUNDING_MAX)
        idea.funding_source = cleaned
        changes["funding"] = cleaned
    if progress is not None:
        idea.progress = progress
        changes["progress"] = progress
    await audit.record(
        session, idea.community_id, actor.id, "idea-track", idea=idea.number, **changes
    )


# --- lists ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    ideas: list[Idea]
    total: int
    page: int
    pages: int


async def open_ideas(
    session: AsyncSession, community: Community, *, area: IdeaArea | None = None, page: int = 0
) -> Page:
    """Open ideas, most supported first, PAGE_SIZE per page; `other` includes ideas without an
    area chosen yet. The page and the total come in one plain query, the ideas outside the
    session (a page is only shown); only a page past the end (the list shrank since it was
    shown) takes a second look, at the last page."""
    rule = "all" if area is None else "other" if area == IdeaArea.OTHER else "one"
    parameters: dict[str, Any] = {"community_id": community.id, "area": area}
    page = max(page, 0)
    rows = (await session.execute(_OPEN_PAGE[rule], {**parameters, "skip": page * PAGE_SIZE})).all()
    if not rows and page > 0:
        total = await session.scalar(_OPEN_COUNT[rule], parameters) or 0
        page = max(1, -(-total // PAGE_SIZE)) - 1
        rows = (
            await session.execute(_OPEN_PAGE[rule], {**parameters, "skip": page * PAGE_SIZE})
        ).all()
    total = rows[0].total if rows else 0
    listed = [_detached_idea(row._mapping) for row in rows]
    return Page(listed, total, page, max(1, -(-total // PAGE_SIZE)))


def _open_conditions(rule: str) -> list[ColumnElement[bool]]:
    """Open ideas of a community: of all areas, of one, or of "other" (also none chosen)."""
    conditions = [
        Idea.community_id == bindparam("community_id"),
        Idea.status.in_(OPEN_STATUSES),
        Idea.hidden.is_(False),
    ]
    if rule == "other":
        conditions.append((Idea.area == bindparam("area")) | Idea.area.is_(None))
    elif rule == "one":
        conditions.append(Idea.area == bindparam("area"))
    return conditions


# Built once: paging through /ideas is among the commonest updates (bench/).
_OPEN_PAGE = {
    rule: select(_IDEAS, func.count().over().label("total"))
    .where(*_open_conditions(rule))
    .order_by(Idea.support_count.desc(), Idea.number)
    .offset(bindparam("skip"))
    .limit(PAGE_SIZE)
    for rule in ("all", "one", "other")
}
_OPEN_COUNT = {
    rule: select(func.count()).select_from(Idea).where(*_open_conditions(rule))
    for rule in ("all", "one", "other")
}
_OPEN_TEXTS = select(Idea.id, Idea.text).where(*_open_conditions("all"))


async def top_open(session: AsyncSession, community: Community, limit: int) -> list[Idea]:
    """The most supported open ideas (for /ideapoll and the agenda)."""
    rows = await session.scalars(
        select(Idea)
        .where(
            Idea.community_id == community.id,
            Idea.status.in_(OPEN_STATUSES),
            Idea.hidden.is_(False),
        )
        .order_by(Idea.support_count.desc(), Idea.number)
        .limit(limit)
    )
    return list(rows)


async def in_status(session: AsyncSession, community: Community, status: IdeaStatus) -> list[Idea]:
    rows = await session.scalars(
        select(Idea)
        .where(Idea.community_id == community.id, Idea.status == status, Idea.hidden.is_(False))
        .order_by(Idea.number)
    )
    return list(rows)


_PRESSED = select(_IDEAS).where(_IDEAS.c.id == bindparam("idea_id"))


async def pressed(session: AsyncSession, idea_id: int) -> Idea | None:
    """The idea behind a support button, read by one plain query and kept out of the session:
    a support press reads it and counts on it (`toggle_support`), and nothing else changes it.
    Presses are the commonest update; loading a session object cost twice as much."""
    found = (await session.execute(_PRESSED, {"idea_id": idea_id})).first()
    return _detached_idea(found._mapping) if found is not None else None


def _detached_idea(values: Any) -> Idea:
    return Idea(**{column.key: values[column] for column in _IDEAS.c})


CardView = tuple[Idea, str, str | None]  # the idea, its village's language, its author's name
_CARD_VIEW = (
    select(_IDEAS, Community.language, User.first_name, User.last_name, User.username)
    .join(Community, Community.id == _IDEAS.c.community_id)
    .outerjoin(User, User.id == _IDEAS.c.author_id)
    .where(_IDEAS.c.id == bindparam("idea_id"))
)


async def card_view(connection: AsyncConnection, idea_id: int) -> CardView | None:
    """What an idea's card shows now: the idea (not in any session), the village's language and
    the author's name (None for people who asked to be forgotten). One plain query, as every
    support press redraws a card."""
    found = (await connection.execute(_CARD_VIEW, {"idea_id": idea_id})).first()
    if found is None:
        return None
    values = found._mapping
    idea = _detached_idea(values)
    author = User(
        first_name=values["first_name"], last_name=values["last_name"], username=values["username"]
    )
    return idea, values["language"], author.display_name or None


async def set_card(
    connection: AsyncConnection, idea_id: int, chat_id: int, message_id: int
) -> None:
    """Where the idea's card is (after every new idea is posted)."""
    await connection.execute(
        _SET_CARD, {"idea_id": idea_id, "chat": chat_id, "message": message_id}
    )
