"""EU AI Act classification of a case profile, with German co-determination flags.

Everything the law says lives in the catalogue (``catalogue/ai_act.yaml`` and
``catalogue/codetermination.yaml``); this module only walks it in the order of the Act:
scope, prohibited practices (Art. 5), Annex I products (Art. 6(1)), Annex III use cases
with the Art. 6(3) exceptions (Art. 6(2)-(3)), transparency (Art. 50), roles (Art. 3, 25),
obligations with their dates, and co-determination. Each step records which facts led
where, so the result can show its reasoning.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from humaine.check.catalogue import Catalogue, LocalText, default_catalogue
from humaine.check.conditions import Evaluation, evaluate
from humaine.check.profile import NATURAL_PERSON_GROUPS, CaseProfile

RiskClass = Literal["prohibited", "high_risk", "limited_risk", "minimal_risk", "out_of_scope"]
ROLE_ORDER = ("provider", "deployer", "importer", "distributor")
ART6_3_LETTERS = {"narrow_procedural_task": "(a)", "improves_completed_human_activity": "(b)",
                  "detects_decision_patterns": "(c)", "preparatory_task": "(d)"}  # fmt: skip


class ReasoningStep(BaseModel):
    """One step of the classification: what was decided, on which article, from which facts."""

    model_config = ConfigDict(frozen=True)

    code: str
    article: str
    facts: list[str]
    questions: list[str] = []
    text: LocalText


class ObligationResult(BaseModel):
    """An obligation that applies to the organisation, with the date it applies from."""

    id: str
    law: str
    article: str
    title: LocalText
    text: LocalText
    roles: list[str]
    own: bool
    applies_from: dt.date | None
    date_source: str
    certainty: Literal["certain", "uncertain"]
    note: LocalText | None = None


class CoDeterminationFlag(BaseModel):
    """A co-determination right under the BetrVG that applies or should be checked."""

    id: str
    norm: str
    kind: str
    step: int
    title: LocalText
    consequence: LocalText
    status: Literal["applies", "check"]
    active: bool
    note: LocalText | None = None
    facts: list[str]


class PracticeRef(BaseModel):
    id: str
    article: str
    title: LocalText


class Classification(BaseModel):
    """The result of :func:`classify`: risk class, roles, obligations, flags, reasoning."""

    risk_class: RiskClass
    risk_label: LocalText
    planned_risk_class: RiskClass
    in_scope: bool
    prohibited_practices: list[PracticeRef]
    high_risk: bool
    high_risk_basis: list[Literal["annex_iii", "annex_i"]]
    annex_iii_points: list[str]
    annex_i: list[str]
    annex_i_sections: list[str]
    art6_3_exempt: bool
    art6_3_conditions: list[str]
    transparency: list[str]
    roles: list[str]
    provider_by_art25: bool
    decisions_about_persons: bool
    obligations: list[ObligationResult]
    codetermination: list[CoDeterminationFlag]
    reasoning: list[ReasoningStep]
    assumptions: list[LocalText]
    date_set: str
    date_set_title: LocalText
    disclaimer: LocalText

    def facts(self) -> dict[str, Any]:
        """Return the classification facts that conditions of rules can use."""
        return {
            "in_scope": self.in_scope,
            "prohibited": bool(self.prohibited_practices),
            "prohibited_practices": [p.id for p in self.prohibited_practices],
            "high_risk": self.high_risk,
            "high_risk_direct": _high_risk_direct(self.high_risk_basis, self.annex_i_sections),
            "high_risk_basis": list(self.high_risk_basis),
            "annex_iii_points": list(self.annex_iii_points),
            "annex_iii_areas": sorted({_area(p) for p in self.annex_iii_points}),
            "annex_i_sections": list(self.annex_i_sections),
            "art6_3_exempt": self.art6_3_exempt,
            "risk_class": self.risk_class,
            "roles": list(self.roles),
            "provider_by_art25": self.provider_by_art25,
            "decisions_about_persons": self.decisions_about_persons,
            "transparency": list(self.transparency),
            "obligations": [o.id for o in self.obligations],
            "codetermination": [
                f.id for f in self.codetermination if f.active and f.status == "applies"
            ],
            "codetermination_check": [
                f.id for f in self.codetermination if f.active and f.status == "check"
            ],
        }


def _area(point: str) -> int:
    return int(point.split("(")[0])


def _high_risk_direct(basis: list[str], sections: list[str]) -> bool:
    return "annex_iii" in basis or "A" in sections


class _Builder:
    """Collects steps and assumptions while classifying one profile."""

    def __init__(self, catalogue: Catalogue, profile: CaseProfile, law: str):
        self.cat = catalogue
        self.profile = profile
        self.law = law
        self.facts: dict[str, Any] = profile.model_dump()
        self.steps: list[ReasoningStep] = []
        self.assumptions: list[LocalText] = []
        self._assumed: set[str] = set()

    def text(self, key: str, **values: Any) -> LocalText:
        out = {}
        for lang in ("de", "en"):
            filled = {
                k: (v.get(lang) if isinstance(v, LocalText) else v) for k, v in values.items()
            }
            out[lang] = self.cat.message(key, lang, **filled)
        return LocalText(**out)

    def step(self, code: str, article: str, facts: list[str], key: str, /, **values: Any) -> None:
        self.steps.append(
            ReasoningStep(code=code, article=article, facts=facts, text=self.text(key, **values))
        )

    def assume(self, evaluation: Evaluation) -> Evaluation:
        for name, value in evaluation.assumptions:
            self.assume_fact(name, value)
        return evaluation

    def assume_fact(self, name: str, value: Any) -> None:
        if name in self._assumed:
            return
        self._assumed.add(name)
        text = self.text("step_assumption", fact=fact_question(self.cat, name), value=LocalText(
            **{lang: fact_value(self.cat, name, value, lang) for lang in ("de", "en")}
        ))  # fmt: skip
        self.assumptions.append(text)
        self.steps.append(ReasoningStep(code="assumption", article="", facts=[name], text=text))

    def check(self, cond: dict[str, Any], facts: dict[str, Any] | None = None) -> Evaluation:
        return self.assume(evaluate(cond, facts or self.facts))


def _profile_question(cat: Catalogue, name: str) -> Any:
    return next((q for q in cat.profile_questions() if q.profile.field == name), None)


def fact_question(cat: Catalogue, name: str) -> LocalText:
    """The question that asks for a profile fact, as people read it."""
    question = _profile_question(cat, name)
    return question.text if question is not None else LocalText(de=name, en=name)


def fact_value(cat: Catalogue, name: str, value: Any, lang: str) -> str:
    """A fact's value in words: yes/no, or the labels of the chosen options."""
    words = cat.messages
    if isinstance(value, bool):
        return words["answer_yes" if value else "answer_no"].get(lang)
    question = _profile_question(cat, name)
    labels = {o.id: o.label.get(lang) for o in question.options} if question else {}
    values = value if isinstance(value, list) else [value]
    if not values:
        return words["answer_none"].get(lang)
    return ", ".join(labels.get(str(v), str(v)) for v in values)


