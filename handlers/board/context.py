"""The one decorator every board route uses, and the BoardTurn it hands to the route.

For each request it: checks the Mini App's init data (signed by Telegram with the bot's token,
at most a day old), opens one transaction, loads the village named in the path, the person and
their membership (a current member only: one the bot does not know yet is asked about at
Telegram, as a press in the group is), picks their language as private chat does, checks a
leader's rights, runs the route, writes what it sends to the outbox, and turns domain errors
into a translated answer. Nothing is kept between requests: no cookies, no sessions.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field

from aiohttp import web
from markupsafe import Markup

from bot.board import init_data
from bot.board.pages import render
from bot.board.site import BOT_APP
from bot.i18n import N_, Html, Translator
from bot.models import Community, User
from bot.runtime import BotApplication, Runtime, runtime_of
from bot.services import Session, communities, leaders, members, outbox, updates
from bot.services.errors import DomainError, NotAllowed, NotFound
from handlers.context import OUTSIDER, Action, Acts, admit, error_text

log = logging.getLogger(__name__)

WebHandler = Callable[[web.Request], Awaitable[web.StreamResponse]]
Route = Callable[["BoardTurn", web.Request], Awaitable[web.StreamResponse | str]]
AUTH_SCHEME = "tma "
# The path of every route about one village (the Mini App's API).
VILLAGE = "/board/api/v/{village:\\d{1,9}}"

SIGN_IN_AGAIN = N_(
    "The board could not tell who you are. Close it and open it again from Telegram."
)
NO_VILLAGE = N_("This village is not on the board.")


@dataclass(frozen=True)
class Rules:
    """Who may call a route (read by the rights table test, as the chat's handlers are)."""

    leaders_only: bool


# Every board route of one village, by its handler.
RULES: dict[WebHandler, Rules] = {}


@dataclass
class BoardTurn(Acts):
    """One board request: who, in which village and language, and what to send to the chat."""

    app: BotApplication
    session: Session
    t: Translator
    user: User | None
    community: Community | None
    messages: list[outbox.Message] = field(default_factory=list, repr=False)
    actions: list[Action] = field(default_factory=list, repr=False)
    _leader: bool | None = field(default=None, repr=False)
    _rights_unknown: leaders.RightsUnknown | None = field(default=None, repr=False)

    @property
    def runtime(self) -> Runtime:
        return runtime_of(self.app)

    def notice(self, text: str) -> str:
        """The short answer to an action, its lines kept: a translated text (Html, its values
        escaped) as it is, a plain one escaped."""
        safe = Markup(text) if isinstance(text, Html) else Markup.escape(text)
        return self.page("notice.html", text=Markup("<br>").join(safe.split("\n")))

    def page(self, template: str, **context: object) -> str:
        """A template filled in for this reader, the village known."""
        return render(template, self.t, village=self.community, **context)


def who_is_asking(request: web.Request, runtime: Runtime) -> init_data.InitData:
    """The person whose signed init data came with the request, or 401."""
    header = request.headers.get("Authorization", "")
    if not header.startswith(AUTH_SCHEME):
        raise _refusal(runtime.translator(None), 401, SIGN_IN_AGAIN)
    try:
        return init_data.validate(header[len(AUTH_SCHEME) :], runtime.settings.require_token())
    except init_data.InvalidInitData as exc:
        log.info("board request refused: %s", exc)
        raise _refusal(runtime.translator(None), 401, SIGN_IN_AGAIN) from exc


def form_field(form: Mapping[str, object], name: str) -> str:
    """A posted form's text field, trimmed; "" when it is missing or not text (a file)."""
    value = form.get(name, "")
    return value.strip() if isinstance(value, str) else ""


def profile_of(who: init_data.InitData) -> members.Profile:
    return members.Profile(
        telegram_id=who.telegram_id,
        first_name=who.first_name,
        last_name=who.last_name,
        username=who.username,
        language_code=who.language_code,
    )


def _refusal(t: Translator, status: int, message: str) -> web.HTTPException:
    return _refused(status, render("notice.html", t, text=t._(message), error=True))


def _refused(status: int, body: str) -> web.HTTPException:
    error_class: type[web.HTTPException] = {
        400: web.HTTPBadRequest,
        401: web.HTTPUnauthorized,
        403: web.HTTPForbidden,
        404: web.HTTPNotFound,
    }[status]
    return error_class(text=body, content_type="text/html")


def _status_of(error: DomainError) -> int:
    if isinstance(error, NotAllowed):
        return 403
    if isinstance(error, NotFound):
        return 404
    return 400


async def member_of(
    runtime: Runtime, session: Session, community: Community, who: init_data.InitData
) -> User | None:
    """The person as a current member of `community` (their profile refreshed); None when
    they are not one, by the bot's records nor by Telegram's answer."""
    profile = profile_of(who)
    user = await members.by_telegram_id(session, who.telegram_id)
    if user is not None and await members.is_current(session, community.id, user):
        members.refresh_profile(user, profile)
        return user
    return await admit(runtime, session, community, profile)


def board_route(*, leaders_only: bool = False) -> Callable[[Route], WebHandler]:
    """Wrap a route of `/v/{village}/…`: the init data checked, one transaction, the village
    and member loaded, rights checked, domain errors answered in the reader's language."""

    def decorate(route: Route) -> WebHandler:
        @functools.wraps(route)
        async def handler(request: web.Request) -> web.StreamResponse:
            app = request.app[BOT_APP]
            runtime = runtime_of(app)
            who = who_is_asking(request, runtime)
            turn: BoardTurn | None = None
            taken: list[outbox.Claimed] = []
            try:
                async with runtime.db.transaction() as session:
                    turn = await _load(request, app, runtime, session, who)
                    if leaders_only:
                        await turn.require_leader()
                    answer = await route(turn, request)
                    if turn.messages:
                        community = turn.need_community()
                        await updates.hold_chat(session, community.chat_id)
                        taken = await runtime.outbox.write(
                            session, turn.messages, community.chat_id
                        )
            except DomainError as error:
                log.info("board %s refused: %s", route.__name__, error.message)
                t = turn.t if turn is not None else runtime.translator(None)
                raise _refused(
                    _status_of(error),
                    render("notice.html", t, text=error_text(t, error), error=True),
                ) from None
            if turn.messages:
                runtime.outbox.take(taken)
                runtime.outbox.wake()
            await turn.run_actions(f"a board request ({request.path})")
            if isinstance(answer, str):
                return web.Response(text=answer, content_type="text/html")
            return answer

        RULES[handler] = Rules(leaders_only=leaders_only)
        return handler

    return decorate


async def _load(
    request: web.Request,
    app: BotApplication,
    runtime: Runtime,
    session: Session,
    who: init_data.InitData,
) -> BoardTurn:
    try:
        village_id = int(request.match_info["village"])
    except (KeyError, ValueError):
        village_id = 0
    community = await communities.by_id(session, village_id) if village_id > 0 else None
    if community is None or not community.active:
        raise _refusal(runtime.translator(None), 404, NO_VILLAGE)
    user = await member_of(runtime, session, community, who)
    language = members.private_language(user, community, runtime.settings.default_language)
    t = runtime.translator(language)
    if user is None:
        raise _refusal(t, 403, OUTSIDER)
    return BoardTurn(app, session, t, user, community)
