"""The check inside a scenario: prefill a new run, and what changed between two runs."""

from __future__ import annotations

from dataclasses import dataclass, field

from humaine.check import services as check_services
from humaine.check.catalogue import default_catalogue
from humaine.check.engine import CheckResult
from humaine.check.selectors import explicit_profile, valid_answers


def _profile_question(field_name: str):
    for question in default_catalogue().profile_questions():
        if question.profile.field == field_name and question.profile.value is None:
            return question
    return None


def scenario_answers(scenario) -> dict:
    """Profile answers the scenario's own facts give (sector, purpose, workplace, council)."""
    answers = {}
    sector = _profile_question("sector")
    if sector is not None and default_catalogue().has("sectors", scenario.sector.slug):
        answers[sector.id] = scenario.sector.slug
    purpose = _profile_question("purpose")
    if purpose is not None and scenario.goal:
        answers[purpose.id] = scenario.goal[:2000]
    workplace = _profile_question("used_at_workplace")
    if workplace is not None:
        answers[workplace.id] = "yes"
    council = _profile_question("works_council")
    if council is not None and scenario.inquiry_id:
        value = scenario.inquiry.works_council
        if value in {o.id for o in council.options}:
            answers[council.id] = value
    return answers


def prefill(scenario, check, previous, actor, language: str) -> None:
    """Carry the previous run's profile and each role's answers over (to review and submit
    again); the first run gets one respondent prefilled from the scenario's facts."""
    if previous is None:
        invitation = check_services.invite_respondent(
            check,
            role="manager",
            label=scenario.organisation.name[:100],
            language=language,
            actor=actor,
        )
        check_services.save_answers(invitation.respondent, scenario_answers(scenario))
        return
    profile = explicit_profile(previous)
    if profile is not None:
        check_services.set_profile(check, profile, actor=actor)
    for respondent in previous.respondents.all():
        invitation = check_services.invite_respondent(
            check,
            role=respondent.role,
            label=respondent.label,
            language=respondent.language,
            actor=actor,
        )
        answers = valid_answers(respondent.answers)
        if answers:
            check_services.save_answers(invitation.respondent, answers)


@dataclass
class CheckDiff:
    """What changed from one run of the check to a later one."""

    risk_before: str
    risk_after: str
    risk_before_label: object = None
    risk_after_label: object = None
    flags_added: list = field(default_factory=list)
    flags_removed: list = field(default_factory=list)
    flags_changed: list = field(default_factory=list)
    scores: list = field(default_factory=list)
    recommendations_added: list = field(default_factory=list)
    recommendations_removed: list = field(default_factory=list)

    @property
    def risk_changed(self) -> bool:
        return self.risk_before != self.risk_after


def diff_results(before: CheckResult, after: CheckResult) -> CheckDiff:
    """Class, co-determination flags, criteria scores and recommendations of two runs."""
    flags_b = {f.id: f for f in before.classification.codetermination}
    flags_a = {f.id: f for f in after.classification.codetermination}
    recs_b = {r.id: r for r in before.recommendations}
    recs_a = {r.id: r for r in after.recommendations}
    scores_b = {s.criterion: s for s in before.scores}
    scores = []
    for score in after.scores:
        old = scores_b.get(score.criterion)
        old_value = old.overall if old else None
        delta = (
            score.overall - old_value
            if score.overall is not None and old_value is not None
            else None
        )
        scores.append(
            {
                "criterion": score.criterion,
                "title": score.title,
                "before": old_value,
                "after": score.overall,
                "delta": delta,
            }
        )
    return CheckDiff(
        risk_before=before.classification.risk_class,
        risk_after=after.classification.risk_class,
        risk_before_label=before.classification.risk_label,
        risk_after_label=after.classification.risk_label,
        flags_added=[flags_a[i] for i in flags_a if i not in flags_b],
        flags_removed=[flags_b[i] for i in flags_b if i not in flags_a],
        flags_changed=[
            (flags_b[i], flags_a[i])
            for i in flags_a
            if i in flags_b and flags_a[i].status != flags_b[i].status
        ],
        scores=scores,
        recommendations_added=[recs_a[i] for i in recs_a if i not in recs_b],
        recommendations_removed=[recs_b[i] for i in recs_b if i not in recs_a],
    )
