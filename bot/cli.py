"""The `villagebot` program: `run` (long polling) and `migrate`."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Sequence

from bot.config import ConfigError, Settings

log = logging.getLogger("bot")


def configure_logging(level: str) -> None:
    logging.basicConfig(
        level=level,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    # One line per request is noise at INFO; their failures still show.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)


def cmd_run(settings: Settings, _args: argparse.Namespace) -> int:
    from telegram import Update

    from bot.app import build_application

    app = build_application(settings)
    # bootstrap_retries=-1: keep retrying getMe while the network or the Bot API is down.
    app.run_polling(allowed_updates=Update.ALL_TYPES, bootstrap_retries=-1)
    log.info("villagebot stopped")
    return 0


def cmd_migrate(settings: Settings, _args: argparse.Namespace) -> int:
    from bot import migrate

    asyncio.run(migrate.upgrade(settings.database_url))
    log.info("database is at revision %s", migrate.head_revision())
    return 0


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(
        prog="villagebot", description="A Telegram bot for a village's own development."
    )
    sub = root.add_subparsers(dest="command", required=True)
    sub.add_parser("run", help="run the bot (long polling)").set_defaults(func=cmd_run)
    sub.add_parser("migrate", help="upgrade the database and exit").set_defaults(func=cmd_migrate)
    return root


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        settings = Settings.from_environment()
    except ConfigError as exc:
        print(f"villagebot: {exc}", file=sys.stderr)
        return 2
    configure_logging(settings.log_level)
    try:
        code: int = args.func(settings, args)
    except ConfigError as exc:
        print(f"villagebot: {exc}", file=sys.stderr)
        return 2
    return code
