"""Who may open the board: signed init data of a current member, of that village only."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.board import init_data
from bot.board.pages import render
from bot.db import Database
from bot.i18n import N_, Catalogs
from bot.resources import locales_dir
from bot.testing import BotApiEmulator
from bot.testing.board import BoardClient, signed
from tests.board.conftest import village_id
from tests.conftest import Village, new_village


async def test_a_member_sees_the_frame_and_the_ideas(
    tg: BotApiEmulator, village: Village, board: BoardClient, database: Database
) -> None:
    await tg.ask(village.chat, village.resident, "/idea Ūdens tornis jāsalabo")
    vid = await village_id(database, village.chat)
    frame = await board.get(village.resident, f"/board/api/frame?start=v{vid}")
    assert frame.status == 200
    assert "Lejasciems" in frame.text
    assert 'data-lang="lv"' in frame.text
    listed = await board.get(village.resident, f"/board/api/v/{vid}/ideas?q=udens")
    assert listed.status == 200
    assert "Ūdens tornis" in listed.text
    missed = await board.get(village.resident, f"/board/api/v/{vid}/ideas?q=skola")
    assert "Ūdens tornis" not in missed.text


async def test_without_init_data_or_with_a_forged_one_nothing_is_shown(
    tg: BotApiEmulator, village: Village, board: BoardClient, database: Database
) -> None:
    vid = await village_id(database, village.chat)
    path = f"/board/api/v/{vid}/ideas"
    assert (await board.get(None, path)).status == 401
    assert (await board.get(None, f"/board/api/frame?start=v{vid}")).status == 401
    forged = signed("123:not-the-token", village.resident)
    assert (await board.get(None, path, headers={"Authorization": f"tma {forged}"})).status == 401
    stale = init_data.sign(
        tg.token,
        telegram_id=village.resident.id,
        first_name="Jānis",
        auth_date=datetime.now(UTC) - timedelta(days=2),
    )
    assert (await board.get(None, path, headers={"Authorization": f"tma {stale}"})).status == 401


async def test_another_villages_member_is_refused(
    tg: BotApiEmulator, village: Village, board: BoardClient, database: Database
) -> None:
    other = await new_village(tg)
    vid = await village_id(database, village.chat)
    answer = await board.get(other.resident, f"/board/api/v/{vid}/ideas")
    assert answer.status == 403
    assert "Tikai" in answer.text or "ciema" in answer.text
    assert (await board.get(village.resident, "/board/api/v/99999/ideas")).status == 404


async def test_the_frame_opens_on_the_latest_village_without_a_start_parameter(
    tg: BotApiEmulator, village: Village, board: BoardClient, database: Database
) -> None:
    """The private chat's menu button opens the board with no village named."""
    await tg.ask(village.chat, village.resident, "/ideas")
    frame = await board.get(village.resident, "/board/api/frame")
    assert frame.status == 200
    assert f'data-village="{await village_id(database, village.chat)}"' in frame.text
    stranger = tg.user("Svešinieks")
    refused = await board.get(stranger, "/board/api/frame")
    assert refused.status == 403
    assert "Atveriet to no sava ciema grupas" in refused.text or "Open it" in refused.text


async def test_a_member_the_bot_has_not_seen_yet_is_let_in_by_telegram(
    tg: BotApiEmulator, village: Village, board: BoardClient, database: Database
) -> None:
    """Someone in the group who never wrote there: Telegram says they are a member."""
    quiet = tg.user("Klusā Marta")
    village.chat.members[quiet.id] = "member"
    vid = await village_id(database, village.chat)
    answer = await board.get(quiet, f"/board/api/v/{vid}/ideas")
    assert answer.status == 200


def test_a_translated_text_is_escaped_once_on_the_board() -> None:
    """A message with a resident's words in it reads as they wrote them."""
    translator = Catalogs.load(locales_dir()).translator("en")
    text = translator._(N_("Idea #{number} is hidden already."), number="<5 & 6>")
    html = render("notice.html", translator, text=text)
    assert "#&lt;5 &amp; 6&gt;" in html
    assert "&amp;lt;" not in html
