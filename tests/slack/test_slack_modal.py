"""`/cusdev quick` as a modal built from the quick script: errors next to fields, one interview when submitted."""

from __future__ import annotations

from tests.slack.conftest import SlackBot

VALUES = {
    "alias": "Anna & <co>",
    "segment": "Dental clinics",
    "pains.text": "Re-booking patients by hand every morning",
    "pains.severity": "4",
    "commitment_kind": "time",
    "quote": "",
}


async def opened(slack_bot: SlackBot, person_name: str = "Alice") -> tuple[object, dict]:  # type: ignore[type-arg]
    slack = slack_bot.slack
    alice = slack.add_person(person_name)
    response = await slack_bot.client.command(alice, "quick", channel="C100")
    assert response.status_code == 200 and response.text == ""
    [opened] = [v for v in slack.views if v["kind"] == "modal"]
    return alice, opened["view"]


async def test_the_modal_is_built_from_the_quick_script(slack_bot: SlackBot) -> None:
    _alice, view = await opened(slack_bot)
    assert view["title"]["text"] == "Quick log" and view["submit"]["text"] == "Save ✅"
    blocks = {b["block_id"]: b for b in view["blocks"]}
    assert list(blocks) == list(VALUES)
    assert blocks["alias"]["label"]["text"].startswith("Who did you talk to?") and not blocks["alias"]["optional"]
    assert blocks["quote"]["optional"] and blocks["quote"]["element"]["multiline"]
    severity = [o["value"] for o in blocks["pains.severity"]["element"]["options"]]
    assert severity == ["1", "2", "3", "4", "5"]
    kinds = [o["value"] for o in blocks["commitment_kind"]["element"]["options"]]
    assert kinds == ["none", "time", "reputation", "money"]


async def test_a_validation_error_shows_next_to_its_field_and_stores_nothing(slack_bot: SlackBot) -> None:
    alice, view = await opened(slack_bot)
    response = await slack_bot.client.submit(alice, view, {**VALUES, "segment": "   "})
    body = response.json()
    assert response.status_code == 200 and body["response_action"] == "errors"
    assert body["errors"] == {"segment": "Please fill this in."}
    assert (await slack_bot.app.storage.export_data()).interviews == []


async def test_a_submitted_modal_is_one_saved_interview(slack_bot: SlackBot) -> None:
    alice, view = await opened(slack_bot)
    response = await slack_bot.client.submit(alice, view, VALUES)
    assert response.status_code == 200 and response.text == ""
    saved = await slack_bot.next_in(alice.dm, 0)
    assert "Your interview with Anna & <co> is in." in saved.plain
    [interview] = (await slack_bot.app.storage.export_data()).interviews
    assert interview.status == "completed" and interview.answers["alias"] == "Anna & <co>"
    assert interview.record.pains[0].severity == 4 and [c.kind for c in interview.record.commitments] == ["time"]
    await slack_bot.slack.wait_for(lambda: [v for v in slack_bot.slack.views if v["kind"] == "home"])
