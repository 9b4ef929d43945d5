"""The shared board commands, through the real service and storage (SQLite and PostgreSQL)."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from core.app.service import InterviewService
from core.messages import Ephemeral, ToChat
from storage.sql_storage import SqlStorage
from tests.fakes import FakeClock, event, mark_delivered

_events = 0


async def say(service: InterviewService, text: str, user: str = "alice", team: str = "acme") -> str:
    """Send one line as a founder of a team; the plain text of every reply."""
    global _events
    _events += 1
    incoming = event("console", "local", f"{team}/{user}", user, f"board-{_events}", text=text, user_name=user.title())
    messages = await service.handle(incoming, team=team)
    await mark_delivered(service.storage, messages)
    return "\n".join(m.reply.plain_text for m in messages)


DISCOVERY = [
    "/interview discovery",
    "{alias}",
    "Dental clinics",
    "Practice manager",
    "1",
    "yesterday",
    "a patient cancels",
    "refill the slot",
    "the chair is not idle",
    "1",
    "/done",
    "Last Tuesday she called 9 patients to refill one slot",
    "Re-booking patients by hand",
    "5",
    "1",
    "/done",
    "Phone and a paper diary",
    "/skip",
    "/done",
    "{link}",
    "{stance}",
    "/done",
    "/skip",
    "{commitment}",
]


async def discovery(
    service: InterviewService,
    alias: str,
    link: str = "1",
    stance: str = "1",
    commitment: str = "1",
    user: str = "alice",
    team: str = "acme",
) -> str:
    for line in DISCOVERY:
        await say(service, line.format(alias=alias, link=link, stance=stance, commitment=commitment), user, team)
    return await say(service, "1", user, team)  # save from the summary


async def test_hypothesis_add_show_status_and_pivot_history(service: InterviewService) -> None:
    assert "Added H1" in await say(service, "/hypothesis add vp Clinics lose hours re-booking patients | 8 of 10")
    assert "Added H2" in await say(service, "/hypothesis add cs Practice managers own scheduling")
    assert "Saved ✅" in await discovery(service, "Maria")
    shown = await say(service, "/hypothesis H1")
    assert "Clinics lose hours re-booking patients" in shown and "Success criterion: 8 of 10" in shown
    assert "Maria supports (medium)" in shown
    assert "H1 is now testing" in await say(service, "/hypothesis status H1 testing first interviews in")
    pivoted = await say(service, "/pivot H1 Clinics lose revenue from empty chairs | money matters more than time")
    assert "H1 is pivoted to H3" in pivoted
    history = await say(service, "/hypothesis H1")
    assert "Pivoted to H3" in history and "money matters more than time" in history and "first interviews in" in history
    assert "Pivoted from H1" in await say(service, "/hypothesis H3")
    listing = await say(service, "/hypotheses")
    assert "Value propositions" in listing and "Customer segments" in listing and "H3" in listing


async def test_status_shows_gate_pace_and_top_pain(service: InterviewService) -> None:
    await say(service, "/hypothesis add vp Clinics lose hours re-booking patients")
    for alias in ("Maria", "Ines", "Joao"):
        await discovery(service, alias, link="1")
    status = await say(service, "/status")
    assert "Customer Discovery" in status and "Do we understand the customer and the problem?" in status
    assert "3/15" in status
    assert "Re-booking patients by hand" in status and "(3 interviewees, 5.00/5)" in status
    assert "100% (3/3)" in status


async def test_phase_next_needs_the_gate_or_a_recorded_reason(service: InterviewService) -> None:
    await say(service, "/interview quick")
    refused = await say(service, "/phase next")
    assert "The gate has not passed" in refused
    moved = await say(service, "/phase next investor demo day forces us to test pricing")
    assert "Welcome to Customer Validation" in moved and "reason is recorded" in moved
    status = await say(service, "/status")
    assert "Customer Validation" in status and "investor demo day forces us to test pricing" in status
    assert "Will they pay?" in await say(service, "/phase")


async def test_manual_gate_items_are_ticked_by_the_team(service: InterviewService) -> None:
    await say(service, "/interview quick")
    await say(service, "/phase next skip to creation for the test")
    await say(service, "/phase next again")
    ticked = await say(service, "/phase tick scalable_channels")
    assert "✅ Scalable sales and marketing channels chosen and tested" in ticked
    assert "Tick one of" in await say(service, "/phase tick no_such_item")


async def test_mentor_reads_but_changes_nothing(service: InterviewService, storage: SqlStorage) -> None:
    await say(service, "/hypothesis add vp Clinics lose hours re-booking patients")
    await say(service, "/status", user="mia")  # joins as a founder
    assert "mia is now a mentor" in (await say(service, "/team role Mia mentor")).casefold()
    assert "Mentors can read the board" in await say(service, "/hypothesis add cs Someone else", user="mia")
    assert "Mentors can read the board" in await say(service, "/phase next because", user="mia")
    assert "Mentors can read the board" in await say(service, "/pivot H1 New idea here | why", user="mia")
    assert "not log interviews" in await say(service, "/interview quick", user="mia")
    assert "H1" in await say(service, "/hypotheses", user="mia")
    data = await storage.export_data("acme")
    assert [h.code for h in data.hypotheses] == ["H1"] and data.interviews == []


async def test_team_a_never_sees_team_b(service: InterviewService) -> None:
    await say(service, "/hypothesis add vp Secret hypothesis of team A", team="alpha")
    assert "Saved ✅" in await discovery(service, "Maria", team="alpha")
    other = await say(service, "/hypotheses", user="bob", team="beta")
    assert "Secret hypothesis" not in other and "None yet" in other
    assert "Maria" not in await say(service, "/interviews", user="bob", team="beta")
    assert "You are not in a team called alpha" in await say(service, "/team use alpha", user="bob", team="beta")


async def test_team_settings_and_funnel(service: InterviewService, clock: FakeClock) -> None:
    assert "Saved: target = 20" in await say(service, "/team set target 20")
    assert "Unknown timezone" in await say(service, "/team set timezone Mars/Base")
    await say(service, "/team set timezone Europe/Lisbon")
    team = await say(service, "/team")
    assert "Weekly target: 20" in team and "Europe/Lisbon" in team and "Alice" in team
    funnel = await say(service, "/funnel log contacted 40 dental clinics")
    assert "dental clinics: 40 → 0 (0%) → 0 → 0 → 0" in funnel
    clock.advance(timedelta(days=1))
    assert "Use /funnel log" in await say(service, "/funnel log called 3")


async def group_say(service: InterviewService, text: str, user: str, chat: str = "-100") -> str:
    global _events
    _events += 1
    incoming = event(
        "telegram", "bot", chat, user, f"group-{_events}", text=text, user_name=user.title(), is_group=True
    )
    messages = await service.handle(incoming)
    await mark_delivered(service.storage, messages)
    return "\n".join(m.reply.plain_text for m in messages)


async def private_say(service: InterviewService, text: str, user: str) -> str:
    global _events
    _events += 1
    incoming = event("telegram", "bot", user, user, f"tg-{_events}", text=text, user_name=user.title())
    messages = await service.handle(
        incoming, team=f"tg-{user}", invite_base="https://t.me/cusdev_bot?start=", team_name=f"{user}'s team"
    )
    await mark_delivered(service.storage, messages)
    return "\n".join(m.reply.plain_text for m in messages)


async def test_invite_link_lets_a_cofounder_join_the_team(service: InterviewService) -> None:
    assert "Your team: 1's team" in await private_say(service, "/start", "1")
    await private_say(service, "/hypothesis add vp Clinics lose hours re-booking patients", "1")
    invite = await private_say(service, "/invite", "1")
    link = invite.split("founders: ")[1].split()[0]
    assert link.startswith("https://t.me/cusdev_bot?start=join_")
    code = link.rsplit("=", 1)[1]
    assert "Welcome to 1's team" in await private_say(service, f"/start {code}", "2")
    assert "Clinics lose hours" in await private_say(service, "/hypotheses", "2")
    assert "not valid" in await private_say(service, "/start join_nonsense", "3")
    assert "Clinics lose hours" not in await private_say(service, "/hypotheses", "3")


async def test_group_shows_the_board_to_members_and_refuses_strangers(service: InterviewService) -> None:
    await private_say(service, "/start", "1")
    await private_say(service, "/hypothesis add vp Clinics lose hours re-booking patients", "1")
    assert "digest channel" in await group_say(service, "/digest_here", "1")
    assert "Clinics lose hours" in await group_say(service, "/hypotheses", "1")
    assert "Customer Discovery" in await group_say(service, "/status", "1")
    assert "only answer members" in await group_say(service, "/status", "99")
    assert "interviews run in a private chat" in await group_say(service, "/interview", "1")
    assert "interviews run in a private chat" in await group_say(service, "/hypothesis H1", "1")
    assert "Send /digest here in the group" in await private_say(service, "/digest_here", "1")


async def test_joining_and_switching_teams_after_talking_to_the_bot(service: InterviewService) -> None:
    await private_say(service, "/start", "1")
    await private_say(service, "/hypothesis add vp Team one hypothesis", "1")
    code = (await private_say(service, "/invite", "1")).split("start=join_")[1].split()[0]
    await private_say(service, "/start", "2")  # bob already has his own team
    await private_say(service, "/hypothesis add vp Team two hypothesis", "2")
    await private_say(service, "/quick", "2")
    busy = await private_say(service, f"/start join_{code}", "2")
    assert "Finish or /cancel your open interview" in busy and "/team use tg-1" in busy
    assert "Team two hypothesis" in await private_say(service, "/hypotheses", "2")
    await private_say(service, "/cancel", "2")
    await private_say(service, "yes", "2")
    assert "Now working in 1's team" in await private_say(service, "/team use tg-1", "2")
    assert "Team one hypothesis" in await private_say(service, "/hypotheses", "2")
    assert "Now working in 2's team" in await private_say(service, "/team use tg-2", "2")
    assert "Team two hypothesis" in await private_say(service, "/hypotheses", "2")


async def test_odd_numbers_in_commands_get_a_friendly_answer(service: InterviewService) -> None:
    assert "Latest interviews" in await say(service, "/interviews ²")
    assert "Use /funnel log" in await say(service, "/funnel log contacted ³")
    assert "Use /funnel log" in await say(service, "/funnel log contacted 99999999999999999999999")
    assert "whole number" in await say(service, "/team set target ²")


async def test_first_messages_of_a_new_founder_at_once_keep_one_state(service: InterviewService) -> None:
    incoming = [
        event("console", "local", "acme/zoe", "zoe", f"burst-{n}", text=text, user_name="Zoe")
        for n, text in enumerate(["/interview quick", "/status"])
    ]
    await asyncio.gather(*(service.handle(event, team="acme") for event in incoming))
    reply = await say(service, "Anna", user="zoe")
    assert "Which customer segment" in reply


async def test_a_platform_team_seats_a_newcomer_in_a_group_and_keeps_strangers_of_other_teams_out(
    service: InterviewService,
) -> None:
    """A Slack workspace is the team: its member's first command in a channel sees the board, nobody else's."""

    async def channel_say(text: str, user: str, team: str, chat: str) -> str:
        global _events
        _events += 1
        incoming = event("slack", team, chat, user, f"slack-{_events}", text=text, user_name=user, is_group=True)
        messages = await service.handle(incoming, team=f"slack-{team}", team_name=f"Workspace {team}")
        await mark_delivered(service.storage, messages)
        return "\n".join(m.reply.plain_text for m in messages)

    assert "Workspace T1 · Customer Discovery" in await channel_say("/status", "U1", "T1", "C1")
    assert "None yet" in await channel_say("/hypotheses", "U2", "T1", "C1")
    assert "digest channel" in await channel_say("/digest_here", "U1", "T1", "C1")
    assert "only answer members" in await group_say(service, "/status", "99", chat="C1")
    assert "Workspace T2 · Customer Discovery" in await channel_say("/status", "U3", "T2", "C2")


async def test_home_opened_publishes_the_dashboard_once_per_event(service: InterviewService) -> None:
    from core.messages import HomeOpened, HomeView, Incoming, Origin

    opened = Incoming(Origin("slack", "T1", "D1", "U1"), "slack:T1:event:Ev1", HomeOpened(), "ru-RU", "Ann")
    [message] = await service.handle(opened, team="slack-T1", team_name="Acme")
    assert message.destination == HomeView("slack", "T1", "U1")
    assert "Acme · Обнаружение клиента" in message.reply.plain_text and "Гипотезы" in message.reply.plain_text
    assert [c.payload for c in message.reply.flat_choices()] == ["/interview", "/quick"]
    assert await service.handle(opened, team="slack-T1", team_name="Acme") == []


async def test_a_refusal_in_a_group_goes_to_the_stranger_alone_and_the_board_to_the_group(
    service: InterviewService,
) -> None:
    await private_say(service, "/start", "1")
    await group_say(service, "/digest_here", "1")
    [board] = await service.handle(event("telegram", "bot", "-100", "1", "g-board", text="/status", is_group=True))
    [refusal] = await service.handle(event("telegram", "bot", "-100", "99", "g-refusal", text="/status", is_group=True))
    [elsewhere] = await service.handle(
        event("telegram", "bot", "-100", "1", "g-interview", text="/quick", is_group=True)
    )
    assert board.destination == ToChat("telegram", "bot", "-100") and not board.reply.personal
    assert refusal.destination == Ephemeral("telegram", "bot", "-100", "99") and refusal.reply.personal
    assert isinstance(elsewhere.destination, Ephemeral), "'interviews run in a private chat' is for the asker too"
