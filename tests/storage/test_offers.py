"""The team's segments and top pains offered as answers, read from real SQLite and PostgreSQL and from the fake."""

from __future__ import annotations

from core.app.ports import Storage
from core.app.service import InterviewService
from storage.sql_storage import SqlStorage
from tests.fakes import event
from tests.fakes.storage import InMemoryStorage
from tests.service_scenarios import QUICK, Founder, service_over

PAIN = QUICK[3]


async def picked_twice(storage: Storage) -> tuple[list[str], list[str]]:
    """A quick log typed in full, one answered with the offered buttons by number; the third one's buttons."""
    service = service_over(storage)
    alice = Founder(service)
    for line in QUICK:
        await alice.say(line)
    second = [QUICK[0], "Boris", "1", "1", *QUICK[4:]]  # "1": the offered segment, then the offered pain
    for line in second:
        await alice.say(line)
    await alice.say("/interview quick")
    [segment] = await service.handle(event("console", "local", "default/alice", "alice", "cleo", text="Cleo"))
    labels = [choice.label for choice in segment.reply.flat_choices()]
    data = await storage.export_data()
    pains = [pain.text for interview in data.interviews for pain in interview.record.pains]
    assert [i.record.segment for i in data.interviews if i.status == "completed"] == ["Dental clinics"] * 2
    return labels, pains


async def test_the_team_segments_and_pains_are_offered_and_picked(storage: SqlStorage) -> None:
    labels, pains = await picked_twice(storage)
    assert labels == ["Dental clinics", "✏️ Something else"]
    assert pains == [PAIN, PAIN]  # the same words, so the top-pain count groups them


async def test_the_fake_offers_the_same() -> None:
    labels, pains = await picked_twice(InMemoryStorage())
    assert labels == ["Dental clinics", "✏️ Something else"] and pains == [PAIN, PAIN]


async def test_most_used_segments_come_first_and_only_saved_interviews_count(storage: SqlStorage) -> None:
    service = service_over(storage)
    alice = Founder(service)
    for segment in ("Vets", "Dental clinics", "Dental clinics"):
        for line in [QUICK[0], "Anna", segment, *QUICK[3:]]:
            await alice.say(line)
    for line in (QUICK[0], "Dora", "Opticians"):  # still open: not offered
        await alice.say(line)
    team = await storage.team_id("default")
    assert team is not None
    async with storage.transaction() as uow:
        offered = await uow.interviews.suggestions(team)
    assert offered.segments == ("Dental clinics", "Vets") and offered.pains == (PAIN,)


async def pains_offered_after_a_merge(storage: Storage) -> tuple[str, ...]:
    """Three interviews naming three pains, then two of them merged with /merge; the pains offered."""
    alice = Founder(service_over(storage))
    for pain in ("Scheduling chaos", "Double bookings", "Paper forms"):
        for line in [*QUICK[:3], pain, *QUICK[4:]]:
            await alice.say(line)
    merged = await alice.say("/merge double bookings => scheduling chaos")
    assert "double bookings" in merged[0].casefold()
    team = await storage.team_id("default")
    assert team is not None
    async with storage.transaction() as uow:
        return (await uow.interviews.suggestions(team)).pains


async def test_merged_pains_are_offered_as_one(storage: SqlStorage) -> None:
    assert await pains_offered_after_a_merge(storage) == ("Scheduling chaos", "Paper forms")


async def test_the_fake_offers_merged_pains_as_one() -> None:
    assert await pains_offered_after_a_merge(InMemoryStorage()) == ("Scheduling chaos", "Paper forms")


async def labels_of(service: InterviewService, user: str, text: str, event_id: str) -> list[str]:
    """The buttons of the screen the service answers `text` with."""
    incoming = event("console", "local", f"default/{user}", user, event_id, text=text, user_name=user.title())
    messages = await service.handle(incoming)
    return [choice.label for message in messages for choice in message.reply.flat_choices()]


async def teammates_save_offered_at_once(storage: Storage) -> tuple[list[str], list[str]]:
    """Bob's segment screen before and after Alice saved an interview in their team (the service keeps the team's
    offers between screens; a save must make it read them again)."""
    service = service_over(storage)
    alice = Founder(service)
    await labels_of(service, "bob", QUICK[0], "b1")
    before = await labels_of(service, "bob", "Boris", "b2")
    for line in QUICK:
        await alice.say(line)
    await labels_of(service, "bob", "/back", "b3")
    after = await labels_of(service, "bob", "Boris", "b4")
    return before, after


async def test_a_teammates_saved_segment_is_offered_at_once(storage: SqlStorage) -> None:
    before, after = await teammates_save_offered_at_once(storage)
    assert "Dental clinics" not in before and after == ["Dental clinics", "✏️ Something else"]


async def test_the_fake_offers_a_teammates_segment_at_once() -> None:
    before, after = await teammates_save_offered_at_once(InMemoryStorage())
    assert "Dental clinics" not in before and after == ["Dental clinics", "✏️ Something else"]
