"""Start the real `villagebot` program as a separate process, against the emulator."""

from __future__ import annotations

import asyncio
import itertools
import os
import signal
import sys
from collections.abc import AsyncIterator, Iterator, Mapping
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import time_machine

from bot.testing import BotApiEmulator

_runs = itertools.count(1)
CLOCK = Path(__file__).with_name("clock")  # its sitecustomize moves a started process's clock


def villagebot_command() -> list[str]:
    """The installed console script, as a user would run it (else `python -m bot`)."""
    script = Path(sys.executable).with_name("villagebot")
    return [str(script)] if script.exists() else [sys.executable, "-m", "bot"]


@dataclass
class BotProcess:
    process: asyncio.subprocess.Process
    log: Path

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    async def stop(self, sig: int = signal.SIGINT, timeout: float = 20) -> int:
        if self.process.returncode is None:
            self.process.send_signal(sig)
        return await asyncio.wait_for(self.process.wait(), timeout)


def bot_environment(
    tg: BotApiEmulator, api_url: str, database_url: str, extra: Mapping[str, str] | None = None
) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("TELEGRAM_", "VILLAGEBOT_", "DATABASE_URL"))
    }
    env.update(
        {
            "TELEGRAM_BOT_TOKEN": tg.token,
            "TELEGRAM_API_URL": api_url,
            "DATABASE_URL": database_url,
            "VILLAGEBOT_GROUP_MESSAGES_PER_MINUTE": "100000",
            "VILLAGEBOT_MESSAGES_PER_SECOND": "100000",
            "VILLAGEBOT_CHAT_MESSAGES_PER_SECOND": "100000",
            "LOG_LEVEL": "INFO",
            **(extra or {}),
        }
    )
    return env


@asynccontextmanager
async def villagebot(
    tg: BotApiEmulator,
    api_url: str,
    workdir: Path,
    database_url: str,
    *args: str,
    extra: Mapping[str, str] | None = None,
) -> AsyncIterator[BotProcess]:
    """`villagebot run` (or other arguments); killed at the end if still running."""
    log = workdir / f"villagebot-{next(_runs)}.log"
    with log.open("wb") as sink:
        process = await asyncio.create_subprocess_exec(
            *villagebot_command(),
            *(args or ("run",)),
            env=bot_environment(tg, api_url, database_url, extra),
            cwd=workdir,
            stdout=sink,
            stderr=sink,
        )
    running = BotProcess(process, log)
    try:
        yield running
    except BaseException:
        print(running.output())
        raise
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()


@contextmanager
def clock_at(moment: datetime) -> Iterator[dict[str, str]]:
    """Until the end of the block this test, and the processes it starts with the environment
    given (`extra`), live from `moment` on, as if the test had waited until then: wall clocks
    only, through time-machine. A process keeps its clock until it stops."""
    shift = (moment - datetime.now(UTC)).total_seconds()
    path = os.pathsep.join(filter(None, (str(CLOCK), os.environ.get("PYTHONPATH"))))
    with time_machine.travel(moment.timestamp(), tick=True):  # a datetime would also set TZ
        datetime.now(UTC)  # time-machine's clock starts ticking at its first reading
        yield {"VILLAGEBOT_TEST_CLOCK_SHIFT": f"{shift:.3f}", "PYTHONPATH": path}
