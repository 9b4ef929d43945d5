"""Tests for core.analytics.pricing: Van Westendorp (as R's pricesensitivitymeter 1.3.x computes it) and Sean Ellis.

Notation in the hand-worked cases: n kept respondents; on each grid price p the counts of kept answers at or below p
are T (too cheap), B (bargain), E (getting expensive), X (too expensive), each pinned to 0 at and below the lowest
answer to its question (the package's rule). The curves are too cheap 1-T/n, bargain 1-B/n, not a bargain B/n,
getting expensive E/n, not expensive 1-E/n, too expensive X/n, so the differences whose sign change marks a point
are, over n: PMC B+T-n (not a bargain - too cheap), PME X+E-n (too expensive - not expensive), OPP X+T-n (too
expensive - too cheap), IPP E+B-n (getting expensive - bargain). A change from y1 < 0 at x1 to y2 >= 0 at x2 sits
at x1 - y1 (x2 - x1) / (y2 - y1); every hand-worked result was also checked against the package's R functions run in R.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import replace
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.analytics.pricing import (
    PriceCounts,
    PriceRange,
    PriceResponse,
    SeanEllis,
    counted_van_westendorp,
    price_counts,
    sean_ellis,
    van_westendorp,
)


def resp(*prices: int | str, currency: str | None = None) -> PriceResponse:
    too_cheap, bargain, getting_expensive, too_expensive = (Decimal(p) for p in prices)
    return PriceResponse(too_cheap, bargain, getting_expensive, too_expensive, currency)


def from_row(row: Sequence[Decimal], currency: str | None = None) -> PriceResponse:
    too_cheap, bargain, getting_expensive, too_expensive = row
    return PriceResponse(too_cheap, bargain, getting_expensive, too_expensive, currency)


def only(results: list[PriceRange]) -> PriceRange:
    assert len(results) == 1
    return results[0]


def points(result: PriceRange) -> tuple[Decimal | None, ...]:
    return (result.pmc, result.pme, result.opp, result.ipp)


STAIRS = [resp(1, 2, 3, 4), resp(2, 3, 4, 5), resp(3, 4, 5, 6), resp(4, 5, 6, 7)]


# ---------------------------------------------------------------- hand-worked cases


def test_four_respondents_worked_by_hand() -> None:
    # grid 1..7, n = 4. Lowest answers: too cheap 1, bargain 2, getting expensive 3, too expensive 4.
    #  p | T B E X | too cheap  bargain  not a bargain  getting exp.  not exp.  too exp. | PMC PME OPP IPP (x4)
    #  1 | 0 0 0 0 |   1.00      1.00       0.00           0.00         1.00      0.00   |  -4  -4  -4  -4
    #  2 | 2 0 0 0 |   0.50      1.00       0.00           0.00         1.00      0.00   |  -2  -4  -2  -4
    #  3 | 3 2 0 0 |   0.25      0.50       0.50           0.00         1.00      0.00   |  +1  -4  -1  -2
    #  4 | 4 3 2 0 |   0.00      0.25       0.75           0.50         0.50      0.00   |  +3  -2   0  +1
    #  5 | 4 4 3 2 |   0.00      0.00       1.00           0.75         0.25      0.50   |  +4  +1  +2  +3
    #  6 | 4 4 4 3 |   0.00      0.00       1.00           1.00         0.00      0.75   |  +4  +3  +3  +4
    #  7 | 4 4 4 4 |   0.00      0.00       1.00           1.00         0.00      1.00   |  +4  +4  +4  +4
    # (at p = 1 a plain "share answering above 1" would give too cheap 0.75; the package's pin gives 1.00)
    # PMC: -2 at 2, +1 at 3 -> 2 + 2/3 = 8/3.    PME: -2 at 4, +1 at 5 -> 4 + 2/3 = 14/3.
    # OPP: -1 at 3, 0 at 4 -> touches at 4.      IPP: -2 at 3, +1 at 4 -> 3 + 2/3 = 11/3.
    result = only(van_westendorp(STAIRS, minimum=4))
    assert (result.currency, result.n, result.dropped, result.needed, result.enough) == (None, 4, 0, 4, True)
    assert points(result) == (Decimal(8) / 3, Decimal(14) / 3, Decimal(4), Decimal(11) / 3)


def test_ties_and_the_pin_at_each_questions_lowest_answer() -> None:
    # grid 5, 10, 15, 20, 30, n = 4; too cheap {5,5,5,10}, bargain {10,10,10,15}, getting expensive {15,15,20,20},
    # too expensive {20,20,30,30}. Every lowest answer is shared, so the pin matters at each of them:
    #   p | T B E X | PMC B+T-4  PME X+E-4  OPP X+T-4  IPP E+B-4
    #   5 | 0 0 0 0 |    -4         -4         -4         -4       (plain counts would be T=3)
    #  10 | 4 0 0 0 |     0         -4          0         -4       (plain B=3)
    #  15 | 4 4 0 0 |    +4         -4         +4          0       (plain E=2)
    #  20 | 4 4 4 0 |    +4          0         +4         +4       (plain X=2)
    #  30 | 4 4 4 4 |    +4         +4         +4         +4
    # Each difference reaches exactly 0 on a grid price, which is the point: PMC 10, PME 20, OPP 10, IPP 15.
    # (Plain counts would put PMC at 5 + 5 * 1/4 = 6.25 instead.)
    data = [resp(5, 10, 15, 20), resp(5, 10, 15, 20), resp(5, 10, 20, 30), resp(10, 15, 20, 30)]
    assert points(only(van_westendorp(data, minimum=1))) == (Decimal(10), Decimal(20), Decimal(10), Decimal(15))


def test_respondents_not_strictly_increasing_are_dropped_and_counted() -> None:
    # 10 < 10 fails (bargain equals getting expensive); so do a too cheap above the bargain and a plain tie.
    # The kept four are STAIRS, so the points are those of the first case.
    data = [*STAIRS, resp(5, 10, 10, 20), resp(12, 10, 15, 20), resp(3, 3, 3, 3)]
    result = only(van_westendorp(data, minimum=4))
    assert (result.n, result.dropped) == (4, 3)
    assert points(result) == points(only(van_westendorp(STAIRS, minimum=4)))


def test_answers_counted_by_question_and_price_give_the_same_points() -> None:
    # what the board keeps per team: each question's kept answers by price (10 and 10.0 are one price), and drops
    data = [*STAIRS, resp("1.0", 2, 3, 4), replace(resp(2, 3, 4, 5), count=3), resp(5, 10, 10, 20, currency="EUR")]
    counted = price_counts(data)
    assert counted == [
        PriceCounts(
            None,
            {Decimal(1): 2, Decimal(2): 4, Decimal(3): 1, Decimal(4): 1},
            {Decimal(2): 2, Decimal(3): 4, Decimal(4): 1, Decimal(5): 1},
            {Decimal(3): 2, Decimal(4): 4, Decimal(5): 1, Decimal(6): 1},
            {Decimal(4): 2, Decimal(5): 4, Decimal(6): 1, Decimal(7): 1},
        ),
        PriceCounts("EUR", {}, {}, {}, {}, dropped=1),
    ]
    assert counted_van_westendorp(list(reversed(counted)), 4) == van_westendorp(data, 4)
    assert [(r.currency, r.n, r.dropped) for r in van_westendorp(data, 4)] == [("EUR", 0, 1), (None, 8, 0)]


def test_currencies_are_kept_apart_and_sorted_with_none_last() -> None:
    # USD: STAIRS. EUR: STAIRS with every price x10, so every count and difference is the same and each point is
    # 10x: 80/3, 140/3, 40, 110/3. No currency: the ties case (10, 20, 10, 15). Pooled they would mix into one grid.
    eur = [resp(*(10 * p for p in (1, 2, 3, 4)), currency="EUR")]
    eur += [resp(*(10 * p for p in row), currency="EUR") for row in ((2, 3, 4, 5), (3, 4, 5, 6), (4, 5, 6, 7))]
    usd = [resp(*row, currency="USD") for row in ((1, 2, 3, 4), (2, 3, 4, 5), (3, 4, 5, 6), (4, 5, 6, 7))]
    none = [resp(5, 10, 15, 20), resp(5, 10, 15, 20), resp(5, 10, 20, 30), resp(10, 15, 20, 30)]
    mixed = [none[0], usd[0], eur[0], none[1], usd[1], eur[1], none[2], usd[2], eur[2], none[3], usd[3], eur[3]]
    results = van_westendorp(mixed, minimum=4)
    assert [(r.currency, r.n) for r in results] == [("EUR", 4), ("USD", 4), (None, 4)]
    assert points(results[0]) == (Decimal(80) / 3, Decimal(140) / 3, Decimal(40), Decimal(110) / 3)
    assert points(results[1]) == (Decimal(8) / 3, Decimal(14) / 3, Decimal(4), Decimal(11) / 3)
    assert points(results[2]) == (Decimal(10), Decimal(20), Decimal(10), Decimal(15))


def test_an_outlier_moves_the_points_a_little_and_stays_out_of_them() -> None:
    # STAIRS plus (100, 200, 300, 400); n = 5; grid 1..7, 100, 200, 300, 400.
    #    p | T B E X | PMC B+T-5  PME X+E-5  OPP X+T-5  IPP E+B-5
    #    1 | 0 0 0 0 |    -5         -5         -5         -5
    #    2 | 2 0 0 0 |    -3         -5         -3         -5
    #    3 | 3 2 0 0 |     0         -5         -2         -3
    #    4 | 4 3 2 0 |    +2         -3         -1          0
    #    5 | 4 4 3 2 |    +3          0         +1         +2
    #    6 | 4 4 4 3 |    +3         +2         +2         +3
    #    7 | 4 4 4 4 |    +3         +3         +3         +3
    #  100 | 5 4 4 4 |    +4         +3         +4         +3      (and so on up to +5 at 400)
    # PMC 3, PME 5, OPP 4 + 1/2 = 4.5, IPP 4 (without the outlier: 8/3, 14/3, 4, 11/3); none near 100-400.
    result = only(van_westendorp([*STAIRS, resp(100, 200, 300, 400)], minimum=5))
    assert points(result) == (Decimal(3), Decimal(5), Decimal("4.5"), Decimal(4))


def test_no_data_gives_no_result() -> None:
    assert van_westendorp([]) == []


def test_one_answer() -> None:
    # grid 10, 20, 30, 40, n = 1. Each question has one answer, pinned at it: T = 1 from 20, B = 1 from 30,
    # E = 1 from 40, X = 0 throughout (40 is both its lowest and highest answer).
    #   p | T B E X | PMC B+T-1  PME X+E-1  OPP X+T-1  IPP E+B-1
    #  10 | 0 0 0 0 |    -1         -1         -1         -1
    #  20 | 1 0 0 0 |     0         -1          0         -1
    #  30 | 1 1 0 0 |    +1         -1         +1          0
    #  40 | 1 1 1 0 |    +1          0         +1         +1
    # PMC 20, PME 40, OPP 20, IPP 30.
    single = [resp(10, 20, 30, 40)]
    assert points(only(van_westendorp(single, minimum=1))) == (Decimal(20), Decimal(40), Decimal(20), Decimal(30))
    waiting = only(van_westendorp(single))
    assert (waiting.n, waiting.needed, waiting.enough, points(waiting)) == (1, 20, False, (None, None, None, None))


def test_minimum_not_reached_reports_n_and_no_points() -> None:
    result = only(van_westendorp([*STAIRS, resp(5, 10, 10, 20)]))
    assert result == PriceRange(None, 4, 1, 20, None, None, None, None)
    assert not result.enough
    assert only(van_westendorp(STAIRS, minimum=5)).pmc is None
    assert only(van_westendorp(STAIRS, minimum=4)).pmc is not None  # n == minimum is enough


def test_every_respondent_dropped_gives_zero_kept() -> None:
    # the package stops with an error here; we report n = 0 and wait
    result = only(van_westendorp([resp(10, 10, 20, 30, currency="USD"), resp(4, 3, 2, 1, currency="USD")], 1))
    assert result == PriceRange("USD", 0, 2, 1, None, None, None, None)


def test_answers_that_are_not_finite_are_dropped() -> None:
    data = [*STAIRS, resp(1, 2, "NaN", 4), resp(1, 2, 3, "Infinity"), resp("-Infinity", 2, 3, 4)]
    result = only(van_westendorp(data, minimum=4))
    assert (result.n, result.dropped) == (4, 3)
    assert points(result) == (Decimal(8) / 3, Decimal(14) / 3, Decimal(4), Decimal(11) / 3)


def test_minimum_must_be_at_least_one() -> None:
    with pytest.raises(ValueError, match="minimum"):
        van_westendorp(STAIRS, minimum=0)


def test_a_flat_run_is_read_through_the_packages_double_precision() -> None:
    # n = 10: three (1,2,3,4), four (2,8,9,10), three (11,12,13,14). Grid 1,2,3,4,8,9,10,11,12,13,14.
    #   p | T  B  E  X | PMC B+T-10  PME X+E-10  OPP X+T-10  IPP E+B-10
    #   1 | 0  0  0  0 |    -10         -10         -10         -10
    #   2 | 7  0  0  0 |     -3         -10          -3         -10
    #   3 | 7  3  0  0 |      0         -10          -3          -7
    #   4 | 7  3  3  0 |      0          -7          -3          -4
    #   8 | 7  7  3  3 |     +4          -4           0           0
    #   9 | 7  7  7  3 |     +4           0           0          +4
    #  10 | 7  7  7  7 |     +4          +4          +4          +4    (then on up to +10)
    # In exact shares OPP touches 0 at 8 and stays there at 9. The package computes too expensive minus too cheap
    # as 0.3 - (1 - 0.7) = -5.55e-17 in doubles at both 8 and 9, so it sees no sign change before 9 -> 10 and
    # reports OPP 9 (the exact-share reading would say 8). The same rounding leaves PME (9) and IPP (8) where they
    # are, as a positive value follows their single zero, and PMC's (1 - (1 - 0.3)) - (1 - 0.7) is exactly 0 in
    # doubles, so PMC stays at the start of its run, 3.
    data = [resp(1, 2, 3, 4)] * 3 + [resp(2, 8, 9, 10)] * 4 + [resp(11, 12, 13, 14)] * 3
    assert points(only(van_westendorp(data, minimum=10))) == (Decimal(3), Decimal(9), Decimal(9), Decimal(8))


# ---------------------------------------------------------------- the package's documented examples

# Vignette "Interpolation in Small Samples" (1.3.3): R's set.seed(1976), 50 answers per question rounded to cents
# and sorted separately (so the i-th respondent pairs the i-th values), bargain answers in (14.25, 17.5) replaced
# by their mean 16.06 and getting-expensive answers in (14, 16) by 15.13. The vignette prints the indifference
# price for interpolate = FALSE: 14.91. The other points and the counts come from the package's functions run on
# the same data.
SMALL_SAMPLE = """
4.75 5.21 5.26 5.32 5.83 6.05 6.09 6.1 6.17 6.53 6.81 6.88 6.99 7.22 7.31 7.33 7.41 7.48 7.54 7.58 7.67 7.78 7.84
7.9 7.97 8.06 8.1 8.15 8.23 8.38 8.4 8.49 8.54 8.63 8.7 8.84 8.94 9.02 9.06 9.11 9.28 9.33 9.39 9.49 9.56 9.96 10.07
10.14 10.63 10.85

