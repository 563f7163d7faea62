"""Meeting times as typed, reminder offsets, and the dates a series repeats on (Europe/Riga)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.models import Repeat
from bot.services import meeting_times
from bot.services.errors import InvalidInput
from bot.services.meeting_times import (
    next_start_after,
    parse_offsets,
    parse_request,
    parse_when,
    rrule_text,
    starts_until,
)

RIGA = ZoneInfo("Europe/Riga")
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def _riga(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=RIGA)  # type: ignore[misc]


def _local(starts: list[datetime]) -> list[str]:
    return [f"{s.astimezone(RIGA):%Y-%m-%d %H:%M %z}" for s in starts]


@pytest.mark.parametrize(
    ("date_word", "time_word"),
    [("2026-12-03", "18:00"), ("03.12.2026", "18:00"), ("3.12.2026.", "18.00")],
)
def test_both_date_forms_are_accepted(date_word: str, time_word: str) -> None:
    assert parse_when(date_word, time_word, RIGA, NOW) == _riga(2026, 12, 3, 18, 0)


@pytest.mark.parametrize(
    ("date_word", "time_word", "message"),
    [
        ("2026-13-01", "18:00", meeting_times.BAD_DATE),
        ("31.02.2027", "18:00", meeting_times.BAD_DATE),
        ("2026-12-03", "24:00", meeting_times.BAD_TIME),
        ("2026-12-03", "18:60", meeting_times.BAD_TIME),
        ("tomorrow", "18:00", meeting_times.BAD_DATE),
        ("2026/12/03", "18:00", meeting_times.BAD_DATE),
        ("2026-12-03", "6pm", meeting_times.BAD_TIME),
        ("tomorrow", "6pm", meeting_times.BAD_DATE),
    ],
)
def test_malformed_dates_get_an_example(date_word: str, time_word: str, message: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_when(date_word, time_word, RIGA, NOW)
    assert caught.value.message == message
    # The example is a week ahead, in both forms, and would itself be accepted.
    assert caught.value.params == {
        "example": "2026-12-02 18:00",
        "dotted_example": "02.12.2026 18:00",
    }
    parse_when(*caught.value.params["example"].split(), RIGA, NOW)


def test_a_past_time_is_refused() -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_when("25.11.2026", "13:59", RIGA, NOW)  # 11:59 UTC
    assert caught.value.message == meeting_times.PAST
    assert parse_when("25.11.2026", "14:01", RIGA, NOW) == _riga(2026, 11, 25, 14, 1)


def test_more_than_two_years_ahead_is_refused() -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_when("2029-01-01", "10:00", RIGA, NOW)
    assert caught.value.message == meeting_times.TOO_FAR


def test_a_time_in_the_spring_forward_gap_means_the_clock_time_after_it() -> None:
    # 2027-03-28 03:00 → 04:00 in Riga: 03:30 does not exist on the clock.
    assert parse_when("2027-03-28", "03:30", RIGA, NOW).isoformat() == "2027-03-28T04:30:00+03:00"


def test_a_request_has_title_and_optional_place() -> None:
    request = parse_request("2026-12-03 18:00  Sanāksme par paveikto @ Tautas nams", RIGA, NOW)
    assert (request.title, request.place) == ("Sanāksme par paveikto", "Tautas nams")
    assert request.starts_at == _riga(2026, 12, 3, 18, 0)
    assert parse_request("2026-12-03 18:00 Sanāksme", RIGA, NOW).place is None
    assert parse_request("2026-12-03 18:00 Sanāksme @ ", RIGA, NOW).place is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", meeting_times.BAD_WHEN),
        ("2026-12-03", meeting_times.BAD_TIME),
        ("2026-12-03 Sanāksme", meeting_times.BAD_TIME),
        ("Sanāksme 2026-12-03 18:00", meeting_times.BAD_DATE),
        ("2026-12-03 18:00", meeting_times.NO_TITLE),
        ("12.12.2026 18:00", meeting_times.NO_TITLE),
        ("2026-12-20 18:00 @ Tautas nams", meeting_times.NO_TITLE),
        ("2026-12-20 18:00  @", meeting_times.NO_TITLE),
        ("2026-12-20 18:00 ab @ Tautas nams", meeting_times.SHORT_TITLE),
    ],
)
def test_an_incomplete_request_says_what_is_missing(
    text: str, message: str | tuple[str, str]
) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_request(text, RIGA, NOW)
    assert caught.value.message == (message if isinstance(message, str) else message[0])
    assert caught.value.params["example"] == "2026-12-02 18:00"


def test_title_and_place_have_limits() -> None:
    with pytest.raises(InvalidInput):
        parse_request("2026-12-03 18:00 ab", RIGA, NOW)
    with pytest.raises(InvalidInput):
        parse_request("2026-12-03 18:00 " + "x" * 151, RIGA, NOW)
    with pytest.raises(InvalidInput):
        parse_request("2026-12-03 18:00 Sanāksme @ " + "x" * 151, RIGA, NOW)


def test_an_answer_with_date_and_time() -> None:
    assert meeting_times.parse_when_text(" 10.12.2026  18:30 ", RIGA, NOW) == _riga(
        2026, 12, 10, 18, 30
    )
    with pytest.raises(InvalidInput) as caught:
        meeting_times.parse_when_text("next week", RIGA, NOW)
    assert caught.value.message == meeting_times.BAD_WHEN_SHORT


@pytest.mark.parametrize(
    ("values", "minutes"),
    [
        (["1d", "1h"], [1440, 60]),
        (["15m", "1d", "1h"], [1440, 60, 15]),
        (["1d,1h"], [1440, 60]),
        (["1h", "60m"], [60]),
        (["1m"], [1]),
        (["none"], []),
        (["OFF"], []),
        # Latvian and Russian, as the lv and ru help texts show them
        (["1", "d", "1", "st", "15", "min"], [1440, 60, 15]),
        (["1 d, 2 stundas"], [1440, 120]),
        (["izslēgt"], []),
        (["1", "дн", "1", "ч", "15", "мин"], [1440, 60, 15]),
        (["выкл"], []),
    ],
)
def test_reminder_offsets(values: list[str], minutes: list[int]) -> None:
    assert parse_offsets(values) == minutes


@pytest.mark.parametrize(
    "values", [[], ["soon"], ["0m"], ["5w"], ["1m", "2m", "3m", "4m", "5m", "6m"]]
)
def test_wrong_reminder_offsets_are_explained(values: list[str]) -> None:
    with pytest.raises(InvalidInput):
        parse_offsets(values)


def test_weekly_keeps_the_clock_time_across_the_march_change() -> None:
    first = _riga(2027, 3, 23, 18, 0)  # the last Sunday of March 2027 is the 28th
    starts = starts_until(first, RIGA, Repeat.WEEKLY, first + timedelta(days=14))
    assert _local(starts) == [
        "2027-03-23 18:00 +0200",
        "2027-03-30 18:00 +0300",
        "2027-04-06 18:00 +0300",
    ]
    assert [s.hour for s in starts] == [16, 15, 15]  # UTC


def test_every_two_weeks_keeps_the_clock_time_across_the_october_change() -> None:
    first = _riga(2027, 10, 19, 18, 0)  # the last Sunday of October 2027 is the 31st
    starts = starts_until(first, RIGA, Repeat.BIWEEKLY, first + timedelta(days=28))
    assert _local(starts) == [
        "2027-10-19 18:00 +0300",
        "2027-11-02 18:00 +0200",
        "2027-11-16 18:00 +0200",
    ]


def test_a_series_at_the_changeover_hour_stays_on_the_clock_time() -> None:
    first = _riga(2027, 3, 21, 3, 30)
    starts = starts_until(first, RIGA, Repeat.WEEKLY, first + timedelta(days=7))
    # On the 28th 03:30 does not exist; it is read as 04:30 summer time, then 03:30 again.
    assert _local(starts) == ["2027-03-21 03:30 +0200", "2027-03-28 04:30 +0300"]
    again = starts_until(first, RIGA, Repeat.WEEKLY, first + timedelta(days=14))
    assert _local(again)[-1] == "2027-04-04 03:30 +0300"


def test_monthly_on_the_first_tuesday() -> None:
    first = _riga(2026, 12, 1, 18, 0)
    starts = starts_until(first, RIGA, Repeat.MONTHLY, _riga(2027, 4, 30, 0, 0))
    assert _local(starts) == [
        "2026-12-01 18:00 +0200",
        "2027-01-05 18:00 +0200",
        "2027-02-02 18:00 +0200",
        "2027-03-02 18:00 +0200",
        "2027-04-06 18:00 +0300",
    ]
    assert rrule_text(first, RIGA, Repeat.MONTHLY) == "FREQ=MONTHLY;BYDAY=1TU"


def test_monthly_from_a_month_end_means_the_last_weekday() -> None:
    first = _riga(2027, 1, 31, 12, 0)  # the fifth (and last) Sunday of January
    starts = starts_until(first, RIGA, Repeat.MONTHLY, _riga(2027, 5, 31, 0, 0))
    assert _local(starts) == [
        "2027-01-31 12:00 +0200",
        "2027-02-28 12:00 +0200",
        "2027-03-28 12:00 +0300",
        "2027-04-25 12:00 +0300",
        "2027-05-30 12:00 +0300",
    ]
    assert rrule_text(first, RIGA, Repeat.MONTHLY) == "FREQ=MONTHLY;BYDAY=-1SU"


def test_monthly_on_the_fourth_weekday_stays_the_fourth() -> None:
    first = _riga(2026, 12, 24, 18, 0)  # the fourth Thursday
    starts = starts_until(first, RIGA, Repeat.MONTHLY, _riga(2027, 2, 28, 0, 0))
    assert _local(starts)[1:] == ["2027-01-28 18:00 +0200", "2027-02-25 18:00 +0200"]


def test_a_single_meeting_has_one_date() -> None:
    first = _riga(2026, 12, 3, 18, 0)
    assert starts_until(first, RIGA, Repeat.ONCE, first + timedelta(days=365)) == [first]
    assert next_start_after(first, RIGA, Repeat.ONCE, first) is None
    assert rrule_text(first, RIGA, Repeat.ONCE) is None


def test_the_next_start_after_a_moment() -> None:
    first = _riga(2026, 12, 3, 18, 0)
    after = _riga(2026, 12, 20, 0, 0)
    assert next_start_after(first, RIGA, Repeat.WEEKLY, after) == _riga(2026, 12, 24, 18, 0)
    assert rrule_text(first, RIGA, Repeat.BIWEEKLY) == "FREQ=WEEKLY;INTERVAL=2"
