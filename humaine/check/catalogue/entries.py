"""The entries of the check's catalogue: one pydantic model per section, in German and English.

Each ``*.yaml`` file of the catalogue holds sections; a list section (``questions:``,
``rules:``, ...) holds entries with an ``id`` that :data:`LIST_SECTIONS` names the model
of, a mapping section (``meta:``, ``messages:``, ``document_texts:``) holds keyed texts.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from humaine.check.citations import cite

LANGUAGES = ("de", "en")
LINK_TARGETS = ("teaming", "scenarios", "transfer", "check")


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class LocalText(_Entry):
    """A text in German and English."""

    de: str = Field(min_length=1)
    en: str = Field(min_length=1)

    def get(self, lang: str) -> str:
        return self.en if lang == "en" else self.de


class Meta(_Entry):
    version: str
    default_date_set: str
    disagreement_threshold: float = Field(gt=0, le=100)
    min_scored_answers: int = Field(1, ge=1)
    on_disagreement: list[str] = []
    # Profile questions without whose answers the check gives no risk class.
    deciding_questions: list[str] = []
    disclaimer: LocalText


class Step(_Entry):
    id: str
    title: LocalText


class Phase(_Entry):
    id: str
    order: int
    title: LocalText
    description: LocalText
    steps: list[Step] = Field(min_length=1)


class Named(_Entry):
    id: str
    title: LocalText
    description: LocalText


class FunctionGroup(_Entry):
    """A group of AI functions as the question "What does the AI do?" shows them; the groups
    of a case's sector come first."""

    id: str
    title: LocalText
    functions: list[str] = Field(min_length=1)
    sectors: list[str] = []


class Practice(_Entry):
    id: str
    article: str
    title: LocalText
    when: dict[str, Any]
    exception_when: dict[str, Any] | None = None
    exception: LocalText | None = None
    date_key: str


class AnnexIIIPoint(_Entry):
    id: str
    area: int = Field(ge=1, le=8)
    title: LocalText
    when: dict[str, Any]


class AnnexILegislation(_Entry):
    id: str
    act: str
    title: LocalText
    section: Literal["A", "B"] | dict[str, Literal["A", "B"]]
    notified_body_classes: list[str] = []
    self_assessment_classes: list[str] = []
    # AI functions that, without any Annex I answer, imply this legislation.
    implied_by_functions: list[str] = []
    note: LocalText | None = None

    def section_for(self, date_set: str) -> str:
        return self.section if isinstance(self.section, str) else self.section[date_set]


class Transparency(_Entry):
    id: str
    article: str
    title: LocalText
    duty_of: Literal["provider", "deployer"]
    when: dict[str, Any]


class Reading(_Entry):
    """Which reading of a provision applies when ``when`` holds, said in ``note``."""

    when: dict[str, Any]
    note: LocalText


class Obligation(_Entry):
    id: str
    law: str
    article: str
    title: LocalText
    text: LocalText
    applies_to: list[Literal["provider", "deployer", "importer", "distributor"]] = Field(
        min_length=1
    )
    check_for: list[Literal["provider", "deployer", "importer", "distributor"]] = []
    when: dict[str, Any]
    date_key: str
    legacy_date_key: str | None = None
    # Where readings of the provision differ: the first whose condition holds is shown.
    readings: list[Reading] = []


class DateEntry(_Entry):
    date: dt.date
    source: str = Field(min_length=1)
    certainty: Literal["certain", "uncertain"] = "certain"
    note: LocalText | None = None


class DateSet(_Entry):
    id: str
    title: LocalText
    source: str
    note: LocalText
    inherits: str | None = None
    dates: dict[str, DateEntry]


class CoDetermination(_Entry):
    id: str
    norm: str
    kind: Literal["information", "expert", "consent", "negotiation"]
    step: int
    title: LocalText
    consequence: LocalText
    when: dict[str, Any] | None = None
    check_when: dict[str, Any] | None = None


class Option(_Entry):
    id: str
    label: LocalText
    score: float | None = Field(None, ge=0, le=100)


class ProfileMapping(_Entry):
    field: str
    value: str | None = None


class Anchors(_Entry):
    low: LocalText
    high: LocalText


class Question(_Entry):
    id: str
    phase: str
    step: str
    criterion: str
    roles: list[str] = Field(min_length=1)
    type: Literal["yes_no", "single", "multiple", "scale", "number", "text"]
    text: LocalText
    help: LocalText
    options: list[Option] = []
    options_from: str | None = None
    profile: ProfileMapping | None = None
    ask_when: dict[str, Any] | None = None
    good: Literal["yes", "no"] = "yes"
    reverse: bool = False
    anchors: Anchors | None = None

    @property
    def scored(self) -> bool:
        """Answers of this question count towards the criterion's score."""
        if self.profile is not None:
            return False
        if self.type in ("yes_no", "scale"):
            return True
        return self.type in ("single", "multiple") and any(
            o.score is not None for o in self.options
        )


class Source(_Entry):
    """Where a recommendation comes from. Laws and judgments are cited the way the reader's
    language cites them: ``citation`` in English, ``citation_de`` in German where the
    English citation holds more than :func:`humaine.check.citations.cite` converts (words
    of explanation, a court's name); other works keep their title as published."""

    kind: Literal["law", "standard", "guideline", "paper"]
    citation: str = Field(min_length=3)
    citation_de: str | None = Field(default=None, min_length=3)
    url: str | None = None

    def shown(self, lang: str) -> tuple[str, str]:
        """The citation a reader of ``lang`` sees, and the language it is written in."""
        if lang != "de":
            return self.citation, "en"
        if self.citation_de:
            return self.citation_de, "de"
        if self.kind == "law":
            return cite(self.citation, "de"), "de"
        return self.citation, "en"


class Link(_Entry):
    target: str
    ref: str
    label: LocalText


class Recommendation(_Entry):
    id: str
    criterion: str
    phase: str
    priority: Literal["must", "should", "could"]
    title: LocalText
    text: LocalText
    method: LocalText
    sources: list[Source] = Field(min_length=1)
    links: list[Link] = []


class Recommend(_Entry):
    id: str
    priority: Literal["must", "should", "could"] | None = None


class Rule(_Entry):
    id: str
    when: dict[str, Any]
    finding: LocalText | None = None
    severity: Literal["high", "medium", "low"] = "medium"
    criterion: str | None = None
    recommend: list[Recommend | str] = []

    def recommendations(self) -> list[Recommend]:
        return [r if isinstance(r, Recommend) else Recommend(id=r) for r in self.recommend]


class Contradiction(_Entry):
    """Profile answers that cannot both be right; the check asks which is before a class."""

    id: str
    when: dict[str, Any]
    questions: list[str] = Field(min_length=1)
    text: LocalText


class Document(_Entry):
    id: str
    title: LocalText
    text: LocalText


LIST_SECTIONS: dict[str, type[_Entry]] = {
    "phases": Phase,
    "criteria": Named,
    "roles": Named,
    "sectors": Named,
    "functions": Named,
    "function_groups": FunctionGroup,
    "practices": Practice,
    "annex_iii": AnnexIIIPoint,
    "annex_i": AnnexILegislation,
    "transparency": Transparency,
    "obligations": Obligation,
    "date_sets": DateSet,
    "codetermination": CoDetermination,
    "questions": Question,
    "recommendations": Recommendation,
    "rules": Rule,
    "contradictions": Contradiction,
    "documents": Document,
}
MAPPING_SECTIONS = ("meta", "messages", "document_texts")
