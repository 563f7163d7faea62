"""Names of the people behind a community's records, as the working group's documents show them.

Someone who asked to be forgotten keeps only an internal id: their ideas, comments and SWOT
inputs are shown as "a former resident".
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import N_
from bot.models import User

FORMER_RESIDENT = N_("a former resident")
A_RESIDENT = N_("a resident")


class Label(str):
    """A message id to be shown translated (like "a former resident"), not a person's text."""

    __slots__ = ()


class People:
    """Display names by user id, loaded in one query."""

    def __init__(self, names: dict[int, str]) -> None:
        self._names = names

    @classmethod
    async def load(cls, session: AsyncSession, ids: Iterable[int | None]) -> People:
        wanted = {user_id for user_id in ids if user_id is not None}
        if not wanted:
            return cls({})
        users = await session.scalars(select(User).where(User.id.in_(wanted)))
        return cls({user.id: user.display_name for user in users})

    def name(self, user_id: int | None) -> str:
        """The person's name, or "a former resident" (translated where it is shown)."""
        return self._names.get(user_id or 0) or Label(FORMER_RESIDENT)

    def author(self, user_id: int | None, anonymous: bool) -> str:
        """The author of something posted without a name is "a resident", wherever it shows."""
        return Label(A_RESIDENT) if anonymous else self.name(user_id)

    def known(self, user_id: int | None) -> str | None:
        """The person's name, or None for nobody and for people who asked to be forgotten
        (where a card or a message then shows no name)."""
        return self._names.get(user_id or 0) or None

    def optional(self, user_id: int | None) -> str | None:
        """A name where nobody may be meant (an idea's owner): None for nobody."""
        return None if user_id is None else self.name(user_id)
