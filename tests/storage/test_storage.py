"""The storage suite: runs against SQLite and against PostgreSQL (skipped, with the reason, when unreachable)."""

from __future__ import annotations

import asyncio
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from core.app.service import InterviewService
from core.messages import Incoming
from storage import tables as t
from storage.database import current_revision
from storage.sql_storage import SqlStorage
from tests.fakes import event, mark_delivered
from tests.service_scenarios import QUICK, VALIDATION

_counter = 0


def said(text: str, user: str = "alice", event_id: str | None = None, choice: str | None = None) -> Incoming:
    global _counter
    _counter += 1
    return event(
        "console",
        "local",
        f"default/{user}",
        user,
        event_id or f"ev{_counter}",
        text=text,
        choice=choice,
        user_name=user.title(),
    )


async def run(service: InterviewService, user: str, *lines: str) -> list[str]:
    """Send lines as one founder; returns the plain text of the last reply batch."""
    texts: list[str] = []
    for line in lines:
        messages = await service.handle(said(line, user))
        texts = [m.reply.plain_text for m in messages]
        await mark_delivered(service.storage, messages)
    return texts


async def test_migrations_are_at_head_and_idempotent(db_url: str) -> None:
    from alembic.script import ScriptDirectory

    from storage.database import alembic_config, upgrade

    upgrade(db_url)
    head = ScriptDirectory.from_config(alembic_config(db_url)).get_current_head()
    assert head is not None and head >= "0002"
    assert current_revision(db_url) == head


async def test_quick_interview_is_stored_with_its_record(service: InterviewService, storage: SqlStorage) -> None:
    last = await run(service, "alice", *QUICK)
    assert last[0].startswith("Saved ✅")
    data = await storage.export_data()
    [interview] = data.interviews
    assert interview.status == "completed" and interview.team == "default" and interview.founder == "Alice"
    assert interview.record.alias == "Anna" and interview.record.segment == "Dental clinics"
    assert [(p.text, p.severity) for p in interview.record.pains] == [(QUICK[3], 4)]
    assert [c.kind for c in interview.record.commitments] == ["reputation"]
    assert interview.answers["quote"] == "Last month we lost 12 bookings"
    assert interview.record.evidence == ()


async def test_validation_price_commitment_and_new_hypothesis(service: InterviewService, storage: SqlStorage) -> None:
    last = await run(service, "boris", *VALIDATION)
    assert last[0].startswith("Saved ✅"), last
    data = await storage.export_data()
    [interview] = data.interviews
    price = interview.record.price
    assert (price.spends_now, price.too_cheap, price.bargain) == (Decimal(200), Decimal(10), Decimal(40))
    assert (price.getting_expensive, price.too_expensive, price.currency) == (Decimal(90), Decimal(150), "USD")
    [commitment] = interview.record.commitments
    assert (commitment.kind, commitment.amount, commitment.currency) == ("money", Decimal(1500), "USD")
    assert commitment.note == "Paid pilot signed, invoice sent"
    [evidence] = interview.record.evidence
    assert (evidence.hypothesis, evidence.stance, evidence.strength) == ("H1", "supports", "strong")
    [hypothesis] = data.hypotheses
    assert (hypothesis.code, hypothesis.status) == ("H1", "untested")
    assert hypothesis.statement.startswith("Accountants lose two days")


async def test_second_interview_links_an_existing_hypothesis(service: InterviewService, storage: SqlStorage) -> None:
    await run(service, "boris", *VALIDATION)
    steps = [*VALIDATION[:-5], "1", "2", "/done", "1"]  # pick H1, refutes, done, save
    last = await run(service, "boris", *steps)
    assert last[0].startswith("Saved ✅"), last
    data = await storage.export_data()
    assert len(data.hypotheses) == 1
    second = data.interviews[1].record.evidence
    assert [(e.hypothesis, e.stance) for e in second] == [("H1", "refutes")]


