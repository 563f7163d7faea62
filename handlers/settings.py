"""/settings: a community's settings, shown and changed by leaders.

Each setting is one entry in SETTINGS: the word typed after /settings (the same in every
language), how its value is shown, and how a typed value is applied (raising InvalidInput with
an example when it is wrong). Features add their settings to the tuple.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from bot import scheduler
from bot.i18n import LANGUAGE_NAMES, N_, Html, Translator
from bot.models import Community
from bot.services import audit, communities
from bot.services.errors import InvalidInput
from handlers import digest
from handlers.context import Turn, on_update

Show = Callable[[AsyncSession, Translator, Community], Awaitable[str]]
Apply = Callable[[AsyncSession, Community, list[str]], Awaitable[None]]
Changed = Callable[[Turn, Community], None]


@dataclass(frozen=True)
class Setting:
    name: str
    label: str  # message id
    example: str  # what to type after the name, the same in every language
    show: Show
    apply: Apply
    changed: Changed | None = None  # e.g. reschedule the jobs that depend on it


async def _show_language(_s: AsyncSession, _t: Translator, community: Community) -> str:
    return LANGUAGE_NAMES.get(community.language, community.language)


async def _show_timezone(_s: AsyncSession, _t: Translator, community: Community) -> str:
    return community.timezone


def _reschedule_all(turn: Turn, _community: Community) -> None:
    """Times of day follow the time zone: every job is derived again."""
    application = turn.context.app

    async def rebuild() -> None:
        await scheduler.rebuild(application)

    turn.after_commit(rebuild)


async def _apply_language(_session: AsyncSession, community: Community, values: list[str]) -> None:
    if len(values) != 1:
        raise InvalidInput(N_("Write one language code: lv, en or ru."))
    communities.set_language(community, values[0].lower())


async def _apply_timezone(_session: AsyncSession, community: Community, values: list[str]) -> None:
    if len(values) != 1:
        raise InvalidInput(N_("Write one time zone, like Europe/Riga."))
    communities.set_timezone(community, values[0])


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "language",
        N_("Language"),
        "lv",
        _show_language,
        _apply_language,
    ),
    Setting(
        "timezone",
        N_("Time zone"),
        "Europe/Riga",
        _show_timezone,
        _apply_timezone,
        _reschedule_all,
    ),
    Setting(
        "digest",
        N_("Village digest"),
        "monthly mon 18:00",
        digest.show_schedule,
        digest.apply_schedule,
        digest.schedule_changed,
    ),
)


async def render_settings(session: AsyncSession, t: Translator, community: Community) -> Html:
    lines = [t._("<b>Settings of {village}</b>", village=community.title)]
    for setting in SETTINGS:
        lines.append(
            t._(
                "{label}: <b>{value}</b> — change: /settings {name} {example}",
                label=t._(setting.label),
                value=await setting.show(session, t, community),
                name=setting.name,
                example=setting.example,
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
    if setting.changed is not None:
        setting.changed(turn, community)
    await audit.record(
        turn.session, community.id, turn.need_user().id, "settings", name=name, value=values
    )
    turn.t = turn.runtime.translator(community.language if not turn.in_private else turn.t.language)
    turn.reply(
        turn.t._(
            "Saved. {label}: <b>{value}</b>",
            label=turn.t._(setting.label),
            value=await setting.show(turn.session, turn.t, community),
        )
    )
