"""The shipped interview scripts, and precise errors for broken ones (file, line, field — never a traceback)."""

from __future__ import annotations

from importlib import resources

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.interview.walk import item_fields
from core.scripts.catalog import BUILTIN, builtin_scripts, with_extra
from core.scripts.loader import ScriptInvalid, load_script_text
from core.scripts.model import RECORD_TARGETS, HypothesesQuestion, ListQuestion, Script


def shipped_text(name: str) -> str:
    return resources.files("core").joinpath("scripts", f"{name}.yaml").read_text(encoding="utf-8")


def asked(script: Script) -> int:
    """Questions a founder answers, counting each list sub-question once."""
    return sum(
        len(item_fields(q, ())) if isinstance(q, (ListQuestion, HypothesesQuestion)) else 1 for q in script.questions
    )


def test_every_shipped_script_loads() -> None:
    scripts = builtin_scripts()
    assert list(scripts) == list(BUILTIN) == ["discovery", "validation", "quick"]
    for name, script in scripts.items():
        assert script.id == name and script.title and script.questions
        assert load_script_text(shipped_text(name), f"{name}.yaml") == script


def test_quick_has_at_most_six_questions_counting_list_fields() -> None:
    quick = builtin_scripts()["quick"]
    assert asked(quick) <= 6
    assert [q.id for q in quick.questions] == ["alias", "segment", "pains", "commitment_kind", "quote"]


def test_shipped_scripts_cover_the_record() -> None:
    targets = {q.records for script in builtin_scripts().values() for q in script.questions if q.records}
    assert targets == set(RECORD_TARGETS)
    validation = {q.records for q in builtin_scripts()["validation"].questions}
    assert {"price.too_cheap", "price.bargain", "price.getting_expensive", "price.too_expensive"} <= validation


def test_shared_questions_are_worded_identically() -> None:
    prompts: dict[str, set[str]] = {}
    for script in builtin_scripts().values():
        for question in script.questions:
            prompts.setdefault(question.id, set()).add(question.prompt)
    shared = {"alias", "segment", "commitment_kind", "quote"}
    assert all(len(prompts[question_id]) == 1 for question_id in shared)


def test_a_team_script_can_replace_a_shipped_one() -> None:
    mine = load_script_text("id: quick\ntitle: Mine\nquestions:\n  - {id: a, kind: text, prompt: P}\n", "mine.yaml")
    scripts = with_extra([mine])
    assert scripts["quick"].title == "Mine" and scripts["discovery"] == builtin_scripts()["discovery"]


def lines(*rows: str) -> str:
    return "".join(row + "\n" for row in rows)


HEAD = lines("id: s", "title: T", "questions:")  # lines 1-3
CHOICE = lines(  # lines 4-9
    "  - id: a",
    "    kind: choice",
    "    prompt: P",
    "    options:",
    "      - {value: x, label: X}",
    "      - {value: y, label: Y}",
)
TEXT_B = lines("  - id: b", "    kind: text", "    prompt: Q")  # lines 10-12 after CHOICE
A_TEXT = lines("  - id: a", "    kind: text", "    prompt: P")  # lines 4-6
A_LIST = lines("  - id: a", "    kind: list", "    item_name: x", "    prompt: P")  # lines 4-7

