"""What a founder trying the merged product on a phone ran into, each through the real Telegram stack."""

from __future__ import annotations

from tests.bot.conftest import Bot
from tests.fake_telegram import FakeUser, SentMessage

LONG_STATEMENT = "Small dental clinics lose money every single week because of patient no-shows"


async def quick_log(bot: Bot, user: FakeUser, segment: str, pain: str) -> SentMessage:
    """A whole quick log, typed: who, segment, one pain at severity 4, no commitment, no quote; saved."""
    reply = await bot.said(user, "/quick")
    for answer in ("Anna", segment, pain):
        reply = await bot.said(user, answer, after=reply)
    await bot.press(user, "4 · Serious problem")
    await bot.press(user, "No commitment")
    await bot.press(user, "Skip")
    return await bot.press(user, "Save ✅")


def _labels(message: SentMessage | None) -> list[str]:
    return [button["text"] for button in message.buttons] if message is not None else []


def refused(bot: Bot) -> list[tuple[str, int, str]]:
    return [(r.method, r.status, r.description) for r in bot.tg.requests if r.status >= 400]


async def test_a_pain_already_named_is_not_offered_again_and_a_segment_typed_in_lower_case_is_the_teams(
    bot: Bot,
) -> None:
    alice = bot.tg.add_user("Alice")
    saved = await quick_log(bot, alice, "Small dental clinics", "No-shows leave the chair empty")
    assert "Saved" in saved.plain_text
    reply = await bot.said(alice, "/interview", after=saved)
    reply = await bot.press(alice, "Problem interview")
    segment = await bot.said(alice, "Boris", after=reply)
    assert _labels(segment)[:2] == ["Small dental clinics", "✏️ Something else"]
    reply = await bot.said(alice, "small  DENTAL clinics", after=segment)  # the same segment, typed loosely
    for answer in ("Owner-dentist",):
        reply = await bot.said(alice, answer, after=reply)
    await bot.press(alice, "Cold outreach")
    await bot.press(alice, "Today")
    for answer in ("When a patient cancels", "I want to fill the slot", "so that the chair is not idle"):
        await bot.said(alice, answer)
    await bot.press(alice, "Functional")
    await bot.press(alice, "Done")
    first_pain = await bot.said(alice, "Yesterday she texted ten people")
    assert "No-shows leave the chair empty" in _labels(first_pain)
    await bot.press(alice, "No-shows leave the chair empty")
    await bot.press(alice, "5 · Hair on fire")
    second_pain = await bot.press(alice, "Weekly")
    assert "Pain 2" in second_pain.plain_text
    assert "No-shows leave the chair empty" not in _labels(second_pain)  # picking it again would count it twice
    assert "✏️ Something else" not in _labels(second_pain)  # nothing left to offer: just type or tap Done
    running = [i for i in (await bot.app.storage.export_data()).interviews if i.status != "completed"]
    assert running[0].answers["segment"] == "Small dental clinics"  # groups with the team's segment
    assert refused(bot) == []


async def test_a_long_hypothesis_marked_in_the_picker_keeps_its_stance_on_the_button(bot: Bot) -> None:
    alice = bot.tg.add_user("Alice")
    added = await bot.said(alice, f"/hypothesis add vp: {LONG_STATEMENT}")
    assert "Added H1" in added.plain_text
    reply = await bot.said(alice, "/interview", after=added)
    reply = await bot.press(alice, "Will they pay?")
    for answer in ("Clara", "Clinics", "Owner"):
        reply = await bot.said(alice, answer, after=reply)
    await bot.press(alice, "Skip")  # what they spend today
    reply = await bot.said(alice, "Reminder SMS, $30 a month")
    reply = await bot.said(alice, "She asked when she can start", after=reply)
    await bot.press(alice, "No, not yet")
    for _price in range(4):
        await bot.press(alice, "Skip")
    await bot.press(alice, "No commitment")
    picker = await bot.press(alice, "Skip")  # objections
    [h1] = [label for label in _labels(picker) if label.startswith("H1:")]
    await bot.press(alice, h1)
    marked = await bot.press(alice, "Supports")
    [label] = [label for label in _labels(marked) if "H1" in label]
    assert label.startswith("✓ H1: Small dental clinics") and label.endswith(" · marked: supports")
    assert len(label) <= 64 and "…" in label
    assert refused(bot) == []


