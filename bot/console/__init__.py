"""`villagebot console`: try the bot in a terminal, offline, against the Bot API emulator."""

from bot.console.session import ConsoleOptions, main, run_console
from bot.console.transcript import Transcript

__all__ = ["ConsoleOptions", "Transcript", "main", "run_console"]
