"""Button payloads: the one codec for what a pressed button sends back to the engine.

Wire format
-----------
A payload is ``"<turn>|<code>"``: the conversation's turn number when the button was drawn, a bar,
and a code saying what the button does. It is printable ASCII and at most 64 bytes (Telegram's
``callback_data`` limit). The turn stamp lets the engine recognise a press on an old screen as stale
without keeping any platform state. Buttons already sitting in chats keep working, so a code once
sent is never renamed or reused.

=============  ========================  ==============================================
code           typed value               meaning
=============  ========================  ==============================================
``b``          ``Action.BACK``           previous question (from the summary: last one)
``s``          ``Action.SKIP``           skip an optional question or list
``d``          ``Action.DONE``           finish the list being filled
``k``          ``Action.KEEP``           keep the answer shown (or the flagged one typed)
``p``          ``Action.PAUSE``          pause the interview
``sv``         ``Action.SAVE``           save the interview from the summary
``ed``         ``Action.EDIT_PICK``      choose which answer to edit
``ok``         ``Action.SELECTED``       done picking options of a multi-choice
``y``          ``Action.YES``            yes (a yes/no question, or confirm a cancel)
``n``          ``Action.NO``             no
``c``          ``Action.CONTINUE``       go on with the open interview instead of a new one
``rs``         ``Action.RESUME``         resume the paused interview
``cx``         ``Action.CANCEL``         ask to cancel the interview (a confirmation follows)
``pk``         ``Action.PICK``           show the interview picker
``nw``         ``Action.NEW``            type a new answer instead of one offered
``rp``         ``Action.REPLACE``        replace a flagged answer with the one typed after it
``o:<value>``  ``Option(value)``         pick an option of a choice question
``t:<value>``  ``Toggle(value)``         tick or untick an option of a multi-choice
``v<int>``     ``Scale(value)``          a point on a scale (may be negative)
``e<n>``       ``Edit(number)``          edit the answer numbered n in the summary
``i:<id>``     ``StartScript(script)``   start the interview script with this id
``x:<id>``     ``SwitchScript(script)``  cancel the open interview and start this script
``l:<code>``   ``Language(code)``        switch the conversation language
``dt:<date>``  ``Day(iso)``              answer a date question with this day (YYYY-MM-DD)
``a<n>``       ``Offered(number)``       the n-th answer offered on the screen (a team's segment, a top pain)
``g<n>:<cmd>``  ``Page(cmd, n)``         page n of a board list (``/hypotheses``); the
                                         service answers it, not the engine, at any turn
``q<n>:<b64>``  ``SearchPage(n, words)``  page n of ``/search`` for these words (UTF-8 in
                                         unpadded URL-safe base64); answered like a page
=============  ========================  ==============================================

Values are lowercase ASCII identifiers (``[a-z0-9_-]``, at most 40 characters, as scripts are
validated), so the longest payload is 18 digits + ``|`` + 3 (``dt:``) + 40 = 62 bytes. A search whose words do
not fit gets no page buttons (``search_page_payload`` says None); its reply says what to type instead.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass
from enum import StrEnum

MAX_BYTES = 64


class Action(StrEnum):
    """A button that carries no value."""

    BACK = "b"
    SKIP = "s"
    DONE = "d"
    KEEP = "k"
    PAUSE = "p"
    SAVE = "sv"
    EDIT_PICK = "ed"
    SELECTED = "ok"
    YES = "y"
    NO = "n"
    CONTINUE = "c"
    RESUME = "rs"
    CANCEL = "cx"
    PICK = "pk"
    NEW = "nw"
    REPLACE = "rp"


@dataclass(frozen=True)
class Option:
    """Pick one option of a choice question."""

    value: str

    def __str__(self) -> str:
        return f"o:{self.value}"


@dataclass(frozen=True)
class Toggle:
    """Tick or untick one option of a multi-choice question."""

    value: str

    def __str__(self) -> str:
        return f"t:{self.value}"


@dataclass(frozen=True)
class Scale:
    """A point on a scale question."""

    value: int

    def __str__(self) -> str:
        return f"v{self.value}"


@dataclass(frozen=True)
class Edit:
    """Edit the answer with this number in the summary."""

    number: int

    def __str__(self) -> str:
        return f"e{self.number}"


@dataclass(frozen=True)
class StartScript:
    """Start an interview with this script."""

    script: str

    def __str__(self) -> str:
        return f"i:{self.script}"


@dataclass(frozen=True)
class SwitchScript:
    """Cancel the open interview and start one with this script."""

    script: str

    def __str__(self) -> str:
        return f"x:{self.script}"


@dataclass(frozen=True)
class Language:
    """Switch the conversation to this language."""

    code: str

    def __str__(self) -> str:
        return f"l:{self.code}"


@dataclass(frozen=True)
class Day:
    """Answer a date question with this day, as drawn (a Today button pressed after midnight keeps its day)."""

    iso: str

    def __str__(self) -> str:
        return f"dt:{self.iso}"


@dataclass(frozen=True)
class Offered:
    """Pick the answer offered under this number on the screen (the engine keeps what it offered)."""

    number: int

    def __str__(self) -> str:
        return f"a{self.number}"


@dataclass(frozen=True)
class Page:
    """Show page `number` (from 1) of the list a board command shows; the pressed message turns to that page."""

    command: str
    number: int

    def __str__(self) -> str:
        return f"g{self.number}:{self.command}"


@dataclass(frozen=True)
class SearchPage:
    """Show page `number` of the search for `words` (as the search read them); the pressed message turns to it."""

    number: int
    words: str

    def __str__(self) -> str:
        packed = base64.urlsafe_b64encode(self.words.encode()).decode().rstrip("=")
        return f"q{self.number}:{packed}"


Code = (
    Action | Option | Toggle | Scale | Edit | StartScript | SwitchScript | Language | Day | Offered | Page | SearchPage
)

_ACTIONS = {action.value: action for action in Action}
_TEXT_CODES: dict[str, type[Option | Toggle | StartScript | SwitchScript | Language | Day]] = {
    "o": Option,
    "dt": Day,
    "t": Toggle,
    "i": StartScript,
    "x": SwitchScript,
    "l": Language,
}
_TURN = re.compile(r"[0-9]{1,18}")
_VALUE = re.compile(r"[a-z0-9_-]{1,40}")
_INT = re.compile(r"-?[0-9]{1,18}")
_PAGE = re.compile(r"g(0|[1-9][0-9]{0,3}):([a-z_]{1,20})")
_SEARCH_PAGE = re.compile(r"q([1-9][0-9]{0,3}):([A-Za-z0-9_-]{1,60})")


def search_page_payload(number: int, words: str) -> str | None:
    """The payload of a button showing that page of that search, or None when the words make it too long."""
    payload = encode(0, SearchPage(number, words))
    return payload if len(payload) <= MAX_BYTES else None


def _search_page(number: str, packed: str) -> SearchPage | None:
    try:
        words = base64.urlsafe_b64decode(packed + "=" * (-len(packed) % 4)).decode()
    except (ValueError, UnicodeDecodeError):
        return None
    return SearchPage(int(number), words) if words.strip() else None


def encode(turn: int, code: Code) -> str:
    """The payload of a button drawn at this turn."""
    return f"{turn}|{code}"


def decode(payload: str) -> tuple[int, Code] | None:
    """The turn and code of a payload; None when it is malformed, over-long, not ASCII or unknown."""
    if len(payload) > MAX_BYTES or not payload.isascii():
        return None
    turn, bar, text = payload.partition("|")
    code = parse_code(text)
    if not bar or not _TURN.fullmatch(turn) or code is None:
        return None
    return int(turn), code


def parse_code(text: str) -> Code | None:
    """The typed value of a code without its turn stamp; None when it is not one of the table's."""
    if text in _ACTIONS:
        return _ACTIONS[text]
    if page := _PAGE.fullmatch(text):
        return Page(page.group(2), int(page.group(1)))
    if searched := _SEARCH_PAGE.fullmatch(text):
        return _search_page(searched.group(1), searched.group(2))
    prefix, colon, value = text.partition(":")
    if colon and prefix in _TEXT_CODES and _VALUE.fullmatch(value):
        return _TEXT_CODES[prefix](value)
    if text[:1] in ("v", "e", "a") and _INT.fullmatch(text[1:]):
        number = int(text[1:])
        if text[0] == "v":
            return Scale(number)
        if number < 0:
            return None
        return Edit(number) if text[0] == "e" else Offered(number)
    return None
