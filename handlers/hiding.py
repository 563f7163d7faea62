"""Hiding, one shape for SWOT inputs and ideas: a leader asks, a question with the text comes
back, only that leader answers it, and the answer carries the undo (a button and a command).

Everything a press needs is in its callback data and checked again on arrival, so a question
still works after a restart.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from bot.i18n import N_
from bot.keyboards.common import HIDE, KEEP, UNHIDE, HideQuestion, hide_keyboard, unhide_keyboard
from bot.render import hiding as render
from bot.render.hiding import Hideable
from bot.services.errors import NotAllowed, NotFound
from handlers.context import STALE_BUTTON, Turn

ONLY_THE_ASKER = N_("Only the leader who asked can answer this question.")

Ask = Callable[[str], HideQuestion]


def only_the_asker(turn: Turn, user_id: int) -> None:
    """A leader's question is answered by that leader (another may have meant something else)."""
    if turn.need_user().id != user_id:
        raise NotAllowed(ONLY_THE_ASKER)


def ask(turn: Turn, target: Hideable, question: Ask) -> None:
    """Post the question: Hide or Cancel, with the text that would be hidden."""
    turn.reply(render.question(turn.t, target), hide_keyboard(turn.t, question))


async def answer(
    turn: Turn,
    choice: HideQuestion,
    question: Ask,
    act: Callable[[bool], Awaitable[Hideable]],
) -> None:
    """A press on the question or on the undo; `act(hidden)` hides or shows the thing."""
    if choice.action not in (HIDE, KEEP, UNHIDE):
        raise NotFound(STALE_BUTTON)
    if choice.action != UNHIDE:
        only_the_asker(turn, choice.user_id)
    if choice.action == KEEP:
        turn.edit(render.kept(turn.t))
        return
    hide = choice.action == HIDE
    target = await act(hide)
    if hide:
        turn.edit(render.hidden(turn.t, target), unhide_keyboard(turn.t, question))
    else:
        turn.edit(render.unhidden(turn.t, target))


def shown_again(turn: Turn, target: Hideable) -> None:
    """The answer to /swotunhide and /ideaunhide."""
    turn.reply(render.unhidden(turn.t, target))
