"""The one decorator every handler uses, and the Turn it hands to the handler.

For each update it: claims the update id (at most once), opens one transaction, loads the
community, the user, their membership and language, checks the chat and the caller's rights
(a press in the group only from a member of it), checks that a press is one of its message's
own buttons and decodes its data, runs the handler, and turns domain errors into a translated
reply.
"""

from __future__ import annotations

import dataclasses
import functools
import logging
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, Literal

from telegram import (
    CallbackQuery,
    Chat,
    InlineKeyboardMarkup,
    Message,
    Update,
)
from telegram import (
    User as TelegramUser,
)
from telegram.constants import ChatType, MessageLimit
from telegram.error import BadRequest, TelegramError

from bot import keyboards, logs, scheduler
from bot.i18n import LANGUAGE_NAMES, N_, Html, Translator
from bot.models import Community, User
from bot.runtime import BotContext, Runtime
from bot.services import Session, communities, leaders, members, outbox, updates, visits
from bot.services.errors import DomainError, Money, NotAllowed, NotFound
from bot.wire import delivery, lean_calls, messages

log = logging.getLogger(__name__)

ChatRule = Literal["any", "group", "private"]
CommunityRule = Literal["required", "optional", "none"]
Handler = Callable[["Turn"], Awaitable[None]]
PtbCallback = Callable[[Update, BotContext], Coroutine[Any, Any, None]]
Action = Callable[[], Awaitable[Any]]

GROUP_TYPES = frozenset({ChatType.GROUP, ChatType.SUPERGROUP})
CALLBACK_ANSWER_LIMIT = 200

REFUSAL = N_(
    "Sorry, only the working group can do this: the group's admins and the members they add."
)
ANONYMOUS = N_(
    "I can't tell who you are while you post anonymously as the group. "
    "Turn off “Remain anonymous” in your admin rights and try again."
)
STALE_BUTTON = N_("This button no longer works.")
NO_COMMUNITY = N_(
    "You are not in a village group with me yet. Add me to your village's Telegram group, "
    "or write a command there once, then come back here."
)
OUTSIDER = N_("Only members of the village group can do this.")
PICK_COMMUNITY = N_("You are in several village groups. Which one is this about?")
GROUP_ONLY = N_("This works in the village group.")
PRIVATE_ONLY = N_("This works in a private chat with me.")
FAILURE = N_("Sorry, something went wrong. Please try again later.")
LANGUAGE_HINT = N_("🌐 Language: {language}. To change it: /language")


class ChoiceNeeded(DomainError):
    """The user must first pick the community they act for."""

    def __init__(self, choices: list[tuple[int, str]]) -> None:
        super().__init__(PICK_COMMUNITY)
        self.choices = choices


class _WrongChat(DomainError):
    """The command belongs in the other kind of chat."""

    def __init__(self, message: str, link: str | None = None) -> None:
        super().__init__(message)
        self.link = link


class Acts:
    """Someone acting in a village, from the chat (Turn) or from the board (handlers.board):
    what the shared steps after a change need (rights, the transaction, what to send)."""

    session: Session
    t: Translator
    user: User | None
    community: Community | None
    messages: list[outbox.Message]
    actions: list[Action]
    _leader: bool | None
    _rights_unknown: leaders.RightsUnknown | None

    @property
    def runtime(self) -> Runtime:
        raise NotImplementedError

    @property
    def in_private(self) -> bool:
        """Whether it happens in a private chat with the bot (the board is no chat)."""
        return False

    def need_user(self) -> User:
        if self.user is None:
            raise NotAllowed(ANONYMOUS)
        return self.user

    def need_community(self) -> Community:
        if self.community is None:
            raise NotFound(NO_COMMUNITY)
        return self.community

    async def is_leader(self) -> bool:
        """Whether the user leads this community; False too while Telegram cannot say who
        the admins are (require_leader then says so instead of refusing)."""
        if self._leader is None:
            try:
                self._leader = (
                    self.user is not None
                    and self.community is not None
                    and await leaders.is_leader(
                        self.session, self.runtime.admins, self.community, self.user
                    )
                )
            except leaders.RightsUnknown as unknown:
                self._leader, self._rights_unknown = False, unknown
        return self._leader

    async def require_leader(self) -> None:
        self.need_user()
        if not await self.is_leader():
            raise self._rights_unknown or NotAllowed(REFUSAL)

    def after_commit(self, action: Action) -> None:
        """Run `action` once this update's changes are committed: nobody is told of a change
        that a crash could still undo. Actions run in the order they were queued."""
        self.actions.append(action)

    def send(self, *messages: outbox.Message) -> None:
        """Send through the outbox: written with this update's changes, sent after them."""
        self.messages.extend(messages)

    async def run_actions(self, source: str) -> None:
        """Run the after-commit actions in order; a call Telegram refuses is logged (with
        `source`, what they came from) and the others go."""
        for action in self.actions:
            try:
                await action()
            except TelegramError as exc:
                log.warning("Telegram refused a call for %s: %s", source, exc)
        self.actions.clear()


