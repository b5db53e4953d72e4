"""Evaluate a check: answers of several respondents and the profile become findings,
prioritised recommendations, open questions, scores per criterion and role, and the
places where roles disagree.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from statistics import mean
from typing import Any, Literal

from pydantic import BaseModel

from humaine.check.catalogue import Catalogue, Link, LocalText, Question, Source, default_catalogue
from humaine.check.classify import Classification, classify
from humaine.check.conditions import CLASS_FACTS, evaluate
from humaine.check.profile import CaseProfile
from humaine.check.questionnaire import (
    ProfileConflict,
    Response,
    answers_by_question,
    combine_responses,
    is_asked,
    profile_from_answers,
    validate_answer,
)

Priority = Literal["must", "should", "could"]
PRIORITY_RANK: dict[str, int] = {"must": 0, "should": 1, "could": 2}


class Finding(BaseModel):
    """Something the check found, from a rule, a disagreement or a conflict."""

    source: str
    severity: Literal["high", "medium", "low"]
    criterion: str | None
    text: LocalText
    facts: list[str] = []


class RecommendationResult(BaseModel):
    """A recommendation with the priority it got and the rules that led to it."""

    id: str
    priority: Priority
    criterion: str
    phase: str
    title: LocalText
    text: LocalText
    method: LocalText
    sources: list[Source]
    links: list[Link]
    reasons: list[str]


class OpenQuestion(BaseModel):
    """A question that applies to the case but has no definite answer yet."""

    id: str
    phase: str
    step: str
    criterion: str
    roles: list[str]
    text: LocalText
    profile_field: str | None


class CriterionScore(BaseModel):
    """Scores 0..100 of one criterion: per role, overall, and the spread between roles."""

    criterion: str
    title: LocalText
    by_role: dict[str, float | None]
    answers: dict[str, int]
    overall: float | None
    spread: float | None
    disagreement: bool


class Contradiction(BaseModel):
    """Answers that cannot both be right, and the questions to look at again."""

    id: str
    text: LocalText
    questions: list[str]


class CheckResult(BaseModel):
    """Everything a check's report shows.

    The risk class counts only when ``class_given``: every deciding question has an
    answer (``missing_for_class`` is empty) and no answers contradict each other.
    """

    profile: CaseProfile
    classification: Classification
    findings: list[Finding]
    recommendations: list[RecommendationResult]
    open_questions: list[OpenQuestion]
    scores: list[CriterionScore]
    conflicts: list[ProfileConflict]
    missing_for_class: list[OpenQuestion] = []
    contradictions: list[Contradiction] = []
    class_given: bool = True


def answer_score(question: Question, value: Any) -> float | None:
    """Return an answer's score 0..100, or None when it does not count."""
    if not question.scored or value in (None, "unknown", "", []):
        return None
    if question.type == "yes_no":
        return 100.0 if value == question.good else 0.0
    if question.type == "scale":
        score = (int(value) - 1) * 25.0
        return 100.0 - score if question.reverse else score
    chosen = value if isinstance(value, list) else [value]
    scores = [o.score for o in question.options if o.id in chosen and o.score is not None]
    return mean(scores) if scores else None


def score_criteria(
    responses: Sequence[Response], catalogue: Catalogue | None = None
) -> list[CriterionScore]:
    """Score every criterion per role (mean of the role's scored answers).

    The overall score weighs each role equally; roles disagree strongly on a criterion
    when the spread of their means exceeds ``meta.disagreement_threshold``.
    """
    cat = catalogue or default_catalogue()
    roles = cat.ids("roles")
    collected: dict[str, dict[str, list[float]]] = {
        c: {r: [] for r in roles} for c in cat.ids("criteria")
    }
    for response in responses:
        for qid, raw in response.answers.items():
            if not cat.has("questions", qid) or response.role not in roles:
                continue
            question = cat.question(qid)
            score = answer_score(question, validate_answer(question, raw))
            if score is not None:
                collected[question.criterion][response.role].append(score)
    threshold, minimum = cat.meta.disagreement_threshold, cat.meta.min_scored_answers
    out = []
    for criterion in cat.section("criteria"):
        per_role = collected[criterion.id]
        by_role = {
            r: (round(mean(v), 1) if len(v) >= minimum else None) for r, v in per_role.items()
        }
        present = [v for v in by_role.values() if v is not None]
        spread = round(max(present) - min(present), 1) if len(present) >= 2 else None
        out.append(
            CriterionScore(
                criterion=criterion.id,
                title=criterion.title,
                by_role=by_role,
                answers={r: len(v) for r, v in per_role.items()},
                overall=round(mean(present), 1) if present else None,
                spread=spread,
                disagreement=spread is not None and spread > threshold,
            )
        )
    return out


