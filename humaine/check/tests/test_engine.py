"""Rules, recommendations, open questions, scores per role and disagreement."""

from humaine.check.catalogue import default_catalogue
from humaine.check.engine import answer_score, evaluate_check, score_criteria
from humaine.check.profile import CaseProfile
from humaine.check.questionnaire import Response, answers_for_profile

HR_PROFILE = CaseProfile(
    sector="industry",
    functions=["recruitment_selection"],
    affected_persons=["applicants"],
    profiles_natural_persons=True,
    significant_effects=True,
    used_at_workplace=True,
    processes_personal_data=True,
    works_council="yes",
    employees_count=450,
)


def _conflicting_hr_responses():
    manager = Response(
        respondent="m1",
        role="manager",
        answers={
            **answers_for_profile(HR_PROFILE),
            "DEV-HC-01": "yes",
            "IMP-PA-01": "yes",
            "IMP-WL-03": "yes",
            "IMP-CO-01": "yes",
        },
    )
    rep = Response(
        respondent="r1",
        role="employee_rep",
        answers={"DEV-HC-01": "no", "IMP-PA-01": "no", "IMP-WL-03": "no", "IMP-CO-01": "no"},
    )
    return [manager, rep]


def test_answer_scores_follow_the_question_direction():
    cat = default_catalogue()
    assert answer_score(cat.question("DEV-HC-01"), "yes") == 100
    assert answer_score(cat.question("DEV-HC-01"), "no") == 0
    assert answer_score(cat.question("DEV-HC-01"), "unknown") is None
    assert answer_score(cat.question("USE-HC-02"), 4) == 75
    assert answer_score(cat.question("USE-WL-03"), 5) == 0
    assert answer_score(cat.question("P-WORKPLACE"), "yes") is None


def test_scores_per_role_and_strong_disagreement_are_marked():
    scores = {s.criterion: s for s in score_criteria(_conflicting_hr_responses())}
    participation = scores["participation"]
    assert participation.by_role["manager"] == 100 and participation.by_role["employee_rep"] == 0
    assert participation.spread == 100 and participation.disagreement
    assert participation.overall == 50
    assert scores["fairness"].by_role["manager"] is None and not scores["fairness"].disagreement


def test_similar_views_are_not_marked_as_disagreement():
    a = Response(role="user", answers={"USE-HC-02": 4, "USE-TR-01": 4})
    b = Response(
        role="manager", answers={"DEV-HC-01": "yes", "USE-HC-01": "yes", "DEV-TR-01": "yes"}
    )
    scores = {s.criterion: s for s in score_criteria([a, b])}
    assert scores["human_control"].spread == 25 and not scores["human_control"].disagreement


def test_hr_check_gives_high_risk_findings_and_must_recommendations_first():
    result = evaluate_check(_conflicting_hr_responses())
    assert result.classification.risk_class == "high_risk"
    sources = {f.source for f in result.findings}
    assert {"R-AIA-WORKERS", "R-CD-SELECTION", "R-PA-LATE", "disagreement"} <= sources
    priorities = [r.priority for r in result.recommendations]
    assert priorities == sorted(priorities, key=["must", "should", "could"].index)
    recs = {r.id: r for r in result.recommendations}
    assert recs["REC-AIA-INFORM-WORKERS"].priority == "must"
    assert recs["REC-CD-SELECTION"].priority == "must"
    assert "disagreement" in recs["REC-PART-WORKSHOP"].reasons
    assert result.findings[0].severity == "high"


def test_rule_can_raise_a_recommendations_priority():
    responses = [Response(role="manager", answers={"IMP-WL-01": "no"})]
    recs = {r.id: r for r in evaluate_check(responses, profile=HR_PROFILE).recommendations}
    assert recs["REC-HC-WORKLOAD"].priority == "must"


def test_teaming_link_is_offered_for_uncertain_cases():
    responses = [Response(role="developer", answers={"DEV-HC-03": "no"})]
    recs = {r.id: r for r in evaluate_check(responses, profile=HR_PROFILE).recommendations}
    assert any(link.target == "teaming" for link in recs["REC-HC-DEFER"].links)


