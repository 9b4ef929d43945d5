"""Conversation state: everything the engine needs between two messages, as plain JSON data."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Mode = Literal["asking", "summary", "edit_pick"]
PendingKind = Literal["cancel", "warning", "switch", "replace"]


def _copy_json(value: Any) -> Any:
    """A deep copy of JSON-shaped data (much cheaper than copy.deepcopy)."""
    if isinstance(value, dict):
        return {key: _copy_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_copy_json(item) for item in value]
    return value


@dataclass(frozen=True)
class Position:
    """Where the founder is: a top-level question and, inside a list, the item and field."""

    question: str
    item: int = 0
    field: int = 0

    def as_list(self) -> list[Any]:
        """JSON form."""
        return [self.question, self.item, self.field]

    @classmethod
    def from_list(cls, raw: list[Any]) -> Position:
        """Inverse of as_list."""
        return cls(str(raw[0]), int(raw[1]), int(raw[2]))


@dataclass
class Pending:
    """A question the bot asked about the last input: confirm a cancel, keep a flagged answer, or switch script.

    For "warning", value is the answer nudged about and flags its warnings. For "replace" (another answer
    typed while the nudge was open), value is {"first": that answer, "new": the text typed after it}.
    For "switch", value is the id of the script asked for while another interview was open.
    """

    kind: PendingKind
    value: Any = None
    flags: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {"kind": self.kind, "value": _copy_json(self.value), "flags": list(self.flags)}


@dataclass
class InterviewState:
    """One interview in progress."""

    id: str
    script_id: str
    started_at: str
    cursor: Position | None
    mode: Mode = "asking"
    answers: dict[str, Any] = field(default_factory=dict)
    flags: dict[str, list[str]] = field(default_factory=dict)
    closed_lists: list[str] = field(default_factory=list)
    selection: list[str] = field(default_factory=list)
    editing: str | None = None
    paused: bool = False
    offered: list[str] = field(default_factory=list)
    """The team's answers the current screen offers as buttons (pressed by number)."""

    def to_dict(self) -> dict[str, Any]:
        """JSON form (written out by hand: dataclasses.asdict is slow on the hot path)."""
        return {
            "id": self.id,
            "script_id": self.script_id,
            "started_at": self.started_at,
            "cursor": self.cursor.as_list() if self.cursor else None,
            "mode": self.mode,
            "answers": _copy_json(self.answers),
            "flags": {key: list(value) for key, value in self.flags.items()},
            "closed_lists": list(self.closed_lists),
            "selection": list(self.selection),
            "editing": self.editing,
            "paused": self.paused,
            "offered": list(self.offered),
        }

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> InterviewState:
        """Inverse of to_dict."""
        values = dict(raw)
        cursor = values.pop("cursor")
        return cls(cursor=Position.from_list(cursor) if cursor else None, **values)


@dataclass
class ConversationState:
    """A founder's conversation with the bot in one chat."""

    lang: str = "en"
    turn: int = 0
    interview: InterviewState | None = None
    pending: Pending | None = None
    last_press: str | None = None
    """The last button press acted on (its message and payload): the same press again is a double tap."""

    def to_dict(self) -> dict[str, Any]:
        """JSON form, stored in one row."""
        return {
            "lang": self.lang,
            "turn": self.turn,
            "interview": self.interview.to_dict() if self.interview else None,
            "pending": self.pending.to_dict() if self.pending else None,
            "last_press": self.last_press,
        }

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> ConversationState:
        """Inverse of to_dict."""
        interview = raw.get("interview")
        pending = raw.get("pending")
        return cls(
            lang=str(raw.get("lang", "en")),
            turn=int(raw.get("turn", 0)),
            interview=InterviewState.from_dict(interview) if interview else None,
            pending=Pending(**pending) if pending else None,
            last_press=raw.get("last_press"),
        )
