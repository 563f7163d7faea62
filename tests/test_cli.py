"""The command line: webhook options, and refusals that say what to fix."""

from __future__ import annotations

import pytest

from bot.cli import check_webhook_url, parser, webhook_path
from bot.config import ConfigError, Settings


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
