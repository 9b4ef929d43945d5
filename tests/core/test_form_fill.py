"""A script as one form, and a submitted form run through the engine: the same parsing as a chat, errors by field."""

from __future__ import annotations

from datetime import UTC, datetime

from core.interview.effects import InterviewCompleted
from core.interview.engine import Context
from core.interview.form_fill import fill, script_form
from core.messages import FormSubmitted, Incoming, Origin
from core.scripts.catalog import builtin_scripts

SCRIPTS = builtin_scripts()
VALUES = {
    "alias": "Anna",
    "segment": "Clinics",
    "pains.text": "Re-booking by hand",
    "pains.severity": "4",
    "commitment_kind": "time",
    "quote": "",
}


def run(values: dict[str, str], lang: str = "en") -> tuple[dict[str, str], list[object], list[str]]:
    script = SCRIPTS["quick"]
    form = script_form(script, lang)
    assert form is not None
    incoming = Incoming(Origin("slack", "T1", "D1", "U1"), "e1", FormSubmitted("quick", values))
    filled = fill(script, form, values, incoming, Context(SCRIPTS, datetime(2026, 1, 5, tzinfo=UTC), "i1"), lang)
    return filled.errors, filled.effects, [reply.plain_text for reply in filled.replies]


def test_only_scripts_a_form_can_hold_become_forms() -> None:
    forms = {name: script_form(script, "ru") for name, script in SCRIPTS.items()}
    assert forms["quick"] is not None and forms["discovery"] is None
    assert forms["quick"].fields[0].label.startswith("С кем")
    assert [f.id for f in forms["quick"].fields] == list(VALUES)


def test_a_complete_form_is_one_completed_interview() -> None:
    errors, effects, replies = run(VALUES)
    assert errors == {} and isinstance(effects[-1], InterviewCompleted)
    completed = effects[-1]
    assert isinstance(completed, InterviewCompleted) and completed.record.pains[0].severity == 4
    assert replies == ["Saved ✅ Your interview with Anna is in. Start the next one with /interview."]


def test_missing_and_refused_values_are_errors_by_field_and_nothing_else() -> None:
    errors, effects, _replies = run({**VALUES, "alias": " ", "segment": ""}, lang="ru")
    assert errors == {"alias": "Заполните это поле.", "segment": "Заполните это поле."} and effects == []
    errors, effects, _replies = run({**VALUES, "pains.severity": "9"})
    assert errors == {"pains.severity": "Please pick a number from 1 to 5."} and effects == []