def test_open_questions_list_what_applies_and_is_unanswered():
    result = evaluate_check(_conflicting_hr_responses())
    open_ids = {q.id for q in result.open_questions}
    assert "DEV-HC-01" not in open_ids and "USE-HC-02" in open_ids
    assert "P-INSURANCE-LINES" not in open_ids
    explicit = evaluate_check([], profile=HR_PROFILE)
    assert not any(q.profile_field for q in explicit.open_questions)


def test_questionnaire_and_profile_paths_give_the_same_classification():
    responses = _conflicting_hr_responses()
    via_answers = evaluate_check(responses).classification
    via_profile = evaluate_check(responses, profile=HR_PROFILE).classification
    assert via_answers.model_dump() == via_profile.model_dump()


def test_conflicting_profile_answers_become_findings():
    a = Response(role="manager", answers={"P-MONITORING-CAPABLE": "no", "P-WORKPLACE": "yes"})
    b = Response(role="employee_rep", answers={"P-MONITORING-CAPABLE": "yes"})
    result = evaluate_check([a, b])
    assert result.profile.can_monitor_workers is True
    assert any(f.source == "conflict:P-MONITORING-CAPABLE" for f in result.findings)
    assert "betrvg_87_1_6" in {f.id for f in result.classification.codetermination}


def test_the_result_serialises_to_json():
    data = evaluate_check(_conflicting_hr_responses()).model_dump(mode="json")
    assert data["classification"]["risk_class"] == "high_risk"
    assert data["scores"][0]["criterion"] == "human_control"


def test_no_class_before_the_deciding_questions_are_answered():
    empty = evaluate_check([])
    assert not empty.class_given
    assert [q.id for q in empty.missing_for_class] == default_catalogue().meta.deciding_questions
    partial = evaluate_check(
        [Response(role="manager", answers={"P-FUNCTIONS": ["shift_planning"]})]
    )
    assert "P-FUNCTIONS" not in [q.id for q in partial.missing_for_class]
    assert not partial.class_given
    full = evaluate_check([Response(role="manager", answers=answers_for_profile(HR_PROFILE))])
    assert full.class_given and full.missing_for_class == []
    # "none of these" is an answer; so is a profile given directly.
    assert evaluate_check([], profile=HR_PROFILE).class_given


def test_contradictory_answers_are_shown_and_withhold_the_class():
    answers = answers_for_profile(
        HR_PROFILE.model_copy(update={"used_at_workplace": False, "can_monitor_workers": True})
    )
    result = evaluate_check([Response(role="manager", answers=answers)])
    assert [c.id for c in result.contradictions] == ["C-WORKPLACE-MONITORING"]
    assert result.contradictions[0].questions == ["P-WORKPLACE", "P-MONITORING-CAPABLE"]
    assert not result.class_given and result.missing_for_class == []
    hiring_for_businesses = answers_for_profile(
        HR_PROFILE.model_copy(update={"affected_persons": ["businesses"]})
    )
    ids = [
        c.id
        for c in evaluate_check(
            [Response(role="manager", answers=hiring_for_businesses)]
        ).contradictions
    ]
    assert ids == ["C-BUSINESSES-PERSON-FUNCTIONS"]


def test_no_reference_case_contradicts_itself(reference_cases):
    for case in reference_cases:
        profile = CaseProfile.model_validate(case["profile"])
        assert evaluate_check([], profile=profile).contradictions == [], case["id"]


def test_findings_resting_on_the_class_wait_until_it_can_be_given():
    rules = {r.id: r for r in default_catalogue().rules}

    def on_class(result):
        fired = {f.source for f in result.findings} | {
            reason for rec in result.recommendations for reason in rec.reasons
        }
        return {rid for rid in fired if rid in rules and "high_risk" in str(rules[rid].when)}

    answers = answers_for_profile(HR_PROFILE)
    full = evaluate_check([Response(role="manager", answers=answers)])
    assert full.class_given and on_class(full)
    without = {k: v for k, v in answers.items() if k != "P-ORG-ROLES"}
    pending = evaluate_check([Response(role="manager", answers=without)])
    assert not pending.class_given and on_class(pending) == set()
