"""Two terminals as the same founder on one database (SQLite and PostgreSQL): answers never mix."""

from __future__ import annotations

import io

from bot.console import ConsoleChat
from core.app.service import InterviewService, ServiceSettings
from core.scripts.catalog import builtin_scripts
from storage.sql_storage import SqlStorage
from tests.fakes import CountingIds, FakeClock


def terminal(storage: SqlStorage, out: io.StringIO) -> ConsoleChat:
    """`cusdev chat --as alice` in a terminal of its own: its own process, storage and service."""
    service = InterviewService(storage, builtin_scripts(), FakeClock(), CountingIds(), ServiceSettings("default"))
    return ConsoleChat(service, storage, "default", "alice", "en", lambda: None, out)


async def answers(storage: SqlStorage) -> dict[str, object]:
    [interview] = (await storage.export_data()).interviews
    return interview.answers


async def test_an_answer_typed_against_a_screen_that_has_changed_is_refused(db_url: str) -> None:
    first, second = SqlStorage(db_url), SqlStorage(db_url)
    try:
        out_a, out_b = io.StringIO(), io.StringIO()
        a, b = terminal(first, out_a), terminal(second, out_b)
        await a.send("/interview quick")
        await b.send("/interview quick")  # B opens the same interview: the name question, drawn anew
        await b.send("Anna")  # B answers; B now shows the segment question
        shown = len(out_a.getvalue())
        await a.send("Boris")  # typed on A against the name question, which has passed
        refused = out_a.getvalue()[shown:]
        assert "typed on a screen that has since changed; nothing was changed" in refused
        assert "Which customer segment" in refused  # A now shows where the interview really is
        assert await answers(first) == {"alias": "Anna"}
        await a.send("Dental clinics")  # answered on the screen A was just shown: kept
        assert await answers(second) == {"alias": "Anna", "segment": "Dental clinics"}
        shown = len(out_b.getvalue())
        await b.send("/skip")  # a stale action is refused too: B still shows the segment question
        await b.send("Late invoices")  # now B shows the pain question: accepted
        assert "nothing was changed" in out_b.getvalue()[shown:]
        assert (await answers(first))["pains"] == [{"text": "Late invoices"}]
    finally:
        await first.close()
        await second.close()
