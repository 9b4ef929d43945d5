"""`cusdev digest`: the current digest as text or JSON, its chart as a PNG, and which team when there are several."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from storage.sql_storage import SqlStorage
from tests.bot.cli_support import QUICK, cusdev, use_database
from tests.png_support import png_size


@pytest.fixture(autouse=True)
def database(db_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    use_database(monkeypatch, tmp_path, db_url)
    return db_url


def test_digest_as_text_json_and_chart(tmp_path: Path) -> None:
    cusdev("chat", "--script", "quick", "--as", "alice", input=QUICK)
    text = cusdev("digest", "--chart", str(tmp_path / "week.png"))
    assert "Weekly digest" in text and "Interviews this week: 1 (target 15)." in text
    assert "Scheduling chaos every morning (1 interviewee, 4.00/5) · new this week" in text
    assert "Next step: 14 more interviews that record a pain to reach the Customer Discovery gate." in text
    assert png_size((tmp_path / "week.png").read_bytes()) == (1080, 1440)
    document = json.loads(cusdev("digest", "--format", "json"))
    assert document["interviews"]["period"] == 1 and document["interviews"]["per_founder"] == {"alice": 1}
    assert document["top_pains"][0]["new"] is True


def test_digest_asks_which_team_when_there_are_several() -> None:
    cusdev("chat", "--script", "quick", "--as", "alice", input=QUICK)
    cusdev("chat", "--script", "quick", "--as", "bob", "--team", "globex", input=QUICK)
    out = cusdev("digest", code=2)
    assert "There are several teams; choose one with --team:" in out and "globex" in out
    assert "There is no team called nobody." in cusdev("digest", "--team", "nobody", code=2)
    assert "Weekly digest · globex" in cusdev("digest", "--team", "globex")


def test_digest_without_teams_says_so() -> None:
    assert "There are no teams yet" in cusdev("digest", code=2)


def test_send_queues_it_once_for_the_teams_digest_chat(db_url: str) -> None:
    cusdev("chat", "--script", "quick", "--as", "alice", input=QUICK)
    assert "no digest chat yet" in cusdev("digest", "--send", code=2)

    async def set_chat_then_send() -> list[str]:
        storage = SqlStorage(db_url)
        try:
            team = await storage.team_id("default")
            assert team is not None
            async with storage.transaction() as uow:
                await uow.teams.update_team(team, digest_chat="telegram:-100", digest_tenant="bot")
            out = await asyncio.to_thread(cusdev, "digest", "--send")
            assert "Queued for the team's digest chat (telegram -100)" in out
            return [m.reply.plain_text for m in await storage.unsent("telegram")]
        finally:
            await storage.close()

    [queued] = asyncio.run(set_chat_then_send())
    assert "Weekly digest" in queued and "Scheduling chaos every morning" in queued
