"""The per-message ("hot") statements: built once per dialect as SQLAlchemy Core with bind parameters."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import JSON, Date, DateTime, Text, bindparam, cast, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import col

from storage import tables as t

AT = DateTime(timezone=True)


@dataclass(frozen=True)
class _HotStatements:
    """The statements every step runs, built once per dialect with bind parameters (building is the cost)."""

    claim: Any
    conversation: Any
    conversation_unlocked: Any
    upsert_answer: Any
    start_interview: Any
    set_status: Any
    save_conversation: Any
    enqueue: Any
    chat_backlog: Any
    mark_sent: Any
    hypotheses: Any
    member_role: Any
    seat: Any
    create_conversation: Any
    complete_interview: Any
    insert_item: Any
    insert_commitment: Any

    def all(self) -> tuple[Any, ...]:
        """Every statement, for preparing them up front."""
        return tuple(getattr(self, name) for name in self.__dataclass_fields__)


@cache
def hot_statements(dialect: str) -> _HotStatements:
    """Prepared statement objects for a dialect."""
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    claim = (
        insert(t.ProcessedEvent)
        .values(event_id=bindparam("p_event_id"), processed_at=bindparam("p_at", type_=AT))
        .on_conflict_do_nothing(index_elements=["event_id"])
        .returning(col(t.ProcessedEvent.event_id))
    )
    conversation = select(col(t.Conversation.team_id), col(t.Conversation.member_id), col(t.Conversation.state)).where(
        col(t.Conversation.key) == bindparam("p_key")
    )
    conversation_unlocked = conversation
    if dialect == "postgresql":
        conversation = conversation.with_for_update()
    answer = insert(t.Answer).values(
        interview_id=bindparam("p_interview"),
        question_id=bindparam("p_question"),
        value=bindparam("p_value", type_=JSON),
        flags=bindparam("p_flags", type_=JSON),
        updated_at=bindparam("p_at", type_=AT),
    )
    upsert_answer = answer.on_conflict_do_update(
        index_elements=["interview_id", "question_id"],
        set_={"value": answer.excluded.value, "flags": answer.excluded.flags, "updated_at": answer.excluded.updated_at},
    )
    start_interview = insert(t.Interview).values(
        id=bindparam("p_id"),
        team_id=bindparam("p_team"),
        member_id=bindparam("p_member"),
        script=bindparam("p_script"),
        script_version=bindparam("p_version"),
        lang=bindparam("p_lang"),
        status="in_progress",
        started_at=bindparam("p_at", type_=AT),
    )
    set_status = (
        update(t.Interview).where(col(t.Interview.id) == bindparam("p_id")).values(status=bindparam("p_status"))
    )
    state = insert(t.Conversation).values(
        key=bindparam("p_key"),
        team_id=bindparam("p_team"),
        member_id=bindparam("p_member"),
        state=bindparam("p_state", type_=JSON),
        updated_at=bindparam("p_at", type_=AT),
    )
    create_conversation = state.on_conflict_do_nothing(index_elements=["key"])
    save_conversation = state.on_conflict_do_update(
        index_elements=["key"],
        set_={
            "team_id": state.excluded.team_id,
            "member_id": state.excluded.member_id,
            "state": state.excluded.state,
            "updated_at": state.excluded.updated_at,
        },
    )
    # The payload comes as JSON text (core.messages.stored): SQLite keeps it as it is, PostgreSQL casts it to json.
    payload: Any = bindparam("p_payload", type_=Text)
    if dialect == "postgresql":
        payload = cast(payload, JSON)
    enqueue = (
        insert(t.Outbox)
        .values(
            platform=bindparam("p_platform"),
            tenant=bindparam("p_tenant"),
            chat=bindparam("p_chat"),
            kind=bindparam("p_kind"),
            payload=payload,
            created_at=bindparam("p_at", type_=AT),
            claimed_by=bindparam("p_claimed_by"),
            claimed_until=bindparam("p_claimed_until", type_=AT),
        )
        .returning(col(t.Outbox.id))
    )
    chat_backlog = (
        select(col(t.Outbox.id))
        .where(
            col(t.Outbox.platform) == bindparam("p_platform"),
            col(t.Outbox.tenant) == bindparam("p_tenant"),
            col(t.Outbox.chat) == bindparam("p_chat"),
            col(t.Outbox.sent_at).is_(None),
            col(t.Outbox.claimed_by).is_distinct_from(bindparam("p_owner")),
        )
        .limit(1)
    )
    mark_sent = (
        update(t.Outbox)
        .where(col(t.Outbox.id) == bindparam("p_id"))
        .values(sent_at=bindparam("p_at", type_=AT), claimed_until=None)
    )
    hypotheses = (
        select(
            col(t.Hypothesis.code),
            col(t.Hypothesis.statement),
            col(t.Hypothesis.status),
            col(t.Hypothesis.block),
        )
        .where(col(t.Hypothesis.team_id) == bindparam("p_team"), col(t.Hypothesis.status) != "pivoted")
        .order_by(col(t.Hypothesis.number))
    )
    member_role = select(col(t.Member.role)).where(col(t.Member.id) == bindparam("p_member"))
    seat = (
        select(col(t.Team.id), col(t.Member.id))
        .join(t.Member, col(t.Member.team_id) == col(t.Team.id))
        .where(
            col(t.Team.slug) == bindparam("p_slug"),
            col(t.Member.platform) == bindparam("p_platform"),
            col(t.Member.user_key) == bindparam("p_user"),
        )
    )
    complete_interview = (
        update(t.Interview)
        .where(col(t.Interview.id) == bindparam("p_id"))
        .values(
            status="completed",
            completed_at=bindparam("p_at", type_=AT),
            alias=bindparam("p_alias"),
            segment=bindparam("p_segment"),
            role=bindparam("p_role"),
            met_via=bindparam("p_met_via"),
            interview_date=bindparam("p_date", type_=Date),
            quote=bindparam("p_quote"),
            sean_ellis=bindparam("p_sean_ellis"),
        )
    )
    insert_item = insert(t.Item).values(
        interview_id=bindparam("p_interview"),
        team_id=bindparam("p_team"),
        kind=bindparam("p_kind"),
        position=bindparam("p_position"),
        text=bindparam("p_text"),
        norm_key=bindparam("p_norm_key"),
        key_hash=bindparam("p_key_hash"),
        severity=bindparam("p_severity"),
        frequency=bindparam("p_frequency"),
        details=bindparam("p_details", type_=JSON),
    )
    insert_commitment = insert(t.Commitment).values(
        interview_id=bindparam("p_interview"),
        kind=bindparam("p_kind"),
        note=bindparam("p_note"),
        amount=bindparam("p_amount", type_=t.MONEY),
        currency=bindparam("p_currency"),
    )
    return _HotStatements(
        claim,
        conversation,
        conversation_unlocked,
        upsert_answer,
        start_interview,
        set_status,
        save_conversation,
        enqueue,
        chat_backlog,
        mark_sent,
        hypotheses,
        member_role,
        seat,
        create_conversation,
        complete_interview,
        insert_item,
        insert_commitment,
    )
