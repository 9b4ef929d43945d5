"""A backup's team extras read back whole, and a wrong one reported by line with what is wrong."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time

from core.analytics.funnel import FunnelLog
from core.app.export_data import ExportData, HypothesisInfo, Logged, Person, TeamInfo
from core.board.hypotheses import HypothesisEvent
from core.board.team import PhaseChange, TeamProfile
from core.reminders.ports import ReminderSettings
from core.transfer.export import to_json
from core.transfer.importer import parse_export_json

AT = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
TEAM = TeamInfo(
    0,
    "acme",
    "Acme",
    ("Ann", "Mia"),
    profile=TeamProfile(
        0,
        "acme",
        "Acme",
        phase="validation",
        timezone="Europe/Moscow",
        weekly_target=6,
        digest_set_at=AT,
        digest_enabled=False,
    ),
    people=(
        Person("Ann", "owner", "telegram", "101", ReminderSettings(True, time(7, 45), None, date(2026, 12, 31))),
        Person("Mia", "mentor", "telegram", "102"),
    ),
    phase_changes=(PhaseChange(AT, "discovery", "validation", "Ann", "3 LOIs, gate not passed"),),
    funnel_logs=(Logged(FunnelLog("contacted", 40, "Clinics", AT), "Ann", AT),),
    merges=(Logged(("slow payments", "late invoices"), "Ann", AT),),
    ticks=(Logged(("validation", "sales_roadmap"), "Mia", AT),),
)
PIVOTED = HypothesisInfo(
    "acme",
    "H1",
    "They pay 50",
    "pivoted",
    "revenue_streams",
    successor="H2",
    created_at=AT,
    history=(
        HypothesisEvent(AT, "created", "Ann", "untested"),
        HypothesisEvent(AT, "pivoted", "Bo", "pivoted", "too cheap", "H2"),
    ),
)  # fmt: skip
SUCCESSOR = HypothesisInfo("acme", "H2", "They pay 80", "untested", predecessor="H1", created_at=AT)


def test_a_backup_reads_back_whole() -> None:
    first = to_json(ExportData([TEAM], [], [PIVOTED, SUCCESSOR]))
    batch = parse_export_json(first, "backup.json")
    assert batch.problems == []
    assert batch.teams == [TEAM] and batch.hypotheses == [PIVOTED, SUCCESSOR]
    assert to_json(ExportData(batch.teams, [], batch.hypotheses)) == first


def test_a_wrong_role_phase_or_funnel_step_is_reported_and_the_team_skipped() -> None:
    document = json.loads(to_json(ExportData([TEAM], [], [])))
    team = document["teams"][0]
    team["people"][1]["role"] = "boss"
    team["settings"]["phase"] = "scaling"
    team["settings"]["digest_hour"] = 25
    team["settings"]["digest_enabled"] = "no"
    team["settings"]["digest_set_at"] = "last monday"
    team["people"][0]["reminders"] = {"enabled": 1, "at": "25:00", "timezone": "Mars/Olympus", "away_until": "soon"}
    team["funnel_logs"][0]["step"] = "clicked"
    team["merges"][0]["at"] = "yesterday"
    batch = parse_export_json(json.dumps(document, indent=2), "backup.json")
    [problem] = batch.problems
    assert (problem.line, problem.where, batch.teams) == (3, "teams[0] (acme)", [])
    for said in (
        "settings.phase: not one of: discovery, validation, creation, building",
        "settings.digest_hour: not a whole number from 0 to 23",
        "settings.digest_enabled: not true or false",
        "settings.digest_set_at: not an ISO date and time",
        "people[0].reminders.enabled: not true or false",
        "people[0].reminders.at: not a time like 18:00",
        "people[0].reminders.timezone: not a timezone like Europe/Berlin",
        "people[0].reminders.away_until: not a date like 2026-12-31",
        "people[1].role: not one of: owner, founder, mentor",
        "funnel_logs[0].step: not one of: contacted, paid",
        "merges[0].at: not an ISO date and time",
    ):
        assert said in problem.message, said