@dataclass
class Turn(Acts):
    """One update being handled: who, where, in which language, and how to answer."""

    update: Update
    context: BotContext
    session: Session
    t: Translator
    user: User | None
    community: Community | None
    data: Any = None
    choices: list[Community] = field(default_factory=list)
    # A press in the group by someone who is not in it (a public group is readable by all).
    outsider: bool = False
    # What to send, written to the outbox in the update's transaction (bot.services.outbox).
    messages: list[outbox.Message] = field(default_factory=list, repr=False)
    # Actions not yet expressed as outbox rows, run after the commit (in order).
    actions: list[Action] = field(default_factory=list, repr=False)
    _leader: bool | None = field(default=None, repr=False)
    _rights_unknown: leaders.RightsUnknown | None = field(default=None, repr=False)
    _answer: tuple[str | None, bool] | None = field(default=None, repr=False)
    # Rows claimed as they were written, sent once the update is committed.
    _taken: list[outbox.Claimed] = field(default_factory=list, repr=False)

    @property
    def runtime(self) -> Runtime:
        return self.context.runtime

    @property
    def chat(self) -> Chat:
        chat = self.update.effective_chat
        assert chat is not None
        return chat

    @property
    def in_private(self) -> bool:
        chat = self.update.effective_chat
        return chat is not None and chat.type == ChatType.PRIVATE

    @property
    def message(self) -> Message | None:
        return self.update.effective_message

    @property
    def query(self) -> CallbackQuery | None:
        return self.update.callback_query

    @property
    def pressed(self) -> Message | None:
        """The message whose button was pressed, when the bot can see it (its keyboard was
        checked to carry the pressed data); None when Telegram sends it as inaccessible (too
        old, or deleted): then nothing may be drawn over it."""
        message = self.query.message if self.query is not None else None
        return message if isinstance(message, Message) and message.is_accessible else None

    @property
    def args(self) -> list[str]:
        return list(self.context.args or [])

    def chosen_community(self) -> Community:
        """The village acted for; in private chat with several and none chosen yet, the
        refusal asks which one."""
        if self.community is None and self.choices:
            raise ChoiceNeeded([(c.id, c.title or "…") for c in self.choices])
        return self.need_community()

    @property
    def arg_text(self) -> str:
        """The text after the command, with its line breaks kept."""
        message = self.update.message
        text = (message.text or message.caption or "") if message else ""
        if not text.startswith("/"):
            return text.strip()
        parts = text.split(maxsplit=1)
        return parts[1].strip() if len(parts) > 1 else ""

    def reply(
        self,
        text: str,
        keyboard: InlineKeyboardMarkup | None = None,
        *,
        quote: bool = True,
        noise: bool = False,
    ) -> None:
        """Answer in the update's chat, quoting the user's message if any. `noise`: an answer
        to a read-only request, dropped when the chat already waits for several."""
        message = self.update.message
        reply_to = message.message_id if quote and message is not None else None
        self.send(messages.post(self.chat.id, text, keyboard, reply_to=reply_to, noise=noise))

    def answer(self, text: str | None = None, *, alert: bool = False) -> None:
        """Answer the button press; the first answer given counts (Telegram takes one)."""
        if self.query is None or self._answer is not None:
            return
        if text is not None and len(text) > CALLBACK_ANSWER_LIMIT:
            text = text[: CALLBACK_ANSWER_LIMIT - 1] + "…"
        self._answer = (text, alert)

    def edit(self, text: str, keyboard: InlineKeyboardMarkup | None = None) -> None:
        """Replace the pressed message (after commit); an identical edit is not an error.
        A message the bot cannot see is never replaced: its kind cannot be checked."""
        if self.query is None:
            return
        if self.pressed is None:
            raise NotFound(STALE_BUTTON)
        self.send(messages.edit(self.pressed.chat.id, self.pressed.message_id, text, keyboard))

    def reply_error(self, error: DomainError) -> None:
        text = error_text(self.t, error)
        if self.query is not None:
            self.answer(_as_plain(text), alert=True)
        else:
            self.reply(text, _error_keyboard(error, self.t))

    def hint_language(self) -> None:
        """The first private message a person gets from the bot ends with one line on how to
        change the language (chosen for them from Telegram's and their village's); once. A
        message with buttons is left as it is (it is redrawn as they are pressed): the line
        waits for the next plain one."""
        user = self.user
        if not self.in_private or user is None or user.language_hint_shown:
            return
        if user.language is not None:  # they chose it with /language: they know the way
            return
        for index, message in enumerate(self.messages):
            text = message.params.get("text")
            plain = message.view is None and "reply_markup" not in message.params
            if message.method != "sendMessage" or not plain or not text:
                continue
            if message.chat_id != self.chat.id:
                continue
            hint = self.t._(LANGUAGE_HINT, language=LANGUAGE_NAMES[self.t.language])
            if len(text) + len(hint) + 2 > MessageLimit.MAX_TEXT_LENGTH:
                return
            params = {**message.params, "text": f"{text}\n\n{hint}"}
            self.messages[index] = dataclasses.replace(message, params=params)
            user.language_hint_shown = True
            return

    async def write(self) -> None:
        """Write the messages to the outbox, in the update's transaction."""
        self.hint_language()
        if self.messages:
            lane = _chain(self.update)
            self._taken = await self.runtime.outbox.write(self.session, self.messages, lane)

    async def after(self) -> None:
        """After the commit: the outbox is woken; a button answer or actions, if any, are
        handed to the update's chat's chain (bot.wire.delivery)."""
        if self.messages:
            self.runtime.outbox.take(self._taken)
            self.runtime.outbox.wake()
        if self.query is not None or self.actions:
            await delivery.deliver(_chain(self.update), self.deliver)

    async def deliver(self) -> None:
        """The button answered (it stops the spinner), then the actions run in order. A call
        Telegram refuses is logged and the others go."""
        if self.query is not None:
            text, alert = self._answer or (None, False)
            try:
                await lean_calls.answer_query(self.context.bot, self.query.id, text, alert=alert)
            except BadRequest as exc:  # the query is older than Telegram keeps it
                log.info("callback answer failed: %s", exc)
        chat = self.update.effective_chat
        await self.run_actions(f"update {self.update.update_id} (chat {chat.id if chat else None})")


