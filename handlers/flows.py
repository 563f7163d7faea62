"""Private-chat conversations that take several messages: the text router and /cancel.

A feature registers a step handler for its flow kind with `@flow_step("swot")`; plain text in
private chat goes to the user's open flow, if any.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from bot.models import PrivateFlow
from bot.services import communities, flows
from handlers.context import Turn, on_update

FlowStep = Callable[[Turn, PrivateFlow, str], Awaitable[None]]
FLOW_STEPS: dict[str, FlowStep] = {}


def flow_step(kind: str) -> Callable[[FlowStep], FlowStep]:
    def register(step: FlowStep) -> FlowStep:
        FLOW_STEPS[kind] = step
        return step

    return register


@on_update(chat="private", community="optional")
async def private_text(turn: Turn) -> None:
    """Plain text in private chat: the next answer of the user's open flow."""
    user = turn.need_user()
    active = await flows.current(turn.session, user)
    step = FLOW_STEPS.get(active.kind) if active is not None else None
    if active is None or step is None:
        if active is not None:
            await flows.finish(turn.session, user)
        turn.reply(turn.t._("Write a command, for example /help."), noise=True)
        return
    turn.community = await communities.by_id(turn.session, active.community_id)
    text = turn.message.text if turn.message and turn.message.text else ""
    await step(turn, active, text)


@on_update(chat="private", community="optional")
async def cancel_command(turn: Turn) -> None:
    if await flows.finish(turn.session, turn.need_user()):
        turn.reply(turn.t._("Stopped. Nothing more is needed."))
    else:
        turn.reply(turn.t._("There is nothing to stop."))
