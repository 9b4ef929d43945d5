"""The digest on Slack: `/cusdev digest here` in a channel, `digest now`, the schedule; the text as Block Kit in the
channel and the chart as a PNG shared with files_upload_v2 (retried after a 429), through the fake Web API."""

from __future__ import annotations

from datetime import timedelta

from core.app.digests import send_due_digests
from core.board.digest_schedule import latest_run, schedule_of
from tests.metrics_support import value
from tests.png_support import png_size
from tests.slack.conftest import SlackBot

PAIN = "Re-booking patients by hand every morning"


async def test_digest_here_then_now_posts_the_digest_and_its_chart_in_the_channel(slack_bot: SlackBot) -> None:
    slack = slack_bot.slack
    alice = slack.add_person("Alice")
    assert (await slack_bot.client.command(alice, "digest here", channel="C1")).status_code == 200
    here = await slack_bot.next_in("C1", 0)
    assert "digest channel" in here.mrkdwn and "every Monday at 09:00 (UTC)" in here.mrkdwn
    await slack_bot.log_quick(alice, pain=PAIN)
    slack.rate_limit("files.getUploadURLExternal", retry_after=1)  # Slack is busy: the chart is retried, not lost
    before = len(slack_bot.dm(alice))
    assert (await slack_bot.client.command(alice, "digest now")).status_code == 200
    assert "Sending the digest" in (await slack_bot.next_in(alice.dm, before)).mrkdwn
    digest = await slack_bot.next_in("C1", 1)
    assert "Acme" in digest.mrkdwn
    [shared] = await slack.wait_for(lambda: slack.shared, timeout=15)
    assert shared.channel == "C1" and shared.team == "T1" and shared.title
    width, height = png_size(shared.content)
    assert width >= 600 and height > width / 2, "a chart sized for a phone"
    assert [r.error for r in slack.calls("files.getUploadURLExternal")] == ["ratelimited", None]
    http = slack_bot.client.http
    assert http is not None
    page = (await http.get("/metrics")).text
    assert value(page, "cusdev_digests_sent_total", platform="slack", kind="now") == 1


async def test_the_scheduled_digest_goes_to_the_channel_once(slack_bot: SlackBot) -> None:
    slack, app = slack_bot.slack, slack_bot.app
    alice = slack.add_person("Alice")
    await slack_bot.client.command(alice, "digest here", channel="C1")
    await slack_bot.next_in("C1", 0)
    await slack_bot.log_quick(alice, pain=PAIN)
    [team] = await app.storage.read(lambda view: view.teams.digest_teams())
    run = latest_run(schedule_of(team), app.clock.now() + timedelta(days=7))
    assert run is not None
    build = app.service.digest_builder
    assert build is not None
    sent = await send_due_digests(app.storage, build, run + timedelta(minutes=1))
    again = await send_due_digests(app.storage, build, run + timedelta(minutes=2))
    assert len(sent) == 1 and again == []
    slack_bot.runner.relay.poke()
    digest = await slack_bot.next_in("C1", 1)
    assert "Acme" in digest.mrkdwn
    await slack.wait_for(lambda: slack.shared)
    await slack_bot.settled()
    assert len(slack.messages("C1")) == 2 and len(slack.shared) == 1
