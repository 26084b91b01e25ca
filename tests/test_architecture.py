"""The shape of the code, checked: layers and app boundaries, and modules small enough to read."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: Past this many lines a module holds more than one concern (README, "Layout").
MAX_MODULE_LINES = 500
#: Where long files are declarations, not logic: migrations and the model modules.
DECLARATIONS = ("migrations", "models")


def test_import_contracts_hold():
    """The contracts in pyproject.toml: core < db < ops < management/admin, no domain app in
    the shared package, learning uses no other app, content does not use behavior."""
    lint_imports = Path(sys.executable).parent / "lint-imports"
    result = subprocess.run(
        [str(lint_imports), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr


def test_no_module_is_too_long_to_read():
    tracked = subprocess.run(
        ["git", "ls-files", "*.py"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    too_long = {
        path: lines
        for path in tracked
        if not set(DECLARATIONS) & set(Path(path).parts)
        and (ROOT / path).exists()
        and (lines := len((ROOT / path).read_text().splitlines())) > MAX_MODULE_LINES
    }
    assert too_long == {}
