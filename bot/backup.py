"""`villagebot backup <file>`: a consistent copy of a live SQLite database.

SQLite's online backup API copies every page in one step inside one read transaction: in WAL
mode the bot keeps writing meanwhile, and the copy is the database as it was at one moment.
The copy is written beside the target, checked, made a self-contained single file, and only
then moved into place, so a failed backup never leaves a half-written file under that name.
"""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url

from bot.db import SQLITE_BUSY_TIMEOUT_MS, is_sqlite


class BackupError(Exception):
    """The backup cannot be made; the message says why in plain words."""


@dataclass(frozen=True)
class BackupResult:
    path: Path
    size: int
    revision: str | None


def sqlite_file(url: str) -> Path:
    """The database file behind a SQLite URL."""
    if not is_sqlite(url):
        raise BackupError(
            "villagebot backup copies SQLite databases; for PostgreSQL use pg_dump "
            "(see the README's section on backups)"
        )
    database = make_url(url).database
    if not database or database == ":memory:":
        raise BackupError("an in-memory database cannot be backed up")
    return Path(database).expanduser().resolve()


def backup_sqlite(url: str, target: Path) -> BackupResult:
    source = sqlite_file(url)
    if not source.is_file():
        raise BackupError(f"there is no database at {source}")
    target = target.expanduser().resolve()
    if target == source:
        raise BackupError("the backup must go to another file than the database itself")
    if target.is_dir():
        raise BackupError(f"{target} is a folder: give the backup file's name")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial")
    partial.unlink(missing_ok=True)
    try:
        with (
            closing(sqlite3.connect(source, timeout=SQLITE_BUSY_TIMEOUT_MS / 1000)) as live,
            closing(sqlite3.connect(partial)) as copy,
        ):
            live.backup(copy)  # all pages in one step: one consistent snapshot
            # The live database is in WAL mode; the copy becomes one self-contained file.
            copy.execute("PRAGMA journal_mode=DELETE")
            problems = [row[0] for row in copy.execute("PRAGMA integrity_check")]
            if problems != ["ok"]:
                raise BackupError(f"the copy failed its integrity check: {problems[:3]}")
            revision = _revision(copy)
        os.replace(partial, target)
    except sqlite3.Error as exc:
        raise BackupError(f"SQLite could not copy {source}: {exc}") from exc
    finally:
        partial.unlink(missing_ok=True)
    return BackupResult(target, target.stat().st_size, revision)


def _revision(connection: sqlite3.Connection) -> str | None:
    try:
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.OperationalError:  # never migrated
        return None
    return str(row[0]) if row else None
