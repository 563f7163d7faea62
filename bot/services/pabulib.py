"""A budget round in pabulib's `.pb` format, so researchers and other tools (pabutools among
them) can read it: a META section of `key;value` lines, PROJECTS (one line per idea) and VOTES
(one line per ballot, by its number: no names), separated by semicolons.

The writer is plain text, without pabutools, so an export never waits for pabutools' import.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from bot.models import BudgetRule

# pabulib's names; equal shares as counted here, with the Add1 completion.
RULE_NAMES = {BudgetRule.GREEDY: "greedy", BudgetRule.EQUAL_SHARES: "equalshares/add1"}
# The country, which pabulib asks for, from the village's time zone where it tells.
COUNTRIES = {
    "Europe/Riga": "Latvia",
    "Europe/Vilnius": "Lithuania",
    "Europe/Tallinn": "Estonia",
}


@dataclass(frozen=True)
class PbProject:
    number: int
    cost_cents: int
    name: str
    category: str | None = None
    votes: int | None = None
    selected: bool | None = None


@dataclass(frozen=True)
class PbBallot:
    number: int
    chosen: Sequence[int]
    paper: bool = False


@dataclass(frozen=True)
class PbElection:
    description: str
    country: str
    unit: str
    instance: str
    budget_cents: int
    rule: BudgetRule
    language: str
    projects: Sequence[PbProject]
    ballots: Sequence[PbBallot]
    date_begin: date | None = None
    date_end: date | None = None


def euros(cents: int) -> str:
    """`150000` → `1500`, `150050` → `1500.50`: pabulib's costs, in the currency's units."""
    return str(Decimal(cents) / 100) if cents % 100 else str(cents // 100)


def _one_line(text: str) -> str:
    """pabutools reads a file line by line: a name's line breaks become spaces."""
    return " ".join(text.split())


def write(election: PbElection) -> str:
    buffer = io.StringIO()
    out = csv.writer(buffer, delimiter=";", lineterminator="\n")
    meta: list[tuple[str, str]] = [
        ("description", election.description),
        ("country", election.country),
        ("unit", election.unit),
        ("instance", election.instance),
        ("num_projects", str(len(election.projects))),
        ("num_votes", str(len(election.ballots))),
        ("budget", euros(election.budget_cents)),
        ("vote_type", "approval"),
        ("rule", RULE_NAMES[election.rule]),
        ("currency", "EUR"),
        ("language", election.language),
        # Each ballot's picks together cost at most the budget; a ballot chooses at least one.
        ("max_sum_cost", euros(election.budget_cents)),
        ("min_length", "1"),
    ]
    if election.date_begin is not None:
        meta.append(("date_begin", election.date_begin.strftime("%d.%m.%Y")))
    if election.date_end is not None:
        meta.append(("date_end", election.date_end.strftime("%d.%m.%Y")))
    out.writerow(["META"])
    out.writerow(["key", "value"])
    out.writerows((key, _one_line(value)) for key, value in meta)

    counted = any(project.votes is not None for project in election.projects)
    out.writerow(["PROJECTS"])
    out.writerow(
        ["project_id", "cost", "name", "category", *(("votes", "selected") if counted else ())]
    )
    for project in sorted(election.projects, key=lambda p: p.number):
        row = [
            str(project.number),
            euros(project.cost_cents),
            _one_line(project.name),
            project.category or "None",
        ]
        if counted:
            row += [str(project.votes or 0), "1" if project.selected else "0"]
        out.writerow(row)

    out.writerow(["VOTES"])
    out.writerow(["voter_id", "vote", "voting_method"])
    for ballot in sorted(election.ballots, key=lambda b: b.number):
        chosen = ",".join(str(number) for number in sorted(ballot.chosen))
        out.writerow([str(ballot.number), chosen, "paper" if ballot.paper else "internet"])
    return buffer.getvalue()
