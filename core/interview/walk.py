"""The path through a script: which positions apply given the answers so far, and moving along it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from core.domain import HypothesisRef
from core.i18n import N_
from core.interview.state import InterviewState, Position
from core.scripts.model import (
    AnyQuestion,
    ChoiceQuestion,
    Condition,
    HypothesesQuestion,
    ListQuestion,
    Option,
    Script,
    TextQuestion,
)

NEW_HYPOTHESIS = "new"
_STANCE_OPTIONS = [Option(value="supports", label=N_("Supports")), Option(value="refutes", label=N_("Refutes"))]


def item_fields(question: ListQuestion | HypothesesQuestion, hypotheses: Sequence[HypothesisRef]) -> list[AnyQuestion]:
    """The sub-questions asked for each item of a list (hypothesis links get built-in ones)."""
    if isinstance(question, ListQuestion):
        return list(question.fields)
    options = [
        Option.model_construct(value=h.code.lower(), label=_short(f"{h.code}: {h.statement}")) for h in hypotheses
    ]
    options.append(Option(value=NEW_HYPOTHESIS, label=N_("New hypothesis…")))
    return [
        ChoiceQuestion.model_construct(
            id="hypothesis",
            kind="choice",
            prompt=N_("Which hypothesis did this interview touch?"),
            hint=N_("Pick one, then say whether it supports or refutes it. Tap Done when finished."),
            optional=False,
            when=None,
            records=None,
            options=options,
        ),
        TextQuestion(
            id="statement",
            kind="text",
            prompt=N_("State the new hypothesis in one sentence."),
            hint=N_("For example: Office managers at 20-100 person companies lose hours every week on X."),
            when=Condition(question="hypothesis", equals=NEW_HYPOTHESIS),
        ),
        ChoiceQuestion.model_construct(
            id="stance",
            kind="choice",
            prompt=N_("Does this interview support or refute it?"),
            hint=None,
            optional=False,
            when=None,
            records=None,
            options=_STANCE_OPTIONS,
        ),
    ]


def is_list(question: AnyQuestion) -> bool:
    """True for questions answered as a list of items."""
    return isinstance(question, (ListQuestion, HypothesesQuestion))


def holds(condition: Condition | None, answers: dict[str, Any], item: dict[str, Any] | None = None) -> bool:
    """Evaluate a structured skip condition; an unanswered or skipped reference never matches."""
    if condition is None:
        return True
    if condition.all is not None:
        return all(holds(inner, answers, item) for inner in condition.all)
    if condition.any is not None:
        return any(holds(inner, answers, item) for inner in condition.any)
    name = condition.question or ""
    scope = item if item is not None and name in item else answers
    present = scope.get(name) is not None
    if condition.answered is not None:
        return present == condition.answered
    if not present:
        return False
    value = scope[name]
    values = value if isinstance(value, list) else [value]
    if condition.equals is not None:
        return condition.equals in values
    if condition.not_equals is not None:
        return condition.not_equals not in values
    if condition.in_ is not None:
        return any(v in condition.in_ for v in values)
    if condition.not_in is not None:
        return not any(v in condition.not_in for v in values)
    return True


def question_at(script: Script, position: Position, hypotheses: Sequence[HypothesisRef]) -> AnyQuestion:
    """The question (or list field) asked at a position."""
    question = script.question(position.question)
    if isinstance(question, (ListQuestion, HypothesesQuestion)):
        return item_fields(question, hypotheses)[position.field]
    return question


def items_of(interview: InterviewState, question_id: str) -> list[dict[str, Any]]:
    """The items entered so far for a list question."""
    value = interview.answers.get(question_id)
    return value if isinstance(value, list) else []


def path(script: Script, interview: InterviewState, hypotheses: Sequence[HypothesisRef]) -> list[Position]:
    """Every position that applies given the current answers, in asking order."""
    positions: list[Position] = []
    answers = interview.answers
    for question in script.questions:
        if not holds(question.when, answers):
            continue
        if not isinstance(question, (ListQuestion, HypothesesQuestion)):
            positions.append(Position(question.id))
            continue
        if question.id in answers and answers[question.id] is None:
            positions.append(Position(question.id))  # skipped list: one position to come back to
            continue
        fields = item_fields(question, hypotheses)
        items = items_of(interview, question.id)
        if not items and question.id in interview.closed_lists:
            positions.append(Position(question.id))  # finished with no items: one position to come back to
            continue
        for index, item in enumerate(items):
            for number, item_field in enumerate(fields):
                if holds(item_field.when, answers, item):
                    positions.append(Position(question.id, index, number))
        if question.id not in interview.closed_lists and len(items) < question.max_items:
            positions.append(Position(question.id, len(items), 0))
    return positions


def is_answered(interview: InterviewState, position: Position, script: Script) -> bool:
    """True when the position already holds an answer (a skip counts)."""
    question = script.question(position.question)
    if not isinstance(question, (ListQuestion, HypothesesQuestion)):
        return position.question in interview.answers
    if interview.answers.get(position.question, []) is None:
        return True
    items = items_of(interview, position.question)
    if position.item >= len(items):
        return not items and position.question in interview.closed_lists  # finished with no items
    return item_fields(question, ())[position.field].id in items[position.item]


def _order(script: Script, position: Position) -> tuple[int, int, int]:
    return (script.index_of(position.question), position.item, position.field)


def next_position(script: Script, interview: InterviewState, hypotheses: Sequence[HypothesisRef]) -> Position | None:
    """Where to go after the cursor; when editing from the summary, only unanswered positions elsewhere."""
    if interview.cursor is None:
        return None
    here = _order(script, interview.cursor)
    for position in path(script, interview, hypotheses):
        if _order(script, position) <= here:
            continue
        editing_here = interview.editing == position.question
        if interview.editing is None or editing_here or not is_answered(interview, position, script):
            return position
    return None


def previous_position(
    script: Script, interview: InterviewState, hypotheses: Sequence[HypothesisRef]
) -> Position | None:
    """The position before the cursor on the path (the last one from the summary), or None at the start."""
    positions = path(script, interview, hypotheses)
    if interview.cursor is None:
        return positions[-1] if positions else None
    here = _order(script, interview.cursor)
    earlier = [position for position in positions if _order(script, position) < here]
    return earlier[-1] if earlier else None


@dataclass(frozen=True)
class Progress:
    """Where the founder is: question number, how many questions in all, and whether that total is an estimate."""

    number: int
    total: int
    about: bool


def progress(script: Script, interview: InterviewState, hypotheses: Sequence[HypothesisRef]) -> Progress:
    """Top-level questions that apply, counting those whose condition is still open, so the total never grows.

    A question asked only under a condition on answers still to come counts until that answer rules it out;
    while any such question is left the total is "about" (it can only shrink)."""
    counted, about = [], False
    for question in script.questions:
        if holds(question.when, interview.answers):
            counted.append(question.id)
        elif question.when is not None and not _decided(question.when, interview.answers):
            counted.append(question.id)
            about = True
    current = interview.cursor.question if interview.cursor else ""
    number = counted.index(current) + 1 if current in counted else len(counted)
    return Progress(number, len(counted), about)


def _decided(condition: Condition, answers: dict[str, Any]) -> bool:
    """True when every question the condition looks at has been answered (or skipped)."""
    nested = (condition.all or []) + (condition.any or [])
    if nested:
        return all(_decided(inner, answers) for inner in nested)
    return condition.question is None or condition.question in answers


def _short(text: str, limit: int = 56) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
