"""/settings: leaders see and change the village group's settings."""

from __future__ import annotations

from sqlalchemy import select

from bot.db import Database
from bot.models import AuditEntry, Community
from bot.testing import BotApiEmulator
from tests.conftest import Village


async def test_leaders_see_the_settings(tg: BotApiEmulator, village: Village) -> None:
    reply = await tg.ask(village.chat, village.admin, "/settings")
    assert reply["text"].splitlines() == [
        "Iestatījumi: Lejasciems",
        "Valoda: Latviešu — mainīt: /settings language lv",
        "Laika josla: Europe/Riga — mainīt: /settings timezone Europe/Riga",
        "Sanāksmju atgādinājumi: 1 d., 1 st. — mainīt: /settings reminders 1 d 1 st",
        "Ciema pārskats: katru mēnesi pirmajā pirmdienā plkst. 18:00"
        " — mainīt: /settings digest ikmēneša pr 18:00",
        "Atgādinājums par aptauju pirms termiņa: 1 d. — mainīt: /settings pollreminder 1 d",
        "Ciema publiskā lapa: nav publicēta — mainīt: /settings public ieslēgt",
    ]


async def test_a_leader_changes_the_time_zone(
    tg: BotApiEmulator, village: Village, database: Database
) -> None:
    reply = await tg.ask(village.chat, village.admin, "/settings timezone europe/vilnius")
    assert reply["text"] == "Saglabāts. Laika josla: Europe/Vilnius"
    async with database.transaction() as session:
        assert await session.scalar(select(Community.timezone)) == "Europe/Vilnius"
        entry = await session.scalar(select(AuditEntry))
        assert entry is not None
        assert (entry.action, entry.details) == (
            "settings",
            {"name": "timezone", "value": ["europe/vilnius"]},
        )


async def test_changing_the_language_answers_in_the_new_one(
    tg: BotApiEmulator, village: Village
) -> None:
    reply = await tg.ask(village.chat, village.admin, "/settings language ru")
    assert reply["text"] == "Сохранено. Язык: Русский"


async def test_wrong_values_are_explained(tg: BotApiEmulator, village: Village) -> None:
    zone = await tg.ask(village.chat, village.admin, "/settings timezone Mars/Base")
    assert zone["text"] == "Laika joslu „Mars/Base” nezinu. Rakstiet, piemēram, Europe/Riga."
    unknown = await tg.ask(village.chat, village.admin, "/settings colour blue")
    assert unknown["text"] == (
        "Iestatījuma „colour” nav. Iestatījumi: "
        "language, timezone, reminders, digest, pollreminder, public."
    )
    language = await tg.ask(village.chat, village.admin, "/settings language")
    assert language["text"] == "Uzrakstiet vienu valodas kodu: lv, en vai ru."


async def test_residents_are_refused(
    tg: BotApiEmulator, village: Village, database: Database
) -> None:
    reply = await tg.ask(village.chat, village.resident, "/settings timezone Europe/Tallinn")
    assert reply["text"].startswith("Atvainojiet, to var darīt tikai darba grupa")
    async with database.transaction() as session:
        assert await session.scalar(select(Community.timezone)) == "Europe/Riga"


async def test_settings_in_private_are_for_the_chosen_village(
    tg: BotApiEmulator, village: Village
) -> None:
    admin = village.admin
    await tg.ask(admin, admin, "/start")
    reply = await tg.ask(admin, admin, "/settings")
    assert reply["text"].startswith("Iestatījumi: Lejasciems")


async def test_a_leader_publishes_the_village_page(
    tg: BotApiEmulator, village: Village, database: Database
) -> None:
    """Without the board's address (VILLAGEBOT_WEB_URL) the page is published all the same,
    and the leader is told why nobody can open it yet."""
    on = await tg.ask(village.chat, village.admin, "/settings public on")
    assert on["text"] == (
        "Saglabāts. Ciema publiskā lapa: publicēta\n"
        "Botam vēl nav tīmekļa adreses (VILLAGEBOT_WEB_URL), tāpēc lapu nevar atvērt: "
        "palūdziet bota uzturētājam to iestatīt."
    )
    async with database.transaction() as session:
        assert await session.scalar(select(Community.public_page)) is True
    off = await tg.ask(village.chat, village.admin, "/settings public izslēgt")
    assert off["text"] == "Saglabāts. Ciema publiskā lapa: nav publicēta"
    russian = await tg.ask(village.chat, village.admin, "/settings public вкл")
    assert russian["text"].startswith("Saglabāts. Ciema publiskā lapa: publicēta")
    wrong = await tg.ask(village.chat, village.admin, "/settings public maybe")
    assert wrong["text"] == ("Rakstiet „ieslēgt” vai „izslēgt”, piemēram: /settings public ieslēgt")
    async with database.transaction() as session:
        assert await session.scalar(select(Community.public_page)) is True


async def test_a_resident_cannot_publish_the_village_page(
    tg: BotApiEmulator, village: Village, database: Database
) -> None:
    reply = await tg.ask(village.chat, village.resident, "/settings public on")
    assert reply["text"].startswith("Atvainojiet, to var darīt tikai darba grupa")
    async with database.transaction() as session:
        assert await session.scalar(select(Community.public_page)) is False
