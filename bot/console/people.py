"""The demo village's people: who the person at the terminal can be, and how to name them."""

from __future__ import annotations

from dataclasses import dataclass

from bot.i18n import N_
from bot.terminal import _
from bot.testing import BotApiEmulator, FakeUser


@dataclass(frozen=True)
class Role:
    """A demo person: their role word (`/as leader`; shown translated), Telegram name and
    @username, and what they do."""

    role: str
    name: str
    username: str
    about: str


RESIDENT = Role(N_("resident"), "Jānis", "janis", N_("a resident, a plain member of the group"))
LEADER = Role(N_("leader"), "Anna", "anna", N_("the group's admin, so she leads the working group"))
ROLES = (RESIDENT, LEADER)


@dataclass(frozen=True)
class Person:
    role: Role
    user: FakeUser

    @property
    def handle(self) -> str:
        return f"{self.role.name} @{self.role.username}"


class People:
    """The demo people in the emulator, found by role, @username or name."""

    def __init__(self, tg: BotApiEmulator, language: str) -> None:
        self.all = [
            Person(role, tg.user(role.name, username=role.username, language_code=language))
            for role in ROLES
        ]

    def of(self, role: Role) -> Person:
        return next(person for person in self.all if person.role == role)

    def find(self, who: str) -> Person | None:
        """`leader` (or the word in the terminal's language), `@anna`, `anna` and `Anna`
        all name Anna."""
        wanted = who.strip().removeprefix("@").casefold()
        return next(
            (
                person
                for person in self.all
                if wanted
                in (
                    person.role.role,
                    _(person.role.role).casefold(),
                    person.role.username,
                    person.role.name.casefold(),
                )
            ),
            None,
        )

    def owner(self, user: FakeUser) -> Person | None:
        return next((person for person in self.all if person.user is user), None)

    def listing(self, me: FakeUser) -> list[str]:
        you = " " + _("(you)")
        return [
            f"  {person.handle}{you if person.user is me else ''} — {_(person.role.about)}"
            for person in self.all
        ]
