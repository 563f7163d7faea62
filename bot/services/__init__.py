"""Domain logic: plain async functions over an AsyncSession, with no Telegram imports."""
