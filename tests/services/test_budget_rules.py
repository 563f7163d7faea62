"""Counting a participatory budget: worked examples with known outcomes for both rules, pabulib
elections counted here and by pabutools, and the `.pb` export read back by pabutools.

The pabulib files in tests/services/pabulib: `poland_warszawa_2017_plac-wojska-polskiego.pb` is
a real election from pabulib (Warsaw, Wesoła, Plac Wojska Polskiego, 2017: 4 projects, 27
voters, greedy), as pabutools' own tests reproduce it; `netherlands_assen_2024.pb` is pabulib's
file of Assen's youth budget 2024 (14 ideas, 84 voters, equal shares with Add1), as published;
`latvia_lejasciems_2026_made-up.pb` is made up for these tests, in pabulib's format.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pabutools.election import Cost_Sat, Instance, parse_pabulib
from pabutools.election.pabulib import parse_pabulib_from_string
from pabutools.rules import greedy_utilitarian_welfare, method_of_equal_shares

from bot.models import BudgetRule
from bot.services import pabulib
from bot.services.budget_rules import Outcome, Project, count

GREEDY, EQUAL = BudgetRule.GREEDY, BudgetRule.EQUAL_SHARES
ELECTIONS = sorted((Path(__file__).parent / "pabulib").glob("*.pb"))


def test_greedy_funds_by_votes_while_the_money_lasts() -> None:
    """Sum 100. A (70, 5 votes) is funded; B (50, 4 votes) no longer fits the 30 left and is
    passed over; C (30, 3 votes) still fits; D fits too but nobody chose it."""
    projects = [Project(1, 70), Project(2, 50), Project(3, 30), Project(4, 10)]
    ballots = [{1, 2}] * 2 + [{1, 3}] * 3 + [{2}] * 2
    outcome = count(GREEDY, 100, projects, ballots)
    assert outcome == Outcome(votes={1: 5, 2: 4, 3: 3, 4: 0}, funded=(1, 3), spent=100, left=0)


def test_the_rules_fund_different_ideas() -> None:
    """Sum 100, six voters. Four of them (the village centre) want A (60) and B (40); two (the
    far end) want C (30).

    Greedy: A and B have 4 votes each, C 2: A and B are funded and spend the whole sum; the
    far end gets nothing although a third of the village voted for C.

    Equal shares: each voter controls 100 / 6 ≈ 16.67. The centre's four hold 66.67: enough
    for A (15 each), after which 1.67 each is left, far from B's 40. The far end's two hold
    33.33: enough for C (15 each). So A and C are funded (90), B is not: each group gets
    what its share of the sum can buy."""
    projects = [Project(1, 60), Project(2, 40), Project(3, 30)]
    ballots = [{1, 2}] * 4 + [{3}] * 2
    assert count(GREEDY, 100, projects, ballots).funded == (1, 2)
    equal = count(EQUAL, 100, projects, ballots)
    assert set(equal.funded) == {1, 3}
    assert (equal.spent, equal.left) == (90, 10)
    assert equal.votes == {1: 4, 2: 4, 3: 2}


def test_equal_shares_with_one_mind_funds_what_greedy_funds() -> None:
    """When everybody chose the same ideas, every share pays for them together."""
    projects = [Project(1, 500), Project(2, 300), Project(3, 400)]
    ballots = [{1, 2}] * 5
    assert set(count(EQUAL, 1000, projects, ballots).funded) == {1, 2}
    assert count(GREEDY, 1000, projects, ballots).funded == (1, 2)


def test_ties_go_to_the_idea_listed_first() -> None:
    projects = [Project(7, 60), Project(3, 60)]
    ballots = [{3, 7}] * 3
    assert count(GREEDY, 100, projects, ballots).funded == (7,)
    assert count(EQUAL, 100, projects, ballots).funded == (7,)
    assert count(GREEDY, 100, list(reversed(projects)), ballots).funded == (3,)
    assert count(EQUAL, 100, list(reversed(projects)), ballots).funded == (3,)


def test_no_ballots_fund_nothing_and_unknown_picks_are_ignored() -> None:
    projects = [Project(1, 10)]
    for rule in BudgetRule:
        assert count(rule, 100, projects, []) == Outcome({1: 0}, (), 0, 100)
        assert count(rule, 100, projects, [{99}]) == Outcome({1: 0}, (), 0, 100)


def _plain(instance: Instance, profile: Any) -> tuple[int, list[Project], list[set[int]]]:
    """A pabutools election as the counting's plain data, in cents (the files count in whole
    euros), the projects in pabutools' own tie-breaking order (by name), so that both break
    ties alike."""
    projects = [
        Project(int(p.name), int(p.cost) * 100) for p in sorted(instance, key=lambda p: p.name)
    ]
    ballots = [{int(p.name) for p in ballot} for ballot in profile]
    return int(instance.budget_limit) * 100, projects, ballots


@pytest.mark.parametrize("path", ELECTIONS, ids=lambda path: path.stem)
def test_pabulib_elections_count_as_pabutools_counts_them(path: Path) -> None:
    instance, profile = parse_pabulib(str(path))
    amount, projects, ballots = _plain(instance, profile)

    greedy = count(GREEDY, amount, projects, ballots)
    theirs = greedy_utilitarian_welfare(instance, profile, sat_class=Cost_Sat)
    # pabutools' greedy also funds ideas nobody chose when money is left; the bot does not.
    assert set(greedy.funded) == {int(p.name) for p in theirs if greedy.votes[int(p.name)]}
    assert greedy.votes == {int(p.name): profile.approval_score(p) for p in instance}

    equal = count(EQUAL, amount, projects, ballots)
    # Add1: shares grow by one unit of the file's currency (a euro) at a time.
    theirs = method_of_equal_shares(instance, profile, sat_class=Cost_Sat, voter_budget_increment=1)
    assert set(equal.funded) == {int(p.name) for p in theirs}

    # The file's own outcome, by the rule it names.
    rule = {"greedy": greedy, "equalshares/add1": equal}[instance.meta["rule"]]
    selected = {int(p.name) for p in instance if instance.project_meta[p].get("selected") == "1"}
    assert set(rule.funded) == selected


def test_the_real_elections_and_the_made_up_one_are_known() -> None:
    """Warsaw's four projects fit the budget together: greedy funds all four, as Warsaw did.
    Equal shares first leaves out 2567 (20,000, 12 voters): half of its supporters spent much
    of their shares (51,195 / 27 ≈ 1,896 each) on 427 and 915, and what the twelve have left
    (about 13,400) cannot pay for it; the Add1 completion grows the shares until they can, and
    all four are funded. Assen 2024 (14 ideas, 84 young voters) was counted by equal shares
    with Add1: without the completion 5 and 6 would not be funded, with it the count is
    Assen's own. The made-up village is the worked example's shape: greedy gives the centre
    both its ideas, equal shares gives the centre one and the river side and the school
    theirs."""
    by_name = {path.stem: path for path in ELECTIONS}
    instance, profile = parse_pabulib(str(by_name["poland_warszawa_2017_plac-wojska-polskiego"]))
    amount, projects, ballots = _plain(instance, profile)
    assert set(count(GREEDY, amount, projects, ballots).funded) == {427, 915, 1623, 2567}
    equal = count(EQUAL, amount, projects, ballots)
    assert set(equal.funded) == {427, 915, 1623, 2567}
    assert equal.left == (51195 - 15995 - 5825 - 2900 - 20000) * 100
    instance, profile = parse_pabulib(str(by_name["netherlands_assen_2024"]))
    amount, projects, ballots = _plain(instance, profile)
    assert set(count(EQUAL, amount, projects, ballots).funded) == {2, 3, 5, 6, 9, 11, 12, 13, 14}
    without_completion = method_of_equal_shares(instance, profile, sat_class=Cost_Sat)
    assert {int(p.name) for p in without_completion} == {2, 3, 9, 11, 12, 13, 14}
    instance, profile = parse_pabulib(str(by_name["latvia_lejasciems_2026_made-up"]))
    amount, projects, ballots = _plain(instance, profile)
    assert set(count(GREEDY, amount, projects, ballots).funded) == {1, 3}
    assert set(count(EQUAL, amount, projects, ballots).funded) == {1, 4, 5, 6}


def test_the_pb_export_is_read_back_by_pabutools() -> None:
    election = pabulib.PbElection(
        description="Lejasciems: Budžets 2027",
        country="Latvia",
        unit="Lejasciems; pagasts",
        instance="2027",
        budget_cents=500_050,
        rule=EQUAL,
        language="lv",
        projects=[
            pabulib.PbProject(3, 120_050, 'Soliņi "pie upes";\nun laipa', "environment", 2, True),
            pabulib.PbProject(12, 300_000, "Rotaļu laukums", None, 1, False),
        ],
        ballots=[
            pabulib.PbBallot(1, [3, 12]),
            pabulib.PbBallot(2, [3], paper=True),
        ],
    )
    text = pabulib.write(election)
    assert text.startswith("META\nkey;value\n")
    instance, profile = parse_pabulib_from_string(text)
    assert instance.budget_limit == pytest.approx(5000.50)
    assert instance.meta["unit"] == "Lejasciems; pagasts"
    assert instance.meta["rule"] == "equalshares/add1"
    costs = {p.name: p.cost for p in instance}
    assert costs == {"3": pytest.approx(1200.50), "12": 3000}
    assert instance.project_meta[instance.get_project("3")]["name"] == (
        'Soliņi "pie upes"; un laipa'
    )
    assert [sorted(p.name for p in ballot) for ballot in profile] == [["12", "3"], ["3"]]
    assert [ballot.meta["voting_method"] for ballot in profile] == ["internet", "paper"]
    assert [ballot.meta["voter_id"] for ballot in profile] == ["1", "2"]
