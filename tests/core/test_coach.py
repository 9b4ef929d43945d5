"""Tests for core.interview.coach: the Mom Test coach flags."""

from __future__ import annotations

import re

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from core.interview.coach import FLAGS, LISTS, coach_flags, compile_words

H, C, G, F = "hypothetical", "compliment", "generality", "feature_request"


def test_flag_order() -> None:
    assert FLAGS == (H, C, G, F)


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
    assert set(data) == set(LISTS)
    for flag in LISTS:
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


# --- reading a flagged word in its sentence (issue 8) ---------------------------------------------


@pytest.mark.parametrize(
    ("text", "flags"),
    [
        # 'd before a past participle is "had": a fact, not a wish
        ("she'd already paid", ()),
        ("She\u2019d paid twice before we met", ()),
        ("I'd never used a template", (G,)),  # "never" is still a generality; the 'd is not hypothetical
        ("она уже заплатила", ()),
        # "could not" is a past inability
        ("he could not find it", ()),
        ("He couldn't find the invoice", ()),
        ("он не смог найти счёт", ()),
        # would + a habit adverb is a habit; a past anchor in the sentence lowers the habit too
        ("I would normally… last Tuesday", ()),
        ("I would normally do it by hand, but last Tuesday she used a template", ()),
        ("Обычно делаю это вручную, но в прошлый вторник попробовала шаблон", ()),
        ("Обычно сверяю вручную, а вчера всё упало", ()),
        ("Usually it takes a day; three weeks ago it took four", ()),
        ("We usually do it on paper, but yesterday she used Excel", ()),
        ("Normally she calls; last week she emailed", ()),
        ("Обычно считаю вручную, но в прошлый раз заказала сверку у бухгалтера", ()),
        ("Как правило, платим сами, а на прошлой неделе заплатил клиент", ()),
        ("We normally close the books on 2026-11-03", ()),
        ("Обычно сдаём 5 марта", ()),
        # a capital Will is a name
        ("Mr. Will Smith runs the studio", ()),
        ("Will Smith said no", ()),
        ("I met Will at the fair", ()),
        ("Will from accounting handles it", ()),
        # a quantifier with a past verb tells one event
        ("nobody answered on Friday", ()),
        ("I called 15 people, nobody picked up", ()),
        ("обзвонил 15 человек, никто не взял трубку", ()),
        ("в пятницу никто не ответил", ()),
        # «все» before a noun is "all the", not "everyone"
        ("все отчёты делаю сама", ()),
        ("I do all the reports myself", ()),
        ("все равно неудобно", ()),
        ("Все счета выставляю вручную", ()),
        # «интересно, а сколько…» wonders; it does not praise
        ("Интересно, а сколько это стоит?", ()),
        # a negation just before a compliment word
        ("I don't love it", ()),
        ("It's not a great idea for us", ()),
        ("ему не нравится Excel", ()),
        ("he doesn't like Excel", ()),
        ("мне не очень понравилось", ()),
        ("这个我不喜欢", ()),
        # a negation right before a generality hedges it
        ("It's not always that bad", ()),
        ("не всегда так", ()),
        # "interesting" before a noun describes something
        ("An interesting thing happened on 2026-11-03: she paid twice", ()),
        ("It was interesting to watch her reconcile by hand", ()),
        # a past intention is a fact
        ("we were going to hire someone", ()),
        ("мы собирались нанять бухгалтера", ()),
    ],
)
def test_false_positives_are_not_flagged(text: str, flags: tuple[str, ...]) -> None:
    assert coach_flags(text) == flags


@pytest.mark.parametrize(
    ("text", "flag"),
    [
        ("куплю", H),
        ("Куплю, если будет скидка", H),
        ("I'll buy it", H),
        ("заплачу, если сделаете", H),
        ("I'll pay if you build it", H),
        ("попробую", H),
        ("I'll try it", H),
        ("интересная идея", C),
        ("interesting", C),
        ("Interesting idea", C),
        ("Interesting, but not for us", C),
        ("That's really interesting.", C),
        ("огонь", C),
        ("Огонь!", C),
        ("понравилось", C),
        ("Мне понравилось", C),
        ("I liked it", C),
        ("looks great", C),
        ("Looks good to me", C),
        ("выглядит круто", C),
        ("keep me posted", C),
        ("Keep us in the loop", C),
        ("дайте знать, когда запуститесь", C),
        ("держите в курсе", C),
        ("let me know when you launch", C),
        ("you should add a calendar export", F),
        ("You should build a mobile app", F),
        ("It would be nice if it had reminders", F),
        ("добавьте экспорт в Excel", F),
        ("вам стоит добавить напоминания", F),
        ("хорошо бы добавить календарь", F),
    ],
)
def test_misses_are_caught(text: str, flag: str) -> None:
    assert flag in coach_flags(text)


@pytest.mark.parametrize(
    ("text", "flag"),
    [
        ("I would pay for that", H),
        ("I'd need it every week", H),
        ("I'd never use it", H),
        ("Will you pay for it?", H),
        ("Yesterday she said she would pay", H),  # a reported wish is still a wish
        ("было бы здорово", H),
        ("было бы здорово", C),
        ("everyone hates it", G),
        ("Everyone hates Excel. Last week I tried it.", G),  # the anchor reaches only its own sentence
        ("everyone I talked to hates it", G),
        ("Все так делают", G),
        ("все хотят простую кнопку", G),
        ("так делают все", G),
        ("Все клиенты платят с опозданием", G),
        ("все мои клиенты пользуются Excel", G),
        ("Will do", H),
        ("Will pay next month", H),
        ("никто не платит вовремя", G),
        ("usually on Fridays", G),
        ("I would normally do it by hand", G),
        ("No, I love it", C),
        ("I've never seen anything so amazing", C),
        ("The no-code tool is awesome", C),
        ("I don't know, sounds great", C),
        ("Мне нравится", C),
    ],
)
def test_still_flagged(text: str, flag: str) -> None:
    assert flag in coach_flags(text)


def test_patterns_are_unicode_word_bounded() -> None:
    assert re.search(r"\bбы\b", "был") is None  # sanity: Python's re is Unicode-aware for str
