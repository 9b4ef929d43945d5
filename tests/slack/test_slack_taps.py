"""Buttons in Slack as on a phone: typed answers close old buttons, link buttons, paging in place, double taps."""

from __future__ import annotations

import copy

from core.app.ports import OutboxMessage
from core.messages import Choice, Reply, Span, ToChat
from tests.slack.conftest import SlackBot
from tests.slack.test_slack_e2e import QUICK


async def test_typing_an_answer_to_a_choice_question_closes_its_buttons(slack_bot: SlackBot) -> None:
    alice = slack_bot.slack.add_person("Alice")
    await slack_bot.command(alice, "interview quick")
    for answer in QUICK:
        severity = await slack_bot.said(alice, answer)
    assert severity.buttons() and "How badly" in severity.plain
    commit = await slack_bot.said(alice, "4")
    assert "Did they commit" in commit.plain and commit.buttons()
    await slack_bot.settled()
    assert not severity.buttons() and "How badly" in severity.plain, "the typed-past question lost its buttons"
    assert "→" not in severity.mrkdwn, "and shows no pressed answer"
    await slack_bot.press(alice, "No commitment")
    await slack_bot.settled()
    assert commit.mrkdwn.endswith("→ *No commitment*"), "a pressed message keeps its answer"


async def test_a_link_button_press_is_acknowledged_and_changes_nothing(slack_bot: SlackBot) -> None:
    slack = slack_bot.slack
    alice = slack.add_person("Alice")
    link = Choice("Open a private chat with me", "", url="https://slack.com/app_redirect?app=A1&team=T1")
    reply = Reply((Span("Interviews run in private"),), choices=((link,),))
    await slack_bot.runner.adapter.sender.send(OutboxMessage(1, ToChat("slack", "T1", "C100"), reply))
    [message] = slack.messages("C100")
    assert message.button("Open a private chat")["url"] == link.url
    requests = len(slack.requests)
    response = await slack_bot.client.press(alice, message, "Open a private chat")
    assert response.status_code == 200
    await slack_bot.settled()
    assert [r.method for r in slack.requests[requests:] if r.method != "auth.test"] == [], "no update, no reply"
    assert message.buttons() and not message.history
    data = await slack_bot.app.storage.export_data()
    assert data.teams == [] and data.interviews == []


async def test_next_and_previous_turn_the_hypotheses_message_in_place(slack_bot: SlackBot) -> None:
    alice = slack_bot.slack.add_person("Alice")
    for n in range(1, 11):
        await slack_bot.command(alice, f"hypothesis add vp Clinics lose hours re-booking, take {n}")
    response = await slack_bot.client.command(alice, "hypotheses", channel="C100")
    assert response.status_code == 200
    listing = await slack_bot.next_in("C100", 0)
    assert "Page 1 of 2" in listing.plain and "take 9" not in listing.plain and listing.ephemeral_to is None
    assert (await slack_bot.client.press(alice, listing, "Next ›")).status_code == 200
    await slack_bot.slack.wait_for(lambda: "Page 2 of 2" in listing.plain)
    assert "take 9" in listing.plain and [b["text"]["text"] for b in listing.buttons()] == ["‹ Previous"]
    assert (await slack_bot.client.press(alice, listing, "‹ Previous")).status_code == 200
    await slack_bot.slack.wait_for(lambda: "Page 1 of 2" in listing.plain)
    await slack_bot.settled()
    assert len(slack_bot.slack.messages("C100")) == 1, "the pages turn in the one message"


async def test_a_double_tapped_button_is_silent(slack_bot: SlackBot) -> None:
    alice = slack_bot.slack.add_person("Alice")
    await slack_bot.command(alice, "interview quick")
    for answer in QUICK:
        severity = await slack_bot.said(alice, answer)
    as_shown = copy.deepcopy(severity)  # the second tap carries the message as it was when tapped
    await slack_bot.press(alice, "4", message=severity)
    assert (await slack_bot.client.press(alice, as_shown, "4")).status_code == 200
    await slack_bot.settled()
    for label in ("No commitment", "Skip"):
        summary = await slack_bot.press(alice, label)
    as_shown = copy.deepcopy(summary)
    saved = await slack_bot.press(alice, "Save", message=summary)
    assert (await slack_bot.client.press(alice, as_shown, "Save")).status_code == 200
    await slack_bot.settled()
    texts = [m.plain for m in slack_bot.dm(alice)]
    assert sum(text.startswith("_Quick log · 4 of 5_") for text in texts) == 1
    assert not any("passed" in text for text in texts)
    assert texts[-1] == saved.plain and "Which interview?" not in texts[-1], "no picker nobody asked for"
    assert severity.mrkdwn.endswith("→ *4 · Serious problem*") and len(severity.history) == 1
    [interview] = (await slack_bot.app.storage.export_data()).interviews
    assert interview.status == "completed"


