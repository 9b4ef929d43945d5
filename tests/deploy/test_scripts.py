"""The shell scripts the image and the VM install run: ShellCheck finds nothing in them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.deploy.deploy_files import DEPLOY

SHELLCHECK = Path(sys.executable).parent / "shellcheck"


def shellcheck(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(SHELLCHECK), str(path)], capture_output=True, text=True, timeout=60, check=False)


@pytest.mark.parametrize("script", sorted(DEPLOY.glob("*.sh")), ids=lambda path: path.name)
def test_shellcheck_finds_nothing(script: Path) -> None:
    result = shellcheck(script)
    assert result.returncode == 0, result.stdout


def test_shellcheck_flags_an_unquoted_variable(tmp_path: Path) -> None:
    bad = tmp_path / "bad.sh"
    bad.write_text("#!/bin/sh\nrm -rf $1/venv\n", encoding="utf-8")
    assert "SC2086" in shellcheck(bad).stdout
