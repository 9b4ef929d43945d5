"""Top pains, jobs and gains: normalization, merges, ranking and the Discovery gate's top pain share."""

from __future__ import annotations

from decimal import Decimal

import pytest

from core.analytics.items import (
    RankedItem,
    display_text,
    merge_target,
    normalize_item,
    round_ratio,
    top_gains,
    top_jobs,
    top_pain_share,
    top_pains,
)
from tests.core.analytics_factories import interview


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("  Late   Invoices!!  ", "late invoices"),
        ("Late invoices…", "late invoices"),
        ("Late invoices ?!. ", "late invoices"),
        ("Late invoices,;:", "late invoices"),
        ("Tab\tand\nnewline\u00a0nbsp", "tab and newline nbsp"),
        ("ПОЗДНИЕ   Счета.", "поздние счета"),
        ("Straße", "strasse"),
        ("Late invoices 😡", "late invoices 😡"),
        ("Cafe\u0301", "caf\u00e9"),
        ("e.g. invoices", "e.g. invoices"),
        ("version 1.", "version 1"),
        ("¿Por qué?", "¿por qué"),
        ("...", ""),
        ("", ""),
    ],
)
def test_normalize_item(text: str, key: str) -> None:
    assert normalize_item(text) == key


def test_normalize_item_is_idempotent_on_its_own_output() -> None:
    for text in ("  Late   Invoices!! ", "ПОЗДНИЕ Счета…", "Straße 😡 ?"):
        assert normalize_item(normalize_item(text)) == normalize_item(text)


def test_display_text_keeps_case_and_punctuation_but_collapses_whitespace() -> None:
    assert display_text("  Late\t invoices!\n") == "Late invoices!"


def test_round_ratio_is_exact_then_rounded() -> None:
    assert round_ratio(1, 8, 2) == Decimal("0.13")
    assert round_ratio(1, 8, 3) == Decimal("0.125")
    assert round_ratio(2, 3, 3) == Decimal("0.667")
    assert round_ratio(2, 3, 3, down=True) == Decimal("0.666")
    assert round_ratio(1000, 2001, 3) == Decimal("0.500")
    assert round_ratio(1000, 2001, 3, down=True) == Decimal("0.499")
    assert str(round_ratio(0, 5, 3)) == "0.000"
    assert str(round_ratio(4, 4, 2)) == "1.00"
    with pytest.raises(ValueError):
        round_ratio(1, 0, 3)


def test_no_interviews_give_nothing() -> None:
    assert top_pains([], {}) == []
    assert top_jobs([], {}) == []
    assert top_gains([], {}) == []
    assert top_pain_share([], {}) == (None, Decimal("0.000"))


def test_one_interview() -> None:
    only = interview("i1", pains=[("Chasing clients", None), ("Late invoices", 4)])
    assert top_pains([only], {}) == [
        RankedItem("late invoices", "Late invoices", 1, 1, Decimal("4.00"), ("i1",)),
        RankedItem("chasing clients", "Chasing clients", 1, 1, None, ("i1",)),
    ]


def test_ranking_counts_each_interview_once_and_only_completed_ones() -> None:
    i1 = interview("i1", day=0, pains=[("Late invoices", 5), ("late  invoices.", 3), ("Tax forms", 2)])
    i2 = interview("i2", day=1, pains=[("LATE INVOICES", 4), ("Tax forms", 4)])
    i3 = interview("i3", day=2, pains=[("Late invoices", None), ("Hiring", 5)])
    cancelled = interview("c1", day=3, status="cancelled", pains=[("Hiring", 5), ("Hiring", 5)])
    running = interview("r1", day=4, status="in_progress", pains=[("Tax forms", 5)])
    assert top_pains([i3, running, i1, cancelled, i2], {}) == [
        RankedItem("late invoices", "Late invoices", 3, 4, Decimal("4.00"), ("i1", "i2", "i3")),
        RankedItem("tax forms", "Tax forms", 2, 2, Decimal("3.00"), ("i1", "i2")),
        RankedItem("hiring", "Hiring", 1, 1, Decimal("5.00"), ("i3",)),
    ]


