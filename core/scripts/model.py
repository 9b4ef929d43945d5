"""Interview scripts as typed data: the models a YAML script is validated into."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

RECORD_TARGETS: dict[str, tuple[str, ...]] = {
    "interviewee.alias": ("text",),
    "interviewee.segment": ("text", "choice"),
    "interviewee.role": ("text",),
    "interviewee.met": ("text", "choice"),
    "interview.date": ("date",),
    "jobs": ("list",),
    "pains": ("list",),
    "gains": ("list",),
    "price.spends_now": ("money",),
    "price.too_cheap": ("money",),
    "price.bargain": ("money",),
    "price.getting_expensive": ("money",),
    "price.too_expensive": ("money",),
    "commitment.kind": ("choice",),
    "commitment.note": ("text", "long_text"),
    "commitment.amount": ("money",),
    "evidence": ("hypotheses",),
    "quote": ("text", "long_text"),
    "sean_ellis": ("choice",),
}
"""Where an answer lands in the structured record, and which question kinds may feed it."""

COMMITMENT_KINDS = ("none", "time", "reputation", "money")
SEAN_ELLIS_VALUES = ("very", "somewhat", "not", "na")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Condition(_Strict):
    """A structured skip condition: the question is asked only when this holds."""

    question: str | None = None
    equals: Any = None
    not_equals: Any = None
    in_: list[Any] | None = Field(default=None, alias="in")
    not_in: list[Any] | None = None
    answered: bool | None = None
    all: list[Condition] | None = None
    any: list[Condition] | None = None


class Option(_Strict):
    """One choice of a choice or multi-choice question."""

    value: str = Field(min_length=1, max_length=40, pattern=r"^[a-z0-9_]+$")
    label: str = Field(min_length=1, max_length=60)


class _QuestionBase(_Strict):
    id: str = Field(min_length=1, max_length=40, pattern=r"^[a-z][a-z0-9_]*$")
    prompt: str = Field(min_length=1)
    short: str | None = Field(default=None, min_length=1, max_length=24)
    """A few words naming the question on a button (the edit picker), e.g. "Role"."""
    hint: str | None = None
    optional: bool = False
    when: Condition | None = None
    records: str | None = None


class TextQuestion(_QuestionBase):
    """A short free-text answer."""

    kind: Literal["text"]
    coach: bool = False
    verbatim: bool = False  # the interviewee's own words: the coach never asks to retype them
    soft_max_length: int = Field(default=300, ge=1)


class LongTextQuestion(_QuestionBase):
    """A story or quote: long free text, checked by the Mom Test coach."""

    kind: Literal["long_text"]
    coach: bool = True
    verbatim: bool = False  # the interviewee's own words: the coach never asks to retype them
    soft_max_length: int = Field(default=6000, ge=1)


class ChoiceQuestion(_QuestionBase):
    """Pick exactly one option."""

    kind: Literal["choice"]
    options: list[Option] = Field(min_length=2, max_length=12)


class MultiChoiceQuestion(_QuestionBase):
    """Pick one or more options."""

    kind: Literal["multi_choice"]
    options: list[Option] = Field(min_length=2, max_length=12)
    min_selected: int = Field(default=1, ge=0)


class ScaleQuestion(_QuestionBase):
    """A whole number on a short scale, such as severity 1-5."""

    kind: Literal["scale"]
    min: int = 1
    max: int = 5
    labels: dict[int, str] = Field(default_factory=dict)


class NumberQuestion(_QuestionBase):
    """A number, optionally bounded."""

    kind: Literal["number"]
    min: float | None = None
    max: float | None = None
    integer: bool = False


class MoneyQuestion(_QuestionBase):
    """An amount of money with its currency and period, e.g. "$20/mo" or "1 500 ₽"."""

    kind: Literal["money"]
    greater_than: str | None = None


class DateQuestion(_QuestionBase):
    """A calendar date: today, yesterday or a written date."""

    kind: Literal["date"]
    past_only: bool = True


class YesNoQuestion(_QuestionBase):
    """Yes or no."""

    kind: Literal["yes_no"]


ItemField = Annotated[
    TextQuestion | LongTextQuestion | ChoiceQuestion | ScaleQuestion | NumberQuestion | MoneyQuestion | YesNoQuestion,
    Field(discriminator="kind"),
]


class ListQuestion(_QuestionBase):
    """A list of items, each with sub-questions, added until the founder says done."""

    kind: Literal["list"]
    item_name: str = Field(min_length=1, max_length=30)
    fields: list[ItemField] = Field(min_length=1)
    min_items: int = Field(default=0, ge=0)
    max_items: int = Field(default=10, ge=1, le=30)


class HypothesesQuestion(_QuestionBase):
    """Which team hypotheses this interview touched, each supported or refuted."""

    kind: Literal["hypotheses"]
    max_items: int = Field(default=8, ge=1, le=20)


AnyQuestion = (
    TextQuestion
    | LongTextQuestion
    | ChoiceQuestion
    | MultiChoiceQuestion
    | ScaleQuestion
    | NumberQuestion
    | MoneyQuestion
    | DateQuestion
    | YesNoQuestion
    | ListQuestion
    | HypothesesQuestion
)

Question = Annotated[AnyQuestion, Field(discriminator="kind")]


class Script(_Strict):
    """A whole interview script: ordered questions and what they record."""

    id: str = Field(min_length=1, max_length=40, pattern=r"^[a-z][a-z0-9_-]*$")
    version: int = Field(default=1, ge=1)
    title: str = Field(min_length=1)
    description: str = ""
    questions: list[Question] = Field(min_length=1)

    def question(self, question_id: str) -> AnyQuestion:
        """The top-level question with this id."""
        for question in self.questions:
            if question.id == question_id:
                return question
        raise KeyError(question_id)

    def index_of(self, question_id: str) -> int:
        """The position of a top-level question."""
        for index, question in enumerate(self.questions):
            if question.id == question_id:
                return index
        raise KeyError(question_id)


Condition.model_rebuild()
