"""The processes a benchmark measures: the real `villagebot run` (polling, or a webhook worker),
or the bare echo bot, started against the emulator; when they first ask for updates (or the
webhook first took one), their peak memory and the processor time they used."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import AsyncIterator, Mapping, Sequence
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
class Delivered(Polls):
    """Webhook mode: an update is confirmed when the bot's server answered 2xx to its POST (the
    emulator's delivery reports it); `first` is set by the first one."""

    at: dict[int, float] = field(default_factory=dict)

    def __call__(self, method: str, params: Params) -> None:
        return None

    def attach(self, tg: BotApiEmulator) -> None:
        """Hear the emulator's webhook delivery: it reports each answer to `webhook_answered`."""
        answered = tg.webhook_answered

        async def hear(update_id: int, error: str | None) -> None:
            if error is None:
                self.at.setdefault(update_id, asyncio.get_running_loop().time())
                self.first.set()
            await answered(update_id, error)

        tg.webhook_answered = hear  # type: ignore[method-assign]

    def confirmed_at(self, update_id: int) -> float | None:
        return self.at.get(update_id)


def cpu_seconds(pid: int, *, children: bool = False) -> float:
    """Processor time (user and system) a process used so far, from /proc (Linux); with
    `children`, also that of its children that ended (PostgreSQL's finished backends)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    # After the name: state is field 3; utime, stime, cutime, cstime are fields 14 to 17.
    used = int(fields[11]) + int(fields[12])
    if children:
        used += int(fields[13]) + int(fields[14])
    return used / os.sysconf("SC_CLK_TCK")


def parent_of(pid: int) -> int:
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])


def family_cpu_seconds(parent: int) -> float:
    """A server's processor time: its own, its finished children's and its live children's."""
    used = cpu_seconds(parent, children=True)
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if parent_of(int(entry.name)) == parent:
                used += cpu_seconds(int(entry.name))
        except (OSError, ValueError, IndexError):
            continue  # ended meanwhile
    return used


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

    def cpu_seconds(self) -> float:
        return cpu_seconds(self.process.pid)

    async def started(self, timeout: float = 120) -> float:
        """Seconds from spawning the process to its first getUpdates."""
        await asyncio.wait_for(self.polls.first.wait(), timeout)
        return self.polls.calls[0][0] - self.spawned

    async def stop(self, timeout: float = 60, sig: int = signal.SIGINT) -> int:
        if self.process.returncode is None:
            self.process.send_signal(sig)
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
    args: Sequence[str] = ("run",),
    name: str = "",
    polls: Polls | None = None,
) -> AsyncIterator[Running]:
    """`villagebot` with `args` on `database_url`, or the echo bot; its output goes to
    `<name>.log` in `workdir`; killed at the end if still running."""
    polls = polls if polls is not None else Polls()
    tg.faults.append(polls)
    name = name or ("echo" if echo else "villagebot")
    log = workdir / f"{name}.log"
    command = [sys.executable, str(ECHO_BOT)] if echo else [*villagebot_command(), *args]
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