def classify(
    profile: CaseProfile, law: str | None = None, catalogue: Catalogue | None = None
) -> Classification:
    """Classify a case profile under the EU AI Act and flag German co-determination.

    ``law`` names the set of application dates (``"art113"`` as published, or
    ``"omnibus"`` as amended by Regulation (EU) 2026/1744); by default the catalogue's
    ``default_date_set``. Raises ``ValueError`` for an unknown date set.
    """
    cat = catalogue or default_catalogue()
    law = law or cat.meta.default_date_set
    if not cat.has("date_sets", law):
        raise ValueError(f"unknown date set '{law}'; known: {cat.ids('date_sets')}")
    b = _Builder(cat, profile, law)
    in_scope = _scope(b)
    prohibited = _practices(b)
    annex_i, sections = _annex_i(b)
    points, exempt, conditions = _annex_iii(b)
    transparency = _transparency(b)
    basis = [
        name for name, hit in (("annex_iii", points and not exempt), ("annex_i", annex_i)) if hit
    ]
    high_risk = bool(basis)
    roles, by_art25 = _roles(b, high_risk)
    planned = _risk_class(bool(prohibited), high_risk, bool(transparency))
    risk_class: RiskClass = planned if in_scope else "out_of_scope"
    if prohibited:
        # A prohibited system has no lawful use, so no high-risk or transparency duties.
        basis, high_risk, transparency = [], False, []
    if not in_scope:
        prohibited, basis, high_risk, transparency = [], [], False, []
        annex_i, sections, points, exempt = [], [], [], False
    b.step("risk_class", "", [], "step_risk_class", risk_class=cat.messages[f"risk_{risk_class}"])
    date_set = cat.get("date_sets", law)
    b.step("date_set", "Art. 113", [law], "step_date_set", title=date_set.title, note=date_set.note)
    result = Classification(
        risk_class=risk_class,
        risk_label=cat.messages[f"risk_{risk_class}"],
        planned_risk_class=planned,
        in_scope=in_scope,
        prohibited_practices=[
            PracticeRef(id=p.id, article=p.article, title=p.title) for p in prohibited
        ],
        high_risk=high_risk,
        high_risk_basis=basis,
        annex_iii_points=[p.id for p in points],
        annex_i=annex_i,
        annex_i_sections=sections,
        art6_3_exempt=bool(points) and exempt,
        art6_3_conditions=conditions if exempt else [],
        transparency=[t.id for t in transparency],
        roles=roles,
        provider_by_art25=by_art25,
        decisions_about_persons=_decisions_about_persons(profile),
        obligations=[],
        codetermination=[],
        reasoning=[],
        assumptions=[],
        date_set=law,
        date_set_title=date_set.title,
        disclaimer=cat.meta.disclaimer,
    )
    facts = {**b.facts, **result.facts()}
    result.obligations = _obligations(b, facts, result)
    facts["obligations"] = [o.id for o in result.obligations]
    result.codetermination = _codetermination(b, facts)
    result.reasoning = _with_questions(cat, b.steps)
    result.assumptions = b.assumptions
    return result


