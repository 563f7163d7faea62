"""The texts of decisions: recorded, and due for review."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.i18n import Html, Translator
from bot.models import Decision


def recorded(t: Translator, decision: Decision) -> Html:
    lines = [t._("✅ Decision recorded: {text}", text=decision.text)]
    if decision.review_on is not None:
        lines.append(
            t._(
                "On {date} I will remind the working group to review it.",
                date=t.date_text(decision.review_on),
            )
        )
    return Html("\n".join(lines))


def review_reminder(t: Translator, decision: Decision, zone: ZoneInfo) -> Html:
    return t._(
        "🔁 For the working group: today is the day to review the decision of {date}: {text}",
        date=t.date_text(decision.created_at, zone),
        text=decision.text,
    )
