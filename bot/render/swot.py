"""The SWOT analysis in words: the board, the rating card, confirmations and questions.

Pure functions of a Translator and domain data; they return Telegram HTML (`Html`), or plain
text where the name says so.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from bot.i18n import N_, Html, Translator, escape
from bot.models import Choice, Quadrant, SwotItem
from bot.render.hiding import Hideable
from bot.services.swot import MAX_TEXT, MIN_TEXT, QUADRANTS, RoundSummary
from bot.services.swot_agreement import Board, RankedItem
from bot.services.text import shorten

TEXT_LIMIT = 4096  # Bot API, in UTF-16 code units
# (inputs shown per quadrant, characters per input): the first that fits the limit is used.
BOARD_SIZES = ((5, 120), (5, 60), (3, 40))
QUOTED = 200  # characters of an input quoted in a leader's question

QUADRANT_NAMES: Mapping[Quadrant, str] = {
    Quadrant.S: N_("Strengths"),
    Quadrant.W: N_("Weaknesses"),
    Quadrant.O: N_("Opportunities"),
    Quadrant.T: N_("Threats"),
}
ICONS: Mapping[Quadrant, str] = {
    Quadrant.S: "💪",
    Quadrant.W: "🔧",
    Quadrant.O: "🌱",
    Quadrant.T: "⛈",
}
# The command that adds to each quadrant; the same in every language.
COMMANDS: Mapping[Quadrant, str] = {
    Quadrant.S: "strength",
    Quadrant.W: "weakness",
    Quadrant.O: "opportunity",
    Quadrant.T: "threat",
}
CHOICE_NAMES: Mapping[Choice, str] = {
    Choice.AGREE: N_("👍 Agree"),
    Choice.DISAGREE: N_("👎 Disagree"),
    Choice.PASS: N_("➡️ Skipped"),
}
EXAMPLES: Mapping[Quadrant, str] = {
    Quadrant.S: N_("Neighbours help each other"),
    Quadrant.W: N_("No bus to town in the evening"),
    Quadrant.O: N_("EU funding for village projects"),
    Quadrant.T: N_("Young families are moving away"),
}


def quadrant_label(t: Translator, quadrant: Quadrant) -> str:
    """Plain, for buttons: "💪 Strengths"."""
    return f"{ICONS[quadrant]} {t.plain(QUADRANT_NAMES[quadrant])}"


def example(t: Translator, quadrant: Quadrant) -> str:
    return f"/{COMMANDS[quadrant]} {t.plain(EXAMPLES[quadrant])}"


def board_title(t: Translator, board: Board, village: str) -> str:
    """Plain: the analysis, the village, and the round when there has been more than one."""
    if board.archived:
        return t.plain(
            N_("SWOT analysis — {village}, round {number} (archived)"),
            village=village,
            number=board.round_number,
        )
    if board.latest_number > 1:
        return t.plain(
            N_("SWOT analysis — {village}, round {number}"),
            village=village,
            number=board.round_number,
        )
    return t.plain(N_("SWOT analysis — {village}"), village=village)


def _item_line(item: RankedItem, chars: int) -> str:
    text = escape(shorten(item.text, chars))
    return f"<b>{item.code}</b> {text} · 👍 {item.agree} 👎 {item.disagree}"


def _how_to_add(t: Translator) -> Html:
    return t._(
        "Add yours: /strength, /weakness, /opportunity or /threat with your text, e.g. {example}",
        example=example(t, Quadrant.S),
    )


def _utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def board_text(t: Translator, board: Board, village: str) -> tuple[Html, bool]:
    """Each quadrant's top inputs by agreement, with how many more there are; shown smaller
    when long texts (or emoji, two UTF-16 units each) would pass Telegram's limit. True when
    some inputs are not shown (then `all_pages` shows them)."""
    for top, chars in BOARD_SIZES:
        text = _board_text(t, board, village, top, chars)
        if _utf16(text) <= TEXT_LIMIT:  # the HTML is never shorter than what is shown
            break
    return text, truncated(board, top)


def truncated(board: Board, top: int) -> bool:
    return any(len(board.quadrant(quadrant)) > top for quadrant in QUADRANTS)


def all_pages(t: Translator, board: Board, village: str) -> list[Html]:
    """Every input of the round, ranked, in full, on as many messages as Telegram's limit
    needs; a part that goes on over a page break has its heading again."""
    if board.total == 0:
        return [_board_text(t, board, village, 0, 0)]  # "no inputs yet", and how to add
    title = t._("<b>{title}</b> — every input", title=board_title(t, board, village))
    pages: list[list[str]] = []
    lines: list[str] = []
    size = _utf16(title)
    heading: Quadrant | None = None
    for quadrant in QUADRANTS:
        head = ["", f"{ICONS[quadrant]} <b>{t._(QUADRANT_NAMES[quadrant])}</b>"]
        for item in board.quadrant(quadrant):
            entry = [_item_line(item, MAX_TEXT)]
            if quadrant != heading:
                entry = [*head, *entry]
            cost = sum(_utf16(line) + 1 for line in entry)
            if lines and size + cost > TEXT_LIMIT:
                pages.append(lines)
                lines, size = [], _utf16(title)
                entry = [*head, entry[-1]]
                cost = sum(_utf16(line) + 1 for line in entry)
            lines += entry
            size += cost
            heading = quadrant
    pages.append(lines)
    return [Html("\n".join([title, *page])) for page in pages]


def _board_text(t: Translator, board: Board, village: str, top: int, chars: int) -> Html:
    lines = [f"<b>{escape(board_title(t, board, village))}</b>"]
    if board.total == 0:
        lines += ["", t._("No inputs yet."), _how_to_add(t)]
        return Html("\n".join(lines))
    lines.append(t._("Ranked by agreement: 👍 agree minus 👎 disagree."))
    for quadrant in QUADRANTS:
        items = board.quadrant(quadrant)
        lines += ["", f"{ICONS[quadrant]} <b>{t._(QUADRANT_NAMES[quadrant])}</b>"]
        lines += [_item_line(item, chars) for item in items[:top]] or ["—"]
        if len(items) > top:
            lines.append(t.n_("…and {n} more", "…and {n} more", len(items) - top))
    if truncated(board, top):
        every = (
            t._("Every input: /swot {number} all", number=board.round_number)
            if board.archived
            else t._("Every input: /swot all")
        )
        lines += ["", every]
    lines.append("")
    if board.archived:
        lines.append(t._("This round is archived. The current one: /swot"))
    else:
        lines.append(_how_to_add(t))
        lines.append(t._("Rate the inputs in a private chat with me: /swotvote"))
        if board.latest_number > 1:
            lines.append(
                t._("Earlier rounds: /swot {number} and before.", number=board.latest_number - 1)
            )
    return Html("\n".join(lines))


def picture_caption(t: Translator, board: Board, village: str) -> Html:
    return escape(board_title(t, board, village))


def added(t: Translator, code: str) -> Html:
    return t._("✅ Added as <b>{code}</b>. The board: /swot", code=code)


def added_in_flow(t: Translator, code: str, quadrant: Quadrant) -> Html:
    return t._(
        "✅ Added as <b>{code}</b>. Write the next one ({part}), or press “Done”.",
        code=code,
        part=t._(QUADRANT_NAMES[quadrant]).lower(),
    )


def added_in_group(t: Translator, entries: Iterable[tuple[str, str | None]]) -> Html:
    """One message for a burst of inputs in the group: codes and who added them (no name for
    a person who asked to be forgotten)."""
    inputs = Html(
        ", ".join(
            f"<b>{escape(code)}</b> ({escape(name)})" if name else f"<b>{escape(code)}</b>"
            for code, name in entries
        )
    )
    return t._("✅ Added to the SWOT analysis: {inputs}. The board: /swot", inputs=inputs)


def add_usage(t: Translator, quadrant: Quadrant) -> Html:
    return t.n_(
        "Write your input after the command ({minimum}–{n} character), e.g.\n{example}\n"
        "Or press the button and add several in a private chat.",
        "Write your input after the command ({minimum}–{n} characters), e.g.\n{example}\n"
        "Or press the button and add several in a private chat.",
        MAX_TEXT,
        minimum=MIN_TEXT,
        example=example(t, quadrant),
    )


def pick_quadrant(t: Translator, village: str) -> Html:
    return t._(
        "<b>SWOT analysis — {village}</b>\nWhich part do you want to add to?", village=village
    )


def write_prompt(t: Translator, quadrant: Quadrant, village: str) -> Html:
    return t.n_(
        "{icon} <b>{part}</b> — {village}: write one input per message "
        "({minimum}–{n} character), e.g. “{example}”. Press “Done” when you have finished.",
        "{icon} <b>{part}</b> — {village}: write one input per message "
        "({minimum}–{n} characters), e.g. “{example}”. Press “Done” when you have finished.",
        MAX_TEXT,
        icon=ICONS[quadrant],
        part=t._(QUADRANT_NAMES[quadrant]),
        village=village,
        minimum=MIN_TEXT,
        example=t._(EXAMPLES[quadrant]),
    )


def flow_done(t: Translator) -> Html:
    return t._("Thank you! The board: /swot. Rate the others' inputs: /swotvote")


def vote_card(
    t: Translator, item: SwotItem, remaining: int, village: str, rating: Choice | None = None
) -> Html:
    """The input to rate; with the member's `rating` when they asked to change it."""
    if rating is None:
        question = (
            t._("Do you agree?")
            + " "
            + t.n_("{n} input left to rate.", "{n} inputs left to rate.", remaining)
        )
    else:
        question = t._(
            "Your rating: {choice}. Press a button to change it.",
            choice=t._(CHOICE_NAMES[rating]),
        )
    return Html(
        "\n".join(
            [
                t._("<b>SWOT analysis — {village}</b>", village=village),
                f"{ICONS[item.quadrant]} {t._(QUADRANT_NAMES[item.quadrant])} · <b>{item.code}</b>",
                "",
                escape(item.text),
                "",
                question,
            ]
        )
    )


