"""`cusdev chat` killed with SIGKILL mid-interview resumes at the same question with every answer kept."""

from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

CUSDEV = [sys.executable, "-m", "bot.cli"]
ROOT = Path(__file__).resolve().parents[2]


class Chat:
    """A real `cusdev chat` process fed through a pipe; reads its output line by line with timeouts."""

    def __init__(self, env: dict[str, str], *args: str) -> None:
        self.process = subprocess.Popen(
            [*CUSDEV, "chat", *args],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            bufsize=1,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line)

    def wait_for(self, text: str, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.2)
            except queue.Empty:
                continue
            self.seen.append(line)
            if text in line:
                return
        raise AssertionError(f"never saw {text!r}; output so far:\n{''.join(self.seen)}")

    def send(self, line: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()

    def kill(self) -> None:
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)


@pytest.fixture
def env(db_url: str, tmp_path: Path) -> dict[str, str]:
    return {**os.environ, "DATABASE_URL": db_url, "PYTHONUNBUFFERED": "1", "HOME": str(tmp_path)}


@pytest.mark.slow
def test_sigkill_mid_interview_then_resume(env: dict[str, str]) -> None:
    chat = Chat(env, "--script", "discovery", "--as", "alice")
    chat.wait_for("Who did you talk to?")
    answers = [
        ("Maria", "Which customer segment"),
        ("Dental clinics in Lisbon", "What is their role"),
        ("Practice manager", "How did you meet"),
        ("1", "When did the interview take place"),
        ("yesterday", "When does it come up"),
    ]
    for answer, next_prompt in answers:
        chat.send(answer)
        chat.wait_for(next_prompt)
    chat.kill()
    assert chat.process.returncode == -signal.SIGKILL

    again = Chat(env, "--script", "discovery", "--as", "alice")
    again.wait_for("continuing it")
    again.wait_for("When does it come up")
    again.send("/back")
    again.wait_for("When did the interview take place")
    again.wait_for("Now: ")
    again.kill()

    exported = subprocess.run(
        [*CUSDEV, "export", "--format", "json"], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    [interview] = json.loads(exported.stdout)["interviews"]
    assert interview["status"] == "in_progress"
    assert interview["answers"]["alias"] == "Maria"
    assert interview["answers"]["segment"] == "Dental clinics in Lisbon"
    assert interview["answers"]["role"] == "Practice manager"
    assert interview["answers"]["met_via"] == "warm_intro"
    assert interview["answers"]["interview_date"]
    assert interview["interviewee"] == {
        "alias": "Maria",
        "segment": "Dental clinics in Lisbon",
        "role": "Practice manager",
    }
