"""Whole interviews through each shipped script, in English and Russian, down to the saved record."""

from __future__ import annotations

import builtins
import io
import socket
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from core.domain import Commitment, EvidenceLink, Gain, Job, Pain, PriceAnswers
from core.interview.effects import AnswerSaved, InterviewCompleted, InterviewStarted
from core.interview.engine import step
from core.scripts.model import Script
from tests.core.conftest import HYPOTHESES, Conversation

LANGS = ["en", "ru"]


def walk(convo: Conversation, steps: list[str]) -> None:
    """Each step is typed text, or "#code" to press the button carrying that code."""
    for item in steps:
        if item.startswith("#"):
            convo.tap(item[1:])
        else:
            convo.send(item)
        assert convo.state.interview is None or convo.mode == "summary" or convo.question is not None


def finish(convo: Conversation) -> None:
    assert convo.mode == "summary"
    assert {"sv", "ed", "b", "p"} <= set(convo.codes)
    convo.tap("sv")
    assert convo.state.interview is None
    assert isinstance(convo.new_effects[-1], InterviewCompleted)


DISCOVERY = [
    "Anna",
    "Design studios in Berlin",
    "Owner of a 12-person studio",
    "#o:warm_intro",
    "yesterday",
    # jobs: when / want / so that, one item, then Done
    "a client pays an invoice late",
    "chase the payment without sounding rude",
    "pay my team on time",
    "#o:social",
    "#d",
    "Last Tuesday she spent three hours reconciling invoices by hand.",
    # pains: text, severity, frequency; two items
    "Month-end is a nightmare, I lose a whole day.",
    "#v4",
    "#o:weekly",
    "Clients ignore reminders",
    "#v5",
    "#o:monthly",
    "#d",
    "Excel and a part-time bookkeeper",
    "$200/mo",
    "Get paid within a week",
    "#d",
    # evidence: an existing hypothesis, then a new one with its statement
    "#o:h1",
    "#o:supports",
    "#o:new",
    "Studios switch banks for faster payouts",
    "#o:refutes",
    "#d",
    "Month-end is a nightmare",
    "#o:money",
    "Paid pilot from December",
    "€500",
]


@pytest.mark.parametrize("lang", LANGS)
def test_discovery_walk_builds_the_full_record(scripts: dict[str, Script], lang: str) -> None:
    convo = Conversation(scripts, lang=lang, hypotheses=HYPOTHESES)
    convo.start("discovery")
    walk(convo, DISCOVERY)
    finish(convo)
    record = convo.record()
    assert (record.alias, record.segment) == ("Anna", "Design studios in Berlin")
    assert record.role == "Owner of a 12-person studio"
    assert record.met_via == "warm_intro"
    assert record.interview_date == date(2026, 11, 21)
    sentence = {
        "en": "When a client pays an invoice late, I want to chase the payment without sounding rude, "
        "so that pay my team on time",
        "ru": "Когда a client pays an invoice late, я хочу chase the payment without sounding rude, "
        "чтобы pay my team on time",
    }[lang]
    parts = ("a client pays an invoice late", "chase the payment without sounding rude", "pay my team on time")
    assert record.jobs == (Job(sentence, *parts, "social"),)
    assert record.pains == (
        Pain("Month-end is a nightmare, I lose a whole day.", 4, "weekly"),
        Pain("Clients ignore reminders", 5, "monthly"),
    )
    assert record.gains == (Gain("Get paid within a week"),)
    assert record.price == PriceAnswers(spends_now=Decimal(200), currency="USD")
    assert record.commitments == (Commitment("money", "Paid pilot from December", Decimal(500), "EUR"),)
    quote = "Month-end is a nightmare"
    assert record.evidence == (
        EvidenceLink("supports", "strong", hypothesis="H1", quote=quote),
        EvidenceLink("refutes", "strong", new_statement="Studios switch banks for faster payouts", quote=quote),
    )
    assert record.quote == quote
    assert record.sean_ellis is None


