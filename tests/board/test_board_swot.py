"""The SWOT analysis on the board: the ranked 2×2 board, rating, adding (confirmed in the
group as in the chat), and the working group's merge, move and hide, with the chat's rights."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from bot.db import Database
from bot.models import AuditEntry, Choice, Community, SwotItem, SwotVote
from bot.testing import BotApiEmulator, FakeUser
from bot.testing.board import Answer, BoardClient
from tests.board.conftest import village_id
from tests.conftest import Village, new_village


async def _add(tg: BotApiEmulator, village: Village, person: FakeUser, command: str) -> None:
    cursor = tg.mark()
    await tg.send(village.chat, person, command)
    await tg.wait_for(lambda c: c.method in ("sendMessage", "editMessageText"), after=cursor)


async def _item_id(database: Database, code: str, chat_id: int | None = None) -> int:
    """The id of the input with `code` (of the only village, or the one in `chat_id`)."""
    async with database.transaction() as session:
        query = select(SwotItem.id).where(
            SwotItem.quadrant == code[0], SwotItem.number == int(code[1:])
        )
        if chat_id is not None:
            query = query.join(Community, Community.id == SwotItem.community_id).where(
                Community.chat_id == chat_id
            )
        found = await session.scalar(query)
    assert found is not None
    return found


def _codes(page: Answer, quadrant: str) -> list[str]:
    """The codes shown in one quadrant, in the board's order."""
    section = page.text.split(f'id="swot-{quadrant}"', 1)[1].split("</section>", 1)[0]
    return re.findall(r'data-code="([SWOT]\d+)"', section)


def _entry(page: Answer, code: str) -> str:
    return page.text.split(f'data-code="{code}"', 1)[1].split("</li>", 1)[0]


async def _seed(tg: BotApiEmulator, village: Village) -> None:
    """S1 and S3 by Jānis, S2 by Anna, T1 by Jānis; Anna also agrees with S3."""
    for person, command in (
        (village.resident, "/strength Laba skola ciemā"),
        (village.admin, "/strength Mums ir laba pamatskola"),
        (village.resident, "/strength Tuvu pilsētai, tikai 20 km"),
        (village.resident, "/threat Jaunās ģimenes pārceļas uz pilsētu"),
    ):
        await _add(tg, village, person, command)
    await tg.settle(quiet=0.3)


async def test_without_a_round_the_board_says_how_to_start(
    tg: BotApiEmulator, village: Village, board: BoardClient, database: Database
) -> None:
    vid = await village_id(database, village.chat)
    resident = await board.get(village.resident, f"/board/api/v/{vid}/swot")
    assert resident.status == 200
    assert "SVID analīzes vēl nav." in resident.text
    assert "Pirmais ieraksts sāk 1. kārtu" in resident.text
    assert "aiciniet grupu" not in resident.text
    assert 'data-action="swot/add"' in resident.text
    leader = await board.get(village.admin, f"/board/api/v/{vid}/swot")
    assert "aiciniet grupu pievienot savus ierakstus" in leader.text


async def test_the_board_ranks_marks_ones_ratings_and_shows_hidden_inputs_to_leaders(
    tg: BotApiEmulator, village: Village, board: BoardClient, database: Database
) -> None:
    await _seed(tg, village)
    vid = await village_id(database, village.chat)
    s3 = await _item_id(database, "S3")
    assert (
        await board.post(village.admin, f"/board/api/v/{vid}/swot/{s3}/rate", {"choice": "agree"})
    ).status == 200
    t1 = await _item_id(database, "T1")
    assert (await board.post(village.admin, f"/board/api/v/{vid}/swot/{t1}/hide", {})).status == 200

    page = await board.get(village.resident, f"/board/api/v/{vid}/swot")
    assert page.status == 200
    assert "SVID analīze — Lejasciems" in page.text
    assert 'class="quadrants"' in page.text
    assert _codes(page, "S") == ["S3", "S1", "S2"]  # S3 has two agreements
    assert "Tuvu pilsētai, tikai 20 km" in _entry(page, "S3")
    assert "👍 2 👎 0" in _entry(page, "S3")
    # Jānis wrote S1 (so agrees with it) and has not rated S2.
    assert "Jūsu vērtējums: 👍 Piekrītu." in _entry(page, "S1")
    assert 'aria-pressed="true"' in _entry(page, "S1")
    assert "Jūsu vērtējums" not in _entry(page, "S2")
    assert 'aria-pressed="true"' not in _entry(page, "S2")
    # The hidden input and the leaders' tools are not the resident's.
    assert "Jaunās ģimenes" not in page.text
    assert "Apvienot, pārvietot, paslēpt" not in page.text
    assert _codes(page, "T") == []

    leader = await board.get(village.admin, f"/board/api/v/{vid}/swot")
    assert _codes(leader, "T") == ["T1"]
    assert "paslēpts no iedzīvotājiem" in _entry(leader, "T1")
    assert f'data-go="swot/{s3}"' in _entry(leader, "S3")
    assert "Jūsu vērtējums: 👍 Piekrītu." in _entry(leader, "S2")


