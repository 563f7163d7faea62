"""The outbox's rules: lanes in order with one row in flight each, claims that never overlap
(also between two senders on PostgreSQL), coalesced cards, bounded noise, expired claims."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from bot.db import Database
from bot.models import utcnow
from bot.services import outbox


def _text(chat_id: int, text: str, **kwargs: object) -> outbox.Message:
    return outbox.Message(chat_id, "sendMessage", {"text": text}, **kwargs)  # type: ignore[arg-type]


async def _put(db: Database, *messages: outbox.Message) -> int:
    async with db.transaction() as session:
        return (await outbox.put(session, messages)).kept


async def _claim(db: Database, worker: str = "w1", limit: int = 10) -> list[outbox.Claimed]:
    async with db.transaction() as session:
        return await outbox.claim(session, worker, limit, utcnow())


async def _done(db: Database, *rows: outbox.Claimed) -> None:
    async with db.transaction() as session:
        for row in rows:
            await outbox.done(session, [row.id])


def _texts(rows: list[outbox.Claimed]) -> list[str]:
    return [row.params["text"] for row in rows]


async def test_each_lane_gives_its_oldest_row_and_nothing_more_while_it_is_in_flight(
    db: Database,
) -> None:
    await _put(db, _text(1, "a1"), _text(2, "b1"), _text(1, "a2"), _text(2, "b2"))
    first = await _claim(db)
    assert _texts(first) == ["a1", "b1"]
    assert first[0].call() == {"text": "a1", "chat_id": 1}
    assert await _claim(db) == []  # both lanes have a row in flight
    await _done(db, first[0])
    assert _texts(await _claim(db)) == ["a2"]  # lane 1 goes on; lane 2 still waits for b1


async def test_a_released_row_keeps_its_place_in_its_lane(db: Database) -> None:
    await _put(db, _text(1, "first"), _text(1, "second"))
    (row,) = await _claim(db)
    async with db.transaction() as session:
        await outbox.release(session, row.id)
    again = await _claim(db)
    assert _texts(again) == ["first"]
    assert again[0].attempts == 2


async def test_a_card_edit_replaces_the_unsent_one_but_not_the_one_in_flight(
    db: Database,
) -> None:
    def edit(text: str) -> outbox.Message:
        return _text(-5, text, coalesce_key="edit:7")

    await _put(db, edit("1 support"))
    (in_flight,) = await _claim(db)
    await _put(db, edit("2 supports"))
    await _put(db, edit("3 supports"), _text(-5, "thanks"))
    await _put(db, edit("4 supports"))
    await _done(db, in_flight)
    assert _texts(await _claim(db)) == ["thanks"]
    async with db.transaction() as session:
        assert await outbox.waiting(session) == 2  # "thanks" in flight, "4 supports" waiting


async def test_noise_beyond_the_lane_bound_is_dropped_and_work_never_is(db: Database) -> None:
    noise = [_text(1, f"help {n}", noise=True) for n in range(outbox.NOISE_PER_LANE + 5)]
    kept = await _put(db, *noise, _text(1, "idea saved"), _text(2, "help", noise=True))
    assert kept == outbox.NOISE_PER_LANE + 2
    assert await _put(db, _text(1, "more help", noise=True)) == 0
    assert await _put(db, _text(1, "support counted")) == 1


async def test_an_abandoned_edit_goes_again_and_an_abandoned_message_is_dropped(
    db: Database,
) -> None:
    """A sender died with calls in flight: an edit is safe to make twice, a new message is not
    (Telegram may have it already)."""
    edit = outbox.Message(1, "editMessageText", {"message_id": 3, "text": "2 supports"})
    await _put(db, _text(2, "saved"), edit, _text(2, "next"))
    assert len(await _claim(db, "gone")) == 2
    async with db.transaction() as session:
        nothing = await outbox.abandon(session, utcnow() - timedelta(seconds=60))
        settled = await outbox.abandon(session, utcnow() + timedelta(seconds=1))
    assert nothing == outbox.Abandoned(resent=0, dropped=0)
    assert settled == outbox.Abandoned(resent=1, dropped=1)
    again = await _claim(db, "new")
    assert [(r.chat_id, r.method) for r in again] == [(1, "editMessageText"), (2, "sendMessage")]
    assert _texts(again) == ["2 supports", "next"]


async def test_renewed_claims_do_not_expire(db: Database) -> None:
    await _put(db, _text(1, "a"))
    await _claim(db, "alive")
    later = utcnow() + timedelta(minutes=5)
    async with db.transaction() as session:
        await outbox.renew(session, "alive", later)
        assert await outbox.abandon(session, later - outbox.LEASE) == outbox.Abandoned(0, 0)


async def test_only_lanes_that_may_send_now_are_claimed(db: Database) -> None:
    await _put(db, _text(1, "waits for its limit"), _text(2, "goes"))
    async with db.transaction() as session:
        rows = await outbox.claim(session, "w", 10, utcnow(), lambda chat_id: chat_id != 1)
    assert _texts(rows) == ["goes"]
    assert _texts(await _claim(db)) == ["waits for its limit"]


async def test_a_lane_moves_to_the_supergroup_in_order(db: Database) -> None:
    await _put(db, _text(-1, "a"), _text(-1, "b"))
    async with db.transaction() as session:
        await outbox.move_lane(session, -1, -1001)
    rows = await _claim(db)
    assert [(r.chat_id, r.params["text"]) for r in rows] == [(-1001, "a")]


async def test_two_senders_never_claim_the_same_row(db: Database) -> None:
    """Senders claiming at the same moment: a row goes to one of them; the others skip it and
    take the rest in their next rounds."""
    await _put(db, *(_text(chat, f"m{chat}") for chat in range(1, 41)))
    ids: list[int] = []
    for _ in range(10):
        claims = await asyncio.gather(*(_claim(db, f"w{n}", limit=15) for n in range(4)))
        ids += [row.id for rows in claims for row in rows]
    assert len(ids) == len(set(ids)) == 40


async def test_a_moved_lane_drops_what_acts_on_the_old_groups_messages(db: Database) -> None:
    """The old group's message ids mean other messages in the supergroup: an edit of one is
    dropped, a quote of one is left out."""
    quoting = outbox.Message(
        -1, "sendMessage", {"text": "thanks", "reply_parameters": {"message_id": 7}}
    )
    edit = outbox.Message(-1, "editMessageText", {"message_id": 7, "text": "2 supports"})
    await _put(db, quoting, edit, _text(-1, "later"))
    async with db.transaction() as session:
        await outbox.move_lane(session, -1, -1001)
    rows = await _claim(db)
    assert [(r.chat_id, r.method, r.params) for r in rows] == [
        (-1001, "sendMessage", {"text": "thanks"})
    ]
    async with db.transaction() as session:
        assert await outbox.waiting(session) == 2


async def test_an_updates_first_row_is_claimed_as_it_is_written_when_its_lane_is_empty(
    db: Database,
) -> None:
    """The update's own chat (lane 1): its first row, due now, is claimed in the insert; the
    rows after it in that lane, and other chats' rows, wait for the sender's claims in order."""

    async def write(*messages: outbox.Message) -> outbox.Written:
        async with db.transaction() as session:
            return await outbox.put(session, messages, outbox.ClaimAtOnce("w1", 1, utcnow()))

    written = await write(_text(2, "other chat"), _text(1, "reply"), _text(1, "card"))
    assert (written.kept, _texts(written.claimed)) == (3, ["reply"])
    (taken,) = written.claimed
    assert (taken.chat_id, taken.attempts, taken.call()) == (1, 1, {"text": "reply", "chat_id": 1})
    assert _texts(await _claim(db, "w2")) == ["other chat"]  # lane 1 has "reply" in flight
    assert (await write(_text(1, "busy lane"))).claimed == []
    await _done(db, taken)
    assert _texts(await _claim(db, "w2")) == ["card"]
    later = _text(3, "paced", not_before=utcnow() + timedelta(seconds=5))
    async with db.transaction() as session:
        paced = await outbox.put(session, [later], outbox.ClaimAtOnce("w1", 3, utcnow()))
    assert paced.claimed == []  # a paced redraw waits for its time in the sender's claims


async def test_a_row_claimed_as_it_was_written_is_settled_as_any_claim_after_a_crash(
    db: Database,
) -> None:
    async with db.transaction() as session:
        claim = outbox.ClaimAtOnce("killed", 1, utcnow())
        await outbox.put(session, [_text(1, "maybe sent")], claim)
        edit = outbox.Message(2, "editMessageText", {"message_id": 5, "text": "x"})
        await outbox.put(session, [edit], outbox.ClaimAtOnce("killed", 2, utcnow()))
    async with db.transaction() as session:
        abandoned = await outbox.abandon(session, utcnow() + timedelta(days=1), "killed")
    assert abandoned == outbox.Abandoned(resent=1, dropped=1)


async def test_a_chats_next_answer_does_not_wait_for_the_sent_ones_to_be_deleted(
    db: Database,
) -> None:
    """A row Telegram answered stays until the sender's next round deletes it; the chat's next
    answer is claimed as it is written all the same, but not while a row is on its way."""

    async def write(chat_id: int, text: str, sent: tuple[int, ...] = ()) -> list[outbox.Claimed]:
        async with db.transaction() as session:
            claim = outbox.ClaimAtOnce("w1", chat_id, utcnow(), sent)
            return (await outbox.put(session, [_text(chat_id, text)], claim)).claimed

    (answered,) = await write(1, "answered")
    assert _texts(await write(1, "next", sent=(answered.id,))) == ["next"]
    await write(2, "on its way")
    assert await write(2, "waits") == []