VALIDATION = [
    "Boris",
    "Accountants at small agencies",
    "Head of finance",
    "1 500 ₽",
    "Landing page, 990 ₽ a month, automatic reminders",
    "She showed it to her partner and asked for a trial account",
    "#o:yes",  # used the product: Sean Ellis is asked
    "#o:very",
    "500",  # no currency: the last one typed (roubles) applies
    "1 000 ₽",
    "2 000 ₽",
    "5 000 ₽",
    "#o:time",
    "Demo with their finance lead on Thursday",
    "Needs SSO before rollout",
    "#o:h2",
    "#o:supports",
    "#d",
]


@pytest.mark.parametrize("lang", LANGS)
def test_validation_walk_records_price_commitment_and_sean_ellis(scripts: dict[str, Script], lang: str) -> None:
    convo = Conversation(scripts, lang=lang, hypotheses=HYPOTHESES)
    convo.start("validation")
    walk(convo, VALIDATION)
    assert "commitment_amount" not in convo.answers  # only asked for money commitments
    finish(convo)
    record = convo.record()
    assert record.alias == "Boris" and record.role == "Head of finance"
    assert record.price == PriceAnswers(
        spends_now=Decimal(1500),
        too_cheap=Decimal(500),
        bargain=Decimal(1000),
        getting_expensive=Decimal(2000),
        too_expensive=Decimal(5000),
        currency="RUB",
    )
    assert record.sean_ellis == "very"
    assert record.commitments == (Commitment("time", "Demo with their finance lead on Thursday"),)
    assert record.evidence == (EvidenceLink("supports", "strong", hypothesis="H2"),)
    assert record.quote is None and record.pains == () and record.jobs == ()


@pytest.mark.parametrize("lang", LANGS)
def test_sean_ellis_is_asked_only_of_someone_who_used_the_product(scripts: dict[str, Script], lang: str) -> None:
    not_used = [*VALIDATION[:6], "#o:no", *VALIDATION[8:]]  # not used: no Sean Ellis
    convo = Conversation(scripts, lang=lang, hypotheses=HYPOTHESES)
    convo.start("validation")
    walk(convo, not_used)
    assert "sean_ellis" not in convo.answers
    finish(convo)
    assert convo.record().sean_ellis is None


@pytest.mark.parametrize("lang", LANGS)
def test_sean_ellis_offers_no_longer_using_it_and_can_be_skipped(scripts: dict[str, Script], lang: str) -> None:
    for answer, recorded in (("#o:na", "na"), ("#s", None)):
        convo = Conversation(scripts, lang=lang, hypotheses=HYPOTHESES)
        convo.start("validation")
        walk(convo, VALIDATION[:7])
        assert convo.question == "sean_ellis"
        assert {"o:very", "o:somewhat", "o:not", "o:na", "s"} <= set(convo.codes)
        walk(convo, [answer, *VALIDATION[8:]])
        finish(convo)
        assert convo.record().sean_ellis == recorded


@pytest.mark.parametrize("lang", LANGS)
def test_quick_walk_takes_five_screens_and_records_the_essentials(scripts: dict[str, Script], lang: str) -> None:
    convo = Conversation(scripts, lang=lang)
    convo.send("/quick")
    walk(convo, ["Chen", "Freelance translators", "Invoices in three currencies", "#v5", "#o:reputation"])
    assert convo.question == "quote"
    walk(convo, ["Month-end is a nightmare"])
    finish(convo)
    record = convo.record()
    assert record.alias == "Chen" and record.segment == "Freelance translators"
    assert record.pains == (Pain("Invoices in three currencies", 5, None),)
    assert record.commitments == (Commitment("reputation"),)
    assert record.quote == "Month-end is a nightmare"
    assert record.price.is_empty() and record.evidence == ()


