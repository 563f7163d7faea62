"""The texts of participatory budgets: the round as leaders prepare it, the announcement of the
vote, a paper ballot entered, the results, and what counting stores (funding source,
decisions) in the village's language."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import timedelta
from zoneinfo import ZoneInfo

from bot.i18n import N_, Html, Translator
from bot.models import BudgetRound, BudgetRule
from bot.render.budget_chart import ChartLabels
from bot.services.budget import ItemView
from bot.services.budget_results import Results
from bot.services.text import shorten

IDEA_IN_LIST = 80
RULE_NAMES = {
    BudgetRule.GREEDY: N_("by votes, while the money lasts"),
    BudgetRule.EQUAL_SHARES: N_("Method of Equal Shares"),
}


def _title(t: Translator, round_: BudgetRound) -> Html:
    return t._("💶 <b>Participatory budget “{title}”</b>", title=round_.title)


def _ballot(t: Translator, items: Sequence[ItemView]) -> list[str]:
    return [
        t._(
            "#{number} {text} — {cost}",
            number=item.number,
            text=shorten(item.text, IDEA_IN_LIST),
            cost=t.money(item.cost_cents),
        )
        for item in items
    ]


def prepared(t: Translator, round_: BudgetRound, items: Sequence[ItemView]) -> Html:
    """What a leader sees while preparing the round, with the next steps."""
    lines = [
        _title(t, round_),
        t._(
            "Sum: {amount}. Voting period: {period}. Counting: {rule}.",
            amount=t.money(round_.amount_cents),
            period=t.duration_text(timedelta(minutes=round_.voting_minutes)),
            rule=t._(RULE_NAMES[round_.rule]),
        ),
        "",
    ]
    if items:
        lines.append(t._("On the ballot:"))
        lines += _ballot(t, items)
    else:
        lines.append(t._("No idea is on the ballot yet."))
    lines += [
        "",
        t._(
            "Add or remove an idea: <code>/budget add 5</code>, <code>/budget remove 5</code>. "
            "Start the vote: <code>/budget start</code>. Drop the round: "
            "<code>/budget cancel</code>."
        ),
    ]
    return Html("\n".join(lines))


def announcement(
    t: Translator, round_: BudgetRound, items: Sequence[ItemView], zone: ZoneInfo
) -> Html:
    """The group's announcement of the vote: the sum, the ideas and their costs, the deadline."""
    assert round_.closes_at is not None
    lines = [
        _title(t, round_),
        t._(
            "The village decides how to spend {amount} on its own ideas. Choose the ideas you "
            "want funded: together they may cost at most {amount}.",
            amount=t.money(round_.amount_cents),
        ),
        "",
        *_ballot(t, items),
        "",
        t._("Counting: {rule}.", rule=t._(RULE_NAMES[round_.rule])),
        t._("🗳 Voting closes {when}.", when=t.datetime_text(round_.closes_at, zone)),
    ]
    return Html("\n".join(lines))


def voting(t: Translator, round_: BudgetRound, results: Results, zone: ZoneInfo) -> Html:
    """What a leader sees during the vote."""
    assert round_.closes_at is not None
    return Html(
        "\n".join(
            [
                _title(t, round_),
                t._("🗳 Voting closes {when}.", when=t.datetime_text(round_.closes_at, zone)),
                t._(
                    "Ballots so far: {online} online, {paper} on paper.",
                    online=results.online_ballots,
                    paper=results.paper_ballots,
                ),
                t._("Enter a paper ballot (one per paper voter): <code>/budget paper 1 3 5</code>"),
            ]
        )
    )


