"""The per-user intake limit: what is noise, how much of it is answered, and that work never
waits. Time is a number the test moves."""

from __future__ import annotations

import pytest

from bot import keyboards
from bot.commands import COMMAND_NAMES
from bot.keyboards import ideas as idea_keys
from bot.keyboards import victories as victory_keys
from bot.keyboards.swot import SwotPage
from bot.services.intake import (
    ADMIT,
    COMMANDS,
    DROP,
    DROP_AND_SAY,
    VIEW_BUTTONS,
    Arrival,
    Intake,
    Weight,
    weigh,
)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


def command(name: str, args: str = "", *, private: bool = True, **extra: bool) -> Arrival:
    return Arrival("command", private, name=name, args=args, **extra)


# --- what is noise ----------------------------------------------------------------------------


def test_every_command_of_the_bot_is_weighed() -> None:
    """A new command must be classed here, or it would count as an unknown one."""
    assert set(COMMANDS) == COMMAND_NAMES


def test_view_buttons_are_real_kinds() -> None:
    kinds = {idea_keys.IdeasPage, SwotPage, victory_keys.VictoriesPage}
    assert {k.__callback_kind__ for k in kinds} == VIEW_BUTTONS  # type: ignore[attr-defined]
    for kind in VIEW_BUTTONS:
        assert keyboards.kind_of(f"{kind}1:0:0") == kind


@pytest.mark.parametrize(
    ("arrival", "weight"),
    [
        # Read-only commands, in private chat and in the group.
        (command("help"), Weight.NOISE),
        (command("help", private=False), Weight.NOISE),
        (command("start"), Weight.NOISE),
        (command("ideas", "2"), Weight.NOISE),
        (command("swot", "all", private=False), Weight.NOISE),
        (command("mydata"), Weight.NOISE),
        (command("idea"), Weight.NOISE),
        (command("idea", "#5"), Weight.NOISE),
        (command("vision"), Weight.NOISE),
        (command("settings"), Weight.NOISE),
        # Unknown commands: answered in private, and in a group when they name this bot.
        (command("hello"), Weight.NOISE),
        (command("hello", private=False, addressed=True), Weight.NOISE),
        (command("hello", private=False), Weight.QUIET),
        (command("help", private=False, elsewhere=True), Weight.QUIET),
        (command("help", elsewhere=True), Weight.NOISE),  # private: "I don't know that"
        # Contributions and changes.
        (command("idea", "A bench by the bus stop"), Weight.WORK),
        (command("idea", "5 benches by the bus stop"), Weight.WORK),
        (command("start", "join_12"), Weight.WORK),
        (command("vision", "A living village"), Weight.WORK),
        (command("settings", "language en"), Weight.WORK),
        (command("strength"), Weight.WORK),  # in private it starts the guided flow
        (command("victory", "The road is mended", private=False), Weight.WORK),
        (command("status", "5 done", private=False), Weight.WORK),
        (command("forgetme"), Weight.WORK),
        (command("cancel"), Weight.WORK),
        # Buttons.
        (Arrival("button", name="sup"), Weight.WORK),
        (Arrival("button", name="mtgrsvp"), Weight.WORK),
        (Arrival("button", name="swv", private=True), Weight.WORK),
        (Arrival("button", name="ideas"), Weight.NOISE),
        (Arrival("button", name="vpage"), Weight.NOISE),
        (Arrival("button", name="swp"), Weight.NOISE),
        (Arrival("button", name=""), Weight.NOISE),  # stale or forged
        # Messages.
        (Arrival("message", private=True), Weight.NOISE),
        (Arrival("message", private=True, comment=True), Weight.WORK),
        (Arrival("message", private=False, comment=True), Weight.WORK),
        (Arrival("message", private=False), Weight.QUIET),  # group chatter
        (Arrival("other", private=False), Weight.WORK),  # members joining, poll answers
        (Arrival("other", private=True, edited=True), Weight.QUIET),
    ],
)
def test_updates_are_weighed(arrival: Arrival, weight: Weight) -> None:
    assert weigh(arrival) is weight


# --- the limit --------------------------------------------------------------------------------


