"""The SWOT analysis: inputs in four quadrants, their codes, rounds, and the working group's
tidying (merge, move, hide). Agreement votes and the ranked board: `swot_agreement`.

Whoever adds an input agrees with it (a vote is stored for them), so merging duplicates sums
their authors' support, and nobody is asked to rate their own input.

Codes (S4, W2, O1, T3) are unique per round and never reused: a merged or moved input keeps
its row and code, pointing at the input that replaced it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import cast

from sqlalchemy import ColumnElement, Table, bindparam, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import N_
from bot.models import (
    Choice,
    Community,
    Quadrant,
    SwotAuthor,
    SwotItem,
    SwotRound,
    SwotVote,
    User,
    utcnow,
)
from bot.services import audit, numbering
from bot.services.errors import InvalidInput, NotFound
from bot.services.text import checked

MIN_TEXT = 10
MAX_TEXT = 500
QUADRANTS: tuple[Quadrant, ...] = (Quadrant.S, Quadrant.W, Quadrant.O, Quadrant.T)

# Built once: adding an input is among the commonest updates (bench/).
_CURRENT_ROUND_ID = (
    select(SwotRound.id)
    .where(SwotRound.community_id == bindparam("community_id"))
    .order_by(SwotRound.number.desc())
    .limit(1)
)
_LIVE_TEXTS = select(SwotItem.number, SwotItem.text).where(
    SwotItem.round_id == bindparam("round_id"),
    SwotItem.quadrant == bindparam("quadrant"),
    SwotItem.hidden_at.is_(None),
    SwotItem.replaced_by_id.is_(None),
)
_AUTHOR = insert(cast(Table, SwotAuthor.__table__))
_VOTE = insert(cast(Table, SwotVote.__table__))

# Russian keyboards: С, О and Т look like the Latin letters and are typed for them.
_LOOKALIKES = str.maketrans({"С": "S", "с": "s", "О": "O", "о": "o", "Т": "T", "т": "t"})
_CODE = re.compile(r"^([SWOT])(\d{1,6})$")

NOT_A_CODE = N_("“{code}” is not a SWOT code. Codes look like S4, W2, O1 or T3.")
NO_SUCH_CODE = N_("There is no input {code} in the current SWOT round.")
ROUND_MOVED_ON = N_("A new SWOT round was started already.")
NOT_CURRENT = N_("This input is no longer in the current SWOT round.")


@dataclass(frozen=True)
class Code:
    quadrant: Quadrant
    number: int

    def __str__(self) -> str:
        return f"{self.quadrant.value}{self.number}"


def parse_code(raw: str) -> Code:
    """`S4` (also `s4`, or with a Cyrillic С, О, Т) as a code; InvalidInput otherwise."""
    match = _CODE.match(raw.strip().translate(_LOOKALIKES).upper())
    if match is None:
        raise InvalidInput(NOT_A_CODE, code=raw[:20])
    return Code(Quadrant(match[1]), int(match[2]))


def parse_quadrant(raw: str) -> Quadrant:
    letter = raw.strip().translate(_LOOKALIKES).upper()
    if letter not in Quadrant.__members__:
        raise InvalidInput(N_("Write the letter of a part: S, W, O or T."))
    return Quadrant(letter)


# --- rounds ---------------------------------------------------------------------------------


async def current_round(session: AsyncSession, community_id: int) -> SwotRound | None:
    """The newest round: the one residents add to and the plan uses."""
    return await session.scalar(
        select(SwotRound)
        .where(SwotRound.community_id == community_id)
        .order_by(SwotRound.number.desc())
        .limit(1)
    )


async def _ensure_round(session: AsyncSession, community_id: int, user_id: int) -> SwotRound:
    """The current round; the first input of a community opens round 1."""
    found = await current_round(session, community_id)
    if found is not None:
        return found
    first = SwotRound(community_id=community_id, number=1, started_by_id=user_id)
    try:
        async with session.begin_nested():
            session.add(first)
    except IntegrityError:  # opened at the same moment by someone else
        found = await current_round(session, community_id)
        assert found is not None
        return found
    return first


@dataclass(frozen=True)
class RoundSummary:
    number: int
    inputs: int


async def round_summary(session: AsyncSession, community_id: int) -> RoundSummary:
    current = await current_round(session, community_id)
    if current is None:
        return RoundSummary(0, 0)
    count = await session.scalar(
        select(func.count(SwotItem.id)).where(SwotItem.round_id == current.id, *live())
    )
    return RoundSummary(current.number, count or 0)


async def start_round(
    session: AsyncSession, community: Community, actor: User, expected: int
) -> SwotRound:
    """Archive round `expected` and open the next; a stale or repeated request changes nothing."""
    current = await current_round(session, community.id)
    if (current.number if current else 0) != expected:
        raise InvalidInput(ROUND_MOVED_ON)
    fresh = SwotRound(community_id=community.id, number=expected + 1, started_by_id=actor.id)
    try:
        async with session.begin_nested():
            session.add(fresh)
    except IntegrityError as exc:
        raise InvalidInput(ROUND_MOVED_ON) from exc
    if current is not None:
        current.archived_at = fresh.started_at
    await audit.record(session, community.id, actor.id, "swot_round", number=fresh.number)
    return fresh


# --- inputs ---------------------------------------------------------------------------------


def live() -> tuple[ColumnElement[bool], ...]:
    return (SwotItem.hidden_at.is_(None), SwotItem.replaced_by_id.is_(None))


async def _new_item(
    session: AsyncSession,
    round_id: int,
    community_id: int,
    quadrant: Quadrant,
    text: str,
    created_at: datetime | None = None,
) -> SwotItem:
    """An input with the next free number of its quadrant; the unique code settles races."""
    return await numbering.insert_numbered(
        session,
        SwotItem,
        {"round_id": round_id, "quadrant": quadrant},
        {"community_id": community_id, "text": text, "created_at": created_at or utcnow()},
    )


async def add_item(
    session: AsyncSession, community: Community, author: User, quadrant: Quadrant, raw: str
) -> SwotItem:
    """A resident's input, 10-500 characters; its author agrees with it."""
    text = checked(raw, minimum=MIN_TEXT, maximum=MAX_TEXT)
    round_id = await session.scalar(_CURRENT_ROUND_ID, {"community_id": community.id})
    if round_id is None:
        round_id = (await _ensure_round(session, community.id, author.id)).id
    same = text.casefold()
    for number, existing in await session.execute(
        _LIVE_TEXTS, {"round_id": round_id, "quadrant": quadrant}
    ):
        if existing.casefold() == same:
            raise InvalidInput(
                N_("That is on the board already as {code}. Rate it with /swotvote."),
                code=str(Code(quadrant, number)),
            )
    item = await _new_item(session, round_id, community.id, quadrant, text)
    key = {"community_id": community.id, "item_id": item.id, "user_id": author.id}
    await session.execute(_AUTHOR, key)
    await session.execute(_VOTE, {**key, "choice": Choice.AGREE})
    return item


