"""The board as Replies and as JSON, from a Board built by hand with the real analytics."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal

from core.analytics.activity import commitments_summary, interviews_per_founder, interviews_per_week, pace
from core.analytics.funnel import FunnelLog, sales_funnel
from core.analytics.items import top_gains, top_jobs, top_pains
from core.analytics.pricing import PriceRange, sean_ellis, van_westendorp
from core.board import hypothesis_views, views
from core.board.gate import Gate, GateFacts, ItemResult, evaluate_gate
from core.board.hypotheses import BLOCKS, EvidenceItem, Hypothesis, HypothesisEvent, suggested_status, tally
from core.board.phases import default_gates
from core.board.snapshot import Board, HypothesisView, board_to_dict, price_responses
from core.board.team import MemberInfo, PhaseChange, TeamProfile
from core.domain import InterviewSummary, PriceAnswers
from core.i18n import gettext_for
from core.interview.payloads import Page, decode
from core.messages import Reply, Span
from tests.core.analytics_factories import interview, money, other

TODAY = date(2026, 3, 10)  # Tuesday of ISO week 11; BASE (day 0) is Monday of week 10
MARKUP = "Agencies chase <b>late</b> invoices *every* month"
QUOTE = "I spend <i>hours</i> on it & hate it"
REASON = "we have <b>paying</b> pilots"
MEMBERS = [MemberInfo(1, "ann", "owner", "telegram"), MemberInfo(2, "bob", "founder", "slack")]
MEMBERS += [MemberInfo(3, "carol", "mentor", "slack")]


def at(day: int, hour: int = 10) -> datetime:
    return datetime(2026, 3, 1 + day, hour, 0, tzinfo=UTC)


def with_record(iv: InterviewSummary, **changes: object) -> InterviewSummary:
    return replace(iv, record=replace(iv.record, **changes))


def interviews() -> list[InterviewSummary]:
    iv1 = interview(
        "iv1", day=0, founder="ann", segment="Agencies", pains=[("late invoices", 5), ("manual reporting", 3)],
        jobs=["get paid on time"], gains=["fewer emails"], commitments=[money("500", "eur")],
    )  # fmt: skip
    iv2 = interview(
        "iv2", day=1, founder="bob", script="validation", segment="agencies", pains=[("Late invoices.", 4)],
        commitments=[other("time")],
    )  # fmt: skip
    iv3 = interview("iv3", day=8, founder="ann", segment="Freelancers", pains=[("manual reporting", 2)])
    iv4 = interview("iv4", day=9, founder="bob", status="in_progress")
    price = PriceAnswers(None, Decimal(10), Decimal(20), Decimal(40), Decimal(60), "EUR")
    iv1 = with_record(iv1, alias="Maria", sean_ellis="very", price=price, interview_date=date(2026, 3, 1))
    return [iv1, with_record(iv2, sean_ellis="not"), iv3, iv4]


def hypotheses() -> list[Hypothesis]:
    created = HypothesisEvent(at(0), "created", "ann", "untested")
    h1 = Hypothesis(
        "H1", MARKUP, "validated", "customer_segments", "8 of 10 confirm",
        history=(created, HypothesisEvent(at(4), "status", "bob", "validated", "five agencies <i>confirmed</i>")),
        evidence=(
            EvidenceItem("H1", "iv1", "Maria", "supports", "strong", QUOTE, at(1)),
            EvidenceItem("H1", "iv2", None, "refutes", "medium", None, at(2)),
        ),
    )  # fmt: skip
    h2 = Hypothesis(
        "H2", "Old statement", "pivoted", "value_propositions", successor="H3",
        history=(created, HypothesisEvent(at(5), "pivoted", "bob", "pivoted", "wrong buyer", "H3")),
    )  # fmt: skip
    h3 = Hypothesis("H3", "New statement", "testing", "value_propositions", predecessor="H2", history=(created,))
    h4 = Hypothesis(
        "H4", "Unplaced idea", history=(created,),
        evidence=(EvidenceItem("H4", "iv3", "Lee", "supports", "weak", None, at(8)),),
    )  # fmt: skip
    return [h1, h2, h3, h4]


def build_board(prices: list[PriceRange] | None = None) -> Board:
    team = TeamProfile(1, "acme", "Acme <b>Co</b>", phase="validation", weekly_target=2, goal_total=10)
    all_interviews = interviews()
    done = [i for i in all_interviews if i.status == "completed"]
    logs = [FunnelLog("contacted", 10, "Agencies", at(3))]
    ellis = sean_ellis([i.record.sean_ellis for i in done if i.record.sean_ellis])
    commitments = commitments_summary(done)
    price_ranges = van_westendorp(price_responses(done), 20) if prices is None else prices
    facts = GateFacts(
        statuses_by_block={"revenue_streams": ["testing"]},
        price_answers=max(p.n for p in price_ranges),
        sean_ellis_n=ellis.n,
        very_share=Decimal(str(ellis.very_disappointed_share)),
        money_commitments=commitments.money_commitments,
    )
    return Board(
        team=team,
        members=MEMBERS,
        gate=evaluate_gate(team.phase, default_gates(), facts, "en"),
        hypotheses=[HypothesisView(h, tally(h.evidence), suggested_status(h)) for h in hypotheses()],
        interviews=all_interviews,
        top_pains=top_pains(done, {}),
        top_jobs=top_jobs(done, {}),
        top_gains=top_gains(done, {}),
        sean_ellis=ellis,
        commitments=commitments,
        pace=pace(done, team.weekly_target, team.goal_total, TODAY, UTC),
        prices=price_ranges,
        funnel=sales_funnel(done, logs),
        per_founder=interviews_per_founder(done),
        per_week=interviews_per_week(done, UTC),
        phase_changes=[PhaseChange(at(6), "discovery", "validation", "ann", REASON)],
    )


def lines(reply: Reply) -> list[str]:
    return reply.plain_text.split("\n")


def test_status_reply() -> None:
    reply = views.status_reply(build_board(), "en")
    assert lines(reply) == [
        "Acme <b>Co</b> · Customer Validation",
        "Will they pay?",
        "",
        "Exit gate",
        "⬜ At least 10 paid orders or paid pilots — 0/10 · log each payment: /funnel log paid 1",
        "⬜ Funnel conversion measured at every stage — not measured yet: see /funnel",
        "⬜ Channels, Revenue streams hypotheses validated — 0/1 · no hypothesis yet in Channels: "
        "/hypothesis add ch <statement>",
        "⬜ Sales roadmap written: who buys, who decides, and the steps to close a sale — "
        "not yet: tick it with /phase tick sales_roadmap",
        "⬜ Financial model updated with the real sales, prices and costs — "
        "not yet: tick it with /phase tick financial_model",
        "",
        "Pace",
        "Interviews this week: 1 (target 2); in total: 3 of 10.",
        "By week: W10: 2, W11: 1",
        "Weeks to the goal: estimated once the last four weeks hold 5 interviews (3 so far).",
        "",
        "Top pains",
        "• late invoices (2 interviewees, 4.50/5)",
        "• manual reporting (2 interviewees, 2.50/5)",
        "",
        "Hypotheses",
        "validated: 1, pivoted: 1, testing: 1, untested: 1",
        "",
        "Pull",
        "Sean Ellis: 50% very disappointed (2 answers); 1 money commitment.",
        "Money committed: 500 EUR.",
        f"Moved to Customer Validation without passing the gate: {REASON}",
    ]
    assert Span("Acme <b>Co</b> · Customer Validation", "bold") in reply.spans
    assert Span("late invoices", "quote") in reply.spans


def test_status_reply_of_an_empty_team() -> None:
    board = replace(build_board(), hypotheses=[], top_pains=[], phase_changes=[], per_week=[])
    assert lines(views.status_reply(board, "en"))[10:] == [
        "Pace", "Interviews this week: 1 (target 2); in total: 3 of 10.",
        "Weeks to the goal: estimated once the last four weeks hold 5 interviews (3 so far).", "",
        "Pull", "Sean Ellis: 50% very disappointed (2 answers); 1 money commitment.", "Money committed: 500 EUR.",
    ]  # fmt: skip


def test_hypotheses_reply_groups_by_block_with_counts_and_suggestions() -> None:
    reply = hypothesis_views.hypotheses_reply(build_board(), "en")
    assert lines(reply) == [
        "Hypotheses",
        "",
        "Customer segments",
        f"H1 {MARKUP} [validated, +1 −1]",
        "",
        "Value propositions",
        "H2 Old statement [pivoted, +0 −0]",
        "H3 New statement [testing, +0 −0]",
        "",
        "No block yet",
        "H4 Unplaced idea [untested, +1 −0] → suggested: testing",
    ]
    assert Span(MARKUP) in reply.spans  # user text is a span of its own, never markup
    empty = hypothesis_views.hypotheses_reply(replace(build_board(), hypotheses=[]), "en")
    assert empty.plain_text == "Hypotheses\nNone yet. Add one: /hypothesis add vp <statement> | <success criterion>"


def test_hypothesis_reply_shows_evidence_quotes_and_history() -> None:
    h1 = hypothesis_views.hypothesis_reply(build_board().hypotheses[0], "en")
    assert lines(h1) == [
        f"H1 {MARKUP}",
        "Customer segments · validated",
        "Success criterion: 8 of 10 confirm",
        "",
        "Evidence: 1 supporting, 1 refuting",
        f"● 2026-03-02 Maria supports (strong): {QUOTE}",
        "◐ 2026-03-03 ? refutes (medium)",
        "",
        "History",
        "2026-03-01 ann: untested",
        "2026-03-05 bob: validated — five agencies <i>confirmed</i>",
    ]
    assert Span(MARKUP, "bold") in h1.spans
    assert Span(QUOTE, "quote") in h1.spans
    assert Span("five agencies <i>confirmed</i>", "italic") in h1.spans


def test_hypothesis_reply_for_pivots_and_suggestions() -> None:
    h2, h3, h4 = build_board().hypotheses[1:]
    assert "Pivoted to H3." in lines(hypothesis_views.hypothesis_reply(h2, "en"))
    assert lines(hypothesis_views.hypothesis_reply(h2, "en"))[-1] == "2026-03-06 bob: pivoted — wrong buyer → H3"
    h3_lines = lines(hypothesis_views.hypothesis_reply(h3, "en"))
    assert h3_lines[2:4] == ["Success criterion: (not set)", "Pivoted from H2."]
    h4_lines = lines(hypothesis_views.hypothesis_reply(h4, "en"))
    assert h4_lines[1] == "No block yet · untested"
    assert "The evidence suggests: testing. Set it with /hypothesis status H4 testing <reason>" in h4_lines


def test_hypothesis_reply_in_russian_translates_the_strength() -> None:
    ru = gettext_for("ru")
    text = lines(hypothesis_views.hypothesis_reply(build_board().hypotheses[0], "ru"))
    assert f"● 2026-03-02 Maria {ru('supports')} ({ru('strong')}): {QUOTE}" in text


def test_phase_reply() -> None:
    board = build_board()
    assert lines(views.phase_reply(board, "en"))[:3] == ["Customer Validation", "Will they pay?", ""]
    assert lines(views.phase_reply(board, "en"))[-1] == (
        "Not there yet. /phase next moves on only when the gate passes, or with a reason: "
        "/phase next <why we move anyway>."
    )
    gate = Gate("validation", (ItemResult("price_range", "Twenty <b>prices</b>", "20/20", True),))
    assert lines(views.phase_reply(replace(board, gate=gate), "en"))[3:] == [
        "✅ Twenty <b>prices</b> — 20/20", "", "The gate passes. Move on with /phase next.",
    ]  # fmt: skip


def test_interviews_reply_lists_the_latest_first() -> None:
    board = build_board()
    assert lines(views.interviews_reply(board, 3, "en")) == [
        "Latest interviews",
        "2026-03-11 — (bob, discovery, in progress)",
        "2026-03-10 Freelancers (ann, discovery, completed)",
        "2026-03-03 agencies (bob, validation, completed)",
    ]
    assert (
        lines(views.interviews_reply(board, 10, "en"))[-1] == "2026-03-01 Maria · Agencies (ann, discovery, completed)"
    )
    empty = views.interviews_reply(replace(board, interviews=[]), 5, "en")
    assert empty.plain_text == "Latest interviews\nNo interviews yet. Start one with /interview."


def test_team_reply() -> None:
    assert lines(views.team_reply(build_board(), "en")) == [
        "Acme <b>Co</b>", "Phase: Customer Validation", "Weekly target: 2 interviews; goal: 10",
        "Target segment: (not set)", "Timezone: UTC · language: en", "",
        "Members", "• ann — owner, 2 interviews", "• bob — founder, 1 interview",
        "• carol — mentor (read-only), 0 interviews",
    ]  # fmt: skip


def test_funnel_reply_with_price_answers_so_far() -> None:
    assert lines(views.funnel_reply(build_board(), "en")) == [
        "Sales funnel",
        "contacted → interviewed → shown the offer → committed → paid",
        "agencies: 10 → 2 (20%) → 1 (50%) → 1 (100%) → 0 (0%)",  # committed only of those shown the offer
        "Freelancers: 0 → 1 → 0 (0%) → 0 → 0",  # one interviewed of none contacted: no percentage
        "Total: 10 → 3 (30%) → 1 (33%) → 1 (100%) → 0 (0%)",
        "No percentage where a step counts more people than the step before it: the earlier step is missing some "
        "of them (were they all logged?).",
        "Log what happens outside interviews: /funnel log contacted 40 [segment], /funnel log paid 1",
        "EUR: 1 of 20 price answers so far",
    ]


def test_price_lines_round_the_exact_points_for_people() -> None:
    third = Decimal("7.166666666666666666666666667")
    enough = PriceRange("USD", 24, 1, 20, third, Decimal(17), Decimal("10.5"), Decimal(1500))
    short = PriceRange(None, 3, 0, 20, None, None, None, None)
    assert views.price_lines([enough, short], "en") == [
        "USD: acceptable 7.17–17, optimal 10.50, indifference 1,500 (24 answers)",
        "?: 3 of 20 price answers so far",
    ]
    assert views.price_lines([enough], "ru") == [
        "USD: приемлемо 7,17–17, оптимально 10,50, точка безразличия 1 500 (24 ответа)"
    ]
    one = PriceRange("EUR", 1, 1, 1, Decimal(5), Decimal(9), Decimal(7), Decimal(8))
    assert views.price_lines([one], "en") == ["EUR: acceptable 5–9, optimal 7, indifference 8 (1 answer)"]


def test_sean_ellis_counts_read_right_for_one_answer_and_for_none() -> None:
    board = build_board()
    one = replace(board, sean_ellis=sean_ellis(["very"]))
    shown = lines(views.status_reply(one, "en"))
    assert "Sean Ellis: 100% very disappointed (1 answer); 1 money commitment." in shown
    none = replace(board, sean_ellis=sean_ellis([]))
    assert "Sean Ellis: no answers yet; 1 money commitment." in lines(views.status_reply(none, "en"))
    russian = views.status_reply(none, "ru").plain_text
    assert "— —" not in russian and "ответов: 0" not in russian and "Шон Эллис: ответов пока нет" in russian


def test_board_to_dict() -> None:
    board = build_board(prices=[PriceRange("EUR", 1, 0, 20, None, None, None, None)])
    data = json.loads(json.dumps(board_to_dict(board)))
    assert list(data) == [
        "team", "phase", "gate", "hypotheses", "top_pains", "top_jobs", "top_gains", "sean_ellis", "commitments",
        "pace", "price", "funnel", "interviews_per_founder", "interviews_per_week", "phase_changes",
    ]  # fmt: skip
    assert (data["team"], data["phase"], data["gate"]["passed"]) == ("acme", "validation", False)
    assert data["gate"]["items"][0] == {
        "id": "paying_customers", "label": "At least 10 paid orders or paid pilots",
        "progress": "0/10 · log each payment: /funnel log paid 1", "passed": False,
    }  # fmt: skip
    assert data["hypotheses"][0] == {
        "code": "H1", "block": "customer_segments", "statement": MARKUP, "criterion": "8 of 10 confirm",
        "status": "validated", "predecessor": None, "successor": None, "supports": {"strong": 1},
        "refutes": {"medium": 1}, "suggested_status": None,
    }  # fmt: skip
    assert [(h["code"], h["successor"], h["predecessor"], h["suggested_status"]) for h in data["hypotheses"][1:]] == [
        ("H2", "H3", None, None), ("H3", None, "H2", None), ("H4", None, None, "testing"),
    ]  # fmt: skip
    assert data["top_pains"] == [
        {"text": "late invoices", "interviewees": 2, "mentions": 2, "mean_severity": 4.5},
        {"text": "manual reporting", "interviewees": 2, "mentions": 2, "mean_severity": 2.5},
    ]
    assert data["top_jobs"] == [{"text": "get paid on time", "interviewees": 1, "mentions": 1, "mean_severity": None}]
    assert data["top_gains"][0]["text"] == "fewer emails"
    assert data["sean_ellis"] == {"n": 2, "very_disappointed_share": 0.5}
    assert data["commitments"] == {
        "by_kind": {"time": 1, "reputation": 0, "money": 1}, "money_commitments": 1,
        "money_total": [{"currency": "EUR", "amount": 500}],
    }  # fmt: skip
    assert data["pace"] == {
        "this_week": 1, "last_7_days": 1, "weekly_rate": 0.75, "weekly_target": 2, "total": 3,
        "goal_total": 10, "weeks_to_goal": None, "on_track": False,
    }  # fmt: skip
    assert data["price"] == [
        {"currency": "EUR", "n": 1, "dropped": 0, "needed": 20, "pmc": None, "pme": None, "opp": None, "ipp": None}
    ]
    assert data["funnel"][0] == {
        "segment": "agencies", "contacted": 10, "interviewed": 2, "shown": 1, "committed": 1, "paid": 0,
    }  # fmt: skip
    assert [row["segment"] for row in data["funnel"]] == ["agencies", "Freelancers", "(total)"]
    assert data["interviews_per_founder"] == {"ann": 2, "bob": 1}
    assert data["interviews_per_week"] == [
        {"year": 2026, "week": 10, "count": 2, "target": 2}, {"year": 2026, "week": 11, "count": 1, "target": 2},
    ]  # fmt: skip
    assert data["phase_changes"] == [
        {"at": "2026-03-07T10:00:00+00:00", "from": "discovery", "to": "validation", "by": "ann",
         "override_reason": REASON},
    ]  # fmt: skip


def test_board_to_dict_prices_once_there_are_enough_answers() -> None:
    enough = PriceRange("USD", 20, 2, 20, Decimal("7.5"), Decimal(20), Decimal(10), Decimal("12.25"))
    [price] = board_to_dict(build_board(prices=[enough]))["price"]
    assert price == {
        "currency": "USD", "n": 20, "dropped": 2, "needed": 20, "pmc": 7.5, "pme": 20, "opp": 10, "ipp": 12.25,
    }  # fmt: skip
    assert isinstance(price["pme"], int)


def test_weeks_to_the_goal_need_enough_interviews_and_say_more_than_a_year() -> None:
    board = build_board()
    slow = replace(board.pace, last_28_days=6, remaining=397, weeks_to_goal=265)
    assert "Weeks to the goal at the last four weeks' pace: more than a year." in lines(
        views.status_reply(replace(board, pace=slow), "en")
    )
    one = replace(board.pace, last_28_days=1, remaining=99, weeks_to_goal=None)
    shown = lines(views.status_reply(replace(board, pace=one), "en"))
    assert "Weeks to the goal: estimated once the last four weeks hold 5 interviews (1 so far)." in shown
    assert not any("396" in line for line in shown)


def test_a_gate_with_no_items_says_it_never_passes() -> None:
    board = replace(build_board(), gate=Gate("validation", ()))
    shown = lines(views.phase_reply(board, "en"))
    assert "This phase's gate has no items, so it never passes: add some with `cusdev gates set`." in shown
    assert "The gate passes. Move on with /phase next." not in shown


def test_a_long_hypothesis_board_is_paged_for_a_phone() -> None:
    statement = "Clinic owners with three or more chairs lose four hours a week re-booking cancelled patients by phone"
    many = [Hypothesis(f"H{n}", statement, block=list(BLOCKS)[n % 3] if n % 4 else None) for n in range(1, 46)]
    board = replace(build_board(), hypotheses=[HypothesisView(h, tally(()), None) for h in many])
    first = hypothesis_views.hypotheses_reply(board, "en")
    assert "Page 1 of 6" in first.plain_text and len(first.plain_text) < 1500
    assert [button.label for button in first.actions] == ["Next ›"]
    assert [decode(button.payload) for button in first.actions] == [(0, Page("hypotheses", 2))]
    seen = []
    for number in range(1, 7):
        page = hypothesis_views.hypotheses_reply(board, "en", number)
        assert len(page.plain_text) < 1500 and page.replaces_prompt
        seen += [line.split()[0] for line in lines(page) if line.startswith("H") and line[1].isdigit()]
    assert sorted(seen) == sorted(h.code for h in many)  # every hypothesis once, none twice
    last = hypothesis_views.hypotheses_reply(board, "ru", 99)
    assert "Страница 6 из 6" in last.plain_text and [b.label for b in last.actions] == ["‹ Назад"]
    assert hypothesis_views.hypotheses_reply(build_board(), "en").actions == ()  # a short board has no pages
