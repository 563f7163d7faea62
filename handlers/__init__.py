"""`register(app)`: the one ordered list of every handler the bot has.

Order matters inside a group: PTB runs the first handler that matches. Commands come first,
then button presses, then service messages, and the catch-alls for unknown commands and stale
buttons come last.
"""

from __future__ import annotations

from telegram.ext import (
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    MessageHandler,
    PollAnswerHandler,
    PollHandler,
    filters,
)

from bot import keyboards, scheduler
from bot.keyboards.polls import BuilderPress
from bot.runtime import BotApplication
from handlers import (
    admin,
    common,
    decisions,
    flows,
    groups,
    poll_builder,
    poll_lifecycle,
    polls,
    settings,
)
from handlers.errors import on_error


def register(app: BotApplication) -> None:
    # Everyone's commands.
    app.add_handler(CommandHandler("start", common.start_command))
    app.add_handler(CommandHandler("help", common.help_command))
    app.add_handler(CommandHandler("language", common.language_command))
    app.add_handler(CommandHandler("village", common.village_command))
    app.add_handler(CommandHandler("cancel", flows.cancel_command))
    app.add_handler(CommandHandler("polls", polls.polls_command))

    # The working group's commands.
    app.add_handler(CommandHandler("settings", settings.settings_command))
    app.add_handler(CommandHandler("promote", admin.promote_command))
    app.add_handler(CommandHandler("demote", admin.demote_command))
    app.add_handler(CommandHandler("poll", polls.poll_command))
    app.add_handler(CommandHandler("closepoll", polls.closepoll_command))
    app.add_handler(CommandHandler("papervotes", polls.papervotes_command))
    app.add_handler(CommandHandler("decision", decisions.decision_command))

    # Buttons.
    app.add_handler(
        CallbackQueryHandler(
            common.language_chosen, pattern=keyboards.pattern(keyboards.LanguagePick)
        )
    )
    app.add_handler(
        CallbackQueryHandler(
            common.village_chosen, pattern=keyboards.pattern(keyboards.CommunityPick)
        )
    )

    app.add_handler(
        CallbackQueryHandler(poll_builder.builder_pressed, pattern=keyboards.pattern(BuilderPress))
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

    app.add_error_handler(on_error)

    # Scheduled work rebuilt from the database at start-up.
    scheduler.add_source(app, poll_lifecycle.reschedule)
    scheduler.add_source(app, decisions.review_source)
