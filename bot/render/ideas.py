"""The texts of ideas: the card, the list, the detail view, announcements and notices."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from zoneinfo import ZoneInfo

from bot.i18n import N_, Html, Translator, escape
from bot.models import Idea, IdeaArea, IdeaComment, IdeaStatus, IdeaStatusChange
from bot.services.ideas import Page, Similar
from bot.services.people import A_RESIDENT, FORMER_RESIDENT
from bot.services.text import shorten

AREA_LABELS: Mapping[IdeaArea, str] = {
    IdeaArea.ECONOMY: N_("Economy"),
    IdeaArea.INFRASTRUCTURE: N_("Infrastructure and services"),
    IdeaArea.GOVERNANCE: N_("Governance"),
    IdeaArea.COMMUNITY: N_("Community and culture"),
    IdeaArea.ENVIRONMENT: N_("Environment and energy"),
    IdeaArea.OTHER: N_("Other"),
}

STATUS_LABELS: Mapping[IdeaStatus, str] = {
    IdeaStatus.NEW: N_("New"),
    IdeaStatus.DISCUSSION: N_("In discussion"),
    IdeaStatus.ACCEPTED: N_("Accepted"),
    IdeaStatus.PROGRESS: N_("In progress"),
    IdeaStatus.DONE: N_("Done"),
    IdeaStatus.REJECTED: N_("Rejected"),
    IdeaStatus.WITHDRAWN: N_("Withdrawn"),
}

LIST_TEXT_LIMIT = 160
DETAIL_COMMENT_LIMIT = 300


def area_label(t: Translator, area: IdeaArea | None) -> str:
    return t.plain(AREA_LABELS[area]) if area is not None else t.plain(N_("not chosen yet"))


def status_label(t: Translator, status: IdeaStatus) -> str:
    return t.plain(STATUS_LABELS[status])


def author_label(t: Translator, idea: Idea, author_name: str | None) -> str:
    """The author's name; "a resident" for ideas posted without a name, "a former resident"
    once the author asked to be forgotten (they have no name then)."""
    if idea.anonymous:
        return t.plain(A_RESIDENT)
    return person(t, author_name)


def person(t: Translator, name: str | None) -> str:
    """A person's name; someone who asked to be forgotten is "a former resident"."""
    return name or t.plain(FORMER_RESIDENT)


def card(t: Translator, idea: Idea, author_name: str | None) -> Html:
    """The idea card in the group: everything a resident needs at a glance."""
    if idea.hidden:
        return t._("💡 Idea #{number} was hidden by the working group.", number=idea.number)
    if idea.status == IdeaStatus.WITHDRAWN:
        return t._("💡 Idea #{number} was withdrawn by its author.", number=idea.number)
    lines = [
        t._("💡 <b>Idea #{number}</b>", number=idea.number),
        escape(idea.text),
        "",
        t._(
            "👤 {author} · 🏷 {area}",
            author=author_label(t, idea, author_name),
            area=area_label(t, idea.area),
        ),
        t._("Status: <b>{status}</b>", status=status_label(t, idea.status)),
        t.n_("👍 {n} support", "👍 {n} supports", idea.support_count),
    ]
    if idea.comment_count:
        lines.append(
            t.n_(
                "💬 {n} comment — reply to this card to add yours",
                "💬 {n} comments — reply to this card to add yours",
                idea.comment_count,
            )
        )
    else:
        lines.append(t._("💬 Reply to this card to comment."))
    return Html("\n".join(lines))


def tracking_lines(t: Translator, idea: Idea, owner_name: str | None) -> list[str]:
    lines: list[str] = []
    if owner_name:
        lines.append(t._("Responsible: {name}", name=owner_name))
    if idea.cost_cents is not None:
        lines.append(t._("Cost estimate: {amount}", amount=t.money(idea.cost_cents)))
    if idea.funding_source:
        lines.append(t._("Funding: {source}", source=idea.funding_source))
    if idea.progress and idea.status not in (IdeaStatus.NEW, IdeaStatus.REJECTED):
        lines.append(t._("Progress: {percent}", percent=t.percent(idea.progress)))
    return lines


def detail(
    t: Translator,
    idea: Idea,
    *,
    author_name: str | None,
    owner_name: str | None,
    comments: Sequence[tuple[IdeaComment, str | None]],
    changes: Sequence[IdeaStatusChange],
    zone: ZoneInfo,
) -> Html:
    """/idea <number>: the card, tracking, latest comments and the status history."""
    lines: list[str] = [card(t, idea, author_name)]
    lines.extend(tracking_lines(t, idea, owner_name))
    if comments:
        lines += ["", t._("<b>Latest comments</b>")]
        for comment, name in comments:
            lines.append(
                t._(
                    "• {name} ({when}): {text}",
                    name=person(t, name),
                    when=t.date_text(comment.created_at, zone),
                    text=shorten(comment.text, DETAIL_COMMENT_LIMIT),
                )
            )
    if changes:
        lines += ["", t._("<b>History</b>")]
        for change in changes:
            line = t._(
                "• {when}: {status}",
                when=t.date_text(change.created_at, zone),
                status=status_label(t, change.new_status),
            )
            if change.reason:
                line = Html(line + " — " + escape(change.reason))
            lines.append(line)
    return Html("\n".join(lines))


