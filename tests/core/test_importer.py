"""cusdev import: the export's JSON read back without loss, price-survey CSVs, and bad entries reported by line."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest

from core.app.export_data import ExportData, HypothesisInfo, TeamInfo
from core.domain import (
    Commitment,
    EvidenceLink,
    Gain,
    InterviewRecord,
    InterviewSummary,
    Job,
    Pain,
    PriceAnswers,
)
from core.i18n import gettext_for
from core.transfer.export import to_json
from core.transfer.importer import ImportBatch, ImportProblem, parse_export_json, parse_price_csv

START = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


def money(amount: str, currency: str | None = "USD", period: str | None = None) -> dict[str, Any]:
    return {"amount": amount, "currency": currency, "period": period}


COMPLETED = InterviewSummary(
    id="5f0c2a1e-0000-4000-8000-000000000001",
    team="acme",
    founder="Анна 🚀",
    script="discovery",
    status="completed",
    started_at=START,
    completed_at=START + timedelta(minutes=42, seconds=7, microseconds=123456),
    answers={
        "alias": "Bob «Invoices» O'Neil",
        "jobs": [{"when": "a client pays late", "want": "chase politely", "so_that": "I can pay my team"}],
        "pains": [{"text": "Chasing invoices 😡", "severity": 5, "frequency": "weekly"}],
        "too_cheap": money("9.99"),
        "bargain": money("20", period="month"),
        "commit_amount": money("1500", "RUB"),
        "wants_updates": True,
        "nested": {"list": [1, 2.5, None, "текст\nс переводом"], "empty": {}},
    },
    record=InterviewRecord(
        alias="Bob «Invoices» O'Neil",
        segment="Design agencies",
        role="COO",
        met_via="Friend of a friend",
        interview_date=date(2026, 11, 19),
        jobs=(
            Job(
                "When a client pays late, I want to chase politely, so that I can pay my team",
                "a client pays late",
                "chase politely",
                "I can pay my team",
            ),
            Job("Close the books"),
        ),
        pains=(Pain("Chasing invoices 😡", 5, "weekly"), Pain('Month-end "panic"\nevery time', None, None)),
        gains=(Gain("Sleep at night"), Gain("Get paid on time ✅")),
        price=PriceAnswers(
            spends_now=Decimal("120.5"),
            too_cheap=Decimal("9.99"),
            bargain=Decimal("20"),
            getting_expensive=Decimal("49.99"),
            too_expensive=Decimal("100000"),
            currency="USD",
        ),
        commitments=(
            Commitment("money", "Pre-order", Decimal("1500"), "RUB"),
            Commitment("time", "A second call on Friday"),
            Commitment("reputation"),
        ),
        evidence=(
            EvidenceLink("supports", "strong", hypothesis="H1"),
            EvidenceLink("refutes", "weak", hypothesis="H12"),
        ),
        quote="I'd pay \\ anything — «literally» 💸",
        sean_ellis="very disappointed",
    ),
)
IN_PROGRESS = InterviewSummary(
    id="in-progress-1",
    team="acme",
    founder="ben",
    script="validation",
    status="in_progress",
    started_at=datetime(2026, 11, 21, 8, 0, tzinfo=timezone(timedelta(hours=3))),
    completed_at=None,
    answers={"alias": "Ира", "too_cheap": money("5")},
    record=InterviewRecord(alias="Ира", price=PriceAnswers(too_cheap=Decimal("5"), currency="USD")),
)
CANCELLED = InterviewSummary(
    id="cancelled-1",
    team="beta",
    founder="cy",
    script="quick",
    status="cancelled",
    started_at=datetime(2026, 11, 21, 10, 0, tzinfo=UTC),
    completed_at=None,
    answers={},
    record=InterviewRecord(),
)
TEAMS = [TeamInfo(7, "acme", "Acme Inc", ("Анна 🚀", "ben")), TeamInfo(9, "beta", "Beta", ())]
HYPOTHESES = [
    HypothesisInfo("acme", "H1", "Agencies lose hours chasing invoices", "testing", "value_propositions", "3 of 5"),
    HypothesisInfo("acme", "H12", "They pay $20/mo", "invalidated", None, None),
    HypothesisInfo("beta", "H1", "Схема «А» работает", "pivoted", "channels", None),
]
EXPORT = ExportData(teams=TEAMS, interviews=[COMPLETED, IN_PROGRESS, CANCELLED], hypotheses=HYPOTHESES)


def interview_json(id: str, **changes: Any) -> dict[str, Any]:
    """A minimal valid interview in the export's shape."""
    document = {
        "id": id,
        "team": "acme",
        "founder": "ann",
        "script": "quick",
        "status": "completed",
        "started_at": "2026-11-20T09:30:00+00:00",
    }
    return {**document, **changes}


