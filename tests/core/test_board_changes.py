"""Typed board changes: building them from raw values (errors by field) and parsing slash text into them."""

from __future__ import annotations

import pytest

from core.board.changes import (
    AddHypothesis,
    AdvancePhase,
    Change,
    LogFunnel,
    MergeItems,
    Pivot,
    Rejected,
    SetHypothesisStatus,
    TickGateItem,
    hypothesis_code,
)
from core.board.fields import FORM, FieldError
from core.board.slash import parse_change
from core.board.team_changes import ChangeTeamSetting, SetRole, UseTeam

LONG = "x" * 5000


def fields(built: object) -> list[str]:
    assert isinstance(built, list), built
    return [error.field for error in built]


# ---------------------------------------------------------------- building from raw values


def test_add_hypothesis_keys_errors_by_statement_and_block() -> None:
    assert AddHypothesis.build(statement="  Clinics lose hours ", block="vp", criterion=" 8 of 10 ") == AddHypothesis(
        "Clinics lose hours", "value_propositions", "8 of 10"
    )
    assert AddHypothesis.build(statement="Clinics lose hours", block="", criterion="  ") == AddHypothesis(
        "Clinics lose hours"
    )
    assert fields(AddHypothesis.build(statement="abc")) == ["statement"]
    assert fields(AddHypothesis.build(statement="Clinics lose hours", block="nonsense")) == ["block"]
    assert fields(AddHypothesis.build(statement=" ", block="nonsense")) == ["statement", "block"]
    assert AddHypothesis.build(statement=LONG) == AddHypothesis(LONG)


def test_set_status_keys_errors_by_code_status_and_reason() -> None:
    assert SetHypothesisStatus.build(code="h2", status="Validated", reason=" 9 of 10 ") == SetHypothesisStatus(
        "H2", "validated", "9 of 10"
    )
    assert fields(SetHypothesisStatus.build(code="X2", status="testing", reason="why")) == ["code"]
    assert fields(SetHypothesisStatus.build(code="H2", status="done", reason="why")) == ["status"]
    assert fields(SetHypothesisStatus.build(code="H2", status="pivoted", reason="why")) == ["status"]
    assert fields(SetHypothesisStatus.build(code="H2", status="testing", reason="  ")) == ["reason"]
    assert fields(SetHypothesisStatus.build(code="", status="", reason="")) == ["code", "status", "reason"]


def test_pivot_keys_errors_by_code_statement_and_reason() -> None:
    assert Pivot.build(code="H1", statement="New idea here", reason="why") == Pivot("H1", "New idea here", "why")
    assert fields(Pivot.build(code="1", statement="New", reason="")) == ["code", "statement", "reason"]


def test_phase_changes_need_nothing_the_board_does_not_know() -> None:
    assert AdvancePhase.build() == AdvancePhase.build(reason="  ") == AdvancePhase(None)
    assert AdvancePhase.build(reason=" demo day ") == AdvancePhase("demo day")
    assert TickGateItem.build(item=" scalable_channels ", done=False) == TickGateItem("scalable_channels", False)


def test_log_funnel_keys_errors_by_step_and_count() -> None:
    assert LogFunnel.build(step="Paid", count="３", segment=" clinics ") == LogFunnel("paid", 3, "clinics")
    assert LogFunnel.build(step="contacted", count="0", segment="") == LogFunnel("contacted", 0, None)
    assert fields(LogFunnel.build(step="called", count="3")) == ["step"]
    for count in ("³", "-1", "2.5", "1234567890", "", LONG):
        assert fields(LogFunnel.build(step="paid", count=count)) == ["count"], count
    assert fields(LogFunnel.build(step="", count="")) == ["step", "count"]


def test_merge_keys_errors_by_source_and_target() -> None:
    merge = MergeItems.build(source=' "Slow reports" ', target="manual reporting.")
    assert merge == MergeItems("Slow reports", "manual reporting.")
    assert isinstance(merge, MergeItems) and (merge.source_key, merge.target_key) == (
        "slow reports",
        "manual reporting",
    )
    assert fields(MergeItems.build(source=" ", target="x")) == ["source"]
    assert fields(MergeItems.build(source="x", target="''")) == ["target"]
    assert fields(MergeItems.build(source="Slow  Reports", target="slow reports!")) == ["target"]


def test_team_setting_errors_are_keyed_by_the_setting() -> None:
    assert ChangeTeamSetting.build(setting="TZ", value=" Europe/Lisbon ") == ChangeTeamSetting(
        "timezone", "Europe/Lisbon"
    )
    assert ChangeTeamSetting.build(setting="target", value="１２") == ChangeTeamSetting("target", 12)
    assert ChangeTeamSetting.build(setting="name", value="Клиники 🦷") == ChangeTeamSetting("name", "Клиники 🦷")
    assert fields(ChangeTeamSetting.build(setting="colour", value="red")) == ["setting"]
    for number in ("0", "10001", "²", "many", ""):
        assert fields(ChangeTeamSetting.build(setting="goal", value=number)) == ["goal"], number
    assert fields(ChangeTeamSetting.build(setting="timezone", value="Mars/Base")) == ["timezone"]
    assert fields(ChangeTeamSetting.build(setting="lang", value="fr")) == ["language"]
    assert fields(ChangeTeamSetting.build(setting="segment", value=" ")) == ["segment"]
    assert fields(ChangeTeamSetting.build(setting="name", value=LONG)) == ["name"]