def ballot_card(
    t: Translator,
    round_: BudgetRound,
    village: str,
    items: Sequence[ItemView],
    chosen: Collection[int],
    zone: ZoneInfo,
) -> Html:
    """A member's ballot in private chat, with the running total of their picks."""
    assert round_.closes_at is not None
    total = sum(item.cost_cents for item in items if item.number in chosen)
    lines = [
        _title(t, round_),
        t._(
            "{village} decides how to spend {amount}. Press the ideas you want funded: together "
            "they may cost at most {amount}. Your choice is saved as you press, and you may "
            "change it until {when}.",
            village=village,
            amount=t.money(round_.amount_cents),
            when=t.datetime_text(round_.closes_at, zone),
        ),
        "",
    ]
    if chosen:
        lines.append(
            t._(
                "✅ Chosen: {total} of {amount}; {left} left.",
                total=t.money(total),
                amount=t.money(round_.amount_cents),
                left=t.money(round_.amount_cents - total),
            )
        )
    else:
        lines.append(t._("Nothing chosen yet."))
    return Html("\n".join(lines))


def group_reminder(t: Translator, round_: BudgetRound, zone: ZoneInfo) -> Html:
    assert round_.closes_at is not None
    return t._(
        "⏰ Voting on the participatory budget “{title}” closes {when}. If you have not voted "
        "yet, please do!",
        title=round_.title,
        when=t.datetime_text(round_.closes_at, zone),
    )


def private_reminder(t: Translator, round_: BudgetRound, village: str, zone: ZoneInfo) -> Html:
    assert round_.closes_at is not None
    return t._(
        "⏰ You have not voted yet on the participatory budget “{title}” of {village}. Voting "
        "closes {when}.",
        title=round_.title,
        village=village,
        when=t.datetime_text(round_.closes_at, zone),
    )


def paper_entered(t: Translator, number: int, items: Sequence[ItemView]) -> Html:
    return t._(
        "Paper ballot #{number} is entered: ideas {ideas} ({total}).",
        number=number,
        ideas=", ".join(f"#{item.number}" for item in items),
        total=t.money(sum(item.cost_cents for item in items)),
    )


def results_text(t: Translator, results: Results) -> Html:
    round_ = results.round
    lines = [
        t._("📊 <b>Participatory budget “{title}”: results</b>", title=round_.title),
        t._("Counting: {rule}.", rule=t._(RULE_NAMES[round_.rule])),
        "",
    ]
    for item in results.items:
        votes = t.n_("{n} vote", "{n} votes", item.votes or 0)
        lines.append(
            t._(
                "{mark} #{number} {text} — {cost}, {votes}",
                mark="✅" if item.funded else "▫️",
                number=item.number,
                text=shorten(item.text, IDEA_IN_LIST),
                cost=t.money(item.cost_cents),
                votes=votes,
            )
        )
    lines += [
        "",
        t._(
            "Funded: {spent} of {amount}; {left} left.",
            spent=t.money(results.spent_cents),
            amount=t.money(round_.amount_cents),
            left=t.money(results.left_cents),
        ),
        t.n_(
            "Voted online: {voters} of {n} member I know ({percent}).",
            "Voted online: {voters} of {n} members I know ({percent}).",
            max(results.known_members, results.online_ballots),
            voters=results.online_ballots,
            percent=t.percent(results.turnout),
        ),
    ]
    if results.paper_ballots:
        lines.append(t._("Paper ballots: {count}.", count=results.paper_ballots))
    return Html("\n".join(lines))


def pabulib_caption(t: Translator, round_: BudgetRound) -> Html:
    return t._(
        "Budget “{title}” in pabulib's format (.pb): the ideas, and every ballot by its number, "
        "without names. pabutools and other research tools read it.",
        title=round_.title,
    )


def chart_labels(t: Translator, round_: BudgetRound) -> ChartLabels:
    return ChartLabels(
        title=t.plain("Participatory budget “{title}”: votes", title=round_.title),
        funded=t.plain("funded"),
        not_funded=t.plain("not funded"),
    )


class Labels:
    """What counting stores, in the village's language."""

    def __init__(self, t: Translator) -> None:
        self.t = t

    def funding_source(self, round_: BudgetRound) -> str:
        return self.t.plain("participatory budget {title}", title=round_.title)

    def decision(self, round_: BudgetRound, idea: ItemView) -> str:
        return self.t.plain(
            "Idea #{number} “{text}” is funded from the participatory budget “{title}” ({cost}).",
            number=idea.number,
            text=shorten(idea.text, 200),
            title=round_.title,
            cost=self.t.money(idea.cost_cents),
        )
