"""Logging for a server: one line per event, tagged with the update and community it concerns.

The decorator in `handlers/context.py` and the job wrapper in `handlers/jobs.py` say which update
and community they are working on; every record logged meanwhile, by any module, carries them.
Context variables keep concurrent updates and jobs apart.

Records name an update by its id, type and chat, never by its content: logs are kept and
shared, and names, usernames and message texts are residents' personal data. The bot token is
blanked out of every record (`hide_secrets`): python-telegram-bot and HTTP libraries log URLs
that hold `/bot<token>/`, at DEBUG and in some errors.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TextIO

from telegram import Update

_update: ContextVar[int | None] = ContextVar("villagebot_update", default=None)
_community: ContextVar[int | None] = ContextVar("villagebot_community", default=None)
_secrets: set[str] = set()
_make_record = logging.getLogRecordFactory()
HIDDEN = "<hidden>"

FORMAT = "%(asctime)s %(levelname)s %(name)s%(tags)s: %(message)s"
QUIET_LOGGERS = {
    # One line per request is noise at INFO; their failures still show.
    "httpx": logging.WARNING,
    "apscheduler": logging.WARNING,
    "alembic.runtime.plugins": logging.WARNING,
}


@contextmanager
def event(*, update: int | None = None, community: int | None = None) -> Iterator[None]:
    """Tag the records logged inside the block; nested blocks and other tasks are unaffected."""
    update_token = _update.set(update)
    community_token = _community.set(community)
    try:
        yield
    finally:
        _community.reset(community_token)
        _update.reset(update_token)


def set_community(community: int | None) -> None:
    """The community became known part-way through an update (after it was loaded)."""
    _community.set(community)


def describe(update: object) -> str:
    """What a log line may say about an update: its id, its type and its chat."""
    if not isinstance(update, Update):
        return "none" if update is None else type(update).__name__
    kind = next((k for k in Update.ALL_TYPES if getattr(update, k, None) is not None), "unknown")
    chat = update.effective_chat
    return f"{update.update_id} ({kind}, chat {chat.id if chat else '-'})"


def hide_secrets(*secrets: str | None) -> None:
    """From now on, no log record holds these: they are blanked out as each record is made,
    so every handler (the server's stream, a test's capture) gets the clean record."""
    if not _secrets:
        logging.setLogRecordFactory(_record_without_secrets)
    _secrets.update(secret for secret in secrets if secret)


def _blank(text: str) -> str:
    for secret in _secrets:
        text = text.replace(secret, HIDDEN)
    return text


def _record_without_secrets(*args: Any, **kwargs: Any) -> logging.LogRecord:
    record = _make_record(*args, **kwargs)
    try:
        message = record.getMessage()
    except Exception:  # a malformed call: logging reports it when the record is emitted
        return record
    blanked = _blank(message)
    if blanked != message:
        record.msg, record.args = blanked, None
    if record.exc_info and record.exc_info[1] is not None:
        text = logging.Formatter().formatException(record.exc_info)
        blanked = _blank(text)
        if blanked != text:
            record.exc_text = blanked
    return record


class ContextFilter(logging.Filter):
    """Adds `tags` (" update=12 community=3", or "") to every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        tags = []
        update, community = _update.get(), _community.get()
        if update is not None:
            tags.append(f"update={update}")
        if community is not None:
            tags.append(f"community={community}")
        record.tags = "".join(f" {tag}" for tag in tags)
        return True


class OneLineFormatter(logging.Formatter):
    """A traceback or a multi-line message stays on its record's line (newlines become `\\n`),
    so journald, grep and log shippers see one event per line."""

    def format(self, record: logging.LogRecord) -> str:
        if not hasattr(record, "tags"):
            record.tags = ""
        return super().format(record).replace("\r", "").replace("\n", "\\n")


def configure(level: str, stream: TextIO | None = None) -> None:
    """Install the one-line handler on the root logger at `level` (from LOG_LEVEL)."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.addFilter(ContextFilter())
    handler.setFormatter(OneLineFormatter(FORMAT))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    for name, quiet in QUIET_LOGGERS.items():
        logging.getLogger(name).setLevel(quiet)
