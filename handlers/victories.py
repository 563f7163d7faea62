"""Small victories: /victory, the leaders' approval in private, applause, /victories, and
celebrating an idea that is done."""

from __future__ import annotations

import logging

from telegram.error import TelegramError

from bot.i18n import N_, Html, Translator
from bot.keyboards import victories as victory_keys
from bot.models import Community, User, Victory, VictoryStatus, utcnow
from bot.render import victories as render
from bot.runtime import Runtime
from bot.services import Session, communities, ideas, leaders, members, victories
from bot.services.errors import InvalidInput, NotFound
from bot.services.people import People
from bot.wire.cards import CardContent
from handlers.context import STALE_BUTTON, Turn, on_update
from handlers.notify import tell_privately, translator_for

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


def _announce(turn: Turn, victory: Victory, community: Community) -> None:
    """After commit: the celebration in the group, and where it is kept."""
    runtime, bot, victory_id, chat_id = (
        turn.runtime,
        turn.context.bot,
        victory.id,
        community.chat_id,
    )

    async def post() -> None:
        content = await card_content(runtime, victory_id)
        assert content is not None
        message = await bot.send_message(chat_id, content[0], reply_markup=content[1])
        async with runtime.db.transaction() as session:
            await victories.announced(session, victory_id, message.chat.id, message.message_id)

    turn.after_commit(post)


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
    runtime, bot, victory_id = turn.runtime, turn.context.bot, victory.id
    requests = []
    for leader in reachable:
        t = translator_for(runtime, leader, community)
        text = render.review_request(t, victory, proposer.display_name, community.title)
        requests.append((leader, text, victory_keys.decision_keyboard(t, victory_id)))

    async def send_all() -> None:
        for leader, text, markup in requests:
            message = await tell_privately(bot, runtime.db, leader, text, markup)
            if message is not None:
                async with runtime.db.transaction() as session:
                    stored = await victories.by_id(session, victory_id)
                    assert stored is not None
                    await victories.add_review(session, stored, message.chat.id, message.message_id)

    turn.after_commit(send_all)


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
        bot, db = turn.context.bot, turn.runtime.db

        async def tell() -> None:
            await tell_privately(bot, db, proposer, notice)

        turn.after_commit(tell)


async def _settle_reviews(
    turn: Turn, victory: Victory, community: Community, proposer: str | None, decider: str
) -> None:
    """Every leader's review message (and the pressed one) shows who decided what."""
    targets = {(r.chat_id, r.message_id) for r in await victories.reviews(turn.session, victory.id)}
    pressed = turn.pressed
    pressed_key = (pressed.chat.id, pressed.message_id) if pressed is not None else None
    bot = turn.context.bot
    texts: dict[tuple[int, int], Html] = {}
    for chat_id, message_id in targets:
        reader = await _reader(turn, chat_id, community)
        texts[(chat_id, message_id)] = render.reviewed(
            reader, victory, proposer, community.title, decider
        )

    async def edit_all() -> None:
        for (chat_id, message_id), text in texts.items():
            try:
                await bot.edit_message_text(text, chat_id=chat_id, message_id=message_id)
            except TelegramError as exc:
                log.info("could not update review %s: %s", message_id, exc)

    turn.after_commit(edit_all)
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
    if victory.card_chat_id is not None and victory.card_message_id is not None:
        runtime, victory_id = turn.runtime, victory.id

        async def render_now() -> CardContent:
            return await card_content(runtime, victory_id)

        turn.refresh_card(victory.card_chat_id, victory.card_message_id, render_now)


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
