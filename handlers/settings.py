"""/settings: a community's settings, shown and changed by leaders.

Each setting is one entry in SETTINGS: the word typed after /settings (the same in every
language), how its value is shown, how a typed value is applied (raising InvalidInput with
an example when it is wrong), and what else must follow a change once it is committed (jobs
rescheduled). Features add their settings to the tuple.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import cast

from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import LANGUAGE_NAMES, N_, Html, Translator
from bot.models import Community
from bot.runtime import BotApplication
from bot.services import audit, communities, durations, polls
from bot.services.errors import InvalidInput
from handlers import poll_lifecycle
from handlers.context import Turn, on_update

Show = Callable[[Translator, Community], str]
Apply = Callable[[AsyncSession, Community, list[str]], Awaitable[None]]
Changed = Callable[[BotApplication, Community], Awaitable[None]]


@dataclass(frozen=True)
class Setting:
    name: str
    label: str  # message id
    example: str  # what to type after the name, the same in every language
    show: Show
    apply: Apply
    changed: Changed | None = None


async def _apply_language(_session: AsyncSession, community: Community, values: list[str]) -> None:
    if len(values) != 1:
        raise InvalidInput(N_("Write one language code: lv, en or ru."))
    communities.set_language(community, values[0].lower())


async def _apply_timezone(_session: AsyncSession, community: Community, values: list[str]) -> None:
    if len(values) != 1:
        raise InvalidInput(N_("Write one time zone, like Europe/Riga."))
    communities.set_timezone(community, values[0])


async def _apply_poll_reminder(
    _session: AsyncSession, community: Community, values: list[str]
) -> None:
    polls.set_reminder_offset(community, values)


def _show_poll_reminder(t: Translator, community: Community) -> str:
    offset = polls.reminder_offset(community)
    return durations.compact(offset) if offset else t.plain(N_("none"))


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
        "pollreminder",
        N_("Poll reminder before the deadline"),
        "1d",
        _show_poll_reminder,
        _apply_poll_reminder,
        poll_lifecycle.settings_changed,
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
    await audit.record(
        turn.session, community.id, turn.need_user().id, "settings", name=name, value=values
    )
    if setting.changed is not None:
        app = cast(BotApplication, turn.context.application)
        turn.after_commit(functools.partial(setting.changed, app, community))
    turn.t = turn.runtime.translator(community.language if not turn.in_private else turn.t.language)
    turn.reply(
        turn.t._(
            "Saved. {label}: <b>{value}</b>",
            label=turn.t._(setting.label),
            value=setting.show(turn.t, community),
        )
    )
