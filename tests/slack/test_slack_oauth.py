"""Many workspaces through the OAuth install flow: each its own tenant, and an uninstall removes its tokens."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

from tests.slack.conftest import SlackBot


async def install(bot: SlackBot, team: str) -> None:
    """Add to Slack: the install link carries a state, the redirect brings the code back."""
    http = bot.client.http
    start = await http.get("/slack/install")
    assert start.status_code == 302, start.text
    state = parse_qs(urlparse(start.headers["Location"]).query)["state"][0]
    done = await http.get("/slack/oauth_redirect", params={"code": f"code-{team}", "state": state})
    assert done.status_code == 200, done.text


async def test_two_workspaces_never_see_each_other(oauth_bot: SlackBot) -> None:
    slack = oauth_bot.slack
    slack.add_workspace("T2", "Beta")
    await install(oauth_bot, "T1")
    await install(oauth_bot, "T2")
    alice, bob = slack.add_person("Alice", "T1"), slack.add_person("Bob", "T2")
    await oauth_bot.log_quick(alice, "Anna")
    response = await oauth_bot.client.command(bob, "status", channel="C2")
    assert response.status_code == 200
    board = await oauth_bot.next_in("C2", 0)
    assert "Beta · Customer Discovery" in board.plain and "in total: 0" in board.plain
    assert "Acme" not in board.plain and "Anna" not in board.plain
    assert {r.team for r in slack.requests if r.method == "chat.postMessage" and r.params["channel"] == "C2"} == {"T2"}
    # The same event id in two workspaces is two events.
    before = len(oauth_bot.dm(bob))
    await oauth_bot.client.says(alice, "hello", event_id="EvSAME")
    assert (await oauth_bot.client.says(bob, "hello", event_id="EvSAME")).status_code == 200
    await oauth_bot.next_in(bob.dm, before)
    await oauth_bot.settled()
    data = await oauth_bot.app.storage.export_data()
    teams = {team.slug: team for team in data.teams}
    assert set(teams) == {"slack-T1", "slack-T2"} and teams["slack-T2"].name == "Beta"
    assert [i.answers["alias"] for i in data.interviews] == ["Anna"]


async def test_an_uninstall_removes_the_workspace_tokens(oauth_bot: SlackBot) -> None:
    slack = oauth_bot.slack
    await install(oauth_bot, "T1")
    alice = slack.add_person("Alice", "T1")
    await oauth_bot.command(alice, "interview quick")
    installations = oauth_bot.runner.installations
    assert installations is not None and await installations.bot_token("T1") == slack.token
    uninstalled = await oauth_bot.client.event(alice, {"type": "app_uninstalled"})
    assert uninstalled.status_code == 200
    assert await installations.async_find_bot(enterprise_id=None, team_id="T1") is None
    assert await installations.bot_token("T1") is None
    slack.uninstall("T1")
    calls = len(slack.requests)
    await oauth_bot.client.says(alice, "Anna")
    await oauth_bot.settled()
    assert [r.method for r in slack.requests[calls:]] == [], "nothing is sent to a workspace that left"


async def test_revoked_bot_tokens_are_deleted(oauth_bot: SlackBot) -> None:
    await install(oauth_bot, "T1")
    alice = oauth_bot.slack.add_person("Alice", "T1")
    installations = oauth_bot.runner.installations
    assert installations is not None and await installations.bot_token("T1")
    revoked = await oauth_bot.client.event(alice, {"type": "tokens_revoked", "tokens": {"bot": ["UT1BOT"]}})
    assert revoked.status_code == 200
    assert await installations.async_find_bot(enterprise_id=None, team_id="T1") is None
    assert await installations.bot_token("T1") is None


async def test_events_after_the_first_do_not_ask_slack_who_the_bot_is(oauth_bot: SlackBot) -> None:
    slack = oauth_bot.slack
    await install(oauth_bot, "T1")
    alice = slack.add_person("Alice", "T1")
    await oauth_bot.log_quick(alice, "Anna")
    checks = len(slack.calls("auth.test"))
    await oauth_bot.log_quick(alice, "Boris")
    assert len(slack.calls("auth.test")) == checks, "a workspace's auth.test answer is kept, not asked per event"
    await oauth_bot.client.event(alice, {"type": "app_uninstalled"})
    slack.uninstall("T1")
    calls = len(slack.requests)
    await oauth_bot.client.says(alice, "Anna")
    await oauth_bot.settled()
    assert slack.requests[calls:] == [], "the kept answer does not outlive the workspace's tokens"
