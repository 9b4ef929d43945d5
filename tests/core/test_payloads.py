"""The button payload codec: every code round-trips, old wire strings decode as before, junk is refused."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.interview.payloads import (
    MAX_BYTES,
    Action,
    Code,
    Day,
    Edit,
    Language,
    Offered,
    Option,
    Page,
    Scale,
    SearchPage,
    StartScript,
    SwitchScript,
    Toggle,
    decode,
    encode,
    search_page_payload,
)

# Payloads as the engine wrote them before the codec existed (f"{turn}|{code}"); buttons like these sit in chats.
OLD_PAYLOADS: list[tuple[str, int, Code]] = [
    ("3|b", 3, Action.BACK),
    ("3|s", 3, Action.SKIP),
    ("3|d", 3, Action.DONE),
    ("3|k", 3, Action.KEEP),
    ("3|p", 3, Action.PAUSE),
    ("17|sv", 17, Action.SAVE),
    ("17|ed", 17, Action.EDIT_PICK),
    ("9|ok", 9, Action.SELECTED),
    ("9|y", 9, Action.YES),
    ("9|n", 9, Action.NO),
    ("4|o:agency", 4, Option("agency")),
    ("4|t:spreadsheet", 4, Toggle("spreadsheet")),
    ("5|v4", 5, Scale(4)),
    ("5|v-2", 5, Scale(-2)),
    ("18|e3", 18, Edit(3)),
    ("18|e12", 18, Edit(12)),
    ("0|i:quick", 0, StartScript("quick")),
    ("1|i:discovery", 1, StartScript("discovery")),
    ("2|l:ru", 2, Language("ru")),
    ("2|l:en", 2, Language("en")),
]


@pytest.mark.parametrize(("payload", "turn", "code"), OLD_PAYLOADS)
def test_yesterdays_payloads_decode_the_same_way(payload: str, turn: int, code: Code) -> None:
    assert decode(payload) == (turn, code)
    assert encode(turn, code) == payload


def test_a_board_page_has_its_own_code() -> None:
    assert encode(0, Page("hypotheses", 3)) == "0|g3:hypotheses"
    assert decode("0|g3:hypotheses") == (0, Page("hypotheses", 3))
    assert decode("0|g3:Hypotheses") is None and decode("0|g:hypotheses") is None and decode("0|g12345:x") is None


def test_a_search_page_carries_its_words_in_any_script() -> None:
    assert encode(0, SearchPage(2, "booking no-show")) == "0|q2:Ym9va2luZyBuby1zaG93"
    assert decode("0|q2:Ym9va2luZyBuby1zaG93") == (0, SearchPage(2, "booking no-show"))
    russian = search_page_payload(3, "запись салона")
    assert russian is not None and russian.isascii() and decode(russian) == (0, SearchPage(3, "запись салона"))
    assert search_page_payload(2, "word " * 12) is None  # past Telegram's 64 bytes: no button, the reply says why
    assert decode("0|q2:!!") is None and decode("0|q0:Ym9v") is None and decode("0|q2:_w") is None  # not UTF-8


def test_switching_script_has_its_own_code() -> None:
    assert encode(7, SwitchScript("quick")) == "7|x:quick"
    assert decode("7|x:quick") == (7, SwitchScript("quick"))
    assert decode("7|c") == (7, Action.CONTINUE)


def test_the_phone_buttons_have_codes_of_their_own() -> None:
    assert decode("7|rs") == (7, Action.RESUME) and decode("7|cx") == (7, Action.CANCEL)
    assert decode("7|pk") == (7, Action.PICK) and decode("7|nw") == (7, Action.NEW)
    assert decode("7|dt:2026-11-21") == (7, Day("2026-11-21")) and encode(7, Offered(2)) == "7|a2"
    assert decode("7|a-1") is None and decode("7|d") == (7, Action.DONE)
    assert len(encode(10**18 - 1, Day("d" * 40))) == 62


def test_codes_read_as_their_wire_form() -> None:
    assert str(Action.SAVE) == "sv"
    assert f"{Option('a_b')}" == "o:a_b"


@pytest.mark.parametrize(
    "payload",
    [
        "",
        "b",
        "3",
        "3|",
        "|b",
        "x|b",
        "-1|b",
        "3|zz",
        "3|o:",
        "3|o:Capital",
        "3|o:a|b",
        "3|q:quick",
        "3|v",
        "3|v²",
        "3|v--1",
        "3|v" + "9" * 80,
        "3|e-1",
        "3|e",
        "３|b",
        "3|🙂",
        "3|i:" + "a" * 41,
        "1" * 19 + "|b",
        "3|b ",
    ],
)
def test_malformed_payloads_are_refused(payload: str) -> None:
    assert decode(payload) is None


def test_the_longest_payload_fits_and_anything_longer_is_refused_unread() -> None:
    longest = encode(10**18 - 1, SwitchScript("s" * 40))
    assert len(longest) == 61 and decode(longest) is not None
    assert decode("3|o:" + "a" * 10_000) is None


values = st.from_regex(r"[a-z0-9_-]{1,40}", fullmatch=True)
codes = st.one_of(
    st.sampled_from(list(Action)),
    st.builds(Option, values),
    st.builds(Toggle, values),
    st.builds(StartScript, values),
    st.builds(SwitchScript, values),
    st.builds(Language, values),
    st.builds(Scale, st.integers(-(10**17), 10**17)),
    st.builds(Edit, st.integers(0, 10**17)),
    st.builds(Day, values),
    st.builds(Offered, st.integers(0, 10**17)),
    st.builds(Page, st.from_regex(r"[a-z_]{1,20}", fullmatch=True), st.integers(0, 9999)),
)


@given(st.integers(0, 10**18 - 1), codes)
def test_every_code_round_trips_within_64_ascii_bytes(turn: int, code: Code) -> None:
    payload = encode(turn, code)
    assert payload.isascii() and len(payload.encode()) <= MAX_BYTES
    assert decode(payload) == (turn, code)


@given(st.text(max_size=80))
def test_decoding_never_raises(payload: str) -> None:
    decoded = decode(payload)
    assert decoded is None or encode(*decoded) == payload