5.07 8.71 8.99 9.85 10.15 11.08 11.67 11.87 11.91 11.97 12.24 12.32 12.46 12.62 12.64 12.91 13.28 13.38 13.41 13.53
13.65 13.79 13.85 14.14 14.25 16.06 16.06 16.06 16.06 16.06 16.06 16.06 16.06 16.06 16.06 16.06 16.06 16.06 16.06
16.06 16.06 18.12 18.13 18.42 18.6 19.07 19.11 19.13 20.34 20.74

9.11 12 12.55 12.61 13 13.17 13.44 13.69 13.71 15.13 15.13 15.13 15.13 15.13 15.13 15.13 15.13 15.13 15.13 15.13
15.13 15.13 15.13 15.13 15.13 15.13 16.12 16.51 16.61 16.78 17 17.16 17.18 17.34 17.36 17.5 17.64 17.94 17.96 17.96
18.04 18.16 18.29 18.4 19.29 19.5 19.71 20.47 21.75 22.91

17.63 17.98 18.48 18.74 18.77 18.8 18.84 18.93 18.98 19.08 19.22 19.27 19.36 19.49 19.52 19.54 19.57 19.61 19.63
19.64 19.69 19.69 19.71 19.72 19.76 19.79 19.88 19.96 19.98 20.08 20.13 20.14 20.2 20.21 20.24 20.25 20.26 20.32
20.33 20.39 20.44 20.59 20.7 20.92 20.96 20.99 21.03 21.16 21.48 21.74
"""

# Vignette "Using Weighted Survey Data" (1.3.3), unweighted runs: R's set.seed(20), 250 answers per question
# rounded to cents, gender m/f per respondent, women's four answers x1.5. Printed by summary(): "Accepted Price
# Range: 7.17 - 16.82", "Indifference Price Point: 12.055", "Optimal Price Point: 7.995", 250 cases. Then the
# bargain of ten men (rows below, 1-based) is set to their too-expensive answer: "7.22 - 17.03", "12.0725", "7.995",
# 240 cases, 10 removed. Unrounded, from the package's functions: 7.17, 16.815 and 7.215, 17.025. (R multiplies
# by 1.5 in doubles, which splits 7 of the ties that exact decimals make; the points agree either way.)
WEIGHTED = """
4.58 3.71 4.89 3.33 3.78 4.28 2.56 3.57 3.77 3.72 3.99 3.92 3.69 4.66 3.24 3.78 4.49 4.01 3.96 4.19 4.12 3.93 4.36
4.18 3.88 3.26 3.7 3.43 2.76 3.69 3.89 4.8 4.78 4.55 3.45 3.07 3.54 4.62 4.04 4.21 3.59 3.23 4.28 3.82 3.48 4.01
4.44 4.44 4.51 3.81 4.55 3.98 4.1 4.67 4.37 4.03 4.66 3.8 3.59 4.18 4.03 3.97 3.81 3.56 4.6 3.17 4.58 3.47 4.45 3.34
4.33 3.67 4.5 3.66 4.56 4.19 3.92 3.77 3.32 3.99 3.88 4.96 4.05 4.05 4.09 3.68 3.98 4.06 4.61 4.72 5.1 3.02 4.28
3.89 3.97 4.13 4.64 4.55 3.7 4.08 4.27 3.89 4.61 4.35 4.46 4.05 3.95 3.78 4.28 3.24 4.42 4.86 3.52 3.22 3.7 3.53
3.27 4.96 3.96 3.81 4.38 4.14 4.53 4.81 4.41 4.18 4.34 3.11 3.66 3.5 3.45 4.59 3.25 4.83 3.25 3.71 3.67 4.15 3.45
4.46 3.84 3.82 4.15 4.7 3.88 4.04 4.11 4.96 3.76 3.81 4.54 3.57 4.41 3.19 4.58 4.23 3.82 3.93 4.14 4.78 4.52 4.17
4.66 4.17 4.48 3.1 3.82 4.37 4.78 4.16 4.24 4.26 4.29 3.72 3.39 3.31 3.26 4.19 4.67 3.8 4.07 4.22 4.08 4.88 4.56
4.68 4.71 4.15 4.12 3.4 4.34 3.42 3.19 3.43 4.04 3.11 4.11 4.43 3.46 4.52 3.81 3.46 4.35 3.57 5.18 3.67 4.5 3.11
4.24 3.62 4.37 3.49 3.76 2.85 3.39 4.41 3.6 3.77 4.42 4.94 3.69 5.33 4.46 3.68 4 4.27 3.1 3.97 4.09 3.71 4.99 4.03
4.13 3.95 3.89 5.47 3.03 3.68 3.47 4.24 3.99 3.55 4.09 3.46 3.22 3.59 3.83 4.73 4.1 4.69

