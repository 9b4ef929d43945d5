"""extract_record: from stored answers to the structured interview record."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from core.domain import (
    Commitment,
    EvidenceLink,
    Gain,
    HypothesisRef,
    InterviewRecord,
    Job,
    Pain,
    PriceAnswers,
    Strength,
)
from core.interview.record import extract_record
from core.scripts.loader import load_script_text
from core.scripts.model import Script


def money(amount: str, currency: str | None = "USD", period: str | None = None) -> dict[str, Any]:
    return {"amount": amount, "currency": currency, "period": period}


def discovery(scripts: dict[str, Script], flags: dict[str, list[str]] | None = None, **answers: Any) -> InterviewRecord:
    return extract_record(scripts["discovery"], answers, flags or {})


def test_empty_answers_give_an_empty_record(scripts: dict[str, Script]) -> None:
    assert discovery(scripts) == InterviewRecord()


def test_who_and_when(scripts: dict[str, Script]) -> None:
    record = discovery(
        scripts, alias="Anna", segment="Studios", role="", met_via="community", interview_date="2026-11-20"
    )
    assert (record.alias, record.segment, record.role, record.met_via) == ("Anna", "Studios", None, "community")
    assert record.interview_date == date(2026, 11, 20)


def test_jobs_are_rebuilt_as_a_sentence_from_their_parts(scripts: dict[str, Script]) -> None:
    jobs = [{"when": "a client pays late", "want": "chase politely", "so_that": "I pay my team"}, {"want": "sleep"}]
    record = discovery(scripts, jobs=jobs)
    assert record.jobs == (
        Job(
            "When a client pays late, I want to chase politely, so that I pay my team",
            "a client pays late",
            "chase politely",
            "I pay my team",
        ),
        Job("I want to sleep", None, "sleep", None),
    )


def test_a_job_list_with_a_text_field_keeps_the_text() -> None:
    script = load_script_text(
        "id: j\ntitle: J\nquestions:\n  - id: jobs\n    kind: list\n    records: jobs\n    item_name: job\n"
        "    prompt: P\n    fields:\n      - {id: text, kind: text, prompt: Q}\n",
        "j.yaml",
    )
    assert extract_record(script, {"jobs": [{"text": "Close the books"}]}, {}).jobs == (Job("Close the books"),)


def test_pains_and_gains(scripts: dict[str, Script]) -> None:
    pains = [
        {"text": "Month-end", "severity": 4, "frequency": "weekly"},
        {"text": "Reminders", "severity": "high"},  # not a number: no severity
        {"severity": 3},  # unfinished item without text: left out
    ]
    record = discovery(scripts, pains=pains, gains=[{"text": "Paid on time"}, {}])
    assert record.pains == (Pain("Month-end", 4, "weekly"), Pain("Reminders", None, None))
    assert record.gains == (Gain("Paid on time"),)


def test_skipped_list_and_skipped_answers_record_nothing(scripts: dict[str, Script]) -> None:
    record = discovery(scripts, gains=None, hypotheses=None, quote=None, current_cost=None)
    assert record.gains == () and record.evidence == () and record.quote is None and record.price.is_empty()


def test_price_answers_take_the_first_currency(scripts: dict[str, Script]) -> None:
    answers = {
        "spends_now": money("1500", "RUB", "month"),
        "too_cheap": money("500", None),
        "bargain": money("1000", "RUB"),
        "too_expensive": money("5000.50", "RUB"),
    }
    record = extract_record(scripts["validation"], answers, {})
    assert record.price == PriceAnswers(
        spends_now=Decimal(1500),
        too_cheap=Decimal(500),
        bargain=Decimal(1000),
        getting_expensive=None,
        too_expensive=Decimal("5000.50"),
        currency="RUB",
    )


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ({"commitment_kind": "none"}, ()),
        ({"commitment_kind": "time", "commitment_note": "Demo Thursday"}, (Commitment("time", "Demo Thursday"),)),
        ({"commitment_kind": "reputation", "commitment_note": None}, (Commitment("reputation"),)),
        (
            {"commitment_kind": "money", "commitment_note": "Deposit", "commitment_amount": money("500", "EUR")},
            (Commitment("money", "Deposit", Decimal(500), "EUR"),),
        ),
        # answers whose condition no longer holds are left out (the kind was changed after they were given)
        (
            {"commitment_kind": "time", "commitment_note": "Demo", "commitment_amount": money("500")},
            (Commitment("time", "Demo"),),
        ),
        ({"commitment_kind": "none", "commitment_note": "Demo", "commitment_amount": money("500")}, ()),
    ],
)
def test_commitments(scripts: dict[str, Script], answers: dict[str, Any], expected: tuple[Commitment, ...]) -> None:
    assert extract_record(scripts["discovery"], answers, {}).commitments == expected


LINKS = [
    {"hypothesis": "h1", "stance": "supports"},
    {"hypothesis": "new", "statement": "Studios switch banks", "stance": "refutes"},
    {"hypothesis": "h2"},  # unfinished: counts as supporting
]


TEAM = (
    HypothesisRef("H1", "Studios lose a day a month to invoicing", block="value_propositions"),
    HypothesisRef("H2", "Studios find tools through their accountant", block="channels"),
)


@pytest.mark.parametrize(
    ("commitment", "flags", "strengths"),
    [
        ("none", {}, ("medium", "medium", "medium")),
        ("none", {"quote": ["compliment"]}, ("weak", "weak", "weak")),
        # a flagged answer weakens only the evidence that cites it: links cite the quote, not a pain
        ("none", {"pains.0.text": ["hypothetical"]}, ("medium", "medium", "medium")),
        ("none", {"alias": ["long"]}, ("medium", "medium", "medium")),
        # a commitment proves what it tests: money the value proposition (H1), not a channel (H2) or a new one
        ("money", {}, ("strong", "medium", "medium")),
        ("money", {"quote": ["compliment"]}, ("strong", "weak", "weak")),
        ("time", {}, ("strong", "medium", "medium")),
        ("reputation", {}, ("strong", "medium", "medium")),
        # a follow-up meeting after "love it" is not strong
        ("time", {"quote": ["compliment"]}, ("weak", "weak", "weak")),
        # a flag on an answer that no longer applies does not weaken the evidence
        ("none", {"commitment_note": ["hypothetical"]}, ("medium", "medium", "medium")),
    ],
)
def test_strength_is_per_piece_of_evidence(
    scripts: dict[str, Script], commitment: str, flags: dict[str, list[str]], strengths: tuple[Strength, ...]
) -> None:
    answers = {"hypotheses": LINKS, "quote": "Month-end is a nightmare", "commitment_kind": commitment}
    record = extract_record(scripts["discovery"], answers, flags, TEAM)
    quote = "Month-end is a nightmare"
    assert record.evidence == (
        EvidenceLink("supports", strengths[0], hypothesis="H1", quote=quote),
        EvidenceLink("refutes", strengths[1], new_statement="Studios switch banks", quote=quote),
        EvidenceLink("supports", strengths[2], hypothesis="H2", quote=quote),
    )


def test_money_is_strong_for_revenue_hypotheses_and_time_for_segments(scripts: dict[str, Script]) -> None:
    team = (HypothesisRef("H1", "They pay 50 a month", block="revenue_streams"),
            HypothesisRef("H2", "Clinic owners feel it", block="customer_segments"))  # fmt: skip
    links = [{"hypothesis": "h1", "stance": "supports"}, {"hypothesis": "h2", "stance": "supports"}]
    for kind, expected in (("money", ["strong", "medium"]), ("time", ["medium", "strong"])):
        record = extract_record(scripts["discovery"], {"hypotheses": links, "commitment_kind": kind}, {}, team)
        assert [e.strength for e in record.evidence] == expected


def test_sean_ellis_is_recorded_from_validation(scripts: dict[str, Script]) -> None:
    answers = {"used_product": "yes", "sean_ellis": "somewhat"}
    assert extract_record(scripts["validation"], answers, {}).sean_ellis == "somewhat"
    # asked only of someone who used the product
    assert extract_record(scripts["validation"], {**answers, "used_product": "no"}, {}).sean_ellis is None


def test_one_stance_per_hypothesis_the_last_one_kept(scripts: dict[str, Script]) -> None:
    links = [
        {"hypothesis": "h1", "stance": "supports"},
        {"hypothesis": "new", "statement": "Studios  switch banks", "stance": "supports"},
        {"hypothesis": "h1", "stance": "refutes"},  # stored by an older version: the same hypothesis twice
        {"hypothesis": "new", "statement": "studios switch banks", "stance": "refutes"},
    ]
    record = discovery(scripts, hypotheses=links)
    assert [(e.hypothesis, e.new_statement, e.stance) for e in record.evidence] == [
        ("H1", None, "refutes"),
        (None, "studios switch banks", "refutes"),
    ]


def test_the_hypotheses_hint_says_which_commitment_is_strong_for_which_hypothesis(scripts: dict[str, Script]) -> None:
    from core.i18n import gettext_for

    hints = {q.hint for s in scripts.values() for q in s.questions if q.kind == "hypotheses"}
    assert len(hints) == 1
    hint = str(hints.pop())
    assert "commitments are strong" not in hint  # a meeting is not strong for a revenue hypothesis
    assert all(word in hint for word in ("money", "value and revenue", "meeting or intro", "value and segment", "weak"))
    russian = gettext_for("ru")(hint)
    assert russian != hint
    assert all(word in russian for word in ("деньги", "ценности и доходах", "встреча", "ценности и сегментах"))