@pytest.mark.parametrize("lang", LANGS)
def test_effects_of_a_walk_start_save_each_answer_and_complete(
    scripts: dict[str, Script], lang: str, now: datetime
) -> None:
    convo = Conversation(scripts, now=now, lang=lang)
    convo.send("/quick")
    walk(convo, ["Chen", "Translators", "Invoices", "#v3", "#o:none", "#s"])
    finish(convo)
    started, *middle, completed = convo.effects
    assert isinstance(started, InterviewStarted) and started.script_id == "quick" and started.lang == lang
    saved = [effect for effect in middle if isinstance(effect, AnswerSaved)]
    assert len(saved) == len(middle)
    questions = [effect.question_id for effect in saved]
    assert questions == ["alias", "segment", "pains", "pains", "commitment_kind", "quote"]
    assert saved[-1].value is None  # the skipped quote
    assert isinstance(completed, InterviewCompleted) and completed.interview_id == started.interview_id
    assert {effect.interview_id for effect in saved} == {started.interview_id}
    assert {started.at, completed.at, *(effect.at for effect in saved)} == {now}
    assert now == datetime(2026, 11, 22, 12, tzinfo=UTC)


def test_step_is_pure_deterministic_and_does_no_io(scripts: dict[str, Script], monkeypatch: pytest.MonkeyPatch) -> None:
    for lang in LANGS:  # message catalogs are package data, read once per language: warm them up first
        Conversation(scripts, lang=lang).send("/quick")

    def no_io(*args: object, **kwargs: object) -> None:
        raise AssertionError("the engine must not do I/O")

    monkeypatch.setattr(builtins, "open", no_io)
    monkeypatch.setattr(socket, "socket", no_io)
    monkeypatch.setattr(io, "open", no_io)
    for lang in LANGS:
        convo = Conversation(scripts, lang=lang, hypotheses=HYPOTHESES)
        convo.start("discovery")
        walk(convo, DISCOVERY)  # Conversation.apply also checks that step never mutates its input state
        state, incoming, ctx = convo.state, convo.incoming(choice=f"{convo.state.turn}|sv"), convo.context()
        first, second = step(state, incoming, ctx), step(state, incoming, ctx)
        assert first == second and first.state is not state and state.interview is not None
        assert isinstance(first.effects[0], InterviewCompleted) and first.state.interview is None


@pytest.mark.parametrize("lang", LANGS)
def test_russian_walk_uses_russian_screens_with_the_same_buttons(scripts: dict[str, Script], lang: str) -> None:
    convo = Conversation(scripts, lang=lang)
    convo.send("/quick")
    convo.send("Chen")
    assert convo.codes == ["b", "p"]
    convo.send("Translators")
    convo.send("Invoices")
    assert convo.codes == ["v1", "v2", "v3", "v4", "v5", "b", "p"]
    if lang == "ru":
        assert any("\u0400" <= ch <= "\u04ff" for ch in convo.text), "Russian conversation shows Russian text"


@pytest.mark.parametrize("lang", LANGS)
def test_typed_choice_labels_work_in_the_conversation_language(scripts: dict[str, Script], lang: str) -> None:
    convo = Conversation(scripts, lang=lang)
    convo.send("/quick")
    walk(convo, ["Chen", "Translators", "Invoices", "#v3"])
    label = convo.reply.flat_choices()[1].label  # "Meeting or free pilot", translated
    convo.send(label.upper())
    assert convo.answers["commitment_kind"] == "time"


def test_idle_text_offers_the_scripts_and_a_number_starts_one(scripts: dict[str, Script]) -> None:
    convo = Conversation(scripts)
    convo.send("hello")
    assert convo.state.interview is None
    assert convo.codes == [f"i:{name}" for name in scripts]
    convo.send("3")
    assert convo.state.interview is not None and convo.state.interview.script_id == list(scripts)[2]


def test_pick_script_by_button_and_unknown_script_name(scripts: dict[str, Script]) -> None:
    convo = Conversation(scripts)
    convo.send("/interview nonsense")
    assert convo.state.interview is None and "nonsense" in convo.text
    convo.tap("i:validation")
    assert convo.state.interview is not None and convo.question == "alias"
    convo.send("/interview quick")
    assert convo.state.interview.script_id == "validation", "a running interview is continued, not replaced"
    assert not convo.new_effects
