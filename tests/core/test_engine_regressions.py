"""Regression tests for engine bugs found while writing the suite (one test per bug)."""

from __future__ import annotations

import pytest

from core.domain import Commitment
from core.interview.effects import AnswerSaved, InterviewStatusChanged
from core.scripts.loader import load_script_text
from core.scripts.model import Script
from tests.core.test_engine_kinds import KINDS_YAML, at
from tests.core.test_engine_navigation import discovery_at_hypotheses, quick_at_commitment


@pytest.mark.parametrize("typed", ["²", "٣٣", "9" * 5000])
def test_odd_digits_typed_on_a_choice_are_asked_again_not_a_crash(scripts: dict[str, Script], typed: str) -> None:
    # match_option called int() on any str.isdigit() text: "²" and 5,000 digits raised ValueError
    convo = quick_at_commitment(scripts)
    convo.send(typed)
    assert convo.question == "commitment_kind" and "commitment_kind" not in convo.answers


def test_fullwidth_digit_still_picks_a_choice(scripts: dict[str, Script]) -> None:
    convo = quick_at_commitment(scripts)
    convo.send("３")
    assert convo.answers["commitment_kind"] == "reputation"


@pytest.mark.parametrize("code", ["v²", "v--1", "e²", "e" + "9" * 5000])
def test_odd_digits_in_payload_codes_are_not_a_crash(scripts: dict[str, Script], code: str) -> None:
    # the engine called int() after str.isdigit() on payload parts ("²".isdigit() is True)
    convo = quick_at_commitment(scripts)
    convo.send("/back")  # the severity scale
    convo.payload(f"{convo.state.turn}|{code}")
    assert convo.answers["pains"][0]["severity"] == 4 and not convo.new_effects
    convo.payload(f"²|{code}")
    assert "has passed" in convo.text


@pytest.mark.parametrize("confirm", ["typed", "button"])
def test_a_paused_interview_can_be_cancelled(scripts: dict[str, Script], confirm: str) -> None:
    # the paused message says "/cancel to drop it", but the yes was answered with "paused" forever
    convo = quick_at_commitment(scripts)
    convo.send("/pause")
    convo.send("/cancel")
    assert convo.codes == ["y", "n"]
    convo.send("yes") if confirm == "typed" else convo.tap("y")
    assert convo.state.interview is None
    assert convo.new_effects == [InterviewStatusChanged("iv-1", "cancelled", convo.now)]


def test_a_paused_interview_declining_cancel_stays_paused(scripts: dict[str, Script]) -> None:
    convo = quick_at_commitment(scripts)
    convo.send("/pause")
    convo.send("/cancel")
    convo.tap("n")
    assert convo.state.interview is not None and convo.state.interview.paused and not convo.new_effects
    assert "paused" in convo.text
    convo.send("/resume")
    assert convo.question == "commitment_kind"


def test_pausing_twice_records_one_status_change(scripts: dict[str, Script]) -> None:
    convo = quick_at_commitment(scripts)
    convo.send("/pause")
    convo.send("/pause")
    assert not convo.new_effects and "paused" in convo.text
    assert sum(isinstance(effect, InterviewStatusChanged) for effect in convo.effects) == 1


def test_skip_inside_an_optional_list_keeps_the_finished_items(scripts: dict[str, Script]) -> None:
    # Skip on the stance of a third link used to wipe all three links
    convo = discovery_at_hypotheses(scripts)
    for code in ("o:h1", "o:supports", "o:h2", "o:refutes", "o:new"):
        convo.tap(code)
    convo.send("Studios switch banks")
    assert "s" in convo.codes  # on the stance of the unfinished third link
    convo.tap("s")
    assert convo.question == "quote"
    kept = [{"hypothesis": "h1", "stance": "supports"}, {"hypothesis": "h2", "stance": "refutes"}]
    assert convo.answers["hypotheses"] == kept
    assert convo.new_effects[0] == AnswerSaved("iv-1", "hypotheses", kept, (), convo.now)


def test_skip_of_an_unfinished_first_item_skips_the_list_and_keep_works_there(scripts: dict[str, Script]) -> None:
    # a skipped list showed "Now: (skipped)" with a Keep button that answered "no answer here yet"
    convo = discovery_at_hypotheses(scripts)
    convo.tap("o:h1")
    convo.tap("s")
    assert convo.answers["hypotheses"] is None and convo.question == "quote"
    convo.tap("b")
    assert convo.question == "hypotheses" and "(skipped)" in convo.text and "k" in convo.codes
    convo.tap("k")
    assert convo.question == "quote" and convo.answers["hypotheses"] is None


def test_back_reaches_a_list_finished_without_items(scripts: dict[str, Script]) -> None:
    # a list closed with zero items had no position on the path: Back jumped over it
    convo = discovery_at_hypotheses(scripts)
    convo.tap("d")
    assert convo.question == "quote"
    convo.tap("b")
    assert convo.question == "hypotheses"
    convo.tap("b")
    assert convo.question == "gains" and "d" in convo.codes
    convo.send("Get paid within a week")
    convo.send("Fewer awkward calls")
    convo.tap("d")
    assert convo.answers["gains"] == [{"text": "Get paid within a week"}, {"text": "Fewer awkward calls"}]
    assert convo.question == "hypotheses"