def test_mean_severity_is_rounded_half_up_to_two_places() -> None:
    eight = interview("i1", pains=[("Late", s) for s in (5, 5, 4, 4, 4, 4, 4, 3)])
    thirds = interview("i2", pains=[("Slow", 5), ("Slow", 5), ("Slow", 4), ("Tax", 4), ("Tax", 4), ("Tax", 5)])
    ranked = top_pains([eight, thirds], {})
    assert [(item.key, item.mentions, item.mean_severity) for item in ranked] == [
        ("slow", 3, Decimal("4.67")),
        ("tax", 3, Decimal("4.33")),
        ("late", 8, Decimal("4.13")),
    ]


def test_ties_go_to_severity_then_none_last_then_text_ignoring_case() -> None:
    one = interview("i1", pains=[("beta", 3), ("Alpha", 3), ("Zeta", 1), ("Aardvark", None), ("Mild", 2), ("Worst", 5)])
    assert [item.text for item in top_pains([one], {})] == ["Worst", "Alpha", "beta", "Mild", "Zeta", "Aardvark"]


def test_more_interviewees_beat_higher_severity() -> None:
    i1 = interview("i1", day=0, pains=[("Tax forms", 1), ("Hiring", 5)])
    i2 = interview("i2", day=1, pains=[("tax forms", 1)])
    assert [(item.key, item.interviewees) for item in top_pains([i1, i2], {})] == [("tax forms", 2), ("hiring", 1)]


def test_wording_is_the_most_frequent_and_ties_go_to_the_earliest_interview() -> None:
    later = interview("a-later", day=5, pains=["late invoices"])
    earlier = interview("z-earlier", day=1, pains=["Late Invoices!"])
    assert top_pains([later, earlier], {})[0].text == "Late Invoices!"
    third = interview("m-third", day=9, pains=["late   invoices"])
    assert top_pains([later, earlier, third], {})[0] == RankedItem(
        "late invoices", "late invoices", 3, 3, None, ("z-earlier", "a-later", "m-third")
    )


def test_same_start_time_orders_by_id() -> None:
    b = interview("b", day=0, pains=["Late Invoices"])
    a = interview("a", day=0, pains=["late invoices"])
    assert top_pains([b, a], {}) == [RankedItem("late invoices", "late invoices", 2, 2, None, ("a", "b"))]


def test_merge_target_follows_chains_and_breaks_cycles_at_the_smallest_key() -> None:
    assert merge_target("a", {}) == "a"
    assert merge_target("a", {"a": "b", "b": "c"}) == "c"
    assert merge_target("b", {"a": "b", "b": "c"}) == "c"
    cycle = {"b": "c", "c": "a", "a": "b", "d": "b"}
    assert [merge_target(key, cycle) for key in "abcd"] == ["a", "a", "a", "a"]
    assert merge_target("a", {"a": "a"}) == "a"
    assert merge_target("tax forms", {"Tax  Forms!": "Paperwork."}) == "paperwork"
    assert merge_target("tax forms", {"tax forms": "..."}) == "tax forms"


def test_merges_chain_into_one_group() -> None:
    i1 = interview("i1", day=0, pains=[("Chasing payments", 4)])
    i2 = interview("i2", day=1, pains=[("Late invoices", 5)])
    i3 = interview("i3", day=2, pains=[("Unpaid bills", 3), ("Chasing payments", None)])
    merges = {"unpaid bills": "chasing payments", "chasing payments": "late invoices"}
    assert top_pains([i1, i2, i3], merges) == [
        RankedItem("late invoices", "Chasing payments", 3, 4, Decimal("4.00"), ("i1", "i2", "i3")),
    ]


def test_a_merge_cycle_does_not_hang_and_lands_on_the_smallest_key() -> None:
    i1 = interview("i1", day=0, pains=[("Late invoices", 5)])
    i2 = interview("i2", day=1, pains=[("Chasing payments", 4), ("Chasing payments", 2)])
    merges = {"late invoices": "chasing payments", "chasing payments": "late invoices"}
    assert top_pains([i1, i2], merges) == [
        RankedItem("chasing payments", "Chasing payments", 2, 3, Decimal("3.67"), ("i1", "i2")),
    ]


