"""The team's digest: set where and when in chat, sent once per period by schedule (catch-up, grace, two senders),
and `digest now` / `digest preview`; on SQLite and PostgreSQL, with a fake clock and a small digest builder."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from core.app.digests import send_due_digests
from core.app.ports import Storage
from core.messages import Ephemeral, Reply, ToChat, ToUser
from storage.sql_storage import SqlStorage
from tests.digest_helpers import MONDAY_0900_MOSCOW, built, say, service_at, team_with_digest_group, text_of


async def test_a_weekly_digest_goes_once_at_nine_local_to_the_group(storage: SqlStorage) -> None:
    await team_with_digest_group(storage)
    assert await send_due_digests(storage, built, MONDAY_0900_MOSCOW - timedelta(minutes=1)) == []
    [sent] = await send_due_digests(storage, built, MONDAY_0900_MOSCOW + timedelta(seconds=20))
    assert sent.destination == ToChat("telegram", "bot", "-100")
    assert "Digest of Acme 2026-11-23 06:00–2026-11-30 06:00 UTC [en]" in sent.reply.plain_text
    assert await send_due_digests(storage, built, MONDAY_0900_MOSCOW + timedelta(minutes=1)) == []
    assert await send_due_digests(storage, built, MONDAY_0900_MOSCOW + timedelta(hours=5)) == [], "once per period"
    [unsent] = await storage.unsent("telegram")
    assert unsent.id == sent.id, "it waits in the outbox for the relay, like any reply"


async def test_after_downtime_it_goes_within_the_grace_window_and_not_after(storage: SqlStorage) -> None:
    await team_with_digest_group(storage)
    late = await send_due_digests(storage, built, MONDAY_0900_MOSCOW + timedelta(hours=5, minutes=59))
    assert len(late) == 1, "the process was down at 09:00 and came back before 15:00: sent once"
    next_week = MONDAY_0900_MOSCOW + timedelta(days=7)
    assert await send_due_digests(storage, built, next_week + timedelta(hours=6, minutes=1)) == [], "too late: skipped"
    assert len(await send_due_digests(storage, built, next_week + timedelta(days=7, minutes=3))) == 1


async def test_two_senders_at_once_send_one_digest(storage: SqlStorage, db_url: str) -> None:
    await team_with_digest_group(storage)
    other = SqlStorage(db_url)  # a second process's connection pool on the same database
    try:
        at = MONDAY_0900_MOSCOW + timedelta(minutes=2)
        first, second = await asyncio.gather(send_due_digests(storage, built, at), send_due_digests(other, built, at))
    finally:
        await other.close()
    assert len(first) + len(second) == 1
    assert len(await storage.unsent("telegram")) == 1


async def test_off_stops_it_and_on_starts_it_again(storage: SqlStorage) -> None:
    service = await team_with_digest_group(storage)
    assert "digest is off" in text_of(await say(service, "/digest off"))
    assert await send_due_digests(storage, built, MONDAY_0900_MOSCOW + timedelta(minutes=1)) == []
    assert "every Monday at 09:00" in text_of(await say(service, "/digest on"))
    assert len(await send_due_digests(storage, built, MONDAY_0900_MOSCOW + timedelta(minutes=2))) == 1


async def test_a_daily_digest_reports_the_last_day(storage: SqlStorage) -> None:
    service = await team_with_digest_group(storage)
    assert "every day at 18:30 (Asia/Tokyo)" in text_of(await say(service, "/digest schedule daily 18:30 Asia/Tokyo"))
    tokyo_1830 = datetime(2026, 11, 28, 9, 30, tzinfo=UTC)
    [sent] = await send_due_digests(storage, built, tokyo_1830)
    assert "2026-11-27 09:30–2026-11-28 09:30 UTC" in sent.reply.plain_text


async def test_now_sends_to_the_group_and_preview_only_to_the_asker(storage: SqlStorage) -> None:
    service = await team_with_digest_group(storage)
    now = await say(service, "/digest now")
    assert [m.destination for m in now] == [ToChat("telegram", "bot", "1"), ToChat("telegram", "bot", "-100")]
    assert "Sending the digest" in now[0].reply.plain_text and "Digest of Acme" in now[1].reply.plain_text
    in_group = await say(service, "/digest now", chat="-100")
    assert [m.destination for m in in_group] == [ToChat("telegram", "bot", "-100")], "the digest itself answers"
    preview = await say(service, "/digest preview", chat="-100")
    note = Ephemeral("telegram", "bot", "-100", "1")
    assert [m.destination for m in preview] == [note, ToUser("telegram", "bot", "1")], "the note is for the asker"
    assert preview[0].reply.personal and "privately" in preview[0].reply.plain_text
    [private] = await say(service, "/digest preview")
    assert private.destination == ToChat("telegram", "bot", "1") and "Digest of Acme" in private.reply.plain_text
    [scheduled] = await send_due_digests(storage, built, MONDAY_0900_MOSCOW)
    assert scheduled.destination == ToChat("telegram", "bot", "-100"), "asking for one does not skip the schedule"


async def test_what_is_typed_wrong_gets_a_way_forward(storage: SqlStorage) -> None:
    service, _clock = service_at(storage, MONDAY_0900_MOSCOW)
    await say(service, "/start")
    assert "nowhere to go yet" in text_of(await say(service, "/digest now"))
    assert "Which day?" in text_of(await say(service, "/digest schedule someday 9:00"))
    assert "Which time?" in text_of(await say(service, "/digest schedule monday 25:00"))
    assert "don't know that timezone" in text_of(await say(service, "/digest schedule monday 9:00 Mars/Base"))
    unknown = text_of(await say(service, "/digest weekly"))
    assert "don't know “weekly”" in unknown and "/digest schedule monday 09:00" in unknown
    assert "nowhere to go yet: send /digest here" in text_of(await say(service, "/digest"))
    assert "in the group (or Slack channel)" in text_of(await say(service, "/digest here"))


async def test_russian_speakers_get_it_in_russian(storage: SqlStorage) -> None:
    service = await team_with_digest_group(storage)
    await say(service, "/lang ru")
    reply = text_of(await say(service, "/digest schedule пт 18:00"))
    assert "пятница" in reply and "18:00" in reply and "Europe/Moscow" in reply
    assert "В какой день?" in text_of(await say(service, "/digest schedule когда-нибудь 9:00"))
    weekly = text_of(await say(service, "/digest schedule каждый понедельник в 9:30"))
    assert "понедельник" in weekly and "09:30" in weekly


async def test_a_digest_set_up_after_nine_starts_with_the_next_one(storage: SqlStorage) -> None:
    later = MONDAY_0900_MOSCOW + timedelta(hours=1)
    service, _clock = service_at(storage, later)
    await say(service, "/start")
    await say(service, "/digest here", chat="-100")
    await say(service, "/digest schedule monday 09:00 Europe/Moscow")
    assert await send_due_digests(storage, built, later + timedelta(minutes=1)) == [], "no surprise catch-up"
    assert len(await send_due_digests(storage, built, MONDAY_0900_MOSCOW + timedelta(days=7, minutes=1))) == 1


async def test_a_daily_digest_stays_daily_after_off_and_on(storage: SqlStorage) -> None:
    service = await team_with_digest_group(storage)
    await say(service, "/digest schedule daily 18:30 Asia/Tokyo")
    assert "The digest is off" in text_of(await say(service, "/digest off"))
    assert "every day at 18:30 (Asia/Tokyo)" in text_of(await say(service, "/digest on"))


async def test_moving_the_schedule_after_it_went_out_does_not_send_the_week_twice(storage: SqlStorage) -> None:
    service = await team_with_digest_group(storage)
    assert len(await send_due_digests(storage, built, MONDAY_0900_MOSCOW)) == 1
    moved = text_of(await say(service, "/digest schedule monday 09:00 Europe/Berlin"))
    assert "timezone is now Europe/Berlin" in moved
    berlin_nine = MONDAY_0900_MOSCOW + timedelta(hours=2)
    assert await send_due_digests(storage, built, berlin_nine + timedelta(minutes=1)) == []
    assert len(await send_due_digests(storage, built, berlin_nine + timedelta(days=7))) == 1


async def test_a_digest_that_cannot_be_built_says_so_and_the_next_ask_works(storage: SqlStorage) -> None:
    service = await team_with_digest_group(storage)
    failing = [True]

    async def flaky(storage: Storage, team_id: int, start: datetime, end: datetime, lang: str) -> Reply:
        if failing.pop():
            raise OSError("the database went away")
        return await built(storage, team_id, start, end, lang)

    failing.insert(0, False)
    service.digest_builder = flaky
    first = await say(service, "/digest now")
    assert [m.destination for m in first] == [ToChat("telegram", "bot", "1")] * 2
    assert "couldn't put the digest together" in first[1].reply.plain_text and first[1].reply.personal
    again = await say(service, "/digest now")
    assert again[1].destination == ToChat("telegram", "bot", "-100") and "Digest of Acme" in again[1].reply.plain_text
    assert await send_due_digests(storage, built, MONDAY_0900_MOSCOW) != [], "a failed ask takes no period"
