"""The real slack-bolt app on the ASGI app, signed requests in, the fake Slack Web API out, on real SQLite."""

from __future__ import annotations

import asyncio
import copy
import time
from typing import Any

import pytest

from tests.slack.conftest import SlackBot

QUICK = ("Anna", "Dental clinics", "Re-booking patients by hand every morning")


async def test_a_quick_interview_in_a_dm_with_buttons_and_text(slack_bot: SlackBot) -> None:
    alice = slack_bot.slack.add_person("Alice")
    first = await slack_bot.command(alice, "interview quick")
    assert "Who did you talk to?" in first.plain
    for answer in QUICK:
        reply = await slack_bot.said(alice, answer)
    assert "How badly does it hurt them?" in reply.plain
    severity = reply
    reply = await slack_bot.press(alice, "4")
    assert not severity.buttons() and severity.history, "the pressed message lost its buttons"
    assert severity.mrkdwn.endswith("→ *4 · Serious problem*") and "How badly" in severity.plain, "and shows the answer"
    assert "Did they commit" in reply.plain
    reply = await slack_bot.press(alice, "Meeting or free pilot")
    reply = await slack_bot.press(alice, "Skip")
    assert "Almost done" in reply.plain and "Anna" in reply.plain
    saved = await slack_bot.press(alice, "Save")
    assert "Your interview with Anna is in." in saved.plain
    data = await slack_bot.app.storage.export_data()
    [interview] = data.interviews
    assert interview.status == "completed" and interview.record.pains[0].severity == 4
    assert [team.slug for team in data.teams] == ["slack-T1"]


async def test_user_text_is_escaped_for_mrkdwn(slack_bot: SlackBot) -> None:
    alice = slack_bot.slack.add_person("Alice")
    await slack_bot.command(alice, "interview quick")
    await slack_bot.said(alice, "<b>Anna</b> & co <@U123>")
    reply = await slack_bot.said(alice, "Clinics")
    reply = await slack_bot.said(alice, "Chaos")
    for label in ("3", "No commitment", "Skip"):
        reply = await slack_bot.press(alice, label)
    assert "&lt;b&gt;Anna&lt;/b&gt; &amp; co &lt;@U123&gt;" in reply.mrkdwn
    assert "<b>" not in reply.mrkdwn and "<b>" not in reply.text
    data = await slack_bot.app.storage.export_data()
    assert data.interviews[0].answers["alias"] == "<b>Anna</b> & co <@U123>"


async def test_a_redelivered_event_has_no_second_effect(slack_bot: SlackBot) -> None:
    alice = await slack_bot.answer_then_redelivered("Anna")
    await slack_bot.settled()
    assert sum("Which customer segment" in m.plain for m in slack_bot.dm(alice)) == 1
    data = await slack_bot.app.storage.export_data()
    assert data.interviews[0].answers == {"alias": "Anna"}


async def test_bad_or_stale_signatures_get_401_and_change_nothing(slack_bot: SlackBot) -> None:
    alice = slack_bot.slack.add_person("Alice")
    forged = await slack_bot.client.command(alice, "quick", secret="not-the-secret")
    stale = await slack_bot.client.command(alice, "quick", timestamp=int(time.time()) - 600)
    event = await slack_bot.client.says(alice, "hello", secret="not-the-secret")
    assert forged.status_code == stale.status_code == event.status_code == 401
    await slack_bot.settled()
    assert slack_bot.slack.posted == []
    data = await slack_bot.app.storage.export_data()
    assert data.interviews == [] and data.teams == []


async def test_status_in_a_channel_is_for_the_channel_even_from_someone_new(slack_bot: SlackBot) -> None:
    bob = slack_bot.slack.add_person("Bob")  # never wrote to the app: the workspace is his team
    response = await slack_bot.client.command(bob, "status", channel="C100")
    assert response.status_code == 200 and response.text == ""
    board = await slack_bot.next_in("C100", 0)
    assert "Acme · Customer Discovery" in board.plain and board.ephemeral_to is None
    await slack_bot.client.command(bob, "hypotheses", channel="C100")
    hypotheses = await slack_bot.next_in("C100", 1)
    assert "Hypotheses" in hypotheses.plain


async def test_personal_commands_in_a_channel_answer_in_the_dm(slack_bot: SlackBot) -> None:
    alice = slack_bot.slack.add_person("Alice")
    response = await slack_bot.client.command(alice, "interview quick", channel="C100")
    assert response.status_code == 200 and "direct messages" in response.json()["text"]
    assert response.json()["response_type"] == "ephemeral"
    first = await slack_bot.next_in(alice.dm, 0)
    assert "Who did you talk to?" in first.plain
    await slack_bot.settled()
    assert slack_bot.slack.messages("C100") == []