def test_role_and_team_errors_are_keyed_by_their_fields() -> None:
    assert SetRole.build(member=" Mia ", role="Mentor") == SetRole("Mia", "mentor")
    assert fields(SetRole.build(member="", role="mentor")) == ["member"]
    assert fields(SetRole.build(member="Mia", role="boss")) == ["role"]
    assert UseTeam.build(slug=" acme ") == UseTeam("acme")
    assert fields(UseTeam.build(slug="  ")) == ["slug"]


@pytest.mark.parametrize(
    ("typed", "role"),
    [("ментор", "mentor"), ("Основатель", "founder"), ("сооснователь", "founder"), ("владелец", "owner")],
)
def test_set_role_takes_the_russian_role_names(typed: str, role: str) -> None:
    assert SetRole.build(member="Петя", role=typed, lang="ru") == SetRole("Петя", role)


def test_an_unknown_role_lists_the_names_to_type_in_the_callers_language() -> None:
    assert SetRole.build(member="Петя", role="босс", lang="ru") == [
        FieldError("role", "Выберите одно из: владелец, основатель, ментор.")
    ]
    assert SetRole.build(member="Mia", role="boss") == [FieldError("role", "Choose one of: owner, founder, mentor.")]


def test_field_errors_come_translated_for_the_callers_language() -> None:
    assert SetHypothesisStatus.build(code="H1", status="testing", reason="", lang="ru") == [
        FieldError("reason", "Укажите причину: она сохранится в истории гипотезы.")
    ]
    english = ChangeTeamSetting.build(setting="timezone", value="Mars/Base")
    russian = ChangeTeamSetting.build(setting="timezone", value="Mars/Base", lang="ru")
    assert isinstance(english, list) and isinstance(russian, list)
    assert english[0].message.startswith("Unknown timezone Mars/Base") and "Mars/Base" in russian[0].message
    assert russian[0].message != english[0].message


@pytest.mark.parametrize(
    ("typed", "code"),
    [("H2", "H2"), ("h2", "H2"), ("H02", "H2"), ("Ｈ２", "H2"), ("H２", "H2"), ("H99999", "H99999")],
)
def test_hypothesis_codes_are_read_leniently(typed: str, code: str) -> None:
    assert hypothesis_code(typed) == code


@pytest.mark.parametrize("typed", ["H", "2", "H²", "Н2", "H٢", "H123456", "H-2", "H2x", ""])
def test_what_is_not_a_hypothesis_code(typed: str) -> None:
    assert hypothesis_code(typed) is None  # "Н2" starts with a Cyrillic En


# ---------------------------------------------------------------- slash text


@pytest.mark.parametrize(
    ("name", "arg", "change"),
    [
        (
            "hypothesis",
            "add vp Clinics lose hours | 8 of 10",
            AddHypothesis("Clinics lose hours", "value_propositions", "8 of 10"),
        ),
        (
            "hypothesis",
            "add cs: Managers own scheduling",
            AddHypothesis("Managers own scheduling", "customer_segments"),
        ),
        ("hypothesis", "add Clinics lose hours", AddHypothesis("Clinics lose hours")),
        (
            "hypothesis",
            "add vp Клиники теряют часы 🦷 | 8 из 10",
            AddHypothesis("Клиники теряют часы 🦷", "value_propositions", "8 из 10"),
        ),
        ("hypothesis", f"add rs {LONG}", AddHypothesis(LONG, "revenue_streams")),
        (
            "hypothesis",
            "status H2 validated nine of ten said so",
            SetHypothesisStatus("H2", "validated", "nine of ten said so"),
        ),
        ("hypothesis", "status H２ Testing первые интервью", SetHypothesisStatus("H2", "testing", "первые интервью")),
        ("pivot", "h2 Clinics lose revenue | money matters", Pivot("H2", "Clinics lose revenue", "money matters")),
        ("phase", "next", AdvancePhase()),
        ("phase", "next  investor demo day ", AdvancePhase("investor demo day")),
        ("phase", "tick scalable_channels", TickGateItem("scalable_channels")),
        ("phase", "untick scalable_channels", TickGateItem("scalable_channels", done=False)),
        ("funnel", "log paid 3", LogFunnel("paid", 3)),
        ("funnel", "log contacted 40 dental clinics 🦷", LogFunnel("contacted", 40, "dental clinics 🦷")),
        ("merge", "slow reports => manual reporting", MergeItems("slow reports", "manual reporting")),
        ("merge", "“долгие отчёты” into ручные отчёты", MergeItems("“долгие отчёты”", "ручные отчёты")),
        ("team", "set target 12", ChangeTeamSetting("target", 12)),
        ("team", "set tz Europe/Lisbon", ChangeTeamSetting("timezone", "Europe/Lisbon")),
        ("team", "set segment Стоматологии 🦷", ChangeTeamSetting("segment", "Стоматологии 🦷")),
        ("team", "role Mary Ann mentor", SetRole("Mary Ann", "mentor")),
        ("team", "role Мария founder", SetRole("Мария", "founder")),
        ("team", "role Петя ментор", SetRole("Петя", "mentor")),
        ("team", "use acme", UseTeam("acme")),
    ],
)
def test_slash_text_parses_into_typed_changes(name: str, arg: str, change: Change) -> None:
    assert parse_change(name, arg, "en") == change


