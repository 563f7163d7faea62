"""Domain errors carry a message id and its parameters; one place in handlers translates them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


class DomainError(Exception):
    """A rule was broken; `message` is an untranslated message id marked with N_."""

    def __init__(self, message: str | tuple[str, str], **params: Any) -> None:
        """`message` from N_, or from n_ (singular and plural, chosen by the parameter `n`)."""
        singular, plural = (message, None) if isinstance(message, str) else message
        super().__init__(singular)
        self.message = singular
        self.plural = plural
        self.params = params


class NotAllowed(DomainError):
    """The caller lacks the right for this action."""


class NotFound(DomainError):
    """The item does not exist in the caller's community."""


class InvalidInput(DomainError):
    """The input is malformed, too long, too short or otherwise unusable."""


@dataclass(frozen=True)
class Money:
    """An amount in cents among an error's parameters: shown as money in the reader's language."""

    cents: int