def _with_questions(cat: Catalogue, steps: list[ReasoningStep]) -> list[ReasoningStep]:
    """Name the questions whose answers gave each step's facts."""
    asking = {q.profile.field: q.id for q in cat.profile_questions() if q.profile.value is None}
    out = []
    for step in steps:
        names = [fact.split(" ")[0] for fact in step.facts]
        questions = list(dict.fromkeys(asking[n] for n in names if n in asking))
        out.append(step.model_copy(update={"questions": questions}))
    return out


def _scope(b: _Builder) -> bool:
    if not b.profile.is_ai_system:
        b.step("scope", "Art. 3(1)", ["is_ai_system is False"], "step_not_ai_system")
        return False
    if b.profile.research_only:
        b.step("scope", "Art. 2(8)", ["research_only is True"], "step_research_only")
        return False
    b.step("scope", "Art. 2, Art. 3(1)", ["is_ai_system is True"], "step_in_scope")
    return True


def _practices(b: _Builder) -> list[Any]:
    dates = b.cat.dates(b.law)
    found = []
    for practice in b.cat.section("practices"):
        if practice.date_key not in dates:
            continue
        hit = b.check(practice.when)
        if not hit.result:
            continue
        if practice.exception_when is not None:
            exception = b.check(practice.exception_when)
            if exception.result:
                b.step(
                    "practice_exception",
                    practice.article,
                    hit.supports + exception.supports,
                    "step_practice_exception",
                    article=practice.article,
                    exception=practice.exception,
                )
                continue
        found.append(practice)
        b.step(
            "practice",
            practice.article,
            hit.supports,
            "step_practice",
            article=practice.article,
            title=practice.title,
        )
    return found


def _third_party(b: _Builder, legislation: Any) -> bool:
    known = b.profile.third_party_conformity_assessment
    if known is not None:
        return known
    device_class = b.profile.device_class
    if device_class in legislation.notified_body_classes:
        return True
    if device_class in legislation.self_assessment_classes:
        return False
    b.assume_fact("third_party_conformity_assessment", True)
    return True


def _implied_legislation(b: _Builder) -> list[str]:
    """Annex I legislation that the AI functions imply when the profile names none."""
    if b.profile.annex_i_legislation or b.profile.annex_i_role is not None:
        return list(b.profile.annex_i_legislation)
    functions = set(b.profile.functions)
    implied = [
        leg.id for leg in b.cat.section("annex_i") if functions & set(leg.implied_by_functions)
    ]
    for leg_id in implied:
        b.assume_fact("annex_i_legislation", [leg_id])
    return implied