def test_editing_another_answer_does_not_stop_at_an_empty_list(scripts: dict[str, Script]) -> None:
    convo = discovery_at_hypotheses(scripts)
    convo.tap("d")
    convo.send("/skip")
    convo.tap("o:none")
    assert convo.mode == "summary" and convo.answers["gains"] == [] and convo.answers["hypotheses"] == []
    convo.tap("ed")
    convo.tap("e1")
    convo.send("Anya")
    assert convo.mode == "summary"


def test_skipping_a_kept_compliment_drops_its_flag(scripts: dict[str, Script]) -> None:
    # skip set the answer to None but left its coach flag, so evidence stayed "weak"
    convo = discovery_at_hypotheses(scripts)
    convo.tap("o:h1")
    convo.tap("o:supports")
    convo.tap("d")
    convo.send("Great idea, I love it!")
    convo.tap("k")
    assert convo.state.interview is not None and convo.state.interview.flags == {"quote": ["compliment"]}
    convo.tap("o:none")
    convo.edit("quote")
    convo.tap("s")
    assert convo.state.interview is not None and convo.state.interview.flags == {}
    convo.tap("sv")
    assert convo.record().evidence[0].strength == "medium"


def test_a_changed_commitment_drops_answers_whose_condition_no_longer_holds(scripts: dict[str, Script]) -> None:
    # an amount typed for a money commitment stayed in the record after the kind was changed to a meeting
    convo = discovery_at_hypotheses(scripts)
    convo.tap("d")
    convo.send("/skip")
    convo.tap("o:money")
    convo.send("Pilot from December")
    convo.send("$500")
    convo.edit("commitment_kind")
    convo.tap("o:time")
    assert convo.mode == "summary" and "$500" not in convo.text
    convo.tap("sv")
    assert convo.record().commitments == (Commitment("time", "Pilot from December"),)


def test_summary_does_not_show_a_statement_of_a_link_changed_to_an_existing_hypothesis(
    scripts: dict[str, Script],
) -> None:
    convo = discovery_at_hypotheses(scripts)
    convo.tap("o:new")
    convo.send("Studios switch banks")
    convo.tap("b")
    convo.tap("b")
    convo.tap("o:h2")  # the statement no longer applies
    convo.tap("o:supports")
    convo.tap("d")
    convo.send("/skip")
    convo.tap("o:none")
    assert convo.mode == "summary" and "Studios switch banks" not in convo.text and "H2" in convo.text
    convo.tap("sv")
    evidence = convo.record().evidence
    assert [(e.hypothesis, e.new_statement) for e in evidence] == [("H2", None)]


def test_back_while_editing_still_returns_to_the_summary(scripts: dict[str, Script]) -> None:
    # Back cleared the edit, so the founder had to Keep through every later question to see the summary again
    convo = quick_at_commitment(scripts)
    convo.tap("o:none")
    convo.tap("s")
    convo.edit("pains")
    convo.tap("k")
    convo.tap("b")  # back inside the edited list
    convo.tap("k")
    convo.tap("v5")
    assert convo.mode == "summary" and convo.answers["pains"][0]["severity"] == 5
    convo.edit("pains")
    convo.tap("b")  # back out of the edited question, to the one before it
    assert convo.question == "segment"
    convo.send("Freelance translators")
    assert convo.question == "pains", "the edited question is asked again"
    convo.tap("k")
    convo.tap("k")
    assert convo.mode == "summary" and convo.answers["segment"] == "Freelance translators"


@pytest.mark.parametrize("typed", ["done", "4", "Done ✔", "готово"])
def test_multi_choice_done_can_be_typed(typed: str) -> None:
    # plain-text renderers number "Done ✔" after the options; typing it (or "done") was rejected as a bad option
    kinds = {"kinds": load_script_text(KINDS_YAML, "kinds.yaml")}
    convo = at(kinds, "tools")
    assert [choice.label for choice in convo.reply.flat_choices()][3] == "Done ✔"
    convo.send(typed)
    assert "at least 1" in convo.text and "tools" not in convo.answers
    convo.tap("t:notion")
    convo.send(typed)
    assert convo.answers["tools"] == ["notion"] and convo.question == "severity"


def test_skipping_a_new_hypothesis_while_revisiting_an_earlier_item_drops_only_that_item(
    scripts: dict[str, Script],
) -> None:
    # skip_list dropped only an unfinished LAST item: an earlier item turned into "new" and then skipped stayed
    # in the list without its statement, and an evidence link to "new" with no hypothesis was saved
    convo = discovery_at_hypotheses(scripts)
    for answer in ("1", "1", "2", "2"):  # H1 supports, H2 refutes
        convo.send(answer)
    for _ in range(4):  # back through item 2 to item 1's hypothesis
        convo.send("/back")
    convo.send("3")  # item 1 becomes a new hypothesis…
    assert "State the new hypothesis" in convo.text
    convo.send("/skip")  # …and is dropped, not kept half-made
    assert convo.answers["hypotheses"] == [{"hypothesis": "h2", "stance": "refutes"}]
