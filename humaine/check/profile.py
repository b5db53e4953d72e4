"""The case profile: the fixed facts about a use case that the classification rests on.

The questionnaire fills it (see :mod:`humaine.check.questionnaire`) and the API takes it
as its request body, so both paths reach the same classification. Sectors, AI functions
and Annex I legislation are catalogue data: their allowed values come from the
catalogue, so adding one is a data change.
"""

from __future__ import annotations

from typing import Any, Literal

from django.apps import apps
from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

AffectedGroup = Literal[
    "workers",
    "applicants",
    "patients",
    "insured_persons",
    "customers",
    "students",
    "benefit_claimants",
    "public",
    "businesses",
]
NATURAL_PERSON_GROUPS: tuple[str, ...] = (
    "workers",
    "applicants",
    "patients",
    "insured_persons",
    "customers",
    "students",
    "benefit_claimants",
    "public",
)
InsuranceLine = Literal["life", "health", "motor", "property", "liability", "other"]
DecisionRole = Literal["decides", "proposes", "assists", "prepares", "none"]
Art63Condition = Literal[
    "narrow_procedural_task",
    "improves_completed_human_activity",
    "detects_decision_patterns",
    "preparatory_task",
]
OrganisationRole = Literal[
    "develops", "uses", "rebrands", "modifies_substantially", "changes_purpose", "imports",
    "distributes",
]  # fmt: skip
AnnexIRole = Literal["none", "product", "safety_component"]
DeviceClass = Literal["I", "IIa", "IIb", "III", "A", "B", "C", "D"]
WorksCouncil = Literal["yes", "no", "unknown"]
WorkerRelation = Literal["subject", "operate"]

# Profile fields whose allowed values are entries of a catalogue section.
CATALOGUE_ENUMS: dict[str, str] = {
    "sector": "sectors",
    "functions": "functions",
    "annex_i_legislation": "annex_i",
}
# Facts where "yes" (or more entries) lowers duties. When respondents disagree on one of
# these, the questionnaire keeps the reading that keeps the duties.
RELAXING_FIELDS: frozenset[str] = frozenset(
    {
        "research_only",
        "art6_3_conditions",
        "medical_or_safety_purpose",
        "ai_interaction_obvious",
        "standard_editing_only",
        "editorial_responsibility",
    }
)
# A "no" lowers duties here (the system is not an AI system at all).
NEGATIVE_RELAXING_FIELDS: frozenset[str] = frozenset({"is_ai_system"})


def _default_catalogue():
    """The hub's catalogue, as the check app loaded it.

    The catalogue's checks read this module (its conditions name the profile's facts), so
    the profile asks the app for the catalogue instead of importing the catalogue package.
    """
    return apps.get_app_config("check").catalogue


def _catalogue_enum(section: str):
    def extra(schema: dict[str, Any]) -> None:
        ids = _default_catalogue().ids(section)
        target = schema["items"] if schema.get("type") == "array" else schema
        target["enum"] = ids

    return extra


