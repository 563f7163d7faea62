"""/settings: a community's settings, shown and changed by leaders.

Each setting is one entry in SETTINGS: the word typed after /settings (the same in every
language), an example value in the reader's words, how its value is shown, how a typed value
is applied (raising InvalidInput with an example when it is wrong), what else must follow
a change once it is committed (jobs rescheduled), and a line the "Saved" answer may add (the
public page's address). Features add their settings to the tuple.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta

from bot import scheduler
from bot.board import links
from bot.i18n import LANGUAGE_NAMES, N_, Html, Translator
from bot.models import Community
from bot.runtime import BotApplication, Runtime
from bot.services import Session, audit, communities, meeting_times, polls, public_page
from bot.services.errors import InvalidInput
from handlers import budget, digest, meeting_jobs, poll_lifecycle
from handlers.context import Turn, on_update

Show = Callable[[Session, Translator, Community], Awaitable[str]]
Apply = Callable[[Session, Community, list[str]], Awaitable[None]]
Changed = Callable[[BotApplication, Community], Awaitable[None]]
Note = Callable[[Runtime, Translator, Community], Html | None]


@dataclass(frozen=True)
class Setting:
    name: str
    label: str  # message id
    example: str  # what to type after the name: a message id where the words differ by language
    show: Show
    apply: Apply
    changed: Changed | None = None  # run after commit, e.g. to reschedule jobs
    note: Note | None = None  # a line added to the "Saved" answer


async def _show_language(_s: Session, _t: Translator, community: Community) -> str:
    return LANGUAGE_NAMES.get(community.language, community.language)


async def _apply_language(_session: Session, community: Community, values: list[str]) -> None:
    if len(values) != 1:
        raise InvalidInput(N_("Write one language code: lv, en or ru."))
    communities.set_language(community, values[0].lower())


async def _show_timezone(_s: Session, _t: Translator, community: Community) -> str:
    return community.timezone


async def _apply_timezone(_session: Session, community: Community, values: list[str]) -> None:
    if len(values) != 1:
        raise InvalidInput(N_("Write one time zone, like Europe/Riga."))
    communities.set_timezone(community, values[0])


async def _timezone_changed(app: BotApplication, _community: Community) -> None:
    """Times of day follow the time zone: every job is derived again."""
    await scheduler.rebuild(app)


async def _show_poll_reminder(_s: Session, t: Translator, community: Community) -> str:
    offset = polls.reminder_offset(community)
    return t.duration_short(offset) if offset else t.plain(N_("none"))


async def _apply_poll_reminder(_session: Session, community: Community, values: list[str]) -> None:
    polls.set_reminder_offset(community, values)


async def _show_reminders(_s: Session, t: Translator, community: Community) -> str:
    offsets = community.reminder_offsets or []
    return ", ".join(t.duration_short(timedelta(minutes=m)) for m in offsets) or t.plain(
        N_("no reminders")
    )


async def _apply_reminders(_session: Session, community: Community, values: list[str]) -> None:
    community.reminder_offsets = meeting_times.parse_offsets(values)


async def _reminders_changed(app: BotApplication, community: Community) -> None:
    await meeting_jobs.schedule(app, community.id)


async def _show_public(_s: Session, t: Translator, community: Community) -> str:
    return t.plain(N_("published") if community.public_page else N_("not published"))


async def _apply_public(_session: Session, community: Community, values: list[str]) -> None:
    public_page.set_public(community, values)


def _public_note(runtime: Runtime, t: Translator, community: Community) -> Html | None:
    """Where the published page is, or why nobody can open it yet."""
    if not community.public_page:
        return None
    web_url = runtime.settings.web_url
    if web_url is None:
        return t._(
            "The bot has no web address yet (VILLAGEBOT_WEB_URL), so the page cannot be "
            "opened: ask whoever runs the bot to set it."
        )
    return t._("The page: {url}", url=links.public_url(web_url, community.id))


async def _poll_reminder_changed(app: BotApplication, community: Community) -> None:
    """Open polls and budget rounds being voted on follow the new reminder time."""
    await poll_lifecycle.settings_changed(app, community)
    await budget.reschedule(app, community.id)


SETTINGS: tuple[Setting, ...] = (
    Setting("language", N_("Language"), "lv", _show_language, _apply_language),
    Setting(
        "timezone",
        N_("Time zone"),
        "Europe/Riga",
        _show_timezone,
        _apply_timezone,
        _timezone_changed,
    ),
    Setting(
        "reminders",
        N_("Meeting reminders"),
        N_("1d 1h"),
        _show_reminders,
        _apply_reminders,
        _reminders_changed,
    ),
    Setting(
        "digest",
        N_("Village digest"),
        N_("monthly mon 18:00"),
        digest.show_schedule,
        digest.apply_schedule,
        digest.schedule_changed,
    ),
    Setting(
        "pollreminder",
        N_("Poll reminder before the deadline"),
        N_("1d"),
        _show_poll_reminder,
        _apply_poll_reminder,
        _poll_reminder_changed,
    ),
    Setting(
        "public",
        N_("Public village page"),
        N_("on"),
        _show_public,
        _apply_public,
        note=_public_note,
    ),
)


async def render_settings(session: Session, t: Translator, community: Community) -> Html:
    lines = [t._("<b>Settings: {village}</b>", village=community.title)]
    for setting in SETTINGS:
        lines.append(
            t._(
                "{label}: <b>{value}</b> — change: /settings {name} {example}",
                label=t._(setting.label),
                value=await setting.show(session, t, community),
                name=setting.name,
                example=t.plain(setting.example),
            )
        )
    return Html("\n".join(lines))


@on_update(leaders_only=True)
async def settings_command(turn: Turn) -> None:
    community = turn.need_community()
    if not turn.args:
        turn.reply(await render_settings(turn.session, turn.t, community))
        return
    name, values = turn.args[0].lower(), turn.args[1:]
    setting = next((s for s in SETTINGS if s.name == name), None)
    if setting is None:
        raise InvalidInput(
            N_("There is no setting “{name}”. Settings: {names}."),
            name=name[:40],
            names=", ".join(s.name for s in SETTINGS),
        )
    await setting.apply(turn.session, community, values)
    await audit.record(
        turn.session, community.id, turn.need_user().id, "settings", name=name, value=values
    )
    if setting.changed is not None:
        turn.after_commit(functools.partial(setting.changed, turn.context.app, community))
    turn.t = turn.runtime.translator(community.language if not turn.in_private else turn.t.language)
    saved = turn.t._(
        "Saved. {label}: <b>{value}</b>",
        label=turn.t._(setting.label),
        value=await setting.show(turn.session, turn.t, community),
    )
    note = setting.note(turn.runtime, turn.t, community) if setting.note is not None else None
    turn.reply(Html(f"{saved}\n{note}") if note else saved)
