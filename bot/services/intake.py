"""The per-user intake limit: noise cannot crowd out work.

One person writing to the bot as fast as a client allows must not take the bot's time (and its
share of Telegram's flood limits) from everyone else. Updates are weighed: *work* (what a
resident contributes: ideas, supports, votes, poll answers, SWOT inputs, comments, RSVPs, any
command or button that changes something) is always admitted; *noise* (read-only: plain text in
private chat, unknown commands, /help, listings, page turns) is admitted up to `limit` per
`period` seconds per person, in a sliding window; past it the person is told to slow down once
per period and the rest goes unanswered. *Quiet* updates (group chatter, edits, commands for
other bots) are answered by nobody, so they pass and are not counted.

Which command and button is which is the data below, in this one place.
"""

from __future__ import annotations

import time
from collections import OrderedDict, deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Literal

from bot.services.ideas import parse_number


class Weight(Enum):
    WORK = "work"  # contributes: always admitted
    NOISE = "noise"  # read-only: admitted up to the limit
    QUIET = "quiet"  # nothing answers it: passes, not counted


class Reads(Enum):
    """When a command only shows something (and may go unanswered past the limit)."""

    ALWAYS = "always"  # a listing or a view, whatever follows the command
    BARE = "bare"  # a view alone; with words after it, a change (`/vision <text>`)
    NUMBER = "number"  # a view alone or with a number (`/idea 5`); with text, a contribution
    NEVER = "never"  # changes something, or starts or answers a contribution


# Every command of bot.commands (tests check none is missing). A command not listed here is
# unknown: noise in private chat or when addressed to this bot, quiet otherwise.
COMMANDS: Mapping[str, Reads] = {
    "help": Reads.ALWAYS,
    "start": Reads.BARE,  # `/start <payload>` continues a flow or joins a village
    "idea": Reads.NUMBER,
    "ideas": Reads.ALWAYS,
    "board": Reads.ALWAYS,  # a button to open the board
    "victory": Reads.NEVER,
    "victories": Reads.ALWAYS,
    "language": Reads.ALWAYS,  # shows buttons; the pick is a button (work)
    "village": Reads.ALWAYS,  # likewise
    "cancel": Reads.NEVER,
    "strength": Reads.NEVER,
    "weakness": Reads.NEVER,
    "opportunity": Reads.NEVER,
    "threat": Reads.NEVER,
    "swot": Reads.ALWAYS,
    "swotvote": Reads.ALWAYS,  # shows an input to rate; the rating is a button (work)
    "polls": Reads.ALWAYS,
    "meetings": Reads.ALWAYS,
    "agenda": Reads.BARE,
    "minutes": Reads.BARE,
    "vision": Reads.BARE,
    "mydata": Reads.ALWAYS,
    "forgetme": Reads.NEVER,  # a request about one's own data is always heard
    "publicname": Reads.BARE,  # where the consent stands; with on or off, a change
    "status": Reads.NEVER,
    "ideaset": Reads.NEVER,
    "ideaunhide": Reads.NEVER,
    "digest": Reads.ALWAYS,
    "meeting": Reads.NEVER,
    "settings": Reads.BARE,
    "swotmerge": Reads.NEVER,
    "swotmove": Reads.NEVER,
    "swothide": Reads.NEVER,
    "swotunhide": Reads.NEVER,
    "swotround": Reads.NEVER,
    "poll": Reads.NEVER,
    "ideapoll": Reads.NEVER,
    "closepoll": Reads.NEVER,
    "papervotes": Reads.NEVER,
    "decision": Reads.NEVER,
    "budget": Reads.BARE,  # the round alone; with words, a change
    "stats": Reads.ALWAYS,
    "export": Reads.ALWAYS,
    "plan": Reads.ALWAYS,
    "goal": Reads.NEVER,
    "log": Reads.ALWAYS,
    "promote": Reads.NEVER,
    "demote": Reads.NEVER,
}

# Callback kinds (bot.keyboards) of buttons that only turn a page; every other known button
# changes something. Data of no known kind is a stale or forged button: noise.
VIEW_BUTTONS = frozenset({"ideas", "swp", "vpage"})


@dataclass(frozen=True)
class Arrival:
    """What the intake needs to know of an update, read from it by the handler.

    `what`: a command, a button press, a message of a person (text, photo, sticker…), or
    anything else (service messages, polls, poll answers, membership changes, edits).
    """

    what: Literal["command", "button", "message", "other"]
    private: bool = False
    name: str = ""  # the command (lower case) or the button's callback kind ("" unknown)
    args: str = ""  # the words after the command
    addressed: bool = False  # a command naming this bot (`/help@villagebot`)
    elsewhere: bool = False  # a command naming another bot (`/help@otherbot`): unknown here
    comment: bool = False  # a message replying to an idea: a comment
    edited: bool = False


