"""Settings: one frozen object built from a mapping (a dict in tests, the environment live)."""

from __future__ import annotations

import io
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dotenv import dotenv_values
from dotenv.parser import parse_stream

from bot.i18n import LANGUAGES
from bot.terminal import _

DEFAULT_API_URL = "https://api.telegram.org"
DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///villagebot.db"
WEBHOOK_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")


class ConfigError(ValueError):
    """A setting is missing or malformed; the message says which and how to fix it."""


@dataclass(frozen=True)
class Settings:
    token: str | None = None
    api_url: str = DEFAULT_API_URL
    database_url: str = DEFAULT_DATABASE_URL
    default_language: str = "lv"
    default_timezone: str = "Europe/Riga"
    log_level: str = "INFO"
    # Telegram's flood limits as the bot's FloodLimiter (bot/wire/ratelimit.py) keeps to them.
    messages_per_second: float = 30.0
    group_messages_per_minute: float = 20.0
    chat_messages_per_second: float = 1.0
    # How long the list of a group's Telegram admins is trusted (design: at most 10 minutes),
    # and Telegram's answer whether someone outside the bot's records is in the group.
    admin_cache_seconds: float = 600.0
    # Read-only updates (plain text in private, /help, listings) answered per person in
    # `noise_period_seconds`; past it they are told once to slow down (bot.services.intake).
    # A live card (supports, RSVPs, applause) is edited at most once in this many seconds.
    card_edit_seconds: float = 3.0
    noise_limit: int = 20
    noise_period_seconds: float = 60.0
    # Telegram sends it with every webhook request (X-Telegram-Bot-Api-Secret-Token).
    webhook_secret: str | None = None
    # The board (Mini App and public pages): its public HTTPS address, and where its server
    # listens when the webhook's server does not serve it. Off without the address.
    web_url: str | None = None
    web_listen: str = "127.0.0.1"
    web_port: int = 8080
    extra: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def from_mapping(cls, env: Mapping[str, str]) -> Settings:
        """Settings from environment-style variables; VILLAGEBOT_* ones are kept in `extra`."""
        language = env.get("VILLAGEBOT_LANGUAGE", "lv").strip().lower()
        if language not in LANGUAGES:
            raise ConfigError(
                _(
                    "VILLAGEBOT_LANGUAGE must be one of {languages}, not {value}",
                    languages=", ".join(LANGUAGES),
                    value=repr(language),
                )
            )
        timezone = env.get("VILLAGEBOT_TIMEZONE", "Europe/Riga").strip()
        try:
            ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ConfigError(
                _("VILLAGEBOT_TIMEZONE {value} is not a known time zone", value=repr(timezone))
            ) from exc
        log_level = env.get("LOG_LEVEL", "INFO").strip().upper()
        if log_level not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
            raise ConfigError(_("LOG_LEVEL {value} is not a logging level", value=repr(log_level)))
        return cls(
            token=(env.get("TELEGRAM_BOT_TOKEN") or "").strip() or None,
            api_url=_api_url(env),
            database_url=(env.get("DATABASE_URL") or DEFAULT_DATABASE_URL).strip(),
            default_language=language,
            default_timezone=timezone,
            log_level=log_level,
            messages_per_second=_positive(env, "VILLAGEBOT_MESSAGES_PER_SECOND", 30.0),
            group_messages_per_minute=_positive(env, "VILLAGEBOT_GROUP_MESSAGES_PER_MINUTE", 20.0),
            chat_messages_per_second=_positive(env, "VILLAGEBOT_CHAT_MESSAGES_PER_SECOND", 1.0),
            admin_cache_seconds=min(600.0, _positive(env, "VILLAGEBOT_ADMIN_CACHE_SECONDS", 600.0)),
            card_edit_seconds=_positive(env, "VILLAGEBOT_CARD_EDIT_SECONDS", 3.0),
            noise_limit=_whole(env, "VILLAGEBOT_NOISE_LIMIT", 20),
            noise_period_seconds=_positive(env, "VILLAGEBOT_NOISE_PERIOD_SECONDS", 60.0),
            webhook_secret=_webhook_secret(env),
            web_url=_web_url(env),
            web_listen=(env.get("VILLAGEBOT_WEB_LISTEN") or "127.0.0.1").strip(),
            web_port=_port(env, "VILLAGEBOT_WEB_PORT", 8080),
            extra={k: v for k, v in env.items() if k.startswith("VILLAGEBOT_")},
        )

    @classmethod
    def from_environment(cls, dotenv_path: Path | None = None) -> Settings:
        """The process environment wins over a `.env` file in the working directory."""
        path = dotenv_path if dotenv_path is not None else Path.cwd() / ".env"
        return cls.from_mapping({**read_dotenv(path), **os.environ})

    def require_token(self) -> str:
        if not self.token:
            raise ConfigError(
                _("TELEGRAM_BOT_TOKEN is not set: get a token from @BotFather and export it")
            )
        return self.token


