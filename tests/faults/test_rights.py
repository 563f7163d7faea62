"""Rights and isolation, table-driven so that nothing can be forgotten: every leaders' command
(from bot/commands.py) and every button kind (from the callback codec's registry) is in a
table, and a test fails while one is missing.

- A resident who sends a leaders' command, or presses a leader's button, is refused and the
  database is exactly as before; the same command or press by a leader then works (so the
  "nothing changed" is not vacuous).
- An author's buttons refuse everyone else.
- Forged callback data naming another village's items, pressed by a leader of this village,
  and private-chat commands of someone who is not in the other village, never show or change
  anything of the other village.
"""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import select

import handlers  # noqa: F401  (registers every kind of callback data)
from bot.commands import COMMANDS
from bot.db import Database
from bot.keyboards.codec import _REGISTRY, encode
from bot.models import (
    Base,
    BudgetRound,
    Idea,
    Meeting,
    MeetingOccurrence,
    Membership,
    SwotItem,
    Victory,
)
from bot.testing import ApiCall, BotApiEmulator, FakeChat, FakeUser, buttons
from tests.conftest import Village
from tests.handlers.meeting_steps import local_day

pytestmark = pytest.mark.faults

LV_REFUSAL = "Atvainojiet, to var darīt tikai darba grupa"
STALE = "Šī poga vairs nedarbojas."
WRONG_CHAT = "Tas darbojas privātā sarunā ar mani."
SEND_METHODS = frozenset({"sendMessage", "sendPhoto", "sendDocument", "sendPoll"})
IGNORED_TABLES = frozenset({"processed_updates"})
IGNORED_COLUMNS = frozenset({("memberships", "last_active_at")})
MARK = "ZILONIS"  # in every text of the other village


# --- the database, as it is ----------------------------------------------------------------


async def dump(database: Database, community_ids: set[int] | None = None) -> dict[str, Any]:
    """Every row of every table (or only the rows of those communities), bookkeeping aside."""
    found: dict[str, Any] = {}
    async with database.transaction() as session:
        for table in Base.metadata.sorted_tables:
            if table.name in IGNORED_TABLES:
                continue
            columns = [c for c in table.columns if (table.name, c.name) not in IGNORED_COLUMNS]
            query = select(*columns)
            if community_ids is not None:
                if "community_id" in table.c:
                    query = query.where(table.c.community_id.in_(community_ids))
                elif table.name == "communities":
                    query = query.where(table.c.id.in_(community_ids))
                else:
                    continue
            found[table.name] = sorted(
                (tuple(row) for row in await session.execute(query)), key=repr
            )
    return found


