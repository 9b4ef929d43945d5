"""What a board change's form shares: an error next to one field, and numbers as a phone types them."""

from __future__ import annotations

from dataclasses import dataclass

from core.board.command_base import whole_number

FORM = "_form"
"""The field name of an error about the change as a whole rather than one of its fields."""
FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９Ｈｈ", "0123456789Hh")
"""Full-width digits (and the H of a hypothesis code) as a Japanese or Chinese keyboard types them, to ASCII."""


@dataclass(frozen=True)
class FieldError:
    """A validation error next to one field of a form (`FORM` for the whole change), translated."""

    field: str
    message: str


def typed_count(text: str) -> int | None:
    """A whole number as typed, full-width digits too; else None."""
    return whole_number(text.strip().translate(FULLWIDTH_DIGITS))
