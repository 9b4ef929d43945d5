"""Interviews to search, written as the engine writes them (effects), and a scenario both storages play alike."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from core.app.ports import Conversation, Storage
from core.board.search import InterviewHits, InterviewQuery, search_terms, snippet
from core.domain import Gain, InterviewRecord, Job, Pain
from core.interview.effects import AnswerSaved, Effect, InterviewCompleted, InterviewStarted, InterviewStatusChanged
from core.interview.state import ConversationState

START = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)

# (id, founder, days after START, status, record, answers)
INTERVIEWS: list[tuple[str, str, int, str, InterviewRecord, dict[str, Any]]] = [
    (
        "iv-1",
        "Anna",
        0,
        "completed",
        InterviewRecord(
            alias="Dr Smith",
            segment="Dental clinics",
            role="Owner",
            pains=(Pain("Patients miss their booking", 4),),
            quote="We lose two chairs a day.",
        ),
        {"context": "Runs three clinics in Leeds", "how_now": "A paper diary"},
    ),
    (
        "iv-2",
        "Bob",
        3,
        "completed",
        InterviewRecord(
            alias="Olga",
            segment="Салоны красоты",
            role="Администратор",
            pains=(Pain("Клиенты забывают про запись", 5),),
            jobs=(Job("Заполнить расписание"),),
        ),
        {"context": "Салон в Казани", "alternatives": ["звонки", "WhatsApp"]},
    ),
    (
        "iv-3",
        "Anna",
        6,
        "completed",
        InterviewRecord(
            alias="Mia",
            segment="dental clinics",
            role="Receptionist",
            gains=(Gain("Fewer no-show bookings"),),
            interview_date=date(2026, 11, 2),
        ),
        {"context": "Calls every patient the day before"},
    ),
    (
        "iv-4",
        "Bob",
        9,
        "in_progress",
        InterviewRecord(alias="Tom"),
        {"context": "Booking software reseller"},
    ),
    (
        "iv-5",
        "Anna",
        12,
        "completed",
        InterviewRecord(alias="Lee", segment="Agencies", quote="Booking calls is 'AND' NEAR impossible *"),
        {"context": "An agency of five"},
    ),
]
OTHER_TEAM = ("iv-x", "Zed", 1, "completed", InterviewRecord(alias="Spy", pains=(Pain("Missed vet bookings"),)), {})


async def seed(storage: Storage) -> dict[str, tuple[int, dict[str, int]]]:
    """Write the interviews of team acme (and one of team other); each team's id and member ids by name."""
    teams: dict[str, tuple[int, dict[str, int]]] = {}
    for team, rows in (("acme", INTERVIEWS), ("other", [OTHER_TEAM])):
        async with storage.transaction() as uow:
            for interview_id, founder, days, status, record, answers in rows:
                seat = await uow.teams.join_team("console", founder.casefold(), founder, team)
                teams.setdefault(team, (seat.team_id, {}))[1][founder] = seat.member_id
                at = START + timedelta(days=days)
                effects: list[Effect] = [InterviewStarted(interview_id, "discovery", 1, "en", at)]
                effects += [AnswerSaved(interview_id, key, value, (), at) for key, value in answers.items()]
                if status == "completed":
                    effects.append(InterviewCompleted(interview_id, record, at + timedelta(minutes=30)))
                else:
                    effects.append(InterviewStatusChanged(interview_id, status, at))
                conversation = Conversation(f"{team}/{founder}", seat.team_id, seat.member_id, ConversationState())
                await uow.interviews.record(effects, conversation)
    return teams


def _seen(found: InterviewHits, terms: tuple[str, ...]) -> tuple[list[str], int, list[str]]:
    """Ids found (newest first), how many more, and the marked words of each snippet."""
    marked = [" ".join(piece for piece, bold in snippet(hit.text, terms) if bold) for hit in found.hits]
    return [hit.interview.id for hit in found.hits], found.more, marked


async def searched(storage: Storage) -> dict[str, Any]:
    """What a team finds by words and filters: the same on the fake and on SQL."""
    teams = await seed(storage)
    acme, members = teams["acme"]
    seen: dict[str, Any] = {}
    async with storage.transaction() as uow:
        words = ("bookings", "booking", "Leeds", "chairs", "paper diary", "receptionist", "dental", "записи", "салона")
        words += ('NEAR("booking" -chairs*)', "🙂 booking!", "Казань whatsapp", "Smith")
        for typed in words:
            terms = search_terms(typed)
            seen[typed] = _seen(await uow.teams.find_interviews(acme, InterviewQuery(terms), 10), terms)
        terms = search_terms("booking")
        seen["page 2"] = _seen(await uow.teams.find_interviews(acme, InterviewQuery(terms), 1, 1), terms)
        seen["page 1"] = _seen(await uow.teams.find_interviews(acme, InterviewQuery(terms), 1), terms)
        for name, query in {
            "by Anna": InterviewQuery(member_ids=(members["Anna"],)),
            "since 4 Nov": InterviewQuery(since=date(2026, 11, 4)),
            "segment dental": InterviewQuery(segment="DENTAL"),
            "segment салоны": InterviewQuery(segment="салоны"),
            "by Bob since 2 Nov": InterviewQuery(member_ids=(members["Bob"],), since=date(2026, 11, 2)),
        }.items():
            seen[name] = _seen(await uow.teams.find_interviews(acme, query, 10), ())
        summary = (await uow.teams.find_interviews(acme, InterviewQuery(search_terms("chairs")), 1)).hits[0]
        seen["summary"] = summary.interview
    return seen
