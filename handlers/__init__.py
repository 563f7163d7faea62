"""`register(app)`: the one ordered list of every handler the bot has.

The intake limit (handlers.intake) sees every update first, in a group of its own. Order
matters inside a group: PTB runs the first handler that matches. Commands come first,
then button presses, then service messages, and the catch-alls for unknown commands and stale
buttons come last.
"""

from __future__ import annotations

import functools

from telegram import Update
from telegram.ext import (
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    MessageHandler,
    PollAnswerHandler,
    PollHandler,
    TypeHandler,
    filters,
)

from bot import keyboards, scheduler
from bot.keyboards import ideas as idea_keys
from bot.keyboards import meetings as meeting_keys
from bot.keyboards import victories as victory_keys
from bot.keyboards.budget import BallotToggle
from bot.keyboards.desk import ForgetPress
from bot.keyboards.polls import BuilderPress
from bot.keyboards.swot import (
    SwotFlow,
    SwotHide,
    SwotMerge,
    SwotPage,
    SwotPart,
    SwotRate,
    SwotRoundStart,
)
from bot.runtime import RUNTIME_KEY, BotApplication
from handlers import (
    admin,
    budget,
    common,
    decisions,
    desk,
    digest,
    flows,
    groups,
    ideas,
    intake,
    meeting_cards,
    meeting_jobs,
    meetings,
    poll_builder,
    poll_lifecycle,
    polls,
    privacy,
    settings,
    swot,
    victories,
)
from handlers.errors import on_error


