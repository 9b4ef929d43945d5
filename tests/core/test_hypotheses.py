"""Hypotheses: canvas blocks, evidence tallies, what the evidence suggests, and the next free code."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core.board.hypotheses import (
    BLOCKS,
    SETTABLE,
    STATUSES,
    EvidenceItem,
    Hypothesis,
    Tally,
    block_of,
    suggested_status,
    tally,
)
from core.domain import Stance, Strength

AT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def evidence(*groups: tuple[Stance, Strength, int]) -> tuple[EvidenceItem, ...]:
    """(stance, strength, how many) groups as evidence items from distinct interviews."""
    items: list[EvidenceItem] = []
    for stance, strength, count in groups:
        for _ in range(count):
            n = len(items) + 1
            items.append(EvidenceItem("H1", f"iv-{n}", f"person {n}", stance, strength, None, AT + timedelta(days=n)))
    return tuple(items)


def hypothesis(status: str, *groups: tuple[Stance, Strength, int]) -> Hypothesis:
    return Hypothesis("H1", "Agencies lose hours chasing late invoices", status=status, evidence=evidence(*groups))


# --------------------------------------------------------------------------- blocks


@pytest.mark.parametrize(
    ("text", "block"),
    [
        ("customer_segments", "customer_segments"),
        ("value_propositions", "value_propositions"),
        ("cost_structure", "cost_structure"),
        ("cs", "customer_segments"),
        ("vp", "value_propositions"),
        ("rs", "revenue_streams"),
        ("pricing", "revenue_streams"),
        ("problem", "value_propositions"),
        ("kp", "key_partners"),
        ("costs", "cost_structure"),
        ("Customer segments", "customer_segments"),
        ("Key Activities", "key_activities"),
        ("customer-relationships", "customer_relationships"),
        ("  VP  ", "value_propositions"),
        ("CHANNELS", "channels"),
    ],
)
def test_block_of_reads_ids_aliases_and_english_names(text: str, block: str) -> None:
    assert block_of(text) == block


@pytest.mark.parametrize("text", ["", "   ", "moon", "customer", "value proposition canvas", "h1"])
def test_block_of_unknown_is_none(text: str) -> None:
    assert block_of(text) is None


def test_every_display_name_reads_back_as_its_block() -> None:
    assert [block_of(name) for name in BLOCKS.values()] == list(BLOCKS)
    assert len(BLOCKS) == 9


def test_statuses_and_settable() -> None:
    assert list(STATUSES) == ["untested", "testing", "validated", "invalidated", "pivoted"]
    assert SETTABLE == ("untested", "testing", "validated", "invalidated")


# --------------------------------------------------------------------------- tally


def test_tally_counts_by_stance_and_strength() -> None:
    counted = tally(evidence(("supports", "strong", 2), ("refutes", "medium", 1), ("supports", "weak", 3)))
    assert counted.supports == {"strong": 2, "weak": 3}
    assert counted.refutes == {"medium": 1}
    assert counted.total == 6


def test_tally_weight_is_weak_1_medium_2_strong_3() -> None:
    counted = tally(
        evidence(("supports", "strong", 2), ("supports", "medium", 1), ("supports", "weak", 3), ("refutes", "weak", 1))
    )
    assert counted.weight("supports") == 2 * 3 + 1 * 2 + 3 * 1
    assert counted.weight("refutes") == 1


def test_tally_solid_counts_medium_and_strong_only() -> None:
    counted = tally(evidence(("supports", "strong", 2), ("supports", "medium", 1), ("supports", "weak", 7)))
    assert counted.solid("supports") == 3
    assert counted.solid("refutes") == 0


def test_empty_tally() -> None:
    for counted in (tally(()), Tally()):
        assert (counted.supports, counted.refutes, counted.total) == ({}, {}, 0)
        assert counted.weight("supports") == counted.weight("refutes") == 0
        assert counted.solid("supports") == counted.solid("refutes") == 0


# --------------------------------------------------------------------------- suggested status


def test_five_solid_supporting_pieces_suggest_validated() -> None:
    assert suggested_status(hypothesis("testing", ("supports", "medium", 5))) == "validated"
    assert suggested_status(hypothesis("untested", ("supports", "medium", 3), ("supports", "strong", 2))) == "validated"


def test_four_solid_pieces_suggest_nothing_even_with_weak_ones_added() -> None:
    assert suggested_status(hypothesis("testing", ("supports", "strong", 4))) is None
    assert suggested_status(hypothesis("testing", ("supports", "strong", 4), ("supports", "weak", 9))) is None


def test_supporting_weight_exactly_three_times_refuting_still_suggests() -> None:
    # 6 medium = 12 against 2 medium = 4: exactly 3x
    exactly = hypothesis("testing", ("supports", "medium", 6), ("refutes", "medium", 2))
    assert suggested_status(exactly) == "validated"
    # 5 strong = 15 against 5 weak = 5: exactly 3x
    assert suggested_status(hypothesis("testing", ("supports", "strong", 5), ("refutes", "weak", 5))) == "validated"


def test_supporting_weight_just_under_three_times_suggests_nothing() -> None:
    # 12 against 5: 12 < 15
    under = hypothesis("testing", ("supports", "medium", 6), ("refutes", "medium", 2), ("refutes", "weak", 1))
    assert suggested_status(under) is None
    # 15 against 6
    assert suggested_status(hypothesis("testing", ("supports", "strong", 5), ("refutes", "weak", 6))) is None


def test_weak_evidence_alone_never_validates_or_invalidates() -> None:
    assert suggested_status(hypothesis("testing", ("supports", "weak", 50))) is None
    assert suggested_status(hypothesis("testing", ("refutes", "weak", 50))) is None
    assert suggested_status(hypothesis("untested", ("supports", "weak", 50))) == "testing"


def test_refuting_majority_suggests_invalidated() -> None:
    assert suggested_status(hypothesis("testing", ("refutes", "medium", 5), ("supports", "weak", 1))) == "invalidated"
    # a validated hypothesis that the evidence turned against
    turned = hypothesis("validated", ("supports", "medium", 2), ("refutes", "strong", 5))
    assert suggested_status(turned) == "invalidated"


def test_refuting_evidence_short_of_the_ratio_suggests_nothing() -> None:
    # refutes 10 against supports 4: 10 < 12
    assert suggested_status(hypothesis("testing", ("refutes", "medium", 5), ("supports", "medium", 2))) is None


def test_no_suggestion_for_the_status_it_already_has() -> None:
    assert suggested_status(hypothesis("validated", ("supports", "strong", 6))) is None
    assert suggested_status(hypothesis("invalidated", ("refutes", "strong", 6))) is None


def test_an_invalidated_hypothesis_with_strong_support_suggests_validated() -> None:
    assert suggested_status(hypothesis("invalidated", ("supports", "strong", 5))) == "validated"


def test_pivoted_never_gets_a_suggestion() -> None:
    assert suggested_status(hypothesis("pivoted", ("supports", "strong", 10))) is None
    assert suggested_status(hypothesis("pivoted", ("refutes", "strong", 10))) is None
    assert suggested_status(hypothesis("pivoted", ("supports", "weak", 1))) is None


def test_untested_with_any_evidence_suggests_testing() -> None:
    assert suggested_status(hypothesis("untested", ("refutes", "weak", 1))) == "testing"
    assert suggested_status(hypothesis("untested", ("supports", "strong", 4), ("refutes", "strong", 4))) == "testing"


def test_without_evidence_nothing_is_suggested() -> None:
    for status in STATUSES:
        assert suggested_status(hypothesis(status)) is None


def test_testing_with_unclear_evidence_stays_without_suggestion() -> None:
    assert suggested_status(hypothesis("testing", ("supports", "medium", 3), ("refutes", "medium", 3))) is None
