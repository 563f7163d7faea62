"""The texts of polls: results, notes, reminders, the list of polls, and the builder's card."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.i18n import Html, Translator
from bot.models import Poll
from bot.services import durations
from bot.services.polls import Results
from bot.services.text import shorten

LIST_LIMIT = 10  # polls of each kind shown by /polls
QUESTION_IN_LIST = 120


def results_text(t: Translator, results: Results) -> Html:
    lines: list[str] = []
    if results.closed:
        lines.append(t._("📊 <b>Results: {question}</b>", question=results.question))
    else:
        lines.append(t._("📊 <b>Results so far: {question}</b>", question=results.question))
    paper = results.offline_votes > 0
    for number, option in enumerate(results.options, start=1):
        if paper:
            lines.append(
                t._(
                    "{number}. {option} — <b>{count}</b> ({percent}): "
                    "{online} online, {offline} on paper",
                    number=number,
                    option=option.text,
                    count=option.total,
                    percent=t.percent(results.share(option)),
                    online=option.online,
                    offline=option.offline,
                )
            )
        else:
            lines.append(
                t._(
                    "{number}. {option} — <b>{count}</b> ({percent})",
                    number=number,
                    option=option.text,
                    count=option.total,
                    percent=t.percent(results.share(option)),
                )
            )
    lines.append("")
    lines.append(
        t.n_(
            "Voted online: {voters} of {n} member I know ({percent}).",
            "Voted online: {voters} of {n} members I know ({percent}).",
            results.members,
            voters=results.online_voters,
            percent=t.percent(results.turnout),
        )
    )
    if paper:
        lines.append(t.n_("On paper: {n} vote.", "On paper: {n} votes.", results.offline_votes))
        lines.append(t.n_("Together: {n} vote.", "Together: {n} votes.", results.votes))
    return Html("\n".join(lines))


@dataclass(frozen=True)
class ChartLabels:
    """The chart's words in the reader's language (plain text, not HTML)."""

    title: str
    online: str
    offline: str


def chart_labels(t: Translator, results: Results) -> ChartLabels:
    return ChartLabels(
        title=shorten(results.question, 90),
        online=t.plain("online"),
        offline=t.plain("on paper"),
    )


def deadline_note(t: Translator, closes_at: datetime, zone: ZoneInfo) -> Html:
    return t._("🗳 Voting closes {when}.", when=t.datetime_text(closes_at, zone))


def group_reminder(t: Translator, poll: Poll, zone: ZoneInfo) -> Html:
    assert poll.closes_at is not None
    return t._(
        "⏰ Voting on “{question}” closes {when}. If you have not voted yet, please do!",
        question=poll.question,
        when=t.datetime_text(poll.closes_at, zone),
    )


def private_reminder(t: Translator, poll: Poll, village: str, zone: ZoneInfo) -> Html:
    assert poll.closes_at is not None
    return t._(
        "⏰ You have not voted yet on “{question}” in {village}. Voting closes {when}.",
        question=poll.question,
        village=village,
        when=t.datetime_text(poll.closes_at, zone),
    )


def poll_list(
    t: Translator, open_polls: Sequence[Poll], closed: Sequence[Poll], zone: ZoneInfo
) -> Html:
    if not open_polls and not closed:
        return t._("There are no polls yet. The working group starts one with /poll.")
    lines: list[str] = []
    if open_polls:
        lines.append(t._("🗳 <b>Open polls</b>"))
        for poll in open_polls[:LIST_LIMIT]:
            question = shorten(poll.question, QUESTION_IN_LIST)
            if poll.closes_at is None:
                lines.append(t._("• {question} — no deadline", question=question))
            else:
                lines.append(
                    t._(
                        "• {question} — closes {when}",
                        question=question,
                        when=t.datetime_text(poll.closes_at, zone),
                    )
                )
        _and_more(t, lines, len(open_polls) - LIST_LIMIT)
    if closed:
        if lines:
            lines.append("")
        lines.append(t._("<b>Closed recently</b>"))
        for poll in closed[:LIST_LIMIT]:
            assert poll.closed_at is not None
            lines.append(
                t._(
                    "• {question} — closed {when}",
                    question=shorten(poll.question, QUESTION_IN_LIST),
                    when=t.date_text(poll.closed_at, zone),
                )
            )
        _and_more(t, lines, len(closed) - LIST_LIMIT)
    return Html("\n".join(lines))


def _and_more(t: Translator, lines: list[str], hidden: int) -> None:
    if hidden > 0:
        lines.append(t.n_("…and {n} more", "…and {n} more", hidden))


@dataclass(frozen=True)
class Draft:
    """A poll being built in private chat, as the builder keeps it in the flow's data."""

    question: str
    options: tuple[str, ...]
    anonymous: bool
    multiple: bool
    deadline: str  # "none", a duration word such as "3d", or "date"
    closes_at: datetime | None


def builder_card(t: Translator, draft: Draft, village: str, zone: ZoneInfo) -> Html:
    lines = [t._("<b>New poll for {village}</b>", village=village), ""]
    lines.append(t._("<b>{question}</b>", question=draft.question))
    lines.extend(
        t._("{number}. {option}", number=number, option=option)
        for number, option in enumerate(draft.options, start=1)
    )
    lines.append("")
    lines.append(t._("Votes: public") if not draft.anonymous else t._("Votes: anonymous"))
    lines.append(t._("Answers: several") if draft.multiple else t._("Answers: one"))
    if draft.closes_at is not None:
        lines.append(t._("Deadline: {when}", when=t.datetime_text(draft.closes_at, zone)))
    elif draft.deadline != "none":
        lines.append(t._("Voting lasts: {duration}", duration=_deadline_words(t, draft.deadline)))
    else:
        lines.append(t._("Deadline: none"))
    lines.append("")
    lines.append(t._("Choose with the buttons, then post the poll."))
    return Html("\n".join(lines))


def _deadline_words(t: Translator, word: str) -> str:
    return t.duration_text(durations.parse(word))
