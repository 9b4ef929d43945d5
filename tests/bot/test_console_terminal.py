"""`cusdev chat` at a real terminal (a pseudo-terminal): line editing, history, long pastes, word wrapping."""

from __future__ import annotations

import codecs
import contextlib
import fcntl
import json
import os
import re
import select
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from bot.cli import app
from bot.console import render, wrap
from core.messages import Choice, Reply, TextBuilder

LEFT, UP = "\x1b[D", "\x1b[A"
VISIBLE = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[=>]|\r")


class Terminal:
    """`cusdev chat` running on a pseudo-terminal of a given width, typed into key by key."""

    def __init__(self, tmp_path: Path, columns: int) -> None:
        self.master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
        env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "SCRIPTS_DIR")}
        env |= {"DATABASE_URL": f"sqlite:///{tmp_path / 'cusdev.db'}", "NO_COLOR": "1", "TERM": "xterm"}
        command = [sys.executable, "-m", "bot.cli", "chat", "--script", "quick", "--as", "alice"]
        self.process = subprocess.Popen(
            command, stdin=slave, stdout=slave, stderr=slave, cwd=tmp_path, env=env, start_new_session=True
        )
        os.close(slave)
        self.screen = ""
        self.decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        """Reads can split a character ("›" is three bytes): the decoder keeps a partial one for the next read."""

    def read_until(self, text: str, timeout: float = 20) -> str:
        """Everything shown until `text` appears (the screen so far is kept in self.screen)."""
        self.wait_for(lambda screen: text in screen, repr(text), timeout)
        return VISIBLE.sub("", self.screen)

    def wait_for(self, shown: Callable[[str], bool], what: str, timeout: float = 20) -> None:
        """Read until the screen so far satisfies `shown`."""
        deadline = time.monotonic() + timeout
        while not shown(VISIBLE.sub("", self.screen)):
            assert time.monotonic() < deadline, f"{what} never showed; the screen:\n{self.screen[-2000:]}"
            self._drain(0.2)

    def type(self, keys: str) -> None:
        """Send keys in small pieces, reading the echo as we go so neither side blocks."""
        data = keys.encode()
        for start in range(0, len(data), 256):
            os.write(self.master, data[start : start + 256])
            self._drain(0.01)

    def _drain(self, wait: float) -> None:
        ready, _, _ = select.select([self.master], [], [], wait)
        if ready:
            with contextlib.suppress(OSError):  # the program has exited
                self.screen += self.decoder.decode(os.read(self.master, 65536))

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
        self.process.wait(timeout=10)
        os.close(self.master)


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    opened = Terminal(tmp_path, columns=50)
    yield opened
    opened.close()


def test_arrow_keys_edit_the_line_and_up_recalls_history(terminal: Terminal, tmp_path: Path) -> None:
    terminal.read_until("Who did you talk to?")
    terminal.type(f"Ana{LEFT}{LEFT}n\r")  # fix a typo in the middle: "Ana" → "Anna"
    terminal.read_until("Which customer segment")
    terminal.type(f"{UP}{LEFT}{LEFT}{LEFT}{LEFT}Dental \r")  # ↑ brings back "Anna"; edit it into a new answer
    terminal.read_until("biggest pain")
    exported, interview = quit_and_export(terminal, tmp_path)
    assert interview["answers"]["alias"] == "Anna"
    assert interview["answers"]["segment"] == "Dental Anna"
    assert "[D" not in exported and "[A" not in exported


def test_a_pasted_answer_longer_than_a_tty_line_arrives_whole(terminal: Terminal) -> None:
    terminal.read_until("Who did you talk to?")
    terminal.type("Anna\r")
    terminal.read_until("Which customer segment")
    terminal.type("Clinics\r")
    terminal.read_until("biggest pain")
    # Paste once the third prompt shows (readline has the tty by then), in pieces that wait for their echo, so a
    # loaded machine never fills the pty's input buffer; without line editing the kernel still cuts it at 4095.
    terminal.wait_for(lambda screen: screen.count("›") >= 3, "the third prompt")
    for pasted in range(500, 5001, 500):
        terminal.type("x" * 500)
        terminal.wait_for(lambda screen, pasted=pasted: screen.count("x") >= pasted, f"the echo of {pasted} x")
    terminal.type("\r")
    terminal.read_until("That's a long answer (5000 characters)")


def test_a_pasted_answer_of_several_lines_stays_one_answer(terminal: Terminal, tmp_path: Path) -> None:
    terminal.read_until("Who did you talk to?")
    terminal.type("Anna\r")
    terminal.read_until("Which customer segment")
    terminal.type("\x1b[200~Dental clinics\nin Kazan\x1b[201~\r")  # how a terminal brackets a pasted text
    terminal.read_until("biggest pain")
    _exported, interview = quit_and_export(terminal, tmp_path)
    assert interview["answers"]["segment"] == "Dental clinics\nin Kazan"


def test_screens_wrap_at_word_boundaries_to_the_terminal_width(terminal: Terminal) -> None:
    shown = terminal.read_until("Who did you talk to?")
    shown = terminal.read_until("enough.")
    lines = shown.split("\n")
    assert max(len(line) for line in lines) <= 50, [line for line in lines if len(line) > 50]
    assert "Who did you talk to? A first name or nickname is" in lines
    assert "enough." in lines


def test_escape_codes_are_kept_out_of_piped_answers(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", db_url)
    runner = CliRunner()
    runner.invoke(app, ["chat", "--script", "quick", "--as", "bob"], input=f"Bo{LEFT}b\x1bOA\n")
    [interview] = json.loads(runner.invoke(app, ["export"]).output)["interviews"]
    assert interview["answers"]["alias"] == "Bob"


def test_wrap_keeps_style_codes_out_of_the_width_and_hangs_choices() -> None:
    bold = "\033[1mWho did you talk to? A first name or nickname is enough.\033[0m"
    assert wrap(bold, 30) == "\033[1mWho did you talk to? A first\nname or nickname is enough.\033[0m"
    assert wrap("  1. A very long choice label that needs wrapping", 30) == (
        "  1. A very long choice label\n     that needs wrapping"
    )
    assert wrap("short\n\nlines stay", 30) == "short\n\nlines stay"


def test_numbered_buttons_are_not_numbered_twice() -> None:
    choices = ((Choice("1 · Name", "e1"), Choice("2 · Segment", "e2")), (Choice("10 · Cost today", "e3"),))
    shown = render(Reply(TextBuilder().add("Which answer?").build(), choices), color=False)
    assert shown.splitlines()[1:] == ["  1. Name", "  2. Segment", "  3. 10 · Cost today"]


def quit_and_export(terminal: Terminal, tmp_path: Path) -> tuple[str, dict[str, Any]]:
    """Leave the chat with /quit; the export's text and its one interview."""
    terminal.type("/quit\r")
    terminal.read_until("Bye!")
    terminal.process.wait(timeout=10)
    exported = CliRunner().invoke(app, ["export"], env={"DATABASE_URL": f"sqlite:///{tmp_path / 'cusdev.db'}"})
    [interview] = json.loads(exported.output)["interviews"]
    return exported.output, interview
