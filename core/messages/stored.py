"""The outbox's stored form of a message: versioned JSON, validated on the way in and out.

Version 2 is `{"v": 2, "destination": {...}, "reply": {"blocks": [...], ...}}`, each block and destination
tagged by its `kind`. Rows written before versioning (a bare `{"spans", "choices", "actions"}` dict whose
destination was the row's own platform, tenant and chat) still load.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from core.messages.blocks import Block, Choice, Reply, Span
from core.messages.destinations import Destination, ToChat

VERSION: Literal[2] = 2


class _StoredReply(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    blocks: tuple[Annotated[Block, Field(discriminator="kind")], ...]
    replaces_prompt: bool = False
    stale_press: bool = False
    closes_buttons: bool = False
    personal: bool = False


class _Envelope(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    v: Literal[2]
    destination: Annotated[Destination, Field(discriminator="kind")]
    reply: _StoredReply


_ENVELOPE = TypeAdapter(_Envelope)


class StoredMessageInvalid(ValueError):
    """An outbox row that is neither a valid current nor a legacy message."""


def dump_message(destination: Destination, reply: Reply) -> str:
    """The JSON text of a message for the outbox; `load_message` validates it (parsed) on the way back."""
    # Typed values are serialized as they are, straight to JSON (they need no validation); a stored form is
    # validated when read.
    stored = _StoredReply.model_construct(
        blocks=reply.blocks,
        replaces_prompt=reply.replaces_prompt,
        stale_press=reply.stale_press,
        closes_buttons=reply.closes_buttons,
        personal=reply.personal,
    )
    envelope = _Envelope.model_construct(v=VERSION, destination=destination, reply=stored)
    return _ENVELOPE.dump_json(envelope, exclude_none=True).decode()


def load_message(raw: dict[str, Any], legacy_destination: ToChat) -> tuple[Destination, Reply]:
    """A stored message back; legacy rows go to the row's own chat."""
    try:
        if "v" not in raw:
            return legacy_destination, _legacy_reply(raw)
        envelope = _ENVELOPE.validate_python(raw)
    except ValidationError as exc:  # its text quotes the input (a founder's answer, perhaps): say only where and what
        errors = exc.errors(include_url=False, include_input=False)
        raise StoredMessageInvalid("; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in errors)) from None
    except (KeyError, TypeError, ValueError) as exc:
        raise StoredMessageInvalid(str(exc)) from exc
    stored = envelope.reply
    reply = Reply(
        blocks=stored.blocks,
        replaces_prompt=stored.replaces_prompt,
        stale_press=stored.stale_press,
        closes_buttons=stored.closes_buttons,
        personal=stored.personal,
    )
    return envelope.destination, reply


def _legacy_reply(raw: dict[str, Any]) -> Reply:
    """Version 1: spans, choice rows and actions as lists of pairs."""
    return Reply(
        spans=tuple(Span(text, style) for text, style in raw["spans"]),
        choices=tuple(tuple(Choice(label, payload) for label, payload in row) for row in raw["choices"]),
        actions=tuple(Choice(label, payload) for label, payload in raw["actions"]),
        replaces_prompt=bool(raw.get("replaces_prompt", False)),
        stale_press=bool(raw.get("stale_press", False)),
    )
