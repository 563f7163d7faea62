"""Buttons of ideas: support, area, management, the draft choice, and the list's pages."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.i18n import N_, Translator
from bot.keyboards.codec import button, callback, decode, in_rows, keyboard, url_button
from bot.keyboards.common import pager
from bot.models import OPEN_STATUSES, Idea, IdeaArea, IdeaStatus
from bot.render.ideas import AREA_LABELS, STATUS_LABELS
from bot.services.ideas import LEADER_STATUSES, Page, Similar


@callback("sup")
@dataclasses.dataclass(frozen=True)
class SupportPress:
    idea_id: int


@callback("area")
@dataclasses.dataclass(frozen=True)
class AreaPick:
    idea_id: int
    area: str


@callback("manage")
@dataclasses.dataclass(frozen=True)
class ManagePress:
    """`open`/`close` the card's management buttons, `hide`, or a status value."""

    idea_id: int
    action: str


@callback("withdraw")
@dataclasses.dataclass(frozen=True)
class WithdrawPress:
    idea_id: int


@callback("ideahide")
@dataclasses.dataclass(frozen=True)
class IdeaHide:
    """A leader's "hide this idea?" question, and the undo under its answer (a HideQuestion)."""

    idea_id: int
    user_id: int
    action: str


@callback("ideas")
@dataclasses.dataclass(frozen=True)
class IdeasPage:
    page: int
    area: str  # an IdeaArea value, or "all"


@callback("draft")
@dataclasses.dataclass(frozen=True)
class DraftChoice:
    """`named` / `anon` (private chat) or `submit` (group); `support` with `idea_id` set."""

    draft_id: int
    action: str
    idea_id: int = 0


def card_keyboard(
    t: Translator, idea: Idea, *, manage: bool = False, board: str | None = None
) -> InlineKeyboardMarkup | None:
    """The card's buttons; `board`: the link opening the idea on the village board (None while
    the board is off), under the resident's buttons, not among the leaders' ⚙ ones."""
    if idea.hidden or idea.status == IdeaStatus.WITHDRAWN:
        return None
    if manage:
        statuses = [s for s in LEADER_STATUSES if s != idea.status]
        managing = in_rows(
            [button(t.plain(STATUS_LABELS[s]), ManagePress(idea.id, s.value)) for s in statuses],
            3,
        )
        managing.append(
            [
                button(t.plain(N_("🙈 Hide")), ManagePress(idea.id, "hide")),
                button(t.plain(N_("↩ Back")), ManagePress(idea.id, "close")),
            ]
        )
        return keyboard([*managing[:-1], *area_rows(t, idea, but=idea.area), managing[-1]])
    rows: list[Sequence[InlineKeyboardButton]] = []
    if idea.status != IdeaStatus.REJECTED:
        rows.append(
            [
                button(
                    t.plain(N_("👍 Support ({count})"), count=idea.support_count),
                    SupportPress(idea.id),
                ),
                button("⚙", ManagePress(idea.id, "open")),
            ]
        )
    else:
        rows.append([button("⚙", ManagePress(idea.id, "open"))])
    if idea.area is None and idea.status in OPEN_STATUSES:
        rows.extend(area_rows(t, idea))
    if board is not None:
        rows.append([url_button(t.plain(N_("📋 Open on the board")), board)])
    return keyboard(rows)


def area_rows(
    t: Translator, idea: Idea, *, but: IdeaArea | None = None
) -> list[list[InlineKeyboardButton]]:
    """The area buttons (`but` the one the idea has: leaders change it from the ⚙ menu). They
    are the same on every redraw of a card, which a support press makes: built once (buttons
    are immutable) for the last AREA_MEMORY cards."""
    key = (t, idea.id, but)
    rows = _area_rows.get(key)
    if rows is None:
        if len(_area_rows) >= AREA_MEMORY:
            _area_rows.clear()
        rows = _area_rows[key] = in_rows(
            [
                button("🏷 " + t.plain(label), AreaPick(idea.id, area.value))
                for area, label in AREA_LABELS.items()
                if area != but
            ],
            2,
        )
    return list(rows)


AREA_MEMORY = 2_000
_area_rows: dict[tuple[Translator, int, IdeaArea | None], list[list[InlineKeyboardButton]]] = {}


def posted_keyboard(t: Translator, idea: Idea) -> InlineKeyboardMarkup | None:
    """Under the author's private confirmation: the area (until chosen) and withdrawing."""
    rows = area_rows(t, idea) if idea.area is None else []
    if idea.status == IdeaStatus.NEW:
        rows.append([button(t.plain(N_("↩ Withdraw my idea")), WithdrawPress(idea.id))])
    return keyboard(rows) if rows else None


def draft_keyboard(
    t: Translator, draft_id: int, similar: Sequence[Similar], *, private: bool
) -> InlineKeyboardMarkup:
    rows = [
        [
            button(
                t.plain(N_("👍 Support #{number} instead"), number=s.idea.number),
                DraftChoice(draft_id, "support", s.idea.id),
            )
        ]
        for s in similar
    ]
    if private:
        rows.append(
            [
                button(t.plain(N_("✍ Post with my name")), DraftChoice(draft_id, "named")),
                button(t.plain(N_("🙈 Post as “a resident”")), DraftChoice(draft_id, "anon")),
            ]
        )
    else:
        rows.append([button(t.plain(N_("➕ Submit anyway")), DraftChoice(draft_id, "submit"))])
    return keyboard(rows)


def detail_keyboard(
    t: Translator, idea: Idea, *, is_author: bool, board: str | None = None
) -> InlineKeyboardMarkup | None:
    markup = card_keyboard(t, idea, board=board)
    if markup is None or not (is_author and idea.status == IdeaStatus.NEW):
        return markup
    rows = [list(row) for row in markup.inline_keyboard if not _is_area_row(row)]
    rows.append([button(t.plain(N_("↩ Withdraw my idea")), WithdrawPress(idea.id))])
    return keyboard(rows)


def idea_of(markup: InlineKeyboardMarkup | None) -> int | None:
    """The idea whose card or `/idea N` view carries these buttons (👍 or ⚙): a reply to such
    a message is a comment on that idea. A hidden or withdrawn idea's card has none."""
    for row in markup.inline_keyboard if markup is not None else ():
        for pressed in row:
            data = pressed.callback_data if isinstance(pressed.callback_data, str) else None
            found = decode(data, SupportPress) or decode(data, ManagePress)
            if found is not None:
                return found.idea_id
    return None


def _is_area_row(row: Sequence[InlineKeyboardButton]) -> bool:
    return all(str(b.callback_data or "").startswith("area") for b in row)


def list_keyboard(t: Translator, page: Page, area: IdeaArea | None) -> InlineKeyboardMarkup:
    area_key = area.value if area is not None else "all"
    pages = pager(page.page, page.pages, lambda n: IdeasPage(n, area_key))
    choices = [("all", t.plain(N_("All areas")))] + [
        (a.value, t.plain(label)) for a, label in AREA_LABELS.items()
    ]
    filters = [
        button(("• " if key == area_key else "") + label, IdeasPage(0, key))
        for key, label in choices
    ]
    rows: list[list[InlineKeyboardButton]] = [pages] if page.pages > 1 else []
    rows.extend(in_rows(filters, 2))
    return keyboard(rows)