async def test_a_price_in_another_currency_than_the_interviews_other_prices_is_refused_with_what_to_do(
    bot: Bot,
) -> None:
    alice = bot.tg.add_user("Alice")
    reply = await bot.said(alice, "/interview")
    reply = await bot.press(alice, "Will they pay?")
    for answer in ("Clara", "Clinics", "Owner", "2 000 ₽ в месяц", "Reminder SMS", "She asked for a trial"):
        reply = await bot.said(alice, answer, after=reply)
    await bot.press(alice, "No, not yet")
    refusal = await bot.said(alice, "$10/mo")
    assert refusal.plain_text.startswith("This interview's other prices are in RUB")
    assert "cheap" in refusal.plain_text  # the same question again
    accepted = await bot.said(alice, "700 ₽ в месяц", after=refusal)
    assert "bargain" in accepted.plain_text
    [interview] = (await bot.app.storage.export_data()).interviews
    assert interview.answers["too_cheap"]["currency"] == "RUB"
    assert refused(bot) == []


async def test_status_quotes_a_pasted_five_thousand_character_pain_in_short(bot: Bot) -> None:
    alice = bot.tg.add_user("Alice")
    pasted = "<b>Anna & Co</b> " * 295
    reply = await bot.said(alice, "/quick")
    for answer in ("Anna", "Clinics"):
        reply = await bot.said(alice, answer, after=reply)
    await bot.said(alice, pasted, after=reply)
    await bot.press(alice, "Keep it")
    await bot.press(alice, "4 · Serious problem")
    await bot.press(alice, "No commitment")
    await bot.press(alice, "Skip")
    saved = await bot.press(alice, "Save ✅")
    status = await bot.said(alice, "/status", after=saved)
    await bot.tg.wait_for_message(alice, lambda m: "Pull" in (m.plain_text or ""), after=saved, timeout=10)
    later = [m for m in bot.tg.messages(alice) if m.message_id > saved.message_id]
    assert len(later) == 1 and status is later[0]  # one message, not three
    assert "Top pains" in status.plain_text and len(status.plain_text) < 1500
    assert "<b>Anna & Co</b>" in status.plain_text  # shown as typed, not as markup
    assert refused(bot) == []


async def test_typing_past_a_coach_nudge_closes_its_button_so_it_cannot_be_pressed_later(bot: Bot) -> None:
    alice = bot.tg.add_user("Alice")
    reply = await bot.said(alice, "/quick")
    for answer in ("Anna", "Clinics", "No-shows"):
        reply = await bot.said(alice, answer, after=reply)
    await bot.press(alice, "4 · Serious problem")
    await bot.press(alice, "No commitment")
    nudge = await bot.said(alice, "I would definitely pay for this, love it")
    assert _labels(nudge) == ["That's what they said (weak)"]
    question = await bot.said(alice, "Last month I paid $200 for a reminder service", after=nudge)
    assert "Replace your answer" in question.plain_text
    await bot.tg.wait_until(lambda: not bot.tg.message(alice, nudge.message_id).buttons or None, timeout=10)
    summary = await bot.press(alice, "Use the new one")
    assert "Almost done" in summary.plain_text and "Last month I paid $200" in summary.plain_text
    assert refused(bot) == []


async def test_a_new_teams_phase_screen_says_what_is_missing_instead_of_zero_of_zero(bot: Bot) -> None:
    ivan = bot.tg.add_user("Ivan", language_code="ru")
    phase = await bot.said(ivan, "/phase")
    assert "0/0" not in phase.plain_text
    assert "нужно ещё 10 интервью" in phase.plain_text
    assert "Ценностные предложения — гипотез пока нет: /hypothesis add cs <формулировка>" in phase.plain_text
    assert refused(bot) == []


async def test_russian_invite_and_welcome_put_the_team_name_in_quotes_not_in_the_wrong_case(bot: Bot) -> None:
    ivan = bot.tg.add_user("Ivan", language_code="ru")
    petya = bot.tg.add_user("Petya", language_code="ru")
    started = await bot.said(ivan, "/start")
    invite = await bot.said(ivan, "/invite mentor", after=started)
    assert "по ней входят в команду «Команда Ivan» как ментор" in invite.plain_text
    link = invite.plain_text.rsplit(" ", 1)[-1]
    welcome = await bot.said(petya, "/start " + link.split("start=", 1)[1])
    assert welcome.plain_text.startswith("Добро пожаловать в команду «Команда Ivan»! Вы в ней как ментор")
    assert refused(bot) == []


async def test_a_cost_typed_in_hours_is_refused_with_how_to_turn_it_into_money(bot: Bot) -> None:
    alice = bot.tg.add_user("Alice")
    reply = await bot.said(alice, "/interview")
    reply = await bot.press(alice, "Will they pay?")
    for answer in ("Clara", "Clinics", "Owner"):
        reply = await bot.said(alice, answer, after=reply)
    assert "What do they spend on this problem today?" in reply.plain_text
    refusal = await bot.said(alice, "About 3 hours a week of calls", after=reply)
    assert refusal.plain_text.startswith("That reads as time, not money. Turn it into money")
    accepted = await bot.said(alice, "$480/mo", after=refusal)
    assert "What offer did you show them?" in accepted.plain_text
    assert refused(bot) == []
