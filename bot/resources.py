"""Where the migrations and catalogs are: in an installed wheel, or at the top of a checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _resource(name: str) -> Path:
    packaged = _PACKAGE / "_data" / name
    return packaged if packaged.is_dir() else _PACKAGE.parent / name


def migrations_dir() -> Path:
    return _resource("migrations")


def locales_dir() -> Path:
    return _resource("locales")
