"""deploy/systemd/cusdev.service: systemd's own verifier accepts it, and it runs cusdev as the image does."""

from __future__ import annotations

import shutil
import subprocess
from configparser import ConfigParser
from pathlib import Path

import pytest

from tests.deploy.deploy_files import SYSTEMD_UNIT

INSTALLED_AT = "/opt/cusdev"  # where the unit expects deploy/install.sh to have put the virtualenv


def unit() -> ConfigParser:
    parser = ConfigParser(strict=False, interpolation=None, delimiters=("=",))
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(SYSTEMD_UNIT, encoding="utf-8")
    return parser


def verify(path: Path) -> subprocess.CompletedProcess[str]:
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed (Debian package systemd)")
    return subprocess.run([analyze, "verify", str(path)], capture_output=True, text=True, timeout=60, check=False)


@pytest.fixture
def unit_for_this_machine(tmp_path: Path) -> Path:
    """The unit with its virtualenv pointed at a stand-in cusdev, as systemd-analyze checks that ExecStart exists."""
    bin_dir = tmp_path / "venv" / "bin"
    bin_dir.mkdir(parents=True)
    (bin_dir / "cusdev").write_text("#!/bin/sh\nexit 0\n", encoding="utf-8")
    (bin_dir / "cusdev").chmod(0o755)
    copy = tmp_path / "cusdev.service"
    copy.write_text(SYSTEMD_UNIT.read_text(encoding="utf-8").replace(INSTALLED_AT, str(tmp_path / "venv")))
    return copy


def test_systemd_analyze_verify_accepts_the_unit(unit_for_this_machine: Path) -> None:
    result = verify(unit_for_this_machine)
    assert result.returncode == 0 and not result.stderr.strip(), result.stderr


def test_systemd_analyze_verify_rejects_a_broken_unit(unit_for_this_machine: Path) -> None:
    text = unit_for_this_machine.read_text(encoding="utf-8").replace("Restart=on-failure", "Restart=sometimes")
    unit_for_this_machine.write_text(text, encoding="utf-8")
    assert "restart specifier, ignoring: sometimes" in verify(unit_for_this_machine).stderr


def test_the_service_migrates_then_runs_as_its_own_user_and_stops_like_the_container() -> None:
    service = unit()["Service"]
    assert service["ExecStartPre"] == f"{INSTALLED_AT}/bin/cusdev db upgrade"
    assert service["ExecStart"] == f"{INSTALLED_AT}/bin/cusdev run"
    assert service["User"] == "cusdev" and service["EnvironmentFile"] == "/etc/cusdev/cusdev.env"
    assert service["Restart"] == "on-failure" and service["KillSignal"] == "SIGTERM"
    assert service["TimeoutStopSec"] == "15"


def test_the_service_writes_only_its_state_folder() -> None:
    service = unit()["Service"]
    assert service["NoNewPrivileges"] == "yes" and service["ProtectSystem"] == "strict"
    state = f"/var/lib/{service['StateDirectory']}"
    assert service["WorkingDirectory"] == state and service["ReadWritePaths"] == state
    database = [
        line
        for line in SYSTEMD_UNIT.read_text(encoding="utf-8").splitlines()
        if line.startswith("Environment=DATABASE_URL")
    ]
    assert database == [f"Environment=DATABASE_URL=sqlite:///{state}/cusdev.db"]