def test_noise_is_answered_up_to_the_limit_then_one_slow_down(clock: Clock) -> None:
    intake = Intake(limit=3, period=60, clock=clock)
    verdicts = [intake.admit(1, Weight.NOISE) for _ in range(10)]
    assert verdicts == [ADMIT] * 3 + [DROP_AND_SAY] + [DROP] * 6
    assert intake.over_limit(1)


def test_work_is_always_admitted_and_not_counted(clock: Clock) -> None:
    intake = Intake(limit=2, period=60, clock=clock)
    for _ in range(2):
        assert intake.admit(1, Weight.NOISE) is ADMIT
    assert intake.admit(1, Weight.NOISE) is DROP_AND_SAY
    for _ in range(100):
        assert intake.admit(1, Weight.WORK) is ADMIT
        assert intake.admit(1, Weight.QUIET) is ADMIT
    assert intake.admit(1, Weight.NOISE) is DROP


def test_work_alone_leaves_nothing_in_memory(clock: Clock) -> None:
    intake = Intake(limit=2, period=60, clock=clock)
    for sender in range(50):
        intake.admit(sender, Weight.WORK)
        intake.admit(sender, Weight.QUIET)
    assert len(intake) == 0


def test_one_person_over_the_limit_does_not_limit_another(clock: Clock) -> None:
    intake = Intake(limit=2, period=60, clock=clock)
    for _ in range(5):
        intake.admit(1, Weight.NOISE)
    assert intake.admit(2, Weight.NOISE) is ADMIT
    assert not intake.over_limit(2)


def test_the_window_slides(clock: Clock) -> None:
    intake = Intake(limit=2, period=60, clock=clock)
    assert intake.admit(1, Weight.NOISE) is ADMIT
    clock.now += 30
    assert intake.admit(1, Weight.NOISE) is ADMIT
    assert intake.admit(1, Weight.NOISE) is DROP_AND_SAY
    clock.now += 30  # the first has left the window, the second not yet
    assert intake.admit(1, Weight.NOISE) is ADMIT
    assert intake.admit(1, Weight.NOISE) is DROP  # told less than a period ago
    clock.now += 30
    assert intake.admit(1, Weight.NOISE) is ADMIT


def test_slow_down_is_said_at_most_once_per_period(clock: Clock) -> None:
    intake = Intake(limit=1, period=60, clock=clock)
    said = 0
    for _ in range(600):  # ten minutes of a message every second
        verdict = intake.admit(1, Weight.NOISE)
        said += verdict.slow_down
        clock.now += 1
    assert said == 10


def test_idle_people_are_forgotten(clock: Clock) -> None:
    intake = Intake(limit=2, period=60, clock=clock)
    for sender in range(100):
        intake.admit(sender, Weight.NOISE)
    assert len(intake) == 100
    clock.now += 60
    intake.admit(1000, Weight.WORK)
    assert len(intake) == 0


def test_memory_is_bounded_by_the_longest_idle_going_first(clock: Clock) -> None:
    intake = Intake(limit=2, period=60, max_senders=10, clock=clock)
    intake.admit(0, Weight.NOISE)
    intake.admit(0, Weight.NOISE)
    for sender in range(1, 50):
        clock.now += 0.1
        intake.admit(sender, Weight.NOISE)
        intake.admit(0, Weight.NOISE)  # the spammer stays the most recent
    assert len(intake) == 10
    assert intake.over_limit(0)
    assert not intake.over_limit(1)  # forgotten


def test_a_flow_is_looked_up_again_after_work(clock: Clock) -> None:
    intake = Intake(limit=1, period=60, clock=clock)
    intake.admit(1, Weight.NOISE)
    assert intake.may_have_flow(1)
    intake.no_flow(1)
    assert not intake.may_have_flow(1)
    intake.admit(1, Weight.QUIET)
    assert not intake.may_have_flow(1)
    intake.admit(1, Weight.WORK)  # e.g. /strength, which opens a guided flow
    assert intake.may_have_flow(1)


def test_limits_must_be_positive() -> None:
    with pytest.raises(ValueError, match="positive"):
        Intake(limit=0)