def card_place(
    chat_id: int | None, message_id: int | None, pressed: Message | None = None
) -> tuple[int, int] | None:
    """Where a live card to redraw is: its recorded place; or, when a press on it came before
    its place was recorded (Telegram's answer to the send and the first press can cross), the
    pressed group message."""
    if chat_id is not None and message_id is not None:
        return chat_id, message_id
    if pressed is not None and pressed.chat.type in GROUP_TYPES:
        return pressed.chat.id, pressed.message_id
    return None


def error_text(t: Translator, error: DomainError) -> Html:
    """A refusal in the reader's language; durations in their abbreviations ("4 ned. 2 d."),
    as they type them; amounts as money ("1 500 €")."""
    params = {k: _parameter(t, v) for k, v in error.params.items()}
    if error.plural is not None:
        del params["n"]
        return t.n_(error.message, error.plural, error.params["n"], **params)
    return t._(error.message, **params)


def _parameter(t: Translator, value: object) -> object:
    if isinstance(value, timedelta):
        return t.duration_short(value)
    if isinstance(value, Money):
        return t.money(value.cents)
    return value


def _as_plain(text: Html) -> str:
    import html

    return html.unescape(text)


def on_update(
    *,
    chat: ChatRule = "any",
    community: CommunityRule = "required",
    leaders_only: bool = False,
    callback: type[Any] | None = None,
) -> Callable[[Handler], PtbCallback]:
    """Wrap a handler: one transaction per update, the Turn loaded, rights and errors handled."""

    def decorate(handler: Handler) -> PtbCallback:
        @functools.wraps(handler)
        async def wrapper(update: Update, context: BotContext) -> None:
            runtime = context.runtime
            t = runtime.translator(None)
            turn: Turn | None = None
            with logs.event(update=update.update_id):
                try:
                    # Durable with its batch: the polling loop syncs before confirming it.
                    async with runtime.db.transaction(sync=False) as session:
                        if not await updates.claim_update(session, update.update_id):
                            log.info("update was processed before; skipped")
                            return
                        await updates.hold_chat(session, _chain(update))
                        if _is_edit(update):
                            log.info("an edited message changes nothing; skipped")
                            return
                        turn = await _load_turn(update, context, session, community)
                        logs.set_community(turn.community.id if turn.community else None)
                        t = turn.t
                        await _check(turn, chat, community, leaders_only, callback)
                        await handler(turn)
                        await turn.write()
                except DomainError as error:
                    log.info("%s refused: %s", handler.__name__, error.message)
                    await _recover(update, context, t, error)
                    return
                except Exception:
                    log.exception("%s failed on update %s", handler.__name__, logs.describe(update))
                    await _say_failure(update, context, t)
                    return
                log.info("%s handled", handler.__name__)
                await turn.after()

        return wrapper

    return decorate


