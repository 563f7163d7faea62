"""The development plan's draft: its parts filled from the data, and the .docx opened again with
python-docx in Latvian and English (the eight headings, the tables' rows)."""

from __future__ import annotations

import io
import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import docx
from docx.document import Document
from docx.table import Table
from docx.text.paragraph import Paragraph

from bot.db import Database
from bot.i18n import Catalogs
from bot.models import BudgetRule, IdeaArea, IdeaStatus, utcnow
from bot.render import plan as render
from bot.resources import locales_dir
from bot.services import budget, communities, plan
from bot.services.plan import Action
from tests.services.desk_world import (
    DEFAULTS,
    ROUND_1_COUNTED,
    ROUND_2_START,
    budget_rounds,
    build,
)

RIGA = ZoneInfo("Europe/Riga")
CATALOGS = Catalogs.load(locales_dir())
LV_HEADINGS = [
    "1. Pašreizējās situācijas analīze",
    "2. Vīzija un mērķi",
    "3. Stratēģija un rīcības plāns",
    "4. Izmērīšana un novērtēšana",
    "5. Budžets un finansēšanas avoti",
    "6. Sabiedriskā saziņa un komunikācija",
    "7. Laika grafiks un izpildes uzraudzība",
    "8. Pārskatīšana un pielāgošana",
]
EN_HEADINGS = [
    "1. Current situation analysis",
    "2. Vision and goals",
    "3. Strategy and action plan",
    "4. Measurement and evaluation",
    "5. Budget and funding sources",
    "6. Public communication",
    "7. Timeline and monitoring",
    "8. Review and adaptation",
]


def _open(content: bytes) -> Document:
    return docx.Document(io.BytesIO(content))


def _headings(document: Document, level: int) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name == f"Heading {level}"]