def _role_titles(cat: Catalogue, lang: str) -> dict[str, str]:
    return {r.id: r.title.get(lang) for r in cat.section("roles")}


def _disagreement_findings(cat: Catalogue, scores: list[CriterionScore]) -> list[Finding]:
    findings = []
    for score in scores:
        if not score.disagreement:
            continue
        texts = {}
        for lang in ("de", "en"):
            titles = _role_titles(cat, lang)
            detail = ", ".join(
                f"{titles[r]} {v:.0f}" for r, v in score.by_role.items() if v is not None
            )
            texts[lang] = cat.message(
                "finding_disagreement",
                lang,
                criterion=score.title.get(lang),
                spread=f"{score.spread:.0f}",
                detail=detail,
            )
        findings.append(
            Finding(
                source="disagreement",
                severity="medium",
                criterion=score.criterion,
                text=LocalText(**texts),
            )
        )
    return findings


def _display(question: Question, value: Any, lang: str) -> str:
    """Show an answer in words: option labels, or yes/no in the language."""
    words = {"yes": {"de": "ja", "en": "yes"}, "no": {"de": "nein", "en": "no"}}
    labels = {o.id: o.label.get(lang) for o in question.options}
    values = value if isinstance(value, list) else [value]
    shown = [words.get(v, {}).get(lang) or labels.get(v) or str(v) for v in values]
    return ", ".join(shown) if shown else "–"


def _conflict_findings(cat: Catalogue, conflicts: list[ProfileConflict]) -> list[Finding]:
    findings = []
    for conflict in conflicts:
        question = cat.question(conflict.question)
        texts = {
            lang: cat.message(
                "finding_profile_conflict",
                lang,
                question=question.text.get(lang),
                value=_display(question, conflict.chosen, lang),
            )
            for lang in ("de", "en")
        }
        findings.append(
            Finding(
                source=f"conflict:{conflict.question}",
                severity="medium",
                criterion=question.criterion,
                text=LocalText(**texts),
            )
        )
    return findings


def _open(question: Question) -> OpenQuestion:
    return OpenQuestion(
        id=question.id,
        phase=question.phase,
        step=question.step,
        criterion=question.criterion,
        roles=list(question.roles),
        text=question.text,
        profile_field=question.profile.field if question.profile else None,
    )


def _missing_for_class(
    cat: Catalogue, answers: dict[str, list[Any]], explicit_profile: bool
) -> list[OpenQuestion]:
    """The deciding questions nobody has answered yet (none with a profile given)."""
    if explicit_profile:
        return []
    return [
        _open(cat.question(qid))
        for qid in cat.meta.deciding_questions
        if not [v for v in answers.get(qid, []) if v not in (None, "unknown", "")]
    ]


def _contradictions(cat: Catalogue, profile: CaseProfile) -> list[Contradiction]:
    facts = profile.model_dump()
    return [
        Contradiction(id=entry.id, text=entry.text, questions=list(entry.questions))
        for entry in cat.section("contradictions")
        if evaluate(entry.when, facts).result
    ]


def _open_questions(
    cat: Catalogue, profile: CaseProfile, answers: dict[str, list[Any]], explicit_profile: bool
) -> list[OpenQuestion]:
    open_ = []
    for question in cat.questions_for():
        if question.profile is not None and explicit_profile:
            continue
        if not is_asked(question, profile):
            continue
        given = [v for v in answers.get(question.id, []) if v not in (None, "unknown", "")]
        if given:
            continue
        open_.append(_open(question))
    return open_


def _fact_names(cond: Any) -> set[str]:
    if isinstance(cond, dict):
        names = {cond["fact"]} if "fact" in cond else set()
        for value in cond.values():
            names |= _fact_names(value)
        return names
    if isinstance(cond, list):
        return set().union(*(_fact_names(c) for c in cond)) if cond else set()
    return set()