async def test_a_member_rates_and_changes_the_rating(
    tg: BotApiEmulator, village: Village, board: BoardClient, database: Database
) -> None:
    await _seed(tg, village)
    vid = await village_id(database, village.chat)
    s2 = await _item_id(database, "S2")
    path = f"/board/api/v/{vid}/swot/{s2}/rate"
    agreed = await board.post(village.resident, path, {"choice": "agree"})
    assert agreed.status == 200
    assert "Jūsu S2 vērtējums: 👍 Piekrītu." in agreed.text
    page = await board.get(village.resident, f"/board/api/v/{vid}/swot")
    assert "👍 2 👎 0" in _entry(page, "S2")
    assert _codes(page, "S")[0] == "S2"  # two agreements; S1 and S3 have one

    changed = await board.post(village.resident, path, {"choice": "disagree"})
    assert changed.status == 200
    assert "Jūsu S2 vērtējums mainīts: 👎 Nepiekrītu." in changed.text
    page = await board.get(village.resident, f"/board/api/v/{vid}/swot")
    assert "👍 1 👎 1" in _entry(page, "S2")
    assert "Jūsu vērtējums: 👎 Nepiekrītu." in _entry(page, "S2")
    assert _codes(page, "S")[-1] == "S2"

    wrong = await board.post(village.resident, path, {"choice": "maybe"})
    assert wrong.status == 400
    assert "Izvēlieties „👍 Piekrītu” vai „👎 Nepiekrītu”." in wrong.text
    async with database.transaction() as session:
        votes = list(await session.scalars(select(SwotVote.choice).where(SwotVote.item_id == s2)))
    assert sorted(votes) == sorted([Choice.AGREE, Choice.DISAGREE])  # Anna's and Jānis's

    # A hidden input is no longer rated, on the board as in the chat.
    await board.post(village.admin, f"/board/api/v/{vid}/swot/{s2}/hide", {})
    refused = await board.post(village.resident, path, {"choice": "agree"})
    assert refused.status == 400
    assert "Šis ieraksts vairs netiek vērtēts." in refused.text


async def test_an_input_added_on_the_board_is_ranked_and_confirmed_in_the_group(
    tg: BotApiEmulator, village: Village, board: BoardClient, database: Database
) -> None:
    vid = await village_id(database, village.chat)
    before = len(tg.bot_messages(village.chat))
    added = await board.post(
        village.resident,
        f"/board/api/v/{vid}/swot/add",
        {"quadrant": "O", "text": "ES finansējums ciema projektiem"},
    )
    assert added.status == 200
    assert "Pievienots kā <b>O1</b>." in added.text
    await tg.settle(quiet=0.4)
    messages = tg.bot_messages(village.chat)
    assert len(messages) == before + 1
    assert messages[-1]["text"] == "✅ Pievienots SVID analīzei: O1 (Jānis). Tabula: /swot"

    # The next input of the burst, in the chat or on the board, joins the same message.
    await _add(tg, village, village.admin, "/opportunity Jauns veloceliņš gar upi")
    second = await board.post(
        village.admin,
        f"/board/api/v/{vid}/swot/add",
        {"quadrant": "O", "text": "Tūristi brauc skatīties upi"},
    )
    assert second.status == 200
    await tg.settle(quiet=0.4)
    assert len(tg.bot_messages(village.chat)) == before + 1
    shown = tg.message(village.chat.id, messages[-1]["message_id"])
    assert shown["text"] == (
        "✅ Pievienots SVID analīzei: O1 (Jānis), O2 (Anna Ozola), O3 (Anna Ozola). Tabula: /swot"
    )

    rated = await board.post(
        village.admin,
        f"/board/api/v/{vid}/swot/{await _item_id(database, 'O1')}/rate",
        {"choice": "agree"},
    )
    assert rated.status == 200
    page = await board.get(village.resident, f"/board/api/v/{vid}/swot")
    assert _codes(page, "O") == ["O1", "O2", "O3"]
    assert "👍 2 👎 0" in _entry(page, "O1")
    assert "Jūsu vērtējums: 👍 Piekrītu." in _entry(page, "O1")


