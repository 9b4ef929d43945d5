"""The weekly digest on a small team whose numbers are counted by hand: SQLite, PostgreSQL and the in-memory fake."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from core.app.ports import Storage, UnitOfWork
from core.board.team import PhaseChange
from core.digest import Digest, build_digest, digest_json, digest_reply
from core.digest.charts import digest_image
from core.domain import EvidenceLink, InterviewRecord, InterviewSummary, Pain
from core.messages import Image
from core.transfer.importer import ImportBatch
from storage.importing import import_batch
from storage.sql_storage import SqlStorage
from tests.fakes.memory_rows import InterviewRow
from tests.fakes.storage import InMemoryStorage

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)  # a Sunday: the period is Sunday noon to Sunday noon
START = NOW - timedelta(days=7)
DAY = timedelta(days=1)


def _interview(
    n: int, ago: timedelta, founder: str, pains: Sequence[tuple[str, int]], **record: Any
) -> InterviewSummary:
    at = NOW - ago
    return InterviewSummary(
        id=f"acme-{n}",
        team="acme",
        founder=founder,
        script="discovery",
        status="completed",
        started_at=at - timedelta(minutes=40),
        completed_at=at,
        answers={},
        record=InterviewRecord(
            alias=f"Person {n}",
            segment=record.pop("segment", "Dentists"),
            pains=tuple(Pain(text, severity) for text, severity in pains),
            **record,
        ),
    )


INTERVIEWS = [
    # before the period: No-shows twice, Paper forms once; H1 gets its only evidence 20 days ago
    _interview(1, 20 * DAY, "Ann", [("No-shows", 5)], evidence=(EvidenceLink("supports", "strong", "H1"),)),
    _interview(2, 15 * DAY, "Ann", [("no-shows.", 4)]),
    _interview(3, 10 * DAY, "Ann", [("Paper forms", 3)]),
    # the period: Late payments is new; H2 gets one piece for and one against
    _interview(4, 6 * DAY, "Ann", [("No-shows", 5), ("Late payments", 2)]),
    _interview(5, 5 * DAY, "Bob", [("Late payments", 4)], evidence=(EvidenceLink("supports", "strong", "H2"),)),
    _interview(6, 2 * DAY, "Bob", [("No-shows", 4)], evidence=(EvidenceLink("refutes", "weak", "H2"),)),
    _interview(7, 1 * DAY, "Ann", [("late payments", 3)], segment="Agencies"),
]
STARTED_ONLY = InterviewSummary(
    id="acme-8", team="acme", founder="Bob", script="discovery", status="in_progress",
    started_at=NOW - 3 * DAY, completed_at=None, answers={}, record=InterviewRecord(alias="Lead"),
)  # fmt: skip


async def _team(uow: UnitOfWork) -> int:
    team_id = (await uow.teams.join_team("test", "ann", "Ann", "acme")).team_id
    await uow.teams.join_team("test", "bob", "Bob", "acme")
    await uow.teams.update_team(team_id, weekly_target=5, target_segment="Dentists")
    await uow.hypotheses.add(
        team_id, "Dentists lose hours to no-shows", "customer_segments", None, "Ann", NOW - 30 * DAY
    )
    await uow.hypotheses.add(team_id, "Clinics pay 50 a month", "value_propositions", None, "Ann", NOW - 30 * DAY)
    await uow.hypotheses.add(team_id, "Receptionists decide", "customer_segments", None, "Ann", NOW - 3 * DAY)
    return team_id


async def seed_sql(storage: SqlStorage) -> int:
    async with storage.transaction() as uow:
        team_id = await _team(uow)
    async with storage.transaction() as uow:
        await import_batch(uow, ImportBatch(interviews=[*INTERVIEWS, STARTED_ONLY]), NOW)
        await uow.hypotheses.set_status(team_id, "H2", "testing", "first pieces", "Bob", NOW - 2 * DAY)
    return team_id


async def seed_memory(storage: InMemoryStorage) -> int:
    async with storage.transaction() as uow:
        team_id = await _team(uow)
        members = {m.name: m.id for m in await uow.teams.members(team_id)}
        for interview in [*INTERVIEWS, STARTED_ONLY]:
            uow.rows.interviews[interview.id] = InterviewRow(
                interview.id, team_id, members[interview.founder], interview.script, "en", interview.status,
                interview.started_at,
            )  # fmt: skip
            if interview.completed_at is not None:
                await uow.interviews.complete(interview.id, interview.record, interview.completed_at, team_id)
        await uow.hypotheses.set_status(team_id, "H2", "testing", "first pieces", "Bob", NOW - 2 * DAY)
    return team_id


def check(digest: Digest) -> None:
    """The numbers counted by hand from INTERVIEWS."""
    assert digest.interviews == 4 and digest.target == 5
    assert digest.per_founder == (("Ann", 2), ("Bob", 2))
    assert [count for _monday, count in digest.weeks] == [0, 0, 0, 0, 0, 2, 1, 4]
    assert digest.weeks[-1][0].isoformat() == "2026-11-16"
    pains = [(p.text, p.interviewees, str(p.mean_severity), p.new) for p in digest.pains]
    assert pains == [
        ("No-shows", 4, "4.50", False),
        ("Late payments", 3, "3.00", True),
        ("Paper forms", 1, "3.00", False),
    ]
    assert [(c.code, c.before, c.after) for c in digest.status_changes] == [("H2", "untested", "testing")]
    assert [(e.code, e.supports, e.refutes) for e in digest.new_evidence] == [("H2", 1, 1)]
    assert [(s.code, s.days) for s in digest.stale] == [("H1", 20)]
    step = digest.next_step
    assert (step.kind, step.count, step.segment, step.with_pains) == ("interviews", 9, "Dentists", True)


def check_words(digest: Digest) -> None:
    english = digest_reply(digest, "en").fallback()
    assert "Weekly digest · acme · 2026-11-15 – 2026-11-22" in english
    assert "Exit gate: 0 of 3 passed" in english
    assert "Interviews this week: 4 (target 5). In total: 7 of 100." in english
    assert "Late payments (3 interviewees, 3.00/5) · new this week" in english
    assert "No-shows (4 interviewees, 4.50/5)\n" in english
    assert "H2 Clinics pay 50 a month: untested → testing" in english
    assert "H2 Clinics pay 50 a month: new evidence: 1 for, 1 against" in english
    assert "H1 Dentists lose hours to no-shows: no new evidence for 20 days" in english
    assert (
        "Next step: 9 more interviews in segment “Dentists” that record a pain to reach the Customer Discovery gate."
        in english
    )
    russian = digest_reply(digest, "ru").fallback()
    assert "Сводка за неделю · acme" in russian
    assert "Интервью за неделю: 4 (цель 5). Всего: 7 из 100." in russian
    assert "Late payments (3 собеседника, 3.00/5) · новая за неделю" in russian
    assert "нет новых свидетельств 20 дней" in russian
    step = "Следующий шаг: Ещё 9 интервью в сегменте «Dentists» с записанной болью — для перехода с этапа «Обнаружение "
    assert step + "клиента»." in russian
    image = next(block for block in digest_reply(digest, "en").blocks if isinstance(block, Image))
    assert image == digest_image(digest, "en")
    weeks, pains = image.charts
    assert weeks.series[0][1] == (0, 0, 0, 0, 0, 2, 1, 4) and weeks.target == 5
    assert weeks.labels == ("W40", "W41", "W42", "W43", "W44", "W45", "W46", "W47")
    assert pains.labels[1] == "NEW · Late payments" and pains.shades == (0.9, 0.6, 0.6)
    data = json.loads(json.dumps(digest_json(digest)))
    assert data["interviews"]["per_founder"] == {"Ann": 2, "Bob": 2}
    assert data["top_pains"][1] == {"text": "Late payments", "interviewees": 3, "mean_severity": 3, "new": True}
    assert data["next_step"]["kind"] == "interviews" and data["next_step"]["count"] == 9


async def test_digest_counts_the_period_on_sql(storage: SqlStorage) -> None:
    team_id = await seed_sql(storage)
    digest = await build_digest(storage, team_id, START, NOW, "en")
    check(digest)
    check_words(digest)


async def test_digest_counts_the_period_in_memory() -> None:
    storage = InMemoryStorage()
    team_id = await seed_memory(storage)
    digest = await build_digest(storage, team_id, START, NOW, "en")
    check(digest)
    check_words(digest)


@pytest.mark.parametrize("lang", ["en", "ru"])
async def test_a_team_without_interviews_gets_a_short_encouraging_digest(lang: str) -> None:
    storage: Storage = InMemoryStorage()
    async with storage.transaction() as uow:
        team_id = await _team(uow)
    digest = await build_digest(storage, team_id, START, NOW, lang)
    reply = digest_reply(digest, lang)
    assert digest.empty and digest.next_step.kind == "first_interview"
    assert not any(isinstance(block, Image) for block in reply.blocks)
    text = reply.fallback()
    expected = {"en": "Run your first interview with /interview; 5 a week meet your target.",
                "ru": "Проведите первое интервью: /interview; ваша цель — 5 интервью в неделю."}  # fmt: skip
    assert expected[lang] in text and len(text.splitlines()) == 4


async def test_a_daily_digest_scales_the_target_and_says_today(storage: SqlStorage) -> None:
    team_id = await seed_sql(storage)
    digest = await build_digest(storage, team_id, NOW - DAY, NOW, "en")
    assert (digest.interviews, digest.target, digest.per_founder) == (1, 1, (("Ann", 1), ("Bob", 0)))
    assert [pain.new for pain in digest.pains] == [False, False, False]  # Late payments was named the days before
    text = digest_reply(digest, "en").fallback()
    assert "Daily digest · acme · 2026-11-21 – 2026-11-22" in text and "Interviews today: 1 (target 1)." in text
    assert "new today" not in text and "H2 Clinics pay 50 a month" not in text  # its changes came earlier


async def test_a_phase_override_is_shown_and_the_next_step_follows_the_new_gate() -> None:
    storage = InMemoryStorage()
    team_id = await seed_memory(storage)
    async with storage.transaction() as uow:
        change = PhaseChange(NOW - DAY, "discovery", "validation", "Ann", "the investor wants sales")
        await uow.teams.change_phase(team_id, change)
    digest = await build_digest(storage, team_id, START, NOW, "en")
    assert digest.override == change and digest.next_step.kind == "gate_item"
    text = digest_reply(digest, "en").fallback()
    assert "Moved to Customer Validation without passing the gate: the investor wants sales" in text
    assert (
        "Next step: For the Customer Validation gate: At least 10 paid orders or paid pilots "
        "(0/10 · log each payment: /funnel log paid 1)." in text
    )
    russian = digest_reply(digest, "ru").fallback()
    assert "Следующий шаг: Для перехода с этапа «Подтверждение клиента»:" in russian
