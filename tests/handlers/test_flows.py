"""Plain text in private chat goes to the user's open flow; /cancel ends it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import select

from bot.db import Database
from bot.models import Community, PrivateFlow, User
from bot.services import flows
from bot.testing import BotApiEmulator
from handlers.context import Turn
from handlers.flows import FLOW_STEPS
from tests.conftest import Village


@pytest.fixture
def echo_flow() -> Iterator[None]:
    """A flow that repeats each answer and counts them, ending after the second."""

    async def step(turn: Turn, flow: PrivateFlow, text: str) -> None:
        answers = [*flow.data.get("answers", []), text]
        if len(answers) == 2:
            await flows.finish(turn.session, turn.need_user())
        else:
            flows.advance(flow, "second", answers=answers)
        assert turn.community is not None
        turn.reply(f"{turn.community.title}: {len(answers)}")

    FLOW_STEPS["echo"] = step
    yield
    del FLOW_STEPS["echo"]


async def _start_echo(database: Database, telegram_id: int) -> None:
    async with database.transaction() as session:
        user = await session.scalar(select(User).where(User.telegram_id == telegram_id))
        community = await session.scalar(select(Community))
        assert user is not None
        assert community is not None
        await flows.start(session, user, community, "echo", "first")


@pytest.mark.usefixtures("echo_flow")
async def test_answers_go_to_the_open_flow(
    tg: BotApiEmulator, village: Village, database: Database
) -> None:
    person = village.resident
    await tg.ask(person, person, "/start")
    await _start_echo(database, person.id)
    assert (await tg.ask(person, person, "pirmais"))["text"] == "Lejasciems: 1"
    assert (await tg.ask(person, person, "otrais"))["text"] == "Lejasciems: 2"
    hint = await tg.ask(person, person, "vēl kaut kas")
    assert hint["text"] == "Uzrakstiet komandu, piemēram, /help."


@pytest.mark.usefixtures("echo_flow")
async def test_cancel_ends_a_flow(tg: BotApiEmulator, village: Village, database: Database) -> None:
    person = village.resident
    await tg.ask(person, person, "/start")
    await _start_echo(database, person.id)
    assert (await tg.ask(person, person, "/cancel"))[
        "text"
    ] == "Pārtraukts. Nekas vairāk nav jādara."
    assert (await tg.ask(person, person, "/cancel"))["text"] == "Nav nekā, ko pārtraukt."
    assert (await tg.ask(person, person, "pirmais"))[
        "text"
    ] == "Uzrakstiet komandu, piemēram, /help."
