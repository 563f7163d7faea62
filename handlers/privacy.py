"""A resident's own data: /mydata sends all of it as a file; /forgetme erases them after a
confirmation, and the cards that showed their supports or applause are redrawn."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable

from bot.keyboards.desk import ForgetPress, forget_keyboard
from bot.render import privacy as render
from bot.runtime import Runtime
from bot.services import privacy
from bot.services.errors import NotFound
from bot.services.privacy import Forgotten
from bot.wire.cards import CardContent, Render
from handlers import ideas, victories
from handlers.context import STALE_BUTTON, Turn, on_update
from handlers.meeting_cards import refresh_live_card

Load = Callable[[Runtime, int], Awaitable[CardContent]]


@on_update(chat="private", community="none")
async def mydata_command(turn: Turn) -> None:
    data = await privacy.my_data(turn.session, turn.need_user())
    content = json.dumps(data, ensure_ascii=False, indent=2).encode()
    turn.reply(render.summary(turn.t, data))
    turn.upload("document", "villagebot-my-data.json", content)


@on_update(chat="private", community="none")
async def forgetme_command(turn: Turn) -> None:
    user = turn.need_user()
    turn.reply(render.forget_question(turn.t), forget_keyboard(turn.t, user.id))


@on_update(chat="private", community="none", callback=ForgetPress)
async def forget_pressed(turn: Turn) -> None:
    choice: ForgetPress = turn.data
    user = turn.need_user()
    if choice.user_id != user.id:
        raise NotFound(STALE_BUTTON)
    if not choice.erase:
        turn.edit(render.kept(turn.t))
        return
    changed = await privacy.forget(turn.session, user)
    turn.edit(render.forgotten(turn.t))
    await _redraw(turn, changed)


async def _redraw(turn: Turn, changed: Forgotten) -> None:
    """Idea and victory cards (counts, author) and meeting cards (RSVPs) as they are now."""
    runtime = turn.runtime
    cards = await privacy.changed_cards(turn.session, changed)
    for idea in cards.ideas:
        if idea.card_chat_id is not None and idea.card_message_id is not None:
            turn.refresh_card(
                idea.card_chat_id, idea.card_message_id, _card(ideas.card_content, runtime, idea.id)
            )
    for victory in cards.victories:
        if victory.card_chat_id is not None and victory.card_message_id is not None:
            turn.refresh_card(
                victory.card_chat_id,
                victory.card_message_id,
                _card(victories.card_content, runtime, victory.id),
            )
    for occurrence, chat_id in cards.meeting_dates:
        refresh_live_card(turn, occurrence, chat_id)


def _card(load: Load, runtime: Runtime, item_id: int) -> Render:
    async def render_now() -> CardContent:
        return await load(runtime, item_id)

    return render_now