async def test_bad_inputs_are_explained_and_nothing_is_stored(
    tg: BotApiEmulator, village: Village, board: BoardClient, database: Database
) -> None:
    vid = await village_id(database, village.chat)
    path = f"/board/api/v/{vid}/swot/add"
    empty = await board.post(village.resident, path, {"quadrant": "S", "text": "  "})
    assert empty.status == 400
    assert "notice-error" in empty.text
    short = await board.post(village.resident, path, {"quadrant": "S", "text": "Par īsu"})
    assert short.status == 400
    assert "10" in short.text
    long = await board.post(village.resident, path, {"quadrant": "S", "text": "ā" * 501})
    assert long.status == 400
    assert "500" in long.text
    part = await board.post(village.resident, path, {"quadrant": "X", "text": "Laba skola ciemā"})
    assert part.status == 400
    assert "Norādiet daļas burtu: S, W, O vai T." in part.text
    async with database.transaction() as session:
        assert await session.scalar(select(func.count()).select_from(SwotItem)) == 0


async def test_a_resident_is_refused_the_working_groups_tools(
    tg: BotApiEmulator, village: Village, board: BoardClient, database: Database
) -> None:
    await _seed(tg, village)
    vid = await village_id(database, village.chat)
    s1, s2 = await _item_id(database, "S1"), await _item_id(database, "S2")
    base = f"/board/api/v/{vid}/swot/{s2}"
    for path, fields in (
        (f"{base}/merge", {"target": str(s1)}),
        (f"{base}/move", {"quadrant": "O"}),
        (f"{base}/hide", {}),
        (f"{base}/unhide", {}),
    ):
        answer = await board.post(village.resident, path, fields)
        assert answer.status == 403, path
        assert "to var darīt tikai darba grupa" in answer.text
    assert (await board.get(village.resident, base)).status == 403
    async with database.transaction() as session:
        items = await session.scalars(select(SwotItem).order_by(SwotItem.id))
        assert [(i.code, i.live) for i in items] == [
            ("S1", True),
            ("S2", True),
            ("S3", True),
            ("T1", True),
        ]
        assert await session.scalar(select(func.count()).select_from(AuditEntry)) == 0


async def test_another_villages_inputs_are_not_found(
    tg: BotApiEmulator, village: Village, board: BoardClient, database: Database
) -> None:
    await _add(tg, village, village.resident, "/strength Laba skola ciemā")
    other = await new_village(tg, admin_last_name="Kalna")
    cursor = tg.mark()
    await tg.send(other.chat, other.resident, "/strength Sveša ciema stiprā puse")
    await tg.wait_for(lambda c: c.method == "sendMessage", after=cursor)
    await tg.settle(quiet=0.3)
    vid = await village_id(database, village.chat)
    mine = await _item_id(database, "S1", village.chat.id)
    foreign = await _item_id(database, "S1", other.chat.id)
    base = f"/board/api/v/{vid}/swot"
    rated = await board.post(village.resident, f"{base}/{foreign}/rate", {"choice": "agree"})
    assert rated.status == 404
    assert "Šis ieraksts vairs nav pašreizējā SVID analīzes kārtā." in rated.text
    for path, fields in (
        (f"{base}/{foreign}/hide", {}),
        (f"{base}/{foreign}/move", {"quadrant": "O"}),
        (f"{base}/{foreign}/merge", {"target": str(mine)}),
        (f"{base}/{mine}/merge", {"target": str(foreign)}),
    ):
        answer = await board.post(village.admin, path, fields)
        assert answer.status == 404, path
        assert "Šis ieraksts vairs nav pašreizējā SVID analīzes kārtā." in answer.text
    assert (await board.get(village.admin, f"{base}/{foreign}")).status == 404
    async with database.transaction() as session:
        assert await session.scalar(select(func.count()).select_from(SwotVote)) == 2
        items = list(await session.scalars(select(SwotItem)))
        assert all(item.live and item.quadrant == "S" for item in items)