def test_cyrillic_emoji_and_blank_items() -> None:
    i1 = interview("i1", day=0, pains=["Поздние   ОПЛАТЫ!", "  ...  ", ""])
    i2 = interview("i2", day=1, pains=["поздние оплаты"])
    i3 = interview("i3", day=2, pains=["Поздние оплаты 😡"])
    assert top_pains([i1, i2, i3], {}) == [
        RankedItem("поздние оплаты", "Поздние ОПЛАТЫ!", 2, 2, None, ("i1", "i2")),
        RankedItem("поздние оплаты 😡", "Поздние оплаты 😡", 1, 1, None, ("i3",)),
    ]


def test_limit() -> None:
    one = interview("i1", pains=[("A", 5), ("B", 4), ("C", 3)])
    assert [item.key for item in top_pains([one], {}, limit=2)] == ["a", "b"]
    assert top_pains([one], {}, limit=0) == []
    assert [item.key for item in top_pains([one], {}, limit=10)] == ["a", "b", "c"]
    with pytest.raises(ValueError):
        top_pains([one], {}, limit=-1)


def test_top_jobs() -> None:
    i1 = interview("i1", day=0, jobs=["Send invoices", "send invoices "])
    i2 = interview("i2", day=1, jobs=["Pay the team"])
    i3 = interview("i3", day=2, jobs=["Send invoices", "Pay  the team."])
    i4 = interview("i4", day=3, jobs=["Sleep"])
    assert top_jobs([i1, i2, i3, i4], {}, limit=2) == [
        RankedItem("pay the team", "Pay the team", 2, 2, None, ("i2", "i3")),
        RankedItem("send invoices", "Send invoices", 2, 3, None, ("i1", "i3")),
    ]


def test_top_gains_with_a_merge() -> None:
    i1 = interview("i1", day=0, gains=["Get paid on time"])
    i2 = interview("i2", day=1, gains=["Cash on time!", "Peace of mind"])
    i3 = interview("i3", day=2, gains=["cash on time"])
    assert top_gains([i1, i2, i3], {"get paid on time": "cash on time"}) == [
        RankedItem("cash on time", "Get paid on time", 3, 3, None, ("i1", "i2", "i3")),
        RankedItem("peace of mind", "Peace of mind", 1, 1, None, ("i2",)),
    ]


def test_top_pain_share_counts_severe_mentions_over_all_completed_interviews() -> None:
    i1 = interview("i1", day=0, pains=[("Late invoices", 5), ("Tax forms", 4)])
    i2 = interview("i2", day=1, pains=[("late invoices", 5)])
    i3 = interview("i3", day=2, pains=[("Late invoices", 3), ("Tax forms", 5)])
    i4 = interview("i4", day=3, pains=[("Hiring", 2)])
    cancelled = interview("c1", day=4, status="cancelled", pains=[("Tax forms", 5), ("Late invoices", 5)])
    team = [i1, i2, i3, i4, cancelled]
    assert top_pain_share(team, {}) == (
        RankedItem("late invoices", "Late invoices", 2, 2, Decimal("5.00"), ("i1", "i2")),
        Decimal("0.500"),
    )
    assert top_pain_share(team, {}, min_severity=3) == (
        RankedItem("late invoices", "Late invoices", 3, 3, Decimal("4.33"), ("i1", "i2", "i3")),
        Decimal("0.750"),
    )
    merged = top_pain_share(team, {"tax forms": "late invoices"})
    assert merged == (
        RankedItem("late invoices", "Tax forms", 3, 4, Decimal("4.75"), ("i1", "i2", "i3")),
        Decimal("0.750"),
    )


def test_top_pain_share_rounds_down_so_the_half_gate_is_exact() -> None:
    team = [
        interview("i1", day=0, pains=[("Late invoices", 4)]),
        interview("i2", day=1, pains=[("Late invoices", 4)]),
        interview("i3", day=2, pains=[("Late invoices", 1)]),
    ]
    item, share = top_pain_share(team, {})
    assert item is not None
    assert (item.interviewees, share) == (2, Decimal("0.666"))


def test_top_pain_share_without_a_severe_pain() -> None:
    team = [interview("i1", pains=[("Late invoices", 3), ("Tax forms", None)]), interview("i2")]
    assert top_pain_share(team, {}) == (None, Decimal("0.000"))


def test_top_pain_share_of_one_interview() -> None:
    one = interview("i1", pains=[("Late invoices", 4)])
    assert top_pain_share([one], {}) == (
        RankedItem("late invoices", "Late invoices", 1, 1, Decimal("4.00"), ("i1",)),
        Decimal("1.000"),
    )
