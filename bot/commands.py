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
    needs_board: bool = False  # listed only while the board is on (VILLAGEBOT_WEB_URL)


COMMANDS: tuple[Command, ...] = (
    Command("help", N_("What I can do")),
    Command("idea", N_("Share an idea, or see one: /idea 5")),
    Command("ideas", N_("Open ideas, most supported first")),
    Command("board", N_("The village board: everything at a glance"), needs_board=True),
    Command("victory", N_("Share a small victory: what went well")),
    Command("victories", N_("This year's small victories")),
    Command("start", N_("Start a private chat with me"), in_group=False),
    Command("language", N_("Change the language")),
    Command("village", N_("Choose your village group"), in_group=False),
    Command("cancel", N_("Stop what you started"), in_group=False),
    Command("strength", N_("Add a strength of the village (SWOT)")),
    Command("weakness", N_("Add a weakness of the village (SWOT)")),
    Command("opportunity", N_("Add an opportunity for the village (SWOT)")),
    Command("threat", N_("Add a threat to the village (SWOT)")),
    Command("swot", N_("The SWOT analysis board")),
    Command("swotvote", N_("Rate the SWOT inputs one by one"), in_group=False),
    Command("polls", N_("Open and recent polls")),
    Command("meetings", N_("Upcoming meetings")),
    Command("agenda", N_("The next meeting's agenda")),
    Command("minutes", N_("The last meeting's minutes (decisions)")),
    Command("vision", N_("The village's vision and goals")),
    Command("mydata", N_("Everything I keep about you, as a file"), in_group=False),
    Command("forgetme", N_("Have me forget you"), in_group=False),
    Command("publicname", N_("Your name on public village pages (working group)"), in_group=False),
    Command("status", N_("Change an idea's status: /status 5 accepted"), leaders_only=True),
    Command(
        "ideaset",
        N_("Set an idea's owner, cost, funding or progress"),
        leaders_only=True,
    ),
    Command("ideaunhide", N_("Show a hidden idea again: /ideaunhide 5"), leaders_only=True),
    Command(
        "digest",
        N_("The digest so far, to copy or share as a picture"),
        leaders_only=True,
        in_group=False,
    ),
    Command(
        "meeting",
        N_("Schedule a meeting: /meeting 2026-12-03 18:00 Title @ place"),
        leaders_only=True,
    ),
    Command("settings", N_("The village group's settings"), leaders_only=True),
    Command("swotmerge", N_("Merge two SWOT inputs: /swotmerge S4 S2"), leaders_only=True),
    Command("swotmove", N_("Move a SWOT input to another part: /swotmove S4 O"), leaders_only=True),
    Command("swothide", N_("Hide a SWOT input: /swothide S4"), leaders_only=True),
    Command("swotunhide", N_("Show a hidden SWOT input again: /swotunhide S4"), leaders_only=True),
    Command("swotround", N_("Start a new SWOT round (the old one is kept)"), leaders_only=True),
    Command("poll", N_("Start a poll"), leaders_only=True),
    Command(
        "ideapoll", N_("Put the most supported ideas to a vote: /ideapoll 5"), leaders_only=True
    ),
    Command(
        "closepoll",
        N_("Close a poll now (reply to it)"),
        leaders_only=True,
        in_private=False,
    ),
    Command(
        "papervotes",
        N_("Add paper votes to a poll (reply to it)"),
        leaders_only=True,
        in_private=False,
    ),
    Command("decision", N_("Record a decision"), leaders_only=True),
    Command(
        "budget",
        N_("A participatory budget: the village votes on its ideas, /budget 5000 14d"),
        leaders_only=True,
    ),
    Command("stats", N_("Participation figures with a chart"), leaders_only=True),
    Command(
        "export",
        N_("Everything recorded, as a spreadsheet (sent privately)"),
        leaders_only=True,
    ),
    Command(
        "plan",
        N_("The development plan's draft, as a document (sent privately)"),
        leaders_only=True,
    ),
    Command("goal", N_("Add a goal: /goal text; remove one: /goal -2"), leaders_only=True),
    Command("log", N_("The working group's latest actions"), leaders_only=True),
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


def available(*, in_private: bool, leader: bool, board: bool = False) -> list[Command]:
    """The commands a caller may use here, residents' first (`board`: the board is on)."""
    usable = [
        c
        for c in COMMANDS
        if (c.in_private if in_private else c.in_group)
        and (leader or not c.leaders_only)
        and (board or not c.needs_board)
    ]
    return sorted(usable, key=lambda c: c.leaders_only)