async def test_a_leader_merges_moves_hides_and_shows_again(
    tg: BotApiEmulator, village: Village, board: BoardClient, database: Database
) -> None:
    await _seed(tg, village)
    vid = await village_id(database, village.chat)
    s1, s2, s3 = [await _item_id(database, code) for code in ("S1", "S2", "S3")]
    base = f"/board/api/v/{vid}/swot"

    tools = await board.get(village.admin, f"{base}/{s2}")
    assert tools.status == 200
    # The chat's question, as plain text for the confirmation dialog.
    assert (
        'data-confirm="Apvienot S2 ar S1?\nS2: „Mums ir laba pamatskola”\nS1: „Laba skola ciemā”\n'
        'S1 paliek, ar abu ierakstu balsīm un autoriem."'
    ) in tools.text
    assert f'name="target" value="{s1}"' in tools.text
    assert "Paslēpt šo? S2:" in tools.text
    assert "Pārvietot S2 uz daļu „iespējas”?" in tools.text

    merged = await board.post(village.admin, f"{base}/{s2}/merge", {"target": str(s1)})
    assert merged.status == 200
    assert "<b>S2</b> apvienots ar <b>S1</b>" in merged.text
    page = await board.get(village.resident, base)
    assert _codes(page, "S") == ["S1", "S3"]
    assert "👍 2 👎 0" in _entry(page, "S1")
    again = await board.post(village.admin, f"{base}/{s2}/merge", {"target": str(s3)})
    assert again.status == 400
    assert "S2 ir apvienots vai pārvietots: tagad tas ir S1." in again.text
    no_target = await board.post(village.admin, f"{base}/{s3}/merge", {"target": "x"})
    assert no_target.status == 400
    assert "Izvēlieties ierakstu, ar kuru to apvienot." in no_target.text

    moved = await board.post(village.admin, f"{base}/{s3}/move", {"quadrant": "O"})
    assert moved.status == 200
    assert "pārvietots uz daļu „iespējas”: tagad tā kods ir <b>O1</b>" in moved.text
    page = await board.get(village.resident, base)
    assert _codes(page, "S") == ["S1"]
    assert _codes(page, "O") == ["O1"]
    same = await board.post(village.admin, f"{base}/{s1}/move", {"quadrant": "S"})
    assert same.status == 400
    assert "S1 jau ir šajā daļā." in same.text

    hidden = await board.post(village.admin, f"{base}/{s1}/hide", {})
    assert hidden.status == 200
    assert "iedzīvotāji to vairs neredz" in hidden.text
    assert _codes(await board.get(village.resident, base), "S") == []
    tools = await board.get(village.admin, f"{base}/{s1}")
    assert "Vai atkal rādīt S1 iedzīvotājiem?" in tools.text
    assert "/merge" not in tools.text
    shown = await board.post(village.admin, f"{base}/{s1}/unhide", {})
    assert shown.status == 200
    assert "iedzīvotāji to atkal redz" in shown.text
    page = await board.get(village.resident, base)
    assert _codes(page, "S") == ["S1"]
    assert "👍 2 👎 0" in _entry(page, "S1")
    async with database.transaction() as session:
        actions = [e.action for e in await session.scalars(select(AuditEntry))]
    assert actions == ["swot_merge", "swot_move", "swot_hide", "swot_unhide"]
