"""The texts of a resident's own data: the summary of /mydata and the /forgetme exchange."""

from __future__ import annotations

from typing import Any

from bot.i18n import Html, Translator


def summary(t: Translator, data: dict[str, Any]) -> Html:
    """What the attached file holds, counted, in a few lines."""

    def count(key: str) -> int:
        return len(data.get(key) or [])

    parts = [
        t.n_("{n} village group", "{n} village groups", count("villages")),
        t.n_("{n} idea", "{n} ideas", count("ideas")),
        t.n_("{n} support of an idea", "{n} supports of ideas", count("supports")),
        t.n_("{n} comment", "{n} comments", count("comments")),
        t.n_("{n} SWOT input", "{n} SWOT inputs", count("swot_inputs")),
        t.n_("{n} SWOT vote", "{n} SWOT votes", count("swot_votes")),
        t.n_("{n} poll answer", "{n} poll answers", count("poll_votes")),
        t.n_("{n} meeting answer", "{n} meeting answers", count("meeting_answers")),
        t.n_("{n} small victory", "{n} small victories", count("victories")),
        t.n_("{n} applause", "{n} applause", count("applause")),
    ]
    profile = data.get("profile") or {}
    lines = [
        t._("🗂 <b>Everything I keep about you</b> is in the file below (JSON)."),
        t._(
            "Name: {name} · username: {username}",
            name=" ".join(p for p in (profile.get("first_name"), profile.get("last_name")) if p)
            or "—",
            username=f"@{profile['username']}" if profile.get("username") else "—",
        ),
        "",
        " · ".join(parts),
        "",
        t._("To have me forget you: /forgetme"),
    ]
    return Html("\n".join(lines))


def forget_question(t: Translator) -> Html:
    return t._(
        "⚠️ <b>Forget me?</b>\n"
        "I will erase your name, username and language in every village group, and remove your "
        "supports, votes, meeting answers and applause. Your ideas, comments and SWOT inputs stay, "
        "shown as written by “a former resident”. This can't be undone."
    )


def forgotten(t: Translator) -> Html:
    return t._(
        "✅ Done: I have forgotten you. If you write to me again, I will know you as someone new."
    )


def kept(t: Translator) -> Html:
    return t._("Nothing was erased.")


def public_name(t: Translator, agreed: bool) -> Html:
    """Where the consent to be named on public village pages stands, and how to change it."""
    if agreed:
        return t._(
            "✅ As a member of a working group, you may be named on your villages' public pages, "
            "next to the ideas you are responsible for. To take it back: /publicname off"
        )
    return t._(
        "Your name is not shown on public village pages. Members of a working group who agree "
        "are named there next to the ideas they are responsible for: /publicname on"
    )