def read_dotenv(path: Path) -> dict[str, str]:
    """The values of a `.env` file (none when there is no file). A line that cannot be read is
    refused rather than skipped: it may be the token."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except UnicodeDecodeError as exc:
        raise ConfigError(_("{path} is not UTF-8 text: save it again as UTF-8", path=path)) from exc
    except OSError as exc:
        raise ConfigError(
            _("cannot read {path}: {reason}", path=path, reason=exc.strerror or exc)
        ) from exc
    for binding in parse_stream(io.StringIO(text)):
        if binding.error:
            raise ConfigError(
                _(
                    "{path}, line {line}, is not a setting: write NAME=value",
                    path=path,
                    line=binding.original.line,
                )
            )
    values = dotenv_values(stream=io.StringIO(text))
    return {k: v for k, v in values.items() if v is not None}


def _api_url(env: Mapping[str, str]) -> str:
    url = (env.get("TELEGRAM_API_URL") or DEFAULT_API_URL).strip().rstrip("/")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(
            _(
                "TELEGRAM_API_URL must be a URL such as {example}, not {value}",
                example=DEFAULT_API_URL,
                value=repr(url),
            )
        )
    return url


def _web_url(env: Mapping[str, str]) -> str | None:
    url = (env.get("VILLAGEBOT_WEB_URL") or "").strip().rstrip("/")
    if not url:
        return None
    parts = urlsplit(url)
    # Telegram opens Mini Apps only over HTTPS; plain http serves a board on this machine.
    local = parts.hostname in ("127.0.0.1", "localhost")
    if not parts.hostname or (parts.scheme != "https" and not (local and parts.scheme == "http")):
        raise ConfigError(
            _(
                "VILLAGEBOT_WEB_URL must be the board's public HTTPS address, such as "
                "{example}, not {value}",
                example="https://village.example.org",
                value=repr(url),
            )
        )
    return url


def _port(env: Mapping[str, str], name: str, default: int) -> int:
    port = _whole(env, name, default)
    if port > 65535:
        raise ConfigError(_("{name} must be a port number (1-65535)", name=name))
    return port


def _webhook_secret(env: Mapping[str, str]) -> str | None:
    secret = (env.get("TELEGRAM_WEBHOOK_SECRET") or "").strip()
    if not secret:
        return None
    if not WEBHOOK_SECRET.fullmatch(secret):
        raise ConfigError(
            _("TELEGRAM_WEBHOOK_SECRET must be 1-256 characters of A-Z, a-z, 0-9, _ and -")
        )
    return secret


def _positive(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        value = float(raw)
    except ValueError as exc:
        raise ConfigError(
            _("{name} must be a number, not {value}", name=name, value=repr(raw))
        ) from exc
    if value <= 0:
        raise ConfigError(_("{name} must be above 0", name=name))
    return value


def _whole(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise ConfigError(
            _("{name} must be a whole number, not {value}", name=name, value=repr(raw))
        ) from exc
    if value <= 0:
        raise ConfigError(_("{name} must be above 0", name=name))
    return value
