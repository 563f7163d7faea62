"""Decisions: parsed with an optional review date, linked to a poll, and due for review."""

from __future__ import annotations

from datetime import date

import pytest

from bot.db import Database
from bot.models import DecisionSource
from bot.services import communities, decisions, members, polls
from bot.services.communities import CommunityDefaults
from bot.services.errors import InvalidInput

TODAY = date(2026, 11, 25)


def test_a_review_date_may_lead_the_text() -> None:
    assert decisions.parse("01.06.2027 Būvējam laukumu.", TODAY) == decisions.DecisionText(
        "Būvējam laukumu.", date(2027, 6, 1)
    )
    assert decisions.parse("2027-06-01. Būvējam", TODAY).review_on is None  # not a date word
    assert decisions.parse("Būvējam laukumu pie skolas", TODAY).review_on is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", decisions.USAGE),
        ("01.06.2027", decisions.USAGE),
        ("24.11.2026 Par vēlu", "The review date is in the past."),
        (
            "31.02.2027 Nav tāda datuma",
            "“{word}” is not a date. Write it like 03.12.2026 or 2026-12-03.",
        ),
        ("Jā", "Please write a little more: at least {n} character."),
    ],
)
def test_wrong_decisions_are_explained(text: str, message: str) -> None:
    with pytest.raises(InvalidInput) as error:
        decisions.parse(text, TODAY)
    assert error.value.message == message


async def test_decisions_due_for_review(db: Database) -> None:
    defaults = CommunityDefaults("lv", "Europe/Riga")
    async with db.transaction() as session:
        village = (await communities.ensure(session, -1, "Lejasciems", defaults)).community
        other = (await communities.ensure(session, -2, "Augšciems", defaults)).community
        anna = await members.ensure_user(session, members.Profile(1, "Anna"))
        poll = await polls.create(session, village, anna, "Q?", ["A", "B"])
        linked = await decisions.record(
            session, village, anna, decisions.DecisionText("Laukums", date(2027, 1, 10)), poll
        )
        await decisions.record(session, village, anna, decisions.DecisionText("Bez datuma", None))
        later = await decisions.record(
            session, village, anna, decisions.DecisionText("Vēlāk", date(2027, 3, 1))
        )
        await decisions.record(
            session, other, anna, decisions.DecisionText("Cits ciems", date(2027, 1, 1))
        )
        assert (linked.source, linked.poll_id) == (DecisionSource.POLL, poll.id)
        assert later.source == DecisionSource.LEADER
        due = await decisions.decisions_due(session, village, date(2027, 1, 31))
        assert [d.text for d in due] == ["Laukums"]
        due = await decisions.decisions_due(session, village, date(2027, 12, 31))
        assert [d.text for d in due] == ["Laukums", "Vēlāk"]
        upcoming = await decisions.reviews_from(session, date(2027, 2, 1))
        assert [(d.text, c.id) for d, c in upcoming] == [("Vēlāk", village.id)]
        with pytest.raises(InvalidInput):
            await decisions.record(
                session, other, anna, decisions.DecisionText("Svešs", None), poll
            )