8.37 7.23 7.93 8.55 7.75 7.49 7.81 8.45 8.3 7.63 8.67 8.09 8.12 7.75 8.05 8.08 7.66 8.43 8.19 7.9 7.7 8.16 7.69 8.95
7.45 7.64 8.25 7.8 8.6 8.75 9.12 6.74 7.36 7.67 7.63 8.17 8.11 8.5 8.04 8.65 8.3 8.19 8.18 8.14 8.43 8.85 7.91 7.55
7.76 7.94 8.13 8.09 8.27 8.15 8.21 7.94 7.67 7.51 6.68 8.15 8.09 7.84 8.13 7.73 8.91 7.63 8.29 7.75 8.61 8.51 8.05
7.7 7.55 8.2 8.15 7.35 7.91 7.87 8.12 7.15 8.49 7.94 7.67 8.24 8.39 8.33 7.77 9.01 7.57 7.71 8.33 8.78 7.8 7.67 8.01
7.74 7.55 8.35 8.41 7.97 7.48 8.02 8.51 6.68 8.75 6.87 7.95 8.28 8.14 7.2 6.92 8.24 8.07 8.01 8.02 7.72 8.88 8.8
7.47 7.7 7.02 7.96 7.25 7.6 7.54 8.44 8.38 7.69 8.23 7.91 7.94 8.04 7.28 7.43 8.3 8.16 7.89 8.03 7.94 7.25 7.5 7.57
7.73 7.27 7.67 8.74 8.74 7.91 8.34 7.82 7.49 7.7 8.02 8.56 8.11 8.1 7.38 7.86 7.89 7.4 7.41 8.06 8.25 7.74 7.69 7.93
8.16 8.53 7.34 7.96 7.32 7.63 7.94 8.28 7.53 8.04 8.54 9.08 7.59 8.65 7.28 7.87 8.28 8.28 7.72 7.81 8.09 8.02 8.79
7.84 8.67 7.64 9.06 8.26 7.53 7.94 8.27 7.45 8.26 7.77 7.63 8.42 8.65 9.01 8.05 7.68 8.45 8.51 7.24 7.6 8.74 7.65
8.14 8.1 8.72 8.22 8.14 7.53 8.6 7.43 7.38 8.01 7.47 8.47 7.3 7.84 8.11 7.65 7.78 8.4 7.63 8.04 9.37 8.15 7.64 9.06
7.8 8.72 8.14 7.91 7.87 7.47 8.38 8.43 7.25 6.91 7.53 8.18 7.62 7.82