BROKEN = [
    # (name, text, line, field, words in the message)
    ("yaml syntax", HEAD + lines("  - id: a", "    kind: text", "   prompt: P"), 6, "", "not valid YAML"),
    ("tab indent", HEAD + lines("\t- id: a"), 4, "", "not valid YAML"),
    ("python tag", lines("id: !!python/object:os.system x", "title: T"), 1, "", "not valid YAML"),
    ("unknown key", HEAD + A_TEXT + lines("    colour: red"), 7, "questions[0].colour", "Extra"),
    ("wrong kind", HEAD + lines("  - id: a", "    prompt: P", "    kind: essay"), 6, "questions[0].kind", "essay"),
    ("missing kind", HEAD + lines("  - id: a", "    prompt: P"), 4, "questions[0].kind", "kind"),
    ("duplicate id", HEAD + A_TEXT + A_TEXT, 7, "questions[1].id", "used twice"),
    (
        "when names a later question",
        HEAD + A_TEXT + lines("    when:", "      question: b", "      answered: true") + TEXT_B,
        8,
        "questions[0].when.question",
        "'b' is not an earlier",
    ),
    (
        "unknown option in equals",
        HEAD + CHOICE + TEXT_B + lines("    when:", "      question: a", "      equals: z"),
        15,
        "questions[1].when.equals",
        "'z' is not an option of 'a'",
    ),
    (
        "unknown option in a list",
        HEAD + CHOICE + TEXT_B + lines("    when:", "      question: a", "      in: [x, z]"),
        15,
        "questions[1].when.in[1]",
        "'z' is not an option",
    ),
    (
        "nested condition",
        HEAD
        + CHOICE
        + TEXT_B
        + lines("    when:", "      all:", "        - {question: a, equals: x}", "        - {question: zz, equals: y}"),
        16,
        "questions[1].when.all[1].question",
        "'zz' is not an earlier",
    ),
    (
        "two tests in a condition",
        HEAD + CHOICE + TEXT_B + lines("    when: {question: a, equals: x, not_equals: y}"),
        13,
        "questions[1].when",
        "exactly one",
    ),
    (
        "bad records target",
        HEAD + A_TEXT + lines("    records: interviewee.shoe_size"),
        7,
        "questions[0].records",
        "unknown target",
    ),
    (
        "records on the wrong kind",
        HEAD + A_TEXT + lines("    records: price.bargain"),
        7,
        "questions[0].records",
        "needs a question of kind money",
    ),
    (
        "records twice",
        HEAD + A_TEXT + lines("    records: quote") + TEXT_B + lines("    records: quote"),
        11,
        "questions[1].records",
        "already recorded",
    ),
    (
        "greater_than a non-money question",
        HEAD + A_TEXT + lines("  - id: b", "    kind: money", "    prompt: Q", "    greater_than: a"),
        10,
        "questions[1].greater_than",
        "not an earlier money question",
    ),
    (
        "scale min >= max",
        HEAD + lines("  - id: a", "    kind: scale", "    prompt: P", "    min: 5", "    max: 5"),
        8,
        "questions[0].max",
        "min < max",
    ),
    (
        "scale label outside",
        HEAD + lines("  - id: a", "    kind: scale", "    prompt: P", "    labels:", "      9: x"),
        8,
        "questions[0].labels[9]",
        "outside the scale",
    ),
    (
        "number min > max",
        HEAD + lines("  - id: a", "    kind: number", "    prompt: P", "    min: 5", "    max: 1"),
        8,
        "questions[0].max",
        "below min",
    ),
    (
        "duplicate option",
        HEAD + CHOICE.replace("value: y", "value: x"),
        9,
        "questions[0].options[1].value",
        "used twice",
    ),
    (
        "commitment option",
        HEAD + CHOICE.replace("    prompt: P", "    prompt: P\n    records: commitment.kind"),
        9,
        "questions[0].options[0].value",
        "'x' is not one of: none, time",
    ),
    (
        "records on a list field",
        HEAD
        + A_LIST
        + lines("    fields:", "      - id: text", "        kind: text", "        prompt: Q", "        records: quote"),
        12,
        "questions[0].fields[0].records",
        "cannot record",
    ),
    (
        "list field kind",
        HEAD + A_LIST + lines("    fields:", "      - id: t", "        kind: date", "        prompt: Q"),
        10,
        "questions[0].fields[0].kind",
        "date",
    ),
    (
        "min_items > max_items",
        HEAD
        + A_LIST
        + lines("    min_items: 5", "    max_items: 2", "    fields:", "      - {id: t, kind: text, prompt: Q}"),
        8,
        "questions[0].min_items",
        "exceed",
    ),
    (
        "pains without text",
        HEAD + A_LIST + lines("    records: pains", "    fields:", "      - {id: t, kind: text, prompt: Q}"),
        10,
        "questions[0].fields",
        "'text'",
    ),
    ("bad id", HEAD + lines("  - id: Bad-Id", "    kind: text", "    prompt: P"), 4, "questions[0].id", "pattern"),
    ("missing title", lines("id: s", "questions:", "  - {id: a, kind: text, prompt: P}"), 1, "title", "required"),
    ("no questions", lines("id: s", "title: T", "questions: []"), 3, "questions", "at least 1"),
    ("top level is a list", lines("- a", "- b"), 1, "", "must be a mapping"),
    ("top level is text", lines("just text"), 1, "", "must be a mapping"),
    ("empty file", "", 1, "", "must be a mapping"),
    ("only comments", lines("# nothing here"), 1, "", "must be a mapping"),
]


