"""Files the console saves: a new run never writes over what an earlier run saved."""

from __future__ import annotations

from pathlib import Path

from bot.console import Transcript
from bot.console.files import FileShelf
from bot.testing import BotApiEmulator, Params
from bot.testing.params import Upload
from tests.console.test_transcript import PNG


def test_a_new_run_goes_on_numbering_after_the_files_already_there(tmp_path: Path) -> None:
    folder = tmp_path / "villagebot-console-files"
    first = FileShelf(folder)
    assert first.save("export.xlsx", b"run 1") == folder / "001-export.xlsx"
    assert first.save("meeting.ics", b"run 1 ics") == folder / "002-meeting.ics"
    (folder / "notes.txt").write_bytes(b"mine")  # a file of the person's own stays too

    second = FileShelf(folder)  # the next `villagebot console`
    assert second.save("export.xlsx", b"run 2") == folder / "003-export.xlsx"
    assert second.save("plan 2027.docx", b"run 2 plan") == folder / "004-plan_2027.docx"
    assert (folder / "001-export.xlsx").read_bytes() == b"run 1"
    assert (folder / "002-meeting.ics").read_bytes() == b"run 1 ics"
    assert (folder / "notes.txt").read_bytes() == b"mine"


def test_a_name_another_console_took_meanwhile_is_skipped(tmp_path: Path) -> None:
    shelf = FileShelf(tmp_path)
    assert shelf.save("picture.png", b"a") == tmp_path / "001-picture.png"
    (tmp_path / "002-picture.png").write_bytes(b"the other console's")
    assert shelf.save("picture.png", b"b") == tmp_path / "003-picture.png"
    assert (tmp_path / "002-picture.png").read_bytes() == b"the other console's"


async def test_the_transcript_keeps_an_earlier_runs_picture(
    tg: BotApiEmulator, tmp_path: Path
) -> None:
    anna = tg.user("Anna")
    await tg.private(anna, "/start")
    (tmp_path / "001-picture.png").write_bytes(b"an earlier run's chart")
    transcript = Transcript(tg, tmp_path)
    await tg.call(
        "sendPhoto",
        Params({"chat_id": anna.id}, {"photo": Upload("chart.png", PNG, "image/png")}),
    )
    assert f"[picture saved to {tmp_path / '002-picture.png'}]" in transcript.new_lines()
    assert (tmp_path / "001-picture.png").read_bytes() == b"an earlier run's chart"
    assert (tmp_path / "002-picture.png").read_bytes() == PNG
