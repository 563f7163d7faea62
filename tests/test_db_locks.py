"""Work that one worker of a region does at a time (bot.db.Database.exclusive, lock_key)."""

from __future__ import annotations

from bot.db import Database, lock_key


def test_lock_keys_stay_clear_of_chat_ids() -> None:
    """Chat ids key the per-chat locks; Telegram's stay under 2**53 either side of zero."""
    keys = {lock_key(name) for name in ("migrate", "poll-close:1", "poll-close:2")}
    assert len(keys) == 3
    assert all(2**62 <= key < 2**63 for key in keys)
    assert lock_key("poll-close:1") == lock_key("poll-close:1")


async def test_one_worker_at_a_time(database_url: str) -> None:
    """Two workers (two engines on one database) try the same work: on PostgreSQL one gets it
    until it is done; SQLite serves one process, which always may."""
    first, second = Database(database_url), Database(database_url)
    alone = database_url.startswith("sqlite")
    try:
        async with first.exclusive("poll-close:7") as mine:
            assert mine
            async with second.exclusive("poll-close:7") as theirs:
                assert theirs is alone
            async with second.exclusive("poll-close:8") as other_work:
                assert other_work
        async with second.exclusive("poll-close:7") as now_theirs:
            assert now_theirs
    finally:
        await first.dispose()
        await second.dispose()