def document(*interviews: dict[str, Any], **sections: Any) -> str:
    return json.dumps({"interviews": list(interviews), **sections}, ensure_ascii=False, indent=2)


def lines_of(text: str, needle: str) -> list[int]:
    return [number for number, line in enumerate(text.splitlines(), 1) if needle in line]


# --- JSON: the round trip --------------------------------------------------------------------------------
def test_export_then_import_gives_back_every_interview_field_by_field() -> None:
    batch = parse_export_json(to_json(EXPORT), "export.json")
    assert batch.problems == []
    assert len(batch.interviews) == 3
    for imported, original in zip(batch.interviews, EXPORT.interviews, strict=True):
        assert imported.id == original.id
        assert (imported.team, imported.founder, imported.script) == (original.team, original.founder, original.script)
        assert imported.status == original.status
        assert imported.started_at == original.started_at
        assert imported.started_at.utcoffset() == original.started_at.utcoffset()
        assert imported.completed_at == original.completed_at
        assert imported.answers == original.answers
        assert imported.record == original.record
        assert imported == original


def test_round_trip_money_is_exact_decimal() -> None:
    record = parse_export_json(to_json(EXPORT), "export.json").interviews[0].record
    assert [str(value) for value in vars(record.price).values()] == ["120.5", "9.99", "20", "49.99", "100000", "USD"]
    assert [str(c.amount) for c in record.commitments] == ["1500", "None", "None"]
    assert isinstance(record.price.too_cheap, Decimal)


def test_round_trip_keeps_teams_and_hypotheses() -> None:
    batch = parse_export_json(to_json(EXPORT), "export.json")
    assert batch.teams == [TeamInfo(0, "acme", "Acme Inc", ("Анна 🚀", "ben")), TeamInfo(0, "beta", "Beta", ())]
    assert batch.hypotheses == HYPOTHESES


def test_an_empty_export_imports_nothing_without_problems() -> None:
    assert parse_export_json(to_json(ExportData()), "empty.json") == ImportBatch([], [], [], [])


def test_export_of_a_second_import_is_identical() -> None:
    first = to_json(EXPORT)
    batch = parse_export_json(first, "export.json")
    teams = [replace(team, id=original.id) for team, original in zip(batch.teams, TEAMS, strict=True)]
    assert to_json(ExportData(teams, batch.interviews, batch.hypotheses)) == first


# --- JSON: whole-file problems ---------------------------------------------------------------------------
def test_a_syntax_error_is_one_problem_at_its_line() -> None:
    text = '{\n  "interviews": [\n    {"id": "a",}\n  ]\n}\n'
    batch = parse_export_json(text, "broken.json")
    assert batch == ImportBatch(
        problems=[
            ImportProblem(
                "broken.json", 3, "", "not valid JSON: Expecting property name enclosed in double quotes (column 16)"
            )
        ]
    )
    assert str(batch.problems[0]) == (
        "broken.json:3: not valid JSON: Expecting property name enclosed in double quotes (column 16)"
    )


