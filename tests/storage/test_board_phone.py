"""Chat UX on a phone, through the real service and storage: clear refusals, teammates told, long lists paged."""

from __future__ import annotations

import itertools

from core.app.ports import OutboxMessage
from core.app.service import InterviewService
from core.messages import ChoicePressed, Ephemeral, Incoming, Origin, ToChat, ToUser, UpdatePressed
from storage.sql_storage import SqlStorage
from tests.fakes import event, mark_delivered
from tests.storage.test_board_commands import discovery, say

_ids = itertools.count()
NAMES = {"1": "Ann", "2": "Boris", "3": "Chen"}


async def tg(service: InterviewService, text: str, user: str, chat: str | None = None) -> list[OutboxMessage]:
    """One Telegram message from a founder (or, with `chat`, in a group); every message it put in the outbox."""
    incoming = event(
        "telegram", "bot", chat or user, user, f"phone-{next(_ids)}", text=text, user_name=NAMES[user],
        is_group=chat is not None,
    )  # fmt: skip
    messages = await service.handle(
        incoming, team=f"tg-{user}", invite_base="https://t.me/cusdev_bot?start=", team_name=f"{NAMES[user]}'s team"
    )
    await mark_delivered(service.storage, messages)
    return messages


def to(messages: list[OutboxMessage], destination: ToUser | ToChat) -> list[str]:
    """The texts of the messages that go to one destination."""
    return [message.reply.plain_text for message in messages if message.destination == destination]


async def joined(service: InterviewService) -> None:
    """Ann has a team; Boris joins it through her invite link."""
    await tg(service, "/start", "1")
    [invite] = await tg(service, "/invite", "1")
    code = invite.reply.plain_text.split("start=")[1].split()[0]
    await tg(service, f"/start {code}", "2")


async def test_an_unknown_block_is_refused_with_the_blocks(service: InterviewService, storage: SqlStorage) -> None:
    refused = await say(service, "/hypothesis add revenu Clinics pay per chair every month")
    assert "There is no canvas block “revenu”" in refused
    assert "rs (Revenue streams)" in refused and "cs (Customer segments)" in refused
    assert "/hypothesis add - <statement>" in refused
    assert "There is no canvas block “value_prop”" in await say(service, "/hypothesis add value_prop: Clinics pay")
    assert "Added H1" in await say(service, "/hypothesis add - customer support teams lose tickets")
    assert "Added H2" in await say(service, "/hypothesis add rs: Clinics pay per chair every month")
    await say(service, "/lang ru")
    russian = await say(service, "/hypothesis add сегмнты Клиники теряют пациентов")
    assert "сегмнты" in russian and "cs (Сегменты клиентов)" in russian and "rs (Потоки доходов)" in russian
    assert "H3" in await say(service, "/hypothesis add сегменты Стоматологии с тремя креслами")
    assert "H4" in await say(service, "/hypothesis add клиент готов платить за напоминания")  # a word, not a typo
    assert "H5" in await say(service, "/hypothesis add costly re-bookings eat a day a week")
    data = await storage.export_data("acme")
    assert [(h.code, h.block) for h in data.hypotheses] == [
        ("H1", None),
        ("H2", "revenue_streams"),
        ("H3", "customer_segments"),
        ("H4", None),
        ("H5", None),
    ]
    assert data.hypotheses[0].statement == "customer support teams lose tickets"


async def test_team_role_for_someone_not_in_the_team_says_so(service: InterviewService) -> None:
    await say(service, "/status")
    await say(service, "/status", user="mia")
    refused = await say(service, "/team role Zed mentor")
    assert "There is no member called Zed in the team. Members: Alice, Mia." in refused
    assert "founder" in await say(service, "/team")


