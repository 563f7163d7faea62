"""Every command of the bot, in menu order: one list serves /help and the Telegram menus."""

from __future__ import annotations

from dataclasses import dataclass

from bot.i18n import N_


@dataclass(frozen=True)
class Command:
    name: str
    description: str  # an untranslated message id; Telegram allows 1-256 characters
    leaders_only: bool = False
    in_group: bool = True
    in_private: bool = True


COMMANDS: tuple[Command, ...] = (
    Command("help", N_("What I can do")),
    Command("start", N_("Start a private chat with me"), in_group=False),
    Command("language", N_("Change the language")),
    Command("village", N_("Choose your village group"), in_group=False),
    Command("cancel", N_("Stop what you started"), in_group=False),
    Command("meetings", N_("Upcoming meetings")),
    Command("agenda", N_("The next meeting's agenda")),
    Command("minutes", N_("The last meeting's minutes (decisions)")),
    Command(
        "meeting",
        N_("Schedule a meeting: /meeting 2026-12-03 18:00 Title @ place"),
        leaders_only=True,
    ),
    Command("settings", N_("The village group's settings"), leaders_only=True),
    Command(
        "promote",
        N_("Add a member to the working group (reply to their message)"),
        leaders_only=True,
        in_private=False,
    ),
    Command(
        "demote",
        N_("Remove a member from the working group (reply to their message)"),
        leaders_only=True,
        in_private=False,
    ),
)

COMMAND_NAMES = frozenset(command.name for command in COMMANDS)


def available(*, in_private: bool, leader: bool) -> list[Command]:
    """The commands a caller may use here, residents' first."""
    usable = [
        c
        for c in COMMANDS
        if (c.in_private if in_private else c.in_group) and (leader or not c.leaders_only)
    ]
    return sorted(usable, key=lambda c: c.leaders_only)