@pytest.mark.parametrize(
    "text",
    [
        "[]",
        '"interviews"',
        "{}",
        '{"interviews": {}}',
        '{"interviews": [], "teams": 3}',
        '{"interviews": [], "hypotheses": {"H1": "x"}}',
        '{"interviews": [], "teams": {}}',
    ],
)
def test_anything_but_an_object_with_an_interviews_list_is_one_problem_at_line_1(text: str) -> None:
    message = 'expected an object with an "interviews" list (and optionally "teams" and "hypotheses" lists)'
    assert parse_export_json(text, "x.json") == ImportBatch(problems=[ImportProblem("x.json", 1, "", message)])


def test_nan_is_not_json() -> None:
    batch = parse_export_json('{"interviews": [\n{"price": {"bargain": NaN}}]}', "x.json")
    assert batch == ImportBatch(problems=[ImportProblem("x.json", 1, "", "not valid JSON: NaN is not a JSON value")])


def test_a_byte_order_mark_is_ignored() -> None:
    batch = parse_export_json("\ufeff" + document(interview_json("a")), "bom.json")
    assert ([i.id for i in batch.interviews], batch.problems) == (["a"], [])


# --- JSON: bad interviews --------------------------------------------------------------------------------
def test_one_bad_interview_is_skipped_with_its_line_and_the_others_kept() -> None:
    bad = interview_json(
        "bad-interview-0001",
        founder=None,
        status="done",
        started_at="yesterday",
        completed_at="2026-13-01T00:00:00",
        interview_date="2026-11-31",
        interviewee={"alias": 7, "segment": None},
        jobs=[{"text": "ok"}, "oops"],
        pains=[{"text": "Late", "severity": 6}, {"text": " ", "severity": True}],
        gains=[{}],
        price={"bargain": "20", "too_cheap": -1, "currency": None},
        commitments=[{"kind": "love", "amount": "lots"}],
        evidence=[{"hypothesis": "3", "stance": "maybe", "strength": "medium"}, {"stance": "supports"}],
        answers=[],
        quote=["not", "text"],
    )
    text = document(interview_json("good-1"), bad, interview_json("good-2"))
    batch = parse_export_json(text, "mixed.json")
    assert [i.id for i in batch.interviews] == ["good-1", "good-2"]
    (line,) = [n for n in lines_of(text, '"id": "bad-interview-0001"')]
    assert text.splitlines()[line - 2].strip() == "{"
    assert batch.problems == [
        ImportProblem(
            "mixed.json",
            line - 1,
            "interviews[1] (id bad-inte…)",
            "; ".join(
                [
                    "founder: missing",
                    "status: not one of: in_progress, paused, completed, cancelled",
                    "started_at: not an ISO date and time",
                    "completed_at: not an ISO date and time",
                    "answers: not an object",
                    "interviewee.alias: not a string",
                    "interview_date: not an ISO date",
                    "jobs[1]: not an object",
                    "pains[0].severity: not a whole number from 1 to 5",
                    "pains[1].text: empty",
                    "pains[1].severity: not a whole number from 1 to 5",
                    "gains[0].text: missing",
                    "price.too_cheap: negative",
                    "price.bargain: not a number",
                    "commitments[0].kind: not one of: time, reputation, money",
                    "commitments[0].amount: not a number",
                    "evidence[0].stance: not one of: supports, refutes",
                    "evidence[0].hypothesis: not a hypothesis code like H3",
                    "evidence[1].strength: missing",
                    "evidence[1].hypothesis: missing",
                    "quote: not a string",
                ]
            ),
        )
    ]


def test_lines_are_found_in_compact_and_tricky_json() -> None:
    decoy = {"id": "b", "note": '{"id": "b"} [ ] \\" {', "answers": {"interviews": [{"id": "b"}]}}
    text = (
        '{"teams": [], "hypotheses": [],\n'
        ' "x": {"interviews": [1, 2]}, "interviews": [' + json.dumps(interview_json("a", answers=decoy)) + ",\n"
        "\n"
        "   " + json.dumps(interview_json("b", status="bad")) + ", " + json.dumps(interview_json("c", team=1)) + "\n"
        "]}"
    )
    batch = parse_export_json(text, "t.json")
    assert [i.id for i in batch.interviews] == ["a"]
    assert [(p.line, p.where, p.message) for p in batch.problems] == [
        (4, "interviews[1] (id b)", "status: not one of: in_progress, paused, completed, cancelled"),
        (4, "interviews[2] (id c)", "team: not a string"),
    ]