def _annex_i(b: _Builder) -> tuple[list[str], list[str]]:
    hits, sections = [], []
    for leg_id in _implied_legislation(b):
        leg = b.cat.get("annex_i", leg_id)
        fact = [f"annex_i_legislation contains {leg_id}"]
        role_id = b.profile.annex_i_role
        if role_id is None:
            role_id = "product"
            b.assume_fact("annex_i_role", role_id)
        if role_id == "none":
            b.step(
                "annex_i", "Art. 6(1), Art. 3(14)", fact, "step_annex_i_not_component", act=leg.act
            )
            continue
        if not _third_party(b, leg):
            b.step("annex_i", "Art. 6(1)(b)", fact, "step_annex_i_no_third_party", act=leg.act)
            continue
        section = leg.section_for(b.law)
        role = b.cat.messages[f"annex_i_role_{role_id}"]
        facts = [
            *fact,
            f"annex_i_role is {role_id}",
            "third-party conformity assessment",
        ]
        b.step(
            "annex_i",
            f"Art. 6(1), Annex I Section {section}",
            facts,
            "step_annex_i",
            role=role,
            act=leg.act,
            section=section,
        )
        if section == "B":
            b.step("annex_i_section_b", "Art. 2(2)", fact, "step_annex_i_section_b")
        hits.append(leg_id)
        sections.append(section)
    return hits, sorted(set(sections))


def _annex_iii(b: _Builder) -> tuple[list[Any], bool, list[str]]:
    points = []
    for point in b.cat.section("annex_iii"):
        hit = b.check(point.when)
        if hit.result:
            points.append(point)
            b.step(
                "annex_iii",
                f"Art. 6(2), Annex III point {point.id}",
                hit.supports,
                "step_annex_iii",
                point=point.id,
                title=point.title,
            )
    if not points:
        b.step("annex_iii", "Art. 6(2), Annex III", [], "step_no_annex_iii")
        return [], False, []
    conditions = list(b.profile.art6_3_conditions)
    if not conditions and b.profile.decision_role == "prepares":
        # Preparatory work may be the case of Art. 6(3)(d), but only an answer says so.
        b.step("art6_3", "Art. 6(3)(d)", ["decision_role is prepares"], "step_art6_3_prepares")
        b.assumptions.append(b.steps[-1].text)
        return points, False, conditions
    profiling = b.profile.profiles_natural_persons
    if profiling:
        if conditions:
            b.step(
                "art6_3",
                "Art. 6(3), third subparagraph",
                ["profiles_natural_persons is True"],
                "step_annex_iii_profiling",
            )
        return points, False, conditions
    if not conditions:
        return points, False, conditions
    cited = ", ".join(f"Art. 6(3){ART6_3_LETTERS[c]}" for c in conditions)
    if profiling is None:
        b.assume_fact("profiles_natural_persons", True)
        b.step(
            "art6_3",
            cited,
            [f"art6_3_conditions contains {c}" for c in conditions],
            "step_art6_3_unconfirmed",
            conditions=cited,
        )
        return points, False, conditions
    b.step(
        "art6_3",
        cited,
        [f"art6_3_conditions contains {c}" for c in conditions],
        "step_annex_iii_exempt",
        conditions=cited,
    )
    return points, True, conditions


def _transparency(b: _Builder) -> list[Any]:
    found = []
    for duty in b.cat.section("transparency"):
        hit = b.check(duty.when)
        if hit.result:
            found.append(duty)
            b.step(
                "transparency",
                duty.article,
                hit.supports,
                "step_transparency",
                article=duty.article,
                title=duty.title,
            )
    return found


def _roles(b: _Builder, high_risk: bool) -> tuple[list[str], bool]:
    org = set(b.profile.organisation_roles)
    roles = set()
    if org & {"develops", "rebrands"}:
        roles.add("provider")
        b.step(
            "role",
            "Art. 3(3)",
            [f"organisation_roles contains {r}" for r in sorted(org & {"develops", "rebrands"})],
            "step_role_provider",
        )
    # Putting it to use at one's own workplace is using it under one's own authority.
    at_work = b.profile.used_at_workplace is True
    if "uses" in org or not org or at_work:
        roles.add("deployer")
        if not org:
            b.assume_fact("organisation_roles", ["uses"])
        fact = "organisation_roles contains uses" if "uses" in org else "used_at_workplace is True"
        b.step("role", "Art. 3(4)", [fact], "step_role_deployer")
    for name, article in (("imports", "Art. 3(6)"), ("distributes", "Art. 3(7)")):
        if name in org:
            role = "importer" if name == "imports" else "distributor"
            roles.add(role)
            b.step("role", article, [f"organisation_roles contains {name}"], f"step_role_{role}")
    triggers = [r for r in ("rebrands", "modifies_substantially", "changes_purpose") if r in org]
    by_art25 = high_risk and bool(triggers)
    if by_art25:
        roles.add("provider")
        reasons = {
            lang: "; ".join(b.cat.messages[f"art25_{t}"].get(lang) for t in triggers)
            for lang in ("de", "en")
        }
        b.step(
            "role",
            "Art. 25(1)",
            [f"organisation_roles contains {t}" for t in triggers],
            "step_role_art25",
            reasons=LocalText(**reasons),
        )
    return [r for r in ROLE_ORDER if r in roles], by_art25


