"""The public village page's content: published only when a leader turned it on, and made of
the vision, goals, victories, ideas being carried out and upcoming meetings, with no names."""

from __future__ import annotations

from dataclasses import fields

import pytest

from bot.db import Database
from bot.models import IdeaStatus, utcnow
from bot.services import public_page
from bot.services.errors import InvalidInput
from tests.services.desk_world import build


@pytest.mark.parametrize(
    ("words", "published"),
    [(["on"], True), (["IESLĒGT"], True), (["вкл"], True), (["off"], False), (["izslēgt"], False)],
)
async def test_on_and_off_in_every_language(
    db: Database, words: list[str], published: bool
) -> None:
    async with db.transaction() as session:
        world = await build(session)
        world.village.public_page = not published
        public_page.set_public(world.village, words)
        assert world.village.public_page is published


@pytest.mark.parametrize("words", [[], ["maybe"], ["on", "off"]])
async def test_other_words_are_explained(db: Database, words: list[str]) -> None:
    async with db.transaction() as session:
        world = await build(session)
        with pytest.raises(InvalidInput) as refused:
            public_page.set_public(world.village, words)
        assert refused.value.message == public_page.USAGE


async def test_only_a_published_active_village_is_shown(db: Database) -> None:
    async with db.transaction() as session:
        world = await build(session)
        village_id = world.village.id
        assert await public_page.published(session, village_id) is None
        world.village.public_page = True
        assert await public_page.published(session, village_id) is world.village
        assert await public_page.published(session, 10**15) is None
        assert await public_page.published(session, 0) is None
        world.village.active = False
        assert await public_page.published(session, village_id) is None


async def test_the_page_holds_the_villages_work_and_no_names(db: Database) -> None:
    async with db.transaction() as session:
        world = await build(session)
        page = await public_page.village_page(session, world.village, utcnow())
    assert page.vision == "Dzīvs ciems, kur ģimenes paliek"
    assert page.goals == ["Apgaismots ceļš līdz 2027. gadam", "Rotaļu laukums pie skolas"]
    # In progress first, then accepted; new and hidden ideas are not on it.
    assert [(i.number, i.status, i.progress) for i in page.ideas] == [
        (2, IdeaStatus.PROGRESS, 40),
        (1, IdeaStatus.ACCEPTED, 10),
    ]
    assert [(v.text, v.applause) for v in page.victories] == [("Pieturā ir jauns soliņš!", 2)]
    assert [m.title for m in page.meetings] == ["Nākamā sanāksme"]
    # Nothing on the page can carry a person: no author, owner or proposer fields.
    for item in (*page.ideas, *page.victories, *page.meetings):
        names = {f.name for f in fields(item)}
        assert not names & {"author", "owner", "proposer", "name"}
