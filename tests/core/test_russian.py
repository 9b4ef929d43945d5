"""Russian that reads naturally: no gender assumed for the interviewee, one term per idea, roubles, real plurals."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from core.i18n import gettext_for, ngettext_for
from core.interview.walk import item_fields
from core.scripts.model import AnyQuestion, ChoiceQuestion, HypothesesQuestion, ListQuestion, ScaleQuestion, Script
from tests.core.conftest import HYPOTHESES, Conversation

ru = gettext_for("ru")
# Personal pronouns and past-tense verbs that would make the interviewee a man (or a woman).
GENDERED = re.compile(
    r"(?<![а-яё])(он|его|ему|него|нему|ним|она|её|ей|неё|сказал|сказала|пообещал|пообещала)(?![а-яё])"
)
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


def script_strings(scripts: dict[str, Script]) -> Iterator[str]:
    """Every English string of the shipped scripts, and of the built-in hypothesis questions."""
    links = HypothesesQuestion(id="links", kind="hypotheses", prompt="Which hypotheses?")
    questions: list[AnyQuestion] = item_fields(links, HYPOTHESES)[1:]  # the first holds the team's own statements
    for script in scripts.values():
        yield script.title
        yield script.description
        questions += script.questions
        questions += [f for q in script.questions if isinstance(q, ListQuestion) for f in q.fields]
    for question in questions:
        yield from (text for text in (question.prompt, question.hint, question.short) if text)
        if isinstance(question, ChoiceQuestion):
            yield from (option.label for option in question.options)
        if isinstance(question, ScaleQuestion):
            yield from question.labels.values()
        if isinstance(question, ListQuestion):
            yield question.item_name


@pytest.fixture
def interview_strings(scripts: dict[str, Script]) -> list[tuple[str, str]]:
    return [(english, ru(english)) for english in dict.fromkeys(script_strings(scripts))]


def test_no_pronoun_assumes_the_interviewees_gender(interview_strings: list[tuple[str, str]]) -> None:
    gendered = [f"{en!r} -> {text!r}" for en, text in interview_strings if GENDERED.search(text.lower())]
    assert not gendered, "\n".join(gendered)


def test_no_english_left_in_the_interview(interview_strings: list[tuple[str, str]]) -> None:
    english = [f"{en!r} -> {text!r}" for en, text in interview_strings if LATIN_WORD.search(text)]
    assert not english, "\n".join(english)


def test_russian_examples_are_in_roubles(interview_strings: list[tuple[str, str]]) -> None:
    priced = [(en, text) for en, text in interview_strings if "$" in en]
    assert len(priced) >= 4
    for english, text in priced:
        assert "$" not in text and "₽" in text, (english, text)


def test_the_rewritten_questions_name_the_interviewee_as_sobesednik() -> None:
    for english in (
        "At what price would it be so cheap they'd doubt the quality?",
        "At what price would it start to feel expensive, though they'd still consider it?",
        "At what price would it be so expensive they'd never buy it?",
        "How would they feel if they could no longer use the product?",
        "Tell the story of the last time this happened to them. What did they actually do?",
        "What is their role or situation?",
        "Did they commit to a next step that costs them time, reputation or money?",
    ):
        assert "собеседник" in ru(english), english


def test_one_term_per_idea() -> None:
    assert [ru(p) for p in ("Customer Discovery", "Customer Validation", "Customer Creation")] == [
        "Обнаружение клиента",
        "Подтверждение клиента",
        "Создание клиента",
    ]
    assert (ru("Supports"), ru("Refutes")) == ("За", "Против")
    assert "за или против" in ru("Does this interview support or refute it?").replace("за эту гипотезу", "за")
    digest = [ru("Send /digest here in the group (or Slack channel) where your team should get it.")]
    digest.append(ru("The gate had not passed; your reason is recorded and shown in digests."))
    assert all("дайджест" in text and "сводк" not in text for text in digest), "сводка is the interview summary"


@pytest.mark.parametrize(("n", "word"), [(1, "пункт"), (2, "пункта"), (5, "пунктов"), (21, "пункт")])
def test_list_minimum_uses_plural_forms(n: int, word: str) -> None:
    n_ = ngettext_for("ru")
    text = n_("Please add at least {n} item before moving on.", "Please add at least {n} items before moving on.", n)
    assert text.format(n=n).startswith(f"Добавьте хотя бы {n} {word},")


def test_engine_says_the_list_minimum_in_russian(scripts: dict[str, Script]) -> None:
    convo = Conversation(scripts, lang="ru")
    convo.start("discovery")
    for text in ("Анна", "Студии", "Владелец", "1", "сегодня"):
        convo.send(text)
    assert convo.question == "jobs"
    convo.send("/done")
    assert "Добавьте хотя бы 1 пункт," in convo.text


def test_an_unknown_language_says_so_and_offers_the_known_ones(scripts: dict[str, Script]) -> None:
    convo = Conversation(scripts)
    convo.send("/lang de")
    assert "There is no language “de”. Choose one of: en, ru." in convo.text
    assert convo.codes == ["l:en", "l:ru"] and convo.state.lang == "en"
    convo.send("/lang")
    assert "Choose your language:" in convo.text


@pytest.mark.parametrize(("length", "word"), [(2001, "символ)"), (2002, "символа)"), (2005, "символов)")])
def test_the_long_answer_nudge_counts_characters_with_plural_forms(length: int, word: str) -> None:
    from core.interview.nudges import warning_prompt
    from core.interview.state import ConversationState

    text = warning_prompt(ConversationState(lang="ru"), ("long",), length, verbatim=False).plain_text
    assert f"({length} {word}" in text and "симв." not in text
    english = warning_prompt(ConversationState(), ("long",), 1, verbatim=False).plain_text
    assert "(1 character)" in english


@pytest.mark.parametrize(
    ("n", "money", "paid"),
    [
        (1, "1 денежного обязательства", "1 оплаченного заказа или платного пилота"),
        (3, "3 денежных обязательств", "3 оплаченных заказов или платных пилотов"),
        (5, "5 денежных обязательств", "5 оплаченных заказов или платных пилотов"),
    ],
)
def test_gate_labels_count_with_plural_forms(n: int, money: str, paid: str) -> None:
    from core.board.gate import GateFacts, evaluate_gate
    from core.board.phases import GateItem, GatesConfig

    items = [GateItem(id="money", check="money_commitments", min=n), GateItem(id="paid", check="paid", min=n)]
    gate = evaluate_gate("validation", GatesConfig(validation=items), GateFacts(), "ru")
    assert [item.label.split(" (")[0] for item in gate.items] == [f"Не меньше {money}", f"Не меньше {paid}"]
    english = evaluate_gate("validation", GatesConfig(validation=items[:1]), GateFacts(), "en").items[0].label
    assert english.startswith(f"At least {n} money commitment{'s' if n != 1 else ''} (")


@pytest.mark.parametrize(("n", "said"), [(1, "1 денежное обязательство."), (2, "2 денежных обязательства.")])
def test_the_status_pull_line_counts_money_commitments_with_plural_forms(n: int, said: str) -> None:
    from core.board.views import _money

    assert _money(n, "ru") == said