12.27 12.78 11.48 10.93 12.35 12.01 11.83 11.51 11.6 11.21 12.42 12.52 11.95 12.87 11.6 11.83 12.81 12.75 11.63 12.2
12.6 11.15 11.99 12.09 12.21 11.99 11.37 11.39 11.16 12.89 12.2 11.59 11.15 12.11 12.12 12.37 11.54 13 12.02 11.33
11.42 11.95 11.39 11.08 11.87 11.41 11.8 13.06 12.12 11.89 11.42 12.91 12.11 12.32 12.52 11.78 11.66 12.44 12.09
11.7 11.75 12.37 12.31 12.98 12.37 12.31 11.64 11.8 12.51 11.51 12.44 11.91 13.31 12.35 11.36 11.67 11.74 12.34
11.94 11.21 11.87 11.41 13.21 11.24 11.55 12.66 11.83 12.17 11.82 11.47 11.18 12.02 12.46 10.95 11.14 12.15 11.29
11.99 12.62 10.78 12.39 12.2 11.17 12.14 12.19 11.39 11.41 11.69 12.02 12.6 12.05 11.88 12.13 12.01 12.76 12.11
12.08 10.93 12.25 11.62 12.47 11.5 12.16 11.86 12.64 12.59 12.07 11.82 12.6 11.41 12.51 11.81 12.31 11.41 12.07
12.13 11.71 11.66 12.71 10.86 12.31 12.58 11.79 11.72 11.42 12.3 11.9 11.31 11.02 12 13.24 11.85 12.08 12.23 12.52
11.73 12.01 12.22 12.84 11.31 11.58 12.28 12.3 11.63 11.66 13 11.16 10.92 11.71 11.98 11.86 12.4 12.15 11.84 12.55
11.48 11.04 11.5 12.1 11.89 12.23 12.08 12.67 11.57 13.08 12.11 11.29 11.94 10.92 11.76 11.81 11.59 11.97 11.4 12.47
11.79 11.55 12.17 12.32 11.83 11.69 12.5 12.46 12.63 11.35 13.36 12.52 12.63 11.81 12.24 11.01 11.54 12.24 11.78
11.22 12.01 12.08 11.56 12.16 11.51 12.28 11.94 11.98 12.35 12.65 10.5 12.17 12.52 11.15 12.6 12.78 12 11.55 12.55
12.54 11.5 11.77 12.13 12.69 11.81 11.63 12.33 11.88 11.9 11.27 12.41 12.95 11.73 12.03 12.07

