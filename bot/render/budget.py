"""The texts of participatory budgets: the round as leaders prepare it, the announcement of the
vote, a paper ballot entered, the results, and what counting stores (funding source,
decisions) in the village's language."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import timedelta
from zoneinfo import ZoneInfo

from bot.i18n import N_, Html, Translator
from bot.models import BudgetRound, BudgetRule
from bot.render.budget_chart import ChartLabels
from bot.services.budget import OVER_BUDGET, ItemView
from bot.services.budget_results import Results
from bot.services.text import shorten

IDEA_IN_LIST = 80
RULE_NAMES = {
    BudgetRule.GREEDY: N_("by votes, while the money lasts"),
    BudgetRule.EQUAL_SHARES: N_("Method of Equal Shares"),
}


CHOSEN = N_("✅ Chosen: {total} of {amount}; {left} left.")
NOTHING_CHOSEN = N_("Nothing chosen yet.")


# The pieces below are shared by the chat's messages and the board's budget page.


def title(t: Translator, round_: BudgetRound) -> Html:
    return t._("💶 <b>Participatory budget “{title}”</b>", title=round_.title)


def ballot_line(t: Translator, item: ItemView) -> Html:
    return t._(
        "#{number} {text} — {cost}",
        number=item.number,
        text=shorten(item.text, IDEA_IN_LIST),
        cost=t.money(item.cost_cents),
    )


def _ballot(t: Translator, items: Sequence[ItemView]) -> list[str]:
    return [ballot_line(t, item) for item in items]


def terms(t: Translator, round_: BudgetRound) -> Html:
    """The sum, the voting period and the rule, as a round being prepared has them."""
    return t._(
        "Sum: {amount}. Voting period: {period}. Counting: {rule}.",
        amount=t.money(round_.amount_cents),
        period=t.duration_text(timedelta(minutes=round_.voting_minutes)),
        rule=t._(RULE_NAMES[round_.rule]),
    )


def preparing_hint(t: Translator) -> Html:
    return t._(
        "Add or remove an idea: <code>/budget add 5</code>, <code>/budget remove 5</code>. "
        "Start the vote: <code>/budget start</code>. Drop the round: "
        "<code>/budget cancel</code>."
    )


def prepared(t: Translator, round_: BudgetRound, items: Sequence[ItemView]) -> Html:
    """What a leader sees while preparing the round, with the next steps."""
    lines = [title(t, round_), terms(t, round_), ""]
    if items:
        lines.append(t._("On the ballot:"))
        lines += _ballot(t, items)
    else:
        lines.append(t._("No idea is on the ballot yet."))
    lines += ["", preparing_hint(t)]
    return Html("\n".join(lines))


def invitation(t: Translator, round_: BudgetRound) -> Html:
    return t._(
        "The village decides how to spend {amount} on its own ideas. Choose the ideas you "
        "want funded: together they may cost at most {amount}.",
        amount=t.money(round_.amount_cents),
    )


def rule_line(t: Translator, round_: BudgetRound) -> Html:
    return t._("Counting: {rule}.", rule=t._(RULE_NAMES[round_.rule]))


def closes_line(t: Translator, round_: BudgetRound, zone: ZoneInfo) -> Html:
    assert round_.closes_at is not None
    return t._("🗳 Voting closes {when}.", when=t.datetime_text(round_.closes_at, zone))


def announcement(
    t: Translator, round_: BudgetRound, items: Sequence[ItemView], zone: ZoneInfo
) -> Html:
    """The group's announcement of the vote: the sum, the ideas and their costs, the deadline."""
    lines = [
        title(t, round_),
        invitation(t, round_),
        "",
        *_ballot(t, items),
        "",
        rule_line(t, round_),
        closes_line(t, round_, zone),
    ]
    return Html("\n".join(lines))


def voting(t: Translator, round_: BudgetRound, results: Results, zone: ZoneInfo) -> Html:
    """What a leader sees during the vote."""
    return Html(
        "\n".join(
            [
                title(t, round_),
                closes_line(t, round_, zone),
                ballots_so_far(t, results),
                paper_hint(t),
            ]
        )
    )


