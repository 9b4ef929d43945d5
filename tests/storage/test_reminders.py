"""Opt-in reminders: the /remind and /away settings and the job that nudges founders behind the weekly target.

Run through the real service and storage (SQLite and PostgreSQL), with a fake clock for the chat and explicit
times for the job.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import update

from core.app.ports import OutboxMessage, Storage
from core.app.service import InterviewService, ServiceSettings
from core.messages import ToChat
from core.reminders.job import due_nudges, send_due_reminders
from core.scripts.catalog import builtin_scripts
from storage.sql_storage import SqlStorage
from storage.tables import Interview
from tests.fakes import CountingIds, FakeClock, event, mark_delivered
from tests.fakes.storage import InMemoryStorage
from tests.service_scenarios import QUICK

MONDAY = datetime(2026, 11, 30, 6, 0, tzinfo=UTC)
"""A Monday morning (09:00 in Moscow, 01:00 in New York)."""


@dataclass
class Founder:
    """A founder of team acme in their private console chat."""

    service: InterviewService
    user: str
    sent: int = 0
    seen: list[str] = field(default_factory=list)

    @property
    def chat(self) -> str:
        return f"acme/{self.user}"

    async def say(self, text: str = "", choice: str | None = None) -> str:
        """Type a line (or press a button); the plain text of the replies."""
        self.sent += 1
        incoming = event(
            "console", "local", self.chat, self.user, f"{self.user}-{self.sent}", text=text, choice=choice,
            user_name=self.user.title(),
        )  # fmt: skip
        messages = await self.service.handle(incoming, team="acme")
        await mark_delivered(self.service.storage, messages)
        return "\n".join(message.reply.plain_text for message in messages)

    async def log_quick(self) -> None:
        """Log a quick interview from start to save."""
        for line in QUICK:
            await self.say(line)


def chat_service(storage: Storage, start: datetime = MONDAY) -> tuple[InterviewService, FakeClock]:
    clock = FakeClock(start, step=timedelta(0))
    return InterviewService(storage, builtin_scripts(), clock, CountingIds(), ServiceSettings("acme", "USD")), clock


async def nudges(storage: Storage) -> list[OutboxMessage]:
    """Unsent reminder messages (everything the chat said was marked sent)."""
    return await storage.unsent("console")


async def test_remind_shows_the_defaults_and_takes_a_time_and_timezone(storage: SqlStorage) -> None:
    service, _clock = chat_service(storage)
    alice = Founder(service, "alice")
    shown = await alice.say("/remind")
    assert "Reminders are off" in shown and "18:00 UTC (your team has no timezone" in shown
    assert "/remind at HH:MM [timezone]" in shown and "/away until DATE" in shown
    await alice.say("/team set timezone Europe/Moscow")
    assert "18:00 Europe/Moscow (your team's timezone)" in await alice.say("/remind")
    on = await alice.say("/remind on")
    assert "Reminders are on: at 18:00 Europe/Moscow (your team's timezone)" in on
    lisbon = await alice.say("/remind at 18:30 europe/lisbon")
    assert "Reminders are on: at 18:30 Europe/Lisbon," in lisbon
    assert "Reminders are off. /remind on brings them back." in await alice.say("/remind off")
    assert "Reminders are off. /remind on nudges you at 18:30 Europe/Lisbon" in await alice.say("/remind")


async def test_bad_settings_say_what_to_do_and_change_nothing(storage: SqlStorage) -> None:
    service, _clock = chat_service(storage)
    alice = Founder(service, "alice")
    await alice.say("/remind at 17:00 Europe/Berlin")
    assert "25:00 is not a time of day; write it as HH:MM" in await alice.say("/remind at 25:00")
    assert "18:75 is not a time of day" in await alice.say("/remind at 18:75")
    night = await alice.say("/remind at 23:00")
    assert "I don't send reminders at night. Pick a time from 09:00 to 20:59" in night
    assert "Pick a time from 09:00" in await alice.say("/remind at 7:30")
    mars = await alice.say("/remind at 18:30 Mars/Base")
    assert "Unknown timezone Mars/Base; use a name like Europe/Lisbon" in mars
    assert "I did not get that." in await alice.say("/remind sometimes")
    assert "Reminders are on: at 17:00 Europe/Berlin," in await alice.say("/remind")
    assert "That day is not after today" in await alice.say("/away until yesterday")
    assert "That day is not after today" in await alice.say("/away until today")
    assert "I could not read that date" in await alice.say("/away until the cows come home")
    assert "You are away" not in await alice.say("/remind")


async def test_away_names_the_day_reminders_resume_and_away_off_ends_it(storage: SqlStorage) -> None:
    service, _clock = chat_service(storage)  # Monday 30 November 2026
    alice = Founder(service, "alice")
    await alice.say("/remind on")
    assert "no reminders until Fri, 4 Dec 2026; they resume that day" in await alice.say("/away until Friday")
    assert "no reminders until Sun, 20 Dec 2026" in await alice.say("/away until 20 December")
    assert "until Sat, 2 Jan 2027" in await alice.say("/away until 2 January")
    assert "You are away: no reminders until Sat, 2 Jan 2027" in await alice.say("/remind")
    assert "Welcome back! Reminders are on." in await alice.say("/away off")
    assert "You are away" not in await alice.say("/remind")


async def test_russian_founders_get_russian_replies_and_russian_dates(storage: SqlStorage) -> None:
    service, _clock = chat_service(storage)
    alice = Founder(service, "alice")
    await alice.say("/lang ru")
    assert "Напоминания выключены" in await alice.say("/remind")
    assert "пт, 4 декабря 2026" in await alice.say("/away до пятницы")
    assert "вс, 20 декабря 2026" in await alice.say("/away до 20 декабря")
    assert "Ночью я не напоминаю. Выберите время с 09:00 до 20:59" in await alice.say("/remind в 23:00")
    assert "Напоминания включены: в 18:30 Europe/Moscow," in await alice.say("/remind в 18:30 Europe/Moscow")
    assert "С возвращением! Напоминания включены." in await alice.say("/away off")
    assert await send_due_reminders(storage, MONDAY + timedelta(hours=9, minutes=30)) == 1
    [nudge] = await nudges(storage)
    assert "0 из 15 интервью на этой неделе; осталось 15." in nudge.reply.plain_text
    assert [button.label for button in nudge.reply.flat_choices()] == ["Быстро записать интервью"]


async def test_reminder_commands_are_private_and_for_founders(storage: SqlStorage) -> None:
    service, _clock = chat_service(storage)
    alice, mia = Founder(service, "alice"), Founder(service, "mia")
    await alice.say("/status")
    await mia.say("/status")
    await alice.say("/team role Mia mentor")
    assert "Reminders are for founders" in await mia.say("/remind on")
    group = event("console", "local", "acme-group", "alice", "g-1", text="/remind on", is_group=True)
    [refusal] = await service.handle(group, team="acme")
    assert "interviews run in a private chat" in refusal.reply.plain_text
    async with storage.transaction() as uow:
        assert [target.user for target in await uow.reminders.targets()] == []


async def setup_team(storage: Storage, target: int = 15) -> tuple[Founder, Founder, FakeClock]:
    """Alice in Moscow and Bob in New York, both reminded at 18:00 local, in a team with a weekly target."""
    service, clock = chat_service(storage)
    alice, bob = Founder(service, "alice"), Founder(service, "bob")
    await alice.say(f"/team set target {target}")
    await alice.say("/remind at 18:00 Europe/Moscow")
    await bob.say("/remind at 18:00 America/New_York")
    return alice, bob, clock


async def test_nudges_go_out_at_each_founders_own_evening(storage: SqlStorage) -> None:
    await setup_team(storage)
    assert await send_due_reminders(storage, MONDAY + timedelta(hours=8, minutes=59)) == 0  # 17:59 in Moscow
    assert await send_due_reminders(storage, MONDAY + timedelta(hours=9)) == 1  # 18:00 Moscow, 10:00 New York
    [nudge] = await nudges(storage)
    assert nudge.destination == ToChat("console", "local", "acme/alice")
    assert "0 of 15 interviews this week; 15 to go." in nudge.reply.plain_text
    await mark_delivered(storage, [nudge])
    assert await send_due_reminders(storage, MONDAY + timedelta(hours=16)) == 0  # 11:00 New York
    assert await send_due_reminders(storage, MONDAY + timedelta(hours=17)) == 1  # 18:00 New York, 02:00 Moscow
    [nudge] = await nudges(storage)
    assert nudge.destination == ToChat("console", "local", "acme/bob")


async def test_one_nudge_a_day_even_when_called_every_minute(storage: SqlStorage) -> None:
    await setup_team(storage)
    start = MONDAY + timedelta(hours=8, minutes=50)  # 17:50 in Moscow
    sent = [await send_due_reminders(storage, start + timedelta(minutes=n)) for n in range(0, 190)]
    assert sum(sent) == 1 and sent[10] == 1  # at 18:00 Moscow, and never again that day
    later = start + timedelta(minutes=60)
    assert await storage.read(lambda view: due_nudges(view, later)) == [], "nobody is due: the day is recorded"
    assert await send_due_reminders(storage, MONDAY + timedelta(days=1, hours=9)) == 1  # Tuesday evening
    assert len(await nudges(storage)) == 2


async def test_never_at_night(storage: SqlStorage) -> None:
    alice, _bob, _clock = await setup_team(storage)
    await alice.say("/remind at 20:30")
    late = MONDAY + timedelta(hours=12, minutes=5)  # 21:05 in Moscow: the job was down at 20:30
    assert [await send_due_reminders(storage, late + timedelta(minutes=20 * n)) for n in range(9)] == [0] * 9
    assert await send_due_reminders(storage, MONDAY + timedelta(hours=14, minutes=59)) == 0  # 23:59 in Moscow
    assert [target.conversation_key for target in await _targets(storage)]  # still on, just not at night
    assert await send_due_reminders(storage, MONDAY + timedelta(days=1, hours=11, minutes=30)) == 1  # Tuesday 20:30


async def _targets(storage: SqlStorage) -> list[object]:
    async with storage.transaction() as uow:
        return list(await uow.reminders.targets())


async def test_no_nudges_while_away(storage: SqlStorage) -> None:
    alice, bob, _clock = await setup_team(storage)
    await alice.say("/away until Wednesday")
    await bob.say("/remind off")
    assert await send_due_reminders(storage, MONDAY + timedelta(hours=9)) == 0  # Monday 18:00 Moscow
    assert await send_due_reminders(storage, MONDAY + timedelta(days=1, hours=9)) == 0  # Tuesday
    assert await send_due_reminders(storage, MONDAY + timedelta(days=2, hours=9)) == 1  # back on Wednesday


async def test_no_nudge_after_logging_today_nor_when_the_team_is_on_pace(storage: SqlStorage) -> None:
    alice, bob, clock = await setup_team(storage, target=15)
    clock.current = MONDAY + timedelta(hours=4)  # 07:00 in Moscow
    await alice.log_quick()
    evening = MONDAY + timedelta(hours=9)
    assert await send_due_reminders(storage, evening) == 0  # Alice logged one today
    bob_evening = MONDAY + timedelta(hours=17)  # 18:00 in New York
    assert await send_due_reminders(storage, bob_evening) == 1  # 1 of 15 is behind the 3 due by Monday
    [nudge] = await nudges(storage)
    assert "1 of 15 interviews this week; 14 to go." in nudge.reply.plain_text
    await alice.say("/team set target 7")  # 1 a day: one by Monday is on pace
    assert await send_due_reminders(storage, evening + timedelta(days=1)) == 1  # Tuesday: 1 of 2 expected
    await bob.log_quick()
    await alice.log_quick()  # both on Monday (the chat's clock stands still): 3 this week, 2 due by Tuesday
    assert await send_due_reminders(storage, bob_evening + timedelta(days=1)) == 0  # on pace: Bob is not nudged


async def test_two_processes_at_once_queue_one_nudge(storage: SqlStorage, db_url: str) -> None:
    await setup_team(storage)
    other = SqlStorage(db_url)
    try:
        now = MONDAY + timedelta(hours=9)
        counts = await asyncio.gather(*(send_due_reminders(s, now) for s in (storage, other, storage, other)))
    finally:
        await other.close()
    assert sorted(counts) == [0, 0, 0, 1]
    assert len(await nudges(storage)) == 1


async def test_the_nudge_button_starts_a_quick_interview(storage: SqlStorage) -> None:
    alice, _bob, _clock = await setup_team(storage)
    await alice.say("/status")  # the conversation moved on since the settings
    assert await send_due_reminders(storage, MONDAY + timedelta(hours=9)) == 1
    [nudge] = await nudges(storage)
    [button] = nudge.reply.flat_choices()
    assert button.label == "Log a quick interview"
    assert "Who did you talk to?" in await alice.say(choice=button.payload)
    for line in QUICK[1:]:
        await alice.say(line)
    data = await storage.export_data("acme")
    assert [(i.script, i.status, i.founder) for i in data.interviews] == [("quick", "completed", "Alice")]


async def reminders_played(storage: Storage) -> list[object]:
    """What founders and a relay observe through a week of reminders: settings replies, counts, nudges."""
    alice, bob, clock = await setup_team(storage, target=5)
    seen: list[object] = [await alice.say("/remind"), await bob.say("/away until Wednesday")]
    for day in range(4):
        for hour in (8, 9, 12, 17, 18, 23):
            seen.append(await send_due_reminders(storage, MONDAY + timedelta(days=day, hours=hour)))
        for nudge in await nudges(storage):
            seen.append((nudge.destination, nudge.reply.plain_text, [c.label for c in nudge.reply.flat_choices()]))
            await mark_delivered(storage, [nudge])
        if day == 1:
            clock.current = MONDAY + timedelta(days=2, hours=3)
            await alice.log_quick()
    async with storage.transaction() as uow:
        targets = await uow.reminders.targets()
        seen.append([(t.user, t.settings, t.last_reminded, t.lang) for t in targets])
        seen.append(len(await uow.reminders.completed_since(targets[0].team_id, MONDAY)))
    return seen


async def test_the_fake_reminds_as_sql_storage_does(storage: SqlStorage) -> None:
    assert await reminders_played(InMemoryStorage()) == await reminders_played(storage)


async def test_an_interview_without_a_completion_time_counts_from_when_it_started(storage: SqlStorage) -> None:
    """Imported interviews may carry no completion time: they count as the board counts them, by their start."""
    alice, _bob, clock = await setup_team(storage)
    clock.current = MONDAY + timedelta(hours=10)
    await alice.log_quick()
    async with storage.transaction() as uow:
        await uow.execute(update(Interview).values(completed_at=None))
        team = (await uow.reminders.targets())[0].team_id
        since_monday = await uow.reminders.completed_since(team, MONDAY)
        since_noon = await uow.reminders.completed_since(team, MONDAY + timedelta(hours=12))
    [(_member, started)] = since_monday
    assert MONDAY <= started <= MONDAY + timedelta(hours=10) and since_noon == []
