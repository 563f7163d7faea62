"""The digest's text: what happened in the village in the period, in the community's language."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from zoneinfo import ZoneInfo

from bot.i18n import Html, Translator
from bot.models import Decision, DigestFrequency, Idea
from bot.services.digest import DigestData
from bot.services.polls import Results
from bot.services.text import shorten

ITEMS_PER_LIST = 5
ITEM_LIMIT = 120


def heading(t: Translator, village: str, frequency: DigestFrequency | None) -> Html:
    """The title; the period is told once, on the line below it."""
    if frequency == DigestFrequency.MONTHLY:
        return t._("📰 <b>This month in {village}</b>", village=village)
    if frequency == DigestFrequency.WEEKLY:
        return t._("📰 <b>This week in {village}</b>", village=village)
    return t._("📰 <b>News of {village}</b>", village=village)


def period(t: Translator, data: DigestData, zone: ZoneInfo) -> Html:
    return t._(
        "{start} – {end}",
        start=t.date_text(data.since, zone),
        end=t.date_text(data.until, zone),
    )


def _capped(t: Translator, lines: Sequence[str], more: int) -> list[str]:
    shown = list(lines[:ITEMS_PER_LIST])
    if more > ITEMS_PER_LIST:
        shown.append(t.n_("…and {n} more", "…and {n} more", more - ITEMS_PER_LIST))
    return shown


def _ideas(t: Translator, mark: str, ideas: Sequence[Idea]) -> list[str]:
    lines = [
        t._("{mark} #{number} {text}", mark=mark, number=i.number, text=shorten(i.text, ITEM_LIMIT))
        for i in ideas
    ]
    return _capped(t, lines, len(ideas))


def digest(
    t: Translator,
    village: str,
    data: DigestData,
    frequency: DigestFrequency | None,
    zone: ZoneInfo,
    sections: Sequence[str] = (),
) -> Html:
    """The whole digest; `sections` come from other features (polls, decisions, meetings)."""
    lines: list[str] = [heading(t, village, frequency), period(t, data, zone)]
    if data.victories:
        lines += ["", t._("🏆 <b>Small victories</b>")]
        victories = [
            t._(
                "• {text} (👏 {applause})",
                text=shorten(v.text, ITEM_LIMIT),
                applause=v.applause_count,
            )
            for v in data.victories
        ]
        lines += _capped(t, victories, len(victories))
    if data.new_ideas or data.accepted or data.done:
        lines += ["", t._("💡 <b>Ideas</b>")]
        lines.append(
            t._(
                "New: {new} · accepted: {accepted} · done: {done}",
                new=len(data.new_ideas),
                accepted=len(data.accepted),
                done=len(data.done),
            )
        )
        # A done idea celebrated as a victory is told once, among the victories.
        celebrated = {v.idea_id for v in data.victories}
        lines += _ideas(t, "🎉", [i for i in data.done if i.id not in celebrated])
        lines += _ideas(t, "✅", data.accepted)
    for section in sections:
        lines += ["", section]
    lines += [
        "",
        t._("👥 <b>Participation</b>"),
        t.n_("{n} resident took part", "{n} residents took part", data.active_members)
        + " · "
        + t.n_("{n} support", "{n} supports", data.supports)
        + " · "
        + t.n_("{n} comment", "{n} comments", data.comments),
    ]
    if data.joined:
        lines.append(t.n_("{n} new member", "{n} new members", data.joined))
    lines += ["", t._("Share your ideas: /idea · all ideas: /ideas")]
    return Html("\n".join(lines))


def picture_figures(t: Translator, data: DigestData) -> list[tuple[int, str]]:
    """The picture card's big numbers, each with a label in the number's plural form."""
    victories, done = len(data.victories), len(data.done)
    return [
        (victories, str(t.n_("small victory", "small victories", victories))),
        (done, str(t.n_("idea done", "ideas done", done))),
        (
            data.active_members,
            str(t.n_("resident took part", "residents took part", data.active_members)),
        ),
    ]


_TAG = re.compile(r"<[^>]+>")


def as_plain_text(text: Html) -> str:
    """For copying into a newsletter: our tags gone, user text back as typed."""
    return html.unescape(_TAG.sub("", text))


def polls_section(t: Translator, outcomes: Sequence[Results]) -> Html:
    """Polls closed in the period, each with what most voters chose."""
    lines: list[str] = [t._("🗳 <b>Polls</b>")]
    for results in outcomes[:ITEMS_PER_LIST]:
        question = shorten(results.question, ITEM_LIMIT)
        top = max((o.total for o in results.options), default=0)
        if not top:
            lines.append(t._("• {question} — no votes", question=question))
            continue
        winners = " / ".join(shorten(o.text, 60) for o in results.options if o.total == top)
        lines.append(
            t._(
                "• {question} — {answer} ({share})",
                question=question,
                answer=winners,
                share=t.percent(results.share(next(o for o in results.options if o.total == top))),
            )
        )
    if len(outcomes) > ITEMS_PER_LIST:
        lines.append(t.n_("…and {n} more", "…and {n} more", len(outcomes) - ITEMS_PER_LIST))
    return Html("\n".join(lines))


def decisions_section(t: Translator, decisions: Sequence[Decision]) -> Html:
    lines: list[str] = [t._("📌 <b>Decisions</b>")]
    lines += _capped(
        t, [t._("• {text}", text=shorten(d.text, ITEM_LIMIT)) for d in decisions], len(decisions)
    )
    return Html("\n".join(lines))


def meetings_section(t: Translator, held: Sequence[tuple[str, str, Sequence[str]]]) -> Html:
    """Meetings held in the period (title, date, minutes)."""
    lines: list[str] = [t._("📅 <b>Meetings</b>")]
    for title, date, minutes in held[:ITEMS_PER_LIST]:
        lines.append(t._("• {title}, {date}", title=shorten(title, ITEM_LIMIT), date=date))
        lines += [t._("   ✍ {text}", text=shorten(text, ITEM_LIMIT)) for text in minutes[:3]]
    if len(held) > ITEMS_PER_LIST:
        lines.append(t.n_("…and {n} more", "…and {n} more", len(held) - ITEMS_PER_LIST))
    return Html("\n".join(lines))


def next_meeting(t: Translator, title: str, when: str) -> Html:
    return t._(
        "📅 Next meeting: <b>{title}</b>, {when}", title=shorten(title, ITEM_LIMIT), when=when
    )
