"""Bot API call parameters as they arrive (query, form, multipart or JSON) and its error answers."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any


class ApiError(Exception):
    """An error answer of the Bot API: HTTP code, description and optional parameters."""

    def __init__(
        self, code: int, description: str, parameters: dict[str, Any] | None = None
    ) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.parameters = parameters

    def to_api(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.code,
            "description": self.description,
        }
        if self.parameters:
            body["parameters"] = self.parameters
        return body


def bad_request(description: str, **parameters: Any) -> ApiError:
    return ApiError(400, f"Bad Request: {description}", parameters or None)


def forbidden(description: str) -> ApiError:
    return ApiError(403, f"Forbidden: {description}")


@dataclass
class Upload:
    filename: str
    content: bytes
    content_type: str = "application/octet-stream"


@dataclass
class Params:
    """Typed access to parameters that may be strings (form data) or JSON values."""

    raw: dict[str, Any]
    files: dict[str, Upload] = field(default_factory=dict)

    def has(self, name: str) -> bool:
        return self.raw.get(name) not in (None, "")

    def text(self, name: str, default: str | None = None) -> str | None:
        value = self.raw.get(name)
        return default if value is None else str(value)

    def required_text(self, name: str) -> str:
        value = self.text(name)
        if value is None or value == "":
            raise bad_request(f"{name} is empty")
        return value

    def integer(self, name: str, default: int | None = None) -> int | None:
        value = self.raw.get(name)
        if value is None or value == "":
            return default
        try:
            return int(value)
        except (TypeError, ValueError) as exc:
            raise bad_request(f"invalid {name} specified") from exc

    def required_integer(self, name: str) -> int:
        value = self.integer(name)
        if value is None:
            raise bad_request(f"{name} is empty")
        return value

    def number(self, name: str, default: float = 0.0) -> float:
        value = self.raw.get(name)
        if value is None or value == "":
            return default
        try:
            return float(value)
        except (TypeError, ValueError) as exc:
            raise bad_request(f"invalid {name} specified") from exc

    def flag(self, name: str, default: bool = False) -> bool:
        value = self.raw.get(name)
        if value is None or value == "":
            return default
        if isinstance(value, bool):
            return value
        return str(value).lower() in ("true", "1")

    def json(self, name: str) -> Any:
        value = self.raw.get(name)
        if isinstance(value, str):
            try:
                return json.loads(value)
            except ValueError as exc:
                raise bad_request(f"can't parse {name} JSON object") from exc
        return value