def test_an_entry_that_is_not_an_object_is_reported() -> None:
    text = '{"interviews": [\n  "a",\n  null\n]}'
    batch = parse_export_json(text, "x.json")
    assert [str(p) for p in batch.problems] == [
        "x.json:2: interviews[0]: not an object",
        "x.json:3: interviews[1]: not an object",
    ]


def test_a_duplicate_id_skips_the_second_interview() -> None:
    text = document(interview_json("same", founder="first"), interview_json("other"), interview_json("same"))
    batch = parse_export_json(text, "dup.json")
    assert [(i.id, i.founder) for i in batch.interviews] == [("same", "first"), ("other", "ann")]
    assert batch.problems == [
        ImportProblem(
            "dup.json",
            lines_of(text, '"id": "same"')[1] - 1,
            "interviews[2] (id same)",
            "appears earlier in the file; only the first one is imported",
        )
    ]


def test_values_the_database_cannot_hold_are_problems_and_currencies_are_normalized() -> None:
    fine = interview_json(
        "fine",
        price={"bargain": 10**12, "currency": "usd"},
        commitments=[{"kind": "money", "amount": 5, "currency": "₽"}],
    )
    bad = interview_json(
        "x" * 41,
        script="s" * 41,
        sean_ellis="s" * 21,
        answers={"q" * 41: 1, "short": 2},
        pains=[{"text": "Late", "frequency": "f" * 21}],
        price={"bargain": 10**12 + 1, "too_cheap": 0.125, "currency": "doubloons"},
    )
    text = document(fine, bad).replace("0.125", "1e400")  # a float too big for a float: json.loads gives inf
    assert "1e400" in text
    batch = parse_export_json(text, "x.json")
    (imported,) = batch.interviews
    assert imported.record.price == PriceAnswers(bargain=Decimal(10**12), currency="USD")
    assert imported.record.commitments == (Commitment("money", None, Decimal(5), "RUB"),)
    assert [(p.where, p.message) for p in batch.problems] == [
        (
            "interviews[1] (id xxxxxxxx…)",
            "id: longer than 40 characters; script: longer than 40 characters; "
            "pains[0].frequency: longer than 20 characters; price.currency: not a currency: 'doubloons'; "
            "price.too_cheap: too large; price.bargain: too large; sean_ellis: longer than 20 characters; "
            f"answers.{'q' * 40}…: longer than 40 characters",
        )
    ]


def test_times_without_a_timezone_are_utc_and_evidence_extras_are_read() -> None:
    evidence = [
        {"hypothesis": "h4", "stance": "refutes", "strength": "medium", "quote": "Nope"},
        {"hypothesis": None, "new_statement": "Teams want Slack", "stance": "supports", "strength": "weak"},
    ]
    raw = interview_json("a", started_at="2026-11-20T09:30:00", completed_at="2026-11-20T10:00Z", evidence=evidence)
    (imported,) = parse_export_json(document(raw), "x.json").interviews
    assert imported.started_at == datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
    assert imported.started_at.tzinfo is UTC
    assert imported.completed_at == datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
    assert imported.answers == {}
    assert imported.record == InterviewRecord(
        evidence=(
            EvidenceLink("refutes", "medium", hypothesis="H4", quote="Nope"),
            EvidenceLink("supports", "weak", new_statement="Teams want Slack"),
        )
    )