def rating_changed(t: Translator, code: str, choice: Choice) -> str:
    """Plain, for the button's answer."""
    return t.plain(
        N_("Your rating of {code} is changed: {choice}."),
        code=code,
        choice=t.plain(CHOICE_NAMES[choice]),
    )


def nothing_to_rate(t: Translator, any_inputs: bool) -> Html:
    if any_inputs:
        return Html(
            t._("You have rated every input. Thank you! The board: /swot")
            + "\n"
            + t._("To change a rating, write its code: /swotvote S4")
        )
    return Html(t._("There is nothing to rate yet.") + "\n" + _how_to_add(t))


def rate_in_private(t: Translator) -> Html:
    return t._("Inputs are rated one by one in a private chat with me. Press the button.")


def merge_question(
    t: Translator, source: SwotItem | RankedItem, target: SwotItem | RankedItem
) -> Html:
    return t._(
        "Merge <b>{source}</b> into <b>{target}</b>?\n"
        "<b>{source}</b>: “{source_text}”\n"
        "<b>{target}</b>: “{target_text}”\n"
        "{target} remains, with the votes and authors of both.",
        source=source.code,
        target=target.code,
        source_text=shorten(source.text, QUOTED),
        target_text=shorten(target.text, QUOTED),
    )


def merged(t: Translator, source: str, target: str) -> Html:
    return t._(
        "<b>{source}</b> is merged into <b>{target}</b>: its votes and authors went along.",
        source=source,
        target=target,
    )


def not_merged(t: Translator) -> Html:
    return t._("Nothing was merged.")


def moved(t: Translator, old: str, new: str, quadrant: Quadrant) -> Html:
    return t._(
        "<b>{old}</b> is moved to {part}: its code is <b>{new}</b> now.",
        old=old,
        new=new,
        part=t._(QUADRANT_NAMES[quadrant]).lower(),
    )


def hideable(item: SwotItem) -> Hideable:
    return Hideable(item.code, item.text, f"/swotunhide {item.code}")


def round_question(t: Translator, summary: RoundSummary) -> Html:
    return t.n_(
        "Start a new SWOT round? Round {number} with {n} input is archived: nothing is lost, "
        "and /swot {number} still shows it.",
        "Start a new SWOT round? Round {number} with {n} inputs is archived: nothing is lost, "
        "and /swot {number} still shows it.",
        summary.inputs,
        number=summary.number,
    )


def round_started(t: Translator, number: int) -> Html:
    return Html(
        t._("Round {number} of the SWOT analysis has begun.", number=number) + "\n" + _how_to_add(t)
    )


def round_kept(t: Translator) -> Html:
    return t._("Nothing changed: the SWOT round goes on.")
