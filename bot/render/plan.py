"""The development plan's draft as a Word document (.docx), in the community's language.

Eight parts with the glossary's headings, each filled from the data; a part with nothing yet
says what is missing and which command fills it, so the working group knows the next step.
The page is A4 with margins a municipality's template would have; the village is the
document's author, and every date is written the one way the community's language writes it
(`Translator.date_text`, with the year in full).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from bot.i18n import N_, Translator
from bot.models import IdeaArea, IdeaStatus
from bot.render.budget import RULE_NAMES, funded_line, turnout_line
from bot.render.ideas import AREA_LABELS, status_label
from bot.render.spreadsheet import printable
from bot.render.swot import QUADRANT_NAMES
from bot.render.swot_picture import board_png
from bot.services.people import Label
from bot.services.plan import BudgetVote, Cut, Plan, Voted
from bot.services.stats import ACTIVE_DAYS, Figures
from bot.services.swot import QUADRANTS

if TYPE_CHECKING:
    from docx.document import Document

PARTS = (
    N_("Current situation analysis"),
    N_("Vision and goals"),
    N_("Strategy and action plan"),
    N_("Measurement and evaluation"),
    N_("Budget and funding sources"),
    N_("Public communication"),
    N_("Timeline and monitoring"),
    N_("Review and adaptation"),
)
# What a part says while it has nothing yet, and which command fills it (the document and the
# board's plan page say the same).
MISSING: Mapping[str, str] = {
    "quadrant": N_("None yet."),
    "swot": N_(
        "No SWOT inputs yet: residents add them with /strength, /weakness, "
        "/opportunity and /threat, and rate them with /swotvote."
    ),
    "vision": N_("No vision yet: a leader writes /vision followed by the text."),
    "goals": N_("No goals yet: a leader adds each with /goal followed by the text."),
    "actions": N_(
        "No accepted ideas yet: leaders accept residents' ideas, "
        "for example /status 5 accepted, and set their details with /ideaset."
    ),
    "victories": N_("No small victories yet: anyone shares one with /victory."),
    "budget": N_(
        "No cost estimates yet: leaders set them for accepted ideas, "
        "for example /ideaset 5 cost 1200 and /ideaset 5 funding LEADER."
    ),
    "budget_rounds": N_("No participatory budget yet: leaders open one with /budget."),
    "digests": N_(
        "No digest posted yet: it is posted on the schedule set with "
        "/settings digest monthly mon 18:00."
    ),
    "meetings": N_("No meetings yet: a leader schedules one with /meeting."),
    "history": N_("No idea has changed its status yet: leaders change it with /status."),
    "polls": N_("No poll has decided anything yet: leaders start one with /poll."),
    "decisions": N_("No decisions yet: leaders record them with /decision."),
    "minutes": N_("No minutes yet: after a meeting, leaders record its decisions with /minutes."),
}
# A4, in millimetres: the paper, then the margins (top, right, bottom, left; a wider left one
# for binding).
PAPER = (210, 297)
MARGINS = (20, 20, 20, 25)
PICTURE_WIDTH_MM = 150


def headings(t: Translator) -> list[str]:
    """The eight parts' headings, numbered, as they stand in the document."""
    return [f"{number}. {t.plain(part)}" for number, part in enumerate(PARTS, start=1)]


