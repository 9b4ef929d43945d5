"""Phases and exit gates: the shipped gates, load errors that name file, line and field, and every check kind."""

from __future__ import annotations

from decimal import Decimal

import pytest

from core.board.phases import (
    PHASES,
    Gate,
    GateFacts,
    ItemResult,
    default_gates,
    evaluate_gate,
    load_gates_text,
    next_phase,
)
from core.i18n import gettext_for
from core.yaml_data import YamlInvalid, YamlProblem

GATES = default_gates()
PULL = "At least 40% “very disappointed” among at least 30 Sean Ellis answers"
MONEY = "At least 10 money commitments (pre-order, deposit, LOI, paid pilot)"


def item(phase: str, item_id: str, facts: GateFacts, lang: str = "en") -> ItemResult:
    [found] = [i for i in evaluate_gate(phase, GATES, facts, lang).items if i.id == item_id]
    return found


def problems(text: str, lang: str = "en") -> list[YamlProblem]:
    with pytest.raises(YamlInvalid) as caught:
        load_gates_text(text, "team.yaml", lang)
    return caught.value.problems


# --------------------------------------------------------------------------- the shipped gates


def test_default_gates_hold_the_documented_items() -> None:
    ids = {phase: [i.id for i in GATES.items(phase)] for phase in PHASES}
    assert ids == {
        "discovery": ["problem_interviews", "top_pain", "problem_and_segment_validated"],
        "validation": ["price_range", "customer_pull", "revenue_validated"],
        "creation": ["funnel_measured", "scalable_channels", "marketing_infrastructure", "systematic_sales"],
        "building": ["repeatable_sales", "departments", "mission_culture"],
    }
    interviews, pain, validated = GATES.items("discovery")
    assert (interviews.check, interviews.script, interviews.min, interviews.in_target_segment) == (
        "interviews",
        "discovery",
        15,
        True,
    )
    assert (pain.check, pain.share, pain.min_severity) == ("top_pain", 0.5, 4)
    assert validated.blocks == ["customer_segments", "value_propositions"]
    price, pull, revenue = GATES.items("validation")
    assert (price.check, price.min) == ("price_answers", 20)
    assert pull.check == "any_of" and pull.any is not None
    assert [(c.check, c.min_answers, c.very_share, c.min) for c in pull.any] == [
        ("sean_ellis", 30, 0.4, None),
        ("money_commitments", None, None, 10),
    ]
    assert revenue.blocks == ["revenue_streams"]
    assert GATES.items("creation")[1].label == "Scalable sales and marketing channels chosen and tested"
    assert [i.check for i in GATES.items("building")] == ["manual", "manual", "manual"]


# --------------------------------------------------------------------------- load errors


def test_yaml_syntax_error_names_file_and_line() -> None:
    [problem] = problems("discovery:\n  - id: a\n    check: interviews: 3\n")
    assert (problem.source, problem.line, problem.field) == ("team.yaml", 3, "")
    assert problem.message == "not valid YAML: mapping values are not allowed here"


def test_unknown_check_kind_names_the_check_field() -> None:
    [problem] = problems("discovery:\n  - id: a\n    min: 3\n    check: bogus\n")
    assert (problem.source, problem.line, problem.field) == ("team.yaml", 4, "discovery[0].check")
    assert problem.message.startswith("Input should be 'interviews', 'top_pain',")
    assert str(problem).startswith("team.yaml:4: discovery[0].check: Input should be")


@pytest.mark.parametrize(
    ("text", "line", "field", "message"),
    [
        ("validation:\n  - id: p\n    check: price_answers\n", 2, "validation[0]", "this check needs min"),
        ("validation:\n  - id: p\n    check: any_of\n", 2, "validation[0]", "any_of needs a list under any"),
        (
            "validation:\n  - id: p\n    check: any_of\n    any: []\n",
            2,
            "validation[0]",
            "any_of needs a list under any",
        ),
        ("creation:\n  - id: m\n    check: manual\n", 2, "creation[0]", "a manual item needs a label"),
        ("discovery:\n  - id: t\n    check: top_pain\n", 2, "discovery[0]", "top_pain needs share"),
        (
            "discovery:\n  - id: ok\n    check: funnel_logged\n  - id: h\n    check: hypotheses_validated\n"
            "    blocks: [customer_segments, moon]\n",
            4,
            "discovery[1]",
            "blocks must list canvas blocks: customer_segments, value_propositions, ...",
        ),
        (
            "discovery:\n  - id: h\n    check: hypotheses_validated\n",
            2,
            "discovery[0]",
            "blocks must list canvas blocks: customer_segments, value_propositions, ...",
        ),
        ("discovery: []\nlaunch: []\n", 2, "launch", "Extra inputs are not permitted"),
        ("building:\n  - id: Bad-Id\n    check: funnel_logged\n", 2, "building[0].id", None),
        ("discovery:\n  - id: a\n    check: price_answers\n    min: -1\n", 4, "discovery[0].min", None),
    ],
)
def test_invalid_items_name_file_line_and_field(text: str, line: int, field: str, message: str | None) -> None:
    [problem] = problems(text)
    assert (problem.source, problem.line, problem.field) == ("team.yaml", line, field)
    if message is not None:
        assert problem.message == message
        assert str(problem) == f"team.yaml:{line}: {field}: {message}"


