"""`villagebot backup <file>`: a consistent copy of a live SQLite database.

SQLite's online backup API copies every page in one step inside one read transaction: in WAL
mode the bot keeps writing meanwhile, and the copy is the database as it was at one moment.
The copy is written beside the target, checked, made a self-contained single file, synced to
the disk, and only then moved into place, so a failed backup never leaves a half-written file
under that name. It holds residents' personal data: only its owner may read it (mode 0600).

A typo must not destroy a file: the target's folder must exist, an existing file is replaced
only with `force`, and never unless it is itself a villagebot database (an older backup).
"""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url

from bot.db import SQLITE_BUSY_TIMEOUT_MS, is_sqlite
from bot.terminal import _

SQLITE_HEADER = b"SQLite format 3\x00"
# Tables every villagebot database has: Alembic's revision and the villages.
BOT_TABLES = frozenset({"alembic_version", "communities"})


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
            _(
                "villagebot backup copies SQLite databases; for PostgreSQL use pg_dump "
                "(see the README's section on backups)"
            )
        )
    database = make_url(url).database
    if not database or database == ":memory:":
        raise BackupError(_("an in-memory database cannot be backed up"))
    return Path(database).expanduser().resolve()


def backup_sqlite(url: str, target: Path, *, force: bool = False) -> BackupResult:
    source = sqlite_file(url)
    if not source.is_file():
        raise BackupError(_("there is no database at {path}", path=source))
    target = target.expanduser().resolve()
    if target == source:
        raise BackupError(_("the backup must go to another file than the database itself"))
    _check_target(target, force)
    partial = target.with_name(f".{target.name}.partial")
    partial.unlink(missing_ok=True)
    try:
        os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        with (
            closing(sqlite3.connect(source, timeout=SQLITE_BUSY_TIMEOUT_MS / 1000)) as live,
            closing(sqlite3.connect(partial)) as copy,
        ):
            live.backup(copy)  # all pages in one step: one consistent snapshot
            # The live database is in WAL mode; the copy becomes one self-contained file.
            copy.execute("PRAGMA journal_mode=DELETE")
            problems = [row[0] for row in copy.execute("PRAGMA integrity_check")]
            if problems != ["ok"]:
                raise BackupError(
                    _("the copy failed its integrity check: {problems}", problems=problems[:3])
                )
            revision = _revision(copy)
        _fsync(partial)
        os.replace(partial, target)
        _fsync(target.parent)  # the new name survives a power cut too
    except sqlite3.Error as exc:
        raise BackupError(
            _("SQLite could not copy {path}: {reason}", path=source, reason=exc)
        ) from exc
    except OSError as exc:
        raise BackupError(
            _("cannot write {path}: {reason}", path=target, reason=exc.strerror or exc)
        ) from exc
    finally:
        partial.unlink(missing_ok=True)
    return BackupResult(target, target.stat().st_size, revision)


def _check_target(target: Path, force: bool) -> None:
    if target.is_dir():
        raise BackupError(_("{path} is a folder: give the backup file's name", path=target))
    if not target.parent.is_dir():
        raise BackupError(
            _(
                "there is no folder {path}: create it first, or choose another",
                path=target.parent,
            )
        )
    if not target.exists():
        return
    if not force:
        raise BackupError(
            _("{path} already exists: add --force to replace it with a new backup", path=target)
        )
    if not is_bot_database(target):
        raise BackupError(
            _(
                "{path} is not a villagebot database, so it is not replaced even with "
                "--force: choose another file name",
                path=target,
            )
        )


def is_bot_database(path: Path) -> bool:
    """A self-contained SQLite file with villagebot's tables: an older backup, safe to replace.
    A file SQLite still has side files for (-wal, -journal) is in use: it is not one."""
    try:
        with path.open("rb") as file:
            if file.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
                return False
    except OSError:
        return False
    if any(path.with_name(path.name + side).exists() for side in ("-wal", "-journal")):
        return False
    try:
        with closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)) as connection:
            tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
    except sqlite3.Error:
        return False
    return tables >= BOT_TABLES


def _fsync(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _revision(connection: sqlite3.Connection) -> str | None:
    try:
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.OperationalError:  # never migrated
        return None
    return str(row[0]) if row else None
