"""Terminal styling only where it belongs: a TTY, NO_COLOR unset or empty, TERM not dumb."""

from __future__ import annotations

import io
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli_common import use_color

ROOT = Path(__file__).resolve().parents[2]
ESC = b"\x1b["


class Terminal(io.StringIO):
    """A text stream that says it is a terminal."""

    def isatty(self) -> bool:
        if self.closed:
            raise ValueError("I/O operation on closed file")  # as a real closed file does
        return True


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, True),
        ({"TERM": "xterm-256color"}, True),
        ({"NO_COLOR": ""}, True),  # no-color.org: only a non-empty value turns colour off
        ({"NO_COLOR": "1"}, False),
        ({"NO_COLOR": "0"}, False),  # any non-empty value, whatever it says
        ({"TERM": "dumb"}, False),
        ({"TERM": "dumb", "NO_COLOR": ""}, False),
    ],
)
def test_a_terminal_gets_colour_unless_told_otherwise(environ: dict[str, str], expected: bool) -> None:
    assert use_color(Terminal(), environ) is expected


def test_pipes_and_closed_streams_never_get_colour() -> None:
    assert use_color(io.StringIO(), {}) is False
    closed = Terminal()
    closed.close()
    assert use_color(closed, {}) is False


def chat_on_a_terminal(db_url: str, tmp_path: Path, **env: str) -> bytes:
    """`cusdev chat` with its output on a pseudo-terminal (input piped): everything it wrote there."""
    environ = {key: value for key, value in os.environ.items() if key not in ("NO_COLOR", "TERM")}
    environ.update(DATABASE_URL=db_url, **env)
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "chat", "--script", "quick", "--as", "alice"],
        cwd=ROOT,
        env=environ,
        stdin=subprocess.PIPE,
        stdout=follower,
        stderr=subprocess.DEVNULL,
    )
    os.close(follower)
    assert process.stdin is not None
    process.stdin.write(b"/quit\n")
    process.stdin.close()
    output = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the follower side closed: the process is done
            break
        if not chunk:
            break
        output += chunk
    os.close(leader)
    assert process.wait(timeout=30) == 0, output
    assert b"Who did you talk to?" in output
    return output


@pytest.mark.slow
def test_chat_on_a_terminal_is_styled_and_plain_with_no_color_or_a_dumb_terminal(tmp_path: Path) -> None:
    db_url = f"sqlite:///{tmp_path / 'cusdev.db'}"
    assert ESC in chat_on_a_terminal(db_url, tmp_path, TERM="xterm")
    assert ESC not in chat_on_a_terminal(db_url, tmp_path, TERM="xterm", NO_COLOR="1")
    assert ESC not in chat_on_a_terminal(db_url, tmp_path, TERM="dumb")
