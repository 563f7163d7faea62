"""`villagebot doctor` names what is wrong in plain words and exits 1; 0 when all is well."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from sqlalchemy import text

from bot import doctor, migrate
from bot.cli import main
from bot.config import Settings
from bot.db import create_engine
from bot.testing import BotApiEmulator, Params


def _settings(tg: BotApiEmulator, api_url: str, database_url: str, **extra: str) -> Settings:
    return Settings.from_mapping(
        {
            "TELEGRAM_BOT_TOKEN": tg.token,
            "TELEGRAM_API_URL": api_url,
            "DATABASE_URL": database_url,
            **extra,
        }
    )


def _problems(findings: list[doctor.Finding]) -> list[str]:
    return [f"{f.topic}: {f.text}" for f in findings if not f.ok]


async def test_all_is_well(
    tg: BotApiEmulator,
    api_url: str,
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    await migrate.upgrade(database_url)
    findings = await doctor.diagnose(_settings(tg, api_url, database_url))
    assert _problems(findings) == []
    assert [f.topic for f in findings] == ["Database", "Telegram", "Webhook"]
    assert "the bot is @villagebot_test" in findings[1].text
    assert "long polling" in findings[2].text

    monkeypatch.setattr("bot.cli.configure_logging", lambda level: None)
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", tg.token)
    monkeypatch.setenv("TELEGRAM_API_URL", api_url)
    monkeypatch.setenv("DATABASE_URL", database_url)
    assert await asyncio.to_thread(main, ["doctor"]) == 0
    assert capsys.readouterr().out.rstrip().endswith("All is well.")


async def test_token_problems(tg: BotApiEmulator, api_url: str, database_url: str) -> None:
    await migrate.upgrade(database_url)
    refused = await doctor.check_telegram(
        _settings(tg, api_url, database_url, TELEGRAM_BOT_TOKEN="42:not-the-token")
    )
    assert _problems(refused) == [
        "Telegram: Telegram does not accept the token: copy it again from @BotFather "
        "into TELEGRAM_BOT_TOKEN."
    ]
    missing = await doctor.check_telegram(
        _settings(tg, api_url, database_url, TELEGRAM_BOT_TOKEN="")
    )
    assert "TELEGRAM_BOT_TOKEN is not set" in _problems(missing)[0]
    unreachable = await doctor.check_telegram(_settings(tg, "http://127.0.0.1:9", database_url))
    assert _problems(unreachable)[0].startswith("Telegram: cannot reach http://127.0.0.1:9: ")


async def test_webhook_problems(tg: BotApiEmulator, api_url: str, database_url: str) -> None:
    await tg.call("setWebhook", Params({"url": "https://example.org/villagebot"}))
    tg.webhook.update(last_error_date=1, last_error_message="Connection refused")  # in 1970
    quiet = await doctor.check_telegram(
        _settings(tg, api_url, database_url, TELEGRAM_WEBHOOK_SECRET="abc")
    )
    assert _problems(quiet) == []  # an error long ago is history
    assert "set to https://example.org/villagebot" in quiet[-1].text

    anna = tg.user("Anna")
    await tg.private(anna, "/start")
    await tg.webhook_answered(1, "Wrong response from the webhook: 502 Bad Gateway")
    failing = await doctor.check_telegram(_settings(tg, api_url, database_url))
    problems = _problems(failing)
    assert len(problems) == 2
    assert "could not deliver updates" in problems[0]
    assert "502 Bad Gateway" in problems[0]
    assert "passes /villagebot to it" in problems[0]
    assert "TELEGRAM_WEBHOOK_SECRET is not" in problems[1]


def _touch(path: Path) -> None:
    """An empty database file, as `touch` leaves it."""
    path.touch()


async def test_database_problems(database_url: str, tmp_path: Path) -> None:
    missing = await doctor.check_database(f"sqlite+aiosqlite:///{tmp_path / 'nowhere.db'}")
    assert "there is no database file at" in _problems(missing)[0]
    assert not (tmp_path / "nowhere.db").exists()

    if database_url.startswith("sqlite"):
        _touch(Path(database_url.removeprefix("sqlite+aiosqlite:///")))
    empty = await doctor.check_database(database_url)
    assert "has no tables yet: run `villagebot migrate`" in _problems(empty)[0]

    await migrate.upgrade(database_url, "2597f9cf4343")
    behind = await doctor.check_database(database_url)
    assert "is at migration 2597f9cf4343, behind the latest" in _problems(behind)[0]

    engine = create_engine(database_url)
    async with engine.begin() as connection:
        await connection.execute(text("UPDATE alembic_version SET version_num = 'f00dcafe1234'"))
    await engine.dispose()
    unknown = await doctor.check_database(database_url)
    assert "which this villagebot does not know" in _problems(unknown)[0]


async def test_an_unreachable_database_server() -> None:
    findings = await doctor.check_database("postgresql+asyncpg://villagebot:pw@127.0.0.1:9/x")
    problem = _problems(findings)[0]
    assert problem.startswith(
        "Database: cannot open postgresql+asyncpg://villagebot:***@127.0.0.1:9/x"
    )
    assert "pw" not in problem


async def test_a_malformed_database_url() -> None:
    findings = await doctor.check_database("villagebot.db")
    assert _problems(findings) == [
        "Database: DATABASE_URL is not a database URL: it looks like "
        "sqlite+aiosqlite:///villagebot.db or postgresql+asyncpg://user:pass@host/name."
    ]