class _Writer:
    def __init__(self, t: Translator, zone: ZoneInfo) -> None:
        from docx import Document as new_document

        self.t = t
        self.zone = zone
        self.doc: Document = new_document()
        self._a4()

    def _a4(self) -> None:
        from docx.shared import Mm

        for section in self.doc.sections:
            section.page_width, section.page_height = Mm(PAPER[0]), Mm(PAPER[1])
            top, right, bottom, left = (Mm(value) for value in MARGINS)
            section.top_margin, section.right_margin = top, right
            section.bottom_margin, section.left_margin = bottom, left

    def day(self, value: date | datetime | None) -> str:
        """Every date of the document, written one way."""
        return self.t.date_text(value, self.zone) if value is not None else ""

    def moment(self, value: datetime) -> str:
        return self.t.datetime_text(value, self.zone)

    def picture(self, png: bytes) -> None:
        from docx.shared import Mm

        self.doc.add_picture(io.BytesIO(png), width=Mm(PICTURE_WIDTH_MM))

    def heading(self, text: str, level: int) -> None:
        self.doc.add_heading(printable(text), level=level)

    def text(self, text: str, style: str | None = None) -> None:
        self.doc.add_paragraph(printable(text), style=style)

    def missing(self, message: str) -> None:
        """What is not there yet, and how to fill it (in italics)."""
        self.doc.add_paragraph().add_run(printable(self.t.plain(message))).italic = True

    def table(self, header: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
        grid = self.doc.add_table(rows=1 + len(rows), cols=len(header))
        grid.style = "Table Grid"
        for cell, title in zip(grid.rows[0].cells, header, strict=True):
            cell.paragraphs[0].add_run(printable(self.t.plain(title))).bold = True
        for row, values in zip(grid.rows[1:], rows, strict=True):
            for cell, value in zip(row.cells, values, strict=True):
                cell.text = printable("" if value is None else str(value))

    def person(self, name: str | None) -> str:
        """A name, or a label such as "a former resident" translated."""
        return self.t.plain(name) if isinstance(name, Label) else name or ""

    def more(self, cut: Cut[Any]) -> None:
        """Say how many older rows a long part left out."""
        if cut.more:
            self.text(
                self.t.n_(
                    "…and {n} older entry: the export (/export) has all of them.",
                    "…and {n} older entries: the export (/export) has all of them.",
                    cut.more,
                )
            )


def _swot(w: _Writer, plan: Plan) -> None:
    board = plan.board
    if board.total == 0:
        w.missing(MISSING["swot"])
        return
    w.text(
        w.t.plain(
            N_(
                "The residents' SWOT analysis (round {number}). Each part's inputs are ranked by "
                "agreement: agree votes minus disagree votes."
            ),
            number=board.round_number,
        )
    )
    w.picture(board_png(w.t, board, plan.village))
    for quadrant in QUADRANTS:
        w.heading(w.t.plain(QUADRANT_NAMES[quadrant]), 2)
        items = board.quadrant(quadrant)
        if not items:
            w.missing(MISSING["quadrant"])
            continue
        w.table(
            (N_("Code"), N_("Input"), N_("Agree"), N_("Disagree"), N_("Score")),
            [(i.code, i.text, i.agree, i.disagree, i.score) for i in items],
        )


def _vision(w: _Writer, plan: Plan) -> None:
    w.heading(w.t.plain(N_("Vision")), 2)
    if plan.vision:
        w.text(plan.vision)
    else:
        w.missing(MISSING["vision"])
    w.heading(w.t.plain(N_("Goals")), 2)
    if not plan.goals:
        w.missing(MISSING["goals"])
    for number, goal in enumerate(plan.goals, start=1):
        w.text(f"{number}. {goal}")


def _actions(w: _Writer, plan: Plan) -> None:
    if not plan.actions:
        w.missing(MISSING["actions"])
        return
    w.text(w.t.plain(N_("The ideas the working group accepted or is carrying out, by area.")))
    areas: list[IdeaArea | None] = [*IdeaArea, None]
    for area in areas:
        chosen = [a for a in plan.actions if a.area == area]
        if not chosen:
            continue
        label = AREA_LABELS[area] if area is not None else N_("Area not chosen yet")
        w.heading(w.t.plain(label), 2)
        w.table(
            (
                N_("No."),
                N_("Idea"),
                N_("Status"),
                N_("Responsible"),
                N_("Cost estimate, €"),
                N_("Funding source"),
                N_("Progress, %"),
            ),
            [
                (
                    f"#{a.number}",
                    a.text,
                    status_label(w.t, a.status),
                    w.person(a.owner),
                    w.t.money(a.cost_cents, sign=False) if a.cost_cents is not None else "",
                    a.funding or "",
                    a.progress,
                )
                for a in chosen
            ],
        )


def measurement(t: Translator, f: Figures) -> list[tuple[str, int]]:
    """Part 4's figures, each with its name (the document's table and the board's pages)."""
    return [
        (t.plain(N_("Members known")), f.members),
        (
            str(t.n_("Active in the last {n} day", "Active in the last {n} days", ACTIVE_DAYS)),
            f.active,
        ),
        (t.plain(N_("Ideas")), sum(f.ideas.values())),
        (t.plain(N_("Ideas done")), f.ideas_in(IdeaStatus.DONE)),
        (t.plain(N_("SWOT inputs")), f.swot.total),
        (t.plain(N_("Polls")), f.polls.count),
        (t.plain(N_("Average poll turnout, %")), f.polls.average_turnout),
        (t.plain(N_("Meetings held")), f.meetings.held),
        (t.plain(N_("Small victories")), f.victories.announced),
        (t.plain(N_("Applause")), f.victories.applause),
    ]


def _measurement(w: _Writer, plan: Plan) -> None:
    w.table((N_("Figure"), N_("Value")), measurement(w.t, plan.figures))
    w.heading(w.t.plain(N_("Small victories")), 2)
    if not plan.victories.rows:
        w.missing(MISSING["victories"])
        return
    w.more(plan.victories)
    w.table(
        (N_("Date"), N_("Victory"), N_("Applause")),
        [(w.day(v.decided_at), v.text, v.applause) for v in plan.victories.rows],
    )


def _budget(w: _Writer, plan: Plan) -> None:
    if not plan.budget:
        w.missing(MISSING["budget"])
    else:
        rows: list[tuple[object, ...]] = [
            (f.source or w.t.plain(N_("Not given yet")), f.ideas, w.t.money(f.cents, sign=False))
            for f in plan.budget
        ]
        total = sum(f.cents for f in plan.budget)
        rows.append(
            (
                w.t.plain(N_("Total")),
                sum(f.ideas for f in plan.budget),
                w.t.money(total, sign=False),
            )
        )
        w.table((N_("Funding source"), N_("Ideas"), N_("Sum, €")), rows)
    if plan.unestimated:
        w.text(
            w.t.n_(
                "{n} idea of the action plan has no cost estimate yet.",
                "{n} ideas of the action plan have no cost estimate yet.",
                plan.unestimated,
            )
        )
    _budget_rounds(w, plan)


# The columns of a budget round's funded ideas (the document and the board's plan page).
ROUND_COLUMNS = (N_("No."), N_("Idea"), N_("Cost, €"), N_("Votes"))


@dataclass(frozen=True)
class RoundText:
    """A participatory budget round as part 5 writes it: a heading, what it was (the sum and
    the rule, counted when or voted on until when), the funded ideas' rows (none while it is
    voted on) and its outcome (money left, turnout, paper ballots)."""

    heading: str
    about: list[str]
    rows: list[tuple[str, str, str, int]]
    outcome: list[str]


def budget_round(t: Translator, r: BudgetVote, zone: ZoneInfo) -> RoundText:
    """Plain text (the board's page escapes it), the same in the document and on the board."""
    about = [
        t.plain(
            N_("Sum: {amount}. Counting: {rule}."),
            amount=t.money(r.amount_cents),
            rule=t.plain(RULE_NAMES[r.rule]),
        )
    ]
    ballots = [
        str(turnout_line(t, r.online_ballots, r.known_members, r.turnout)),
        t.plain(N_("Paper ballots: {count}."), count=r.paper_ballots),
    ]
    if r.counted_at is None:
        about.append(
            t.plain(N_("Voting until {when}."), when=t.datetime_text(r.closes_at, zone)),
        )
        about.append(
            str(t.n_("{n} idea is on the ballot.", "{n} ideas are on the ballot.", r.on_ballot))
        )
        return RoundText(_round_heading(t, r), about, [], ballots)
    about.append(t.plain(N_("Counted {date}."), date=t.date_text(r.counted_at, zone)))
    outcome = [str(funded_line(t, r.amount_cents, r.left_cents)), *ballots]
    if not r.funded:
        outcome.insert(0, t.plain(N_("No idea was funded.")))
    rows = [
        (f"#{item.number}", item.text, t.money(item.cost_cents, sign=False), item.votes or 0)
        for item in r.funded
    ]
    return RoundText(_round_heading(t, r), about, rows, outcome)


def _round_heading(t: Translator, r: BudgetVote) -> str:
    return t.plain(N_("Participatory budget “{title}”"), title=r.title)


def _budget_rounds(w: _Writer, plan: Plan) -> None:
    w.heading(w.t.plain(N_("Participatory budgets")), 2)
    if not plan.budget_rounds:
        w.missing(MISSING["budget_rounds"])
    for r in plan.budget_rounds:
        shown = budget_round(w.t, r, w.zone)
        w.heading(shown.heading, 3)
        for line in shown.about:
            w.text(line)
        if shown.rows:
            w.table(ROUND_COLUMNS, shown.rows)
        for line in shown.outcome:
            w.text(line)


def _communication(w: _Writer, plan: Plan, schedule: str) -> None:
    w.text(
        w.t.plain(
            N_(
                "The village's Telegram group is where the working group and the residents talk; "
                "the bot announces there what happens. Village digest: {schedule}."
            ),
            schedule=schedule,
        )
    )
    told = plan.announcements
    w.table(
        (N_("Announced in the group"), N_("Times")),
        [
            (w.t.plain(N_("Ideas accepted or done")), told.ideas),
            (w.t.plain(N_("Small victories")), told.victories),
            (w.t.plain(N_("Meeting dates")), told.meetings),
            (w.t.plain(N_("Poll results")), told.poll_results),
        ],
    )
    w.heading(w.t.plain(N_("Village digests")), 2)
    if not plan.digests.rows:
        w.missing(MISSING["digests"])
        return
    w.more(plan.digests)
    w.table(
        (N_("Posted"), N_("Covers from"), N_("Covers to")),
        [(w.day(d.posted_at), w.day(d.covers_from), w.day(d.covers_to)) for d in plan.digests.rows],
    )


def _timeline(w: _Writer, plan: Plan) -> None:
    w.heading(w.t.plain(N_("Meetings")), 2)
    if not plan.meetings.rows:
        w.missing(MISSING["meetings"])
    else:
        w.more(plan.meetings)
        held, coming = w.t.plain(N_("held")), w.t.plain(N_("to come"))
        w.table(
            (N_("Date"), N_("Meeting"), N_("Place"), N_("State"), N_("Going"), N_("Minutes")),
            [
                (
                    w.moment(m.starts_at),
                    m.title,
                    m.place or "",
                    held if m.held else coming,
                    m.going,
                    m.minutes,
                )
                for m in plan.meetings.rows
            ],
        )
    w.heading(w.t.plain(N_("Idea history")), 2)
    if not plan.history.rows:
        w.missing(MISSING["history"])
        return
    w.more(plan.history)
    w.table(
        (N_("Date"), N_("Idea"), N_("From"), N_("To")),
        [
            (
                w.day(s.when),
                f"#{s.number}",
                status_label(w.t, s.old) if s.old else "",
                status_label(w.t, s.new),
            )
            for s in plan.history.rows
        ],
    )


def _poll(w: _Writer, voted: Voted) -> None:
    results = voted.results
    w.heading(results.question, 3)
    if voted.closed_at is not None:
        w.text(w.t.plain(N_("Closed {date}"), date=w.day(voted.closed_at)))
    else:
        w.text(w.t.plain(N_("Still open: the votes so far")))
    w.table(
        (N_("Option"), N_("Online votes"), N_("Paper votes"), N_("Total"), N_("Share, %")),
        [
            (o.text, o.online, o.offline, o.total, results.share(o))
            for o in sorted(results.options, key=lambda o: -o.total)
        ],
    )
    for text in voted.decisions:
        w.text(w.t.plain(N_("Decision: {text}"), text=text))


def _review(w: _Writer, plan: Plan) -> None:
    w.heading(w.t.plain(N_("Poll results")), 2)
    if not plan.polls.rows:
        w.missing(MISSING["polls"])
    else:
        w.more(plan.polls)
        for voted in plan.polls.rows:
            _poll(w, voted)
    w.heading(w.t.plain(N_("Decisions")), 2)
    if not plan.decisions.rows:
        w.missing(MISSING["decisions"])
    else:
        w.more(plan.decisions)
        w.table(
            (N_("Recorded"), N_("Decision"), N_("Review date")),
            [(w.day(d.created_at), d.text, w.day(d.review_on)) for d in plan.decisions.rows],
        )
    w.heading(w.t.plain(N_("Minutes")), 2)
    if not plan.minutes.rows:
        w.missing(MISSING["minutes"])
        return
    w.more(plan.minutes)
    w.table(
        (N_("Date"), N_("Meeting"), N_("Minutes")),
        [(w.day(m.starts_at), m.title, m.text) for m in plan.minutes.rows],
    )


def docx(t: Translator, plan: Plan, zone: ZoneInfo, made: datetime, schedule: str) -> bytes:
    """The document's bytes; blocking work, so callers run it in a thread."""
    w = _Writer(t, zone)
    title = t.plain(N_("Development plan: {village}"), village=plan.village)
    properties = w.doc.core_properties
    properties.title = printable(title)
    properties.author = properties.last_modified_by = printable(plan.village)
    properties.comments = ""
    properties.language = t.language
    properties.created = properties.modified = made.astimezone(UTC).replace(tzinfo=None)
    properties.revision = 1
    w.heading(title, 0)
    w.text(
        t.plain(
            N_(
                "A draft of {date}, made by the village bot from what the residents and the "
                "working group wrote. The working group completes it, discusses it with the "
                "residents and approves it."
            ),
            date=w.day(made),
        )
    )
    parts: tuple[Callable[[], None], ...] = (
        lambda: _swot(w, plan),
        lambda: _vision(w, plan),
        lambda: _actions(w, plan),
        lambda: _measurement(w, plan),
        lambda: _budget(w, plan),
        lambda: _communication(w, plan, schedule),
        lambda: _timeline(w, plan),
        lambda: _review(w, plan),
    )
    for heading, fill in zip(headings(t), parts, strict=True):
        w.heading(heading, 1)
        fill()
    buffer = io.BytesIO()
    w.doc.save(buffer)
    return buffer.getvalue()
