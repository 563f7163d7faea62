"""/promote and /demote: the working group grows and shrinks, and only leaders may change it."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import select

from bot.db import Database
from bot.models import AuditEntry, Membership, Role
from bot.testing import ApiError, BotApiEmulator
from tests.conftest import Village


async def test_a_leader_promotes_a_member_who_then_leads(
    tg: BotApiEmulator, village: Village, database: Database
) -> None:
    said = await tg.send(village.chat, village.resident, "Es palīdzēšu!")
    reply = await tg.ask(village.chat, village.admin, "/promote", reply_to=said)
    assert reply["text"] == "Jānis tagad ir darba grupā. 🎉"
    again = await tg.ask(village.chat, village.admin, "/promote", reply_to=said)
    assert again["text"] == "Jānis jau ir darba grupā."
    help_text = (await tg.ask(village.chat, village.resident, "/help"))["text"]
    assert "/promote" in help_text
    async with database.transaction() as session:
        roles = [m.role for m in await session.scalars(select(Membership))]
        assert Role.LEADER in roles
        assert [e.action for e in await session.scalars(select(AuditEntry))] == ["promote"]


async def test_demote_undoes_promote_but_not_admin_rights(
    tg: BotApiEmulator, village: Village, database: Database
) -> None:
    said = await tg.send(village.chat, village.resident, "Labdien")
    await tg.ask(village.chat, village.admin, "/promote", reply_to=said)
    reply = await tg.ask(village.chat, village.admin, "/demote", reply_to=said)
    assert reply["text"] == "Jānis vairs nav darba grupā."
    assert "/promote" not in (await tg.ask(village.chat, village.resident, "/help"))["text"]
    again = await tg.ask(village.chat, village.admin, "/demote", reply_to=said)
    assert again["text"] == "Jānis nav darba grupā."
    async with database.transaction() as session:
        actions = [e.action for e in await session.scalars(select(AuditEntry))]
    assert actions == ["promote", "demote"]


async def test_admins_cannot_be_demoted(tg: BotApiEmulator, bot: object) -> None:
    anna, ilze = tg.user("Anna"), tg.user("Ilze")
    group = tg.group("Augšciems", admins=[anna, ilze])
    cursor = tg.mark()
    await tg.add_bot(group, by=anna)
    await tg.next_message(group, after=cursor)
    said = await tg.send(group, anna, "Sveiki")
    refused = await tg.ask(group, ilze, "/demote", reply_to=said)
    assert (
        refused["text"]
        == "Anna ir šīs grupas administrators; administratori vienmēr ir darba grupā."
    )
    again = await tg.ask(group, ilze, "/promote", reply_to=said)
    assert again["text"] == "Anna ir šīs grupas administrators, tāpēc jau ir darba grupā."


async def test_residents_are_refused_politely_and_nothing_changes(
    tg: BotApiEmulator, village: Village, database: Database
) -> None:
    said = await tg.send(village.chat, village.admin, "Sveiki")
    reply = await tg.ask(village.chat, village.resident, "/promote", reply_to=said)
    assert reply["text"].startswith("Atvainojiet, to var darīt tikai darba grupa")
    async with database.transaction() as session:
        assert list(await session.scalars(select(AuditEntry))) == []
        assert all(m.role == Role.RESIDENT for m in await session.scalars(select(Membership)))


async def test_promote_explains_itself(tg: BotApiEmulator, village: Village) -> None:
    usage = await tg.ask(village.chat, village.admin, "/promote")
    assert "/promote" in usage["text"]
    assert "Atbildiet" in usage["text"]
    bot_message = tg.bot_messages(village.chat)[0]
    not_people = await tg.ask(village.chat, village.admin, "/promote", reply_to=bot_message)
    assert "tikai cilvēki" in not_people["text"]
    in_private = await tg.ask(village.admin, village.admin, "/promote")
    assert in_private["text"] == "Tas darbojas ciema grupā."


@pytest.mark.parametrize("bot_env", [{"VILLAGEBOT_ADMIN_CACHE_SECONDS": "0.5"}])
async def test_an_admin_list_too_old_to_trust_refuses_admins_but_not_promoted_leaders(
    tg: BotApiEmulator, village: Village, bot_env: dict[str, str]
) -> None:
    said = await tg.send(village.chat, village.resident, "Es palīdzēšu!")
    await tg.ask(village.chat, village.admin, "/promote", reply_to=said)
    assert "Līdzdalība" in (await tg.ask(village.chat, village.admin, "/stats"))["text"]
    await tg.settle()

    def no_admin_list(method: str, params: object) -> ApiError | None:
        if method == "getChatAdministrators":
            return ApiError(400, "Bad Request: chat not found")
        return None

    tg.faults.append(no_admin_list)
    await asyncio.sleep(0.6)  # the admin list is now older than it may be trusted
    refused = await tg.ask(village.chat, village.admin, "/stats")
    assert refused["text"].startswith("Telegram šobrīd nepateica, kas ir grupas administratori")
    # A promoted leader is in the database: still a leader.
    assert "Līdzdalība" in (await tg.ask(village.chat, village.resident, "/stats"))["text"]
    await tg.settle()
    tg.faults.clear()
    assert "Līdzdalība" in (await tg.ask(village.chat, village.admin, "/stats"))["text"]