@pytest.mark.parametrize("text", ["- discovery\n- validation\n", "", "just words\n"])
def test_a_top_level_that_is_not_a_mapping(text: str) -> None:
    [problem] = problems(text)
    assert str(problem) == "team.yaml:1: a gates file maps each phase to its checklist"


def test_every_problem_is_reported_including_nested_any_of() -> None:
    text = (
        "validation:\n  - id: c\n    check: any_of\n    any:\n      - check: sean_ellis\n        min_answers: 3\n"
        "      - check: money_commitments\n"
    )
    found = [(p.line, p.field, p.message) for p in problems(text)]
    assert found == [
        (5, "validation[0].any[0]", "sean_ellis needs min_answers and very_share"),
        (7, "validation[0].any[1]", "this check needs min"),
    ]


def test_load_errors_come_in_the_team_language() -> None:
    ru = gettext_for("ru")
    [problem] = problems("creation:\n  - id: m\n    check: manual\n", lang="ru")
    assert problem.message == ru("a manual item needs a label")


# --------------------------------------------------------------------------- evaluating each check kind


@pytest.mark.parametrize(
    ("count", "progress", "passed"), [(14, "14/15", False), (15, "15/15", True), (16, "16/15", True)]
)
def test_interviews_in_target_segment(count: int, progress: str, passed: bool) -> None:
    # plenty of interviews overall, by any script, must not count for the target segment
    facts = GateFacts(interviews={("discovery", True): count, ("discovery", False): 40, (None, True): 60})
    result = item("discovery", "problem_interviews", facts)
    assert result == ItemResult(
        "problem_interviews", "At least 15 problem interviews in the target segment", progress, passed
    )


def test_interviews_overall_counts_every_segment() -> None:
    config = load_gates_text("discovery:\n  - id: any\n    check: interviews\n    min: 15\n", "g.yaml")
    facts = GateFacts(interviews={(None, False): 15, (None, True): 3})
    [result] = evaluate_gate("discovery", config, facts, "en").items
    assert (result.label, result.progress, result.passed) == ("At least 15 interviews", "15/15", True)


@pytest.mark.parametrize(
    ("count", "total", "progress", "passed"),
    [
        (499, 1000, "50% (499/1000): “late invoices”", False),  # 0.499: shown rounded, still short
        (500, 1000, "50% (500/1000): “late invoices”", True),
        (8, 15, "53% (8/15): “late invoices”", True),
        (0, 0, "0% (0/0)", False),
    ],
)
def test_top_pain_share(count: int, total: int, progress: str, passed: bool) -> None:
    asked: list[int] = []

    def top_pain(severity: int) -> tuple[str | None, int, int]:
        asked.append(severity)
        return ("late invoices" if count else None), count, total

    result = item("discovery", "top_pain", GateFacts(top_pain=top_pain))
    assert result.label == "A top pain named by at least 50% of them with severity 4+"
    assert (result.progress, result.passed) == (progress, passed)
    assert asked == [4]


@pytest.mark.parametrize(
    ("statuses", "progress", "passed"),
    [
        ({}, "0/0", False),
        ({"customer_segments": ["validated"]}, "1/1", False),  # value propositions missing
        ({"customer_segments": ["validated"], "value_propositions": ["pivoted"]}, "1/1", False),
        ({"customer_segments": ["validated"], "value_propositions": ["testing"]}, "1/2", False),
        ({"customer_segments": ["validated", "invalidated"], "value_propositions": ["validated"]}, "2/3", False),
        ({"customer_segments": ["validated", "pivoted"], "value_propositions": ["validated"]}, "2/2", True),
        (
            {"customer_segments": ["validated"], "value_propositions": ["validated"], "channels": ["testing"]},
            "2/2",
            True,
        ),
    ],
)
def test_hypotheses_validated(statuses: dict[str, list[str]], progress: str, passed: bool) -> None:
    result = item("discovery", "problem_and_segment_validated", GateFacts(statuses_by_block=statuses))
    assert result.label == "Customer segments, Value propositions hypotheses validated"
    assert (result.progress, result.passed) == (progress, passed)


