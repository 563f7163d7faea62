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
    filters,
)

from bot import keyboards, scheduler
from bot.keyboards import meetings as meeting_keys
from bot.runtime import BotApplication
from handlers import admin, common, flows, groups, meeting_jobs, meetings, settings
from handlers.errors import on_error


def register(app: BotApplication) -> None:
    # Everyone's commands.
    app.add_handler(CommandHandler("start", common.start_command))
    app.add_handler(CommandHandler("help", common.help_command))
    app.add_handler(CommandHandler("language", common.language_command))
    app.add_handler(CommandHandler("village", common.village_command))
    app.add_handler(CommandHandler("cancel", flows.cancel_command))
    app.add_handler(CommandHandler("meetings", meetings.meetings_command))
    app.add_handler(CommandHandler("agenda", meetings.agenda_command))
    app.add_handler(CommandHandler("minutes", meetings.minutes_command))

    # The working group's commands.
    app.add_handler(CommandHandler("settings", settings.settings_command))
    app.add_handler(CommandHandler("promote", admin.promote_command))
    app.add_handler(CommandHandler("demote", admin.demote_command))
    app.add_handler(CommandHandler("meeting", meetings.meeting_command))

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
    # Meetings: how it repeats, RSVPs, leaders' changes, which meeting the minutes belong to.
    app.add_handler(
        CallbackQueryHandler(
            meetings.repeat_chosen, pattern=keyboards.pattern(meeting_keys.RepeatPick)
        )
    )
    app.add_handler(
        CallbackQueryHandler(
            meetings.rsvp_pressed, pattern=keyboards.pattern(meeting_keys.RsvpPick)
        )
    )
    app.add_handler(
        CallbackQueryHandler(
            meetings.meeting_action, pattern=keyboards.pattern(meeting_keys.MeetingAction)
        )
    )
    app.add_handler(
        CallbackQueryHandler(
            meetings.minutes_moved, pattern=keyboards.pattern(meeting_keys.MinutesTarget)
        )
    )

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
    scheduler.add_source(app, meeting_jobs.meetings_source)
