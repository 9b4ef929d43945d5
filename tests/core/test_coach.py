"""Tests for core.interview.coach: the Mom Test coach flags."""

from __future__ import annotations

import re

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from core.interview.coach import FLAGS, coach_flags, compile_words

H, C, G = "hypothetical", "compliment", "generality"


def test_flag_order() -> None:
    assert FLAGS == (H, C, G)


@pytest.mark.parametrize(
    "text",
    [
        "I would pay for that",
        "I wouldn't use it",
        "I'd pay $20",
        "I\u2019d pay $20",
        "We will try it next month",
        "I won't switch",
        "They'll probably buy",
        "it might help",
        "we could use that",
        "maybe",
        "we're going to hire someone",
        "gonna try it",
        "if there was an app for this I'd use it",
        "in the future we need this",
        "someday",
        "Я бы купил",
        "купил бы",
        "Буду пользоваться",
        "это будет полезно",
        "будем платить",
        "они будут",
        "Наверное, да",
        "наверно",
        "возможно",
        "может быть",
        "если бы было приложение",
        "в будущем",
        "когда-нибудь",
        "собираюсь попробовать",
        "собираемся внедрить",
        "我可能会用",
        "将来需要",
    ],
)
def test_hypothetical(text: str) -> None:
    assert H in coach_flags(text)


@pytest.mark.parametrize(
    "text",
    [
        "Love it!",
        "great idea",
        "Great Idea",
        "awesome",
        "amazing",
        "cool idea",
        "sounds great",
        "brilliant",
        "nice idea",
        "I like it",
        "Классная идея",
        "классно",
        "отличная идея",
        "супер",
        "круто",
        "здорово",
        "мне нравится",
        "гениально",
        "прикольно",
        "好主意",
        "太棒了",
    ],
)
def test_compliment(text: str) -> None:
    assert C in coach_flags(text)


@pytest.mark.parametrize(
    "text",
    [
        "we always do this",
        "usually on Fridays",
        "never",
        "often",
        "typically",
        "generally",
        "everyone hates it",
        "everybody",
        "nobody pays",
        "all the time",
        "ALWAYS",
        "всегда",
        "обычно",
        "никогда",
        "часто",
        "как правило",
        "все так делают",
        "постоянно",
        "каждый раз",
        "никто не платит",
        "我们总是这样",
        "大家都用",
    ],
)
def test_generality(text: str) -> None:
    assert G in coach_flags(text)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "Last week I paid $20 for a spreadsheet template",
        "I'm ill",
        "he was still there",
        "We tried Trello in March and dropped it after two weeks",
        "он был там",
        "бывает по-разному",
        "всего два раза",
        "Сначала купили Excel, потом бросили",
        "невозможно было найти",
        "наверху",
        "🙂🙂🙂",
        "\x00\x01\x02",
        "上周我们付了二十美元",
        "مرحبا بالعالم",
    ],
)
def test_clean(text: str) -> None:
    assert coach_flags(text) == ()


def test_wouldnt_counts_as_hypothetical() -> None:
    assert coach_flags("I wouldn't") == (H,)


def test_all_three_in_fixed_order() -> None:
    text = "Everyone needs this, awesome, I would definitely buy it"
    assert coach_flags(text) == (H, C, G)
    assert coach_flags("Все хотят, супер, купил бы") == (H, C, G)


def test_would_definitely_use_is_compliment_and_hypothetical() -> None:
    assert coach_flags("I would definitely use it") == (H, C)


def test_long_text_does_not_crash() -> None:
    assert coach_flags("word " * 10_000 + "always") == ()  # scanned only up to a limit
    assert coach_flags("always " + "word " * 10_000) == (G,)


def test_compile_words_prefix_and_phrases() -> None:
    patterns = compile_words({"hypothetical": {"ru": ["наверн*"]}, "compliment": {"en": ["great   idea"]}})
    assert patterns["hypothetical"].search("наверное")
    assert not patterns["hypothetical"].search("наверх")
    assert patterns["compliment"].search("great\nidea")
    assert not patterns["compliment"].search("greatidea")
    assert not patterns["generality"].search("always")  # a missing flag matches nothing


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ([], TypeError),
        ({"hypothetical": ["would"]}, TypeError),
        ({"hypothetical": {"en": [True]}}, TypeError),
        ({"opinion": {"en": ["think"]}}, ValueError),
        ({"hypothetical": {"en": [""]}}, ValueError),
    ],
)
def test_compile_words_rejects_bad_data(data: object, error: type[Exception]) -> None:
    with pytest.raises(error):
        compile_words(data)


def test_shipped_word_list_is_complete() -> None:
    from importlib import resources

    data = yaml.safe_load(resources.files("core.interview").joinpath("coach_words.yaml").read_text(encoding="utf-8"))
    assert set(data) == set(FLAGS)
    for flag in FLAGS:
        assert {"en", "ru"} <= set(data[flag])
        assert all(isinstance(entry, str) and entry for entries in data[flag].values() for entry in entries)


@given(st.text(max_size=500))
def test_never_raises(text: str) -> None:
    flags = coach_flags(text)
    assert isinstance(flags, tuple)
    assert all(flag in FLAGS for flag in flags)
    assert list(flags) == sorted(flags, key=FLAGS.index)
    assert len(set(flags)) == len(flags)


@given(st.text(alphabet=st.characters(categories=["L", "M", "N", "P", "Z", "So"]), max_size=200))
def test_never_raises_on_mixed_scripts(text: str) -> None:
    assert set(coach_flags(text)) <= set(FLAGS)


def test_patterns_are_unicode_word_bounded() -> None:
    assert re.search(r"\bбы\b", "был") is None  # sanity: Python's re is Unicode-aware for str
