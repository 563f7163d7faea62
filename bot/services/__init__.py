"""Domain logic: plain async functions over an AsyncSession, with no Telegram imports.

`Session` is the session every service takes: handlers name its type from here, so they import
no SQLAlchemy themselves (a layer contract in pyproject.toml)."""

from sqlalchemy.ext.asyncio import AsyncSession as Session

__all__ = ["Session"]
