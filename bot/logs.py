"""Logging for a server: one line per event, tagged with the update and community it concerns.

The decorator in `handlers/context.py` and the job wrapper in `handlers/jobs.py` say which update
and community they are working on; every record logged meanwhile, by any module, carries them.
Context variables keep concurrent updates and jobs apart.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TextIO

_update: ContextVar[int | None] = ContextVar("villagebot_update", default=None)
_community: ContextVar[int | None] = ContextVar("villagebot_community", default=None)

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
