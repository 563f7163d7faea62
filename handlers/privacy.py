"""A resident's own data: /mydata sends all of it as a file; /forgetme erases them after a
confirmation, and the cards that showed their supports or applause are redrawn; /publicname
says whether, as a leader, they agree to be named on public village pages."""

from __future__ import annotations

import json

from bot.keyboards.desk import ForgetPress, forget_keyboard
from bot.render import privacy as render
from bot.services import privacy, public_page
from bot.services.errors import NotFound
from bot.services.privacy import Forgotten
from bot.wire import messages
from handlers import ideas, victories
from handlers.context import STALE_BUTTON, Turn, on_update
from handlers.meeting_cards import refresh_live_card


@on_update(chat="private", community="none")
async def mydata_command(turn: Turn) -> None:
    data = await privacy.my_data(turn.session, turn.need_user())
    content = json.dumps(data, ensure_ascii=False, indent=2).encode()
    turn.reply(render.summary(turn.t, data))
    turn.send(messages.upload(turn.chat.id, "document", "villagebot-my-data.json", content))


@on_update(chat="private", community="none")
async def forgetme_command(turn: Turn) -> None:
    user = turn.need_user()
    turn.reply(render.forget_question(turn.t), forget_keyboard(turn.t, user.id))


@on_update(chat="private", community="none")
async def publicname_command(turn: Turn) -> None:
    """`/publicname on|off` changes the consent; `/publicname` alone says where it stands."""
    user = turn.need_user()
    if turn.arg_text:
        public_page.set_public_name(user, turn.arg_text.split())
    turn.reply(render.public_name(turn.t, user.public_name))


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
    cards = await privacy.changed_cards(turn.session, changed)
    for idea in cards.ideas:
        ideas.refresh_card(turn, idea)
    for victory in cards.victories:
        victories.refresh_card(turn, victory)
    for occurrence, chat_id in cards.meeting_dates:
        refresh_live_card(turn, occurrence, chat_id)