16.15 15.61 16.02 15.85 15.64 16.18 15.48 16.69 15.88 16.55 16.25 15.4 16.03 16.8 16.2 15.12 15.82 16.21 15.57 16.64
16.29 15.17 15.76 16.8 15.98 15.83 16.15 16.51 16.04 16.4 16.98 16.35 16.8 16.71 17.34 14.75 15.35 16.8 15.83 15.58
15.71 16.3 15.57 16.43 16.32 15.51 15.46 16.55 16.12 16.57 16.86 15.65 15.46 15.88 16.41 15.85 15.03 15.88 16.52
16.21 16.24 15.5 16.21 15.45 16.08 15.97 16.55 15.69 16.53 16.63 16.24 16.3 15.91 16.18 15.32 15.43 16.58 16.51
15.28 16.39 15.27 16.18 15.61 16.2 16.81 15.69 15.23 16.1 16.42 16.11 16.45 16.51 16.93 14.64 16.2 17.06 15.35 16.17
15.94 15.56 16.67 16.04 16.15 15.37 16.2 16.01 15.89 16.82 16.44 16.18 15.5 16.03 16.39 16.07 17.01 16.07 16.6 16.93
16.58 16.1 16.58 15.74 15.71 15.92 15.7 15.47 16.11 14.98 16.8 16.14 16.89 15.7 15.84 15.95 16.01 15.45 15.88 16.47
15.56 16.32 16.5 16.76 15.56 16.08 15.14 16.09 16.11 15.69 16.05 15.81 15.68 15.77 15.11 15.53 15.9 16.51 16.72
16.62 15.93 15.95 15.84 15.18 15.68 15.73 15.21 15.71 16.09 15.62 15.2 16.45 16.18 15.47 14.97 17.21 16.23 15.65
15.79 16.04 15.86 15.55 16.44 16.39 16.17 15.21 15.69 16.47 16.96 16.03 16.97 15.61 16.47 15.77 16.29 15.8 15.06
15.26 16.26 16.23 15.71 14.9 16.41 15.97 16.15 16.54 15.43 16.85 16.28 15.67 16.34 16.34 16.4 16.08 16.24 15.78
15.74 15.05 16 15.4 16.37 16.39 15.47 15.71 16.22 16.1 15.5 15.48 16.04 15.53 15.07 15.37 15.94 16.52 15.69 16.01
15.77 15.61 16.42 16.12 15.61 15.79 16.22 16.03 16.55 15.78 15.07 16.28 16.08 15.06 15.61 16.05
"""
WEIGHTED_GENDER = (
    "mfmfmfmffffmffffmfmmffffmmmfmmfmmmmfmffffmfmmfffffmmmmmmfmmfmffmmfffmmffffmmffffffmmmfmmmfmfmmffmmmf"
    "mffmffmfffmffffmfmffmmfffffffmmfmmfmffmfmfffmfmmfmmffmffffmffmmmmmmmfmfmffmffmfffmffmmffmmffmmfmmmmm"
    "mmfmmmmmfmffmfmfmffffffmmmfmmfmffmmmfmmmfmmmmmmffm"
)
WEIGHTED_MANIPULATED_ROWS = (163, 25, 99, 226, 1, 167, 111, 69, 91, 12)
CENT = Decimal("0.01")


def columns(text: str) -> list[list[Decimal]]:
    """Four blank-separated blocks of numbers, one per question, in respondent order."""
    return [[Decimal(v) for v in block.split()] for block in text.strip().split("\n\n")]


def test_small_sample_vignette() -> None:
    too_cheap, bargain, expensive, too_expensive = columns(SMALL_SAMPLE)
    data = [from_row(row) for row in zip(too_cheap, bargain, expensive, too_expensive, strict=True)]
    result = only(van_westendorp(data))
    assert (result.n, result.dropped) == (46, 4)
    assert result.ipp == Decimal("14.91")
    assert points(result) == (Decimal("9.56"), Decimal("18.74"), Decimal("10.14"), Decimal("14.91"))


def weighted_vignette_data(manipulated: bool) -> list[PriceResponse]:
    rows = [list(row) for row in zip(*columns(WEIGHTED), strict=True)]
    for row, gender in zip(rows, WEIGHTED_GENDER, strict=True):
        if gender == "f":
            row[:] = [price * Decimal("1.5") for price in row]
    if manipulated:
        for number in WEIGHTED_MANIPULATED_ROWS:
            rows[number - 1][1] = rows[number - 1][3]
    return [from_row(row) for row in rows]


@pytest.mark.parametrize(
    ("manipulated", "kept", "expected", "printed"),
    [
        (False, 250, ("7.17", "16.815", "7.995", "12.055"), ("7.17", "16.82")),
        (True, 240, ("7.215", "17.025", "7.995", "12.0725"), ("7.22", "17.03")),
    ],
)
def test_weighted_data_vignette_unweighted_runs(
    manipulated: bool, kept: int, expected: tuple[str, ...], printed: tuple[str, str]
) -> None:
    result = only(van_westendorp(weighted_vignette_data(manipulated)))
    assert (result.n, result.dropped) == (kept, 250 - kept)
    assert points(result) == tuple(Decimal(v) for v in expected)
    assert result.pmc is not None and result.pme is not None
    # summary() prints the range rounded to cents
    cents = (result.pmc.quantize(CENT, ROUND_HALF_UP), result.pme.quantize(CENT, ROUND_HALF_UP))
    assert cents == (Decimal(printed[0]), Decimal(printed[1]))


# ---------------------------------------------------------------- properties

PRICES = [Decimal(p) for p in ("0.99", "1", "1.5", "2", "2.49", "3", "4", "5", "7.5", "9.99", "10", "12", "15", "20")]
increasing = st.lists(st.sampled_from(PRICES), min_size=4, max_size=4, unique=True).map(sorted)
anything = st.lists(st.sampled_from(PRICES), min_size=4, max_size=4)
SETTINGS = settings(max_examples=200, deadline=None)


def literal_double_reading(rows: Sequence[Sequence[Decimal]]) -> tuple[float | None, ...]:
    """The package's algorithm as it runs in R: doubles throughout, pinned shares, sign changes, lowest crossing."""
    kept = [[float(p) for p in row] for row in rows if row[0] < row[1] < row[2] < row[3]]
    n = len(kept)
    grid = sorted({p for row in kept for p in row})

    def cumulative(question: int) -> list[float]:
        answers = [row[question] for row in kept]
        return [0.0 if p <= min(answers) else sum(a <= p for a in answers) / n for p in grid]

    too_cheap = [1.0 - v for v in cumulative(0)]
    cheap = [1.0 - v for v in cumulative(1)]
    expensive, too_expensive = cumulative(2), cumulative(3)
    not_cheap, not_expensive = [1.0 - v for v in cheap], [1.0 - v for v in expensive]

    def crossing(one: list[float], other: list[float]) -> float | None:
        d = [a - b for a, b in zip(one, other, strict=True)]
        sign = [(v > 0) - (v < 0) for v in d]
        found = [
            grid[i] - d[i] * (grid[i + 1] - grid[i]) / (d[i + 1] - d[i])
            for i in range(len(d) - 1)
            if sign[i] != sign[i + 1]
        ]
        return min(found) if found else None

    return (
        crossing(not_cheap, too_cheap),
        crossing(too_expensive, not_expensive),
        crossing(too_expensive, too_cheap),
        crossing(expensive, cheap),
    )