def register(app: BotApplication) -> None:
    # First, in a group of its own before all others: read-only updates past a person's limit
    # stop here.
    app.add_handler(TypeHandler(Update, intake.intake), group=intake.GROUP)

    # Everyone's commands.
    app.add_handler(CommandHandler("start", common.start_command))
    app.add_handler(CommandHandler("help", common.help_command))
    app.add_handler(CommandHandler("board", common.board_command))
    app.add_handler(CommandHandler("language", common.language_command))
    app.add_handler(CommandHandler("village", common.village_command))
    app.add_handler(CommandHandler("cancel", flows.cancel_command))
    app.add_handler(CommandHandler("idea", ideas.idea_command))
    app.add_handler(CommandHandler("ideas", ideas.ideas_command))
    app.add_handler(CommandHandler("victory", victories.victory_command))
    app.add_handler(CommandHandler("victories", victories.victories_command))
    app.add_handler(
        CommandHandler(["strength", "weakness", "opportunity", "threat"], swot.add_command)
    )
    app.add_handler(CommandHandler("swot", swot.board_command))
    app.add_handler(CommandHandler("swotvote", swot.vote_command))
    app.add_handler(CommandHandler("polls", polls.polls_command))
    app.add_handler(CommandHandler("meetings", meetings.meetings_command))
    app.add_handler(CommandHandler("agenda", meetings.agenda_command))
    app.add_handler(CommandHandler("minutes", meetings.minutes_command))
    app.add_handler(CommandHandler("vision", desk.vision_command))
    app.add_handler(CommandHandler("mydata", privacy.mydata_command))
    app.add_handler(CommandHandler("forgetme", privacy.forgetme_command))
    app.add_handler(CommandHandler("publicname", privacy.publicname_command))

    # The working group's commands.
    app.add_handler(CommandHandler("status", ideas.status_command))
    app.add_handler(CommandHandler("ideaset", ideas.ideaset_command))
    app.add_handler(CommandHandler("digest", digest.digest_command))
    app.add_handler(CommandHandler("settings", settings.settings_command))
    app.add_handler(CommandHandler("promote", admin.promote_command))
    app.add_handler(CommandHandler("demote", admin.demote_command))
    app.add_handler(CommandHandler("swotmerge", swot.merge_command))
    app.add_handler(CommandHandler("swotmove", swot.move_command))
    app.add_handler(CommandHandler("swothide", swot.hide_command))
    app.add_handler(CommandHandler("swotunhide", swot.unhide_command))
    app.add_handler(CommandHandler("ideaunhide", ideas.unhide_command))
    app.add_handler(CommandHandler("swotround", swot.round_command))
    app.add_handler(CommandHandler("poll", polls.poll_command))
    app.add_handler(CommandHandler("ideapoll", polls.ideapoll_command))
    app.add_handler(CommandHandler("closepoll", polls.closepoll_command))
    app.add_handler(CommandHandler("papervotes", polls.papervotes_command))
    app.add_handler(CommandHandler("decision", decisions.decision_command))
    app.add_handler(CommandHandler("budget", budget.budget_command))
    app.add_handler(CommandHandler("meeting", meetings.meeting_command))
    app.add_handler(CommandHandler("stats", desk.stats_command))
    app.add_handler(CommandHandler("export", desk.export_command))
    app.add_handler(CommandHandler("plan", desk.plan_command))
    app.add_handler(CommandHandler("goal", desk.goal_command))
    app.add_handler(CommandHandler("log", desk.log_command))

    # Buttons: each kind of callback data to its handler.
    for kind, callback in (
        (keyboards.LanguagePick, common.language_chosen),
        (keyboards.CommunityPick, common.village_chosen),
        (meeting_keys.RepeatPick, meetings.repeat_chosen),
        (meeting_keys.RsvpPick, meetings.rsvp_pressed),
        (meeting_keys.MeetingAction, meetings.meeting_action),
        (meeting_keys.MinutesTarget, meetings.minutes_moved),
        (idea_keys.SupportPress, ideas.support_pressed),
        (idea_keys.AreaPick, ideas.area_picked),
        (idea_keys.ManagePress, ideas.manage_pressed),
        (idea_keys.IdeaHide, ideas.hide_pressed),
        (idea_keys.WithdrawPress, ideas.withdraw_pressed),
        (idea_keys.IdeasPage, ideas.ideas_page),
        (idea_keys.DraftChoice, ideas.draft_chosen),
        (SwotRate, swot.rate_pressed),
        (SwotPart, swot.part_picked),
        (SwotFlow, swot.flow_pressed),
        (SwotRoundStart, swot.round_pressed),
        (SwotMerge, swot.merge_pressed),
        (SwotHide, swot.hide_pressed),
        (SwotPage, swot.page_pressed),
        (victory_keys.ApplausePress, victories.applause_pressed),
        (victory_keys.VictoryDecision, victories.decision_pressed),
        (victory_keys.VictoriesPage, victories.victories_page),
        (victory_keys.CelebrateIdea, victories.celebrate_pressed),
        (BuilderPress, poll_builder.builder_pressed),
        (ForgetPress, privacy.forget_pressed),
        (BallotToggle, budget.ballot_toggled),
    ):
        app.add_handler(CallbackQueryHandler(callback, pattern=keyboards.pattern(kind)))

    # Replies to an idea's card or /idea N view (group or private) are comments on the idea.
    app.add_handler(
        MessageHandler(
            filters.TEXT & ~filters.COMMAND & ideas.REPLIES_TO_IDEA, ideas.comment_by_reply
        )
    )

    # Votes: Telegram's counts for the bot's polls, and members' answers to public ones.
    app.add_handler(PollHandler(polls.poll_updated))
    app.add_handler(PollAnswerHandler(polls.poll_answered))

    # The bot's own membership, other members, and group upgrades.
    app.add_handler(
        ChatMemberHandler(groups.bot_membership_changed, ChatMemberHandler.MY_CHAT_MEMBER)
    )
    app.add_handler(ChatMemberHandler(groups.member_changed, ChatMemberHandler.CHAT_MEMBER))
    app.add_handler(MessageHandler(filters.StatusUpdate.MIGRATE, groups.chat_migrated))
    app.add_handler(MessageHandler(filters.StatusUpdate.NEW_CHAT_MEMBERS, groups.members_joined))
    app.add_handler(MessageHandler(filters.StatusUpdate.LEFT_CHAT_MEMBER, groups.member_left))

    # Plain text in private chat: the answer to a guided flow's question.
    app.add_handler(
        MessageHandler(
            filters.ChatType.PRIVATE & filters.TEXT & ~filters.COMMAND, flows.private_text
        )
    )

    # Catch-alls: unknown commands, and presses of buttons that no longer exist.
    app.add_handler(MessageHandler(filters.COMMAND, common.unknown_command))
    app.add_handler(CallbackQueryHandler(common.stale_button))

    # Scheduled work, derived from the database at start-up.
    scheduler.add_source(app, digest.digest_jobs)
    scheduler.add_community_source(app, digest.schedule_next)
    scheduler.add_source(app, poll_lifecycle.reschedule)
    scheduler.add_source(app, decisions.review_source)
    scheduler.add_source(app, budget.reschedule)
    scheduler.add_source(app, meeting_jobs.meetings_source)
    scheduler.add_community_source(app, meeting_jobs.schedule)

    # Live cards, drawn from the database whenever the outbox sends one.
    runtime = app.bot_data[RUNTIME_KEY]
    for views in (
        ideas.VIEWS,
        victories.VIEWS,
        meeting_cards.VIEWS,
        poll_lifecycle.VIEWS,
        desk.VIEWS,
        swot.VIEWS,
        budget.VIEWS,
    ):
        for card, view in views.items():
            runtime.outbox.views[card] = functools.partial(view, runtime)

    app.add_error_handler(on_error)