def test_the_team_option_overrides_every_team() -> None:
    batch = parse_export_json(to_json(EXPORT), "export.json", team="gamma")
    assert [(i.id, i.team) for i in batch.interviews] == [
        (COMPLETED.id, "gamma"),
        ("in-progress-1", "gamma"),
        ("cancelled-1", "gamma"),
    ]
    assert batch.hypotheses == [
        replace(HYPOTHESES[0], team="gamma"),
        replace(HYPOTHESES[1], team="gamma"),
    ]
    assert batch.teams == [TeamInfo(0, "gamma", "gamma", ("Анна 🚀", "ben"))]
    assert [(p.line, p.where, p.message) for p in batch.problems] == [
        (
            lines_of(to_json(EXPORT), '"statement": "Схема «А» работает"')[0] - 3,
            "hypotheses[2] (H1)",
            "appears earlier in the file; only the first one is imported",
        )
    ]


def test_the_team_option_fills_a_missing_team_and_keeps_a_matching_name() -> None:
    raw = interview_json("a")
    del raw["team"]
    text = document(raw, teams=[{"slug": "acme", "name": "Acme Inc", "members": ["ann"]}])
    batch = parse_export_json(text, "x.json", team="acme")
    assert ([i.team for i in batch.interviews], batch.teams) == (["acme"], [TeamInfo(0, "acme", "Acme Inc", ("ann",))])
    assert parse_export_json(document(raw), "x.json").problems[0].message == "team: missing"


def test_hypotheses_and_teams_are_validated() -> None:
    hypotheses = [
        {"team": "acme", "code": "h7", "statement": "  Fine  ", "status": "untested", "block": "VP", "criterion": "x"},
        {"team": "acme", "code": "Hx", "statement": " ", "status": "done", "block": "wishes", "criterion": 3},
        {"team": "acme", "code": "H7", "statement": "Again", "status": "testing"},
    ]
    teams = [{"slug": "acme", "members": ["ann", ""]}, {"slug": "", "name": "Nameless"}, {"slug": "ok"}]
    text = document(hypotheses=hypotheses, teams=teams)
    batch = parse_export_json(text, "h.json")
    assert batch.hypotheses == [HypothesisInfo("acme", "H7", "  Fine  ", "untested", "value_propositions", "x")]
    assert batch.teams == [TeamInfo(0, "ok", "ok", ())]
    hx, h7, members, nameless = (
        lines_of(text, needle)[0] for needle in ('"code": "Hx"', '"code": "H7"', '"members": [', '"slug": ""')
    )
    assert [str(p) for p in batch.problems] == [
        f"h.json:{hx - 2}: hypotheses[1] (Hx): code: not a hypothesis code like H3; statement: empty; "
        "status: not one of: untested, testing, validated, invalidated, pivoted; "
        "block: not a Business Model Canvas block; criterion: not a string",
        f"h.json:{h7 - 2}: hypotheses[2] (H7): appears earlier in the file; only the first one is imported",
        f"h.json:{members - 2}: teams[0] (acme): members: not a list of names",
        f"h.json:{nameless - 1}: teams[1]: slug: empty",
    ]


# --- CSV price surveys -----------------------------------------------------------------------------------
def survey(text: str, **options: Any) -> ImportBatch:
    return parse_price_csv(text, options.pop("source", "survey.csv"), "acme", "ann", NOW, **options)


def prices(batch: ImportBatch) -> list[tuple[str | None, ...]]:
    return [
        (
            i.record.alias,
            *(str(getattr(i.record.price, k)) for k in ("too_cheap", "bargain", "getting_expensive", "too_expensive")),
            i.record.price.currency,
        )
        for i in batch.interviews
    ]


