"""The command line: webhook options, and refusals that say what to fix."""

from __future__ import annotations

import asyncio
import os
import subprocess
from pathlib import Path

import pytest

from bot.cli import check_webhook_url, parser, webhook_path
from bot.config import ConfigError, Settings
from bot.doctor import TOKEN_REFUSED
from bot.testing import BotApiEmulator
from tests.e2e.process import villagebot_command


def test_webhook_options() -> None:
    args = parser().parse_args(
        [
            "run",
            "--webhook",
            "https://example.org/villagebot",
            "--listen",
            "0.0.0.0",
            "--port",
            "8443",
        ]
    )
    assert (args.webhook, args.listen, args.port) == (
        "https://example.org/villagebot",
        "0.0.0.0",
        8443,
    )
    assert webhook_path(args) == "/villagebot"
    defaults = parser().parse_args(["run", "--webhook", "https://example.org"])
    assert (defaults.listen, defaults.port, webhook_path(defaults)) == ("127.0.0.1", 8443, "/")
    moved = parser().parse_args(["run", "--webhook", "https://example.org/a", "--path", "/b"])
    assert webhook_path(moved) == "/b"
    assert parser().parse_args(["run"]).webhook is None


def test_webhook_urls_telegram_would_refuse_are_refused_first() -> None:
    telegram = Settings.from_mapping({})
    check_webhook_url(telegram, "https://example.org/villagebot")
    with pytest.raises(ConfigError, match="https://"):
        check_webhook_url(telegram, "http://example.org/villagebot")
    with pytest.raises(ConfigError, match="full URL"):
        check_webhook_url(telegram, "example.org/villagebot")
    # A self-hosted Bot API server also calls plain HTTP webhooks.
    local = Settings.from_mapping({"TELEGRAM_API_URL": "http://127.0.0.1:8081"})
    check_webhook_url(local, "http://127.0.0.1:8443/villagebot")


def test_every_program_command_is_listed() -> None:
    help_text = parser().format_help()
    for command in ("run", "migrate", "console", "backup", "doctor"):
        assert command in help_text


