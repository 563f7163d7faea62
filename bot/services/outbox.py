"""The outbox: every message the bot will send, written in the transaction of the change it
tells about, so that a change is never told without being stored, nor stored without being
told. `bot.wire.outbox` sends the rows: per chat (a lane) one at a time, oldest first.

A sender claims the oldest row of each lane that has nothing in flight and commits the claim
before the call; several senders (workers on one PostgreSQL) never claim the same row, as the
claim skips rows another transaction holds. A row is deleted once Telegram answered it. A
claim older than its lease belongs to a sender that died (or lost its database); what was in
flight then is settled by `abandon`: a repeatable call (an edit) goes again, a new message is
dropped rather than risk showing it twice. Claims are taken only when the call can leave at
once, so what a crash can drop is the calls that were on the wire.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    String,
    and_,
    bindparam,
    case,
    delete,
    exists,
    func,
    insert,
    null,
    or_,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from sqlalchemy.orm import aliased

from bot.models import OutboxMessage, UTCDateTime, utcnow

NOISE_PER_LANE = 3  # unsent answers to read-only requests a chat may hold; more are dropped
LEASE = timedelta(seconds=60)  # a claim older than this is given up (its sender is gone)
CANDIDATES = 4  # lanes looked at per row claimed (some may have to wait for their limits)
ATTACH = "_attach"  # the key in `params` naming a row's file: [field, file name]


@dataclass(frozen=True)
class Message:
    """A Bot API call to make in `chat_id` (added to `params` when sent)."""

    chat_id: int
    method: str
    params: dict[str, Any]
    coalesce_key: str | None = None
    noise: bool = False
    after_send: str | None = None
    file: Attachment | None = None
    view: str | None = None
    send_by: datetime | None = None  # too late to mean anything after this
    not_before: datetime | None = None  # not sent before (a card edited a moment ago)
    on_refused: str | None = None  # recorded when Telegram refuses the call (bot.services.placed)


@dataclass(frozen=True)
class Attachment:
    """A file uploaded with the call, as its parameter `field` (document, photo)."""

    field: str
    name: str
    content: bytes


@dataclass(frozen=True)
class Claimed:
    id: int
    chat_id: int
    method: str
    params: dict[str, Any]
    after_send: str | None
    attempts: int
    file: Attachment | None = None
    view: str | None = None
    send_by: datetime | None = None
    on_refused: str | None = None

    def call(self) -> dict[str, Any]:
        """The call's parameters, with the lane's chat."""
        return {**self.params, "chat_id": self.chat_id}


def edit_key(message_id: int) -> str:
    """The `coalesce_key` of edits of a message: only the newest unsent one is kept."""
    return f"edit:{message_id}"


@dataclass(frozen=True)
class ClaimAtOnce:
    """Who may claim a row as it is written: `worker`'s sender, for the first row of `chat_id`
    (the chat whose updates the writing transaction holds in order), when that lane is empty
    but for rows `sent` (answered, not yet deleted: the sender deletes them in its next round,
    and a chat's next answer need not wait for that)."""

    worker: str
    chat_id: int
    now: datetime
    sent: Sequence[int] = ()


@dataclass(frozen=True)
class Written:
    kept: int  # rows written (noise beyond the bound is not)
    claimed: list[Claimed]  # rows claimed as they were written (ClaimAtOnce)


async def put(
    session: AsyncSession, messages: Sequence[Message], claim: ClaimAtOnce | None = None
) -> Written:
    """Write `messages` (in order). A message with a `coalesce_key` replaces an unclaimed one
    with the same key in its chat; noise beyond NOISE_PER_LANE unsent noise rows of its chat
    is dropped. With `claim`, the first row of its chat that may go now is claimed in the same
    statement if its lane is empty: the sender takes it after the commit, with no claim of its
    own (a crash before the call settles it as any claim: bot.services.outbox.abandon)."""
    connection = await session.connection()
    kept: list[Message] = []
    noise_seen: dict[int, int] = {}
    for message in messages:
        if message.noise:
            if message.chat_id not in noise_seen:
                noise_seen[message.chat_id] = await _noise_waiting(connection, message.chat_id)
            if noise_seen[message.chat_id] >= NOISE_PER_LANE:
                continue
            noise_seen[message.chat_id] += 1
        if message.coalesce_key is not None:
            lane_key = (message.chat_id, message.coalesce_key)
            await connection.execute(
                _COALESCE, {"chat_id": message.chat_id, "coalesce_key": message.coalesce_key}
            )
            kept = [m for m in kept if (m.chat_id, m.coalesce_key) != lane_key]
        kept.append(message)
    rows = [_row(message) for message in kept]
    if not rows:
        return Written(0, [])
    first = _claimable(kept, claim)
    if claim is None or first is None:
        await connection.execute(_PUT, rows[0] if len(rows) == 1 else rows)
        return Written(len(rows), [])
    before, row, after = rows[:first], rows[first], rows[first + 1 :]
    if before:
        await connection.execute(_PUT, before)
    taken = (
        await connection.execute(
            _PUT_CLAIMING,
            {**row, "worker": claim.worker, "claimed_at": claim.now, "sent": list(claim.sent)},
        )
    ).one()
    if after:
        await connection.execute(_PUT, after)
    if taken.claimed_by is None:
        return Written(len(rows), [])
    return Written(len(rows), [_claimed_as_written(kept[first], taken.id)])


def _row(message: Message) -> dict[str, Any]:
    params = message.params
    if message.file is not None:
        params = {**params, ATTACH: [message.file.field, message.file.name]}
    return {
        "chat_id": message.chat_id,
        "method": message.method,
        "params": json.dumps(params, ensure_ascii=False, separators=(",", ":")),
        "file": message.file.content if message.file is not None else None,
        "coalesce_key": message.coalesce_key,
        "noise": message.noise,
        "after_send": message.after_send,
        "on_refused": message.on_refused,
        "view": message.view,
        "send_by": message.send_by,
        "not_before": message.not_before,
        "attempts": 0,
        "created_at": utcnow(),
    }


def _claimable(messages: list[Message], claim: ClaimAtOnce | None) -> int | None:
    """The index of the message `claim` may take: the first of its chat, if that one is due
    now."""
    if claim is None:
        return None
    for index, message in enumerate(messages):
        if message.chat_id == claim.chat_id:
            return index if message.not_before is None else None
    return None


def _claimed_as_written(message: Message, row_id: int) -> Claimed:
    return Claimed(
        row_id,
        message.chat_id,
        message.method,
        message.params,
        message.after_send,
        1,
        message.file,
        message.view,
        message.send_by,
        message.on_refused,
    )


async def _noise_waiting(connection: AsyncConnection, chat_id: int) -> int:
    return int(await connection.scalar(_NOISE_WAITING, {"chat_id": chat_id}) or 0)


async def claim(
    session: AsyncSession | AsyncConnection,
    worker: str,
    limit: int,
    now: datetime,
    ready: Callable[[int], bool] = lambda _chat_id: True,
) -> list[Claimed]:
    """Claim up to `limit` rows, each the oldest of its lane with nothing older left, in lanes
    that are `ready` (the flood limits let a message to the chat go now): a claimed row is one
    whose call is about to leave. The claim takes only rows nobody claimed meanwhile (another
    sender's transaction that got there first wins; this one skips them)."""
    if limit <= 0:
        return []
    connection = await _connection(session)
    heads = await connection.execute(_HEADS, {"now": now, "candidates": limit * CANDIDATES})
    wanted = [row_id for row_id, chat_id in heads if ready(chat_id)]
    if not wanted:
        return []
    taken = await connection.execute(_CLAIM, {"ids": wanted[:limit], "worker": worker, "now": now})
    return sorted((_claimed(row) for row in taken.mappings()), key=lambda row: row.id)


def _due(rows: Any, now: Any) -> ColumnElement[bool]:
    return or_(rows.not_before.is_(None), rows.not_before <= now)


def _heads() -> Select[int, int]:
    """The oldest row of each lane with no due row before it, due itself and unclaimed. Built
    once: the sender runs it many times a second at saturation."""
    earlier = aliased(OutboxMessage)
    now = bindparam("now", type_=UTCDateTime)
    return (
        select(OutboxMessage.id, OutboxMessage.chat_id)
        .where(
            OutboxMessage.claimed_by.is_(None),
            _due(OutboxMessage, now),
            ~exists().where(
                and_(
                    earlier.chat_id == OutboxMessage.chat_id,
                    earlier.id < OutboxMessage.id,
                    _due(earlier, now),
                )
            ),
        )
        .order_by(OutboxMessage.id)
        .limit(bindparam("candidates"))
    )


_HEADS = _heads()
_CLAIM = (
    update(OutboxMessage)
    .where(
        OutboxMessage.id.in_(bindparam("ids", expanding=True)), OutboxMessage.claimed_by.is_(None)
    )
    .values(
        claimed_by=bindparam("worker"),
        claimed_at=bindparam("now", type_=UTCDateTime),
        attempts=OutboxMessage.attempts + 1,
    )
    .returning(*OutboxMessage.__table__.columns)
)
_PUT = insert(OutboxMessage)


def _put_claiming() -> Any:
    """Insert one row, claimed by `worker` if its lane has no other row than those `sent`
    (else unclaimed)."""
    table = OutboxMessage.__table__
    lane_empty = ~exists().where(
        OutboxMessage.chat_id == bindparam("chat_id"),
        OutboxMessage.id.not_in(bindparam("sent", expanding=True)),
    )
    claimed = {
        "claimed_by": case((lane_empty, bindparam("worker", type_=String)), else_=null()),
        "claimed_at": case((lane_empty, bindparam("claimed_at", type_=UTCDateTime)), else_=null()),
        "attempts": case((lane_empty, 1), else_=0),
    }
    values = {
        column.name: bindparam(column.name, type_=column.type)
        for column in table.columns
        if column.name not in ("id", *claimed)
    }
    return (
        insert(OutboxMessage)
        .values(**values, **claimed)
        .returning(OutboxMessage.id, OutboxMessage.claimed_by)
    )


_PUT_CLAIMING = _put_claiming()
_COALESCE = delete(OutboxMessage).where(
    OutboxMessage.chat_id == bindparam("chat_id"),
    OutboxMessage.coalesce_key == bindparam("coalesce_key"),
    OutboxMessage.claimed_by.is_(None),
)
_NOISE_WAITING = (
    select(func.count())
    .select_from(OutboxMessage)
    .where(OutboxMessage.chat_id == bindparam("chat_id"), OutboxMessage.noise.is_(True))
)
_DONE = delete(OutboxMessage).where(OutboxMessage.id == bindparam("row_id"))


async def claimers(session: AsyncSession, worker: str) -> list[str]:
    """The other senders holding claims now (to find those whose process is gone)."""
    rows = await session.scalars(
        select(OutboxMessage.claimed_by)
        .where(OutboxMessage.claimed_by.is_not(None), OutboxMessage.claimed_by != worker)
        .distinct()
    )
    return [claimer for claimer in rows if claimer is not None]


def _claimed(row: Mapping[Any, Any]) -> Claimed:
    params = json.loads(row["params"])
    attach = params.pop(ATTACH, None)
    content = row["file"]
    file = Attachment(attach[0], attach[1], content) if attach and content is not None else None
    return Claimed(
        row["id"],
        row["chat_id"],
        row["method"],
        params,
        row["after_send"],
        row["attempts"],
        file,
        row["view"],
        row["send_by"],
        row["on_refused"],
    )


async def done(session: AsyncSession | AsyncConnection, row_ids: Sequence[int]) -> None:
    """Telegram answered (or refused for good): the rows are finished."""
    connection = await _connection(session)
    await connection.execute(_DONE, [{"row_id": row_id} for row_id in row_ids])


async def release(session: AsyncSession | AsyncConnection, row_id: int) -> None:
    """The call failed for now (no network): the row goes back to its place in its lane."""
    connection = await _connection(session)
    await connection.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == row_id)
        .values(claimed_by=None, claimed_at=None)
    )


