"""Domain errors carry a message id and its parameters; one place in handlers translates them."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A rule was broken; `message` is an untranslated message id marked with N_."""

    def __init__(self, message: str, **params: Any) -> None:
        super().__init__(message)
        self.message = message
        self.params = params


class NotAllowed(DomainError):
    """The caller lacks the right for this action."""


class NotFound(DomainError):
    """The item does not exist in the caller's community."""


class InvalidInput(DomainError):
    """The input is malformed, too long, too short or otherwise unusable."""
