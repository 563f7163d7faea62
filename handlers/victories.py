"""Small victories: /victory, the leaders' approval in private, applause, /victories, and
celebrating an idea that is done."""

from __future__ import annotations

import logging
from dataclasses import replace

from telegram import Message

from bot.i18n import N_, Translator
from bot.keyboards import victories as victory_keys
from bot.models import Community, User, Victory, VictoryStatus, utcnow
from bot.render import victories as render
from bot.runtime import Runtime
from bot.services import Session, communities, ideas, leaders, members, placed, victories
from bot.services.errors import InvalidInput, NotFound
from bot.services.people import People
from bot.wire import messages
from bot.wire.messages import CardContent
from handlers.context import STALE_BUTTON, Acts, Turn, card_place, on_update
from handlers.notify import privately, translator_for

log = logging.getLogger(__name__)

VICTORY_USAGE = N_(
    "Write what went well after the command, for example:\n/victory The bus stop has a new bench!"
)


async def _name(session: Session, user_id: int | None) -> str | None:
    return (await People.load(session, [user_id])).known(user_id)


async def card_content(runtime: Runtime, victory_id: int) -> CardContent:
    """The celebration as it should look now (applause read fresh from the database)."""
    async with runtime.db.transaction() as session:
        view = await victories.card_view(session, victory_id)
    if view is None:
        return None
    t = runtime.translator(view.language)
    return (
        render.card(t, view.victory, view.proposer, view.idea, view.supporters),
        victory_keys.applause_keyboard(view.victory.id, view.victory.applause_count),
    )


async def _view(runtime: Runtime, argument: str) -> CardContent:
    return await card_content(runtime, int(argument))


VIEWS = {placed.VICTORY_CARD: _view}


def _announce(turn: Turn, victory: Victory, community: Community) -> None:
    """The celebration in the group; the outbox records where it went."""
    card = placed.victory_card(victory.id)
    turn.send(messages.show(community.chat_id, card, after_send=card))


def refresh_card(turn: Acts, victory: Victory, pressed: Message | None = None) -> None:
    """The celebration's card shows the latest applause and names (`pressed`: see
    handlers.context.card_place)."""
    place = card_place(victory.card_chat_id, victory.card_message_id, pressed)
    if place is not None:
        turn.send(messages.refresh(*place, placed.victory_card(victory.id)))


@on_update()
async def victory_command(turn: Turn) -> None:
    community, user = turn.need_community(), turn.need_user()
    if not turn.arg_text:
        raise InvalidInput(VICTORY_USAGE)
    leader = await turn.is_leader()
    victory = await victories.propose(
        turn.session, community, user, turn.arg_text, by_leader=leader
    )
    if leader:
        _announce(turn, victory, community)
        if turn.in_private:
            turn.reply(turn.t._("🎉 Announced in {village}.", village=community.title))
        return
    turn.reply(turn.t._(render.THANKS_PENDING))
    await _ask_leaders(turn, victory, community, user)


async def _ask_leaders(turn: Turn, victory: Victory, community: Community, proposer: User) -> None:
    """Each leader who started the bot gets the victory with Approve / Reject, in private."""
    reachable = await leaders.reachable(turn.session, turn.runtime.admins, community)
    review = placed.victory_review(victory.id)
    for leader in reachable:
        t = translator_for(turn.runtime, leader, community)
        text = render.review_request(t, victory, proposer.display_name, community.title)
        keyboard = victory_keys.decision_keyboard(t, victory.id)
        for message in privately(leader, text, keyboard):
            turn.send(replace(message, after_send=review))


@on_update(community="optional", callback=victory_keys.VictoryDecision)
async def decision_pressed(turn: Turn) -> None:
    """The first leader to decide wins; the others see it was handled."""
    choice: victory_keys.VictoryDecision = turn.data
    victory = await victories.by_id(turn.session, choice.victory_id)
    if victory is None:
        raise NotFound(STALE_BUTTON)
    community = await communities.by_id(turn.session, victory.community_id)
    in_other_group = not turn.in_private and (
        turn.community is None or turn.community.id != victory.community_id
    )
    if community is None or in_other_group:
        raise NotFound(STALE_BUTTON)
    turn.community = community
    await turn.require_leader()
    leader = turn.need_user()
    decided = await victories.decide(
        turn.session, victory.id, community, leader, approve=bool(choice.approve)
    )
    victory = decided.victory
    decider = await _name(turn.session, decided.decided_by_id) or leader.display_name
    proposer = (
        await members.by_id(turn.session, victory.proposer_id) if victory.proposer_id else None
    )
    proposer_name = (proposer.display_name or None) if proposer is not None else None
    if not decided.won:
        turn.answer(turn.t.plain(N_("Already handled by {leader}."), leader=decider), alert=True)
    elif victory.status == VictoryStatus.APPROVED:
        turn.answer(turn.t.plain(N_("Announced in {village}."), village=community.title))
        _announce(turn, victory, community)
    else:
        turn.answer(turn.t.plain(N_("It will not be announced.")))
    await _settle_reviews(turn, victory, community, proposer_name, decider)
    if decided.won and proposer is not None:
        notice = render.proposer_notice(
            translator_for(turn.runtime, proposer, community), victory, community.title
        )
        turn.send(*privately(proposer, notice))


