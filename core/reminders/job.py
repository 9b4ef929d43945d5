"""The reminder job: find founders due a nudge and queue one each to their private chat, at most once a local day.

The scheduler calls `send_due_reminders` every few minutes; relays deliver the outbox rows it writes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from core.app.ports import Storage, UnitOfWork
from core.board.team import can_change
from core.i18n import gettext_for
from core.interview.payloads import StartScript, encode
from core.messages import Choice, Reply, TextBuilder, ToChat
from core.reminders.ports import ReminderTarget
from core.reminders.rules import Pace, day_start, due_day, expected_by, week_start
from core.zones import zone_of

QUICK_SCRIPT = "quick"
"""The script the nudge's button starts: the 60-second log."""
BATCH = 50
"""Nudges queued per transaction: few commits, and the write lock never held long."""


@dataclass(frozen=True)
class Nudge:
    """A nudge ready to queue: for whom, on which of their local days, where and what."""

    member_id: int
    day: date
    destination: ToChat
    reply: Reply


async def send_due_reminders(storage: Storage, now: datetime) -> int:
    """Queue a nudge for every founder due one now; returns how many were queued.

    Who is due is read on a snapshot; the nudges are then queued a batch per transaction, each after recording the
    founder's local day, so a second process (or a second call) finds the day taken and queues nothing for it.
    """
    nudges = await storage.read(lambda view: due_nudges(view, now))
    queued = 0
    for first in range(0, len(nudges), BATCH):
        async with storage.transaction() as uow:
            for nudge in nudges[first : first + BATCH]:
                if await uow.reminders.mark_reminded(nudge.member_id, nudge.day, now):
                    await uow.outbox.enqueue(nudge.destination, [nudge.reply], now)
                    queued += 1
    return queued


async def due_nudges(uow: UnitOfWork, now: datetime) -> list[Nudge]:
    """The nudges due now: founders past their time, in daytime, not away, not reminded today, who have not
    logged an interview today, in teams behind their weekly pace."""
    logged: dict[int, list[tuple[int, datetime]]] = {}
    nudges = []
    for target in await uow.reminders.targets():
        zone = zone_of(target.settings.zone(target.team_timezone))
        day = due_day(target.settings, target.last_reminded, zone, now)
        destination = private_chat(target)
        if day is None or destination is None or not can_change(target.role):
            continue
        team_zone = zone_of(target.team_timezone)
        week, today = week_start(now, team_zone), day_start(day, zone)
        if target.team_id not in logged:  # once per team, back far enough for every founder's today
            since = min(week, now - timedelta(days=2))
            logged[target.team_id] = await uow.reminders.completed_since(target.team_id, since)
        done = logged[target.team_id]
        if any(member == target.member_id and at >= today for member, at in done):
            continue
        target_count, weekday = target.weekly_target, now.astimezone(team_zone).weekday()
        pace = Pace(sum(1 for _member, at in done if at >= week), target_count, expected_by(weekday, target_count))
        if pace.behind:
            nudges.append(Nudge(target.member_id, day, destination, nudge_reply(pace, target.lang, target.turn)))
    return nudges


def private_chat(target: ReminderTarget) -> ToChat | None:
    """The founder's private chat, read from their conversation's key ("platform:tenant:chat:user")."""
    prefix, suffix = f"{target.platform}:", f":{target.user}"
    key = target.conversation_key
    if not (key.startswith(prefix) and key.endswith(suffix)) or len(key) <= len(prefix) + len(suffix):
        return None
    tenant, sep, chat = key[len(prefix) : -len(suffix)].rpartition(":")
    return ToChat(target.platform, tenant, chat) if sep and chat else None


def nudge_reply(pace: Pace, lang: str, turn: int) -> Reply:
    """The nudge: the gap in numbers, a button that starts a quick log, and how to stop these."""
    _ = gettext_for(lang)
    text = (
        _("{done} of {target} interviews this week; {to_go} to go.").format(
            done=pace.done, target=pace.target, to_go=pace.to_go
        )
        + "\n"
        + _("Talked to a customer today? Log it in a minute.")
        + "\n"
        + _("(/away until DATE pauses these reminders, /remind off stops them.)")
    )
    button = Choice(_("Log a quick interview"), encode(turn, StartScript(QUICK_SCRIPT)))
    return Reply(TextBuilder().add(text).build(), ((button,),))