def ballots_so_far(t: Translator, results: Results) -> Html:
    return t._(
        "Ballots so far: {online} online, {paper} on paper.",
        online=results.online_ballots,
        paper=results.paper_ballots,
    )


def paper_hint(t: Translator) -> Html:
    return t._("Enter a paper ballot (one per paper voter): <code>/budget paper 1 3 5</code>")


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
    lines = [
        title(t, round_),
        t._(
            "{village} decides how to spend {amount}. Press the ideas you want funded: together "
            "they may cost at most {amount}. Your choice is saved as you press, and you may "
            "change it until {when}.",
            village=village,
            amount=t.money(round_.amount_cents),
            when=t.datetime_text(round_.closes_at, zone),
        ),
        "",
        chosen_line(t, round_, items, chosen),
    ]
    return Html("\n".join(lines))


def chosen_line(
    t: Translator, round_: BudgetRound, items: Sequence[ItemView], chosen: Collection[int]
) -> Html:
    """The running total of a member's picks."""
    if not chosen:
        return t._(NOTHING_CHOSEN)
    total = sum(item.cost_cents for item in items if item.number in chosen)
    return t._(
        CHOSEN,
        total=t.money(total),
        amount=t.money(round_.amount_cents),
        left=t.money(round_.amount_cents - total),
    )


@dataclass(frozen=True)
class RunningTexts:
    """A ballot's running total in words, for the board's page to fill in (its `{total}` and
    `{left}`) as boxes are ticked: the picks, the picks over the sum (the server's refusal's
    words), nothing picked."""

    chosen: str
    over: str
    nothing: str


def running_texts(t: Translator, round_: BudgetRound) -> RunningTexts:
    amount = t.money(round_.amount_cents)
    return RunningTexts(
        chosen=t.plain(CHOSEN, total="{total}", amount=amount, left="{left}"),
        over=t.plain(OVER_BUDGET, total="{total}", amount=amount),
        nothing=t.plain(NOTHING_CHOSEN),
    )


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


def results_heading(t: Translator, round_: BudgetRound) -> Html:
    return t._("📊 <b>Participatory budget “{title}”: results</b>", title=round_.title)


def result_line(t: Translator, item: ItemView) -> Html:
    """An idea's votes, cost and whether it is funded (✅)."""
    votes = t.n_("{n} vote", "{n} votes", item.votes or 0)
    return t._(
        "{mark} #{number} {text} — {cost}, {votes}",
        mark="✅" if item.funded else "▫️",
        number=item.number,
        text=shorten(item.text, IDEA_IN_LIST),
        cost=t.money(item.cost_cents),
        votes=votes,
    )


def results_text(t: Translator, results: Results) -> Html:
    round_ = results.round
    lines = [
        results_heading(t, round_),
        rule_line(t, round_),
        "",
        *(result_line(t, item) for item in results.items),
        "",
        *results_summary(t, results),
    ]
    return Html("\n".join(lines))


def funded_line(t: Translator, amount_cents: int, left_cents: int) -> Html:
    """The money spent and left (the results post and the plan)."""
    return t._(
        "Funded: {spent} of {amount}; {left} left.",
        spent=t.money(amount_cents - left_cents),
        amount=t.money(amount_cents),
        left=t.money(left_cents),
    )


def turnout_line(t: Translator, online_ballots: int, known_members: int, turnout: int) -> Html:
    """How many of the members the bot knows voted online (the results post and the plan)."""
    return t.n_(
        "Voted online: {voters} of {n} member I know ({percent}).",
        "Voted online: {voters} of {n} members I know ({percent}).",
        max(known_members, online_ballots),
        voters=online_ballots,
        percent=t.percent(turnout),
    )


def results_summary(t: Translator, results: Results) -> list[Html]:
    """The money spent and left, the turnout, the paper ballots."""
    lines = [
        funded_line(t, results.round.amount_cents, results.left_cents),
        turnout_line(t, results.online_ballots, results.known_members, results.turnout),
    ]
    if results.paper_ballots:
        lines.append(t._("Paper ballots: {count}.", count=results.paper_ballots))
    return lines


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
