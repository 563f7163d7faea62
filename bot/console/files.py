"""Where the console saves the pictures and files the bot sends.

Names go on numbering from the files already in the folder, so a new run never writes over
an export, chart or .ics an earlier run saved (not even when two consoles share the folder:
each file is created exclusively, and a taken name moves on to the next number).
"""

from __future__ import annotations

import re
from pathlib import Path

_UNSAFE = re.compile(r"[^\w.\-]+")
_NUMBERED = re.compile(r"^(\d+)-")


class FileShelf:
    """Saves each file under a fresh `NNN-name` in one folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._last: int | None = None

    def save(self, name: str, content: bytes) -> Path:
        self.folder.mkdir(parents=True, exist_ok=True)
        if self._last is None:
            self._last = self._highest()
        safe = _UNSAFE.sub("_", name) or "file"
        while True:
            self._last += 1
            path = self.folder / f"{self._last:03d}-{safe}"
            try:
                with path.open("xb") as file:
                    file.write(content)
            except FileExistsError:
                continue
            return path

    def _highest(self) -> int:
        numbers = (_NUMBERED.match(path.name) for path in self.folder.iterdir())
        return max((int(found.group(1)) for found in numbers if found), default=0)
