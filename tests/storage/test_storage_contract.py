"""The in-memory fake and SqlStorage play every service scenario alike (SQLite, PostgreSQL): the fake cannot drift."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from core.app.ports import Storage
from storage.sql_storage import SqlStorage
from tests.fakes.storage import InMemoryStorage
from tests.service_scenarios import board_changed, event_redelivered, interviews_saved, outbox_cycle

SCENARIOS: dict[str, Callable[[Storage], Awaitable[Any]]] = {
    "interviews saved": interviews_saved,
    "event redelivered": event_redelivered,
    "board changed": board_changed,
    "outbox cycle": outbox_cycle,
}


@pytest.mark.parametrize("scenario", SCENARIOS)
async def test_the_fake_observes_what_sql_storage_observes(scenario: str, storage: SqlStorage) -> None:
    play = SCENARIOS[scenario]
    assert await play(InMemoryStorage()) == await play(storage)
