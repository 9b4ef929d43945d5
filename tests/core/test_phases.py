"""Phases and exit gates: the shipped gates, load errors that name file, line and field, and every check kind."""

from __future__ import annotations

from decimal import Decimal

import pytest

from core.board.gate import Gate, GateFacts, ItemResult, evaluate_gate
from core.board.phases import PHASES, default_gates, default_gates_text, load_gates_text, next_phase
from core.i18n import gettext_for
from core.yaml_data import YamlInvalid, YamlProblem

GATES = default_gates()
FILLER = {
    phase: f"{phase}:\n  - id: filler\n    check: manual\n    label: Filler\n"
    for phase in ("discovery", "validation", "creation", "building")
}


def full(text: str) -> str:
    """The text with a one-item gate for every phase it leaves out, after it (so its line numbers stay)."""
    missing = [FILLER[phase] for phase in FILLER if not text.startswith(f"{phase}:") and f"\n{phase}:" not in text]
    return text + "".join(missing)


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
        "validation": [
            "paying_customers",
            "funnel_conversion",
            "channels_and_revenue_validated",
            "sales_roadmap",
            "financial_model",
        ],
        "creation": [
            "funnel_measured",
            "scalable_channels",
            "acquisition_cost",
            "market_type",
            "marketing_infrastructure",
            "systematic_sales",
        ],
        "building": ["repeatable_sales", "departments", "mission_culture"],
    }
    interviews, pain, validated = GATES.items("discovery")
    assert (interviews.check, interviews.script, interviews.with_pains, interviews.min) == (
        "interviews",
        None,
        True,
        15,
    )
    assert interviews.in_target_segment is True
    assert (pain.check, pain.share, pain.min_severity, pain.min) == ("top_pain", 0.5, 4, 10)
    assert validated.blocks == ["customer_segments", "value_propositions"]
    paid, conversion, channels, roadmap, model = GATES.items("validation")
    assert (paid.check, paid.min, conversion.check, conversion.share) == ("paid", 10, "funnel_conversion", None)
    assert channels.blocks == ["channels", "revenue_streams"]
    assert (roadmap.check, model.check) == ("manual", "manual")
    assert GATES.items("creation")[1].label == "Scalable sales and marketing channels chosen and tested"
    assert [i.check for i in GATES.items("building")] == ["manual", "manual", "manual"]


def test_no_default_gate_item_is_van_westendorp_or_sean_ellis() -> None:
    checks = {i.check for phase in PHASES for i in GATES.items(phase)}
    assert not checks & {"price_answers", "sean_ellis", "any_of"}
    assert "LOI" not in default_gates_text().replace("an LOI or a free pilot is not a sale", "")


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
        ("validation:\n  - id: p\n    check: paid\n", 2, "validation[0]", "this check needs min"),
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
        ("discovery:\n  - id: a\n    check: paid\n    min: -1\n", 4, "discovery[0].min", None),
        (
            "validation:\n  - id: p\n    check: price_answers\n    min: 20\n",
            2,
            "validation[0]",
            "Van Westendorp prices are information for /funnel, not a gate item; remove this item",
        ),
        (
            "validation:\n  - id: s\n    check: sean_ellis\n    min_answers: 30\n    very_share: 0.4\n",
            2,
            "validation[0]",
            "Sean Ellis answers are information for /status, not a gate item; remove this item",
        ),
        (
            "creation:\n  - id: m\n    check: funnel_logged\n  - id: m\n    check: paid\n    min: 1\n",
            4,
            "creation[1].id",
            "the id m is used twice in this phase",
        ),
        ("building: []\n", 1, "building", "every phase needs at least one item (a gate with none never passes)"),
        ("building:\n", 1, "building", "every phase needs at least one item (a gate with none never passes)"),
    ],
)
def test_invalid_items_name_file_line_and_field(text: str, line: int, field: str, message: str | None) -> None:
    [problem] = problems(full(text))
    assert (problem.source, problem.line, problem.field) == ("team.yaml", line, field)
    if message is not None:
        assert problem.message == message
        assert str(problem) == f"team.yaml:{line}: {field}: {message}"


def test_a_phase_left_out_is_refused_like_an_empty_one() -> None:
    found = problems("discovery:\n  - id: few\n    check: interviews\n    min: 3\n")
    assert [(p.field, p.message) for p in found] == [
        (phase, "every phase needs at least one item (a gate with none never passes)")
        for phase in ("validation", "creation", "building")
    ]


