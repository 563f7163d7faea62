"""/settings: a community's settings, shown and changed by leaders.

Each setting is one entry in SETTINGS: the word typed after /settings (the same in every
language), how its value is shown, and how a typed value is applied (raising InvalidInput with
an example when it is wrong). Features add their settings to the tuple.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import LANGUAGE_NAMES, N_, Html, Translator
from bot.models import Community
from bot.services import audit, communities, meeting_times
from bot.services.errors import InvalidInput
from handlers import meeting_jobs
from handlers.context import Turn, on_update

Show = Callable[[Translator, Community], str]
Apply = Callable[[AsyncSession, Community, list[str]], Awaitable[None]]
# Runs after a change is applied, e.g. to reschedule jobs once the change is committed.
Saved = Callable[[Turn, Community], None]


@dataclass(frozen=True)
class Setting:
    name: str
    label: str  # message id
    example: str  # what to type after the name, the same in every language
    show: Show
    apply: Apply
    saved: Saved | None = None


async def _apply_language(_session: AsyncSession, community: Community, values: list[str]) -> None:
    if len(values) != 1:
        raise InvalidInput(N_("Write one language code: lv, en or ru."))
    communities.set_language(community, values[0].lower())


async def _apply_timezone(_session: AsyncSession, community: Community, values: list[str]) -> None:
    if len(values) != 1:
        raise InvalidInput(N_("Write one time zone, like Europe/Riga."))
    communities.set_timezone(community, values[0])


async def _apply_reminders(_session: AsyncSession, community: Community, values: list[str]) -> None:
    community.reminder_offsets = meeting_times.parse_offsets(values)


def _show_reminders(t: Translator, community: Community) -> str:
    return meeting_times.offsets_text(community.reminder_offsets or []) or t.plain(N_("off"))


def _reminders_saved(turn: Turn, community: Community) -> None:
    meeting_jobs.reschedule(turn, community.id)


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "language",
        N_("Language"),
        "lv",
        lambda _t, c: LANGUAGE_NAMES.get(c.language, c.language),
        _apply_language,
    ),
    Setting(
        "timezone",
        N_("Time zone"),
        "Europe/Riga",
        lambda _t, c: c.timezone,
        _apply_timezone,
    ),
    Setting(
        "reminders",
        N_("Meeting reminders"),
        "1d 1h",
        _show_reminders,
        _apply_reminders,
        _reminders_saved,
    ),
)


def render_settings(t: Translator, community: Community) -> Html:
    lines = [t._("<b>Settings of {village}</b>", village=community.title)]
    for setting in SETTINGS:
        lines.append(
            t._(
                "{label}: <b>{value}</b> — change: /settings {name} {example}",
                label=t._(setting.label),
                value=setting.show(t, community),
                name=setting.name,
                example=setting.example,
            )
        )
    return Html("\n".join(lines))


@on_update(leaders_only=True)
async def settings_command(turn: Turn) -> None:
    community = turn.need_community()
    if not turn.args:
        turn.reply(render_settings(turn.t, community))
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
    if setting.saved is not None:
        setting.saved(turn, community)
    await audit.record(
        turn.session, community.id, turn.need_user().id, "settings", name=name, value=values
    )
    turn.t = turn.runtime.translator(community.language if not turn.in_private else turn.t.language)
    turn.reply(
        turn.t._(
            "Saved. {label}: <b>{value}</b>",
            label=turn.t._(setting.label),
            value=setting.show(turn.t, community),
        )
    )