def _risk_class(prohibited: bool, high_risk: bool, transparency: bool) -> RiskClass:
    if prohibited:
        return "prohibited"
    if high_risk:
        return "high_risk"
    return "limited_risk" if transparency else "minimal_risk"


def _decisions_about_persons(profile: CaseProfile) -> bool:
    if profile.decision_role == "none":
        return False
    affected = set(profile.affected_persons)
    return not affected or bool(affected & set(NATURAL_PERSON_GROUPS))


def _obligations(
    b: _Builder, facts: dict[str, Any], result: Classification
) -> list[ObligationResult]:
    dates = b.cat.dates(b.law)
    out = []
    for ob in b.cat.section("obligations"):
        holders = [r for r in ob.applies_to if r in result.roles]
        checkers = [r for r in ob.check_for if r in result.roles] if not holders else []
        if not holders and not checkers:
            continue
        hit = evaluate(ob.when, facts)
        if not hit.result:
            continue
        key = ob.date_key
        if key == "high_risk":
            keys = [f"{basis}_high_risk" for basis in result.high_risk_basis] or [
                "annex_iii_high_risk"
            ]
            key = min(keys, key=lambda k: dates[k].date)
        if key not in dates:
            continue
        b.assume(hit)
        entry = dates[key]
        note = entry.note
        if ob.legacy_date_key and ob.legacy_date_key in dates and dates[ob.legacy_date_key].note:
            legacy = dates[ob.legacy_date_key]
            note = LocalText(
                **{
                    lang: f"{legacy.date.isoformat()}: {legacy.note.get(lang)}"
                    for lang in ("de", "en")
                }
            )
        reading = next((r for r in ob.readings if evaluate(r.when, facts).result), None)
        if reading is not None:
            note = LocalText(**{
                lang: " ".join(t.get(lang) for t in (reading.note, note) if t is not None)
                for lang in ("de", "en")
            })  # fmt: skip
        out.append(ObligationResult(
            id=ob.id, law=ob.law, article=ob.article, title=ob.title, text=ob.text,
            roles=holders or checkers, own=bool(holders), applies_from=entry.date,
            date_source=entry.source, certainty=entry.certainty, note=note,
        ))  # fmt: skip
    return out


def _council_note(b: _Builder) -> tuple[bool, LocalText | None]:
    """Return whether BetrVG rights are active for this case, and a note on why not."""
    p = b.profile
    if p.country != "DE":
        return False, b.cat.messages["ct_not_germany"]
    if p.public_body:
        return False, b.cat.messages["ct_public_body"]
    if p.employees_count is not None and p.employees_count < 5:
        return False, b.cat.messages["ct_too_small"]
    if p.works_council == "no":
        return False, b.cat.messages["ct_no_works_council"]
    if p.works_council == "unknown":
        return True, b.cat.messages["ct_unknown_works_council"]
    return True, None


def _codetermination(b: _Builder, facts: dict[str, Any]) -> list[CoDeterminationFlag]:
    active, note = _council_note(b)
    flags = []
    for cd in b.cat.section("codetermination"):
        status, hit = None, None
        if cd.when is not None and (hit := evaluate(cd.when, facts)).result:
            status = "applies"
        elif cd.check_when is not None and (hit := evaluate(cd.check_when, facts)).result:
            status = "check"
        if status is None:
            continue
        b.assume(hit)
        flag_note = note if status == "applies" or note is not None else b.cat.messages["ct_check"]
        flags.append(CoDeterminationFlag(
            id=cd.id, norm=cd.norm, kind=cd.kind, step=cd.step, title=cd.title,
            consequence=cd.consequence, status=status, active=active, note=flag_note,
            facts=hit.supports,
        ))  # fmt: skip
    return sorted(flags, key=lambda f: f.step)
