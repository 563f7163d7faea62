"""The export: one table per kind of record, written as an .xlsx workbook and as UTF-8 CSV files
in a zip; opened again and checked against the database."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import docx
import openpyxl
from sqlalchemy import func, select

from bot.db import Database
from bot.i18n import Catalogs
from bot.models import (
    Idea,
    IdeaStatus,
    IdeaSupport,
    MeetingRsvp,
    PollOption,
    PollVote,
    SwotItem,
    utcnow,
)
from bot.render import digest as digest_render
from bot.render import plan as plan_render
from bot.render import spreadsheet
from bot.resources import locales_dir
from bot.services import digest, export, ideas, plan, victories
from tests.services.desk_world import budget_rounds, build, person

RIGA = ZoneInfo("Europe/Riga")
CATALOGS = Catalogs.load(locales_dir())


async def _tables(db: Database) -> list[export.Table]:
    async with db.transaction() as session:
        world = await build(session)
        return await export.tables(session, world.village)


def _sheet(book: openpyxl.Workbook, title: str) -> list[tuple[object, ...]]:
    return [tuple(row) for row in book[title].iter_rows(values_only=True)]


async def test_every_kind_of_record_is_a_table(db: Database) -> None:
    tables = await _tables(db)
    assert [t.title for t in tables] == [
        "Ideas",
        "Supports",
        "Comments",
        "Idea history",
        "SWOT inputs",
        "Polls",
        "Poll options",
        "Poll votes",
        "Meetings",
        "RSVPs",
        "Minutes",
        "Victories",
        "Decisions",
        "Budget rounds",
        "Budget ideas",
        "Budget ballots",
    ]
    for table in tables:
        assert all(len(row) == len(table.columns) for row in table.rows), table.title


async def test_the_workbook_matches_the_database(db: Database) -> None:
    tables = await _tables(db)
    t = CATALOGS.translator("lv")
    content = spreadsheet.xlsx(t, tables, RIGA, "Lejasciems")
    book = openpyxl.load_workbook(io.BytesIO(content))
    assert book.sheetnames[:4] == ["Idejas", "Atbalsti", "Komentāri", "Ideju vēsture"]
    ideas = _sheet(book, "Idejas")
    assert ideas[0][:6] == ("Numurs", "Ideja", "Joma", "Statuss", "Autors", "Atbalsti")
    async with db.transaction() as session:
        stored = list(await session.scalars(select(Idea).order_by(Idea.number)))
        supports = await session.scalar(select(func.count()).select_from(IdeaSupport))
        votes = await session.scalar(select(func.count()).select_from(PollVote))
        rsvps = await session.scalar(select(func.count()).select_from(MeetingRsvp))
        items = await session.scalar(select(func.count()).select_from(SwotItem))
        options = list(await session.scalars(select(PollOption).order_by(PollOption.id)))
    assert [row[0] for row in ideas[1:]] == [idea.number for idea in stored]
    assert [row[1] for row in ideas[1:]] == [idea.text for idea in stored]
    first = ideas[1]
    assert first[2:6] == ("Kopiena un kultūra", "Pieņemta", "Jānis", 2)
    assert first[7:12] == ("Anna Ozola", 1200.5, "LEADER programma", 10, "Nē")
    assert isinstance(first[12], datetime)
    assert ideas[3][4] == "iedzīvotājs"  # posted without a name
    assert ideas[4][11] == "Jā"  # hidden, and marked so
    sheet = book["Idejas"]
    assert sheet.freeze_panes == "A2"
    assert (
        sheet.auto_filter.ref == f"A1:{sheet.cell(1, sheet.max_column).column_letter}{len(ideas)}"
    )
    assert sheet["A1"].font.bold
    assert sheet["I2"].number_format == "#,##0.00"
    assert sheet["M2"].number_format == "dd.mm.yyyy hh:mm"
    assert sheet.column_dimensions["B"].width >= 30
    assert sheet.column_dimensions["A"].width < 15
    assert len(_sheet(book, "Atbalsti")) - 1 == supports
    comments = _sheet(book, "Komentāri")
    assert book["Komentāri"]["C3"].data_type == "s"  # "=HYPERLINK(…)" stays text
    assert comments[2][2].startswith("=HYPERLINK")
    assert len(_sheet(book, "SVID ieraksti")) - 1 == items
    assert len(_sheet(book, "Atbildes uz ielūgumiem")) - 1 == rsvps
    option_rows = _sheet(book, "Aptauju atbilžu varianti")[1:]
    assert [(r[2], r[3], r[4], r[5]) for r in option_rows] == [
        (o.text, o.online_count, o.offline_count, o.online_count + o.offline_count) for o in options
    ]
    # Who voted: public polls only, never the anonymous one.
    poll_votes = _sheet(book, "Balsis aptaujās")[1:]
    assert len(poll_votes) == votes == 3
    assert {r[1] for r in poll_votes} == {"Kur likt soliņu?"}
    decisions = _sheet(book, "Lēmumi")
    assert decisions[1][3] == datetime(2027, 6, 1)  # a date cell
    assert book["Lēmumi"]["D2"].number_format == "dd.mm.yyyy"


async def test_the_csv_files_open_with_latvian_text(db: Database, tmp_path: Path) -> None:
    tables = await _tables(db)
    t = CATALOGS.translator("lv")
    archive = zipfile.ZipFile(io.BytesIO(spreadsheet.csv_zip(t, tables, RIGA)))
    names = archive.namelist()
    assert names[0] == "01 Idejas.csv"
    assert len(names) == len(tables)
    raw = archive.read("01 Idejas.csv")
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs for UTF-8
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["Numurs", "Ideja", "Joma"]
    assert rows[1][:5] == [
        "1",
        "Jauns rotaļu laukums pie skolas",
        "Kopiena un kultūra",
        "Pieņemta",
        "Jānis",
    ]
    assert rows[1][8] == "1200,50"
    assert len(rows[1][12]) == len("2026-11-25 17:05")
    comments = list(
        csv.reader(io.StringIO(archive.read("03 Komentāri.csv").decode("utf-8-sig")), delimiter=";")
    )
    assert comments[2][2].startswith("'=HYPERLINK")  # never a formula


async def test_english_headers_and_separators(db: Database) -> None:
    tables = await _tables(db)
    t = CATALOGS.translator("en")
    book = openpyxl.load_workbook(io.BytesIO(spreadsheet.xlsx(t, tables, RIGA, "Lejasciems")))
    assert book.sheetnames[0] == "Ideas"
    assert _sheet(book, "Ideas")[1][3] == "Accepted"
    assert book["Ideas"]["M2"].number_format == "yyyy-mm-dd hh:mm"
    archive = zipfile.ZipFile(io.BytesIO(spreadsheet.csv_zip(t, tables, RIGA)))
    rows = list(csv.reader(io.StringIO(archive.read("01 Ideas.csv").decode("utf-8-sig"))))
    assert rows[1][8] == "1200.50"
    assert date.fromisoformat(rows[1][12][:10])


FORMULA_LIKE = ["=1+1", "+371 2000", "- sarakstā", "-2+3", "@SUM(A1)", "\tTab", "\rCR"]


def _formula_table() -> export.Table:
    return export.Table(
        "Comments",
        export._columns(("Comment", "long"), ("Score", "int")),
        [(text, -1) for text in [*FORMULA_LIKE, "Parasts teksts"]],
    )


def test_every_formula_like_text_is_escaped_in_the_csv() -> None:
    t = CATALOGS.translator("en")
    archive = zipfile.ZipFile(io.BytesIO(spreadsheet.csv_zip(t, [_formula_table()], RIGA)))
    text = archive.read(archive.namelist()[0]).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))[1:]
    assert [row[0] for row in rows] == ["'" + s for s in FORMULA_LIKE] + ["Parasts teksts"]
    assert {row[1] for row in rows} == {"-1"}  # a negative number is a number


def test_every_formula_like_text_stays_text_in_the_workbook() -> None:
    t = CATALOGS.translator("en")
    content = spreadsheet.xlsx(t, [_formula_table()], RIGA, "Lejasciems")
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    cells = [sheet.cell(row, 1) for row in range(2, len(FORMULA_LIKE) + 3)]
    assert [c.value for c in cells] == [*FORMULA_LIKE, "Parasts teksts"]
    assert all(c.data_type == "s" for c in cells)
    assert [c.quotePrefix for c in cells] == [True] * len(FORMULA_LIKE) + [False]
    assert sheet.cell(2, 2).value == -1


def _docx_text(content: bytes) -> str:
    document = docx.Document(io.BytesIO(content))
    cells = [c.text for table in document.tables for row in table.rows for c in row.cells]
    props = document.core_properties
    return "\n".join([p.text for p in document.paragraphs] + cells + [props.author, props.title])


async def test_an_idea_posted_without_a_name_names_no_one_anywhere(db: Database) -> None:
    """Klāvs posts an idea without his name; it is discussed, done and celebrated. Neither the
    workbook, the CSV files, the development plan nor the digest says who he is."""
    async with db.transaction() as session:
        world = await build(session)
        klavs = await person(session, world.village, 1099, "Klāvs", "Slepenais", "klavs_s")
        idea = await ideas.submit(
            session, world.village, klavs, "Suņu laukums aiz veikala", anonymous=True
        )
        await ideas.toggle_support(session, idea, world.janis)
        await ideas.toggle_support(session, idea, klavs)  # his own: a press nobody sees
        for status in (IdeaStatus.DISCUSSION, IdeaStatus.ACCEPTED, IdeaStatus.DONE):
            await ideas.set_status(session, idea, world.anna, status)
        await victories.from_idea(session, idea, world.anna)
        tables = await export.tables(session, world.village)
        draft = await plan.draft(session, world.village, utcnow())
        since = world.village.created_at
        data = await digest.collect(session, world.village, since, utcnow())
    secrets = ("Klāvs", "Slepenais", "klavs_s")
    for language in ("lv", "en", "ru"):
        t = CATALOGS.translator(language)
        book = openpyxl.load_workbook(io.BytesIO(spreadsheet.xlsx(t, tables, RIGA, "L")))
        for sheet in book.worksheets:
            for row in sheet.iter_rows(values_only=True):
                assert not any(s in str(cell) for cell in row for s in secrets), row
        archive = zipfile.ZipFile(io.BytesIO(spreadsheet.csv_zip(t, tables, RIGA)))
        for name in archive.namelist():
            text = archive.read(name).decode("utf-8-sig")
            assert not any(s in text for s in secrets), name
        document = _docx_text(plan_render.docx(t, draft, RIGA, utcnow(), "monthly"))
        assert "Suņu laukums aiz veikala" in document
        assert not any(s in document for s in secrets)
        news = digest_render.digest(t, "Lejasciems", data, None, RIGA)
        assert "Suņu laukums aiz veikala" in news
        assert not any(s in news for s in secrets)
    book = openpyxl.load_workbook(
        io.BytesIO(spreadsheet.xlsx(CATALOGS.translator("en"), tables, RIGA, "L"))
    )
    history = [row for row in _sheet(book, "Idea history") if row[0] == idea.number]
    assert [row[3] for row in history] == ["a resident", "Anna Ozola", "Anna Ozola", "Anna Ozola"]
    celebrated = [row for row in _sheet(book, "Victories") if row[5] == idea.number]
    assert [row[1] for row in celebrated] == ["a resident"]


async def test_the_export_holds_each_budget_round_and_every_ballot_without_names(
    db: Database,
) -> None:
    """/export's budget files: both rounds (counted and being voted on), every ballot by its
    number with its choices and whether it came on paper, and nobody's name or Telegram id."""
    async with db.transaction() as session:
        world = await build(session)
        await budget_rounds(session, world)
        tables = await export.tables(session, world.village)
        voters = [world.anna, world.janis, world.zelma, world.ilze]
    t = CATALOGS.translator("lv")
    archive = zipfile.ZipFile(io.BytesIO(spreadsheet.csv_zip(t, tables, RIGA)))

    def rows(name: str) -> list[list[str]]:
        [found] = [n for n in archive.namelist() if n.endswith(f" {name}.csv")]
        return list(csv.reader(io.StringIO(archive.read(found).decode("utf-8-sig")), delimiter=";"))

    rounds = rows("Budžeta kārtas")
    assert [r[:3] for r in rounds[1:]] == [
        ["1", "Budžets 2027", "3000,00"],
        ["2", "Rudens", "1000,00"],
    ]
    assert rounds[1][7] == "2700,50"
    assert rounds[2][6:8] == ["", ""]  # round 2 is not counted
    ideas_rows = rows("Budžeta kārtu idejas")
    assert [(r[0], r[1], r[4], r[5]) for r in ideas_rows[1:]] == [
        ("1", "1", "2", "Jā"),
        ("1", "5", "3", "Jā"),
        ("1", "6", "2", "Nē"),
        ("2", "7", "", ""),
    ]
    ballots = rows("Budžeta balsojumi")
    assert ballots[0] == [
        "Budžeta kārta",
        "Balsojums",
        "Uz papīra",
        "Izvēlētās idejas",
        "Izmaksas, €",
    ]
    assert ballots[1:] == [
        ["1", "1", "Nē", "1, 5", "2700,50"],
        ["1", "2", "Nē", "6", "2500,00"],
        ["1", "3", "Nē", "1, 5", "2700,50"],
        ["1", "4", "Jā", "6", "2500,00"],
        ["1", "5", "Jā", "5", "1500,00"],
    ]  # round 2's ballots once it is counted: their numbers follow the order of voting
    budget_text = str(rounds + ideas_rows + ballots)
    for voter in voters:
        assert voter.first_name not in budget_text
        assert str(voter.telegram_id) not in budget_text
