"""Core Replies as Block Kit: escaping, Slack's section and block limits, buttons, the plain fallback."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.slack.render import (
    MAX_BLOCKS,
    MAX_SECTION,
    escape,
    home_view,
    mrkdwn_lines,
    pressed_blocks,
    render,
)
from bot.slack.translate import plain_text, subcommand
from core.messages import Bullets, Choice, Divider, Fields, Heading, Paragraph, Reply, Span
from tests.fake_slack.limits import block_problem


def test_user_text_is_escaped_in_blocks_and_in_the_fallback() -> None:
    reply = Reply((Span("Answer: "), Span("<b>Anna</b> & <!channel>", "bold")))
    [message] = render(reply)
    text = message.blocks[0]["text"]["text"]
    assert text == "Answer: *&lt;b&gt;Anna&lt;/b&gt; &amp; &lt;!channel&gt;*"
    assert message.text == "Answer: &lt;b&gt;Anna&lt;/b&gt; &amp; &lt;!channel&gt;"


def test_styles_wrap_only_visible_text_within_each_line() -> None:
    lines = mrkdwn_lines([Span(" two\nlines ", "bold"), Span("  ", "italic"), Span("q", "quote")])
    assert lines == [" *two*", "*lines*   ", "> q"], "a quote starts its own line (mid-line, Slack shows the >)"


def test_a_long_paragraph_splits_into_sections_under_3000_characters() -> None:
    story = ("Scheduling is chaos & pain; " * 400).strip()
    [message] = render(Reply((Span(story),)))
    sections = [b for b in message.blocks if b["type"] == "section"]
    assert len(sections) > 1 and all(len(b["text"]["text"]) <= MAX_SECTION for b in sections)
    joined = "".join(b["text"]["text"] for b in sections)
    assert joined.replace("&amp;", "&") == story.replace("\n", "")
    assert block_problem(message.blocks) is None


def test_more_than_50_blocks_become_several_messages_with_buttons_last() -> None:
    blocks = tuple(Paragraph((Span(f"Item {n}"),)) for n in range(120))
    reply = Reply(blocks=(*blocks, Divider()), choices=())
    buttons = Reply(blocks=(*reply.blocks, *Reply(choices=((Choice("Yes", "1|y"),),)).blocks))
    messages = render(buttons)
    assert [len(m.blocks) for m in messages] == [MAX_BLOCKS, MAX_BLOCKS, 22]
    assert messages[-1].blocks[-1]["type"] == "actions"
    assert all(block_problem(m.blocks) is None and m.text for m in messages)


def test_buttons_have_unique_action_ids_and_carry_the_payload() -> None:
    choices = tuple((Choice(str(n), f"3|{n}"),) for n in range(1, 31))
    reply = Reply((Span("Pick"),), choices=choices, actions=(Choice("◀ Back", "3|b"), Choice("Pause", "3|p")))
    [message] = render(reply)
    actions = [b for b in message.blocks if b["type"] == "actions"]
    ids = [e["action_id"] for b in actions for e in b["elements"]]
    assert len(ids) == len(set(ids)) == 32 and all(len(b["elements"]) <= 25 for b in actions)
    assert actions[-1]["elements"][-1]["value"] == "3|p"
    assert block_problem(message.blocks) is None


def test_headings_fields_bullets_and_a_long_heading() -> None:
    reply = Reply(
        blocks=(
            Heading("Board"),
            Heading("H" * 200),
            Fields(tuple((f"k{n}", "v & w") for n in range(12))),
            Bullets(((Span("a <"),), (Span("b", "bold"),))),
        )
    )
    [message] = render(reply)
    kinds = [b["type"] for b in message.blocks]
    assert kinds == ["header", "section", "section", "section", "section"]
    assert message.blocks[2]["fields"][0]["text"] == "*k0*\nv &amp; w" and len(message.blocks[3]["fields"]) == 2
    assert message.blocks[4]["text"]["text"] == "• a &lt;\n• *b*"
    assert block_problem(message.blocks) is None


def test_home_view_and_pressed_message() -> None:
    view = home_view(Reply((Span("Hi"),), choices=((Choice("Go", "x"),),)))
    assert view["type"] == "home" and view["blocks"][0]["text"]["text"] == "Hi"
    marked = pressed_blocks(view["blocks"], "Go & run")
    assert [b["type"] for b in marked] == ["section", "context"]
    assert marked[-1]["elements"][0]["text"] == "→ *Go &amp; run*"


@given(st.text(min_size=0, max_size=9000))
def test_any_text_renders_within_slack_limits(text: str) -> None:
    for message in render(Reply((Span(text, "bold"),))):
        assert block_problem(message.blocks) is None
        assert 0 < len(message.text) <= 3000


def test_slack_text_comes_back_as_typed() -> None:
    assert plain_text("&lt;b&gt; &amp;amp; <https://x.io|x.io> <mailto:a@b.c>") == "<b> &amp; x.io mailto:a@b.c"
    assert escape(plain_text("a &lt; b")) == "a &lt; b"


def test_subcommands() -> None:
    assert subcommand("  Hypothesis  H2 ") == subcommand("hypothesis H2")
    assert subcommand("hypothesis H2").name == "hypothesis" and subcommand("hypothesis H2").arguments == "H2"
    assert subcommand("").name == "help"


def test_commands_read_as_slack_users_type_them() -> None:
    reply = Reply((Span("Send /help or /hypothesis H1; not /helpful, a/b or /cusdev status"),))
    [message] = render(reply)
    text = message.blocks[0]["text"]["text"]
    assert text == "Send /cusdev help or /cusdev hypothesis H1; not /helpful, a/b or /cusdev status"
    assert message.text == text


def test_a_link_choice_is_a_url_button_without_a_value() -> None:
    link = Choice("Open a private chat with me", "", url="https://slack.com/app_redirect?app=A1")
    [message] = render(Reply((Span("Interviews run in private"),), choices=((link, Choice("Yes", "1|y")),)))
    [opens, answers] = [e for b in message.blocks if b["type"] == "actions" for e in b["elements"]]
    assert opens["url"] == link.url and "value" not in opens and not opens["action_id"].startswith("cusdev:")
    assert answers["value"] == "1|y" and answers["action_id"].startswith("cusdev:")
    assert block_problem(message.blocks) is None
