"""The in-memory fake and SqlStorage play every service scenario alike (SQLite, PostgreSQL): the fake cannot drift."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from core.app.ports import Pruned, Storage
from storage.sql_storage import SqlStorage
from tests.fakes.storage import InMemoryStorage
from tests.service_scenarios import (
    board_changed,
    event_redelivered,
    evidence_weighed,
    interviews_saved,
    old_rows_pruned,
    outbox_cycle,
    outbox_order,
)

SCENARIOS: dict[str, Callable[[Storage], Awaitable[Any]]] = {
    "interviews saved": interviews_saved,
    "event redelivered": event_redelivered,
    "board changed": board_changed,
    "outbox cycle": outbox_cycle,
    "evidence weighed": evidence_weighed,
    "outbox order": outbox_order,
    "old rows pruned": old_rows_pruned,
}


@pytest.mark.parametrize("scenario", SCENARIOS)
async def test_the_fake_observes_what_sql_storage_observes(scenario: str, storage: SqlStorage) -> None:
    play = SCENARIOS[scenario]
    assert await play(InMemoryStorage()) == await play(storage)


async def test_evidence_is_weighed_per_hypothesis_and_dated_by_the_interview(storage: SqlStorage) -> None:
    seen, data = await evidence_weighed(storage)
    assert seen[-3][0].startswith("Saved ✅"), seen[-3]
    [interview] = data.interviews
    assert [(e.hypothesis, e.strength) for e in interview.record.evidence] == [("H1", "strong"), ("H2", "medium")]
    revenue, channel = seen[-2][0], seen[-1][0]
    assert "2026-11-10 Anna supports (strong)" in revenue and "2026-11-22 Anna" not in revenue
    assert "2026-11-10 Anna supports (medium)" in channel


async def test_a_relay_claims_a_chats_next_message_behind_its_own_but_not_behind_anyone_elses(
    storage: SqlStorage,
) -> None:
    # Before, the second message of a chat was left unclaimed while the first was being sent: the relay sent it
    # from its queue anyway, and its poll then claimed it again (work in the write lock on every poll).
    assert await outbox_order(storage) == ["behind an unclaimed one", "unclaimed"]


async def test_housekeeping_prunes_old_event_ids_and_sent_messages_only(storage: SqlStorage) -> None:
    counted, pruned, again, unsent, redelivered_old, redelivered_new = await old_rows_pruned(storage)
    assert isinstance(pruned, Pruned) and pruned.events == 2 and pruned.messages >= 1
    assert counted == pruned and again == Pruned(0, 0)
    assert unsent and {chat for chat, _text in unsent} == {"default/alice"}  # alice's unsent prompt, 40 days old
    assert redelivered_old and redelivered_new == []  # a pruned id is new again; a kept one is still a duplicate
