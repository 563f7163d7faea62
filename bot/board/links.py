"""Where the board opens: the start parameter naming a village (and a view in it), and the
links that carry it. In groups Telegram allows only URL buttons, so they use the bot's direct
Mini App link (`t.me/<bot>?startapp=…`, whose parameter reaches the app in its init data); in
private chat `web_app` buttons open the board's own URL, with the parameter in its query."""

from __future__ import annotations

import re
from urllib.parse import quote

_START = re.compile(r"v(\d{1,12})(?:-(?:(i|m)(\d{1,9})|(b)))?")
VIEWS = {"i": "idea", "m": "meeting"}
BUDGET = "budget"


def start_param(
    village_id: int, *, idea: int | None = None, meeting: int | None = None, budget: bool = False
) -> str:
    """`v12`, `v12-i5` (idea number 5), `v12-m3` (meeting id 3), `v12-b` (the participatory
    budget): Telegram allows A-Z, a-z, 0-9, _ and - in it."""
    if idea is not None:
        return f"v{village_id}-i{idea}"
    if meeting is not None:
        return f"v{village_id}-m{meeting}"
    if budget:
        return f"v{village_id}-b"
    return f"v{village_id}"


def parse_start(param: str | None) -> tuple[int | None, str]:
    """The village id and the view to open (`ideas`, `idea/5`, `meeting/3`, `budget`); no
    village when the parameter names none."""
    found = _START.fullmatch(param or "")
    if found is None:
        return None, "ideas"
    village, kind, number, budget = found.groups()
    if budget:
        return int(village), BUDGET
    view = f"{VIEWS[kind]}/{int(number)}" if kind else "ideas"
    return int(village), view


def direct_link(bot_username: str, param: str) -> str:
    """The bot's Main Mini App opened on `param` (for URL buttons in groups)."""
    return f"https://t.me/{bot_username}?startapp={quote(param)}"


def app_url(web_url: str, param: str | None = None) -> str:
    """The board's page, for `web_app` buttons and the menu button in private chat."""
    return f"{web_url}/board" + (f"?start={quote(param)}" if param else "")


def public_url(web_url: str, village_id: int) -> str:
    """The village's public page (served only while its leaders publish it)."""
    return f"{web_url}/v/{village_id}"