def test_a_csv_row_becomes_a_completed_price_survey_interview() -> None:
    batch = survey("too_cheap,bargain,getting_expensive,too_expensive,currency\n10,20,30,40,usd\n")
    (row,) = batch.interviews
    assert row == InterviewSummary(
        id=row.id,
        team="acme",
        founder="ann",
        script="price_survey",
        status="completed",
        started_at=NOW,
        completed_at=NOW,
        answers={
            "too_cheap": money("10"),
            "bargain": money("20"),
            "getting_expensive": money("30"),
            "too_expensive": money("40"),
        },
        record=InterviewRecord(
            alias="survey row 2",
            price=PriceAnswers(
                too_cheap=Decimal(10),
                bargain=Decimal(20),
                getting_expensive=Decimal(30),
                too_expensive=Decimal(40),
                currency="USD",
            ),
        ),
    )
    assert row.id.startswith("csv-") and len(row.id) == 20
    assert (batch.teams, batch.hypotheses, batch.problems) == ([], [], [])


def test_csv_without_a_header_reads_columns_in_order() -> None:
    batch = survey("5,10,15,20\n6,12,18,24,EUR\n", default_currency="RUB")
    assert prices(batch) == [
        ("survey row 1", "5", "10", "15", "20", "RUB"),
        ("survey row 2", "6", "12", "18", "24", "EUR"),
    ]
    assert batch.problems == []


def test_csv_header_names_match_loosely_in_any_order_and_extra_columns_are_ignored() -> None:
    text = "Timestamp,Too Expensive,Too-Cheap,BARGAIN,Getting expensive,Currency\n2026-11-01,40,10,20,30,€\n"
    assert prices(survey(text)) == [("survey row 2", "10", "20", "30", "40", "EUR")]


def test_csv_prices_typed_like_people_type_them() -> None:
    text = '$9.99,$19.99,"$29,99",$1k\n"1 500 ₽",2000 руб,3 000,"5 000 ₽"\n0.5,"9,99",free,20\n'
    batch = survey(text)
    assert prices(batch) == [
        ("survey row 1", "9.99", "19.99", "29.99", "1000", "USD"),
        ("survey row 2", "1500", "2000", "3000", "5000", "RUB"),
        ("survey row 3", "0.5", "9.99", "0", "20", None),
    ]
    assert batch.interviews[1].answers["getting_expensive"] == money("3000", "RUB")
    assert batch.problems == []


def test_the_currency_in_a_value_wins_over_the_column_which_wins_over_the_default() -> None:
    text = "too_cheap,bargain,getting_expensive,too_expensive,currency\n€1,2,3,4,USD\n1,2,3,4,GBP\n1,2,3,4,\n"
    assert [i.record.price.currency for i in survey(text, default_currency="RUB").interviews] == ["EUR", "GBP", "RUB"]


def test_a_price_with_a_period_keeps_it_in_the_answer() -> None:
    (row,) = survey("$5/mo,$10/mo,$15/mo,$20/mo\n").interviews
    assert row.answers["bargain"] == money("10", period="month")


def test_semicolon_and_tab_separated_spreadsheets() -> None:
    semicolon = "too_cheap;bargain;getting_expensive;too_expensive\n9,99;19,99;29,99;39,99\n"
    tab = "10\t20\t30\t40\tUSD\n"
    assert prices(survey(semicolon)) == [("survey row 2", "9.99", "19.99", "29.99", "39.99", None)]
    assert prices(survey(tab)) == [("survey row 1", "10", "20", "30", "40", "USD")]


def test_bad_rows_are_reported_by_line_and_skipped() -> None:
    text = (
        "too_cheap,bargain,getting_expensive,too_expensive,currency\n"
        "10,20,30,40,USD\n"
        "\n"
        "10,cheap,30,-40,USD\n"
        "10,20,30\n"
        "€10,$20,30,40,\n"
        ',,30,"40\n50",XX1\n'
        "11,21,31,41,usd\n"
    )
    batch = survey(text)
    assert prices(batch) == [
        ("survey row 2", "10", "20", "30", "40", "USD"),
        ("survey row 9", "11", "21", "31", "41", "USD"),
    ]
    assert [str(p) for p in batch.problems] == [
        "survey.csv:4: row 4: bargain: not a price: 'cheap'; too_expensive: negative",
        "survey.csv:5: row 5: expected 5 columns, got 3",
        "survey.csv:6: row 6: mixed currencies: EUR, USD",
        "survey.csv:7: row 7: currency: not a currency: 'XX1'; too_cheap: missing; bargain: missing; "
        "too_expensive: not a price: '40\\n50'",
    ]