class CaseProfile(BaseModel):
    """The facts about one AI use case on which the EU AI Act classification and the
    co-determination flags rest. Unknown tri-state facts are ``null``; the check then
    states the assumption it made and lists the fact as open."""

    model_config = ConfigDict(
        extra="forbid",
        title="CaseProfile",
        json_schema_extra={
            "examples": [
                {
                    "sector": "industry",
                    "purpose": "Rank incoming job applications for the recruiters",
                    "functions": ["recruitment_selection"],
                    "affected_persons": ["applicants"],
                    "decision_role": "assists",
                    "profiles_natural_persons": True,
                    "organisation_roles": ["uses"],
                    "used_at_workplace": True,
                    "works_council": "yes",
                    "employees_count": 450,
                }
            ]
        },
    )

    sector: str = Field(
        "other",
        description="Sector of the organisation using the AI (catalogue section 'sectors').",
        json_schema_extra=_catalogue_enum("sectors"),
    )
    purpose: str = Field(
        "",
        max_length=2000,
        description="Intended purpose in one or two sentences, in the organisation's words.",
    )
    is_ai_system: bool = Field(
        True,
        description=(
            "Is it an AI system in the sense of Art. 3(1) AI Act: a machine-based system that "
            "infers from its input how to generate outputs (predictions, content, "
            "recommendations, decisions), e.g. by machine learning or logic- and "
            "knowledge-based inference? False for software that only executes rules "
            "defined by people."
        ),
    )
    research_only: bool = Field(
        False,
        description=(
            "Only research, testing or development before being placed on the market or put "
            "into service (Art. 2(8) AI Act; testing in real-world conditions is not covered)."
        ),
    )
    functions: list[str] = Field(
        default_factory=list,
        description=(
            "What the AI is intended to do (catalogue section 'functions'). Each Annex III "
            "point and Art. 5 practice in the catalogue names the functions that trigger it."
        ),
        json_schema_extra=_catalogue_enum("functions"),
    )
    affected_persons: list[AffectedGroup] = Field(
        default_factory=list,
        description=(
            "Who is affected by the outputs: workers (incl. the organisation's employees), "
            "applicants, patients, insured_persons, customers (natural persons), students "
            "(incl. apprentices), benefit_claimants, public, businesses (legal persons only)."
        ),
    )
    insurance_lines: list[InsuranceLine] = Field(
        default_factory=list,
        description=(
            "For insurance use: the lines of business concerned. Annex III point 5(c) covers "
            "risk assessment and pricing for natural persons in life and health insurance only."
        ),
    )
    decision_role: DecisionRole = Field(
        "assists",
        description=(
            "How the output is used: 'decides' (takes effect without a person deciding the "
            "individual case), 'proposes' (a person confirms or changes each proposed "
            "decision), 'assists' (scores, rankings, flags or information for a person's "
            "decision), 'prepares' (preparatory or procedural work such as sorting, "
            "extracting, translating), 'none' (no decisions about people or cases)."
        ),
    )
    art6_3_conditions: list[Art63Condition] = Field(
        default_factory=list,
        description=(
            "Art. 6(3) AI Act conditions the intended purpose meets, which can take an "
            "Annex III system out of high risk when it poses no significant risk of harm: "
            "narrow_procedural_task (a), improves_completed_human_activity (b), "
            "detects_decision_patterns without replacing or influencing the human "
            "assessment without proper human review (c), preparatory_task (d). Never "
            "applies when the system profiles natural persons."
        ),
    )
    profiles_natural_persons: bool | None = Field(
        None,
        description=(
            "Does the system profile natural persons (GDPR Art. 4(4): automated evaluation "
            "of personal aspects such as performance at work, economic situation, health, "
            "reliability, behaviour, location)?"
        ),
    )
    significant_effects: bool | None = Field(
        None,
        description=(
            "Do the decisions the system makes or supports have legal or similarly "
            "significant effects on persons (job, contract, price, benefit, treatment)?"
        ),
    )
    annex_i_legislation: list[str] = Field(
        default_factory=list,
        description=(
            "Union harmonisation legislation of Annex I AI Act covering the product "
            "(catalogue section 'annex_i'), e.g. mdr for a medical device, machinery."
        ),
        json_schema_extra=_catalogue_enum("annex_i"),
    )
    annex_i_role: AnnexIRole | None = Field(
        None,
        description=(
            "Is the AI itself the product ('product') or a safety component of it "
            "('safety_component', Art. 3(14): fulfils a safety function, or its failure "
            "endangers health and safety of persons or property), or 'none' of both? "
            "Unknown (null) with Annex I legislation given is read as 'product'."
        ),
    )
    third_party_conformity_assessment: bool | None = Field(
        None,
        description=(
            "Does the product need a third-party (notified body) conformity assessment under "
            "that legislation? If unknown, derived from device_class where possible."
        ),
    )
    device_class: DeviceClass | None = Field(
        None,
        description=(
            "Risk class under the sectoral legislation: MDR class I, IIa, IIb, III; IVDR "
            "class A, B, C, D."
        ),
    )
    organisation_roles: list[OrganisationRole] = Field(
        default_factory=lambda: ["uses"],
        description=(
            "What the organisation does with the system: 'develops' (develops it or has it "
            "developed and places it on the market or puts it into service under its own "
            "name, including for its own use), 'uses' (uses it under its authority), "
            "'rebrands' (puts its name on a system another placed on the market), "
            "'modifies_substantially', 'changes_purpose' (uses or offers it for a purpose "
            "its provider did not intend), 'imports', 'distributes'."
        ),
    )
    public_body: bool = Field(
        False,
        description=(
            "The organisation is a public authority or a body governed by public law (e.g. "
            "a statutory health insurance fund, a municipal hospital)."
        ),
    )
    on_behalf_of_public_authority: bool = Field(
        False, description="The system is used on behalf of a public authority."
    )
    provides_public_services: bool = Field(
        False,
        description=(
            "A private organisation providing public services (e.g. education, health care, "
            "social services, housing); relevant for the FRIA under Art. 27."
        ),
    )
    used_at_workplace: bool | None = Field(
        None,
        description=(
            "The organisation puts the system into use at its own workplace: its employees "
            "use it or are subject to it."
        ),
    )
    can_monitor_workers: bool | None = Field(
        None,
        description=(
            "Are the system or its data objectively suitable to monitor behaviour or "
            "performance of identifiable workers (or of small groups whose pressure passes "
            "to individuals), whatever the intention? BAG case law on §87(1) no. 6 BetrVG."
        ),
    )
    workers_relation: list[WorkerRelation] = Field(
        default_factory=list,
        description=(
            "How the organisation's employees meet the system: 'subject' (it evaluates or "
            "monitors them or allocates their work), 'operate' (they work with it and use "
            "its outputs). Decides which reading of Art. 26(7) AI Act applies."
        ),
    )
    plans_work_procedures: bool | None = Field(
        None,
        description=(
            "The system is planned into work procedures or processes of the establishment "
            "(which steps the AI takes, who checks its outputs): §90(1) no. 3 BetrVG."
        ),
    )
    medical_or_safety_purpose: bool = Field(
        False,
        description=(
            "Emotion recognition is intended to be put in place for medical or safety reasons "
            "(the exception in Art. 5(1)(f))."
        ),
    )
    interacts_with_natural_persons: bool = Field(
        False, description="Interacts directly with natural persons, e.g. a chatbot (Art. 50(1))."
    )
    ai_interaction_obvious: bool = Field(
        False,
        description=(
            "It is obvious to a reasonably well-informed person that they interact with AI."
        ),
    )
    generates_synthetic_content: bool = Field(
        False,
        description="Generates synthetic audio, image, video or text content (Art. 50(2)).",
    )
    standard_editing_only: bool = Field(
        False,
        description=(
            "Only an assistive function for standard editing, or does not substantially "
            "alter the input (exception in Art. 50(2))."
        ),
    )
    deep_fake: bool = Field(
        False,
        description=(
            "Generates or manipulates image, audio or video that resembles existing persons, "
            "objects, places or events and would falsely appear authentic (Art. 50(4))."
        ),
    )
    public_interest_text: bool = Field(
        False,
        description=(
            "Generates or manipulates text published to inform the public on matters of "
            "public interest (Art. 50(4), second subparagraph)."
        ),
    )
    editorial_responsibility: bool = Field(
        False,
        description=(
            "Such text undergoes human review or editorial control and a person holds "
            "editorial responsibility."
        ),
    )
    provides_gpai_model: bool = Field(
        False,
        description=(
            "The organisation places a general-purpose AI model on the market (Art. 53); "
            "using or fine-tuning someone else's model for one system is not that."
        ),
    )
    processes_personal_data: bool | None = Field(
        None, description="The system processes personal data (GDPR Art. 4(1))."
    )
    special_category_data: bool | None = Field(
        None,
        description=(
            "It processes special categories of personal data (GDPR Art. 9), e.g. health data."
        ),
    )
    works_council: WorksCouncil = Field(
        "unknown", description="Is there a works council (Betriebsrat) in the establishment?"
    )
    employees_count: int | None = Field(
        None, ge=0, le=10_000_000, description="Number of employees of the organisation."
    )
    changes_work_substantially: bool | None = Field(
        None,
        description=(
            "Does the system substantially change tasks, work processes, skills needed or "
            "the number of jobs?"
        ),
    )
    country: str = Field(
        "DE",
        min_length=2,
        max_length=5,
        description="Country of the establishment (ISO code); German co-determination for DE.",
    )

    @field_validator("sector", "functions", "annex_i_legislation")
    @classmethod
    def _in_catalogue(cls, value: Any, info: ValidationInfo) -> Any:
        catalogue = (info.context or {}).get("catalogue") or _default_catalogue()
        section = CATALOGUE_ENUMS[info.field_name]
        allowed = set(catalogue.ids(section))
        values = value if isinstance(value, list) else [value]
        unknown = [v for v in values if v not in allowed]
        if unknown:
            raise ValueError(
                f"unknown value(s) {unknown} for {info.field_name}; allowed: {sorted(allowed)}"
            )
        if not isinstance(value, list):
            return value
        order = {v: i for i, v in enumerate(catalogue.ids(section))}
        return sorted(set(value), key=order.__getitem__)

    @field_validator(
        "affected_persons",
        "insurance_lines",
        "art6_3_conditions",
        "organisation_roles",
        "workers_relation",
    )
    @classmethod
    def _canonical(cls, value: list[str], info: ValidationInfo) -> list[str]:
        # One order for list facts, so equal facts give equal profiles.
        order = {v: i for i, v in enumerate(field_choices(info.field_name) or [])}
        return sorted(set(value), key=lambda v: order.get(v, len(order)))

    @field_validator("country")
    @classmethod
    def _upper(cls, value: str) -> str:
        return value.upper()


def field_choices(name: str, catalogue=None) -> list[str] | None:
    """Return the allowed values of a profile field, or None for free values."""
    import typing

    if name in CATALOGUE_ENUMS:
        return list((catalogue or _default_catalogue()).ids(CATALOGUE_ENUMS[name]))
    annotation = CaseProfile.model_fields[name].annotation
    for arg in (annotation, *typing.get_args(annotation)):
        for inner in (arg, *typing.get_args(arg)):
            if typing.get_origin(inner) is Literal:
                return list(typing.get_args(inner))
    return None


def field_kind(name: str) -> str:
    """Return 'bool', 'list', 'int', 'str' or 'choice' for a profile field."""
    import typing

    annotation = CaseProfile.model_fields[name].annotation
    if typing.get_origin(annotation) is list:
        return "list"
    if typing.get_origin(annotation) is Literal:
        return "choice"
    args = [a for a in typing.get_args(annotation) if a is not type(None)] or [annotation]
    base = args[0]
    if base is bool:
        return "bool"
    if base is int:
        return "int"
    if typing.get_origin(base) is list:
        return "list"
    if typing.get_origin(base) is Literal:
        return "choice"
    return "str"