def _apply_rules(
    cat: Catalogue, facts: dict[str, Any], answers: dict[str, list[Any]], class_given: bool
) -> tuple[list[Finding], dict[str, tuple[str, list[str]]]]:
    findings: list[Finding] = []
    chosen: dict[str, tuple[str, list[str]]] = {}
    for rule in cat.rules:
        # A rule resting on the risk class waits until the class can be given.
        if not class_given and _fact_names(rule.when) & set(CLASS_FACTS):
            continue
        hit = evaluate(rule.when, facts, answers)
        if not hit.result:
            continue
        if rule.finding is not None:
            findings.append(
                Finding(
                    source=rule.id,
                    severity=rule.severity,
                    criterion=rule.criterion,
                    text=rule.finding,
                    facts=hit.supports,
                )
            )
        for rec in rule.recommendations():
            priority = rec.priority or cat.get("recommendations", rec.id).priority
            current, reasons = chosen.get(rec.id, ("could", []))
            if not reasons or PRIORITY_RANK[priority] < PRIORITY_RANK[current]:
                current = priority
            chosen[rec.id] = (current, [*reasons, rule.id])
    return findings, chosen


def _recommendation_results(
    cat: Catalogue, chosen: dict[str, tuple[str, list[str]]]
) -> list[RecommendationResult]:
    criteria = {c: i for i, c in enumerate(cat.ids("criteria"))}
    position = {r: i for i, r in enumerate(cat.ids("recommendations"))}
    out = []
    for rec_id, (priority, reasons) in chosen.items():
        rec = cat.get("recommendations", rec_id)
        out.append(
            RecommendationResult(
                id=rec.id,
                priority=priority,
                criterion=rec.criterion,
                phase=rec.phase,
                title=rec.title,
                text=rec.text,
                method=rec.method,
                sources=list(rec.sources),
                links=list(rec.links),
                reasons=reasons,
            )
        )
    return sorted(
        out, key=lambda r: (PRIORITY_RANK[r.priority], criteria[r.criterion], position[r.id])
    )


def evaluate_check(
    responses: Iterable[Response],
    profile: CaseProfile | None = None,
    law: str | None = None,
    catalogue: Catalogue | None = None,
) -> CheckResult:
    """Evaluate a check from its respondents' answers.

    Without ``profile`` the case profile comes from the answers to the profile
    questions (combined over respondents, see :func:`combine_responses`); with it, the
    given profile is used and profile questions are not reported as open. ``law``
    selects the date set (see :func:`~humaine.check.classify.classify`).
    """
    cat = catalogue or default_catalogue()
    responses = list(responses)
    combined, conflicts = combine_responses(responses, cat)
    explicit = profile is not None
    if profile is None:
        profile = profile_from_answers(combined, cat)
    else:
        conflicts = []
    classification = classify(profile, law=law, catalogue=cat)
    answers = answers_by_question(responses, cat)
    facts = {**profile.model_dump(), **classification.facts()}
    missing = _missing_for_class(cat, answers, explicit)
    contradictions = _contradictions(cat, profile)
    class_given = not missing and not contradictions
    findings, chosen = _apply_rules(cat, facts, answers, class_given)
    scores = score_criteria(responses, cat)
    disagreements = _disagreement_findings(cat, scores)
    if disagreements:
        for rec_id in cat.meta.on_disagreement:
            priority, reasons = chosen.get(
                rec_id, (cat.get("recommendations", rec_id).priority, [])
            )
            chosen[rec_id] = (priority, [*reasons, "disagreement"])
    order = {"high": 0, "medium": 1, "low": 2}
    findings = sorted(
        _conflict_findings(cat, conflicts) + findings + disagreements,
        key=lambda f: order[f.severity],
    )
    return CheckResult(
        profile=profile,
        classification=classification,
        findings=findings,
        recommendations=_recommendation_results(cat, chosen),
        open_questions=_open_questions(cat, profile, answers, explicit),
        scores=scores,
        conflicts=conflicts,
        missing_for_class=missing,
        contradictions=contradictions,
        class_given=class_given,
    )