async def renew(session: AsyncSession | AsyncConnection, worker: str, now: datetime) -> None:
    """Keep this sender's claims from expiring while their calls wait or run."""
    connection = await _connection(session)
    await connection.execute(
        update(OutboxMessage).where(OutboxMessage.claimed_by == worker).values(claimed_at=now)
    )


async def _connection(session: AsyncSession | AsyncConnection) -> AsyncConnection:
    """The sender works on a bare connection (bot.db.Database.plain); tests and rare callers
    in a session."""
    return session if isinstance(session, AsyncConnection) else await session.connection()


# Calls that change nothing when made twice: given again after a crash. Any other call in
# flight when its sender died may have reached Telegram or not; made again, it could show a
# message twice, so it is given up (and counted in the log) instead.
REPEATABLE = frozenset(
    {"editMessageText", "editMessageReplyMarkup", "setMessageReaction", "stopPoll", "deleteMessage"}
)


@dataclass(frozen=True)
class Abandoned:
    """Claims given up: rows put back in their lanes, and sends dropped."""

    resent: int
    dropped: int


async def abandon(session: AsyncSession, before: datetime, worker: str | None = None) -> Abandoned:
    """Settle claims made before `before` (their sender is gone), or only `worker`'s: a
    repeatable call goes again, any other is dropped (it may have been sent)."""
    claims: ColumnElement[bool] = OutboxMessage.claimed_by.is_not(None)
    if worker is not None:
        claims = OutboxMessage.claimed_by == worker
    stale = and_(claims, OutboxMessage.claimed_at < before)
    repeatable = OutboxMessage.method.in_(REPEATABLE)
    resent = await session.execute(
        update(OutboxMessage).where(stale, repeatable).values(claimed_by=None, claimed_at=None)
    )
    dropped = await session.execute(delete(OutboxMessage).where(stale, ~repeatable))
    return Abandoned(_count(resent), _count(dropped))


def _count(result: Any) -> int:
    return int(getattr(result, "rowcount", 0) or 0)


async def move_lane(session: AsyncSession, old_chat_id: int, new_chat_id: int) -> None:
    """The group became a supergroup: its unsent messages go to the new chat, in order. The
    old group's messages stay behind, and their ids mean other messages in the new chat: what
    acts on one of them (an edit, a reaction) is dropped, and a message quoting one is sent
    without the quote."""
    lane = await session.scalars(select(OutboxMessage).where(OutboxMessage.chat_id == old_chat_id))
    for row in lane:
        params = json.loads(row.params)
        if "message_id" in params:
            await session.delete(row)
            continue
        if params.pop("reply_parameters", None) is not None:
            row.params = json.dumps(params, ensure_ascii=False, separators=(",", ":"))
        row.chat_id = new_chat_id


async def waiting(session: AsyncSession) -> int:
    """Rows not yet sent (for tests, `villagebot doctor` and benchmarks)."""
    return int(await session.scalar(select(func.count()).select_from(OutboxMessage)) or 0)
