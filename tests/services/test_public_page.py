"""The public village page's content: published only when a leader turned it on, and made of
the vision, goals, victories, ideas being carried out and upcoming meetings; no resident's name,
and a leader's only when they agreed (/publicname)."""

from __future__ import annotations

from dataclasses import fields

import pytest

from bot.db import Database
from bot.models import IdeaStatus, utcnow
from bot.services import members, public_page
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
    # Nothing on the page can carry a resident: no author or proposer fields; an idea's owner
    # only when a leader who agreed to it (nobody has here).
    for item in (*page.ideas, *page.victories, *page.meetings):
        names = {f.name for f in fields(item)}
        assert not names & {"author", "proposer", "name"}
    assert [i.owner for i in page.ideas] == [None, None]


async def test_a_leader_who_agreed_is_named_as_an_ideas_owner(db: Database) -> None:
    """Anna (promoted) owns #1; Jānis (a resident) owns #2. Only a leader's consent names them:
    Anna once she agreed, while she leads; a Telegram admin too; Jānis not as a resident."""
    async with db.transaction() as session:
        world = await build(session)
        world.progress.owner_id = world.janis.id
        world.janis.public_name = True  # a resident's consent names nobody

        async def owners(admins: frozenset[int] = frozenset()) -> list[str | None]:
            page = await public_page.village_page(session, world.village, utcnow(), admins)
            return [i.owner for i in page.ideas]

        assert await owners() == [None, None]
        assert await public_page.anyone_agreed(session, world.village)  # Jānis did
        world.janis.public_name = False
        assert not await public_page.anyone_agreed(session, world.village)
        world.janis.public_name = True
        public_page.set_public_name(world.anna, ["ieslēgt"])
        assert await owners() == [None, "Anna Ozola"]  # #2 (in progress) first, then #1
        # Demoted, Anna is named only while she is one of the group's Telegram admins.
        await members.demote(session, world.village, world.anna, world.anna)
        assert await owners() == [None, None]
        assert await owners(frozenset({1001})) == [None, "Anna Ozola"]
        # Jānis as one of the group's admins, who agreed: named too.
        assert await owners(frozenset({1001, 1002})) == ["Jānis", "Anna Ozola"]
        public_page.set_public_name(world.anna, ["выкл"])
        assert await owners(frozenset({1001})) == [None, None]
        with pytest.raises(InvalidInput) as refused:
            public_page.set_public_name(world.anna, ["varbūt"])
        assert refused.value.message == public_page.NAME_USAGE
