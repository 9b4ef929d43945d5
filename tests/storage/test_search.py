"""Search across interviews and the `/interviews` filters, on SQLite and PostgreSQL, and through the chat."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from alembic import command
from sqlalchemy import create_engine, text

from core.app.ports import Conversation, Storage
from core.app.service import InterviewService
from core.board.search import InterviewQuery, search_terms
from core.command_registry import GROUP_COMMANDS, READ_COMMANDS
from core.domain import InterviewRecord, Pain
from core.interview.effects import InterviewCompleted, InterviewStarted
from core.interview.payloads import SearchPage, decode
from core.interview.state import ConversationState
from core.messages import ChoicePressed, UpdatePressed, text_spans
from storage.database import alembic_config, normalize_url, upgrade
from storage.search_query import fts5_query
from storage.sql_storage import SqlStorage
from tests.fakes import event, mark_delivered
from tests.fakes.storage import InMemoryStorage
from tests.storage.search_data import START, searched, seed
from tests.storage.test_team_repo import _schema_diff

_events = 0


async def test_the_fake_finds_what_sql_finds(storage: SqlStorage) -> None:
    assert await searched(InMemoryStorage()) == await searched(storage)


async def test_words_are_stemmed_matched_in_every_part_and_newest_first(storage: SqlStorage) -> None:
    seen = await searched(storage)
    # "bookings" finds "booking" (and "Booking"), newest first; the other team's "Missed bookings" is not found.
    assert seen["bookings"] == (["iv-5", "iv-3", "iv-1"], 0, ["Booking", "bookings", "booking"])
    assert seen["booking"][0] == seen["bookings"][0]
    assert seen["Leeds"][0] == ["iv-1"]  # an answer
    assert seen["chairs"][0] == ["iv-1"]  # the quote
    assert seen["receptionist"][0] == ["iv-3"]  # the interviewee's role
    assert seen["Smith"][0] == ["iv-1"]  # the alias
    assert seen["paper diary"][0] == ["iv-1"]  # every word must be there
    # Russian: "записи" finds "запись" (Snowball stems them apart: matched by prefix), "салона" finds "Салон".
    assert seen["записи"] == (["iv-2"], 0, ["запись"])
    assert seen["салона"][0] == ["iv-2"]
    assert seen["Казань whatsapp"][0] == ["iv-2"]
    # Paged: one hit at a time, with how many more.
    assert seen["page 1"] == (["iv-5"], 2, ["Booking"])
    assert seen["page 2"] == (["iv-3"], 1, ["bookings"])
    # In progress interviews are not searched; a summary carries the founder and the interviewee.
    assert seen["summary"].founder == "Anna" and seen["summary"].record.alias == "Dr Smith"


async def test_filters_by_founder_day_and_segment(storage: SqlStorage) -> None:
    seen = await searched(storage)
    assert seen["by Anna"][0] == ["iv-5", "iv-3", "iv-1"]
    # Since 4 Nov: iv-3 started on 7 Nov but was held on 2 Nov (its own date wins); iv-4 is in progress.
    assert seen["since 4 Nov"][0] == ["iv-5", "iv-4", "iv-2"]
    assert seen["segment dental"][0] == ["iv-3", "iv-1"]  # any case
    assert seen["segment салоны"][0] == ["iv-2"]  # Cyrillic in any case, on SQLite too
    assert seen["by Bob since 2 Nov"][0] == ["iv-4", "iv-2"]


async def test_a_team_finds_only_its_own_interviews(storage: SqlStorage) -> None:
    teams = await seed(storage)
    async with storage.transaction() as uow:
        other = await uow.teams.find_interviews(teams["other"][0], InterviewQuery(search_terms("booking")), 10)
        acme = await uow.teams.find_interviews(teams["acme"][0], InterviewQuery(search_terms("vet")), 10)
    assert [hit.interview.id for hit in other.hits] == ["iv-x"]
    assert acme.hits == []


NASTY = [
    '"',
    "AND",
    "OR NOT",
    "*",
    "-",
    "NEAR(booking chairs, 2)",
    "booking AND",
    '"unterminated booking',
    "💥🙂",
    "body:booking",
    "^booking",
    "(",
    "запись*",
    "'; DROP TABLE interview; --",
    "a & b | !c <-> d:*",
    "booking" * 30,
    " ".join(["booking"] * 40),
]


@pytest.mark.parametrize("typed", NASTY)
async def test_operators_and_odd_input_never_error(storage: SqlStorage, typed: str) -> None:
    teams = await seed(storage)
    async with storage.transaction() as uow:
        found = await uow.teams.find_interviews(teams["acme"][0], InterviewQuery(search_terms(typed)), 5)
    assert isinstance(found.hits, list)


def test_fts5_queries_quote_every_word() -> None:
    assert fts5_query(("booking", "записи", "near")) == '"booking" AND "запис"* AND "near"'
    assert search_terms('NEAR("a" -b*) AND c') == ("near", "a", "b", "and", "c")


async def test_migration_backfills_the_index_as_the_write_path_writes_it(empty_url: str) -> None:
    upgrade(empty_url)
    storage = SqlStorage(empty_url)
    try:
        await seed(storage)
    finally:
        await storage.close()
    engine = create_engine(normalize_url(empty_url))
    read = text("SELECT interview_id, team_id, body FROM interview_search ORDER BY interview_id")
    with engine.connect() as connection:
        written = connection.execute(read).all()
    command.downgrade(alembic_config(empty_url), "0013")
    upgrade(empty_url)
    with engine.connect() as connection:
        backfilled = connection.execute(read).all()
    engine.dispose()
    assert [row[0] for row in written] == ["iv-1", "iv-2", "iv-3", "iv-5", "iv-x"]
    assert backfilled == written
    assert _schema_diff(empty_url) == []
    storage = SqlStorage(empty_url)
    try:
        async with storage.transaction() as uow:
            team = (await uow.teams.teams_of("console", "anna"))[0][0].id
            found = await uow.teams.find_interviews(team, InterviewQuery(search_terms("записи")), 5)
    finally:
        await storage.close()
    assert [hit.interview.id for hit in found.hits] == ["iv-2"]


async def chat(service: InterviewService, line: str) -> tuple[str, list[str]]:
    """Send a line as Alice of acme; the replies' plain text and their bold pieces."""
    global _events
    _events += 1
    incoming = event("console", "local", "acme/alice", "alice", f"search-{_events}", text=line, user_name="Alice")
    messages = await service.handle(incoming, team="acme")
    await mark_delivered(service.storage, messages)
    bold = [span.text for m in messages for span in text_spans(m.reply.blocks) if span.style == "bold"]
    return "\n".join(m.reply.plain_text for m in messages), bold