async def test_redelivered_event_changes_nothing(service: InterviewService, storage: SqlStorage) -> None:
    await run(service, "alice", "/interview quick")
    first = await service.handle(said("Anna", event_id="same-update"))
    again = await service.handle(said("Anna", event_id="same-update"))
    assert first and again == []
    async with storage.transaction() as uow:
        answers = (await uow.execute(select(func.count()).select_from(t.Answer))).scalar_one()
        outbox = (await uow.execute(select(func.count()).select_from(t.Outbox))).scalar_one()
    assert answers == 1
    assert outbox == 2  # the first question and the one after "Anna"; nothing for the repeat


async def test_outbox_keeps_unsent_replies_until_delivery_is_recorded(
    service: InterviewService, storage: SqlStorage
) -> None:
    messages = await service.handle(said("/interview quick"))
    assert [m.id for m in await storage.unsent("console")] == [m.id for m in messages]
    await mark_delivered(service.storage, messages)
    more = await service.handle(said("Anna"))
    assert [m.id for m in await storage.unsent("console")] == [m.id for m in more]
    await mark_delivered(service.storage, more)  # durable at once: nothing waits in memory for a later commit
    assert await storage.unsent("console") == []
    assert await storage.unsent("telegram") == []


async def test_failed_transaction_commits_nothing(storage: SqlStorage) -> None:
    from datetime import UTC, datetime

    with pytest.raises(RuntimeError):
        async with storage.transaction() as uow:
            assert await uow.events.claim("doomed", datetime.now(UTC))
            raise RuntimeError("crash mid-transaction")
    async with storage.transaction() as uow:
        assert await uow.events.claim("doomed", datetime.now(UTC))


async def test_join_team_makes_the_first_member_owner(storage: SqlStorage) -> None:
    async with storage.transaction() as uow:
        first = await uow.teams.join_team("console", "alice", "Alice", "acme")
        second = await uow.teams.join_team("console", "bob", "Bob", "acme")
        again = await uow.teams.join_team("console", "alice", "Alice", "acme")
        other = await uow.teams.join_team("console", "alice", "Alice", "globex")
    assert first == again and first.team_id == second.team_id != other.team_id
    async with storage.transaction() as uow:
        roles = dict(
            (
                await uow.execute(select(t.Member.display_name, t.Member.role).where(t.Member.team_id == first.team_id))
            ).all()
        )
    assert roles == {"Alice": "owner", "Bob": "founder"}


async def test_teams_are_kept_apart_in_export(service: InterviewService, storage: SqlStorage) -> None:
    await run(service, "alice", *QUICK)
    await service.handle(said("/interview quick", user="zed"), team="globex")
    data = await storage.export_data("globex")
    assert [team.slug for team in data.teams] == ["globex"]
    assert [i.founder for i in data.interviews] == ["Zed"]
    assert {i.team for i in (await storage.export_data()).interviews} == {"default", "globex"}


async def test_concurrent_founders_all_complete(service: InterviewService, storage: SqlStorage) -> None:
    founders = [f"founder{n}" for n in range(12)]
    await asyncio.gather(*(run(service, name, *QUICK) for name in founders))
    data = await storage.export_data()
    assert sorted(i.founder for i in data.interviews) == sorted(name.title() for name in founders)
    assert {i.status for i in data.interviews} == {"completed"}


async def test_same_event_delivered_concurrently_applies_once(service: InterviewService, storage: SqlStorage) -> None:
    await run(service, "alice", "/interview quick")
    results = await asyncio.gather(*(service.handle(said("Anna", event_id="dup")) for _ in range(5)))
    assert sum(1 for result in results if result) == 1
    data = await storage.export_data()
    assert data.interviews[0].answers == {"alias": "Anna"}


async def test_unicode_and_long_answers_round_trip(service: InterviewService, storage: SqlStorage) -> None:
    story = "Она сказала: «каждый месяц — ад» 😩 每个月都很痛苦 " * 200
    await run(service, "alice", "/interview quick", "Зоя 🙂", "Стоматологии", story, "/keep", "5", "1", "/skip", "1")
    [interview] = (await storage.export_data()).interviews
    assert interview.record.alias == "Зоя 🙂"
    assert interview.record.pains[0].text == story.strip()