@pytest.mark.parametrize(
    ("name", "arg", "kind", "usage"),
    [
        ("hypothesis", "add vp abc", AddHypothesis, "Write the hypothesis after the block"),
        ("hypothesis", "add", AddHypothesis, "Write the hypothesis after the block"),
        ("hypothesis", "status H2 validated", SetHypothesisStatus, "Use /hypothesis status H2"),
        ("hypothesis", "status H2 done because", SetHypothesisStatus, "Use /hypothesis status H2"),
        ("hypothesis", "status Н2 validated because", SetHypothesisStatus, "Use /hypothesis status H2"),
        ("hypothesis", "status H2 pivoted because", SetHypothesisStatus, "<untested|testing|validated|invalidated>"),
        ("pivot", "H2 New idea here", Pivot, "Use /pivot H2"),
        ("pivot", "H2 abc | why", Pivot, "Use /pivot H2"),
        ("pivot", f"{LONG} new idea | why", Pivot, "Use /pivot H2"),
        ("phase", "forward", AdvancePhase, "Use /phase, /phase next"),
        ("funnel", "log called 3", LogFunnel, "Use /funnel log"),
        ("funnel", "log paid ³", LogFunnel, "Use /funnel log"),
        ("funnel", "log paid 99999999999999999999999", LogFunnel, "Use /funnel log"),
        ("funnel", f"log paid {'9' * 5000}", LogFunnel, "Use /funnel log"),
        ("funnel", "show", LogFunnel, "Use /funnel log"),
        ("merge", "slow reports", MergeItems, "Use /merge"),
        ("merge", "slow reports => Slow Reports.", MergeItems, "Use /merge"),
        ("merge", "=> 🦷", MergeItems, "Use /merge"),
        ("team", "set", ChangeTeamSetting, "Settable: goal, lang, language, name, segment, target, timezone, tz."),
        ("team", "set colour red", ChangeTeamSetting, "Settable:"),
        ("team", "set target", ChangeTeamSetting, "Settable:"),
        ("team", "set target ²", ChangeTeamSetting, "Please give a whole number, like 15."),
        ("team", "set timezone Mars/Base", ChangeTeamSetting, "Unknown timezone Mars/Base"),
        ("team", "set language fr", ChangeTeamSetting, "Languages: en, ru."),
        ("team", f"set name {LONG}", ChangeTeamSetting, "At most 200 characters"),
        ("team", "role Mia boss", SetRole, "Use /team role <member name>"),
        ("team", "role mentor", SetRole, "Use /team role <member name>"),
        ("team", "use", UseTeam, "Use /team, /team use <team>"),
        ("team", "leave", ChangeTeamSetting, "Use /team, /team use <team>"),
    ],
)
def test_bad_slash_text_is_rejected_with_the_usage_line(name: str, arg: str, kind: type, usage: str) -> None:
    rejected = parse_change(name, arg, "en")
    assert isinstance(rejected, Rejected) and rejected.kind is kind
    (error,) = rejected.errors
    assert error.field == FORM or kind is ChangeTeamSetting
    assert usage in error.message


@pytest.mark.parametrize(
    ("name", "arg"),
    [
        *[("status", ""), ("hypotheses", ""), ("hypothesis", "H2"), ("hypothesis", "show"), ("phase", "")],
        *[
            ("funnel", ""),
            ("team", ""),
            ("interviews", "5"),
            ("start", "join_abc"),
            ("invite", ""),
            ("digest_here", ""),
        ],
    ],
)
def test_reads_are_not_changes(name: str, arg: str) -> None:
    assert parse_change(name, arg, "en") is None


def test_usage_lines_come_in_the_callers_language() -> None:
    russian, english = parse_change("pivot", "H2", "ru"), parse_change("pivot", "H2", "en")
    assert isinstance(russian, Rejected) and isinstance(english, Rejected)
    assert "/pivot H2" in russian.errors[0].message and russian.errors[0].message != english.errors[0].message
