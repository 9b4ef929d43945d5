"""The Validation sales funnel per segment: counts, conversions, segment grouping and the total row."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from core.analytics.funnel import (
    NO_SEGMENT,
    TOTAL,
    Conversion,
    FunnelLog,
    FunnelRow,
    conversion,
    sales_funnel,
    segment_key,
)
from tests.core.analytics_factories import interview, money, other

AT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
NONE = (0, 0, None)


def log(step: str, count: int, segment: str | None) -> FunnelLog:
    return FunnelLog(step, count, segment, AT)  # type: ignore[arg-type]


def test_conversion_rounds_half_up_to_three_places_and_is_none_without_a_denominator() -> None:
    assert conversion(1, 8) == Conversion(1, 8, Decimal("0.125"))
    assert conversion(1, 16) == Conversion(1, 16, Decimal("0.063"))
    assert conversion(2, 3) == Conversion(2, 3, Decimal("0.667"))
    assert conversion(1, 3) == Conversion(1, 3, Decimal("0.333"))
    assert conversion(0, 5) == Conversion(0, 5, Decimal("0.000"))
    assert conversion(3, 2) == Conversion(3, 2, None)  # never above 100%
    assert conversion(0, 0) == Conversion(0, 0, None)
    assert conversion(4, 0) == Conversion(4, 0, None)


@pytest.mark.parametrize(
    ("segment", "key"),
    [
        (None, NO_SEGMENT),
        ("", NO_SEGMENT),
        ("   ", NO_SEGMENT),
        ("...", NO_SEGMENT),
        ("  Design   Studios! ", "design studios"),
        ("Дизайн-СТУДИИ.", "дизайн-студии"),
        ("Studios 🎨", "studios 🎨"),
    ],
)
def test_segment_key(segment: str | None, key: str) -> None:
    assert segment_key(segment) == key


def test_segment_key_follows_merges() -> None:
    merges = {"studios": "design studios", "design studios": "creative agencies"}
    assert segment_key("Studios", merges) == "creative agencies"
    assert segment_key(None, merges) == NO_SEGMENT


def test_no_data_gives_only_an_empty_total_row() -> None:
    rows = sales_funnel([], [])
    assert rows == [FunnelRow(TOTAL, TOTAL, True, 0, 0, 0, 0, 0)]
    assert rows[0].conversions == (NONE, NONE, NONE, NONE)


def test_one_interview_without_segment() -> None:
    rows = sales_funnel([interview("i1")], [])
    assert rows == [
        FunnelRow(NO_SEGMENT, NO_SEGMENT, False, 0, 1, 0, 0, 0),
        FunnelRow(TOTAL, TOTAL, True, 0, 1, 0, 0, 0),
    ]
    assert rows[0].conversions == ((1, 0, None), (0, 1, Decimal("0.000")), NONE, NONE)


def test_funnel_hand_computed() -> None:
    interviews = [
        interview("v1", script="validation", segment="Design Studios", commitments=[money("100")]),
        interview("v2", script="validation", segment="design  studios."),
        interview("v3", script="validation", segment="Design studios", commitments=[other("time")]),
        interview("d1", segment="Agencies", commitments=[other("time"), other("reputation")]),
        interview("d2", segment=None),
        interview("d3", segment="  "),
        interview("x1", script="validation", segment="Design Studios", status="cancelled", commitments=[money("9")]),
        interview("x2", script="validation", segment="Agencies", status="in_progress"),
    ]
    logged = [
        log("contacted", 10, "Design Studios"),
        log("contacted", 5, "design studios"),
        log("paid", 1, "DESIGN STUDIOS"),
        log("contacted", 4, "Agencies"),
        log("paid", 0, "agencies"),
        log("contacted", 3, None),
        log("contacted", 2, "Freelancers"),
    ]
    rows = sales_funnel(interviews, logged)
    assert rows == [
        FunnelRow("agencies", "Agencies", False, 4, 1, 0, 0, 0),  # d1 committed, but never saw the offer
        FunnelRow("design studios", "Design Studios", False, 15, 3, 3, 2, 1),
        FunnelRow("freelancers", "Freelancers", False, 2, 0, 0, 0, 0),
        FunnelRow(NO_SEGMENT, NO_SEGMENT, False, 3, 2, 0, 0, 0),
        FunnelRow(TOTAL, TOTAL, True, 24, 6, 3, 2, 1),
    ]
    assert [row.conversions for row in rows] == [
        ((1, 4, Decimal("0.250")), (0, 1, Decimal("0.000")), NONE, NONE),
        ((3, 15, Decimal("0.200")), (3, 3, Decimal("1.000")), (2, 3, Decimal("0.667")), (1, 2, Decimal("0.500"))),
        ((0, 2, Decimal("0.000")), NONE, NONE, NONE),
        ((2, 3, Decimal("0.667")), (0, 2, Decimal("0.000")), NONE, NONE),
        ((6, 24, Decimal("0.250")), (3, 6, Decimal("0.500")), (2, 3, Decimal("0.667")), (1, 2, Decimal("0.500"))),
    ]
    total = rows[-1]
    assert total.contacted_to_interviewed == Conversion(6, 24, Decimal("0.250"))
    assert total.interviewed_to_shown == Conversion(3, 6, Decimal("0.500"))
    assert total.shown_to_committed == Conversion(2, 3, Decimal("0.667"))
    assert total.committed_to_paid == Conversion(1, 2, Decimal("0.500"))


def test_no_step_is_shown_above_100_percent_of_the_one_before() -> None:
    interviews = [
        interview(f"i{n}", segment="Studios", script="validation", commitments=[money("1")]) for n in range(3)
    ]
    rows = sales_funnel(interviews, [log("contacted", 2, "studios"), log("paid", 4, "Studios")])
    assert rows[0] == FunnelRow("studios", "Studios", False, 2, 3, 3, 3, 4)
    assert rows[0].conversions == (
        (3, 2, None),  # more interviewed than logged as contacted
        (3, 3, Decimal("1.000")),
        (3, 3, Decimal("1.000")),
        (4, 3, None),  # customers who paid without a commitment in an interview
    )


def test_logs_add_up_and_a_segment_may_appear_only_in_logs() -> None:
    logged = [log("contacted", 7, "Agencies"), log("contacted", 5, "agencies!"), log("paid", 2, "AGENCIES")]
    assert sales_funnel([], logged) == [
        FunnelRow("agencies", "Agencies", False, 12, 0, 0, 0, 2),
        FunnelRow(TOTAL, TOTAL, True, 12, 0, 0, 0, 2),
    ]


def test_segment_merges_and_cyrillic_segments() -> None:
    interviews = [
        interview("i1", segment="Дизайн-студии", script="validation"),
        interview("i2", segment="дизайн-СТУДИИ!"),
        interview("i3", segment="Studios"),
    ]
    rows = sales_funnel(interviews, [log("contacted", 6, "studios")], {"studios": "дизайн-студии"})
    assert rows == [
        FunnelRow("дизайн-студии", "Дизайн-студии", False, 6, 3, 1, 0, 0),
        FunnelRow(TOTAL, TOTAL, True, 6, 3, 1, 0, 0),
    ]


def test_label_ties_go_to_the_first_seen_wording_interviews_before_logs() -> None:
    interviews = [interview("i1", segment="studios"), interview("i2", segment="Studios")]
    rows = sales_funnel(interviews, [log("contacted", 1, "STUDIOS"), log("contacted", 1, "STUDIOS")])
    assert rows[0].label == "STUDIOS"
    rows = sales_funnel(interviews, [log("contacted", 1, "STUDIOS")])
    assert rows[0].label == "studios"


def test_funnel_log_rejects_negative_counts_and_unknown_steps() -> None:
    with pytest.raises(ValueError):
        FunnelLog("contacted", -1, None, AT)
    with pytest.raises(ValueError):
        log("shown", 1, None)
