"""The job sentence: built-in connectors in the interview's language, the founder's own never doubled."""

from __future__ import annotations

import pytest

from core.domain import Job
from core.interview.jobs import job_sentence, without_connector
from core.interview.record import extract_record
from core.scripts.model import Script


@pytest.mark.parametrize(
    ("when", "want", "so_that", "lang", "sentence"),
    [
        ("a client pays late", "chase politely", "I pay my team", "en",
         "When a client pays late, I want to chase politely, so that I pay my team"),
        ("when a client pays late,", "I want to chase politely", "so that I pay my team", "en",
         "When a client pays late, I want to chase politely, so that I pay my team"),
        ("When a client pays late", "they want to chase politely", "So I pay my team", "en",
         "When a client pays late, I want to chase politely, so that I pay my team"),
        ("клиент задерживает оплату", "напомнить вежливо", "вовремя заплатить команде", "ru",
         "Когда клиент задерживает оплату, я хочу напомнить вежливо, чтобы вовремя заплатить команде"),
        ("Когда клиент задерживает оплату", "я хочу напомнить вежливо", "чтобы вовремя заплатить команде", "ru",
         "Когда клиент задерживает оплату, я хочу напомнить вежливо, чтобы вовремя заплатить команде"),
        ("когда клиент задерживает оплату", "хочет напомнить вежливо", "Так, чтобы заплатить команде", "ru",
         "Когда клиент задерживает оплату, я хочу напомнить вежливо, чтобы заплатить команде"),
        (None, "sleep", None, "en", "I want to sleep"),
        (None, None, "я высплюсь", "ru", "Чтобы я высплюсь"),
    ],
)  # fmt: skip
def test_the_sentence_reads_right_in_both_languages(
    when: str | None, want: str | None, so_that: str | None, lang: str, sentence: str
) -> None:
    assert job_sentence(when, want, so_that, lang) == sentence


def test_only_whole_connector_words_are_taken_off() -> None:
    assert without_connector("when", "whenever it rains") == "it rains"
    assert without_connector("when", "Whenwise reports are late") == "Whenwise reports are late"
    assert without_connector("so_that", "solid books at month-end") == "solid books at month-end"
    assert without_connector("want", "хочу") == ""
    assert without_connector("want", "to fill the slot") == "fill the slot"
    assert without_connector("want", "top up the diary") == "top up the diary"


def test_a_russian_interview_saves_a_russian_job_with_its_type(scripts: dict[str, Script]) -> None:
    jobs = [
        {
            "when": "Когда приходит счёт",
            "want": "Я хочу оплатить сразу",
            "so_that": "не платить пени",
            "type": "emotional",
        }
    ]
    [job] = extract_record(scripts["discovery"], {"jobs": jobs}, {}, "ru").jobs
    assert job == Job(
        "Когда приходит счёт, я хочу оплатить сразу, чтобы не платить пени",
        "Когда приходит счёт",
        "Я хочу оплатить сразу",
        "не платить пени",
        "emotional",
    )


def test_the_discovery_script_asks_the_jobs_type(scripts: dict[str, Script]) -> None:
    jobs = scripts["discovery"].question("jobs")
    [kind] = [field for field in jobs.fields if field.id == "type"]
    assert [option.value for option in kind.options] == ["functional", "social", "emotional"]