async def _by_code(session: AsyncSession, round_: SwotRound, code: Code) -> SwotItem:
    item = await session.scalar(
        select(SwotItem).where(
            SwotItem.round_id == round_.id,
            SwotItem.quadrant == code.quadrant,
            SwotItem.number == code.number,
        )
    )
    if item is None:
        raise NotFound(NO_SUCH_CODE, code=str(code))
    return item


async def replacement(session: AsyncSession, item: SwotItem) -> SwotItem:
    """The live input a merged or moved one now lives on in."""
    seen = {item.id}
    while item.replaced_by_id is not None:
        following = await session.get(SwotItem, item.replaced_by_id)
        if following is None or following.id in seen:
            break
        seen.add(following.id)
        item = following
    return item


async def _live_item(session: AsyncSession, community_id: int, code: Code) -> SwotItem:
    """The input with this code in the current round, if it is still shown."""
    round_ = await current_round(session, community_id)
    if round_ is None:
        raise NotFound(NO_SUCH_CODE, code=str(code))
    item = await _by_code(session, round_, code)
    if item.replaced_by_id is not None:
        now = await replacement(session, item)
        raise InvalidInput(
            N_("{code} was merged or moved: it is {current} now."), code=item.code, current=now.code
        )
    if item.hidden_at is not None:
        raise InvalidInput(N_("{code} is hidden."), code=item.code)
    return item


async def _absorb(session: AsyncSession, source: SwotItem, target: SwotItem) -> None:
    """`target` takes over `source`'s votes and authors; who had both keeps target's one."""
    for model in (SwotVote, SwotAuthor):
        on_target = select(model.user_id).where(model.item_id == target.id)
        await session.execute(
            update(model)
            .where(model.item_id == source.id, model.user_id.not_in(on_target))
            .values(item_id=target.id)
        )
        await session.execute(delete(model).where(model.item_id == source.id))
    await session.execute(
        update(SwotItem)
        .where(SwotItem.replaced_by_id == source.id)
        .values(replaced_by_id=target.id)
    )
    source.replaced_by_id = target.id
    await session.flush()


