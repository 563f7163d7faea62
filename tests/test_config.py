from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import DEFAULT_API_URL, DEFAULT_DATABASE_URL, ConfigError, Settings


def test_defaults_follow_the_design() -> None:
    settings = Settings.from_mapping({"TELEGRAM_BOT_TOKEN": "1:abc"})
    assert settings.token == "1:abc"
    assert settings.api_url == DEFAULT_API_URL == "https://api.telegram.org"
    assert settings.database_url == DEFAULT_DATABASE_URL == "sqlite+aiosqlite:///villagebot.db"
    assert settings.default_language == "lv"
    assert settings.default_timezone == "Europe/Riga"
    assert settings.log_level == "INFO"
    assert (settings.noise_limit, settings.noise_period_seconds) == (20, 60.0)


def test_values_are_read_and_cleaned() -> None:
    settings = Settings.from_mapping(
        {
            "TELEGRAM_BOT_TOKEN": " 1:abc ",
            "TELEGRAM_API_URL": "http://127.0.0.1:8081/",
            "VILLAGEBOT_LANGUAGE": "RU",
            "VILLAGEBOT_TIMEZONE": "Europe/Vilnius",
            "LOG_LEVEL": "debug",
            "VILLAGEBOT_NOISE_LIMIT": " 5 ",
            "VILLAGEBOT_NOISE_PERIOD_SECONDS": "30",
        }
    )
    assert settings.token == "1:abc"
    assert settings.api_url == "http://127.0.0.1:8081"
    assert settings.default_language == "ru"
    assert settings.default_timezone == "Europe/Vilnius"
    assert settings.log_level == "DEBUG"
    assert (settings.noise_limit, settings.noise_period_seconds) == (5, 30.0)


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("VILLAGEBOT_LANGUAGE", "de", "VILLAGEBOT_LANGUAGE"),
        ("VILLAGEBOT_TIMEZONE", "Mars/Olympus", "time zone"),
        ("LOG_LEVEL", "LOUD", "LOG_LEVEL"),
        ("VILLAGEBOT_GROUP_MESSAGES_PER_MINUTE", "many", "number"),
        ("VILLAGEBOT_GROUP_MESSAGES_PER_MINUTE", "-1", "above 0"),
        ("VILLAGEBOT_NOISE_LIMIT", "2.5", "whole number"),
        ("VILLAGEBOT_NOISE_LIMIT", "0", "above 0"),
        ("VILLAGEBOT_NOISE_PERIOD_SECONDS", "0", "above 0"),
    ],
)
def test_bad_values_are_explained(variable: str, value: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        Settings.from_mapping({variable: value})


def test_a_token_is_required_to_run() -> None:
    with pytest.raises(ConfigError, match="TELEGRAM_BOT_TOKEN"):
        Settings.from_mapping({}).require_token()


def test_the_environment_wins_over_a_dotenv_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dotenv = tmp_path / ".env"
    dotenv.write_text("TELEGRAM_BOT_TOKEN=1:fromfile\nVILLAGEBOT_LANGUAGE=en\n")
    monkeypatch.setenv("VILLAGEBOT_LANGUAGE", "ru")
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    settings = Settings.from_environment(dotenv)
    assert settings.token == "1:fromfile"
    assert settings.default_language == "ru"


def test_the_webhook_secret_is_checked() -> None:
    assert Settings.from_mapping({}).webhook_secret is None
    secret = "a-Z_09" * 10
    assert (
        Settings.from_mapping({"TELEGRAM_WEBHOOK_SECRET": f" {secret} "}).webhook_secret == secret
    )
    with pytest.raises(ConfigError, match="TELEGRAM_WEBHOOK_SECRET"):
        Settings.from_mapping({"TELEGRAM_WEBHOOK_SECRET": "not allowed!"})
    with pytest.raises(ConfigError, match="TELEGRAM_WEBHOOK_SECRET"):
        Settings.from_mapping({"TELEGRAM_WEBHOOK_SECRET": "x" * 257})


def test_the_board_is_off_without_its_address() -> None:
    settings = Settings.from_mapping({})
    assert (settings.web_url, settings.web_listen, settings.web_port) == (None, "127.0.0.1", 8080)
    on = Settings.from_mapping(
        {
            "VILLAGEBOT_WEB_URL": " https://village.example.org/board/ ",
            "VILLAGEBOT_WEB_LISTEN": "0.0.0.0",
            "VILLAGEBOT_WEB_PORT": "9000",
        }
    )
    assert (on.web_url, on.web_listen, on.web_port) == (
        "https://village.example.org/board",
        "0.0.0.0",
        9000,
    )
    # Plain http only for a board on this machine (the console's).
    assert Settings.from_mapping({"VILLAGEBOT_WEB_URL": "http://127.0.0.1:8080"}).web_url


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("VILLAGEBOT_WEB_URL", "http://village.example.org", "public HTTPS address"),
        ("VILLAGEBOT_WEB_URL", "village.example.org", "public HTTPS address"),
        ("VILLAGEBOT_WEB_PORT", "70000", "port number"),
        ("VILLAGEBOT_WEB_PORT", "web", "whole number"),
    ],
)
def test_bad_board_settings_are_explained(variable: str, value: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        Settings.from_mapping({variable: value})
