"""Forms (Slack modals): fields with kinds, and validation errors keyed by field."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

FieldKind = Literal["text", "long_text", "choice", "multi_choice", "number", "money", "date", "yes_no", "scale"]


@dataclass(frozen=True)
class FormField:
    """One input of a form; `options` are (value, label) pairs for choices."""

    id: str
    label: str
    kind: FieldKind = "text"
    optional: bool = False
    hint: str | None = None
    options: tuple[tuple[str, str], ...] = ()
    initial: str | None = None


@dataclass(frozen=True)
class FieldError:
    """A problem with one field's value, in the reader's language."""

    field: str
    message: str


@dataclass(frozen=True)
class Form:
    """A form to fill in at once; `errors` are shown next to their fields when it comes back."""

    form_id: str
    title: str
    fields: tuple[FormField, ...]
    submit: str
    errors: Mapping[str, str] = field(default_factory=dict)

    def with_errors(self, errors: list[FieldError]) -> Form:
        """The same form showing these errors."""
        return Form(self.form_id, self.title, self.fields, self.submit, {e.field: e.message for e in errors})