@pytest.mark.parametrize(("answers", "passed"), [(19, False), (20, True), (21, True)])
def test_price_answers(answers: int, passed: bool) -> None:
    result = item("validation", "price_range", GateFacts(price_answers=answers))
    assert result.label == "At least 20 price answers with a Van Westendorp range"
    assert (result.progress, result.passed) == (f"{answers}/20", passed)


@pytest.mark.parametrize(
    ("n", "share", "money", "progress", "passed"),
    [
        (30, Decimal("0.39"), 0, "39% (30/30) | 0/10", False),
        (30, Decimal("0.4"), 0, "40% (30/30) | 0/10", True),  # Sean Ellis branch
        (29, Decimal("0.4"), 0, "40% (29/30) | 0/10", False),  # too few answers
        (31, Decimal("0.9"), 0, "90% (31/30) | 0/10", True),
        (0, None, 9, "— (0/30) | 9/10", False),
        (0, None, 10, "— (0/30) | 10/10", True),  # money branch
        (29, Decimal("0.39"), 10, "39% (29/30) | 10/10", True),
    ],
)
def test_customer_pull_any_of(n: int, share: Decimal | None, money: int, progress: str, passed: bool) -> None:
    facts = GateFacts(sean_ellis_n=n, very_share=share, money_commitments=money)
    result = item("validation", "customer_pull", facts)
    assert result.label == f"{PULL} or {MONEY}"
    assert (result.progress, result.passed, result.manual) == (progress, passed, False)


def test_funnel_logged() -> None:
    label = "Funnel metrics logged (contacted and paid)"
    assert item("creation", "funnel_measured", GateFacts(funnel_logged=True)) == ItemResult(
        "funnel_measured", label, "logged", True
    )
    assert item("creation", "funnel_measured", GateFacts()) == ItemResult(
        "funnel_measured", label, "not yet: log with /funnel", False
    )


def test_manual_items_are_ticked_by_id() -> None:
    label = "Scalable sales and marketing channels chosen and tested"
    ticked = item("creation", "scalable_channels", GateFacts(ticked=frozenset({"scalable_channels"})))
    assert ticked == ItemResult("scalable_channels", label, "done", True, manual=True)
    assert item("creation", "scalable_channels", GateFacts(ticked=frozenset({"departments"}))) == ItemResult(
        "scalable_channels", label, "not yet", False, manual=True
    )


def test_gate_passes_only_when_every_item_passes() -> None:
    everything = frozenset({"scalable_channels", "marketing_infrastructure", "systematic_sales"})
    done = evaluate_gate("creation", GATES, GateFacts(funnel_logged=True, ticked=everything), "en")
    assert done.phase == "creation"
    assert [i.passed for i in done.items] == [True, True, True, True]
    assert done.passed is True
    short = evaluate_gate(
        "creation", GATES, GateFacts(funnel_logged=True, ticked=everything - {"systematic_sales"}), "en"
    )
    assert [i.passed for i in short.items] == [True, True, True, False]
    assert short.passed is False
    assert evaluate_gate("discovery", GATES, GateFacts(), "en").passed is False
    assert Gate("building", ()).passed is True


def test_next_phase() -> None:
    assert [next_phase(p) for p in PHASES] == ["validation", "creation", "building", None]
    with pytest.raises(ValueError):
        next_phase("launch")


def test_labels_and_progress_in_russian() -> None:
    ru = gettext_for("ru")
    facts = GateFacts(interviews={("discovery", True): 3}, funnel_logged=False)
    discovery = evaluate_gate("discovery", GATES, facts, "ru").items
    assert discovery[0].label == ru("At least {n} problem interviews in the target segment").format(n=15)
    assert discovery[0].progress == "3/15"
    assert discovery[2].label == ru("{blocks} hypotheses validated").format(
        blocks=f"{ru('Customer segments')}, {ru('Value propositions')}"
    )
    creation = evaluate_gate("creation", GATES, facts, "ru").items
    assert creation[0].progress == ru("not yet: log with /funnel")
    assert creation[1].label == ru("Scalable sales and marketing channels chosen and tested")
    assert creation[1].label != "Scalable sales and marketing channels chosen and tested"
    assert creation[1].progress == ru("not yet") != "not yet"
    pull = evaluate_gate("validation", GATES, facts, "ru").items[1]
    assert pull.label.count(ru(" or ")) == 1


def test_a_team_label_without_translation_stays_as_written() -> None:
    config = load_gates_text("building:\n  - id: board\n    check: manual\n    label: Hire a CFO\n", "g.yaml")
    [result] = evaluate_gate("building", config, GateFacts(ticked=frozenset({"board"})), "ru").items
    assert (result.label, result.progress, result.passed) == ("Hire a CFO", gettext_for("ru")("done"), True)