def test_a_stored_file_is_read_as_it_was_accepted() -> None:
    # saved before these rules: an empty phase, a repeated id and the information-only checks still load
    text = (
        "discovery:\n  - id: a\n    check: sean_ellis\n    min_answers: 3\n    very_share: 0.4\n"
        "  - id: a\n    check: price_answers\n    min: 2\n"
    )
    config = load_gates_text(text, "acme gates", stored=True)
    result = evaluate_gate("discovery", config, GateFacts(sean_ellis_n=3, very_share=Decimal("0.5")), "en")
    assert [(i.progress, i.passed) for i in result.items] == [("50% (3/3)", True), ("0/2", False)]
    assert evaluate_gate("validation", config, GateFacts(), "en").passed is False
    with pytest.raises(YamlInvalid):
        load_gates_text(text, "acme gates")


@pytest.mark.parametrize("text", ["- discovery\n- validation\n", "", "just words\n"])
def test_a_top_level_that_is_not_a_mapping(text: str) -> None:
    [problem] = problems(text)
    assert str(problem) == "team.yaml:1: a gates file maps each phase to its checklist"


def test_every_problem_is_reported_including_nested_any_of() -> None:
    text = (
        "validation:\n  - id: c\n    check: any_of\n    any:\n      - check: sean_ellis\n        min_answers: 3\n"
        "      - check: money_commitments\n"
    )
    found = [(p.line, p.field, p.message) for p in problems(full(text))]
    assert found == [
        (
            5,
            "validation[0].any[0]",
            "Sean Ellis answers are information for /status, not a gate item; remove this item",
        ),
        (7, "validation[0].any[1]", "this check needs min"),
    ]


def test_load_errors_come_in_the_team_language() -> None:
    ru = gettext_for("ru")
    [problem] = problems(full("creation:\n  - id: m\n    check: manual\n"), lang="ru")
    assert problem.message == ru("a manual item needs a label")
    [empty] = problems(full("creation: []\n"), lang="ru")
    assert (
        empty.message
        == ru("every phase needs at least one item (a gate with none never passes)")
        != ("every phase needs at least one item (a gate with none never passes)")
    )


# --------------------------------------------------------------------------- evaluating each check kind


@pytest.mark.parametrize(
    ("count", "progress", "passed"), [(14, "14/15", False), (15, "15/15", True), (16, "16/15", True)]
)
def test_interviews_that_record_a_pain_in_target_segment(count: int, progress: str, passed: bool) -> None:
    # plenty of interviews overall, or in the segment without a pain, must not count
    facts = GateFacts(interviews={(None, True, True): count, (None, False, True): 40, (None, True, False): 60})
    result = item("discovery", "problem_interviews", facts)
    assert result == ItemResult(
        "problem_interviews", "At least 15 interviews in the target segment that record a pain", progress, passed
    )


def test_without_a_target_segment_the_label_does_not_name_one() -> None:
    facts = GateFacts(interviews={(None, True, True): 4}, segment_set=False)
    result = item("discovery", "problem_interviews", facts)
    assert (result.label, result.progress) == ("At least 15 interviews that record a pain", "4/15")
    russian = item("discovery", "problem_interviews", facts, "ru")
    assert "сегмент" not in russian.label and russian.progress == "4/15"


def test_the_top_pain_is_quoted_in_the_languages_quotes() -> None:
    facts = GateFacts(top_pain=lambda _s: ("Счета приходят поздно", 3, 4))
    assert item("discovery", "top_pain", facts).progress.startswith("75% (3/4): “Счета приходят поздно”")
    assert item("discovery", "top_pain", facts, "ru").progress.startswith("75% (3/4): «Счета приходят поздно»")


def test_interviews_overall_counts_every_segment() -> None:
    config = load_gates_text(full("discovery:\n  - id: any\n    check: interviews\n    min: 15\n"), "g.yaml")
    facts = GateFacts(interviews={(None, False, False): 15, (None, True, False): 3})
    [result] = evaluate_gate("discovery", config, facts, "en").items
    assert (result.label, result.progress, result.passed) == ("At least 15 interviews", "15/15", True)


def test_interviews_of_one_script() -> None:
    text = "discovery:\n  - id: d\n    check: interviews\n    script: discovery\n    min: 2\n"
    facts = GateFacts(interviews={("discovery", False, False): 1, (None, False, False): 9})
    [result] = evaluate_gate("discovery", load_gates_text(full(text), "g.yaml"), facts, "en").items
    assert (result.progress, result.passed) == ("1/2", False)


@pytest.mark.parametrize(
    ("count", "total", "progress", "passed"),
    [
        (499, 1000, "50% (499/1000): “late invoices”", False),  # 0.499: shown rounded, still short
        (500, 1000, "50% (500/1000): “late invoices”", True),
        (8, 15, "53% (8/15): “late invoices”", True),
        (0, 0, "10 more interviews needed", False),  # not "0% (0/0)"
        (1, 1, "100% (1/1): “late invoices” · 9 more interviews needed", False),  # one of one proves nothing
        (9, 9, "100% (9/9): “late invoices” · 1 more interview needed", False),
        (10, 10, "100% (10/10): “late invoices”", True),
    ],
)
def test_top_pain_share_of_at_least_the_minimum(count: int, total: int, progress: str, passed: bool) -> None:
    asked: list[int] = []

    def top_pain(severity: int) -> tuple[str | None, int, int]:
        asked.append(severity)
        return ("late invoices" if count else None), count, total

    result = item("discovery", "top_pain", GateFacts(top_pain=top_pain))
    assert result.label == "A top pain named by at least 50% of at least 10 problem interviews, with severity 4+"
    assert (result.progress, result.passed) == (progress, passed)
    assert asked == [4]


