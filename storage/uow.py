"""The unit of work: every change one incoming message makes, as SQL on one connection, through its repositories."""

from __future__ import annotations

from storage.board_query import BoardQuery
from storage.conversation_repo import SqlConversations, SqlEvents
from storage.digest_reads import SqlDigestReads
from storage.executor import Executor, insert_for
from storage.hypothesis_repo import SqlHypotheses
from storage.interview_repo import SqlInterviews
from storage.outbox_repo import SqlOutbox
from storage.reminder_repo import SqlReminders
from storage.team_repo import SqlTeams


class SqlUnitOfWork:
    """Implements core.app.ports.UnitOfWork over one open transaction: a repository per aggregate, one connection."""

    def __init__(self, execute: Executor, dialect: str) -> None:
        self.execute = execute
        self.dialect = dialect
        self.insert = insert_for(dialect)
        self.events = SqlEvents(execute, dialect)
        self.conversations = SqlConversations(execute, dialect)
        self.teams = SqlTeams(execute, dialect, BoardQuery(execute, dialect))
        self.hypotheses = SqlHypotheses(execute, dialect)
        self.interviews = SqlInterviews(execute, dialect, self.hypotheses)
        self.outbox = SqlOutbox(execute, dialect)
        self.reminders = SqlReminders(execute, dialect)
        self.digests = SqlDigestReads(execute, dialect)