def _is_edit(update: Update) -> bool:
    """Commands and comments come from new messages only: PTB's command and message handlers
    also match edits, and an edit must not run a command again or add a comment twice."""
    return update.edited_message is not None or update.edited_channel_post is not None


async def _recover(update: Update, context: BotContext, t: Translator, error: DomainError) -> None:
    """The transaction was rolled back; the update is still recorded and the user told why."""
    async with context.runtime.db.transaction() as session:
        await updates.claim_update(session, update.update_id)
        await updates.hold_chat(session, _chain(update))
        turn = Turn(update, context, session, t, None, None)
        turn.reply_error(error)
        await turn.write()
    await turn.after()


def _chain(update: Update) -> int:
    """Whose answers must keep their order: the update's chat (or the person, for updates
    without a chat such as poll answers)."""
    if update.effective_chat is not None:
        return update.effective_chat.id
    return update.effective_user.id if update.effective_user is not None else 0


def _error_keyboard(error: DomainError, t: Translator) -> InlineKeyboardMarkup | None:
    """Some refusals come with the way out: the community picker, or a private-chat link."""
    if isinstance(error, ChoiceNeeded):
        return keyboards.community_keyboard(error.choices)
    if isinstance(error, _WrongChat) and error.link:
        button = keyboards.url_button(t.plain(N_("Open a private chat")), error.link)
        return keyboards.keyboard([[button]])
    return None


async def _say_failure(update: Update, context: BotContext, t: Translator) -> None:
    """Nothing was stored; say so briefly, in the user's language where it was known. Sent
    directly, not through the outbox: the database may be what failed."""

    async def say() -> None:
        try:
            if update.callback_query is not None:
                await update.callback_query.answer(t.plain(FAILURE), show_alert=True)
            elif update.effective_chat is not None:
                await context.bot.send_message(update.effective_chat.id, t._(FAILURE))
        except TelegramError as exc:
            log.warning("could not report a failure: %s", exc)

    await delivery.deliver(_chain(update), say)


def profile_of(tg_user: TelegramUser) -> members.Profile:
    return members.Profile(
        telegram_id=tg_user.id,
        first_name=tg_user.first_name,
        last_name=tg_user.last_name,
        username=tg_user.username,
        language_code=tg_user.language_code,
    )


def _real_user(update: Update) -> TelegramUser | None:
    """The person behind the update; None for anonymous admins and channels posting as a chat."""
    tg_user = update.effective_user
    message = update.effective_message
    if message is not None and message.sender_chat is not None and update.callback_query is None:
        return None
    if tg_user is None or tg_user.is_bot:
        return None
    return tg_user