async def test_search_in_chat_shows_hits_with_the_words_in_bold(service: InterviewService) -> None:
    await seed(service.storage)
    said, bold = await chat(service, "/search bookings")
    assert said.startswith("Interviews mentioning “bookings”")
    assert "2026-11-13 Lee · Agencies (Anna)" in said and "2026-11-02 Mia · dental clinics (Anna)" in said
    assert said.index("Lee") < said.index("Mia") < said.index("Dr Smith")
    assert "Patients miss their booking" in said
    assert {"Booking", "bookings", "booking", "Lee · Agencies"} <= set(bold)
    said, _bold = await chat(service, "/search page 2 booking")
    assert "No more interviews match “booking”." in said
    said, _bold = await chat(service, "/search")
    assert "Type words after the command" in said
    said, _bold = await chat(service, "/search ?!* 🙂")
    assert "Type words after the command" in said
    said, _bold = await chat(service, "/search unicorns")
    assert "No interview mentions “unicorns”." in said


async def test_search_pages_say_how_many_more(service: InterviewService) -> None:
    await seed(service.storage)
    async with service.storage.transaction() as uow:
        team = (await uow.teams.teams_of("console", "anna"))[0][0].id
        assert (await uow.teams.find_interviews(team, InterviewQuery(("booking",)), 2)).more == 1
    said, _bold = await chat(service, "/search booking")
    assert "more" not in said  # three hits fit on one page