async def test_funnel_log_lists_its_steps_and_matches_the_teams_segments(service: InterviewService) -> None:
    refused = await say(service, "/funnel log visited 3")
    assert "contacted, paid" in refused and "counted from interviews" in refused
    await say(service, "/hypothesis add vp Clinics lose hours re-booking patients")
    assert "Saved ✅" in await discovery(service, "Maria")
    matched = await say(service, "/funnel log contacted 40 dental clinic")
    assert "Counted for the team's segment “Dental clinics”." in matched
    assert "Dental clinics: 40 → 1 (2%)" in matched and "dental clinic:" not in matched
    new = await say(service, "/funnel log contacted 5 Vets")
    assert "“Vets” is a new segment. The team's segments so far: Dental clinics." in new
    same = await say(service, "/funnel log paid 1 DENTAL CLINICS")
    assert "new segment" not in same and "Counted for" not in same
    await say(service, "/lang ru")
    russian = await say(service, "/funnel log звонили 3")
    assert "contacted (контакт), paid (оплата)" in russian
    assert "Dental clinics: 40 → 1 (2%) → 0 (0%) → 0 → 1" in await say(service, "/funnel log оплата 0 Dental clinics")


async def test_the_owner_is_told_when_a_cofounder_joins(service: InterviewService) -> None:
    await tg(service, "/start", "1")
    [invite] = await tg(service, "/invite", "1")
    code = invite.reply.plain_text.split("start=")[1].split()[0]
    messages = await tg(service, f"/start {code}", "2")
    assert any("Welcome to Ann's team" in text for text in to(messages, ToChat("telegram", "bot", "2")))
    assert to(messages, ToUser("telegram", "bot", "1")) == [
        "Boris joined Ann's team through your invite link. /team shows everyone."
    ]
    again = await tg(service, f"/start {code}", "2")
    assert to(again, ToUser("telegram", "bot", "1")) == []  # already in: nobody is told twice


async def test_a_member_is_told_when_their_role_changes(service: InterviewService) -> None:
    await joined(service)
    messages = await tg(service, "/team role Boris mentor", "1")
    assert to(messages, ToUser("telegram", "bot", "2")) == [
        "Ann changed your role in Ann's team: you are now a mentor (read-only)."
    ]
    assert "Boris is now a mentor" in to(messages, ToChat("telegram", "bot", "1"))[0]
    same = await tg(service, "/team role Boris mentor", "1")
    assert to(same, ToUser("telegram", "bot", "2")) == []
    await tg(service, "/team set language ru", "1")
    russian = await tg(service, "/team role Boris founder", "1")
    assert to(russian, ToUser("telegram", "bot", "2")) == [
        "Ваша роль в команде «Ann's team» теперь — основатель (изменение: Ann)."
    ]


async def test_the_digest_chat_is_told_when_the_phase_changes(service: InterviewService) -> None:
    await joined(service)
    group = ToChat("telegram", "bot", "-100")
    quiet = await tg(service, "/phase next we have paying pilots already", "1")
    assert to(quiet, group) == []  # no digest chat yet: nobody else to tell
    await tg(service, "/digest_here", "1", chat="-100")
    moved = await tg(service, "/phase next the pilots pay, time to scale", "2")
    assert to(moved, group) == [
        "Boris moved Ann's team to Customer Creation. "
        "The gate had not passed; the reason: the pilots pay, time to scale"
    ]
    assert "reason is recorded and shown in digests" in to(moved, ToChat("telegram", "bot", "2"))[0]


async def press(service: InterviewService, payload: str, user: str, chat: str | None = None) -> list[OutboxMessage]:
    """A founder presses a button with this payload on message 77 (in a group with `chat`)."""
    origin = Origin("telegram", "bot", chat or user, user, chat_kind="group" if chat else "private")
    incoming = Incoming(origin, f"phone-{next(_ids)}", ChoicePressed(payload, "77"), None, NAMES[user])
    messages = await service.handle(incoming, team=f"tg-{user}")
    await mark_delivered(service.storage, messages)
    return messages