async def _load_turn(
    update: Update, context: BotContext, session: Session, rule: CommunityRule
) -> Turn:
    runtime = context.runtime
    chat = update.effective_chat
    tg_user = _real_user(update)
    in_private = chat is not None and chat.type == ChatType.PRIVATE
    in_group = chat is not None and chat.type in GROUP_TYPES and rule != "none"
    user: User | None = None
    community: Community | None = None
    choices: list[Community] = []
    joined: communities.Joined | None = None
    acting: Community | list[Community] = []
    outsider = False
    if in_group and tg_user is not None and update.callback_query is not None:
        assert chat is not None
        profile = profile_of(tg_user)
        joined, user, member = await visits.pressed_in_group(
            session, chat.id, chat.title or "", profile, runtime.community_defaults
        )
        if not member:
            admitted = await admit(runtime, session, joined.community, profile)
            user, outsider = admitted or user, admitted is None
    elif in_group and tg_user is not None:
        assert chat is not None
        joined, user = await visits.in_group(
            session, chat.id, chat.title or "", profile_of(tg_user), runtime.community_defaults
        )
    elif in_group:
        assert chat is not None
        joined = await communities.ensure(
            session, chat.id, chat.title or "", runtime.community_defaults
        )
    elif tg_user is not None and update.poll_answer is not None:
        # A voter becomes known only as a member of the poll's village (handlers.polls).
        user = await members.by_telegram_id(session, tg_user.id)
        if user is not None:
            members.refresh_profile(user, profile_of(tg_user))
    elif tg_user is not None and in_private:
        user, acting = await visits.in_private(session, profile_of(tg_user))
    elif tg_user is not None:
        user = await members.ensure_user(session, profile_of(tg_user), in_private=in_private)
    appeared = joined is not None and (joined.is_new or joined.reactivated)
    default = runtime.settings.default_language
    if joined is not None:
        community = joined.community
        language = community.language
    else:
        # Private chat speaks the language of the village acted for, or the one most
        # recently active in (members.private_language).
        if isinstance(acting, Community):
            village: Community | None = acting
        else:
            village = await members.latest_village(session, user, acting) if user else None
        language = members.private_language(user, village, default)
        if rule != "none":
            community = acting if isinstance(acting, Community) else None
            choices = acting if isinstance(acting, list) else []
    turn = Turn(update, context, session, runtime.translator(language), user, community)
    turn.choices = choices
    turn.outsider = outsider
    if appeared and community is not None:
        schedule_community(turn, community.id)
    return turn


async def admit(
    runtime: Runtime, session: Session, community: Community, profile: members.Profile
) -> User | None:
    """Someone the database does not hold as a current member pressed or voted: when Telegram
    says they are in the group, they are a member from now on (their user returned); None
    when they are not, or Telegram could not say."""
    if not await runtime.presence.is_member(community.chat_id, profile.telegram_id):
        return None
    user = await members.ensure_user(session, profile)
    await members.ensure_membership(session, community, user)
    return user


def schedule_community(turn: Turn, community_id: int) -> None:
    """After commit, derive the scheduled jobs of a community that appeared or came back."""
    app = turn.context.app

    async def schedule() -> None:
        await scheduler.rebuild_community(app, community_id)

    turn.after_commit(schedule)


async def _check(
    turn: Turn,
    chat: ChatRule,
    community: CommunityRule,
    leaders_only: bool,
    callback: type[Any] | None,
) -> None:
    if chat == "group" and turn.in_private:
        raise _WrongChat(GROUP_ONLY)
    if chat == "private" and not turn.in_private:
        raise _WrongChat(PRIVATE_ONLY, link=turn.runtime.deep_link("help"))
    if community == "required":
        turn.chosen_community()
    if turn.outsider:
        raise NotAllowed(OUTSIDER)
    if callback is not None:
        if turn.query is not None and not _carried(turn):
            raise NotFound(STALE_BUTTON)
        turn.data = keyboards.decode(turn.query.data if turn.query else None, callback)
        if turn.data is None:
            raise NotFound(STALE_BUTTON)
    if leaders_only:
        await turn.require_leader()


def _carried(turn: Turn) -> bool:
    """Whether the press is one of the pressed message's own buttons. Data made up by a
    client (another kind's, pressed on a victory card to turn it into a list) is not. A
    message Telegram sends as inaccessible shows no keyboard: its press may act on what its
    data names (each handler checks that belongs to the village), never on that message."""
    if turn.pressed is None or turn.query is None:
        return True
    markup = turn.pressed.reply_markup
    rows = markup.inline_keyboard if markup is not None else ()
    return any(button.callback_data == turn.query.data for row in rows for button in row)
