"""villagebot: a Telegram bot for a village's own development, the Smart Villages way."""

__version__ = "0.1.0"