async def _settle_reviews(
    turn: Turn, victory: Victory, community: Community, proposer: str | None, decider: str
) -> None:
    """Every leader's review message (and the pressed one) shows who decided what."""
    targets = {(r.chat_id, r.message_id) for r in await victories.reviews(turn.session, victory.id)}
    pressed = turn.pressed
    pressed_key = (pressed.chat.id, pressed.message_id) if pressed is not None else None
    for chat_id, message_id in sorted(targets):
        reader = await _reader(turn, chat_id, community)
        text = render.reviewed(reader, victory, proposer, community.title, decider)
        turn.send(messages.edit(chat_id, message_id, text))
    if pressed_key is not None and pressed_key not in targets:
        turn.edit(render.reviewed(turn.t, victory, proposer, community.title, decider))


async def _reader(turn: Turn, chat_id: int, community: Community) -> Translator:
    """The language of the leader reading a review message in their private chat."""
    reader = await members.by_telegram_id(turn.session, chat_id)
    return translator_for(turn.runtime, reader, community) if reader else turn.t


@on_update(community="optional", callback=victory_keys.ApplausePress)
async def applause_pressed(turn: Turn) -> None:
    victory = await victories.by_id(turn.session, turn.data.victory_id)
    if victory is None or turn.community is None or victory.community_id != turn.community.id:
        raise NotFound(STALE_BUTTON)
    applauds = await victories.toggle_applause(turn.session, victory, turn.need_user())
    turn.answer("👏" if applauds else turn.t.plain(N_("Applause taken back.")))
    refresh_card(turn, victory, turn.pressed)


@on_update(community="optional", callback=victory_keys.CelebrateIdea)
async def celebrate_pressed(turn: Turn) -> None:
    """The done-idea announcement becomes a celebration with applause."""
    idea = await ideas.by_id(turn.session, turn.data.idea_id)
    if idea is None or turn.community is None or idea.community_id != turn.community.id:
        raise NotFound(STALE_BUTTON)
    await turn.require_leader()
    victory = await victories.from_idea(turn.session, idea, turn.need_user())
    message = turn.pressed
    if message is None:
        raise NotFound(STALE_BUTTON)
    await victories.announced(turn.session, victory.id, message.chat.id, message.message_id)
    proposer = await _name(turn.session, victory.proposer_id)
    supporters = await ideas.other_supporters(turn.session, idea)
    turn.edit(
        render.card(turn.t, victory, proposer, idea, supporters),
        victory_keys.applause_keyboard(victory.id, 0),
    )


@on_update()
async def victories_command(turn: Turn) -> None:
    await _send_page(turn, 0, edit=False)


@on_update(callback=victory_keys.VictoriesPage)
async def victories_page(turn: Turn) -> None:
    await _send_page(turn, turn.data.page, edit=True)


async def _send_page(turn: Turn, page_number: int, *, edit: bool) -> None:
    community = turn.need_community()
    zone = communities.zone_of(community)
    page = await victories.this_year(turn.session, community, zone, page_number)
    text = render.victory_list(turn.t, page, utcnow().astimezone(zone).year, zone)
    markup = victory_keys.pages_keyboard(page)
    if edit:
        turn.edit(text, markup)
        return
    turn.reply(text, markup)
    # What waits for approval is the working group's business: shown only in a private chat.
    if turn.in_private and await turn.is_leader():
        waiting = await victories.pending(turn.session, community)
        if waiting:
            named = [(v, await _name(turn.session, v.proposer_id)) for v in waiting]
            turn.reply(
                render.pending_list(turn.t, named),
                victory_keys.pending_keyboard(turn.t, [v.id for v in waiting]),
                quote=False,
            )
