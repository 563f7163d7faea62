"""The working group's desk: /stats, /export, /plan, /vision, /goal and /log.

The export and the plan hold everything residents wrote, so they are sent only in a private
chat: asked for in the group, they go to the leader's private chat (or, if the leader has not
started one yet, a button opens it and the file comes there). The files are built when the
outbox sends them (read then, written in a worker thread), never in an update's transaction.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Callable
from dataclasses import replace

from bot.i18n import N_, Html, Translator
from bot.keyboards.desk import private_chat_keyboard
from bot.models import Community, User, utcnow
from bot.render import activity_chart, spreadsheet
from bot.render import desk as render
from bot.render import plan as plan_document
from bot.runtime import Runtime
from bot.services import Session, audit, communities, export, outbox, placed, plan, stats, vision
from bot.services.errors import InvalidInput
from bot.services.people import People
from bot.services.text import slug, whole_number
from bot.wire import messages
from bot.wire.messages import Drawn
from handlers.common import act_for, deep_link
from handlers.context import Acts, Turn, on_update
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

# The views that draw a file when the outbox sends it (`desk_file:kind:part:community:lang`)
# and the group's note once the files went to a leader's private chat, or could not.
FILE, NOTE = "desk_file", "desk_note"
SENT, BLOCKED = "sent", "blocked"
WORKBOOK, CSV_ZIP, DOCUMENT = "xlsx", "csv", "docx"
PARTS = {EXPORT: (WORKBOOK, CSV_ZIP), PLAN: (DOCUMENT,)}


def _name(community: Community, extension: str) -> str:
    return f"{slug(community.title, 'village')}-{utcnow():%Y-%m-%d}{extension}"


Build = Callable[[], Drawn]


async def _read(
    runtime: Runtime, session: Session, community: Community, part: str, reader: Translator
) -> Build:
    """One file's content, read now, in the community's language; the returned call writes
    the file (seconds for a large village: run in a worker thread, outside the transaction)."""
    t, title = runtime.translator(community.language), community.title
    zone = communities.zone_of(community)
    if part == DOCUMENT:
        now = utcnow()
        draft = await plan.draft(session, community, now)
        schedule = await show_schedule(session, t, community)
        name, caption = _name(community, ".docx"), render.plan_caption(reader, draft.village)
        write = functools.partial(plan_document.docx, t, draft, zone, now, schedule)
    else:
        tables = await export.tables(session, community)
        if part == WORKBOOK:
            name, caption = _name(community, ".xlsx"), render.workbook_caption(reader, title)
            write = functools.partial(spreadsheet.xlsx, t, tables, zone, title)
        else:
            name, caption = _name(community, "-csv.zip"), render.csv_caption(reader)
            write = functools.partial(spreadsheet.csv_zip, t, tables, zone)
    return lambda: Drawn.upload("document", name, write(), caption=caption)


async def _file_view(runtime: Runtime, argument: str) -> Drawn | None:
    part, community_id, language = argument.split(":")
    async with runtime.db.transaction(sync=False) as session:
        community = await communities.by_id(session, int(community_id))
        if community is None:
            return None
        build = await _read(runtime, session, community, part, runtime.translator(language))
    return await asyncio.to_thread(build)


async def _note_view(runtime: Runtime, argument: str) -> Drawn:
    """In the group: the files are in the leader's private chat, or (the leader blocked the
    bot) the button that opens it."""
    outcome, kind, community_id, reply_to, language = argument.split(":")
    t = runtime.translator(language)
    if outcome == SENT:
        text, url = render.sent_privately(t), f"https://t.me/{runtime.bot_username}"
    else:
        text, url = render.open_private_chat(t), runtime.deep_link(f"{kind}_{community_id}")
    quoted = int(reply_to) or None
    return Drawn.text(text, private_chat_keyboard(t, url), reply_to=quoted)


VIEWS = {FILE: _file_view, NOTE: _note_view}


def private_chat_of(user: User) -> int | None:
    """The person's private chat with the bot; None until they start it (or after they
    blocked the bot: the outbox notes it when Telegram refuses a message)."""
    return user.telegram_id if user.started_bot else None


def files_link(acts: Acts, kind: str) -> str:
    """The link that opens the private chat and brings the files there (`/start plan_12`)."""
    return acts.runtime.deep_link(f"{kind}_{acts.need_community().id}")


async def private_files(acts: Acts, kind: str, chat_id: int) -> list[outbox.Message]:
    """The files of `kind` (/export's or /plan's) for the leader's private chat, drawn when
    the outbox sends them, in the leader's language; the request goes to the log."""
    community, user = acts.need_community(), acts.need_user()
    await audit.record(acts.session, community.id, user.id, kind)
    return [
        messages.draw(chat_id, f"{FILE}:{part}:{community.id}:{acts.t.language}", "sendDocument")
        for part in PARTS[kind]
    ]


async def _deliver(turn: Turn, kind: str) -> None:
    """Send the files in private chat; asked in the group, send them to the leader's private
    chat and say so there, or offer the button that opens it. Each file is built when the
    outbox sends it, not in the update's transaction."""
    community, user = turn.need_community(), turn.need_user()
    t = turn.t
    chat_id = turn.chat.id if turn.in_private else private_chat_of(user)
    if chat_id is None:
        turn.reply(render.open_private_chat(t), private_chat_keyboard(t, files_link(turn, kind)))
        return
    files = await private_files(turn, kind, chat_id)
    if not turn.in_private:
        reply_to = turn.message.message_id if turn.message else 0
        note = f"{NOTE}:{{}}:{kind}:{community.id}:{reply_to}:{t.language}"
        group_id = turn.chat.id
        files[0] = replace(
            files[0], on_refused=placed.files_refused(group_id, note.format(BLOCKED))
        )
        files[-1] = replace(files[-1], after_send=placed.files_sent(group_id, note.format(SENT)))
    turn.send(*files)


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