async def test_the_new_interview_buttons_work_in_slack(slack_bot: SlackBot) -> None:
    alice = slack_bot.slack.add_person("Alice")
    start = await slack_bot.command(alice, "start")
    picker = await slack_bot.press(alice, "Log an interview")
    assert not start.buttons() and "Which interview?" in picker.plain
    first = await slack_bot.press(alice, "Problem interview")
    paused = await slack_bot.press(alice, "Pause", message=first)
    assert "paused" in paused.plain and [b["text"]["text"] for b in paused.buttons()] == ["▶ Resume", "Cancel it"]
    resumed = await slack_bot.press(alice, "▶ Resume")
    assert "Who did you talk to?" in resumed.plain
    for answer in ("Anna", "Dental clinics", "Office manager"):
        reply = await slack_bot.said(alice, answer)
    reply = await slack_bot.press(alice, reply.buttons()[0]["text"]["text"])  # how they met
    assert "When" in reply.plain and [b["text"]["text"] for b in reply.buttons()][:2] == ["Today", "Yesterday"]
    jobs = await slack_bot.press(alice, "Yesterday")
    await slack_bot.settled()
    assert reply.mrkdwn.endswith("→ *Yesterday*") and "job" in jobs.plain.lower()
    quick = await slack_bot.command(alice, "start")
    assert [b["text"]["text"] for b in quick.buttons()] == ["Log an interview", "Quick log"]


async def test_the_coach_asks_before_replacing_and_pickers_offer_the_teams_answers(slack_bot: SlackBot) -> None:
    alice = slack_bot.slack.add_person("Alice")
    await slack_bot.command(alice, "interview quick")
    for answer in QUICK:
        await slack_bot.said(alice, answer)
    for label in ("4", "No commitment"):
        await slack_bot.press(alice, label)
    nudge = await slack_bot.said(alice, "They said they would definitely buy it")
    assert "hypothetical" in nudge.plain and nudge.buttons()
    ask = await slack_bot.said(alice, "Last Tuesday they re-booked 30 patients by hand")
    assert "Replace your answer" in ask.plain and "\n> Last Tuesday" in ask.mrkdwn, "a quote starts its own line"
    summary = await slack_bot.press(alice, "Use the new one")
    assert "Last Tuesday they re-booked" in summary.plain and "definitely buy" not in summary.plain
    await slack_bot.press(alice, "Save")
    await slack_bot.command(alice, "interview quick")
    segment = await slack_bot.said(alice, "Boris")
    assert [b["text"]["text"] for b in segment.buttons()][:2] == ["Dental clinics", "✏️ Something else"]
    pain = await slack_bot.press(alice, "Dental clinics")
    assert pain.button("Re-booking patients")
    await slack_bot.settled()
    assert segment.mrkdwn.endswith("→ *Dental clinics*")


async def test_a_strangers_press_on_a_channel_board_is_refused_to_them_and_leaves_the_board(
    slack_bot: SlackBot,
) -> None:
    alice = slack_bot.slack.add_person("Alice")
    for n in range(1, 10):
        await slack_bot.command(alice, f"hypothesis add vp Clinics lose hours re-booking, take {n}")
    await slack_bot.client.command(alice, "hypotheses", channel="C100")
    listing = await slack_bot.next_in("C100", 0)
    async with slack_bot.app.storage.transaction() as uow:  # the channel moves to another team's digest
        seat = await uow.teams.join_team("slack", "UXOTHER", "Olga", "elsewhere", "Elsewhere")
        await uow.teams.update_team(seat.team_id, digest_chat="slack:C100")
    bob = slack_bot.slack.add_person("Bob")
    assert (await slack_bot.client.press(bob, listing, "Next ›")).status_code == 200
    refusal = await slack_bot.next_in("C100", 0, ephemeral=True)
    await slack_bot.settled()
    assert refusal.ephemeral_to == bob.id and "only answer members" in refusal.plain
    assert listing.button("Next ›") and not listing.history, "the channel's board keeps its buttons"