@pytest.mark.parametrize(("text", "line", "field", "words"), [case[1:] for case in BROKEN], ids=[c[0] for c in BROKEN])
def test_broken_script_names_file_line_and_field(text: str, line: int, field: str, words: str) -> None:
    with pytest.raises(ScriptInvalid) as caught:
        load_script_text(text, "team/broken.yaml")
    problem = caught.value.problems[0]
    assert (problem.source, problem.line, problem.field) == ("team/broken.yaml", line, field)
    assert words in problem.message
    assert str(caught.value).startswith(f"team/broken.yaml:{line}: ")
    assert "Traceback" not in str(caught.value)


def test_every_problem_is_reported_at_once() -> None:
    scale = "  - {id: a, kind: scale, prompt: P, min: 3, max: 1}"
    text = HEAD + lines(scale, "  - {id: a, kind: text, prompt: Q, records: nope}")
    with pytest.raises(ScriptInvalid) as caught:
        load_script_text(text, "x.yaml")
    assert {(p.line, p.field) for p in caught.value.problems} == {
        (4, "questions[0].max"),
        (5, "questions[1].id"),
        (5, "questions[1].records"),
    }


def test_shape_and_meaning_problems_are_reported_in_one_run() -> None:
    text = HEAD + lines(
        "  - {id: a, kind: scale, prompt: P, min: 3, max: 1}",  # meaning: min above max
        "  - {id: b, kind: txt, prompt: Q}",  # shape: unknown kind
        "  - {id: c, kind: text, prompt: R, when: {question: nowhere, answered: true}}",  # meaning
        "  - {id: b, kind: text, prompt: S, when: {question: b, answered: true}}",  # id twice; b is known
    )
    with pytest.raises(ScriptInvalid) as caught:
        load_script_text(text, "x.yaml")
    assert [(p.line, p.field) for p in caught.value.problems] == [
        (4, "questions[0].max"),
        (5, "questions[1].kind"),
        (6, "questions[2].when.question"),
        (7, "questions[3].id"),
    ]


def test_errors_can_be_reported_in_russian() -> None:
    with pytest.raises(ScriptInvalid) as caught:
        load_script_text("", "x.yaml", lang="ru")
    assert caught.value.problems[0].line == 1 and caught.value.problems[0].message


@settings(max_examples=150, deadline=None)
@given(
    name=st.sampled_from(BUILTIN),
    line=st.integers(0, 400),
    how=st.sampled_from(["delete", "duplicate", "insert", "truncate", "indent"]),
    junk=st.text(alphabet=":-[]{}&*!|>'\"#% \tabcxyz0123456789\n", max_size=12),
)
def test_any_damaged_shipped_script_loads_or_says_where(name: str, line: int, how: str, junk: str) -> None:
    lines = shipped_text(name).splitlines(keepends=True)
    at = line % len(lines)
    if how == "delete":
        del lines[at]
    elif how == "duplicate":
        lines.insert(at, lines[at])
    elif how == "insert":
        lines.insert(at, junk + "\n")
    elif how == "truncate":
        lines = lines[:at]
    else:
        lines[at] = "  " + lines[at]
    text = "".join(lines)
    try:
        script = load_script_text(text, f"{name}.yaml")
    except ScriptInvalid as exc:
        assert exc.problems
        for problem in exc.problems:
            assert problem.source == f"{name}.yaml" and problem.message
            assert 1 <= problem.line <= text.count("\n") + 2
    else:
        assert script.questions