@SETTINGS
@given(st.lists(increasing, min_size=1, max_size=40))
def test_points_exist_lie_within_the_prices_and_keep_their_order(rows: list[list[Decimal]]) -> None:
    result = only(van_westendorp([from_row(row) for row in rows], minimum=1))
    pmc, pme, opp, ipp = points(result)
    assert pmc is not None and pme is not None and opp is not None and ipp is not None
    low, high = min(min(row) for row in rows), max(max(row) for row in rows)
    assert all(low <= p <= high for p in (pmc, pme, opp, ipp))
    assert pmc <= opp <= pme
    assert pmc <= ipp <= pme


@SETTINGS
@given(st.lists(anything, min_size=1, max_size=40), st.randoms(use_true_random=False))
def test_respondent_order_does_not_matter(rows: list[list[Decimal]], rnd: random.Random) -> None:
    shuffled = rows[:]
    rnd.shuffle(shuffled)
    first = van_westendorp([from_row(row) for row in rows], minimum=1)
    assert van_westendorp([from_row(row) for row in shuffled], minimum=1) == first


@SETTINGS
@given(st.lists(increasing, min_size=1, max_size=40), st.lists(anything, max_size=5))
def test_agrees_with_a_literal_double_precision_reading(rows: list[list[Decimal]], noise: list[list[Decimal]]) -> None:
    result = only(van_westendorp([from_row(row) for row in rows + noise], minimum=1))
    for ours, theirs in zip(points(result), literal_double_reading(rows + noise), strict=True):
        assert ours is not None and theirs is not None
        assert abs(float(ours) - theirs) <= 1e-9 * max(1.0, abs(theirs))


