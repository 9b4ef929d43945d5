"""The `cusdev` command line, driven as a user would: piped chats, exports, script checks."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from core.board.phases import PHASES, default_gates_text
from core.i18n import gettext_for
from tests.bot.cli_support import QUICK, cusdev, use_database


@pytest.fixture(autouse=True)
def database(db_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    use_database(monkeypatch, tmp_path, db_url)
    return db_url


def test_piped_quick_interview_then_json_export() -> None:
    out = cusdev("chat", "--script", "quick", "--as", "alice", input=QUICK)
    assert "Saved ✅ Your interview with Anna is in." in out
    document = json.loads(cusdev("export", "--format", "json"))
    assert set(document) == {"teams", "interviews", "hypotheses"}
    [interview] = document["interviews"]
    for key in (
        "id",
        "team",
        "founder",
        "interviewee",
        "script",
        "started_at",
        "completed_at",
        "status",
        "answers",
        "jobs",
        "pains",
        "gains",
        "price",
        "commitments",
        "evidence",
    ):
        assert key in interview, key
    assert interview["interviewee"] == {"alias": "Anna", "segment": "Dental clinics", "role": None}
    assert interview["status"] == "completed" and interview["founder"] == "alice"
    assert interview["pains"] == [{"text": "Scheduling chaos every morning", "severity": 4, "frequency": None}]
    assert interview["commitments"] == [{"kind": "time", "note": None, "amount": None, "currency": None}]
    assert interview["answers"]["quote"] == "We lost 12 bookings in October"
    assert document["teams"][0]["slug"] == "default"


def test_csv_has_one_row_per_interview_and_md_escapes_user_text(tmp_path: Path) -> None:
    cusdev("chat", "--script", "quick", "--as", "alice", input=QUICK)
    cusdev("chat", "--script", "quick", "--as", "bob", input=QUICK.replace("Anna", "*Star* [link](x)"))
    rows = list(csv.DictReader(io.StringIO(cusdev("export", "--format", "csv"))))
    assert [row["alias"] for row in rows] == ["Anna", "*Star* [link](x)"]
    assert rows[0]["pains"] == "Scheduling chaos every morning (4/5)"
    assert json.loads(rows[1]["answers"])["segment"] == "Dental clinics"
    markdown = cusdev("export", "--format", "md")
    assert "## Anna · Dental clinics" in markdown
    assert "\\*Star\\* \\[link\\](x)" in markdown and "*Star*" not in markdown.replace("\\*Star\\*", "")
    target = tmp_path / "notes.md"
    cusdev("export", "--format", "md", "--out", str(target))
    assert target.read_text(encoding="utf-8") == markdown


def test_export_filters_by_team() -> None:
    cusdev("chat", "--script", "quick", "--as", "alice", input=QUICK)
    cusdev("chat", "--script", "quick", "--as", "zed", "--team", "globex", input=QUICK)
    document = json.loads(cusdev("export", "--team", "globex"))
    assert [i["founder"] for i in document["interviews"]] == ["zed"]
    assert [t["slug"] for t in document["teams"]] == ["globex"]


def test_chat_resumes_where_it_stopped_across_runs() -> None:
    cusdev("chat", "--script", "discovery", "--as", "alice", input="Maria\nClinics\n")
    out = cusdev("chat", "--as", "alice", input="")
    assert "continuing it" in out and "What is their role or situation?" in out


def test_chat_with_another_script_offers_to_continue_the_open_one() -> None:
    cusdev("chat", "--script", "discovery", "--as", "alice", input="Maria\nClinics\n")
    out = cusdev("chat", "--script", "quick", "--as", "alice", input="1\n")
    assert "You have an unfinished interview:" in out and "Problem interview, question 3 of" in out
    assert "started just now" in out and "1. Continue Problem interview (3/" in out
    assert "2. Cancel it, start Quick log" in out
    assert "What is their role or situation?" in out  # "1" continued it
    [interview] = json.loads(cusdev("export"))["interviews"]
    assert interview["status"] == "in_progress" and interview["script"] == "discovery"


def test_chat_with_another_script_can_cancel_the_open_one_and_keeps_saved_ones() -> None:
    cusdev("chat", "--script", "quick", "--as", "alice", input=QUICK)
    cusdev("chat", "--script", "discovery", "--as", "alice", input="Maria\nClinics\n")
    out = cusdev("chat", "--script", "quick", "--as", "alice", input="2\n" + QUICK.replace("Anna", "Olga"))
    assert "The unfinished interview “Problem interview” is cancelled" in out
    assert "Saved ✅ Your interview with Olga is in." in out
    interviews = json.loads(cusdev("export"))["interviews"]
    assert [(i["script"], i["status"]) for i in interviews] == [
        ("quick", "completed"),
        ("discovery", "cancelled"),
        ("quick", "completed"),
    ]
    assert interviews[0]["interviewee"]["alias"] == "Anna" and interviews[1]["answers"]["alias"] == "Maria"


def test_unknown_script_is_a_friendly_error() -> None:
    out = cusdev("chat", "--script", "nope", input="", code=2)
    assert "There is no interview called “nope”" in out and "discovery" in out


def test_russian_chat_uses_the_catalog() -> None:
    out = cusdev("chat", "--script", "quick", "--lang", "ru", "--as", "olga", input="")
    ru = gettext_for("ru")
    prompt = "Who did you talk to? A first name or nickname is enough."
    assert ru(prompt) != prompt and ru(prompt) in out


def test_lang_option_wins_over_the_stored_language() -> None:
    ru, prompt = gettext_for("ru"), "Who did you talk to? A first name or nickname is enough."
    first = cusdev("chat", "--script", "quick", "--lang", "ru", "--as", "olga", input="")
    assert ru(prompt) in first
    second = cusdev("chat", "--lang", "en", "--as", "olga", input="")
    assert prompt in second and ru(prompt) not in second
    assert "Bye!" in second
    third = cusdev("chat", "--as", "olga", input="")  # no --lang: the stored choice (now English) stays
    assert prompt in third


def test_unknown_lang_option_says_so() -> None:
    out = cusdev("chat", "--lang", "de", "--as", "olga", input="", code=2)
    assert "There is no language “de”. Choose one of: en, ru." in out


def test_script_check_accepts_shipped_scripts() -> None:
    root = Path(__file__).resolve().parents[2] / "core" / "scripts"
    out = cusdev("script", "check", *(str(p) for p in sorted(root.glob("*.yaml"))))
    assert out.count(": OK") == 3


def test_script_check_counts_questions_with_russian_plurals(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEFAULT_LANGUAGE", "ru")
    root = Path(__file__).resolve().parents[2] / "core" / "scripts"
    out = cusdev("script", "check", str(root / "quick.yaml"))
    assert "5 вопросов" in out and "вопросов: 5" not in out


def test_script_check_reports_file_line_and_field(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "id: mine\ntitle: Mine\nquestions:\n  - id: who\n    kind: text\n    prompt: Who?\n"
        "  - id: size\n    kind: scale\n    prompt: How big?\n    min: 5\n    max: 1\n"
        "  - id: who\n    kind: txt\n    prompt: Again\n",
        encoding="utf-8",
    )
    out = cusdev("script", "check", str(bad), code=1)
    assert f"{bad}:13: questions[2].kind: unknown kind 'txt'" in out
    assert f"{bad}:11: questions[1].max:" in out and f"{bad}:12: questions[2].id:" in out  # one run, every problem
    missing = cusdev("script", "check", str(tmp_path / "missing.yaml"), code=1)
    assert "no such file" in missing


def test_script_check_reports_yaml_syntax_with_line(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("id: x\ntitle: X\nquestions:\n  - id: a\n    prompt: [unclosed\n", encoding="utf-8")
    out = cusdev("script", "check", str(broken), code=1)
    assert "not valid YAML" in out and f"{broken}:" in out


def test_broken_team_script_stops_chat_with_its_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "scripts"
    folder.mkdir()
    (folder / "ours.yaml").write_text("id: ours\ntitle: Ours\nquestions: []\n", encoding="utf-8")
    monkeypatch.setenv("SCRIPTS_DIR", str(folder))
    out = cusdev("chat", input="", code=2)
    assert "ours.yaml:3: questions" in out


def test_db_upgrade_is_idempotent() -> None:
    assert "up to date" in cusdev("db", "upgrade")
    assert "up to date" in cusdev("db", "upgrade")


def test_invalid_setting_names_the_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEFAULT_CURRENCY", "dollars")
    out = cusdev("chat", input="", code=2)
    assert "configuration is invalid" in out and "default_currency" in out


def test_markdown_export_shows_unfinished_interviews_with_their_answers_so_far() -> None:
    cusdev("chat", "--script", "discovery", "--as", "alice", input="Maria\nClinics\nOffice manager\n")
    markdown = cusdev("export", "--format", "md")
    assert "## Maria · Clinics · Office manager" in markdown and "in progress" in markdown


def test_board_json_holds_phase_gate_hypotheses_and_analytics() -> None:
    cusdev("chat", "--script", "quick", "--as", "alice", input=QUICK)
    document = json.loads(cusdev("board", "--format", "json"))
    assert document["phase"] == "discovery"
    assert [item["id"] for item in document["gate"]["items"]] == [
        "problem_interviews",
        "top_pain",
        "problem_and_segment_validated",
    ]
    for key in ("hypotheses", "top_pains", "top_jobs", "top_gains", "sean_ellis", "commitments", "pace", "price"):
        assert key in document, key
    assert document["top_pains"][0]["text"] == "Scheduling chaos every morning"
    assert document["sean_ellis"] == {"n": 0, "very_disappointed_share": None}
    assert document["pace"]["total"] == 1 and document["price"] == []
    text = cusdev("board")
    assert "Customer Discovery" in text and "Exit gate" in text


def test_board_for_an_unknown_team_says_so() -> None:
    out = cusdev("board", "--team", "nobody", code=2)
    assert "There is no team called nobody" in out


def test_gates_set_validates_and_show_prints_the_teams_gates(tmp_path: Path) -> None:
    cusdev("chat", "--script", "quick", "--as", "alice", input=QUICK)
    bad = tmp_path / "gates.yaml"
    bad.write_text("discovery:\n  - id: few\n    check: interviews\n", encoding="utf-8")
    assert f"{bad}:2: discovery[0]: this check needs min" in cusdev("gates", "set", str(bad), code=1)
    good = tmp_path / "ours.yaml"
    rest = "".join(f"{phase}:\n  - id: ok\n    check: manual\n    label: Ok\n" for phase in PHASES[1:])
    good.write_text("discovery:\n  - id: few\n    check: interviews\n    min: 3\n" + rest, encoding="utf-8")
    assert "Gates saved" in cusdev("gates", "set", str(good))
    assert cusdev("gates", "show") == good.read_text(encoding="utf-8")
    document = json.loads(cusdev("board", "--format", "json"))
    assert [item["id"] for item in document["gate"]["items"]] == ["few"]


def test_gates_set_refuses_bad_text_repeated_ids_and_empty_phases(tmp_path: Path) -> None:
    cusdev("chat", "--script", "quick", "--as", "alice", input=QUICK)
    latin1 = tmp_path / "latin1.yaml"
    latin1.write_bytes("building:\n  - id: caf\n    check: manual\n    label: Café\n".encode("latin-1"))
    out = cusdev("gates", "set", str(latin1), code=1)
    assert out.strip() == f"{latin1}: not UTF-8 text; save it as UTF-8 and try again"
    assert "Traceback" not in out
    twice = tmp_path / "twice.yaml"
    twice.write_text(default_gates_text().replace("id: departments", "id: repeatable_sales"), encoding="utf-8")
    found = cusdev("gates", "set", str(twice), code=1)
    assert "building[1].id: the id repeatable_sales is used twice in this phase" in found
    empty = tmp_path / "empty.yaml"
    empty.write_text(default_gates_text().split("\nbuilding:")[0] + "\nbuilding: []\n", encoding="utf-8")
    assert "building: every phase needs at least one item" in cusdev("gates", "set", str(empty), code=1)
    only = tmp_path / "only.yaml"
    only.write_text("discovery:\n  - id: few\n    check: interviews\n    min: 3\n", encoding="utf-8")
    refused = cusdev("gates", "set", str(only), code=1)
    assert f"{only}:1: validation: every phase needs at least one item (a gate with none never passes)" in refused
    assert cusdev("gates", "show") == default_gates_text()  # nothing was saved


def test_export_then_import_into_an_empty_database_round_trips(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cusdev("chat", "--script", "quick", "--as", "alice", input=QUICK)
    validation = (
        "Boris\nAccountants\nSenior accountant\n$200/mo\nAutomated close\nHe asked for a pilot last week\n1\n1\n"
        "$10\n$40\n$90\n$150\n4\nPaid pilot\n$1 500\nNeeds SOC2\n1\nAccountants lose two days a month\n1\n"
        "/done\n1\n"
    )
    assert "Saved ✅" in cusdev("chat", "--script", "validation", "--as", "bob", input=validation)
    cusdev("chat", "--script", "discovery", "--as", "carol", input="Maria\nClinics\n/team set name Acme Labs\n")
    first = tmp_path / "first.json"
    cusdev("export", "--out", str(first))
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'empty.db'}")
    out = cusdev("import", str(first))
    assert "Imported 3 interviews (0 were already there) and 1 hypotheses; 0 skipped" in out
    again = cusdev("import", str(first))
    assert "Imported 0 interviews (3 were already there)" in again
    second = tmp_path / "second.json"
    cusdev("export", "--out", str(second))
    assert json.loads(first.read_text(encoding="utf-8"))["teams"][0]["name"] == "Acme Labs"
    assert json.loads(second.read_text(encoding="utf-8")) == json.loads(first.read_text(encoding="utf-8"))


def test_price_csv_import_reports_bad_rows_by_line(tmp_path: Path) -> None:
    survey = tmp_path / "survey.csv"
    survey.write_text(
        "too_cheap,bargain,getting_expensive,too_expensive,currency\n5,10,20,40,EUR\n$5,oops,20,40,\n€6,12,25,50,\n",
        encoding="utf-8",
    )
    out = cusdev("import", str(survey), "--as", "alice", code=1)
    assert f"{survey}:3: row 3" in out and "Imported 2 survey answers (0 were already there)" in out
    document = json.loads(cusdev("board", "--format", "json"))
    assert document["pace"]["total"] == 0  # survey answers are not interviews
    assert document["price"] == [
        {"currency": "EUR", "n": 2, "dropped": 0, "needed": 20, "pmc": None, "pme": None, "opp": None, "ipp": None}
    ]


def test_a_notice_for_a_teammate_waits_for_their_terminal() -> None:
    cusdev("chat", "--as", "alice", input="/cancel\n")
    cusdev("chat", "--as", "bob", input="/cancel\n")
    owner = cusdev("chat", "--as", "alice", input="/team role bob mentor\n")
    assert "bob is now a mentor" in owner and "changed your role" not in owner
    told = cusdev("chat", "--as", "bob", input="")
    assert "alice changed your role in default: you are now a mentor (read-only)." in told


def test_a_paged_list_in_the_terminal_names_the_command_for_the_next_page() -> None:
    adds = "".join(f"/hypothesis add vp Clinics lose hours re-booking, take {n}\n" for n in range(1, 10))
    out = cusdev("chat", "--as", "alice", input="/cancel\n" + adds + "/hypotheses\n/hypotheses 2\n")
    assert "Page 1 of 2" in out and "[/hypotheses 2]" in out
    assert "Page 2 of 2" in out and "[/hypotheses 1]" in out and "take 9" in out
    board = cusdev("board")  # printed, not chatted: the whole board, no pages
    assert "take 1 [" in board and "take 9 [" in board and "Page" not in board


def test_price_csv_import_refuses_an_unknown_currency(tmp_path: Path) -> None:
    survey = tmp_path / "survey.csv"
    survey.write_text("5,10,20,40\n", encoding="utf-8")
    out = cusdev("import", str(survey), "--as", "alice", "--currency", "ABC", code=1)
    assert f"{survey}: unknown currency 'ABC': use an ISO 4217 code such as EUR, USD or RUB" in out
    assert "Imported 0 survey answers" in out
