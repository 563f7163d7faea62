"""The installed packages are the tested dependency set in requirements.lock (README, .ci/run)."""

from __future__ import annotations

import re
from importlib import metadata
from pathlib import Path

from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

LOCK = Path(__file__).resolve().parent.parent / "requirements.lock"
_PIN = re.compile(r"^(?P<name>[A-Za-z0-9._-]+)==(?P<version>[^\s;#]+)\s*(?:;(?P<marker>[^#]+))?")


def locked_versions(text: str) -> dict[str, str]:
    """Each package's pinned version here (a pin whose marker does not apply is skipped)."""
    environment = default_environment()
    pins: dict[str, str] = {}
    for line in text.splitlines():
        match = _PIN.match(line)
        if match is None:
            continue
        marker = match["marker"]
        parsed = Requirement(f"x; {marker.strip()}").marker if marker else None
        if parsed is not None and not parsed.evaluate(environment):
            continue
        pins[canonicalize_name(match["name"])] = match["version"]
    return pins


def installed_closure(root: str, extras: set[str]) -> dict[str, str]:
    """Every distribution the project needs with these extras, with its installed version."""
    found: dict[str, str] = {}
    pending: list[tuple[str, set[str]]] = [(root, extras)]
    while pending:
        name, wanted = pending.pop()
        distribution = metadata.distribution(name)
        for text in distribution.requires or []:
            requirement = Requirement(text)
            applies = requirement.marker is None or any(
                requirement.marker.evaluate({"extra": extra}) for extra in wanted | {""}
            )
            key = canonicalize_name(requirement.name)
            if not applies or key in found:
                continue
            found[key] = metadata.version(requirement.name)
            pending.append((requirement.name, set(requirement.extras)))
    return found


def test_the_lock_reads_pins_and_their_markers() -> None:
    pins = locked_versions(
        "# comment\n"
        "babel==2.19.0             # via villagebot\n"
        "colorama==0.4.6 ; sys_platform == 'nowhere'  # via pytest\n"
    )
    assert pins == {"babel": "2.19.0"}


def test_every_installed_dependency_is_the_locked_version() -> None:
    pins = locked_versions(LOCK.read_text(encoding="utf-8"))
    installed = installed_closure("villagebot", {"test"})
    assert installed, "villagebot's requirements were not found"
    unpinned = sorted(name for name in installed if name not in pins)
    assert unpinned == [], f"not in requirements.lock (run `bash .ci/lock`): {unpinned}"
    different = {
        name: (version, pins[name]) for name, version in installed.items() if version != pins[name]
    }
    assert different == {}, f"installed (left) differs from requirements.lock (right): {different}"


def test_the_lock_pins_the_installing_tools() -> None:
    pins = locked_versions(LOCK.read_text(encoding="utf-8"))
    assert {"pip", "hatchling", "uv", "babel", "python-telegram-bot"} <= set(pins)
