"""The layers' import contracts (pyproject.toml [tool.importlinter]) hold, and each one bites.

The contracts are checked by import-linter in a subprocess: it builds the import graph of the
packages found from its working directory, which a copy of the tree in tmp_path can replace.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
_LINT = "from importlinter.cli import lint_imports_command; lint_imports_command()"


def lint_imports(tree: Path) -> subprocess.CompletedProcess[str]:
    """Runs `lint-imports` on the bot and handlers packages (and the contracts) in this tree."""
    environment = {**os.environ, "PYTHONPATH": str(tree)}
    return subprocess.run(
        [sys.executable, "-c", _LINT, "--no-cache"],
        cwd=tree,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_code_keeps_every_contract() -> None:
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "source", "contract"),
    [
        ("bot/services/probe.py", "import telegram\n", "Services import no telegram"),
        ("bot/render/probe.py", "from handlers import common\n", "Render imports no handlers"),
        (
            "bot/render/probe.py",
            "from bot.wire import cards\n",
            "Services and render import no wire",
        ),
        ("bot/probe.py", "import handlers\n", "Only the app imports handlers"),
        (
            "handlers/probe.py",
            "from bot.testing import BotApiEmulator\n",
            "Production code never imports the test emulator",
        ),
        ("bot/probe.py", "from bot.console import main\n", "Only the CLI starts the console"),
        ("handlers/probe.py", "from sqlalchemy import select\n", "Handlers import no sqlalchemy"),
    ],
)
def test_a_new_module_that_crosses_a_layer_is_caught(
    tmp_path: Path, module: str, source: str, contract: str
) -> None:
    ignore = shutil.ignore_patterns("__pycache__")
    for package in ("bot", "handlers"):
        shutil.copytree(ROOT / package, tmp_path / package, ignore=ignore)
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    (tmp_path / module).write_text(f"from __future__ import annotations\n\n{source}")
    result = lint_imports(tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    broken = [line for line in result.stdout.splitlines() if " BROKEN" in line]
    assert any(line.startswith(contract) for line in broken), result.stdout
    assert "probe" in result.stdout
