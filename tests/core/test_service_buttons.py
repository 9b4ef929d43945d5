"""Buttons the service adds around the interview: /start's ways in, the private-chat link from a group."""

from __future__ import annotations

from core.app.service import InterviewService
from core.messages import Reply
from tests.fakes import event
from tests.fakes.storage import InMemoryStorage
from tests.service_scenarios import service_over

LINK = "https://t.me/cusdev_bot?start="


async def said(service: InterviewService, n: int, text: str | None = None, choice: str | None = None) -> list[Reply]:
    incoming = event("telegram", "bot", "alice", "alice", f"e{n}", text=text, choice=choice, user_name="Alice")
    return [message.reply for message in await service.handle(incoming, invite_base=LINK)]


async def test_start_offers_log_an_interview_and_quick_log() -> None:
    service = service_over(InMemoryStorage())
    [welcome] = await said(service, 1, "/start")
    assert [choice.label for choice in welcome.flat_choices()] == ["Log an interview", "Quick log"]
    log_it, quick = welcome.flat_choices()
    [picker] = await said(service, 2, choice=log_it.payload)
    assert "Which interview?" in picker.plain_text
    [first] = await said(service, 3, choice=quick.payload)  # the welcome's other button still works
    assert "Who did you talk to?" in first.plain_text


async def test_interview_in_a_group_links_to_the_private_chat() -> None:
    service = service_over(InMemoryStorage())
    incoming = event("telegram", "bot", "-100", "alice", "g1", text="/interview", is_group=True)
    [reply] = [message.reply for message in await service.handle(incoming, invite_base=LINK)]
    assert "private chat" in reply.plain_text
    [link] = reply.flat_choices()
    assert link.url == f"{LINK}interview" and link.label == "Open a private chat with me"