def weigh(arrival: Arrival) -> Weight:
    """Work, noise or quiet: the one classification of updates."""
    if arrival.edited:
        return Weight.QUIET  # an edit changes nothing and gets no answer
    if arrival.what == "command":
        return _command(arrival)
    if arrival.what == "button":
        if not arrival.name or arrival.name in VIEW_BUTTONS:
            return Weight.NOISE
        return Weight.WORK
    if arrival.what == "message":
        if arrival.comment:
            return Weight.WORK
        # In private chat it may answer a guided flow: the handler asks before dropping it.
        return Weight.NOISE if arrival.private else Weight.QUIET
    return Weight.WORK


def _command(arrival: Arrival) -> Weight:
    reads = None if arrival.elsewhere else COMMANDS.get(arrival.name)
    if reads is None:
        # Unknown: answered in private chat; in a group only when it names this bot (other
        # bots in the group may own the rest).
        return Weight.NOISE if arrival.private or arrival.addressed else Weight.QUIET
    args = arrival.args.strip()
    if reads is Reads.ALWAYS:
        return Weight.NOISE
    if reads is Reads.BARE:
        return Weight.WORK if args else Weight.NOISE
    if reads is Reads.NUMBER:
        view = not args or (len(args.split()) == 1 and parse_number(args) is not None)
        return Weight.NOISE if view else Weight.WORK
    return Weight.WORK


@dataclass(frozen=True)
class Verdict:
    admitted: bool
    slow_down: bool = False  # tell the person to slow down (once per period)


ADMIT = Verdict(admitted=True)
DROP = Verdict(admitted=False)
DROP_AND_SAY = Verdict(admitted=False, slow_down=True)


@dataclass
class _Sender:
    """One person's recent noise: the times of what was admitted (at most `limit`)."""

    admitted: deque[float]
    seen: float
    warned: float | None = None
    # False once the database said they had no open flow, until their next work.
    may_have_flow: bool = True


@dataclass
class Intake:
    """Per-person sliding windows, in memory, for one bot process.

    Memory is bounded: a person idle for a whole period is forgotten (nothing of theirs would
    count any more), and past `max_senders` the longest idle go first. Work never creates an
    entry, so only people sending noise are remembered.
    """

    limit: int = 20
    period: float = 60.0
    max_senders: int = 10_000
    clock: Callable[[], float] = time.monotonic
    _senders: OrderedDict[int, _Sender] = field(default_factory=OrderedDict, repr=False)

    def __post_init__(self) -> None:
        if self.limit < 1 or self.period <= 0 or self.max_senders < 1:
            raise ValueError("the intake limit, period and size must be positive")

    def __len__(self) -> int:
        """How many people are remembered."""
        return len(self._senders)

    def over_limit(self, sender: int) -> bool:
        """Whether noise from `sender` now would be dropped (nothing is recorded)."""
        entry = self._senders.get(sender)
        return entry is not None and self._full(entry, self.clock())

    def may_have_flow(self, sender: int) -> bool:
        """False when the database said `sender` has no open flow and they did no work since
        (so their private text past the limit needs no second look)."""
        entry = self._senders.get(sender)
        return entry is None or entry.may_have_flow

    def no_flow(self, sender: int) -> None:
        entry = self._senders.get(sender)
        if entry is not None:
            entry.may_have_flow = False

    def admit(self, sender: int, weight: Weight) -> Verdict:
        """The verdict on one update of `sender`, recording admitted noise."""
        now = self.clock()
        self._forget_idle(now)
        if weight is not Weight.NOISE:
            entry = self._senders.get(sender)
            if entry is not None and weight is Weight.WORK:
                entry.may_have_flow = True  # work may have opened a flow
            return ADMIT
        entry = self._senders.get(sender)
        if entry is None:
            entry = _Sender(deque(maxlen=self.limit), now)
            self._senders[sender] = entry
            while len(self._senders) > self.max_senders:
                self._senders.popitem(last=False)
        entry.seen = now
        self._senders.move_to_end(sender)
        if not self._full(entry, now):
            entry.admitted.append(now)
            return ADMIT
        if entry.warned is None or now - entry.warned >= self.period:
            entry.warned = now
            return DROP_AND_SAY
        return DROP

    def _full(self, entry: _Sender, now: float) -> bool:
        window = entry.admitted
        while window and now - window[0] >= self.period:
            window.popleft()
        return len(window) >= self.limit

    def _forget_idle(self, now: float) -> None:
        """Drop people not heard from for a period: the longest idle are first in line."""
        while self._senders:
            sender, entry = next(iter(self._senders.items()))
            if now - entry.seen < self.period:
                return
            del self._senders[sender]