async def test_hypotheses_page_with_buttons_that_turn_the_same_message(service: InterviewService) -> None:
    await tg(service, "/start", "1")
    for n in range(1, 21):
        await tg(service, f"/hypothesis add vp Clinics lose hours re-booking patients, take {n}", "1")
    [first] = await tg(service, "/hypotheses", "1")
    assert "Page 1 of 3" in first.reply.plain_text and "take 8" in first.reply.plain_text
    assert "take 9" not in first.reply.plain_text
    [following] = first.reply.actions
    [second] = await press(service, following.payload, "1")
    assert second.destination == UpdatePressed("telegram", "bot", "1", "77")
    assert "Page 2 of 3" in second.reply.plain_text and "take 9" in second.reply.plain_text
    assert [button.label for button in second.reply.actions] == ["‹ Previous", "Next ›"]
    assert "Page 3 of 3" in (await tg(service, "/hypotheses 3", "1"))[0].reply.plain_text
    await tg(service, "/digest_here", "1", chat="-100")
    [in_group] = await press(service, following.payload, "1", chat="-100")
    assert in_group.destination == UpdatePressed("telegram", "bot", "-100", "77")
    assert "Page 2 of 3" in in_group.reply.plain_text


def link_of(messages: list[OutboxMessage]) -> str:
    """The deep-link payload in an /invite reply."""
    return messages[0].reply.plain_text.split("start=")[1].split()[0]


async def test_a_mentor_invite_makes_a_mentor_and_tells_the_owner(service: InterviewService) -> None:
    await joined(service)
    founder_link, mentor_link = (
        link_of(await tg(service, "/invite", "1")),
        link_of(await tg(service, "/invite mentor", "1")),
    )
    assert mentor_link.startswith("mentor_") and founder_link.removeprefix("join_") not in mentor_link
    messages = await tg(service, f"/start {mentor_link}", "3")
    assert "You are in as a mentor" in to(messages, ToChat("telegram", "bot", "3"))[0]
    assert to(messages, ToUser("telegram", "bot", "1")) == [
        "Chen joined Ann's team as a mentor through your invite link. /team shows everyone."
    ]
    team = (await tg(service, "/team", "1"))[0].reply.plain_text
    assert "Chen — mentor (read-only)" in team and "Boris — founder" in team
    assert (
        "Mentors can read the board"
        in (await tg(service, "/hypothesis add vp A mentor's idea", "3"))[0].reply.plain_text
    )
    await tg(service, f"/start {mentor_link}", "2")  # a founder already in keeps being a founder
    assert "Boris — founder" in (await tg(service, "/team", "1"))[0].reply.plain_text
    forged = mentor_link[:-1] + ("A" if mentor_link[-1] != "A" else "B")
    for bad in (forged, "mentor_999-AAAAAAAAAAAAAAAA", "mentor_x"):
        assert "not valid" in (await tg(service, f"/start {bad}", "3"))[0].reply.plain_text


async def test_the_invite_link_can_be_rotated_and_old_links_stop_working(service: InterviewService) -> None:
    await tg(service, "/start", "1")
    old_founder, old_mentor = (
        link_of(await tg(service, "/invite", "1")),
        link_of(await tg(service, "/invite mentor", "1")),
    )
    rotated = await tg(service, "/invite new", "1")
    assert "the old links (for mentors too) no longer work" in rotated[0].reply.plain_text
    new_founder = link_of(rotated)
    assert new_founder != old_founder and link_of(await tg(service, "/invite", "1")) == new_founder
    assert link_of(await tg(service, "/invite mentor", "1")) != old_mentor
    for old in (old_founder, old_mentor):
        assert "not valid" in (await tg(service, f"/start {old}", "2"))[0].reply.plain_text
    assert "Welcome to Ann's team" in (await tg(service, f"/start {new_founder}", "2"))[0].reply.plain_text
    assert "/invite mentor" in (await tg(service, "/invite please", "1"))[0].reply.plain_text
    assert "Mentors can read" not in (await tg(service, "/invite new", "2"))[0].reply.plain_text


async def test_a_mentors_digest_here_in_a_group_is_refused_to_them_alone(service: InterviewService) -> None:
    await joined(service)
    await tg(service, "/team role Boris mentor", "1")
    [refused] = await tg(service, "/digest_here", "2", chat="-100")
    assert (
        refused.destination == Ephemeral("telegram", "bot", "-100", "2")
        and "Mentors can read" in refused.reply.plain_text
    )
    [linked] = await tg(service, "/digest_here", "1", chat="-100")
    assert linked.destination == ToChat("telegram", "bot", "-100"), "what the group should see goes to the group"
