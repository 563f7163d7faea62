"""The working group's desk: /stats, /export, /plan, /vision, /goal and /log.

The export and the plan hold everything residents wrote, so they are sent only in a private
chat: asked for in the group, they go to the leader's private chat (or, if the leader has not
started one yet, a button opens it and the file comes there). The files are written after the
update's commit, in a worker thread, from values read in the update's transaction.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass

from telegram import Bot
from telegram.error import Forbidden

from bot.i18n import N_, Html
from bot.keyboards.desk import private_chat_keyboard
from bot.models import Community, utcnow
from bot.render import activity_chart, spreadsheet
from bot.render import desk as render
from bot.render import plan as plan_document
from bot.services import audit, communities, export, members, plan, stats, vision
from bot.services.errors import InvalidInput
from bot.services.people import People
from bot.services.text import slug, whole_number
from bot.wire import messages
from handlers.common import act_for, deep_link
from handlers.context import Turn, on_update
from handlers.digest import show_schedule

log = logging.getLogger(__name__)

EXPORT, PLAN = "export", "plan"
LOG_PAGE_SIZE = 15
GOAL_USAGE = N_(
    "Write the goal after the command, for example:\n"
    "<code>/goal A lit road to the station by 2027</code>\n"
    "To remove goal 2: <code>/goal -2</code>. To see the vision and goals: /vision"
)
LOG_USAGE = N_("Write the page number, for example: /log 2")


# --- /stats ---------------------------------------------------------------------------------


@on_update(leaders_only=True)
async def stats_command(turn: Turn) -> None:
    """The figures as text, then the weekly activity chart."""
    community = turn.need_community()
    figures = await stats.overview(turn.session, community, utcnow())
    turn.reply(render.figures(turn.t, community.title, figures))
    t, title = turn.t, community.title
    picture = await asyncio.to_thread(activity_chart.render, t, figures.activity, title)
    caption = render.chart_caption(t, title)
    turn.send(messages.upload(turn.chat.id, "photo", "activity.png", picture, caption=caption))


# --- /export and /plan ----------------------------------------------------------------------


@dataclass(frozen=True)
class File:
    content: bytes
    name: str
    caption: Html


Build = Callable[[], list[File]]


def _name(community: Community, extension: str) -> str:
    return f"{slug(community.title, 'village')}-{utcnow():%Y-%m-%d}{extension}"


async def _export_files(turn: Turn, community: Community) -> Build:
    """The workbook and the CSV zip, in the community's language."""
    tables = await export.tables(turn.session, community)
    t, reader = turn.runtime.translator(community.language), turn.t
    zone, title = communities.zone_of(community), community.title
    xlsx_name, zip_name = _name(community, ".xlsx"), _name(community, "-csv.zip")

    def build() -> list[File]:
        return [
            File(
                spreadsheet.xlsx(t, tables, zone, title),
                xlsx_name,
                render.workbook_caption(reader, title),
            ),
            File(spreadsheet.csv_zip(t, tables, zone), zip_name, render.csv_caption(reader)),
        ]

    return build


async def _plan_files(turn: Turn, community: Community) -> Build:
    """The development plan's draft, in the community's language."""
    now = utcnow()
    draft = await plan.draft(turn.session, community, now)
    t, reader = turn.runtime.translator(community.language), turn.t
    schedule = await show_schedule(turn.session, t, community)
    zone, name = communities.zone_of(community), _name(community, ".docx")

    def build() -> list[File]:
        content = plan_document.docx(t, draft, zone, now, schedule)
        return [File(content, name, render.plan_caption(reader, draft.village))]

    return build


async def _send(bot: Bot, chat_id: int, build: Build) -> None:
    for file in await asyncio.to_thread(build):
        await bot.send_document(chat_id, file.content, filename=file.name, caption=file.caption)


