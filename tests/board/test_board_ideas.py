"""Ideas on the board: an idea's page as a resident and as a leader, and every action there
(support, comment, a leader's status, area, owner, cost, funding, progress, hiding) with its
effect in the database and in the chat, as the card's buttons and /status have it."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update

from bot.db import Database
from bot.models import Idea, IdeaArea, IdeaComment, IdeaStatus, User
from bot.testing import BotApiEmulator
from bot.testing.board import BoardClient
from tests.board.conftest import village_id
from tests.conftest import Village, new_village

# Calls that change nothing in a chat.
READS = {"getUpdates", "getChatAdministrators", "getChatMember"}
PLAYGROUND = "Jauns rotaļu laukums pie skolas"
BENCHES = "Soliņi gar upes krastu pie tilta"


async def _posted(tg: BotApiEmulator, village: Village, text: str = PLAYGROUND) -> dict[str, Any]:
    """An idea posted in the group by the resident: its card (its place stored)."""
    card = await tg.ask(village.chat, village.resident, f"/idea {text}")
    await tg.settle(quiet=0.2)
    return card


async def _settled_card(tg: BotApiEmulator, card: dict[str, Any]) -> dict[str, Any]:
    """The card after pending (coalesced) edits went out."""
    await tg.settle(quiet=0.4)
    return tg.message(card["chat"]["id"], card["message_id"])


async def _idea(database: Database, vid: int, number: int = 1) -> Idea:
    async with database.transaction() as session:
        idea = await session.scalar(
            select(Idea).where(Idea.community_id == vid, Idea.number == number)
        )
    assert idea is not None
    return idea


async def _user_id(database: Database, telegram_id: int) -> int:
    async with database.transaction() as session:
        found = await session.scalar(select(User.id).where(User.telegram_id == telegram_id))
    assert found is not None
    return found


async def test_the_page_for_a_resident_and_for_a_leader(
    tg: BotApiEmulator, village: Village, board: BoardClient, database: Database
) -> None:
    card = await _posted(tg, village)
    await tg.ask(village.chat, village.admin, "/ideaset 1 cost 1200")
    await tg.ask(village.chat, village.admin, "/ideaset 1 progress 40")
    await tg.send(village.chat, village.admin, "Runāšu ar pašvaldību.", reply_to=card)
    await tg.settle(quiet=0.3)
    vid = await village_id(database, village.chat)
    page = await board.get(village.resident, f"/board/api/v/{vid}/idea/1")
    assert page.status == 200
    for shown in (
        "Ideja #1",
        PLAYGROUND,
        "Jānis",
        "vēl nav izvēlēta",
        "Jauna",
        "€</dd>",
        'aria-valuenow="40"',
        "40%",
        "Runāšu ar pašvaldību.",
        "Anna Ozola · ",
        "1 komentārs",
        'data-action="ideas/1/support"',
        'data-action="ideas/1/comment"',
    ):
        assert shown in page.text, shown
    assert 'data-action="ideas/1/status"' not in page.text
    assert 'data-action="ideas/1/hide"' not in page.text
    leader = await board.get(village.admin, f"/board/api/v/{vid}/idea/1")
    assert leader.status == 200
    for form in ("status", "area", "owner", "cost", "funding", "progress", "hide"):
        assert f'data-action="ideas/1/{form}"' in leader.text, form
    assert 'name="cost" inputmode="decimal" value="1200"' in leader.text
    # The owner is chosen from the village's current members.
    assert f'<option value="{await _user_id(database, village.resident.id)}">Jānis' in leader.text
    # An idea posted without a name shows "a resident", as the card does.
    async with database.transaction() as session:
        await session.execute(update(Idea).where(Idea.community_id == vid).values(anonymous=True))
    anonymous = await board.get(village.admin, f"/board/api/v/{vid}/idea/1")
    assert "iedzīvotājs" in anonymous.text
    assert "Jānis</dd>" not in anonymous.text
    # A number the village has not reached.
    missing = await board.get(village.resident, f"/board/api/v/{vid}/idea/7")
    assert missing.status == 404
    assert "Šajā ciema grupā nav idejas #7." in missing.text


async def test_a_hidden_idea_is_for_leaders_only(
    tg: BotApiEmulator, village: Village, board: BoardClient, database: Database
) -> None:
    card = await _posted(tg, village)
    vid = await village_id(database, village.chat)
    refused = await board.post(village.resident, f"/board/api/v/{vid}/ideas/1/hide")
    assert refused.status == 403
    assert not (await _idea(database, vid)).hidden
    hidden = await board.post(village.admin, f"/board/api/v/{vid}/ideas/1/hide")
    assert hidden.status == 200
    assert "🙈 <b>Ideja #1</b>: iedzīvotāji to vairs neredz." in hidden.text
    assert (await _idea(database, vid)).hidden
    card = await _settled_card(tg, card)
    assert card["text"] == "💡 Ideju #1 darba grupa paslēpa."
    assert (await board.get(village.resident, f"/board/api/v/{vid}/idea/1")).status == 404
    listed = await board.get(village.resident, f"/board/api/v/{vid}/ideas")
    assert PLAYGROUND not in listed.text
    support = await board.post(village.resident, f"/board/api/v/{vid}/ideas/1/support")
    assert support.status == 404
    seen = await board.get(village.admin, f"/board/api/v/{vid}/idea/1")
    assert seen.status == 200
    assert 'data-action="ideas/1/unhide"' in seen.text
    assert 'data-action="ideas/1/status"' not in seen.text
    # Only showing it again is done to a hidden idea (as in the chat).
    status = await board.post(
        village.admin, f"/board/api/v/{vid}/ideas/1/status", {"status": "accepted"}
    )
    assert status.status == 404
    shown = await board.post(village.admin, f"/board/api/v/{vid}/ideas/1/unhide")
    assert shown.status == 200
    assert "↩ <b>Ideja #1</b>: iedzīvotāji to atkal redz." in shown.text
    card = await _settled_card(tg, card)
    assert card["text"].startswith("💡 Ideja #1\n" + PLAYGROUND)
    assert (await board.get(village.resident, f"/board/api/v/{vid}/idea/1")).status == 200


async def test_support_from_the_board_changes_the_card(
    tg: BotApiEmulator, village: Village, board: BoardClient, database: Database
) -> None:
    card = await _posted(tg, village)
    vid = await village_id(database, village.chat)
    path = f"/board/api/v/{vid}/ideas/1/support"
    supported = await board.post(village.admin, path)
    assert supported.status == 200
    assert "👍 Jūs atbalstāt ideju #1." in supported.text
    card = await _settled_card(tg, card)
    assert "👍 1 atbalsts" in card["text"]
    assert (await _idea(database, vid)).support_count == 1
    page = await board.get(village.admin, f"/board/api/v/{vid}/idea/1")
    assert "↩ Atsaukt savu atbalstu (1)" in page.text
    listed = await board.get(village.admin, f"/board/api/v/{vid}/ideas")
    assert "↩ Atsaukt savu atbalstu (1)" in listed.text
    taken_back = await board.post(village.admin, path)
    assert "Jūs vairs neatbalstāt ideju #1." in taken_back.text
    card = await _settled_card(tg, card)
    assert "👍 0 atbalstu" in card["text"]
    # A rejected idea can no longer be supported, on the board as on the card.
    await board.post(
        village.admin,
        f"/board/api/v/{vid}/ideas/1/status",
        {"status": "rejected", "reason": "Zeme pieder dzelzceļam"},
    )
    closed = await board.post(village.resident, path)
    assert closed.status == 400
    assert "Šo ideju vairs nevar atbalstīt." in closed.text
    assert (await _idea(database, vid)).support_count == 0
    page = await board.get(village.resident, f"/board/api/v/{vid}/idea/1")
    assert 'data-action="ideas/1/support"' not in page.text


async def test_a_comment_shows_on_the_page_and_the_card(
    tg: BotApiEmulator, village: Village, board: BoardClient, database: Database
) -> None:
    card = await _posted(tg, village)
    vid = await village_id(database, village.chat)
    path = f"/board/api/v/{vid}/ideas/1/comment"
    added = await board.post(village.admin, path, {"text": "  Runāšu ar <b>pašvaldību</b>.  "})
    assert added.status == 200
    assert "Jūsu komentārs pievienots idejai #1." in added.text
    page = await board.get(village.resident, f"/board/api/v/{vid}/idea/1")
    assert "Runāšu ar &lt;b&gt;pašvaldību&lt;/b&gt;." in page.text
    assert "Anna Ozola · " in page.text
    card = await _settled_card(tg, card)
    assert "💬 1 komentārs" in card["text"]
    empty = await board.post(village.resident, path, {"text": "   "})
    assert empty.status == 400
    assert "Lūdzu, uzrakstiet mazliet vairāk" in empty.text
    long = await board.post(village.resident, path, {"text": "ā" * 1200})
    assert long.status == 400
    assert "Tas ir par garu: ne vairāk kā 1000 rakstzīmes, bet šeit ir 1200." in long.text
    async with database.transaction() as session:
        comments = list(await session.scalars(select(IdeaComment.text)))
    assert comments == ["Runāšu ar <b>pašvaldību</b>."]


async def test_a_leaders_status_change_is_announced(
    tg: BotApiEmulator, village: Village, board: BoardClient, database: Database
) -> None:
    await tg.ask(village.resident, village.resident, "/start")
    card = await _posted(tg, village)
    vid = await village_id(database, village.chat)
    path = f"/board/api/v/{vid}/ideas/1/status"
    cursor = tg.mark()
    changed = await board.post(village.admin, path, {"status": "accepted", "reason": ""})
    assert changed.status == 200
    assert "Ideja #1 tagad: <b>Pieņemta</b>." in changed.text
    announcement = await tg.next_message(village.chat, after=cursor)
    assert announcement["text"] == (
        "✅ Darba grupa pieņēma ideju #1: „Jauns rotaļu laukums pie skolas”. Paldies, Jānis!"
    )
    notice = await tg.next_message(village.resident, after=cursor)
    assert notice["text"] == (
        "Jūsu ideja #1 grupā Lejasciems („Jauns rotaļu laukums pie skolas”) tagad: Pieņemta."
    )
    card = await _settled_card(tg, card)
    assert "Statuss: Pieņemta" in card["text"]
    page = await board.get(village.resident, f"/board/api/v/{vid}/idea/1")
    assert "Pieņemta</li>" in page.text
    # A rejection needs its reason; with it, the reason is in the history and the notice.
    no_reason = await board.post(village.admin, path, {"status": "rejected", "reason": " "})
    assert no_reason.status == 400
    assert "Lūdzu, norādiet noraidīšanas iemeslu" in no_reason.text
    assert (await _idea(database, vid)).status == IdeaStatus.ACCEPTED
    same = await board.post(village.admin, path, {"status": "accepted"})
    assert same.status == 400
    assert "Idejai #1 jau ir šis statuss." in same.text
    cursor = tg.mark()
    await board.post(
        village.admin, path, {"status": "rejected", "reason": "Zeme pieder dzelzceļam"}
    )
    rejected = await tg.next_message(village.resident, after=cursor)
    assert rejected["text"].endswith("tagad: Noraidīta.\nIemesls: Zeme pieder dzelzceļam")
    page = await board.get(village.resident, f"/board/api/v/{vid}/idea/1")
    assert "Noraidīta — Zeme pieder dzelzceļam" in page.text


async def test_residents_cannot_change_what_leaders_change(
    tg: BotApiEmulator, village: Village, board: BoardClient, database: Database
) -> None:
    card = await _posted(tg, village)
    vid = await village_id(database, village.chat)
    before = await _idea(database, vid)
    cursor = tg.mark()
    for action, form in (
        ("status", {"status": "accepted"}),
        ("area", {"area": "economy"}),
        ("owner", {"owner": ""}),
        ("cost", {"cost": "100"}),
        ("funding", {"funding": "LEADER"}),
        ("progress", {"progress": "50"}),
        ("hide", {}),
        ("unhide", {}),
    ):
        refused = await board.post(village.resident, f"/board/api/v/{vid}/ideas/1/{action}", form)
        assert refused.status == 403, action
        assert "Atvainojiet, to var darīt tikai darba grupa" in refused.text
    after = await _idea(database, vid)
    assert (after.status, after.area, after.cost_cents, after.funding_source, after.progress) == (
        before.status,
        before.area,
        before.cost_cents,
        before.funding_source,
        before.progress,
    )
    await tg.settle(quiet=0.3)
    assert [c.method for c in tg.calls[cursor:] if c.method not in READS] == []
    assert tg.message(village.chat.id, card["message_id"])["text"] == card["text"]


async def test_another_villages_idea_is_not_reached(
    tg: BotApiEmulator, village: Village, board: BoardClient, database: Database
) -> None:
    await _posted(tg, village)
    other = await new_village(tg)
    await tg.ask(other.chat, other.resident, f"/idea {PLAYGROUND}")
    await tg.ask(other.chat, other.resident, f"/idea {BENCHES}")
    vid = await village_id(database, village.chat)
    other_vid = await village_id(database, other.chat)
    assert (await board.get(village.resident, f"/board/api/v/{vid}/idea/2")).status == 404
    for action, form in (("support", {}), ("comment", {"text": "Labi!"})):
        answer = await board.post(village.resident, f"/board/api/v/{vid}/ideas/2/{action}", form)
        assert answer.status == 404, action
    status = await board.post(
        village.admin, f"/board/api/v/{vid}/ideas/2/status", {"status": "accepted"}
    )
    assert status.status == 404
    # Their own village's ids in another's path: not a member there.
    assert (await board.get(village.resident, f"/board/api/v/{other_vid}/idea/2")).status == 403
    theirs = await _idea(database, other_vid, 2)
    assert (theirs.support_count, theirs.comment_count, theirs.status) == (0, 0, IdeaStatus.NEW)


async def test_leaders_set_area_owner_cost_funding_and_progress(
    tg: BotApiEmulator, village: Village, board: BoardClient, database: Database
) -> None:
    card = await _posted(tg, village)
    vid = await village_id(database, village.chat)
    path = f"/board/api/v/{vid}/ideas/1"
    area = await board.post(village.admin, f"{path}/area", {"area": "environment"})
    assert area.status == 200
    assert "🏷 Joma: Vide un enerģija" in area.text
    card = await _settled_card(tg, card)
    assert "🏷 Vide un enerģija" in card["text"]
    resident_id = await _user_id(database, village.resident.id)
    owner = await board.post(village.admin, f"{path}/owner", {"owner": str(resident_id)})
    assert "Atbildīgais: Jānis" in owner.text
    cost = await board.post(village.admin, f"{path}/cost", {"cost": "1 200,50"})
    assert cost.status == 200
    funding = await board.post(village.admin, f"{path}/funding", {"funding": "LEADER programma"})
    assert "LEADER programma" in funding.text
    await board.post(village.admin, f"{path}/status", {"status": "progress"})
    progress = await board.post(village.admin, f"{path}/progress", {"progress": "40"})
    assert progress.status == 200
    idea = await _idea(database, vid)
    assert (idea.area, idea.owner_id, idea.cost_cents, idea.funding_source, idea.progress) == (
        IdeaArea.ENVIRONMENT,
        resident_id,
        120050,
        "LEADER programma",
        40,
    )
    page = await board.get(village.admin, f"/board/api/v/{vid}/idea/1")
    assert 'value="1200.5"' in page.text
    assert f'<option value="{resident_id}" selected>Jānis' in page.text
    listed = await board.get(village.resident, f"/board/api/v/{vid}/ideas")
    for shown in ("Atbildīgais: Jānis", "Izmaksu tāme:", 'aria-valuenow="40"', "40%"):
        assert shown in listed.text, shown
    # Wrong values are explained; nothing changes.
    for action, form, told in (
        ("cost", {"cost": "daudz"}, "nav summa eiro"),
        ("progress", {"progress": "150"}, "Izpildi norāda procentos no 0 līdz 100"),
        ("funding", {"funding": ""}, "Lūdzu, uzrakstiet mazliet vairāk"),
        ("owner", {"owner": "999999"}, "Šī persona tagad nav ciema grupas dalībnieks."),
        ("area", {"area": "space"}, "Norādiet jomu"),
    ):
        wrong = await board.post(village.admin, f"{path}/{action}", form)
        assert wrong.status in (400, 404), action
        assert told in wrong.text, (action, wrong.text)
    # An owner who left the group stays chosen until a leader picks another.
    await tg.leave(village.chat, village.resident)
    await tg.settle(quiet=0.3)
    page = await board.get(village.admin, f"/board/api/v/{vid}/idea/1")
    assert f'<option value="{resident_id}" selected>Jānis' in page.text
    nobody = await board.post(village.admin, f"{path}/owner", {"owner": ""})
    assert nobody.status == 200
    idea = await _idea(database, vid)
    assert (idea.owner_id, idea.cost_cents, idea.progress) == (None, 120050, 40)


async def test_the_list_filters_and_orders(
    tg: BotApiEmulator, village: Village, board: BoardClient, database: Database
) -> None:
    await _posted(tg, village)
    await _posted(tg, village, "Ūdens tornis jāsalabo")
    vid = await village_id(database, village.chat)
    await board.post(village.admin, f"/board/api/v/{vid}/ideas/1/support")
    await board.post(village.admin, f"/board/api/v/{vid}/ideas/2/area", {"area": "economy"})
    by_supports = await board.get(village.resident, f"/board/api/v/{vid}/ideas")
    assert by_supports.text.index(PLAYGROUND) < by_supports.text.index("Ūdens")
    newest = await board.get(village.resident, f"/board/api/v/{vid}/ideas?order=newest")
    assert newest.text.index("Ūdens") < newest.text.index(PLAYGROUND)
    no_area = await board.get(village.resident, f"/board/api/v/{vid}/ideas?area=none")
    assert PLAYGROUND in no_area.text
    assert "Ūdens" not in no_area.text
    found = await board.get(village.resident, f"/board/api/v/{vid}/ideas?q=UDENS&status=new")
    assert "Ūdens" in found.text
    assert PLAYGROUND not in found.text
