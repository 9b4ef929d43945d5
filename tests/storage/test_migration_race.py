"""Replicas (or a restart racing a `cusdev db upgrade`) migrating one database at once: all succeed, once."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from storage.database import schema_status

ROOT = Path(__file__).resolve().parents[2]


def test_three_processes_migrating_an_empty_database_at_once_all_succeed(empty_url: str) -> None:
    code = f"from storage.database import upgrade; upgrade({empty_url!r})"
    processes = [
        subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stderr=subprocess.PIPE, text=True) for _ in range(3)
    ]
    errors = [process.communicate(timeout=120)[1] for process in processes]
    assert [process.returncode for process in processes] == [0, 0, 0], errors
    assert schema_status(empty_url).state == "current"