def idea_list(t: Translator, page: Page, area: IdeaArea | None) -> Html:
    """/ideas: one page of open ideas, most supported first."""
    shown = area_label(t, area) if area is not None else t.plain(N_("all areas"))
    heading = t._("<b>Open ideas</b> · {area}", area=shown)
    if not page.total:
        return Html(heading + "\n\n" + t._("No open ideas here yet. Share one: /idea your idea"))
    lines = [heading, ""]
    for idea in page.ideas:
        lines.append(
            t._(
                "<b>#{number}</b> {text}",
                number=idea.number,
                text=shorten(idea.text, LIST_TEXT_LIMIT),
            )
        )
        lines.append(
            t._(
                "    👍 {supports} · {status}",
                supports=idea.support_count,
                status=status_label(t, idea.status),
            )
        )
    lines += [
        "",
        t.n_("{n} open idea", "{n} open ideas", page.total)
        + " · "
        + t._("page {page} of {pages}", page=page.page + 1, pages=page.pages),
        t._("Details and comments: /idea number"),
    ]
    return Html("\n".join(lines))


def announcement(
    t: Translator, idea: Idea, author_name: str | None, supporters: int
) -> Html | None:
    """The group is told when an idea is accepted or done; `supporters` leaves the author out."""
    author = author_label(t, idea, author_name)
    if idea.status == IdeaStatus.ACCEPTED:
        return t._(
            "✅ The working group accepted idea #{number}: “{text}”. Thank you, {author}!",
            number=idea.number,
            text=shorten(idea.text, 200),
            author=author,
        )
    if idea.status == IdeaStatus.DONE and not supporters:
        return t._(
            "🎉 Idea #{number} is done: “{text}”. Thank you, {author}!",
            number=idea.number,
            text=shorten(idea.text, 200),
            author=author,
        )
    if idea.status == IdeaStatus.DONE:
        return t.n_(
            "🎉 Idea #{number} is done: “{text}”. Thank you, {author}, and the {n} resident "
            "who supported it!",
            "🎉 Idea #{number} is done: “{text}”. Thank you, {author}, and the {n} residents "
            "who supported it!",
            supporters,
            number=idea.number,
            text=shorten(idea.text, 200),
            author=author,
        )
    return None


def status_notice(t: Translator, idea: Idea, village: str, reason: str | None) -> Html:
    """The author's private notice of a status change."""
    notice = t._(
        "Your idea #{number} in {village} (“{text}”) is now: <b>{status}</b>.",
        number=idea.number,
        village=village,
        text=shorten(idea.text, 120),
        status=status_label(t, idea.status),
    )
    if reason:
        notice = Html(notice + "\n" + t._("Reason: {reason}", reason=reason))
    return notice


def draft_prompt(
    t: Translator, proposal: str, similar: Sequence[Similar], village: str, *, private: bool
) -> Html:
    """Before recording: similar ideas to support instead, and in private, name or no name."""
    lines: list[str] = []
    if private:
        lines += [t._("Your idea for {village}:", village=village), f"“{escape(proposal)}”", ""]
    if similar:
        lines.append(
            t.n_(
                "It looks like an idea the village already has:",
                "It looks like ideas the village already has:",
                len(similar),
            )
        )
        for found in similar:
            lines.append(
                t._(
                    "#{number} “{text}” — 👍 {supports}",
                    number=found.idea.number,
                    text=shorten(found.idea.text, 120),
                    supports=found.idea.support_count,
                )
            )
        lines.append(t._("You can support it instead."))
    if private:
        lines.append(t._("Post it in the group with your name, or as “a resident”?"))
    else:
        lines.append(t._("Or submit yours anyway."))
    return Html("\n".join(str(line) for line in lines))


def posted(t: Translator, idea: Idea, village: str) -> Html:
    """The author's private confirmation, asking for the area until it is chosen."""
    text = t._(
        "Thank you! Idea #{number} is posted in {village}.", number=idea.number, village=village
    )
    if idea.area is None:
        return Html(text + "\n" + t._("Which area is it about?"))
    return Html(text + "\n" + t._("🏷 Area: {area}", area=area_label(t, idea.area)))