def _rows(table: Table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def _table_after(document: Document, heading: str) -> list[list[str]]:
    """The first table that follows the paragraph `heading` in the body."""
    body = document.element.body
    seen = False
    for child in body.iterchildren():
        if child.tag.endswith("}p") and Paragraph(child, document).text == heading:
            seen = True
        elif seen and child.tag.endswith("}tbl"):
            return _rows(Table(child, document))
    raise AssertionError(f"no table after {heading!r}")


async def _draft(db: Database) -> plan.Plan:
    async with db.transaction() as session:
        world = await build(session)
        return await plan.draft(session, world.village, utcnow())


async def test_the_parts_come_from_the_data(db: Database) -> None:
    draft = await _draft(db)
    assert draft.board.total == 3
    assert draft.vision == "Dzīvs ciems, kur ģimenes paliek"
    assert draft.goals == ["Apgaismots ceļš līdz 2027. gadam", "Rotaļu laukums pie skolas"]
    assert [(a.number, a.status, a.owner) for a in draft.actions] == [
        (2, IdeaStatus.PROGRESS, None),  # infrastructure comes before community
        (1, IdeaStatus.ACCEPTED, "Anna Ozola"),
    ]
    assert [(f.source, f.ideas, f.cents) for f in draft.budget] == [
        ("LEADER programma", 1, 120_050),
        (None, 1, 50_000),
    ]
    assert draft.unestimated == 0
    assert [v.text for v in draft.victories.rows] == ["Pieturā ir jauns soliņš!"]
    assert [d.text for d in draft.decisions.rows] == ["Soliņu liekam pie veikala"]
    assert [m.text for m in draft.minutes.rows] == ["Remontēsim ceļu maijā"]
    assert [(m.title, m.held) for m in draft.meetings.rows] == [
        ("Sanāksme par paveikto", True),
        ("Nākamā sanāksme", False),
    ]
    # The first "new" of each idea is no news; hidden ideas are left out.
    assert [(s.number, s.new) for s in draft.history.rows] == [
        (1, IdeaStatus.DISCUSSION),
        (1, IdeaStatus.ACCEPTED),
        (2, IdeaStatus.PROGRESS),
    ]
    assert len(draft.digests.rows) == 1


def test_the_budget_sums_by_funding_source() -> None:
    def action(number: int, cents: int | None, funding: str | None) -> Action:
        return Action(number, "x", IdeaArea.OTHER, IdeaStatus.ACCEPTED, None, cents, funding, 0)

    rows, unestimated = plan.budget(
        [
            action(1, 1000, "Pašvaldība"),
            action(2, 500, " Pašvaldība "),
            action(3, 9000, "LEADER"),
            action(4, None, "LEADER"),
            action(5, 200, None),
        ]
    )
    assert [(f.source, f.ideas, f.cents) for f in rows] == [
        ("LEADER", 1, 9000),
        ("Pašvaldība", 2, 1500),
        (None, 1, 200),
    ]
    assert unestimated == 1


async def test_the_latvian_document(db: Database) -> None:
    draft = await _draft(db)
    t = CATALOGS.translator("lv")
    document = _open(render.docx(t, draft, RIGA, utcnow(), "katru mēnesi"))
    assert document.paragraphs[0].text == "Attīstības plāns: Lejasciems"
    assert document.core_properties.language == "lv"
    assert _headings(document, 1) == LV_HEADINGS
    assert render.headings(t) == LV_HEADINGS
    strengths = _table_after(document, "Stiprās puses")
    assert strengths == [
        ["Kods", "Ieraksts", "Piekrīt", "Nepiekrīt", "Vērtējums"],
        ["S1", "Draudzīgi kaimiņi palīdz", "3", "0", "3"],
    ]
    assert _table_after(document, "Draudi") == _table_after(document, "Vīzija")  # none yet
    texts = [p.text for p in document.paragraphs]
    assert "Dzīvs ciems, kur ģimenes paliek" in texts
    assert "2. Rotaļu laukums pie skolas" in texts
    community = _table_after(document, "Kopiena un kultūra")
    assert community[1][:5] == [
        "#1",
        "Jauns rotaļu laukums pie skolas",
        "Pieņemta",
        "Anna Ozola",
        "1\u00a0200,50",
    ]
    budget = _table_after(document, LV_HEADINGS[4])
    assert budget[0] == ["Finansēšanas avots", "Idejas", "Summa, €"]
    assert budget[1:] == [
        ["LEADER programma", "1", "1\u00a0200,50"],
        ["Vēl nav norādīts", "1", "500"],
        ["Kopā", "2", "1\u00a0700,50"],
    ]
    decisions = _table_after(document, "Lēmumi")
    assert decisions[1][1:] == ["Soliņu liekam pie veikala", "01.06.2027"]
    assert _table_after(document, "Protokols")[1][2] == "Remontēsim ceļu maijā"
    assert "Ciema pārskats: katru mēnesi." in " ".join(texts)


async def test_an_empty_village_is_told_what_is_missing(db: Database) -> None:
    async with db.transaction() as session:
        village = (await communities.ensure(session, -1, "Augšciems", DEFAULTS)).community
        draft = await plan.draft(session, village, utcnow())
    t = CATALOGS.translator("en")
    document = _open(render.docx(t, draft, RIGA, utcnow(), "monthly"))
    assert _headings(document, 1) == EN_HEADINGS
    missing = [p.text for p in document.paragraphs if p.runs and p.runs[0].italic]
    assert missing == [
        "No SWOT inputs yet: residents add them with /strength, /weakness, /opportunity and "
        "/threat, and rate them with /swotvote.",
        "No vision yet: a leader writes /vision followed by the text.",
        "No goals yet: a leader adds each with /goal followed by the text.",
        "No accepted ideas yet: leaders accept residents' ideas, for example /status 5 accepted, "
        "and set their details with /ideaset.",
        "No small victories yet: anyone shares one with /victory.",
        "No cost estimates yet: leaders set them for accepted ideas, for example /ideaset 5 cost "
        "1200 and /ideaset 5 funding LEADER.",
        "No participatory budget yet: leaders open one with /budget.",
        "No digest posted yet: it is posted on the schedule set with /settings digest monthly "
        "mon 18:00.",
        "No meetings yet: a leader schedules one with /meeting.",
        "No idea has changed its status yet: leaders change it with /status.",
        "No poll has decided anything yet: leaders start one with /poll.",
        "No decisions yet: leaders record them with /decision.",
        "No minutes yet: after a meeting, leaders record its decisions with /minutes.",
    ]


async def test_the_english_document(db: Database) -> None:
    draft = await _draft(db)
    t = CATALOGS.translator("en")
    document = _open(render.docx(t, draft, RIGA, utcnow(), "monthly"))
    assert _headings(document, 1) == EN_HEADINGS
    assert _headings(document, 2)[:4] == ["Strengths", "Weaknesses", "Opportunities", "Threats"]
    infrastructure = _table_after(document, "Infrastructure and services")
    assert infrastructure[0] == [
        "No.",
        "Idea",
        "Status",
        "Responsible",
        "Cost estimate, €",
        "Funding source",
        "Progress, %",
    ]
    assert infrastructure[1] == [
        "#2",
        "Apgaismojums gar ceļu uz staciju",
        "In progress",
        "",
        "500",
        "",
        "40",
    ]
    figures = dict(map(tuple, _table_after(document, EN_HEADINGS[3])[1:]))
    assert figures["Members known"] == "4"
    assert figures["Meetings held"] == "1"
    meetings = _table_after(document, "Meetings")
    assert [row[1:4] for row in meetings[1:]] == [
        ["Sanāksme par paveikto", "Tautas nams", "held"],
        ["Nākamā sanāksme", "", "to come"],
    ]


async def test_the_document_is_a4_by_the_village_with_its_pictures_and_polls(
    db: Database,
) -> None:
    draft = await _draft(db)
    t = CATALOGS.translator("lv")
    document = _open(render.docx(t, draft, RIGA, utcnow(), "katru mēnesi"))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    margins = (section.top_margin, section.right_margin, section.bottom_margin)
    assert [round(m.mm) for m in margins] == [20, 20, 20]
    assert round(section.left_margin.mm) == 25
    properties = document.core_properties
    assert properties.author == properties.last_modified_by == "Lejasciems"
    assert properties.title == "Attīstības plāns: Lejasciems"
    assert "python-docx" not in (properties.comments or "")
    # The SWOT picture, in part 1.
    assert len(document.inline_shapes) == 1
    # Part 8: each decided poll's results: the closed one, and the one a decision came from.
    assert _headings(document, 3) == ["Kur likt soliņu?", "Vai rīkot talku?"]
    assert _table_after(document, "Vai rīkot talku?") == [
        ["Variants", "Balsis tiešsaistē", "Balsis uz papīra", "Kopā", "Daļa, %"],
        ["Jā", "3", "5", "8", "89"],
        ["Nē", "1", "0", "1", "11"],
    ]
    texts = [p.text for p in document.paragraphs]
    assert "Lēmums: Soliņu liekam pie veikala" in texts
    assert any(text.startswith("Slēgta ") for text in texts)


async def test_every_date_is_written_one_way_with_the_full_year(db: Database) -> None:
    draft = await _draft(db)
    for language in ("lv", "en", "ru"):
        t = CATALOGS.translator(language)
        document = _open(render.docx(t, draft, RIGA, utcnow(), "monthly"))
        meetings = _table_after(document, render.headings(t)[6])
        year = str(utcnow().astimezone(RIGA).year)
        for row in meetings[1:]:
            when = draft.meetings.rows[meetings.index(row) - 1].starts_at
            assert row[0] == t.datetime_text(when, RIGA)
            assert year in row[0] or str(int(year) + 1) in row[0]
        cells = [c.text for table in document.tables for r in table.rows for c in r.cells]
        everything = "\n".join([p.text for p in document.paragraphs] + cells)
        assert not re.search(r"\b\d{1,2}[./]\d{1,2}[./]\d{2}\b", everything), language


async def test_progress_per_area_counts_ideas_by_status(db: Database) -> None:
    draft = await _draft(db)
    assert [(a.area, a.counts, a.percent) for a in draft.areas] == [
        (IdeaArea.INFRASTRUCTURE, [(IdeaStatus.PROGRESS, 1)], 0),
        (IdeaArea.COMMUNITY, [(IdeaStatus.ACCEPTED, 1)], 0),
        (None, [(IdeaStatus.NEW, 1)], 0),
    ]


def test_done_is_counted_of_the_ideas_still_wanted() -> None:
    progress = plan.AreaProgress(
        IdeaArea.ECONOMY,
        [(IdeaStatus.NEW, 1), (IdeaStatus.DONE, 1), (IdeaStatus.REJECTED, 2)],
    )
    assert (progress.total, progress.done, progress.percent) == (4, 1, 50)
    assert plan.AreaProgress(None, [(IdeaStatus.REJECTED, 1)]).percent == 0


async def _with_budgets(db: Database) -> plan.Plan:
    async with db.transaction() as session:
        world = await build(session)
        await budget_rounds(session, world)
        return await plan.draft(session, world.village, utcnow())


async def test_part_5_holds_each_budget_round_counted_or_being_voted_on(db: Database) -> None:
    draft = await _with_budgets(db)
    first, second = draft.budget_rounds
    assert (first.number, first.title, first.amount_cents) == (1, "Budžets 2027", 300_000)
    assert first.counted_at == ROUND_1_COUNTED
    assert [(i.number, i.cost_cents, i.votes) for i in first.funded] == [
        (5, 150_000, 3),
        (1, 120_050, 2),
    ]
    assert (first.on_ballot, first.left_cents) == (3, 29_950)
    # Anna, Jānis, Zelma and Ilze are known; three voted online, two on paper.
    assert (first.online_ballots, first.known_members, first.turnout) == (3, 4, 75)
    assert first.paper_ballots == 2
    assert second.counted_at is None
    assert second.closes_at == ROUND_2_START + timedelta(days=14)
    assert (second.on_ballot, second.funded, second.left_cents) == (1, [], 100_000)
    assert (second.online_ballots, second.paper_ballots) == (1, 0)
    # The funded ideas carry the budget as their funding source in the action plan.
    source = draft.budget[0]
    assert (source.source, source.ideas) == ("līdzdalības budžets Budžets 2027", 2)


async def test_a_round_still_being_prepared_is_not_in_the_plan(db: Database) -> None:
    async with db.transaction() as session:
        world = await build(session)
        opening = budget.Opening(100_000, timedelta(days=3), BudgetRule.GREEDY, "Vēl top")
        await budget.open_round(session, world.village, world.anna, opening, utcnow())
        assert await plan.budget_rounds(session, world.village) == []


async def test_the_document_writes_each_budget_round(db: Database) -> None:
    draft = await _with_budgets(db)
    t = CATALOGS.translator("lv")
    document = _open(render.docx(t, draft, RIGA, utcnow(), "katru mēnesi"))
    assert "Līdzdalības budžeti" in _headings(document, 2)
    assert _headings(document, 3)[:2] == [
        "Līdzdalības budžets „Budžets 2027”",
        "Līdzdalības budžets „Rudens”",
    ]
    assert _table_after(document, "Līdzdalības budžets „Budžets 2027”") == [
        ["Nr.", "Ideja", "Izmaksas, €", "Balsis"],
        ["#5", "Soliņi pie upes", "1\u00a0500", "3"],
        ["#1", "Jauns rotaļu laukums pie skolas", "1\u00a0200,50", "2"],
    ]
    texts = [p.text for p in document.paragraphs]
    first = texts.index("Līdzdalības budžets „Budžets 2027”")
    second = texts.index("Līdzdalības budžets „Rudens”")
    assert texts[first + 1 : second] == [
        "Summa: 3\u00a0000\u00a0€. Skaitīšana: pēc balsu skaita, kamēr pietiek līdzekļu.",
        "Saskaitīts 17.05.2027.",
        "Finansēts: 2\u00a0700,50\u00a0€ no 3\u00a0000\u00a0€; atlikums 299,50\u00a0€.",
        "Tiešsaistē nobalsoja 3 no 4 man zināmajiem dalībniekiem (75%).",
        "Papīra biļeteni: 2.",
    ]
    assert texts[second + 1 : second + 6] == [
        "Summa: 1\u00a0000\u00a0€. Skaitīšana: pēc balsu skaita, kamēr pietiek līdzekļu.",
        "Balsošana līdz 01.06.2027 12:00.",
        "Balsošanas sarakstā ir 1 ideja.",
        "Tiešsaistē nobalsoja 1 no 4 man zināmajiem dalībniekiem (25%).",
        "Papīra biļeteni: 0.",
    ]
    assert "Jānis" not in " ".join(texts[first:])  # ballots are counted, never named
