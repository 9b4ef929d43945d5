"""A script as one form (a Slack modal), and a submitted form run through the engine as one interview.

The form is built from the script; the submitted values are fed to the same engine a chat uses, question by
question, on a scratch conversation, so every answer is parsed and validated exactly as if it were typed or
pressed. A value the engine does not accept becomes an error next to its field, and nothing is stored.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import get_args

from core.i18n import gettext_for
from core.interview.effects import Effect
from core.interview.engine import Context, step
from core.interview.payloads import Action, Option, Scale, decode, encode
from core.interview.state import ConversationState, Position
from core.messages import ChoicePressed, CommandInvoked, Form, FormField, Incoming, Input, Reply, TextSent
from core.messages.forms import FieldKind
from core.scripts.model import AnyQuestion, ChoiceQuestion, ListQuestion, ScaleQuestion, Script, YesNoQuestion

MAX_STEPS = 200
FORM_KINDS = frozenset(get_args(FieldKind))


def _field(question: AnyQuestion, field_id: str, lang: str, optional: bool) -> FormField:
    _ = gettext_for(lang)
    options: tuple[tuple[str, str], ...] = ()
    if isinstance(question, ChoiceQuestion):
        options = tuple((option.value, _(option.label)) for option in question.options)
    elif isinstance(question, ScaleQuestion):
        options = tuple(
            (str(v), f"{v} — {_(question.labels[v])}" if v in question.labels else str(v))
            for v in range(question.min, question.max + 1)
        )
    elif isinstance(question, YesNoQuestion):
        options = (("yes", _("Yes")), ("no", _("No")))
    hint = _(question.hint) if question.hint else None
    kind = question.kind
    assert kind in FORM_KINDS
    return FormField(field_id, _(question.prompt), kind, optional, hint, options)  # type: ignore[arg-type]


def script_form(script: Script, lang: str) -> Form | None:
    """The script as one form (a one-item list's questions flattened as `list.field`); None when a form cannot
    hold it (skip conditions, lists of several items, hypothesis links)."""
    _ = gettext_for(lang)
    fields: list[FormField] = []
    for question in script.questions:
        if question.when is not None:
            return None
        if isinstance(question, ListQuestion):
            if question.max_items != 1:
                return None
            for sub in question.fields:
                optional = question.optional or question.min_items == 0 or sub.optional
                fields.append(_field(sub, f"{question.id}.{sub.id}", lang, optional))
        elif question.kind in FORM_KINDS:
            fields.append(_field(question, question.id, lang, question.optional))
        else:
            return None
    return Form(script.id, _(script.title), tuple(fields), _("Save ✅"))


@dataclass
class Filled:
    """What a submitted form became: the engine's effects and last replies, or errors by field id."""

    effects: list[Effect] = field(default_factory=list)
    replies: list[Reply] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)


def _field_id(script: Script, cursor: Position) -> str:
    question = script.question(cursor.question)
    if isinstance(question, ListQuestion):
        return f"{question.id}.{question.fields[cursor.field].id}"
    return question.id


def _pressing(replies: list[Reply], wanted: str) -> str | None:
    """The payload of the button on screen that picks `wanted` (an option value or a scale point)."""
    for reply in replies:
        for choice in reply.flat_choices():
            decoded = decode(choice.payload)
            code = decoded[1] if decoded else None
            if isinstance(code, Option) and code.value == wanted:
                return choice.payload
            if isinstance(code, Scale) and str(code.value) == wanted:
                return choice.payload
            if code in (Action.YES, Action.NO) and str(code) == {"yes": "y", "no": "n"}.get(wanted):
                return choice.payload
    return None


def fill(script: Script, form: Form, values: dict[str, str], incoming: Incoming, ctx: Context, lang: str) -> Filled:
    """Run one interview of the script through the engine with the form's values."""
    _ = gettext_for(lang)
    optional = {f.id: f.optional for f in form.fields}
    result = Filled(
        errors={
            f.id: _("Please fill this in.") for f in form.fields if not f.optional and not values.get(f.id, "").strip()
        }
    )
    if result.errors:
        return result
    state, replies = ConversationState(lang=lang), []

    def feed(event: Input) -> None:
        nonlocal state, replies
        stepped = step(state, replace(incoming, input=event), ctx)
        state, replies = stepped.state, stepped.replies
        result.effects.extend(stepped.effects)

    feed(CommandInvoked("interview", script.id))
    for _step in range(MAX_STEPS):
        interview = state.interview
        if interview is None:
            result.replies = replies
            return result
        if state.pending is not None and state.pending.kind == "warning":
            feed(CommandInvoked("keep"))
        elif interview.mode == "summary":
            feed(ChoicePressed(encode(state.turn, Action.SAVE)))
        elif interview.cursor is None:
            break
        else:
            field_id, at = _field_id(script, interview.cursor), interview.cursor
            value = values.get(field_id, "").strip()
            if not value:
                feed(CommandInvoked("skip") if optional.get(field_id, True) else TextSent(""))
            else:
                payload = _pressing(replies, value)
                feed(ChoicePressed(payload) if payload else TextSent(value))
            moved = state.interview is None or state.interview.cursor != at or state.interview.mode != "asking"
            if not moved and state.pending is None:
                result.errors[field_id] = replies[0].plain_text.split("\n")[0] if replies else _("Please check this.")
                break
    if not result.errors:
        result.errors[form.fields[0].id] = _(
            "Sorry, that didn't go through and nothing was saved. Please send it again."
        )
    result.effects, result.replies = [], []
    return result