@SETTINGS
@given(st.lists(st.tuples(anything, st.sampled_from(["USD", "EUR", "RUB", None])), max_size=40))
def test_each_currency_is_computed_alone_and_counted(rows: list[tuple[list[Decimal], str | None]]) -> None:
    results = van_westendorp([from_row(prices, currency) for prices, currency in rows], minimum=1)
    currencies = {currency for _, currency in rows}
    assert [r.currency for r in results] == sorted(c for c in currencies if c) + ([None] if None in currencies else [])
    for result in results:
        alone = [from_row(prices) for prices, currency in rows if currency == result.currency]
        assert points(result) == points(only(van_westendorp(alone, minimum=1)))
        assert result.n + result.dropped == len(alone)
        assert result.dropped == sum(
            not (r.too_cheap < r.bargain < r.getting_expensive < r.too_expensive) for r in alone
        )


# ---------------------------------------------------------------- Sean Ellis


def test_sean_ellis_counts_and_share() -> None:
    assert sean_ellis(["very", "somewhat", "not", "very", "very"]) == SeanEllis(5, 3, 1, 1, 0.6)


def test_sean_ellis_empty() -> None:
    assert sean_ellis([]) == SeanEllis(0, 0, 0, 0, None)


def test_sean_ellis_ignores_anything_else() -> None:
    assert sean_ellis(["very", "Very", " very", "", "maybe", "not", "very disappointed"]) == SeanEllis(2, 1, 0, 1, 0.5)
    assert sean_ellis(["unsure", "VERY"]) == SeanEllis(0, 0, 0, 0, None)