async def test_unknown_subcommand_gets_help(slack_bot: SlackBot) -> None:
    alice = slack_bot.slack.add_person("Alice")
    reply = await slack_bot.command(alice, "frobnicate")
    assert "interview" in reply.plain.lower()
    assert "don't know" not in reply.plain


async def test_bot_messages_edits_and_files_never_crash(slack_bot: SlackBot) -> None:
    alice = slack_bot.slack.add_person("Alice")
    await slack_bot.command(alice, "interview quick")
    client = slack_bot.client
    bot_echo = client.im_message(alice, "echo", bot_id="BT1", subtype="bot_message")
    assert (await client.event(alice, bot_echo)).status_code == 200
    own_edit = client.im_message(alice, "", subtype="message_changed", message={"bot_id": "BT1", "text": "x"})
    assert (await client.event(alice, own_edit)).status_code == 200
    before = len(slack_bot.dm(alice))
    edit = client.im_message(alice, "", subtype="message_changed", message={"user": alice.id, "text": "Anya"})
    assert (await client.event(alice, edit)).status_code == 200
    note = await slack_bot.next_in(alice.dm, before)
    assert "doesn't change a saved answer" in note.plain
    upload = client.im_message(alice, "", subtype="file_share", files=[{"id": "F1"}])
    assert (await client.event(alice, upload)).status_code == 200
    note = await slack_bot.next_in(alice.dm, before + 1)
    assert "only read text" in note.plain
    unknown = {"type": "reaction_added", "user": alice.id, "reaction": "tada"}
    assert (await client.event(alice, unknown)).status_code == 200
    data = await slack_bot.app.storage.export_data()
    assert data.interviews[0].answers == {}


async def test_invite_explains_that_the_workspace_is_the_team(slack_bot: SlackBot) -> None:
    alice = slack_bot.slack.add_person("Alice")
    response = await slack_bot.client.command(alice, "invite", channel="C100")
    body = response.json()
    assert body["response_type"] == "ephemeral" and "Everyone in this Slack workspace is on Acme" in body["text"]


async def test_help_and_screens_name_commands_the_slack_way(slack_bot: SlackBot) -> None:
    alice = slack_bot.slack.add_person("Alice", locale="ru-RU")
    reply = await slack_bot.command(alice, "help")
    assert "/cusdev interview" in reply.plain and "\n/interview" not in reply.plain
    assert "\n/cusdev invite — " in reply.plain and "mentor|new" not in reply.plain, "Slack's invite makes no links"
    assert "интервью" in reply.plain, "the language comes from the Slack locale"


async def test_app_home_is_the_dashboard_and_refreshes_after_a_saved_interview(slack_bot: SlackBot) -> None:
    slack = slack_bot.slack
    alice = slack.add_person("Alice")
    assert (await slack_bot.client.home_opened(alice)).status_code == 200
    [home] = await slack.wait_for(lambda: [v for v in slack.views if v["kind"] == "home" and v["user"] == alice.id])
    blocks = home["view"]["blocks"]
    text = "\n".join(b["text"]["text"] for b in blocks if b["type"] == "section")
    assert "Acme · Customer Discovery" in text and "Interviews this week: 0 (target 15)" in text
    assert "Hypotheses" in text
    assert (await slack_bot.client.press_home(alice, home["view"], "A 60-second log")).status_code == 200
    [modal] = [v for v in slack.views if v["kind"] == "modal"]
    assert modal["view"]["title"]["text"] == "Quick log", "the quick log opens as a form, as /cusdev quick does"
    assert (await slack_bot.client.press_home(alice, home["view"], "Log a customer interview")).status_code == 200
    first = await slack_bot.next_in(alice.dm, 0)
    assert "Which interview?" in first.plain and "Quick log" in first.plain
    first = await slack_bot.command(alice, "interview quick")
    assert "Who did you talk to?" in first.plain
    for answer in QUICK:
        await slack_bot.said(alice, answer)
    for label in ("4", "No commitment", "Skip"):
        await slack_bot.press(alice, label)
    await slack_bot.press(alice, "Save")
    refreshed = await slack.wait_for(
        lambda: [v for v in slack.views if v["kind"] == "home" and v["user"] == alice.id][1:]
    )
    text = "\n".join(b["text"]["text"] for b in refreshed[0]["view"]["blocks"] if b["type"] == "section")
    assert "Interviews this week: 1 (target 15)" in text
    assert len([v for v in slack.views if v["kind"] == "home"]) == 2, "answers that save nothing do not republish it"