async def _deliver(turn: Turn, kind: str) -> None:
    """Send the files in private chat; asked in the group, send them to the leader's private
    chat and say so there, or offer the button that opens it."""
    community, user = turn.need_community(), turn.need_user()
    bot, t = turn.context.bot, turn.t
    link = turn.runtime.deep_link(f"{kind}_{community.id}")
    if not turn.in_private and (not user.started_bot or user.telegram_id is None):
        turn.reply(render.open_private_chat(t), private_chat_keyboard(t, link))
        return
    files = _export_files if kind == EXPORT else _plan_files
    build = await files(turn, community)
    await audit.record(turn.session, community.id, user.id, kind)
    if turn.in_private:
        chat_id = turn.chat.id
        turn.after_commit(lambda: _send(bot, chat_id, build))
        return
    assert user.telegram_id is not None
    db, person, group_id = turn.runtime.db, user.telegram_id, turn.chat.id
    reply_to = turn.message.message_id if turn.message else None

    async def send_privately() -> None:
        try:
            await _send(bot, person, build)
            text, url = render.sent_privately(t), f"https://t.me/{turn.runtime.bot_username}"
        except Forbidden:  # the leader blocked the bot meanwhile
            async with db.transaction() as session:
                await members.mark_not_started(session, user.id)
            text, url = render.open_private_chat(t), link
        await bot.send_message(
            group_id,
            text,
            reply_markup=private_chat_keyboard(t, url),
            reply_to_message_id=reply_to,
            allow_sending_without_reply=True,
        )

    turn.after_commit(send_privately)


@on_update(leaders_only=True)
async def export_command(turn: Turn) -> None:
    await _deliver(turn, EXPORT)


@on_update(leaders_only=True)
async def plan_command(turn: Turn) -> None:
    await _deliver(turn, PLAN)


async def _from_link(turn: Turn, rest: str, kind: str) -> None:
    """The group's "Open a private chat" button: the files come once the chat is open."""
    await act_for(turn, rest)
    await turn.require_leader()
    await _deliver(turn, kind)


@deep_link(EXPORT)
async def _export_link(turn: Turn, rest: str) -> None:
    await _from_link(turn, rest, EXPORT)


@deep_link(PLAN)
async def _plan_link(turn: Turn, rest: str) -> None:
    await _from_link(turn, rest, PLAN)


# --- /vision and /goal ----------------------------------------------------------------------


async def _vision_text(turn: Turn, community: Community) -> Html:
    return render.vision(
        turn.t,
        community.title,
        community.vision,
        community.goals or [],
        leader=await turn.is_leader(),
    )


@on_update()
async def vision_command(turn: Turn) -> None:
    """`/vision` shows the vision and goals; `/vision <text>` (leaders) sets the vision."""
    community = turn.need_community()
    if turn.arg_text:
        await turn.require_leader()
        saved = await vision.set_vision(turn.session, community, turn.need_user(), turn.arg_text)
        head = (
            turn.t._("✅ The vision is saved. It opens part 2 of the development plan (/plan).")
            if saved
            else turn.t._("🗑 The vision is removed.")
        )
        turn.reply(Html(f"{head}\n\n{await _vision_text(turn, community)}"))
        return
    turn.reply(await _vision_text(turn, community))


@on_update(leaders_only=True)
async def goal_command(turn: Turn) -> None:
    """`/goal <text>` adds a goal; `/goal -2` removes goal 2."""
    community, user = turn.need_community(), turn.need_user()
    if not turn.arg_text:
        raise InvalidInput(GOAL_USAGE)
    number = vision.parse_removal(turn.arg_text)
    if number is not None:
        removed = await vision.remove_goal(turn.session, community, user, number)
        head = turn.t._("🗑 Goal {number} removed: “{text}”", number=number, text=removed)
    else:
        added = await vision.add_goal(turn.session, community, user, turn.arg_text)
        head = turn.t._("✅ Goal {number} added.", number=added)
    turn.reply(Html(f"{head}\n\n{await _vision_text(turn, community)}"))


# --- /log -----------------------------------------------------------------------------------


def _page_number(turn: Turn) -> int:
    if not turn.args:
        return 1
    number = whole_number(turn.args[0]) if len(turn.args) == 1 else None
    if number is None or not 1 <= number <= 10_000:
        raise InvalidInput(LOG_USAGE)
    return number


@on_update(leaders_only=True)
async def log_command(turn: Turn) -> None:
    """The latest leader actions, newest first, a page at a time."""
    community = turn.need_community()
    number = _page_number(turn)
    entries, total = await audit.page(turn.session, community.id, number - 1, LOG_PAGE_SIZE)
    pages = max(1, -(-total // LOG_PAGE_SIZE))
    if number > pages:
        raise InvalidInput(N_("The log's last page is /log {pages}"), pages=pages)
    mentioned = [e.details.get("user_id") for e in entries if e.details]
    people = await People.load(
        turn.session,
        [e.actor_id for e in entries] + [m for m in mentioned if isinstance(m, int)],
    )
    zone = communities.zone_of(community)
    turn.reply(render.log(turn.t, community.title, entries, people, zone, number, pages))