async def test_page_buttons_turn_the_pressed_search_to_that_page(service: InterviewService) -> None:
    """On a phone nobody types "/search page 2 …": the reply's buttons carry the words, pressed it turns in place."""
    await seed(service.storage)
    origin = ("console", "local", "acme/alice", "alice")
    [typed] = await service.handle(event(*origin, "pages-1", text="/search page 2 Bookings"), team="acme")
    assert "No more interviews match “Bookings”." in typed.reply.plain_text
    [back] = typed.reply.actions
    assert back.label == "‹ Previous" and decode(back.payload) == (0, SearchPage(1, "bookings"))
    pressed = event(*origin, "pages-2", choice=back.payload)
    pressed = replace(pressed, input=ChoicePressed(back.payload, "m-7"))  # the message the button sits on
    [turned] = await service.handle(pressed, team="acme")
    assert isinstance(turned.destination, UpdatePressed) and turned.destination.message == "m-7"
    assert turned.reply.plain_text.startswith("Interviews mentioning “bookings”") and "Lee" in turned.reply.plain_text
    assert turned.reply.actions == ()  # three hits fit on page 1: nothing before it, nothing after


async def test_interviews_filters_in_chat(service: InterviewService) -> None:
    await seed(service.storage)
    said, _bold = await chat(service, "/interviews by anna")
    assert said.startswith("Interviews: by Anna")
    assert said.count("(Anna,") == 3 and "Olga" not in said
    said, _bold = await chat(service, "/interviews since 4 Nov")
    assert "since 2026-11-04" in said and "in progress" in said and "Mia" not in said
    said, _bold = await chat(service, "/interviews с 4 ноября")
    assert "since 2026-11-04" in said and "Olga" in said and "Mia" not in said
    said, _bold = await chat(service, "/interviews 1 segment DENTAL")
    assert "Mia · dental clinics" in said and "1 more interview. More: /interviews 2 segment DENTAL" in said
    said, _bold = await chat(service, "/interviews by Zoe")
    assert "There is no member called Zoe in the team." in said
    said, _bold = await chat(service, "/interviews since someday")
    assert "I can't read “someday” as a date." in said
    said, _bold = await chat(service, "/interviews segment unicorns")
    assert "None match." in said
    said, _bold = await chat(service, "/interviews")
    assert said.startswith("Latest interviews")


def test_search_is_a_read_allowed_in_groups() -> None:
    assert "search" in GROUP_COMMANDS and "search" in READ_COMMANDS


async def test_interviews_filters_read_russian_words(service: InterviewService) -> None:
    await seed(service.storage)
    await chat(service, "/lang ru")
    said, _bold = await chat(service, "/interviews от anna с 2 ноября")
    assert said.startswith("Интервью: автор Anna, с 2026-11-02")
    assert "Lee" in said and "Mia" in said and "Dr Smith" not in said and "Olga" not in said
    said, _bold = await chat(service, "/interviews сегмент салоны с доставкой")
    assert "Таких нет." in said  # "с доставкой" is no date: part of the segment asked for
    said, _bold = await chat(service, "/search записи")
    assert said.startswith("Интервью, где есть «записи»") and "Клиенты забывают про запись" in said


async def many_hits(storage: Storage) -> list[tuple[list[str], int]]:
    """103 interviews naming a booking: pages newest first, and how many more (counted up to 100)."""
    async with storage.transaction() as uow:
        seat = await uow.teams.join_team("console", "anna", "Anna", "busy")
        conversation = Conversation("busy/anna", seat.team_id, seat.member_id, ConversationState())
        for n in range(103):
            at = START + timedelta(hours=n)
            record = InterviewRecord(alias=f"Lead {n}", pains=(Pain(f"Booking mix-up number {n}"),))
            await uow.interviews.record(
                [
                    InterviewStarted(f"many-{n:03d}", "quick", 1, "en", at),
                    InterviewCompleted(f"many-{n:03d}", record, at),
                ],
                conversation,
            )
    pages = []
    async with storage.transaction() as uow:
        for offset in (0, 5, 95, 100):
            found = await uow.teams.find_interviews(seat.team_id, InterviewQuery(("booking",)), 5, offset)
            pages.append(([hit.interview.id for hit in found.hits], found.more))
    return pages


async def test_many_hits_page_newest_first_and_say_100_plus(storage: SqlStorage) -> None:
    pages = await many_hits(storage)
    assert pages == await many_hits(InMemoryStorage())
    assert pages[0] == ([f"many-{n:03d}" for n in (102, 101, 100, 99, 98)], 100)  # "100+ more"
    assert pages[1][0] == [f"many-{n:03d}" for n in (97, 96, 95, 94, 93)]
    assert pages[3] == (["many-002", "many-001", "many-000"], 0)
