"""The processes a benchmark measures: the real `villagebot run`, or the bare echo bot, started
against the emulator; when they first ask for updates, and their peak memory."""

from __future__ import annotations

import asyncio
import signal
import sys
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

from bot.testing import BotApiEmulator, Params
from tests.e2e.process import bot_environment, villagebot_command

ECHO_BOT = Path(__file__).with_name("echo_bot.py")


@dataclass
class Polls:
    """Every getUpdates the bot makes, with its offset: the first one ends the start-up, and an
    offset past an update confirms that update (after processing, with villagebot's loop)."""

    calls: list[tuple[float, int]] = field(default_factory=list)
    first: asyncio.Event = field(default_factory=asyncio.Event)

    def __call__(self, method: str, params: Params) -> None:
        if method.lower() == "getupdates":
            loop = asyncio.get_running_loop()
            self.calls.append((loop.time(), params.integer("offset", 0) or 0))
            self.first.set()

    def confirmed_at(self, update_id: int) -> float | None:
        return next((at for at, offset in self.calls if offset > update_id), None)


@dataclass
class Running:
    process: asyncio.subprocess.Process
    log: Path
    spawned: float
    polls: Polls

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def memory_mb(self, field_name: str = "VmHWM") -> float:
        """Peak (VmHWM) or current (VmRSS) resident memory, from /proc (Linux)."""
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        for line in status.splitlines():
            if line.startswith(f"{field_name}:"):
                return int(line.split()[1]) / 1024
        raise RuntimeError(f"no {field_name} for process {self.process.pid}")

    async def started(self, timeout: float = 120) -> float:
        """Seconds from spawning the process to its first getUpdates."""
        await asyncio.wait_for(self.polls.first.wait(), timeout)
        return self.polls.calls[0][0] - self.spawned

    async def stop(self, timeout: float = 60) -> int:
        if self.process.returncode is None:
            self.process.send_signal(signal.SIGINT)
        return await asyncio.wait_for(self.process.wait(), timeout)


@asynccontextmanager
async def spawn(
    tg: BotApiEmulator,
    api_url: str,
    workdir: Path,
    *,
    echo: bool = False,
    database_url: str = "",
    extra: Mapping[str, str] | None = None,
) -> AsyncIterator[Running]:
    """`villagebot run` on `database_url`, or the echo bot; killed at the end if still running."""
    polls = Polls()
    tg.faults.append(polls)
    name = "echo" if echo else "villagebot"
    log = workdir / f"{name}.log"
    command = [sys.executable, str(ECHO_BOT)] if echo else [*villagebot_command(), "run"]
    env = bot_environment(tg, api_url, database_url, {"LOG_LEVEL": "WARNING", **(extra or {})})
    loop = asyncio.get_running_loop()
    with log.open("wb") as sink:
        spawned = loop.time()
        process = await asyncio.create_subprocess_exec(
            *command, env=env, cwd=workdir, stdout=sink, stderr=sink
        )
    running = Running(process, log, spawned, polls)
    try:
        yield running
    finally:
        tg.faults.remove(polls)
        if process.returncode is None:
            process.kill()
            await process.wait()