def test_without_a_header_a_row_needs_four_or_five_columns() -> None:
    batch = survey("1,2,3,4,USD,extra\n1,2,3\n")
    assert batch.interviews == []
    assert [(p.line, p.where, p.message) for p in batch.problems] == [
        (1, "row 1", "expected 4 or 5 columns, got 6"),
        (2, "row 2", "expected 4 or 5 columns, got 3"),
    ]


def test_a_header_without_a_price_column_imports_nothing() -> None:
    batch = survey("too_cheap,bargain,currency\n1,2,USD\n")
    message = "the header has no column getting_expensive, too_expensive"
    assert batch == ImportBatch(problems=[ImportProblem("survey.csv", 1, "", message)])


def test_rows_that_are_not_increasing_are_kept_for_the_analysis_to_count() -> None:
    assert prices(survey("40,30,20,10\n10,10,10,10\n")) == [
        ("survey row 1", "40", "30", "20", "10", None),
        ("survey row 2", "10", "10", "10", "10", None),
    ]


def test_reimporting_the_same_file_gives_the_same_ids() -> None:
    text = "10,20,30,40\n10,20,30,40\n11,20,30,40\n"
    first = [i.id for i in survey(text).interviews]
    assert len(set(first)) == 3
    assert [i.id for i in survey(text).interviews] == first
    assert [i.id for i in survey(text, source="/elsewhere/survey.csv").interviews] == first
    assert [i.id for i in survey("\n" + text).interviews] != first
    other_team = parse_price_csv(text, "survey.csv", "beta", "ann", NOW)
    assert set(first).isdisjoint(i.id for i in other_team.interviews)


def test_an_empty_csv_imports_nothing() -> None:
    assert survey("") == ImportBatch() == survey("\n \n")


def test_problems_are_written_in_the_requested_language() -> None:
    ru = gettext_for("ru")
    batch = parse_export_json(document(interview_json("a", started_at="soon")), "x.json", lang="ru")
    assert ru("not an ISO date and time") != "not an ISO date and time"
    assert batch.problems == [
        ImportProblem("x.json", 3, "interviews[0] (id a)", "started_at: " + ru("not an ISO date and time"))
    ]
    rows = survey("1,2,3\n", lang="ru")
    expected = ru("expected 4 or 5 columns, got {count}").format(count=3)
    assert rows.problems == [ImportProblem("survey.csv", 1, ru("row {line}").format(line=1), expected)]


def test_an_unknown_currency_code_is_refused_not_stored() -> None:
    batch = survey("too_cheap,bargain,getting_expensive,too_expensive,currency\n1,2,3,4,XYZ\n1,2,3,4,chf\n")
    assert prices(batch) == [("survey row 3", "1", "2", "3", "4", "CHF")]
    assert [str(p) for p in batch.problems] == ["survey.csv:2: row 2: currency: not a currency: 'XYZ'"]
    refused = survey("1,2,3,4\n", default_currency="ABC")
    assert refused.interviews == []
    assert [p.message for p in refused.problems] == [
        "unknown currency 'ABC': use an ISO 4217 code such as EUR, USD or RUB"
    ]
    assert prices(survey("1,2,3,4\n", default_currency="uah")) == [("survey row 1", "1", "2", "3", "4", "UAH")]


def test_an_imported_interview_keeps_one_stance_per_hypothesis() -> None:
    evidence = [
        {"hypothesis": "H4", "stance": "supports", "strength": "weak"},
        {"hypothesis": "h4", "stance": "refutes", "strength": "strong"},
    ]
    (imported,) = parse_export_json(document(interview_json("a", evidence=evidence)), "x.json").interviews
    assert imported.record.evidence == (EvidenceLink("refutes", "strong", hypothesis="H4"),)
