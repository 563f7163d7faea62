"""The board's list of ideas: filters read from a query, and what each filter and order lets
through; which ideas a member supports."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import Database
from bot.models import Community, Idea, IdeaArea, IdeaStatus, User
from bot.services import communities, idea_board, ideas, members
from bot.services.communities import CommunityDefaults
from bot.services.idea_board import Filters, read_filters

DEFAULTS = CommunityDefaults("lv", "Europe/Riga")


async def _village(session: AsyncSession, chat_id: int) -> Community:
    return (await communities.ensure(session, chat_id, f"Village {chat_id}", DEFAULTS)).community


async def _person(session: AsyncSession, telegram_id: int) -> User:
    return await members.ensure_user(session, members.Profile(telegram_id, f"Person {telegram_id}"))


async def _idea(session: AsyncSession, village: Community, author: User, text: str) -> Idea:
    return await ideas.submit(session, village, author, text)


def _numbers(found: idea_board.Listing) -> list[int]:
    return [idea.number for idea in found.ideas]


def test_filters_from_a_query() -> None:
    assert read_filters({}) == Filters()
    assert read_filters(
        {"area": "economy", "status": "accepted", "q": "  Ūdens  ", "order": "newest"}
    ) == Filters(area=IdeaArea.ECONOMY, status=IdeaStatus.ACCEPTED, text="Ūdens", order="newest")
    assert read_filters({"area": "none"}) == Filters(no_area=True)
    # A stale or made-up value shows the whole list rather than an error.
    assert read_filters({"area": "space", "status": "lost", "order": "random"}) == Filters()
    assert len(read_filters({"q": "x" * 500}).text) == idea_board.SEARCH_MAX


async def test_each_filter_and_order(db: Database) -> None:
    async with db.transaction() as session:
        village, elsewhere = await _village(session, -1), await _village(session, -2)
        anna, janis = await _person(session, 1), await _person(session, 2)
        tower = await _idea(session, village, anna, "Ūdens tornis jāsalabo")
        school = await _idea(session, village, anna, "Jauns rotaļu laukums pie skolas")
        market = await _idea(session, village, janis, "Zemnieku tirgus sestdienās")
        hidden = await _idea(session, village, janis, "Ūdens ņemšanas vieta pie upes")
        await _idea(session, elsewhere, anna, "Ūdens tornis arī šeit")
        tower.area, market.area = IdeaArea.INFRASTRUCTURE, IdeaArea.ECONOMY
        await ideas.set_status(session, market, anna, IdeaStatus.ACCEPTED)
        await ideas.toggle_support(session, school, anna)
        await ideas.toggle_support(session, school, janis)
        await ideas.toggle_support(session, market, anna)
        await ideas.hide(session, hidden, anna)
        await session.flush()

        async def listed(include_hidden: bool = False, **query: str) -> list[int]:
            found = await idea_board.listing(
                session, village, read_filters(query), include_hidden=include_hidden
            )
            return _numbers(found)

        # Most supported first, then by number; hidden ones for leaders only.
        assert await listed() == [school.number, market.number, tower.number]
        assert await listed(include_hidden=True) == [2, 3, 1, 4]
        assert await listed(order="newest") == [3, 2, 1]
        assert await listed(area="economy") == [market.number]
        assert await listed(area="none") == [school.number]
        assert await listed(status="accepted") == [market.number]
        assert await listed(status="new") == [school.number, tower.number]
        # Text without its diacritics, in any case, finds the idea; another village's never.
        assert await listed(q="UDENS") == [tower.number]
        assert await listed(q="udens", include_hidden=True) == [tower.number, hidden.number]
        assert await listed(q="sestdienas", area="economy", status="accepted") == [3]
        assert await listed(q="sestdienas", status="new") == []
        assert await listed(q="skola", order="newest") == [school.number]


async def test_a_long_list_comes_in_pages(db: Database) -> None:
    async with db.transaction() as session:
        village = await _village(session, -1)
        anna = await _person(session, 1)
        for n in range(idea_board.PAGE_SIZE * 2 + 5):
            await _idea(session, village, anna, f"Ideja numur {n + 1} par skolu")
        await session.flush()

        async def page(**query: str) -> idea_board.Listing:
            return await idea_board.listing(
                session, village, read_filters(query), include_hidden=False
            )

        first, third = await page(), await page(page="3", order="newest")
        assert (first.total, first.page, first.pages) == (65, 0, 3)
        assert _numbers(first) == list(range(1, 31))
        assert _numbers(third) == [5, 4, 3, 2, 1]
        # A page past the end (the list shrank) shows the last one; page 0 is the first.
        assert (await page(page="9")).page == 2
        assert (await page(page="0")).page == 0
        assert read_filters({"q": "skola", "page": "2"}).query(2) == "order=supports&q=skola&page=3"


async def test_which_ideas_a_member_supports(db: Database) -> None:
    async with db.transaction() as session:
        village, elsewhere = await _village(session, -1), await _village(session, -2)
        anna = await _person(session, 1)
        first = await _idea(session, village, anna, "Jauns rotaļu laukums pie skolas")
        second = await _idea(session, village, anna, "Zemnieku tirgus sestdienās")
        theirs = await _idea(session, elsewhere, anna, "Ūdens tornis jāsalabo")
        for idea in (first, second, theirs):
            await ideas.toggle_support(session, idea, anna)
        await ideas.toggle_support(session, second, anna)
        assert await idea_board.supported_by(session, village, anna) == {first.id}