def test_sean_ellis_leaves_out_those_who_no_longer_use_it() -> None:
    assert sean_ellis(["very", "na", "not", "na"]) == SeanEllis(2, 1, 0, 1, 0.5)


def test_sean_ellis_share_is_very_over_counted_answers() -> None:
    result = sean_ellis(["very"] * 2 + ["somewhat"] * 3 + ["not"] * 3 + ["skip"] * 10)
    assert (result.n, result.very_disappointed_share) == (8, 0.25)


def test_grouped_responses_count_as_many_respondents() -> None:
    rng = random.Random(3)
    prices = [Decimal(v) for v in ("5", "10", "12.5", "20", "30", "45", "60", "90")]
    single = []
    for n in range(60):
        cheap, bargain, expensive, too = sorted(rng.sample(prices, 4))
        if n % 9 == 0:
            cheap, bargain = bargain, cheap  # dropped
        single.append(PriceResponse(cheap, bargain, expensive, too, rng.choice(["EUR", None])))
    grouped: dict[PriceResponse, int] = {}
    for response in single:
        grouped[response] = grouped.get(response, 0) + 1
    counted = [replace(response, count=count) for response, count in grouped.items()]
    assert len(counted) < len(single)
    assert van_westendorp(counted, 10) == van_westendorp(single, 10)
