"""Loads interview scripts from YAML and reports every problem with its line and field."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pydantic import TypeAdapter, ValidationError
from pydantic_core import ErrorDetails

from core.i18n import N_, gettext_for
from core.scripts.model import (
    COMMITMENT_KINDS,
    RECORD_TARGETS,
    SEAN_ELLIS_VALUES,
    AnyQuestion,
    ChoiceQuestion,
    Condition,
    ListQuestion,
    MoneyQuestion,
    MultiChoiceQuestion,
    NumberQuestion,
    Question,
    ScaleQuestion,
    Script,
)
from core.yaml_data import Loc, YamlInvalid, YamlLocator, YamlProblem, dotted, parse_yaml

KINDS = (
    "text",
    "long_text",
    "choice",
    "multi_choice",
    "scale",
    "number",
    "money",
    "date",
    "yes_no",
    "list",
    "hypotheses",
)


ScriptProblem = YamlProblem
ScriptInvalid = YamlInvalid
_QUESTION: TypeAdapter[AnyQuestion] = TypeAdapter(Question)


def load_script_text(text: str, source: str, lang: str = "en") -> Script:
    """Parse and validate a script; raise ScriptInvalid naming file, line and field."""
    _ = gettext_for(lang)
    data, locate = parse_yaml(text, source, lang)
    if not isinstance(data, dict):
        message = _("a script must be a mapping with id, title and questions")
        raise ScriptInvalid([ScriptProblem(source, 1, "", message)])
    problems: list[ScriptProblem] = []
    script: Script | None = None
    try:
        script = Script.model_validate(data)
        questions: list[tuple[int, AnyQuestion | str]] = list(enumerate(script.questions))
    except ValidationError as exc:
        problems += [_shape_problem(error, source, locate, lang) for error in exc.errors()]
        questions = _questions_one_by_one(data.get("questions"))
    problems += [
        ScriptProblem(source, locate.line(loc), _dotted(loc), _(message).format(**args))
        for loc, message, args in _semantic_problems(questions)
    ]
    if problems or script is None:
        raise ScriptInvalid(sorted(problems, key=lambda problem: problem.line))
    return script


def _shape_problem(error: ErrorDetails, source: str, locate: YamlLocator, lang: str) -> ScriptProblem:
    """One pydantic error as a problem with line and field."""
    _ = gettext_for(lang)
    loc = tuple(error["loc"])
    message = error["msg"]
    if error["type"] in ("union_tag_invalid", "union_tag_not_found"):
        loc = (*loc, "kind")
        found = error.get("ctx", {}).get("tag")
        message = _("unknown kind {kind!r}; use one of: {kinds}").format(kind=found, kinds=", ".join(KINDS))
        if error["type"] == "union_tag_not_found":
            message = _("every question needs a kind: {kinds}").format(kinds=", ".join(KINDS))
    return ScriptProblem(source, locate.line(loc), _dotted(loc), message)


def _questions_one_by_one(raw: object) -> list[tuple[int, AnyQuestion | str]]:
    """The questions that validate on their own, so a file's shape errors and meaning errors show in one run.

    A question that does not validate stands in as its id (when it has one), so later references to it
    and a second use of its id are still judged fairly."""
    questions: list[tuple[int, AnyQuestion | str]] = []
    for index, item in enumerate(raw if isinstance(raw, list) else []):
        try:
            questions.append((index, _QUESTION.validate_python(item)))
        except ValidationError:
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                questions.append((index, item["id"]))
    return questions


def _dotted(loc: Loc) -> str:
    return dotted(loc, set(KINDS))


Problem = tuple[Loc, str, dict[str, Any]]


def _semantic_problems(questions: list[tuple[int, AnyQuestion | str]]) -> Iterator[Problem]:
    seen: dict[str, AnyQuestion] = {}
    broken: set[str] = set()
    used_records: set[str] = set()
    for index, question in questions:
        loc: Loc = ("questions", index)
        question_id = question if isinstance(question, str) else question.id
        if question_id in seen or question_id in broken:
            yield (*loc, "id"), N_("the id {id!r} is used twice"), {"id": question_id}
        if isinstance(question, str):
            broken.add(question)
            continue
        yield from _question_problems(question, loc, seen, broken)
        if question.records:
            if question.records in used_records:
                message = N_("{target!r} is already recorded by another question")
                yield (*loc, "records"), message, {"target": question.records}
            used_records.add(question.records)
        if isinstance(question, ListQuestion):
            yield from _list_problems(question, loc, seen, broken)
        seen[question.id] = question


def _question_problems(
    question: AnyQuestion, loc: Loc, earlier: dict[str, AnyQuestion], broken: set[str]
) -> Iterator[Problem]:
    if question.when is not None:
        yield from _condition_problems(question.when, (*loc, "when"), earlier, broken)
    if question.records is not None:
        allowed = RECORD_TARGETS.get(question.records)
        if allowed is None:
            message = N_("unknown target {target!r}; use one of: {known}")
            yield (*loc, "records"), message, {"target": question.records, "known": ", ".join(RECORD_TARGETS)}
        elif question.kind not in allowed:
            message = N_("{target!r} needs a question of kind {kinds}, not {kind}")
            args = {"target": question.records, "kinds": " or ".join(allowed), "kind": question.kind}
            yield (*loc, "records"), message, args
    if isinstance(question, (ChoiceQuestion, MultiChoiceQuestion)):
        values = [option.value for option in question.options]
        for position, value in enumerate(values):
            if values.index(value) != position:
                yield (*loc, "options", position, "value"), N_("the value {value!r} is used twice"), {"value": value}
        allowed_values = {"commitment.kind": COMMITMENT_KINDS, "sean_ellis": SEAN_ELLIS_VALUES}.get(
            question.records or ""
        )
        if allowed_values:
            for position, value in enumerate(values):
                if value not in allowed_values:
                    message = N_("{value!r} is not one of: {known}")
                    args = {"value": value, "known": ", ".join(allowed_values)}
                    yield (*loc, "options", position, "value"), message, args
    if isinstance(question, ScaleQuestion):
        if not question.min < question.max <= question.min + 10:
            yield (*loc, "max"), N_("a scale needs min < max and at most 11 steps"), {}
        for label_value in question.labels:
            if not question.min <= label_value <= question.max:
                yield (*loc, "labels", label_value), N_("label {value} is outside the scale"), {"value": label_value}
    if isinstance(question, NumberQuestion) and question.min is not None and question.max is not None:
        if question.min > question.max:
            yield (*loc, "max"), N_("max must not be below min"), {}
    if isinstance(question, MoneyQuestion) and question.greater_than is not None:
        target = earlier.get(question.greater_than)
        if not isinstance(target, MoneyQuestion) and question.greater_than not in broken:
            message = N_("{id!r} is not an earlier money question")
            yield (*loc, "greater_than"), message, {"id": question.greater_than}


def _list_problems(
    question: ListQuestion, loc: Loc, earlier: dict[str, AnyQuestion], broken: set[str]
) -> Iterator[Problem]:
    siblings: dict[str, AnyQuestion] = dict(earlier)
    field_ids: set[str] = set()
    for position, item_field in enumerate(question.fields):
        field_loc: Loc = (*loc, "fields", position)
        if item_field.id in field_ids:
            yield (*field_loc, "id"), N_("the id {id!r} is used twice"), {"id": item_field.id}
        if item_field.records is not None:
            yield (*field_loc, "records"), N_("fields of a list item cannot record; the list does"), {}
        yield from _question_problems(item_field, field_loc, siblings, broken)
        field_ids.add(item_field.id)
        siblings[item_field.id] = item_field
    if question.min_items > question.max_items:
        yield (*loc, "min_items"), N_("min_items must not exceed max_items"), {}
    if question.records in ("pains", "gains") and "text" not in field_ids:
        yield (
            (*loc, "fields"),
            N_("a list recorded as {target} needs a field with id 'text'"),
            {"target": question.records},
        )
    if question.records == "jobs" and not field_ids & {"text", "want"}:
        yield (*loc, "fields"), N_("a list recorded as jobs needs a field 'text' or 'want'"), {}


def _condition_problems(
    condition: Condition, loc: Loc, earlier: dict[str, AnyQuestion], broken: set[str]
) -> Iterator[Problem]:
    nested = (condition.all or []) + (condition.any or [])
    tests = [condition.equals, condition.not_equals, condition.in_, condition.not_in, condition.answered]
    if condition.all is not None or condition.any is not None:
        key = "all" if condition.all is not None else "any"
        for position, inner in enumerate(nested):
            yield from _condition_problems(inner, (*loc, key, position), earlier, broken)
        return
    if condition.question is None:
        yield (*loc, "question"), N_("a condition names the question it depends on"), {}
        return
    target = earlier.get(condition.question)
    if target is None and condition.question in broken:
        return  # the question it names is already reported as broken
    if target is None:
        message = N_("{id!r} is not an earlier question")
        yield (*loc, "question"), message, {"id": condition.question}
        return
    if sum(test is not None for test in tests) != 1:
        message = N_("use exactly one of equals, not_equals, in, not_in, answered")
        yield loc, message, {}
        return
    if isinstance(target, (ChoiceQuestion, MultiChoiceQuestion)):
        known = {option.value for option in target.options}
        located: list[tuple[Loc, Any]] = [((*loc, "equals"), condition.equals)]
        located.append(((*loc, "not_equals"), condition.not_equals))
        for key, listed in (("in", condition.in_), ("not_in", condition.not_in)):
            located += [((*loc, key, position), value) for position, value in enumerate(listed or [])]
        for value_loc, value in located:
            if value is not None and not isinstance(value, bool) and value not in known:
                message = N_("{value!r} is not an option of {id!r}")
                yield value_loc, message, {"value": value, "id": condition.question}
