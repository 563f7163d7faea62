"""The first look at every update: noise past a person's limit goes unanswered.

Registered before every other handler (handlers.register, in its own `GROUP`: PTB runs one
handler per group, so sharing a group would hide the others in it). It reads what kind of
update this is, asks bot.services.intake whether to go on, and stops the update there when the
person is over their limit for read-only updates, telling them once per period to slow down.
Contributions always go on.
"""

from __future__ import annotations

import logging
from typing import cast

from telegram import Message, Update
from telegram.constants import ChatType, MessageEntityType
from telegram.error import TelegramError
from telegram.ext import ApplicationHandlerStop, filters

from bot import keyboards
from bot.i18n import N_
from bot.runtime import BotContext, Runtime
from bot.services import communities, flows, members
from bot.services.intake import Arrival, Intake, Weight, weigh
from bot.wire import delivery, lean_calls, messages
from handlers.ideas import REPLIES_TO_IDEA

log = logging.getLogger(__name__)

INTAKE_KEY = "intake"
GROUP = -100
SLOW_DOWN = N_("Please slow down: I will answer again shortly.")
_COMMENT = filters.TEXT & ~filters.COMMAND & REPLIES_TO_IDEA


async def intake(update: Update, context: BotContext) -> None:
    """Let the update go on, or stop it (ApplicationHandlerStop) when it is noise past the
    sender's limit."""
    sender = sender_of(update)
    if sender is None:
        return
    runtime = context.runtime
    arrival = read(update, runtime.bot_username)
    weight = weigh(arrival)
    limiter = intake_of(runtime)
    if (
        weight is Weight.NOISE
        and arrival.what == "message"
        and arrival.private
        and limiter.over_limit(sender)
        and limiter.may_have_flow(sender)
    ):
        # Plain text in private chat may answer a guided flow (an idea, SWOT inputs): that is
        # work. Asked only past the limit, and once until the person's next work.
        if await _flow_open(runtime, sender):
            weight = Weight.WORK
        else:
            limiter.no_flow(sender)
    verdict = limiter.admit(sender, weight)
    if verdict.admitted:
        return
    if verdict.slow_down:
        log.info("sender %s is over the intake limit; told to slow down", sender)
        await _say_slow_down(update, context)
    raise ApplicationHandlerStop


def intake_of(runtime: Runtime) -> Intake:
    """The process's limiter, made from the settings on first use."""
    found = runtime.extras.get(INTAKE_KEY)
    if found is None:
        settings = runtime.settings
        found = Intake(settings.noise_limit, settings.noise_period_seconds)
        runtime.extras[INTAKE_KEY] = found
    return cast(Intake, found)


def sender_of(update: Update) -> int | None:
    """Whose limit the update counts against: the person, or the chat an anonymous admin or a
    channel posts as; None for updates of nobody (a poll's new counts)."""
    message = update.effective_message
    if message is not None and message.sender_chat is not None and update.callback_query is None:
        return message.sender_chat.id
    user = update.effective_user
    return user.id if user is not None else None


def read(update: Update, bot_username: str) -> Arrival:
    """What bot.services.intake needs to know of the update."""
    chat = update.effective_chat
    private = chat is not None and chat.type == ChatType.PRIVATE
    if update.callback_query is not None:
        return Arrival("button", private, name=keyboards.kind_of(update.callback_query.data) or "")
    message = update.message
    if message is None:
        edited = update.edited_message is not None or update.edited_channel_post is not None
        return Arrival("other", private, edited=edited)
    if filters.StatusUpdate.ALL.check_update(update):
        return Arrival("other", private)
    command = _command(message)
    if command is not None:
        name, target, args = command
        mine = target.lower() == bot_username.lower()
        return Arrival(
            "command",
            private,
            name=name,
            args=args,
            addressed=bool(target) and mine,
            elsewhere=bool(target) and not mine,
        )
    return Arrival("message", private, comment=bool(_COMMENT.check_update(update)))


def _command(message: Message) -> tuple[str, str, str] | None:
    """(name, the bot it names or "", the text after it) when the message is a command, as
    python-telegram-bot's CommandHandler reads one."""
    text = message.text or ""
    entity = message.entities[0] if message.entities else None
    if entity is None or entity.type != MessageEntityType.BOT_COMMAND or entity.offset != 0:
        return None
    name, _, target = text[1 : entity.length].partition("@")
    return name.lower(), target, text[entity.length :].strip()


async def _flow_open(runtime: Runtime, telegram_id: int) -> bool:
    async with runtime.db.transaction(sync=False) as session:
        return await flows.is_open(session, telegram_id)


async def _say_slow_down(update: Update, context: BotContext) -> None:
    """A short note in the person's language: a press's answer, or a reply to their message."""
    text = context.runtime.translator(await _language(update, context.runtime))._(SLOW_DOWN)
    bot, query, message = context.bot, update.callback_query, update.message
    if message is not None and query is None:
        note = messages.post(message.chat.id, text, reply_to=message.message_id)
        await context.runtime.outbox.put(note)
        return
    if query is None:
        return

    async def say() -> None:
        try:
            await lean_calls.answer_query(bot, query.id, text)
        except TelegramError as exc:
            log.warning("could not ask sender to slow down: %s", exc)

    chat = update.effective_chat
    await delivery.deliver(chat.id if chat is not None else 0, say)


async def _language(update: Update, runtime: Runtime) -> str:
    """The group's language in a group; in private chat the person's private-chat language
    (members.private_language)."""
    chat, person = update.effective_chat, update.effective_user
    default = runtime.settings.default_language
    try:
        async with runtime.db.transaction(sync=False) as session:
            if chat is not None and chat.type != ChatType.PRIVATE:
                community = await communities.by_chat(session, chat.id)
                return community.language if community is not None else default
            user = await members.by_telegram_id(session, person.id) if person else None
            if user is not None:
                return await members.language_in_private(session, user, default)
    except Exception:  # the note goes out all the same, in Telegram's language
        log.exception("could not look up the language for a slow-down note")
    return members.telegram_language(person.language_code if person else None, None, default)
