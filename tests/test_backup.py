"""`villagebot backup`: a copy taken while the bot writes is consistent, restores and works."""

from __future__ import annotations

import asyncio
import os
import shutil
import sqlite3
import stat
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot import migrate
from bot.backup import BackupError, backup_sqlite, is_bot_database
from bot.cli import main
from bot.db import Database
from bot.doctor import check_database
from bot.models import AuditEntry, Community


async def _counts(db: Database) -> tuple[int, int]:
    async with db.transaction() as session:
        communities = await session.scalar(select(func.count()).select_from(Community))
        entries = await session.scalar(select(func.count()).select_from(AuditEntry))
    return int(communities or 0), int(entries or 0)


class Writer:
    """Like the bot at work: each transaction adds a community and its audit entry, so a
    consistent copy holds whole pairs."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.written = 0
        self.stop = asyncio.Event()
        self.progress = asyncio.Event()

    async def run(self) -> None:
        while not self.stop.is_set():
            n = self.written + 1
            async with self.db.transaction() as session:
                community = Community(chat_id=-n, title=f"V{n}", language="lv", timezone="UTC")
                session.add(community)
                await session.flush()
                session.add(AuditEntry(community_id=community.id, action="test", details={"n": n}))
            self.written = n
            self.progress.set()
            await asyncio.sleep(0)

    async def until(self, count: int) -> None:
        while self.written < count:
            self.progress.clear()
            await self.progress.wait()


async def test_a_backup_taken_while_writing_restores_consistent(
    sqlite_url: str, tmp_path: Path
) -> None:
    await migrate.upgrade(sqlite_url)
    db = Database(sqlite_url)
    async with db.transaction() as session:  # enough pages that copying them takes a while
        session.add(Community(chat_id=1, title="Ballast", language="lv", timezone="UTC"))
        await session.flush()
        session.add_all(
            AuditEntry(community_id=1, action="ballast", details={"text": "x" * 2000})
            for _ in range(4000)
        )
    (tmp_path / "saved").mkdir()
    writer = Writer(db)
    task = asyncio.create_task(writer.run())
    try:
        await writer.until(50)
        before = writer.written
        result = await asyncio.to_thread(backup_sqlite, sqlite_url, tmp_path / "saved" / "v.db")
        during = writer.written
        await writer.until(during + 20)  # the bot goes on writing after the copy
    finally:
        writer.stop.set()
        await task
        await db.dispose()
    assert result.revision == migrate.head_revision()
    assert result.size == result.path.stat().st_size > 0
    assert not list(result.path.parent.glob(".*partial"))

    # Restore as the README says: the copy replaces the database file.
    restored = tmp_path / "restored" / "villagebot.db"
    restored.parent.mkdir()
    shutil.copyfile(result.path, restored)
    restored_url = f"sqlite+aiosqlite:///{restored}"
    assert [finding.ok for finding in await check_database(restored_url)] == [True]
    await migrate.upgrade(restored_url)  # the bot's start-up step: nothing to do
    copy = Database(restored_url)
    try:
        communities, entries = await _counts(copy)
        assert communities - 1 == entries - 4000  # every village with its entry, no half pair
        assert before < during  # writes went on while the copy was made
        assert before <= communities - 1 <= during < writer.written
        async with copy.transaction() as session:
            numbers = (await session.scalars(select(AuditEntry.details))).all()
        assert sorted(d["n"] for d in numbers if "n" in d) == list(range(1, communities))
    finally:
        await copy.dispose()


async def test_backup_refuses_what_it_cannot_copy(sqlite_url: str, tmp_path: Path) -> None:
    with pytest.raises(BackupError, match="there is no database"):
        backup_sqlite(sqlite_url, tmp_path / "copy.db")
    await migrate.upgrade(sqlite_url)
    database_file = Path(sqlite_url.removeprefix("sqlite+aiosqlite:///"))
    with pytest.raises(BackupError, match="another file"):
        backup_sqlite(sqlite_url, database_file)
    with pytest.raises(BackupError, match="folder"):
        backup_sqlite(sqlite_url, tmp_path)
    with pytest.raises(BackupError, match="pg_dump"):
        backup_sqlite("postgresql+asyncpg://u@127.0.0.1/villagebot", tmp_path / "copy.db")


def _migrated(url: str) -> None:
    asyncio.run(migrate.upgrade(url))


def test_backup_replaces_only_an_older_backup_and_only_when_forced(
    sqlite_url: str, tmp_path: Path
) -> None:
    _migrated(sqlite_url)
    readme = tmp_path / "README.md"
    readme.write_text("# villagebot\n")
    with pytest.raises(BackupError, match="already exists"):
        backup_sqlite(sqlite_url, readme)
    with pytest.raises(BackupError, match="not a villagebot"):
        backup_sqlite(sqlite_url, readme, force=True)
    assert readme.read_text() == "# villagebot\n"
    other = tmp_path / "other.db"  # a SQLite database, but not the bot's
    with sqlite3.connect(other) as connection:
        connection.execute("CREATE TABLE notes (text TEXT)")
    with pytest.raises(BackupError, match="not a villagebot"):
        backup_sqlite(sqlite_url, other, force=True)
    assert not is_bot_database(other)
    assert not is_bot_database(readme)

    older = backup_sqlite(sqlite_url, tmp_path / "nightly.db").path
    assert is_bot_database(older)
    with pytest.raises(BackupError, match="--force"):
        backup_sqlite(sqlite_url, older)
    assert backup_sqlite(sqlite_url, older, force=True).path == older
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_a_missing_folder_is_refused_not_created(sqlite_url: str, tmp_path: Path) -> None:
    _migrated(sqlite_url)
    with pytest.raises(BackupError, match="there is no folder"):
        backup_sqlite(sqlite_url, tmp_path / "typo" / "copy.db")
    assert not (tmp_path / "typo").exists()


def test_the_copy_is_private_and_synced_to_the_disk(
    sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _migrated(sqlite_url)
    synced: list[tuple[int, bool]] = []
    real_fsync = os.fsync

    def fsync(descriptor: int) -> None:
        info = os.fstat(descriptor)
        synced.append((info.st_ino, stat.S_ISDIR(info.st_mode)))
        real_fsync(descriptor)

    monkeypatch.setattr(os, "fsync", fsync)
    copy = backup_sqlite(sqlite_url, tmp_path / "copy.db").path
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    assert (copy.stat().st_ino, False) in synced
    assert synced[-1] == (tmp_path.stat().st_ino, True)  # the folder, after the rename


async def test_the_backup_command(
    sqlite_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    await migrate.upgrade(sqlite_url)
    monkeypatch.setattr("bot.cli.configure_logging", lambda level: None)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    assert await asyncio.to_thread(main, ["backup", "nightly.db"]) == 0
    assert f"Backed up to {tmp_path / 'nightly.db'}" in capsys.readouterr().out
    monkeypatch.setenv("DATABASE_URL", "postgresql+asyncpg://u@127.0.0.1/villagebot")
    assert await asyncio.to_thread(main, ["backup", "nightly.db"]) == 1
    assert "use pg_dump" in capsys.readouterr().err
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    (tmp_path / "README.md").write_text("# villagebot\n")
    assert await asyncio.to_thread(main, ["backup", "README.md"]) == 1
    assert await asyncio.to_thread(main, ["backup", "--force", "README.md"]) == 1
    refusals = capsys.readouterr().err.splitlines()
    assert refusals == [
        f"villagebot backup: {tmp_path / 'README.md'} already exists: add --force to replace it "
        "with a new backup",
        f"villagebot backup: {tmp_path / 'README.md'} is not a villagebot database, so it is not "
        "replaced even with --force: choose another file name",
    ]
    assert (tmp_path / "README.md").read_text() == "# villagebot\n"
    assert await asyncio.to_thread(main, ["backup", "--force", "nightly.db"]) == 0
