"""A village with data from every feature, made through the services, for the desk's tests
(figures, export, plan, privacy): Anna leads; Jānis, Zelma and Ilze are residents."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import Catalogs
from bot.models import (
    Answer,
    BudgetRule,
    Choice,
    Community,
    Idea,
    IdeaArea,
    IdeaStatus,
    Poll,
    Quadrant,
    Repeat,
    User,
    Victory,
    utcnow,
)
from bot.render import budget as budget_render
from bot.resources import locales_dir
from bot.services import (
    budget,
    budget_results,
    communities,
    decisions,
    digest,
    flows,
    ideas,
    meeting_notes,
    meeting_rsvps,
    meetings,
    members,
    polls,
    swot,
    swot_agreement,
    victories,
    vision,
)
from bot.services.communities import CommunityDefaults
from bot.services.decisions import DecisionText
from bot.services.meeting_times import MeetingRequest

DEFAULTS = CommunityDefaults("lv", "Europe/Riga")
ZELMA_ID = 777_123_456


@dataclass
class World:
    village: Community
    anna: User
    janis: User
    zelma: User
    ilze: User
    accepted: Idea  # #1, accepted, cost, funding, owner Anna; Zelma and Ilze support it
    progress: Idea  # #2, in progress, by Zelma
    anonymous: Idea  # #3, new, posted without a name
    hidden: Idea  # #4, hidden by Anna
    public_poll: Poll
    anonymous_poll: Poll
    victory: Victory


async def person(
    session: AsyncSession,
    village: Community,
    telegram_id: int,
    first: str,
    last: str | None = None,
    username: str | None = None,
) -> User:
    user = await members.ensure_user(
        session,
        members.Profile(telegram_id, first, last, username, "lv"),
        in_private=True,
    )
    await members.ensure_membership(session, village, user)
    return user


async def build(session: AsyncSession) -> World:
    village = (await communities.ensure(session, -100555, "Lejasciems", DEFAULTS)).community
    anna = await person(session, village, 1001, "Anna", "Ozola")
    janis = await person(session, village, 1002, "Jānis")
    zelma = await person(session, village, ZELMA_ID, "Zelma", "Priedīte", "zelma_p")
    ilze = await person(session, village, 1004, "Ilze")
    await members.promote(session, village, anna, anna)

    accepted = await ideas.submit(session, village, janis, "Jauns rotaļu laukums pie skolas")
    accepted.area = IdeaArea.COMMUNITY
    progress = await ideas.submit(session, village, zelma, "Apgaismojums gar ceļu uz staciju")
    progress.area = IdeaArea.INFRASTRUCTURE
    anonymous = await ideas.submit(
        session, village, ilze, "Kopīga dārzeņu dobe pie skolas", anonymous=True
    )
    hidden = await ideas.submit(session, village, ilze, "Nevajadzīgs teksts, kas jāpaslēpj")
    await ideas.set_status(session, accepted, anna, IdeaStatus.DISCUSSION)
    await ideas.set_status(session, accepted, anna, IdeaStatus.ACCEPTED)
    await ideas.set_status(session, progress, anna, IdeaStatus.PROGRESS)
    await ideas.set_tracking(
        session,
        accepted,
        anna,
        owner=anna,
        cost_cents=120_050,
        funding_source="LEADER programma",
        progress=10,
    )
    await ideas.set_tracking(session, progress, anna, cost_cents=50_000, progress=40)
    await ideas.hide(session, hidden, anna)
    for supporter in (zelma, ilze):
        await ideas.toggle_support(session, accepted, supporter)
    await ideas.toggle_support(session, progress, janis)
    await ideas.add_comment(session, accepted, zelma, "Labi, es palīdzēšu ar krāsošanu")
    await ideas.add_comment(session, accepted, janis, '=HYPERLINK("x") paldies')

    s1 = await swot.add_item(session, village, janis, Quadrant.S, "Draudzīgi kaimiņi palīdz")
    w1 = await swot.add_item(session, village, zelma, Quadrant.W, "Nav vakara autobusa uz pilsētu")
    await swot.add_item(session, village, ilze, Quadrant.O, "ES fondi ciemu projektiem")
    await swot_agreement.vote(session, zelma, s1.id, Choice.AGREE)
    await swot_agreement.vote(session, anna, s1.id, Choice.AGREE)
    await swot_agreement.vote(session, janis, w1.id, Choice.DISAGREE)

    public_poll = await polls.create(
        session, village, anna, "Kur likt soliņu?", ["Pie veikala", "Pie baznīcas"], anonymous=False
    )
    await polls.posted(session, public_poll.id, village.chat_id, 50, "poll-public")
    for voter, choice in ((zelma, 0), (janis, 0), (ilze, 1)):
        ballot = await polls.ballot(session, "poll-public", voter)
        assert ballot is not None
        await polls.record_answer(session, ballot, [choice])
    # The answers moved the counts in the database, past the objects loaded here.
    for loaded in (public_poll, *public_poll.options):
        await session.refresh(loaded)
    anonymous_poll = await polls.create(
        session, village, anna, "Vai rīkot talku?", ["Jā", "Nē"], anonymous=True
    )
    await polls.posted(session, anonymous_poll.id, village.chat_id, 51, "poll-anonymous")
    polls.record_counts(anonymous_poll, [3, 1], 4)
    polls.set_offline(anonymous_poll, {0: 5})
    await polls.close(session, anonymous_poll)

    now = utcnow()
    held_at = (now - timedelta(days=2)).replace(second=0, microsecond=0)
    request = MeetingRequest(held_at, "Sanāksme par paveikto", "Tautas nams")
    meeting = await meetings.create_draft(session, village, anna, request)
    first = await meetings.confirm(
        session, village, anna, meeting.id, Repeat.ONCE, held_at - timedelta(days=1)
    )
    for member, answer in ((zelma, Answer.GOING), (janis, Answer.MAYBE), (ilze, Answer.NO)):
        await meeting_rsvps.set_rsvp(
            session, village, member, first.id, answer, held_at - timedelta(hours=3)
        )
    await meeting_notes.record_minutes(session, village, anna, "Remontēsim ceļu maijā", now)
    soon = (now + timedelta(days=5)).replace(second=0, microsecond=0)
    upcoming = MeetingRequest(soon, "Nākamā sanāksme", None)
    later = await meetings.create_draft(session, village, anna, upcoming)
    await meetings.confirm(session, village, anna, later.id, Repeat.ONCE, now)

    victory = await victories.propose(
        session, village, anna, "Pieturā ir jauns soliņš!", by_leader=True
    )
    await victories.toggle_applause(session, victory, zelma)
    await victories.toggle_applause(session, victory, janis)
    proposed = await victories.propose(
        session, village, zelma, "Sakopām parku kopā", by_leader=False
    )
    # Zelma is in the working group too: a review request reached her private chat.
    await members.promote(session, village, anna, zelma)
    await victories.add_review(session, proposed, ZELMA_ID, 9)

    await decisions.record(
        session,
        village,
        anna,
        DecisionText("Soliņu liekam pie veikala", date(2027, 6, 1)),
        public_poll,
    )
    await vision.set_vision(session, village, anna, "Dzīvs ciems, kur ģimenes paliek")
    await vision.add_goal(session, village, anna, "Apgaismots ceļš līdz 2027. gadam")
    await vision.add_goal(session, village, anna, "Rotaļu laukums pie skolas")
    await digest.claim(session, village, "2026-11-02", village.created_at, now)
    await flows.start(session, zelma, village, "swot", "write", {"quadrant": "S"})
    await session.flush()
    return World(
        village,
        anna,
        janis,
        zelma,
        ilze,
        accepted,
        progress,
        anonymous,
        hidden,
        public_poll,
        anonymous_poll,
        victory,
    )


# The participatory budgets' times: round 1 votes from BUDGET_START for 14 days and is counted
# then; round 2 votes from ROUND_2_START, for 14 days, and is not counted yet.
BUDGET_START = datetime(2027, 5, 3, 9, 0, tzinfo=UTC)
ROUND_1_COUNTED = BUDGET_START + timedelta(days=14)
ROUND_2_START = BUDGET_START + timedelta(days=15)


async def budget_rounds(session: AsyncSession, world: World) -> None:
    """Two participatory budgets (not in `build`: only the tests that ask have them).

    Round 1, „Budžets 2027”, 3 000 € by votes: #1 (1 200,50 €), #5 (1 500 €) and #6 (2 500 €)
    on the ballot; Jānis and Ilze choose #1 and #5, Zelma #6, and two paper ballots #6 and #5.
    #5 (3 votes) and #1 (2, tied with #6 but older) are funded; 299,50 € are left.
    Round 2, „Rudens”, 1 000 €: #7 (400 €) on the ballot, Jānis has voted; still open.
    """
    village, anna = world.village, world.anna
    for text, cents in (("Soliņi pie upes", 150_000), ("Ielu lampas", 250_000)):
        idea = await ideas.submit(session, village, world.janis, text)
        idea.status, idea.cost_cents = IdeaStatus.ACCEPTED, cents
    opening = budget.Opening(300_000, timedelta(days=14), BudgetRule.GREEDY, "Budžets 2027")
    first = await budget.open_round(session, village, anna, opening, BUDGET_START)
    await budget.start_voting(session, first, anna, BUDGET_START)
    for voter, chosen in ((world.janis, {1, 5}), (world.zelma, {6}), (world.ilze, {1, 5})):
        await budget.cast(session, first, voter, chosen, BUDGET_START)
    for chosen in ({6}, {5}):
        await budget.enter_paper(session, first, anna, chosen, BUDGET_START)
    labels = budget_render.Labels(Catalogs.load(locales_dir()).translator("lv"))
    await budget_results.count(session, first, labels, ROUND_1_COUNTED)

    flowers = await ideas.submit(session, village, world.zelma, "Puķu dobe pie skolas")
    flowers.status, flowers.cost_cents = IdeaStatus.ACCEPTED, 40_000
    opening = budget.Opening(100_000, timedelta(days=14), BudgetRule.GREEDY, "Rudens")
    second = await budget.open_round(session, village, anna, opening, ROUND_2_START)
    await budget.start_voting(session, second, anna, ROUND_2_START)
    await budget.cast(session, second, world.janis, {7}, ROUND_2_START)
