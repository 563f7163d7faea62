"""Buttons of small victories: applause, the leaders' decision, the list's pages, and turning
a done idea into a celebration."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.i18n import N_, Translator
from bot.keyboards.codec import button, callback, keyboard
from bot.keyboards.common import pager
from bot.services.victories import Page


@callback("clap")
@dataclasses.dataclass(frozen=True)
class ApplausePress:
    victory_id: int


@callback("vdecide")
@dataclasses.dataclass(frozen=True)
class VictoryDecision:
    victory_id: int
    approve: int  # 1 approve, 0 reject


@callback("vpage")
@dataclasses.dataclass(frozen=True)
class VictoriesPage:
    page: int


@callback("celebrate")
@dataclasses.dataclass(frozen=True)
class CelebrateIdea:
    idea_id: int


def applause_keyboard(victory_id: int, count: int) -> InlineKeyboardMarkup:
    return keyboard([[button(f"👏 {count}", ApplausePress(victory_id))]])


def decision_keyboard(t: Translator, victory_id: int, label: str = "") -> InlineKeyboardMarkup:
    suffix = f" {label}" if label else ""
    return keyboard(
        [
            [
                button(t.plain(N_("✅ Approve")) + suffix, VictoryDecision(victory_id, 1)),
                button(t.plain(N_("✖ Reject")) + suffix, VictoryDecision(victory_id, 0)),
            ]
        ]
    )


def pending_keyboard(t: Translator, victory_ids: list[int]) -> InlineKeyboardMarkup:
    rows: list[Sequence[InlineKeyboardButton]] = []
    for index, victory_id in enumerate(victory_ids, start=1):
        rows.extend(decision_keyboard(t, victory_id, str(index)).inline_keyboard)
    return keyboard(rows)


def pages_keyboard(page: Page) -> InlineKeyboardMarkup | None:
    if page.pages <= 1:
        return None
    return keyboard([pager(page.page, page.pages, VictoriesPage)])


def celebrate_keyboard(t: Translator, idea_id: int) -> InlineKeyboardMarkup:
    return keyboard(
        [[button(t.plain(N_("🏆 Celebrate as a small victory")), CelebrateIdea(idea_id))]]
    )
