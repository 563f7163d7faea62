"""The texts of small victories: the celebration card, the leaders' review, notices, the list."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.i18n import N_, Html, Translator, escape
from bot.models import Idea, Victory, VictoryStatus
from bot.render.ideas import author_label, person
from bot.services.text import shorten
from bot.services.victories import Page

LIST_TEXT_LIMIT = 200


def card(
    t: Translator, victory: Victory, proposer: str | None, idea: Idea | None, supporters: int
) -> Html:
    """The celebration in the group; an idea's victory thanks its author and the `supporters`
    besides them."""
    lines: list[str] = [t._("🏆 <b>Small victory!</b>")]
    if idea is not None:
        lines.append(t._("Idea #{number} is done: “{text}”", number=idea.number, text=idea.text))
        author = author_label(t, idea, proposer)
        if supporters:
            lines.append(
                t.n_(
                    "Thank you, {author}, and the {n} resident who supported it!",
                    "Thank you, {author}, and the {n} residents who supported it!",
                    supporters,
                    author=author,
                )
            )
        else:
            lines.append(t._("Thank you, {author}!", author=author))
    else:
        lines.append(escape(victory.text))
        lines.append(t._("👏 Thanks to {name}!", name=person(t, proposer)))
    return Html("\n".join(lines))


def review_request(t: Translator, victory: Victory, proposer: str, village: str) -> Html:
    return t._(
        "🏆 {name} proposes a small victory for {village}:\n“{text}”\nAnnounce it in the group?",
        name=proposer,
        village=village,
        text=victory.text,
    )


def reviewed(
    t: Translator, victory: Victory, proposer: str | None, village: str, leader: str
) -> Html:
    """What every reviewing leader's message becomes once the first leader decided."""
    head = t._(
        "🏆 {name} proposed a small victory for {village}:\n“{text}”",
        name=person(t, proposer),
        village=village,
        text=shorten(victory.text, 300),
    )
    if victory.status == VictoryStatus.APPROVED:
        tail = t._("✅ Announced — {leader} approved it.", leader=leader)
    else:
        tail = t._("✖ Not announced — {leader} decided.", leader=leader)
    return Html(head + "\n" + tail)


def proposer_notice(t: Translator, victory: Victory, village: str) -> Html:
    if victory.status == VictoryStatus.APPROVED:
        return t._("🎉 Your small victory is announced in {village}. Thank you!", village=village)
    return t._(
        "The working group of {village} decided not to announce your small victory this time. "
        "Thank you for sharing it!",
        village=village,
    )


def victory_list(t: Translator, page: Page, year: int, zone: ZoneInfo) -> Html:
    heading = t._("🏆 <b>Small victories of {year}</b>", year=str(year))
    if not page.total:
        return Html(
            heading + "\n\n" + t._("None yet this year. Share one: /victory what went well")
        )
    lines = [heading, ""]
    for victory in page.victories:
        moment = victory.decided_at or victory.created_at
        lines.append(
            t._(
                "• {date}: {text} (👏 {applause})",
                date=t.date_text(moment, zone),
                text=shorten(victory.text, LIST_TEXT_LIMIT),
                applause=victory.applause_count,
            )
        )
    lines += ["", t._("page {page} of {pages}", page=page.page + 1, pages=page.pages)]
    return Html("\n".join(lines))


def pending_list(t: Translator, pending: list[tuple[Victory, str | None]]) -> Html:
    lines = [t._("<b>Waiting for approval</b>")]
    for index, (victory, proposer) in enumerate(pending, start=1):
        lines.append(
            t._(
                "{index}. {name}: “{text}”",
                index=index,
                name=person(t, proposer),
                text=shorten(victory.text, LIST_TEXT_LIMIT),
            )
        )
    return Html("\n".join(lines))


THANKS_PENDING = N_("🏆 Thank you! The working group will look at it and announce it.")
