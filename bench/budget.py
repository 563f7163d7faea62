"""Counting a participatory budget: a round of 50 ideas and 5,000 approval ballots (each within
the sum, drawn with a fixed seed, some ideas more popular than others) counted by the Method of
Equal Shares, as the deadline job counts it (bot.services.budget_rules.count on plain data,
without the database); the greedy rule on the same ballots for comparison. pabutools is
imported before the clock starts: the bot pays that once per process, not per count.
"""

from __future__ import annotations

import random
import statistics
import time
from pathlib import Path
from typing import Any

from bot.models import BudgetRule
from bot.services import budget_rules
from bot.services.budget_rules import Project

IDEAS = 50
BALLOTS = 5000
QUICK_BALLOTS = 500
AMOUNT_CENTS = 10_000_000  # 100,000 €
RUNS = 3
EQUAL_SHARES_TARGET = 2.0
SEED = 20


def election(ballots: int, seed: int = SEED) -> tuple[list[Project], list[frozenset[int]]]:
    """Ideas costing 500–30,000 € in whole euros; each voter approves up to 8 ideas, drawn by
    popularity, keeping only picks that still fit the sum (as the ballot refuses more)."""
    rng = random.Random(seed)
    projects = [Project(key, rng.randint(500, 30_000) * 100) for key in range(1, IDEAS + 1)]
    weights = [rng.random() ** 2 + 0.02 for _ in projects]
    drawn: list[frozenset[int]] = []
    for _ in range(ballots):
        wanted = rng.choices(projects, weights=weights, k=rng.randint(1, 8))
        chosen: set[int] = set()
        total = 0
        for project in wanted:
            if project.key not in chosen and total + project.cost <= AMOUNT_CENTS:
                chosen.add(project.key)
                total += project.cost
        drawn.append(frozenset(chosen))
    return projects, drawn


def _timed(
    rule: BudgetRule, projects: list[Project], ballots: list[frozenset[int]]
) -> dict[str, Any]:
    seconds: list[float] = []
    outcome = None
    for _ in range(RUNS):
        started = time.perf_counter()
        outcome = budget_rules.count(rule, AMOUNT_CENTS, projects, ballots)
        seconds.append(time.perf_counter() - started)
    assert outcome is not None
    return {
        "median_ms": round(statistics.median(seconds) * 1000, 1),
        "slowest_ms": round(max(seconds) * 1000, 1),
        "funded": len(outcome.funded),
        "left_cents": outcome.left,
    }


async def run(workdir: Path, *, quick: bool = False) -> dict[str, Any]:
    import pabutools.rules  # noqa: F401  (imported once, before the clock starts)

    ballots = QUICK_BALLOTS if quick else BALLOTS
    projects, drawn = election(ballots)
    size = f"{IDEAS} ideas, {ballots:,} ballots"
    rows: list[dict[str, Any]] = []
    for rule, label, target in (
        (BudgetRule.EQUAL_SHARES, "equal shares", EQUAL_SHARES_TARGET),
        (BudgetRule.GREEDY, "greedy", None),
    ):
        figures = _timed(rule, projects, drawn)
        row: dict[str, Any] = {
            "name": f"budget: counting {size}, {label}, median / slowest of {RUNS}",
            "value": f"{figures['median_ms']:.1f} / {figures['slowest_ms']:.1f} ms "
            f"({figures['funded']} funded)",
            **figures,
        }
        if target is not None:
            row["target"] = f"<= {target * 1000:g} ms"
            row["met"] = figures["slowest_ms"] <= target * 1000
        rows.append(row)
    return {"rows": rows}
