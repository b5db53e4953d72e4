"""What the result page, its PDF and its JSON show, built once from a check's result."""

from typing import Any

from django.utils.translation import gettext as _

from .catalogue import Question, default_catalogue
from .engine import CheckResult
from .models import Check, Respondent
from .questionnaire import answers_for_profile
from .radar import radar_svg

PRIORITIES = ("must", "should", "could")


def display_answer(question: Question, value: Any, lang: str) -> str:
    """An answer in words: option labels, yes/no, or the value."""
    if value in (None, "", "unknown"):
        return _("don't know")
    words = {"yes": _("yes"), "no": _("no")}
    labels = {o.id: o.label.get(lang) for o in question.options}
    values = value if isinstance(value, list) else [value]
    if not values:
        return _("none of these")
    return ", ".join(words.get(v) or labels.get(v) or str(v) for v in values)


def _reasoning(result: CheckResult, lang: str) -> list[dict]:
    cat = default_catalogue()
    given = answers_for_profile(result.profile)
    rows = []
    for step in result.classification.reasoning:
        answers = []
        for qid in step.questions:
            if not cat.has("questions", qid):
                continue
            question = cat.question(qid)
            answers.append(
                {
                    "id": qid,
                    "text": question.text.get(lang),
                    "answer": display_answer(question, given.get(qid), lang),
                }
            )
        rows.append({"step": step, "answers": answers})
    return rows


def _contradictions(result: CheckResult, lang: str) -> list[dict]:
    """Each contradiction with the questions behind it and the answers now combined."""
    cat = default_catalogue()
    given = answers_for_profile(result.profile)
    return [
        {
            "text": c.text,
            "answers": [
                {
                    "text": cat.question(qid).text.get(lang),
                    "answer": display_answer(cat.question(qid), given.get(qid), lang),
                }
                for qid in c.questions
                if cat.has("questions", qid)
            ],
        }
        for c in result.contradictions
    ]


def _scores(result: CheckResult, lang: str) -> tuple[list[dict], list[dict]]:
    cat = default_catalogue()
    roles = [
        {"id": r.id, "title": r.title.get(lang)}
        for r in cat.section("roles")
        if any(s.by_role.get(r.id) is not None for s in result.scores)
    ]
    rows = [
        {
            "score": score,
            "title": score.title.get(lang),
            "cells": [score.by_role.get(role["id"]) for role in roles],
        }
        for score in result.scores
    ]
    return roles, rows


def report_context(
    check: Check, result: CheckResult, respondents: list[Respondent], lang: str
) -> dict:
    cat = default_catalogue()
    roles, score_rows = _scores(result, lang)
    by_priority = [
        {"priority": p, "items": [r for r in result.recommendations if r.priority == p]}
        for p in PRIORITIES
    ]
    phases = {p.id: p.title.get(lang) for p in cat.section("phases")}
    return {
        "check": check,
        "result": result,
        "classification": result.classification,
        "radar": radar_svg(result.scores, lang, id_prefix=f"radar-{check.pk}"),
        "reasoning": _reasoning(result, lang),
        "contradictions": _contradictions(result, lang),
        "score_roles": roles,
        "score_rows": score_rows,
        "disagreements": [s for s in result.scores if s.disagreement],
        "recommendation_groups": [g for g in by_priority if g["items"]],
        "phase_titles": phases,
        "annex_i_titles": [
            cat.get("annex_i", leg).title.get(lang) for leg in result.classification.annex_i
        ],
        "criteria": {c.id: c.title.get(lang) for c in cat.section("criteria")},
        "role_titles": {r.id: r.title.get(lang) for r in cat.section("roles")},
        "respondents": respondents,
        "submitted": sum(1 for r in respondents if r.is_submitted),
        "applying_flags": [
            f for f in result.classification.codetermination if f.status == "applies"
        ],
        "checking_flags": [f for f in result.classification.codetermination if f.status == "check"],
        "lang": lang,
    }


def export_data(check: Check, result: CheckResult, respondents: list[Respondent]) -> dict:
    """The check as JSON-ready data: the case, who answered in which role, the result."""
    return {
        "check": {
            "id": check.pk,
            "title": check.title,
            "description": check.description,
            "inquiry": check.inquiry.reference if check.inquiry_id else None,
            "created_at": check.created_at.isoformat(),
            "date_set": check.date_set,
            "explicit_profile": check.profile is not None,
        },
        "respondents": [
            {
                "label": r.label,
                "role": r.role,
                "answers": len(r.answers),
                "last_saved_at": r.last_saved_at.isoformat() if r.last_saved_at else None,
                "submitted_at": r.submitted_at.isoformat() if r.submitted_at else None,
            }
            for r in respondents
        ],
        "result": result.model_dump(mode="json"),
    }