def changed(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    return [name for name in before if before[name] != after.get(name)]


# --- a village with something of everything -----------------------------------------------------


@dataclass
class Stage:
    """What the village has on screen after its leader and residents used every feature."""

    village: Village
    neighbour: FakeUser  # another resident: an author, and the one promoted and demoted
    card: dict[str, Any]  # the resident's idea card
    neighbours_card: dict[str, Any]
    done_notice: dict[str, Any]  # "idea done" with the leaders' celebrate button
    poll: dict[str, Any]
    language_menu: dict[str, Any]  # the leader's /language in the group
    round_question: dict[str, Any]  # /swotround's confirmation
    meeting_question: dict[str, Any]  # /meeting's "how does it repeat?"
    meetings_list: dict[str, Any]  # the leader's /meetings with management buttons
    victory_review: dict[str, Any]  # the leader's private Approve / Reject
    said: dict[str, Any]  # a message of the neighbour's, to reply to
    draft: dict[str, Any]  # the neighbour's /idea in private: named or anonymous?
    merge_question: dict[str, Any]  # /swotmerge's "merge these?"
    hide_question: dict[str, Any]  # /swothide's "hide this?"
    idea_question: dict[str, Any]  # the card's ⚙ Hide: "hide this?"
    managed: dict[str, Any]  # the leader's /idea 1 with its ⚙ opened: the status buttons
    neighbours_detail: dict[str, Any]  # the neighbour's /idea 2 in private: withdraw it


async def _ask(
    tg: BotApiEmulator,
    where: FakeChat | FakeUser,
    who: FakeUser,
    text: str,
    reply_to: dict[str, Any] | None = None,
) -> dict[str, Any]:
    return await tg.ask(where, who, text, reply_to=reply_to)


async def stage(tg: BotApiEmulator, village: Village) -> Stage:
    chat, leader, resident = village.chat, village.admin, village.resident
    neighbour = tg.user("Ilze", language_code="lv")
    await tg.join(chat, neighbour)
    await tg.private(neighbour, "/start")
    await tg.private(leader, "/start")
    await tg.private(resident, "/start")
    card = await _ask(tg, chat, resident, "/idea Jauns rotaļu laukums pie skolas")
    neighbours_card = await _ask(tg, chat, neighbour, "/idea Apgaismojums gar upes taku")
    await _ask(tg, chat, neighbour, "/idea Soliņi parkā pie baznīcas")
    cursor = tg.mark()
    await tg.send(chat, leader, "/status 3 done")
    done_notice = await tg.wait_for(
        lambda c: c.ok and c.method == "sendMessage" and "celebrate" in str(c.params),
        after=cursor,
    )
    # The group's SWOT confirmations are one message that grows.
    await tg.send(chat, resident, "/strength Draudzīgi kaimiņi un aktīva kopiena")
    await tg.send(chat, neighbour, "/strength Skaista daba un tīra upe")
    await tg.settle(quiet=0.3)
    cursor = tg.mark()
    await tg.send(chat, leader, "/poll public Kad talka? | Sestdien | Svētdien")
    poll = (await tg.wait_for(lambda c: c.ok and c.method == "sendPoll", after=cursor)).result
    language_menu = await _ask(tg, chat, leader, "/language")
    round_question = await _ask(tg, chat, leader, "/swotround")
    meeting_question = await _ask(tg, chat, leader, f"/meeting {local_day(3)} 18:00 Sanāksme")
    first = await _ask(tg, chat, leader, f"/meeting {local_day(4)} 18:00 Talkas plānošana")
    await tg.press(first, "Katru nedēļu", by=leader)
    await tg.settle()
    meetings_list = await _ask(tg, chat, leader, "/meetings")
    cursor = tg.mark()
    await tg.send(chat, resident, "/victory Salabojām tiltu pār upi")
    victory_review = await tg.next_message(leader, after=cursor)
    said = await tg.send(chat, neighbour, "Es varu palīdzēt darba grupai")
    draft = await _ask(tg, neighbour, neighbour, "/idea Sporta laukums pie kultūras nama")
    managed = await _ask(tg, chat, leader, "/idea 1")
    await tg.press(managed, "⚙", by=leader)
    neighbours_detail = await _ask(tg, neighbour, neighbour, "/idea 2")
    await tg.settle()
    # Hidden, to be shown again: S3 and idea #4.
    await tg.send(chat, resident, "/strength Kaimiņš ir muļķis un zaglis")
    await tg.settle(quiet=0.3)
    await tg.press(await _ask(tg, chat, leader, "/swothide S3"), "🙈", by=leader)
    rude = await _ask(tg, chat, resident, "/idea Kaimiņš ir muļķis, lai brauc prom")
    idea_question = await _hide_question(tg, chat, leader, rude)
    await tg.press(idea_question, "🙈", by=leader)
    merge_question = await _ask(tg, chat, leader, "/swotmerge S2 S1")
    hide_question = await _ask(tg, chat, leader, "/swothide S2")
    idea_question = await _hide_question(tg, chat, leader, card)
    await tg.settle()
    return Stage(
        village,
        neighbour,
        card,
        neighbours_card,
        done_notice.result,
        poll,
        language_menu,
        round_question,
        meeting_question,
        meetings_list,
        victory_review,
        said,
        draft,
        merge_question,
        hide_question,
        idea_question,
        managed,
        neighbours_detail,
    )


async def _hide_question(
    tg: BotApiEmulator, chat: FakeChat, leader: FakeUser, card: dict[str, Any]
) -> dict[str, Any]:
    """The leader's ⚙ then 🙈 on an idea card: the question that comes."""
    await tg.press(card, "⚙", by=leader)
    await tg.settle(quiet=0.3)
    cursor = tg.mark()
    await tg.press(card, "🙈", by=leader)
    return await tg.next_message(chat, after=cursor)


@pytest.fixture
async def staged(tg: BotApiEmulator, village: Village) -> Stage:
    return await stage(tg, village)


# --- leaders' commands ------------------------------------------------------------------------


@dataclass(frozen=True)
class Command:
    """A leaders' command as a leader would use it; `changes`: the leader's use writes."""

    text: Callable[[Stage], str]
    changes: bool = True
    private: bool = False
    reply_to: Callable[[Stage], dict[str, Any]] | None = None


LEADER_COMMANDS: dict[str, Command] = {
    "status": Command(lambda s: "/status 1 accepted"),
    "ideaset": Command(lambda s: "/ideaset 1 cost 1500"),
    "digest": Command(lambda s: "/digest", changes=False, private=True),
    "meeting": Command(lambda s: f"/meeting {local_day(5)} 18:00 Ceļa remonts"),
    "settings": Command(lambda s: "/settings reminders 2h"),
    "swotmerge": Command(lambda s: "/swotmerge S2 S1", changes=False),  # asks first
    "swotmove": Command(lambda s: "/swotmove S2 W"),
    "swothide": Command(lambda s: "/swothide S2", changes=False),  # asks first
    "swotunhide": Command(lambda s: "/swotunhide S3"),
    "ideaunhide": Command(lambda s: "/ideaunhide 4"),
    "swotround": Command(lambda s: "/swotround", changes=False),
    "poll": Command(lambda s: "/poll Vai remontēt ceļu? | Jā | Nē"),
    "ideapoll": Command(lambda s: "/ideapoll 2"),
    "closepoll": Command(lambda s: "/closepoll", reply_to=lambda s: s.poll),
    "papervotes": Command(lambda s: "/papervotes 1=12 2=7", reply_to=lambda s: s.poll),
    "decision": Command(lambda s: "/decision Talka notiks sestdien"),
    "budget": Command(lambda s: "/budget 5000 14d"),
    "promote": Command(lambda s: "/promote", reply_to=lambda s: s.said),
    "demote": Command(lambda s: "/demote", reply_to=lambda s: s.said),
    "stats": Command(lambda s: "/stats", changes=False),
    "export": Command(lambda s: "/export"),  # the leader's export is in the log
    "plan": Command(lambda s: "/plan"),
    "goal": Command(lambda s: "/goal Jauns rotaļu laukums līdz 2028. gadam"),
    "log": Command(lambda s: "/log", changes=False),
}
# Leaders-only uses of commands that residents may use otherwise.
LEADER_USES: dict[str, Command] = {
    "language in the group": Command(lambda s: "/language", changes=False),
    "agenda item": Command(lambda s: "/agenda Ceļa remonts"),
    "minutes": Command(lambda s: "/minutes Nolēmām remontēt ceļu", changes=False),
    "vision set": Command(lambda s: "/vision Zaļš, dzīvs ciems, kur paliek jaunieši"),
}


def test_every_leaders_command_is_in_the_table() -> None:
    assert set(LEADER_COMMANDS) == {c.name for c in COMMANDS if c.leaders_only}


async def _use(tg: BotApiEmulator, staged: Stage, who: FakeUser, command: Command) -> ApiCall:
    where: FakeChat | FakeUser = who if command.private else staged.village.chat
    reply_to = command.reply_to(staged) if command.reply_to else None
    cursor = tg.mark()
    await tg.send(where, who, command.text(staged), reply_to=reply_to)
    call = await tg.wait_for(
        lambda c: c.method in SEND_METHODS and c.params.get("chat_id") == str(where.id),
        after=cursor,
    )
    await tg.settle(quiet=0.3)
    return call


@pytest.mark.parametrize("name", [*LEADER_COMMANDS, *LEADER_USES])
async def test_a_resident_is_refused_every_leaders_command(
    tg: BotApiEmulator, staged: Stage, database: Database, name: str
) -> None:
    command = {**LEADER_COMMANDS, **LEADER_USES}[name]
    village = staged.village
    if name == "demote":  # the neighbour is in the working group, to be demoted
        await _use(tg, staged, village.admin, LEADER_COMMANDS["promote"])
    before = await dump(database)
    refused = await _use(tg, staged, village.resident, command)
    assert refused.ok
    assert refused.result["text"].startswith(LV_REFUSAL)
    assert changed(before, await dump(database)) == []
    # The same, by a leader, works.
    done = await _use(tg, staged, village.admin, command)
    assert done.ok
    assert not done.result.get("text", "").startswith(LV_REFUSAL)
    if command.changes:
        assert changed(before, await dump(database)) != []


# --- buttons ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Press:
    """A button only some may press: on which message, with which data; `changes`: pressed by
    one who may, it writes."""

    message: Callable[[Stage], dict[str, Any]]
    data: Callable[[Stage], str]
    changes: bool = True
    # Pressed on a message Telegram no longer shows (old or deleted): the data is not checked
    # against its keyboard, the rights still are.
    inaccessible: bool = False


def _button(message: dict[str, Any], kind: str, index: int = 0) -> str:
    found = [
        b["callback_data"]
        for b in buttons(message)
        if str(b.get("callback_data", "")).startswith(kind)
    ]
    assert found, f"no {kind} button in {message.get('text')!r}"
    return str(found[index])


LEADER_BUTTONS: dict[str, Press] = {
    "lang": Press(lambda s: s.language_menu, lambda s: _button(s.language_menu, "lang1:g:", 1)),
    "manage": Press(lambda s: s.managed, lambda s: _manage(s, "accepted")),
    "mtgrepeat": Press(
        lambda s: s.meeting_question, lambda s: _button(s.meeting_question, "mtgrepeat")
    ),
    "mtgact": Press(lambda s: s.meetings_list, lambda s: _button(s.meetings_list, "mtgact"), False),
    "mtgmin": Press(lambda s: s.meetings_list, lambda s: "mtgmin1:1:1", False, True),
    "swr": Press(lambda s: s.round_question, lambda s: _button(s.round_question, "swr")),
    "swm": Press(lambda s: s.merge_question, lambda s: _button(s.merge_question, "swm")),
    "swh": Press(lambda s: s.hide_question, lambda s: _button(s.hide_question, "swh")),
    "ideahide": Press(lambda s: s.idea_question, lambda s: _button(s.idea_question, "ideahide")),
    "vdecide": Press(lambda s: s.victory_review, lambda s: _button(s.victory_review, "vdecide")),
    "celebrate": Press(lambda s: s.done_notice, lambda s: _button(s.done_notice, "celebrate")),
}
# The author's own choices: the idea's area (which a leader may set too), withdrawing it, what to
# do with a draft.
AUTHOR_BUTTONS: dict[str, Press] = {
    "area": Press(lambda s: s.neighbours_card, lambda s: _button(s.neighbours_card, "area")),
    "withdraw": Press(lambda s: s.neighbours_detail, lambda s: _withdraw(s)),
    "draft": Press(lambda s: s.draft, lambda s: _button(s.draft, "draft")),
}
# Anyone in the village may press these (support, answer, vote, page, pick their own language
# or village), or they act only inside the presser's own private conversation.
EVERYONE = {
    "sup": "support an idea",
    "ideas": "page through /ideas",
    "mtgrsvp": "answer a meeting invitation",
    "swv": "rate a SWOT input",
    "swq": "pick the SWOT part in one's own private flow",
    "swf": "finish one's own SWOT flow",
    "swp": "page through every SWOT input",
    "clap": "applaud a victory",
    "vpage": "page through /victories",
    "village": "choose one's own village in private chat",
    "pollb": "the poll builder, in a leader's own private chat; posting checks the rights again",
    "forget": "answer one's own /forgetme question (another's is refused: see the forgeries)",
    "bvote": "vote in a budget round, in one's own private chat (members of its village only)",
}


def _kinds_of_the_bot() -> set[str]:
    """The registry's kinds, without those that test modules register for themselves."""
    return {
        kind for kind, cls in _REGISTRY.items() if cls.__module__.startswith(("bot.", "handlers."))
    }


def test_every_button_kind_is_in_a_table() -> None:
    tables = [set(LEADER_BUTTONS), set(AUTHOR_BUTTONS), set(EVERYONE)]
    assert set().union(*tables) == _kinds_of_the_bot()
    assert sum(map(len, tables)) == len(_kinds_of_the_bot())


def _manage(s: Stage, action: str) -> str:
    idea_id = int(_button(s.card, "sup").split(":")[1])
    return f"manage1:{idea_id}:{action}"


def _withdraw(s: Stage) -> str:
    idea_id = int(_button(s.neighbours_card, "sup").split(":")[1])
    return f"withdraw1:{idea_id}"


def _refusal(text: str) -> bool:
    """The working group's refusal, or an author's ("only its author chooses ...")."""
    return text.startswith(LV_REFUSAL) or ("tikai" in text and "autors" in text)


async def _press(
    tg: BotApiEmulator,
    message: dict[str, Any],
    data: str,
    who: FakeUser,
    *,
    inaccessible: bool = False,
) -> dict[str, Any]:
    query = await tg.press_data(message, data, who, inaccessible=inaccessible)
    answer = await tg.answer_of(query)
    await tg.settle(quiet=0.3)
    return answer


@pytest.mark.parametrize("kind", [*LEADER_BUTTONS, *AUTHOR_BUTTONS])
async def test_only_those_who_may_press_a_button_change_anything(
    tg: BotApiEmulator, staged: Stage, database: Database, kind: str
) -> None:
    press = {**LEADER_BUTTONS, **AUTHOR_BUTTONS}[kind]
    village = staged.village
    message, data = press.message(staged), press.data(staged)
    before = await dump(database)
    answer = await _press(tg, message, data, village.resident, inaccessible=press.inaccessible)
    assert answer["show_alert"]
    assert _refusal(answer["text"]), answer["text"]
    assert changed(before, await dump(database)) == []
    allowed = village.admin if kind in LEADER_BUTTONS else staged.neighbour
    answer = await _press(tg, message, data, allowed, inaccessible=press.inaccessible)
    assert not _refusal(answer["text"]), answer["text"]
    if press.changes:
        assert changed(before, await dump(database)) != []


# --- another village ------------------------------------------------------------------------------


@dataclass
class Other:
    """Another village: its group, leader and the ids of its things (all texts carry MARK)."""

    chat: FakeChat
    leader: FakeUser
    community_id: int
    ids: dict[str, int]


async def other_village(tg: BotApiEmulator, database: Database) -> Other:
    bob = tg.user("Bob", language_code="lv")
    eve = tg.user("Eve", language_code="lv")
    chat = tg.group(f"{MARK} ciems", admins=[bob], members=[eve])
    cursor = tg.mark()
    await tg.add_bot(chat, by=bob)
    await tg.next_message(chat, after=cursor)
    await tg.private(bob, "/start")
    await _ask(tg, chat, eve, f"/idea {MARK} dārzs pie skolas")
    await tg.send(chat, eve, f"/strength {MARK} stiprā kopiena")
    await tg.settle(quiet=0.3)
    question = await _ask(tg, chat, bob, f"/meeting {local_day(3)} 18:00 {MARK} sanāksme")
    assert buttons(question), question["text"]
    await tg.press(question, "Katru nedēļu", by=bob)
    await tg.send(chat, eve, f"/victory {MARK} uzvara tiltā")
    await _ask(tg, eve, eve, f"/idea {MARK} draft privātā")
    await tg.settle()
    # A budget round being voted on, with its idea on the ballot.
    await _ask(tg, chat, bob, "/ideaset 1 cost 100")
    await _ask(tg, chat, bob, "/status 1 accepted")
    await _ask(tg, chat, bob, f"/budget 500 3d {MARK} budžets")
    await _ask(tg, chat, bob, "/budget start")
    await tg.settle()
    async with database.transaction() as session:
        community_id = await session.scalar(
            select(Meeting.community_id).where(Meeting.title.like(f"{MARK}%"))
        )
        assert community_id is not None

        async def first(model: Any) -> int:
            found = await session.scalar(
                select(model.id).where(model.community_id == community_id).order_by(model.id)
            )
            assert found is not None, model
            return int(found)

        from bot.models import IdeaDraft

        async def first_member() -> int:
            found = await session.scalar(
                select(Membership.user_id)
                .where(Membership.community_id == community_id)
                .order_by(Membership.user_id)
            )
            assert found is not None
            return int(found)

        ids = {
            "idea_id": await first(Idea),
            "item_id": await first(SwotItem),
            "source_id": await first(SwotItem),
            "target_id": await first(SwotItem),
            "meeting_id": await first(Meeting),
            "occurrence_id": await first(MeetingOccurrence),
            "victory_id": await first(Victory),
            "draft_id": await first(IdeaDraft),
            "round_id": await first(BudgetRound),
            "community_id": community_id,
            "user_id": await first_member(),
            "minutes_id": 1,
            "number": 1,
        }
    return Other(chat, bob, community_id, ids)


# Plausible values for the fields of each kind that are not ids.
VALUES = {
    "action": {
        "manage": "accepted",
        "draft": "submit",
        "mtgact": "cy",
        "swf": "done",
        "swr": "go",
        "swh": "yes",
        "ideahide": "yes",
        "pollb": "post",
    },
    "area": "economy",
    "quadrant": "S",
    "choice": "a",
    "answer": "going",
    "repeat": "weekly",
    "scope": "g",
    "language": "en",
    "approve": 1,
    "stage": 0,
    "page": 0,
    "value": "",
    "erase": 1,
    "go": 1,
    "fresh": 0,
}


def forged(kind: str, ids: dict[str, int]) -> str | None:
    """Data of this kind naming the other village's things; None for a kind without ids."""
    cls = _REGISTRY[kind]
    hints = typing.get_type_hints(cls)
    values: dict[str, Any] = {}
    names_an_item = False
    for field in dataclasses.fields(cls):
        if field.name in ids and hints[field.name] is int:
            values[field.name] = ids[field.name]
            names_an_item = True
        else:
            value = VALUES[field.name]
            values[field.name] = value[kind] if isinstance(value, dict) else value
    return encode(cls(**values)) if names_an_item else None


WITHOUT_IDS = {"lang", "ideas", "vpage", "pollb"}


def test_every_kind_naming_an_item_is_forged() -> None:
    ids = dict.fromkeys(
        (
            "idea_id",
            "item_id",
            "source_id",
            "target_id",
            "meeting_id",
            "occurrence_id",
            "victory_id",
            "draft_id",
            "round_id",
            "community_id",
            "minutes_id",
            "number",
            "user_id",
        ),
        1,
    )
    assert {k for k in _kinds_of_the_bot() if forged(k, ids) is None} == WITHOUT_IDS


async def test_forged_buttons_never_reach_another_village(
    tg: BotApiEmulator, staged: Stage, database: Database
) -> None:
    other = await other_village(tg, database)
    village = staged.village
    before = await dump(database, {other.community_id})
    cursor = tg.mark()
    forgeries = [forged(kind, other.ids) for kind in sorted(_kinds_of_the_bot())]
    for data in forgeries:
        if data is None:
            continue
        # A leader of this village, in this village's group and in private chat.
        await _press(tg, staged.card, data, village.admin)
        own = tg.bot_messages(village.admin)[-1]
        await _press(tg, own, data, village.admin)
    assert changed(before, await dump(database, {other.community_id})) == []
    said = [
        str(c.params) + str(c.result)
        for c in tg.calls[cursor:]
        if str(c.params.get("chat_id")) != str(other.chat.id)
    ]
    assert not [s for s in said if MARK in s]


PRIVATE_COMMANDS = (
    "/ideas",
    "/idea 1",
    "/swot",
    "/meetings",
    "/agenda",
    "/minutes",
    "/victories",
    "/polls",
    "/digest",
    "/help",
    "/idea Jauna ideja par ceļa remontu ciemā",
    "/strength Mums ir laba skola",
    "/settings",
    "/vision",
    "/mydata",
    "/stats",
    "/log",
    "/export",
    "/plan",
)


async def test_private_commands_never_reach_another_village(
    tg: BotApiEmulator, staged: Stage, database: Database
) -> None:
    other = await other_village(tg, database)
    village = staged.village
    before = await dump(database, {other.community_id})
    cursor = tg.mark()
    for who in (village.admin, village.resident):
        for text in PRIVATE_COMMANDS:
            await tg.ask(who, who, text)
            await tg.settle(quiet=0.2)
    assert changed(before, await dump(database, {other.community_id})) == []
    said = [str(c.params) + str(c.result) for c in tg.calls[cursor:]]
    assert not [s for s in said if MARK in s]


def made_up(kind: str) -> str:
    """Plausible data of this kind naming this village's first things (ids of 1)."""
    cls = _REGISTRY[kind]
    values: dict[str, Any] = {}
    for field in dataclasses.fields(cls):
        value = VALUES.get(field.name, 1)
        values[field.name] = value[kind] if isinstance(value, dict) else value
    return encode(cls(**values))


async def test_a_press_its_message_does_not_carry_is_refused_for_every_kind(
    tg: BotApiEmulator, staged: Stage, database: Database
) -> None:
    """Data of any kind made up by a client, pressed by a leader on a message whose buttons do
    not carry it (page data on a card, to turn the card into a list), is refused before its
    handler: nothing changes and no message is redrawn."""
    village = staged.village
    before = await dump(database)
    cursor = tg.mark()
    for kind in sorted(_kinds_of_the_bot()):
        data = made_up(kind)
        for message in (staged.card, staged.victory_review):  # in the group, in private chat
            current = tg.message(message["chat"]["id"], message["message_id"])
            if data in {b.get("callback_data") for b in buttons(current)}:
                continue
            answer = await _press(tg, message, data, village.admin)
            # (A private chat's kind pressed in the group is refused for its chat first.)
            assert answer["text"] in {STALE, WRONG_CHAT}, (kind, answer)
    assert changed(before, await dump(database)) == []
    assert not [c for c in tg.calls[cursor:] if c.method.startswith("edit")]