def test_a_stored_top_pain_without_min_still_needs_a_minimum() -> None:
    config = load_gates_text("discovery:\n  - id: t\n    check: top_pain\n    share: 0.5\n", "g", stored=True)
    [result] = evaluate_gate("discovery", config, GateFacts(top_pain=lambda _s: ("x", 1, 1)), "en").items
    assert result.passed is False


@pytest.mark.parametrize(
    ("statuses", "progress", "passed"),
    [
        (
            {},
            "no hypothesis yet: /hypothesis add cs <statement>",
            False,
        ),  # not "0/0"
        (
            {"customer_segments": ["validated"]},
            "1/1 · no hypothesis yet in Value propositions: /hypothesis add vp <statement>",
            False,
        ),
        (
            {"customer_segments": ["validated"], "value_propositions": ["pivoted"]},
            "1/1 · no hypothesis yet in Value propositions: /hypothesis add vp <statement>",
            False,
        ),
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


def test_channel_and_revenue_hypotheses_validated() -> None:
    both = {"channels": ["validated"], "revenue_streams": ["validated"]}
    result = item("validation", "channels_and_revenue_validated", GateFacts(statuses_by_block=both))
    assert (result.label, result.progress, result.passed) == (
        "Channels, Revenue streams hypotheses validated",
        "2/2",
        True,
    )
    only_revenue = item(
        "validation", "channels_and_revenue_validated", GateFacts(statuses_by_block={"revenue_streams": ["validated"]})
    )
    assert only_revenue.passed is False


@pytest.mark.parametrize(
    ("paid", "progress", "passed"),
    [
        (0, "0/10 · log each payment: /funnel log paid 1", False),
        (9, "9/10 · log each payment: /funnel log paid 1", False),
        (10, "10/10", True),
    ],
)
def test_paid_orders_and_pilots_as_logged(paid: int, progress: str, passed: bool) -> None:
    # money commitments in interviews (a pre-order promised) are not payments until the team logs them paid
    result = item("validation", "paying_customers", GateFacts(paid=paid, money_commitments=50))
    assert result == ItemResult("paying_customers", "At least 10 paid orders or paid pilots", progress, passed)


@pytest.mark.parametrize(
    ("conversions", "progress", "passed"),
    [
        ((), "not measured yet: see /funnel", False),
        ((None, None, None, None), "not measured yet: see /funnel", False),
        ((Decimal("0.3"), Decimal("0.5"), None, Decimal("1")), "3 of 4 stages: 30% → 50% → ? → 100%", False),
        ((Decimal("0.3"), Decimal("0.5"), Decimal("0.2"), Decimal("0.15")), "30% → 50% → 20% → 15%", True),
    ],
)
def test_funnel_conversion_at_every_stage(conversions: tuple[Decimal | None, ...], progress: str, passed: bool) -> None:
    result = item("validation", "funnel_conversion", GateFacts(conversions=conversions))
    assert (result.label, result.progress, result.passed) == (
        "Funnel conversion measured at every stage",
        progress,
        passed,
    )


def test_funnel_conversion_with_a_floor() -> None:
    text = "validation:\n  - id: c\n    check: funnel_conversion\n    share: 0.25\n"
    config = load_gates_text(full(text), "g.yaml")
    low = GateFacts(conversions=(Decimal("0.3"), Decimal("0.5"), Decimal("0.2"), Decimal("0.5")))
    [result] = evaluate_gate("validation", config, low, "en").items
    assert (result.label, result.passed) == ("Funnel conversion of at least 25% at every stage", False)
    high = GateFacts(conversions=(Decimal("0.3"), Decimal("0.5"), Decimal("0.25"), Decimal("0.5")))
    assert evaluate_gate("validation", config, high, "en").passed is True


@pytest.mark.parametrize(
    ("steps", "progress", "passed"),
    [
        (set(), "not yet: /funnel log contacted N, /funnel log paid N", False),
        ({"contacted"}, "not yet: /funnel log paid N", False),  # one logged step is not a logged funnel
        ({"paid"}, "not yet: /funnel log contacted N", False),
        ({"contacted", "paid"}, "logged", True),
    ],
)
def test_funnel_logged_needs_every_team_logged_step(steps: set[str], progress: str, passed: bool) -> None:
    result = item("creation", "funnel_measured", GateFacts(logged_steps=frozenset(steps)))
    label = "Funnel logged: people contacted and customers who paid"
    assert result == ItemResult("funnel_measured", label, progress, passed)


def test_money_commitments_are_not_lois() -> None:
    text = "validation:\n  - id: m\n    check: money_commitments\n    min: 3\n"
    [result] = evaluate_gate("validation", load_gates_text(full(text), "g"), GateFacts(money_commitments=3), "en").items
    assert (result.label, result.passed) == ("At least 3 money commitments (pre-order, deposit, paid pilot)", True)


def test_any_of_reads_as_one_list() -> None:
    text = (
        "validation:\n  - id: c\n    check: any_of\n    any:\n      - check: paid\n        min: 5\n"
        "      - check: money_commitments\n        min: 10\n"
    )
    config = load_gates_text(full(text), "g.yaml")
    [result] = evaluate_gate("validation", config, GateFacts(paid=1, money_commitments=10), "en").items
    assert result.label == (
        "Any one of: At least 5 paid orders or paid pilots; "
        "At least 10 money commitments (pre-order, deposit, paid pilot)"
    )
    assert " or At least" not in result.label
    assert (result.progress, result.passed) == ("1/5 · log each payment: /funnel log paid 1; 10/10", True)


def test_manual_items_are_ticked_by_id_and_say_how() -> None:
    label = "Scalable sales and marketing channels chosen and tested"
    ticked = item("creation", "scalable_channels", GateFacts(ticked=frozenset({"scalable_channels"})))
    assert ticked == ItemResult("scalable_channels", label, "done", True, manual=True)
    assert item("creation", "scalable_channels", GateFacts(ticked=frozenset({"departments"}))) == ItemResult(
        "scalable_channels", label, "not yet: tick it with /phase tick scalable_channels", False, manual=True
    )


def test_gate_passes_only_when_every_item_passes() -> None:
    everything = frozenset(
        {"scalable_channels", "acquisition_cost", "market_type", "marketing_infrastructure", "systematic_sales"}
    )
    logged = frozenset({"contacted", "paid"})
    done = evaluate_gate("creation", GATES, GateFacts(logged_steps=logged, ticked=everything), "en")
    assert done.phase == "creation"
    assert [i.passed for i in done.items] == [True] * 6
    assert done.passed is True
    short = evaluate_gate(
        "creation", GATES, GateFacts(logged_steps=logged, ticked=everything - {"systematic_sales"}), "en"
    )
    assert [i.passed for i in short.items] == [True] * 5 + [False]
    assert short.passed is False
    assert evaluate_gate("discovery", GATES, GateFacts(), "en").passed is False


def test_a_gate_with_no_items_never_passes() -> None:
    assert Gate("building", ()).passed is False
    config = load_gates_text("discovery: []\n", "acme gates", stored=True)
    assert evaluate_gate("validation", config, GateFacts(), "en").passed is False


def test_next_phase() -> None:
    assert [next_phase(p) for p in PHASES] == ["validation", "creation", "building", None]
    with pytest.raises(ValueError):
        next_phase("launch")


def test_labels_and_progress_in_russian() -> None:
    ru = gettext_for("ru")
    facts = GateFacts(interviews={(None, True, True): 3})
    discovery = evaluate_gate("discovery", GATES, facts, "ru").items
    assert discovery[0].label == "Не меньше 15 интервью в целевом сегменте, где записана боль"
    assert discovery[0].progress == "3/15"
    assert discovery[2].label == ru("{blocks} hypotheses validated").format(
        blocks=f"{ru('Customer segments')}, {ru('Value propositions')}"
    )
    creation = evaluate_gate("creation", GATES, facts, "ru").items
    assert creation[0].progress == ru("not yet: {commands}").format(
        commands="/funnel log contacted N, /funnel log paid N"
    )
    assert creation[1].label == ru("Scalable sales and marketing channels chosen and tested")
    assert creation[1].label != "Scalable sales and marketing channels chosen and tested"
    assert creation[1].progress == ru("not yet: tick it with /phase tick {id}").format(id="scalable_channels")
    validation = evaluate_gate("validation", GATES, facts, "ru").items
    assert validation[0].label == "Не меньше 10 оплаченных заказов или платных пилотов"
    assert not any(i.label.isascii() for i in validation)  # every label translated


def test_a_team_label_without_translation_stays_as_written() -> None:
    text = "building:\n  - id: board\n    check: manual\n    label: Hire a CFO\n"
    config = load_gates_text(full(text), "g.yaml")
    [result] = evaluate_gate("building", config, GateFacts(ticked=frozenset({"board"})), "ru").items
    assert (result.label, result.progress, result.passed) == ("Hire a CFO", gettext_for("ru")("done"), True)