async def test_slow_work_is_acknowledged_in_time_and_finishes_after(
    slack_bot: SlackBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    import bot.slack.adapter as adapter_module

    service = slack_bot.runner.adapter.service
    real = service.handle

    async def slow(*args: Any, **kwargs: Any) -> Any:
        await asyncio.sleep(1.0)
        return await real(*args, **kwargs)

    monkeypatch.setattr(adapter_module, "ACK_BUDGET", 0.2)
    monkeypatch.setattr(service, "handle", slow)
    alice = slack_bot.slack.add_person("Alice")
    started = time.perf_counter()
    response = await slack_bot.client.command(alice, "interview quick")
    assert response.status_code == 200 and time.perf_counter() - started < 0.8
    first = await slack_bot.next_in(alice.dm, 0)
    assert "Who did you talk to?" in first.plain


async def test_a_thread_reply_in_the_dm_is_an_answer(slack_bot: SlackBot) -> None:
    alice = slack_bot.slack.add_person("Alice")
    question = await slack_bot.command(alice, "interview quick")
    threaded = slack_bot.client.im_message(alice, "Anna", thread_ts=question.ts)
    assert (await slack_bot.client.event(alice, threaded)).status_code == 200
    reply = await slack_bot.next_in(alice.dm, 1)
    assert "Which customer segment" in reply.plain


async def test_a_stale_press_changes_nothing_and_does_not_show_as_an_answer(slack_bot: SlackBot) -> None:
    alice = slack_bot.slack.add_person("Alice")
    await slack_bot.command(alice, "interview quick")
    for answer in QUICK[:2]:
        await slack_bot.said(alice, answer)
    severity = await slack_bot.said(alice, "Chaos")
    as_shown = copy.deepcopy(severity)  # a phone that has not caught up still shows the buttons
    await slack_bot.said(alice, "5")  # typed: the buttons close
    stale = await slack_bot.press(alice, "1", message=as_shown)
    assert "question that has passed" in stale.plain and "Did they commit" in stale.plain
    await slack_bot.settled()
    assert not severity.buttons() and "→" not in severity.mrkdwn
    data = await slack_bot.app.storage.export_data()
    assert data.interviews[0].answers["pains"] == [{"text": "Chaos", "severity": 5}]


async def test_status_in_a_dm_between_people_answers_in_the_apps_dm(slack_bot: SlackBot) -> None:
    alice = slack_bot.slack.add_person("Alice")
    response = await slack_bot.client.command(alice, "status", channel="DOTHER")
    assert response.json()["response_type"] == "ephemeral"
    board = await slack_bot.next_in(alice.dm, 0)
    assert "Acme · Customer Discovery" in board.plain and slack_bot.slack.messages("DOTHER") == []


async def test_a_failed_command_says_so_only_to_its_sender(
    slack_bot: SlackBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("database away")

    monkeypatch.setattr(slack_bot.runner.adapter.service, "handle", broken)
    alice = slack_bot.slack.add_person("Alice")
    response = await slack_bot.client.command(alice, "status", channel="C100")
    body = response.json()
    assert body["response_type"] == "ephemeral" and "nothing was saved" in body["text"]
    assert slack_bot.slack.messages("C100") == []


async def test_without_a_dm_an_interview_never_runs_in_the_channel(slack_bot: SlackBot) -> None:
    slack = slack_bot.slack
    alice = slack.add_person("Alice")
    slack.fail("conversations.open", "missing_scope")
    response = await slack_bot.client.command(alice, "interview quick", channel="C100")
    body = response.json()
    assert body["response_type"] == "ephemeral" and "couldn't open a direct message" in body["text"]
    await slack_bot.settled()
    assert slack.messages("C100") == [] and (await slack_bot.app.storage.export_data()).interviews == []


async def test_a_refusal_in_a_channel_is_shown_only_to_the_stranger(slack_bot: SlackBot) -> None:
    async with slack_bot.app.storage.transaction() as uow:  # the channel is another team's digest channel
        seat = await uow.teams.join_team("slack", "UXOTHER", "Olga", "elsewhere", "Elsewhere")
        await uow.teams.update_team(seat.team_id, digest_chat="slack:C100")
    bob = slack_bot.slack.add_person("Bob")
    response = await slack_bot.client.command(bob, "status", channel="C100")
    assert response.status_code == 200
    refusal = await slack_bot.next_in("C100", 0, ephemeral=True)
    assert "only answer members" in refusal.plain and refusal.ephemeral_to == bob.id
    await slack_bot.settled()
    assert slack_bot.slack.messages("C100") == [], "nothing for the whole channel"
