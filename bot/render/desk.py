"""The working group's desk in messages: figures, vision and goals, the log, and the notes that
go with the export and the plan."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from string import Formatter
from typing import Any
from zoneinfo import ZoneInfo

from bot.i18n import N_, Html, Translator, escape
from bot.models import Answer, AuditEntry, IdeaArea, IdeaStatus
from bot.render.ideas import area_label, status_label
from bot.render.swot import QUADRANT_NAMES
from bot.services.people import Label, People
from bot.services.plan import STATUS_ORDER
from bot.services.stats import ACTIVE_DAYS, Figures
from bot.services.text import shorten

QUESTION_LIMIT = 80
NAME_LIMIT = 60


# --- /stats ---------------------------------------------------------------------------------


def _counts(pairs: Sequence[tuple[str, int]]) -> str:
    return " · ".join(f"{name} {count}" for name, count in pairs if count)


def figures(t: Translator, village: str, f: Figures) -> Html:
    """Every figure in one message (well under Telegram's 4096 characters)."""
    lines: list[str] = [
        t._("📊 <b>Participation in {village}</b>", village=village),
        "",
        t.n_(
            "👥 Members known: <b>{members}</b> · active in the last {n} day: <b>{active}</b>",
            "👥 Members known: <b>{members}</b> · active in the last {n} days: <b>{active}</b>",
            ACTIVE_DAYS,
            members=f.members,
            active=f.active,
        ),
        t._("💡 Ideas: <b>{count}</b>", count=sum(f.ideas.values())),
    ]
    by_status = _counts([(status_label(t, s), f.ideas_in(s)) for s in STATUS_ORDER])
    if by_status:
        lines.append(t._("   by status: {counts}", counts=by_status))
    areas: list[IdeaArea | None] = [*IdeaArea, None]
    by_area = _counts([(area_label(t, a), f.ideas_of(a)) for a in areas])
    if by_area:
        lines.append(t._("   by area: {counts}", counts=by_area))
    if f.swot.round_number:
        lines.append(
            t._(
                "🧭 SWOT inputs (round {number}): <b>{count}</b> — {parts} · votes: {votes}",
                number=f.swot.round_number,
                count=f.swot.total,
                parts=" · ".join(
                    f"{t.plain(QUADRANT_NAMES[q])} {n}" for q, n in f.swot.inputs.items()
                ),
                votes=f.swot.votes,
            )
        )
    else:
        lines.append(t._("🧭 SWOT inputs: none yet"))
    lines.append(
        t._(
            "🗳 Polls: <b>{count}</b> (open: {open}) · average turnout: {turnout}",
            count=f.polls.count,
            open=f.polls.open,
            turnout=t.percent(f.polls.average_turnout),
        )
    )
    for poll in f.polls.latest:
        lines.append(
            t._(
                "   • “{question}” — {voters} of {members} ({turnout})",
                question=shorten(poll.question, QUESTION_LIMIT),
                voters=poll.voters,
                members=poll.members,
                turnout=t.percent(poll.turnout),
            )
        )
    m = f.meetings
    lines.append(
        t._(
            "📅 Meetings: held <b>{held}</b> · to come {upcoming} · with minutes {minuted}",
            held=m.held,
            upcoming=m.upcoming,
            minuted=m.with_minutes,
        )
    )
    lines.append(
        t._(
            "   answers: going {going} · maybe {maybe} · can't {no}",
            going=m.rsvps[Answer.GOING],
            maybe=m.rsvps[Answer.MAYBE],
            no=m.rsvps[Answer.NO],
        )
    )
    v = f.victories
    lines.append(
        t._(
            "🏆 Small victories: <b>{announced}</b> · "
            "waiting for approval {pending} · 👏 {applause}",
            announced=v.announced,
            pending=v.pending,
            applause=v.applause,
        )
    )
    return Html("\n".join(lines))


def chart_caption(t: Translator, village: str) -> Html:
    return t._(
        "📈 Activity in {village} per week: ideas, supports, comments, SWOT inputs and votes, "
        "poll answers, meeting answers and applause.",
        village=village,
    )


# --- /vision and /goal ----------------------------------------------------------------------


def vision(
    t: Translator, village: str, text: str | None, goals: Sequence[str], *, leader: bool
) -> Html:
    lines: list[str] = [t._("🌅 <b>Vision: {village}</b>", village=village)]
    lines.append(
        escape(text)
        if text
        else t._("No vision yet: a leader writes /vision followed by the text.")
    )
    lines += ["", t._("🎯 <b>Goals</b>")]
    if goals:
        lines += [f"{number}. {escape(goal)}" for number, goal in enumerate(goals, start=1)]
    else:
        lines.append(t._("No goals yet: a leader adds each with /goal followed by the text."))
    if leader:
        lines += [
            "",
            t._(
                "Change the vision: /vision <i>text</i> · add a goal: /goal <i>text</i> · "
                "remove goal 2: /goal -2 · the plan: /plan"
            ),
        ]
    return Html("\n".join(lines))


# --- /log -----------------------------------------------------------------------------------

ACTIONS: Mapping[str, str] = {
    "settings": N_("changed the setting “{name}”"),
    "promote": N_("added {person} to the working group"),
    "demote": N_("removed {person} from the working group"),
    "idea-status": N_("set idea #{idea} to “{status}”"),
    "idea-hide": N_("hid idea #{idea}"),
    "idea-unhide": N_("showed idea #{idea} again"),
    "idea-track": N_("updated the plan details of idea #{idea}"),
    "swot_round": N_("started SWOT round {number}"),
    "swot_merge": N_("merged SWOT input {source} into {target}"),
    "swot_move": N_("moved SWOT input {source}; it is {target} now"),
    "swot_hide": N_("hid SWOT input {code}"),
    "swot_unhide": N_("showed SWOT input {code} again"),
    "decision": N_("recorded a decision"),
    "meeting": N_("scheduled a meeting"),
    "meeting-cancel": N_("cancelled a meeting date"),
    "meeting-cancel-series": N_("cancelled a repeating meeting"),
    "meeting-move": N_("moved a meeting date"),
    "minutes": N_("recorded minutes"),
    "victory": N_("announced a small victory"),
    "victory-approved": N_("approved a small victory"),
    "victory-rejected": N_("did not approve a small victory"),
    "papervotes": N_("added paper votes to a poll"),
    "vision": N_("changed the vision"),
    "vision-clear": N_("removed the vision"),
    "goal-add": N_("added goal {number}"),
    "goal-remove": N_("removed goal {number}"),
    "export": N_("exported all records (/export)"),
    "plan": N_("made the development plan's draft (/plan)"),
}


def person(t: Translator, name: str) -> str:
    return t.plain(name) if isinstance(name, Label) else name


def action_text(t: Translator, entry: AuditEntry, people: People) -> Html:
    """What a leader did, in words; an action this version does not know is shown as stored."""
    details: dict[str, Any] = dict(entry.details or {})
    if isinstance(details.get("user_id"), int):
        details["person"] = shorten(person(t, people.name(details["user_id"])), NAME_LIMIT)
    if entry.action == "idea-status" and details.get("status") in set(IdeaStatus):
        details["status"] = status_label(t, IdeaStatus(details["status"]))
    details = {
        key: shorten(str(v), NAME_LIMIT) if isinstance(v, str) else v for key, v in details.items()
    }
    message = ACTIONS.get(entry.action)
    wanted = {name for _text, name, _spec, _conv in Formatter().parse(message or "") if name}
    if message is None or not wanted <= details.keys():
        return escape(entry.action)
    return t._(message, **{name: details[name] for name in wanted})


def log(
    t: Translator,
    village: str,
    entries: Sequence[AuditEntry],
    people: People,
    zone: ZoneInfo,
    page: int,
    pages: int,
) -> Html:
    if not entries:
        return t._("📋 Nothing in the working group's log of {village} yet.", village=village)
    lines: list[str] = [
        t._("📋 <b>The working group's log of {village}</b>", village=village),
        t._("Page {page} of {pages}, newest first.", page=page, pages=pages),
        "",
    ]
    for entry in entries:
        who = escape(shorten(person(t, people.name(entry.actor_id)), NAME_LIMIT))
        what = action_text(t, entry, people)
        lines.append(f"{t.datetime_text(entry.created_at, zone)} · <b>{who}</b> — {what}")
    if page < pages:
        lines += ["", t._("Older entries: /log {page}", page=page + 1)]
    return Html("\n".join(lines))


# --- the export and the plan ----------------------------------------------------------------


def workbook_caption(t: Translator, village: str) -> Html:
    return t._(
        "📊 Everything residents and the working group of {village} recorded, one sheet per kind "
        "of record. Open it in Excel or LibreOffice.",
        village=village,
    )


def csv_caption(t: Translator) -> Html:
    return t._("The same as CSV files (UTF-8), for any spreadsheet program or database.")


def plan_caption(t: Translator, village: str) -> Html:
    return t._(
        "📄 Development plan: {village}. A draft in eight parts: the working group completes "
        "it, discusses it with the residents and approves it.",
        village=village,
    )


def sent_privately(t: Translator) -> Html:
    return t._("📬 I have sent it to you in our private chat.")


def open_private_chat(t: Translator) -> Html:
    return t._(
        "🔒 I send this only in a private chat, never in the group. "
        "Press the button, then “Start”: it comes at once."
    )
