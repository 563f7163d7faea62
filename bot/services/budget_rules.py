"""Counting a participatory budget: which ideas the ballots fund, by the round's rule.

Plain data in and out (each idea's key and cost, each ballot as the set of keys it chose), so
the count is checked against worked examples and real pabulib elections and measured without a
database. Ties go to the idea listed first (the caller lists ideas by number: the older idea).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from bot.models import BudgetRule


@dataclass(frozen=True)
class Project:
    """An idea on the ballot: its key (the idea's number) and its cost in cents."""

    key: int
    cost: int


@dataclass(frozen=True)
class Outcome:
    """Each idea's votes, the ideas funded (in the order the rule chose them), the money spent
    and the money left, in cents."""

    votes: dict[int, int]
    funded: tuple[int, ...]
    spent: int
    left: int


def count(
    rule: BudgetRule,
    amount: int,
    projects: Sequence[Project],
    ballots: Iterable[Collection[int]],
) -> Outcome:
    """The outcome of a round: `amount` in cents, `projects` in the order that breaks ties,
    `ballots` as the keys each voter chose (keys of no project are ignored)."""
    keys = {project.key for project in projects}
    chosen = [frozenset(ballot) & keys for ballot in ballots]
    chosen = [ballot for ballot in chosen if ballot]
    votes = Counter[int]()
    for ballot in chosen:
        votes.update(ballot)
    tally = {project.key: votes[project.key] for project in projects}
    if rule == BudgetRule.GREEDY:
        funded = _greedy(amount, projects, tally)
    else:
        funded = _equal_shares(amount, projects, chosen)
    costs = {project.key: project.cost for project in projects}
    spent = sum(costs[key] for key in funded)
    return Outcome(votes=tally, funded=funded, spent=spent, left=amount - spent)


def _greedy(amount: int, projects: Sequence[Project], votes: dict[int, int]) -> tuple[int, ...]:
    """The common municipal rule: ideas by votes, each funded if it still fits (an idea too
    dear for what is left is passed over, and cheaper ones after it may still be funded); an
    idea nobody chose is never funded."""
    position = {project.key: index for index, project in enumerate(projects)}
    ranked = sorted(projects, key=lambda p: (-votes[p.key], position[p.key]))
    funded, left = [], amount
    for project in ranked:
        if votes[project.key] > 0 and project.cost <= left:
            funded.append(project.key)
            left -= project.cost
    return tuple(funded)


# Add1 completion: each voter's share grows by a euro at a time while the outcome still fits.
SHARE_STEP_CENTS = 100


def _equal_shares(
    amount: int, projects: Sequence[Project], ballots: Sequence[frozenset[int]]
) -> tuple[int, ...]:
    """The Method of Equal Shares with cost satisfaction and the Add1 completion, as pabutools
    computes it and as Aarau, Wieliczka and Assen count: every voter gets an equal share of the
    amount, and an idea is funded when its supporters can pay for it from their shares, the
    idea that costs its supporters least per euro of satisfaction first; while money is left,
    the count is run again with every share a euro larger, and the last outcome that fits the
    amount is kept. pabutools is imported here, when a round is counted: it takes a noticeable
    part of a second to import, which the bot's start-up should not pay."""
    from pabutools.election import (
        ApprovalBallot,
        ApprovalProfile,
        Cost_Sat,
        Instance,
    )
    from pabutools.election import (
        Project as PabuProject,
    )
    from pabutools.rules import method_of_equal_shares
    from pabutools.tiebreaking import TieBreakingRule

    if not ballots:
        return ()
    by_key = {project.key: PabuProject(str(project.key), project.cost) for project in projects}
    position = {str(project.key): index for index, project in enumerate(projects)}
    instance = Instance(by_key.values(), budget_limit=amount)
    profile = ApprovalProfile([ApprovalBallot(by_key[key] for key in ballot) for ballot in ballots])
    first_listed = TieBreakingRule(lambda _instance, _profile, project: position[project.name])
    allocation: Any = method_of_equal_shares(
        instance,
        profile,
        sat_class=Cost_Sat,
        tie_breaking=first_listed,
        voter_budget_increment=SHARE_STEP_CENTS,
    )
    return tuple(int(project.name) for project in allocation)