async def current_by_id(session: AsyncSession, community_id: int, item_id: int) -> SwotItem:
    """The input a button or the board names, if it is of this community's current round
    (shown, hidden, or merged away); NotFound for any other, another village's too."""
    item = await session.get(SwotItem, item_id)
    current = await current_round(session, community_id)
    if item is None or current is None or item.round_id != current.id:
        raise NotFound(NOT_CURRENT)
    return item


async def live_by_id(session: AsyncSession, community_id: int, item_id: int) -> SwotItem:
    """The input a button or the board names, if it is of this community's current round and
    still shown."""
    item = await current_by_id(session, community_id, item_id)
    return await _live_item(session, community_id, Code(item.quadrant, item.number))


def _mergeable(merged: SwotItem, kept: SwotItem) -> tuple[SwotItem, SwotItem]:
    if merged.id == kept.id:
        raise InvalidInput(N_("Give two different codes, e.g. /swotmerge S4 S2."))
    if merged.quadrant != kept.quadrant:
        raise InvalidInput(
            N_(
                "{source} and {target} are in different parts: only inputs of one part are "
                "merged. Move it first: /swotmove {source} {part}, then merge."
            ),
            source=merged.code,
            target=kept.code,
            part=kept.quadrant.value,
        )
    return merged, kept


async def merge_pair(
    session: AsyncSession, community_id: int, source: Code, target: Code
) -> tuple[SwotItem, SwotItem]:
    """The two inputs `/swotmerge S4 S2` names, if they may be merged: the leader is asked
    before anything changes."""
    if source == target:
        raise InvalidInput(N_("Give two different codes, e.g. /swotmerge S4 S2."))
    return _mergeable(
        await _live_item(session, community_id, source),
        await _live_item(session, community_id, target),
    )


async def merge(
    session: AsyncSession, community: Community, actor: User, source_id: int, target_id: int
) -> tuple[SwotItem, SwotItem]:
    """The confirmed merge: `source` goes into `target`, which remains. Checked again, since
    the question may be answered much later."""
    merged, kept = _mergeable(
        await live_by_id(session, community.id, source_id),
        await live_by_id(session, community.id, target_id),
    )
    await _absorb(session, merged, kept)
    await audit.record(
        session, community.id, actor.id, "swot_merge", source=merged.code, target=kept.code
    )
    return merged, kept


async def move(
    session: AsyncSession, community: Community, actor: User, code: Code, quadrant: Quadrant
) -> tuple[SwotItem, SwotItem]:
    """`/swotmove S4 O`: the input gets the next code of that quadrant, votes and all."""
    item = await _live_item(session, community.id, code)
    if item.quadrant == quadrant:
        raise InvalidInput(N_("{code} is in that part already."), code=item.code)
    moved = await _new_item(
        session, item.round_id, community.id, quadrant, item.text, item.created_at
    )
    await _absorb(session, item, moved)
    await audit.record(
        session, community.id, actor.id, "swot_move", source=item.code, target=moved.code
    )
    return item, moved


async def shown(session: AsyncSession, community_id: int, code: Code) -> SwotItem:
    """The input with this code, if it is on the board and rated (for `/swothide S4`, which
    asks first, and `/swotvote S4`)."""
    return await _live_item(session, community_id, code)


async def hide(session: AsyncSession, community: Community, actor: User, item_id: int) -> SwotItem:
    """An abusive input leaves the board and the voting; the audit log keeps what it said, and
    `unhide` brings it back with its votes."""
    item = await live_by_id(session, community.id, item_id)
    item.hidden_at = utcnow()
    item.hidden_by_id = actor.id
    await audit.record(session, community.id, actor.id, "swot_hide", code=item.code, text=item.text)
    return item


async def hidden_item(session: AsyncSession, community_id: int, code: Code) -> SwotItem:
    """The input `/swotunhide S4` names, if it is hidden."""
    round_ = await current_round(session, community_id)
    if round_ is None:
        raise NotFound(NO_SUCH_CODE, code=str(code))
    item = await _by_code(session, round_, code)
    if item.hidden_at is None:
        raise InvalidInput(N_("{code} is not hidden."), code=item.code)
    return item


async def unhide(
    session: AsyncSession, community: Community, actor: User, item_id: int
) -> SwotItem:
    """A hidden input of the current round is on the board and rated again, votes and all."""
    item = await current_by_id(session, community.id, item_id)
    if item.hidden_at is None:
        raise InvalidInput(N_("{code} is not hidden."), code=item.code)
    item.hidden_at = None
    item.hidden_by_id = None
    await audit.record(session, community.id, actor.id, "swot_unhide", code=item.code)
    return item