def _villagebot(workdir: Path, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """The real program, as an operator runs it, with only the given settings."""
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("TELEGRAM_", "VILLAGEBOT_", "DATABASE_URL", "LOG_LEVEL", "LC_"))
        and k not in ("LANG", "LANGUAGE")
    }
    clean["LANG"] = "C.UTF-8"  # English unless the test gives a locale
    return subprocess.run(
        [*villagebot_command(), *args],
        env={**clean, **env},
        cwd=workdir,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _one_sentence(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode != 0
    assert "Traceback" not in result.stderr + result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


NOT_A_URL = (
    "villagebot: DATABASE_URL is not a database URL: it looks like "
    "sqlite+aiosqlite:///villagebot.db or postgresql+asyncpg://user:pass@host/name."
)
UNREACHABLE = "postgresql+asyncpg://x@127.0.0.1:1/db"


@pytest.mark.parametrize(
    ("url", "command", "said"),
    [
        ("garbage", ["migrate"], NOT_A_URL),
        ("garbage", ["run"], NOT_A_URL),
        ("garbage", ["console"], NOT_A_URL),
        ("garbage", ["backup", "copy.db"], NOT_A_URL),
        (UNREACHABLE, ["migrate"], f"villagebot: cannot open {UNREACHABLE}: ConnectionRefused"),
        (UNREACHABLE, ["run"], f"villagebot: cannot open {UNREACHABLE}: ConnectionRefused"),
        (UNREACHABLE, ["console"], f"villagebot: cannot open {UNREACHABLE}: ConnectionRefused"),
        (
            "mysql+aiomysql://x@h/db",
            ["migrate"],
            "villagebot: DATABASE_URL names a database driver",
        ),
    ],
)
def test_a_bad_database_setting_is_one_sentence(
    tmp_path: Path, url: str, command: list[str], said: str
) -> None:
    result = _villagebot(tmp_path, *command, env={"DATABASE_URL": url, "TELEGRAM_BOT_TOKEN": "1:x"})
    assert _one_sentence(result).startswith(said)


def test_a_file_that_is_no_database_is_one_sentence(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("not a database\n" * 100)
    url = f"sqlite+aiosqlite:///{tmp_path / 'notes.txt'}"
    said = _one_sentence(_villagebot(tmp_path, "migrate", env={"DATABASE_URL": url}))
    assert said.startswith(f"villagebot: cannot open {url}:")
    assert said.endswith("file is not a database")


@pytest.mark.parametrize(
    ("dotenv", "env", "said"),
    [
        (b"", {}, "villagebot: TELEGRAM_BOT_TOKEN is not set"),
        (b"TELEGRAM_BOT_TOKEN=\xff\xfe\n", {}, "is not UTF-8 text: save it again as UTF-8"),
        (b"# the bot\nTELEGRAM_BOT_TOKEN 1:x\n", {}, ".env, line 2, is not a setting"),
        (b"", {"TELEGRAM_API_URL": "api.telegram.org"}, "TELEGRAM_API_URL must be a URL such"),
    ],
)
def test_bad_settings_for_run_are_one_sentence(
    tmp_path: Path, dotenv: bytes, env: dict[str, str], said: str
) -> None:
    (tmp_path / ".env").write_bytes(dotenv)
    assert said in _one_sentence(_villagebot(tmp_path, "run", env=env))


async def test_a_token_telegram_refuses_is_one_sentence(
    tg: BotApiEmulator, api_url: str, tmp_path: Path
) -> None:
    env = {
        "TELEGRAM_BOT_TOKEN": "1:not-the-token",
        "TELEGRAM_API_URL": api_url,
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'villagebot.db'}",
    }
    result = await asyncio.to_thread(_villagebot, tmp_path, "run", env=env)
    assert _one_sentence(result) == f"villagebot: {TOKEN_REFUSED}"


def test_the_program_speaks_the_terminals_language(tmp_path: Path) -> None:
    """LANG (or LC_MESSAGES, LC_ALL) picks lv, en or ru for what the program prints; the log
    stays in English."""
    missing = f"sqlite+aiosqlite:///{tmp_path / 'missing.db'}"
    latvian = _villagebot(tmp_path, "doctor", env={"DATABASE_URL": missing, "LANG": "lv_LV.UTF-8"})
    assert latvian.returncode == 1
    lines = latvian.stdout.strip().splitlines()
    assert lines[0].startswith("PROBLĒMA  Datubāze: datubāzes faila ")
    assert lines[1].startswith("PROBLĒMA  Telegram: TELEGRAM_BOT_TOKEN nav iestatīts")
    assert lines[-1] == "Atrastas 2 problēmas: skatiet PROBLĒMA augstāk."
    russian = _villagebot(
        tmp_path, "migrate", env={"DATABASE_URL": "garbage", "LC_MESSAGES": "ru_RU.UTF-8"}
    )
    assert _one_sentence(russian).startswith("villagebot: DATABASE_URL — не адрес базы данных")
    german = _villagebot(
        tmp_path, "migrate", env={"DATABASE_URL": "garbage", "LANG": "de_DE.UTF-8"}
    )
    assert _one_sentence(german) == NOT_A_URL
    help_text = _villagebot(tmp_path, "--help", env={"LC_ALL": "lv_LV.UTF-8"}).stdout
    assert "pārbaudīt žetonu, datubāzi un webhook" in help_text
    no_token = _villagebot(tmp_path, "run", env={"DATABASE_URL": missing, "LANG": "lv_LV.UTF-8"})
    assert _one_sentence(no_token) == (
        "villagebot: TELEGRAM_BOT_TOKEN nav iestatīts: saņemiet žetonu no @BotFather un "
        "iestatiet to (export)"
    )
    bad_setting = _villagebot(
        tmp_path, "doctor", env={"VILLAGEBOT_NOISE_LIMIT": "daudz", "LANG": "ru_RU.UTF-8"}
    )
    assert _one_sentence(bad_setting) == (
        "villagebot: VILLAGEBOT_NOISE_LIMIT должен быть целым числом, а не 'daudz'"
    )


def test_the_consoles_board_options() -> None:
    assert parser().parse_args(["console"]).board is False
    board = parser().parse_args(["console", "--board", "--board-port", "8123"])
    assert (board.board, board.board_port) == (True, 8123)


def test_a_board_port_out_of_range_is_one_sentence(tmp_path: Path) -> None:
    said = _one_sentence(_villagebot(tmp_path, "console", "--board-port", "70000", env={}))
    assert said == "villagebot: --board-port must be a port number (1-65535)"
