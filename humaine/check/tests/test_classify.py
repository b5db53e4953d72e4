"""Behaviour of the classifier beyond the reference cases."""

import datetime as dt

import pytest
from pydantic import ValidationError

from humaine.check.classify import classify
from humaine.check.profile import CaseProfile

HR = {
    "functions": ["recruitment_selection"],
    "affected_persons": ["applicants"],
    "profiles_natural_persons": True,
    "used_at_workplace": True,
    "works_council": "yes",
}


def _profile(**facts):
    return CaseProfile.model_validate(facts)


def test_the_date_set_chooses_when_obligations_apply():
    profile = _profile(**HR)
    published = {o.id: o.applies_from for o in classify(profile, law="art113").obligations}
    amended = {o.id: o.applies_from for o in classify(profile, law="omnibus").obligations}
    assert published["art26_7"] == dt.date(2026, 8, 2)
    assert amended["art26_7"] == dt.date(2027, 12, 2)
    assert published["art4"] == amended["art4"] == dt.date(2025, 2, 2)


def test_the_default_date_set_comes_from_the_catalogue():
    result = classify(_profile(**HR))
    assert result.date_set == "omnibus"
    assert "2026/1744" in result.date_set_title.en


def test_an_unknown_date_set_is_refused():
    with pytest.raises(ValueError, match="unknown date set 'someday'"):
        classify(_profile(**HR), law="someday")


def test_profiling_blocks_every_art6_3_exception():
    facts = {**HR, "art6_3_conditions": ["preparatory_task", "narrow_procedural_task"]}
    result = classify(_profile(**facts))
    assert result.risk_class == "high_risk" and not result.art6_3_exempt
    assert any("third subparagraph" in step.article for step in result.reasoning)


def test_an_exception_without_a_profiling_answer_is_not_assumed_but_listed_to_confirm():
    facts = {**HR, "profiles_natural_persons": None, "art6_3_conditions": ["preparatory_task"]}
    result = classify(_profile(**facts))
    # The cautious reading: the exception is not applied while profiling is unknown.
    assert not result.art6_3_exempt and result.risk_class == "high_risk"
    assert any("(profiling)" in a.en and "assumed: yes" in a.en for a in result.assumptions)
    assert any("Art. 6(3)" in step.article for step in result.reasoning if step.code == "art6_3")
    confirmed = classify(_profile(**{**facts, "profiles_natural_persons": False}))
    assert confirmed.art6_3_exempt and confirmed.risk_class == "minimal_risk"


def test_assumptions_read_as_the_question_and_the_answer_assumed():
    result = classify(
        _profile(functions=["recruitment_selection"], affected_persons=["applicants"])
    )
    texts = [a.de for a in result.assumptions]
    assert texts and not any("_" in text or " = " in text for text in texts), texts
    assert any("„Setzen Sie das System in Ihrem eigenen Betrieb ein" in text for text in texts)


def test_a_provider_relying_on_art6_3_must_document_it():
    facts = {**HR, "profiles_natural_persons": False, "art6_3_conditions": ["preparatory_task"]}
    result = classify(_profile(**{**facts, "organisation_roles": ["develops"]}))
    ids = {o.id for o in result.obligations}
    assert {"art6_4", "art49_2"} <= ids
    uncertain = {o.id: o.certainty for o in result.obligations}
    assert uncertain["art49_2"] == "uncertain"


def test_unknown_insurance_line_is_treated_as_life_or_health_and_said_so():
    result = classify(
        _profile(functions=["insurance_risk_pricing"], affected_persons=["insured_persons"])
    )
    assert result.annex_iii_points == ["5(c)"]
    assert any("lines of insurance" in a.en and "Life" in a.en for a in result.assumptions)


def test_unknown_notified_body_is_derived_from_the_device_class_or_assumed():
    base = {"annex_i_legislation": ["mdr"], "annex_i_role": "product"}
    assert classify(_profile(**base, device_class="III")).high_risk
    assert not classify(_profile(**base, device_class="I")).high_risk
    unknown = classify(_profile(**base))
    assert unknown.high_risk and any("notified body" in a.en for a in unknown.assumptions)


@pytest.mark.parametrize(
    ("facts", "note"),
    [
        ({"works_council": "no", "employees_count": 40}, "no works council"),
        ({"works_council": "unknown"}, "if a works council exists"),
        ({"works_council": "yes", "public_body": True}, "§130 BetrVG"),
        ({"works_council": "yes", "country": "AT"}, "establishments in Germany"),
        ({"works_council": "no", "employees_count": 3}, "five permanent employees"),
    ],
)
def test_codetermination_says_why_it_may_not_apply(facts, note):
    result = classify(_profile(functions=["quality_inspection"], used_at_workplace=True, **facts))
    flag = next(f for f in result.codetermination if f.id == "betrvg_90")
    assert note in flag.note.en
    assert flag.active == (facts.get("works_council") == "unknown")


def test_without_a_works_council_high_risk_use_still_requires_informing_workers():
    result = classify(_profile(**{**HR, "works_council": "no", "employees_count": 40}))
    assert "art26_7" in {o.id for o in result.obligations}
    assert not any(f.active for f in result.codetermination)


def test_every_reasoning_step_is_bilingual_and_names_its_facts():
    result = classify(_profile(**HR))
    match = next(s for s in result.reasoning if s.code == "annex_iii")
    assert match.facts == ["functions contains recruitment_selection"]
    assert "Anhang III Nr. 4(a)" in match.text.de and "Annex III point 4(a)" in match.text.en


def test_profile_rejects_unknown_values_with_a_clear_message():
    with pytest.raises(ValidationError, match="unknown value"):
        CaseProfile.model_validate({"functions": ["mind_reading"]})
    with pytest.raises(ValidationError, match="Extra inputs are not permitted"):
        CaseProfile.model_validate({"colour": "red"})
    with pytest.raises(ValidationError):
        CaseProfile.model_validate({"employees_count": -1})


def test_profile_json_schema_documents_every_field_and_its_values():
    schema = CaseProfile.model_json_schema()
    for name, prop in schema["properties"].items():
        assert prop.get("description"), name
    assert "recruitment_selection" in schema["properties"]["functions"]["items"]["enum"]
    assert "health_care" in schema["properties"]["sector"]["enum"]
    assert "mdr" in schema["properties"]["annex_i_legislation"]["items"]["enum"]


def test_classification_serialises_to_json():
    result = classify(_profile(**HR))
    data = result.model_dump(mode="json")
    assert data["risk_class"] == "high_risk"
    assert data["obligations"][0]["applies_from"] == "2025-02-02"


def test_preparatory_work_without_the_art6_3_answer_is_not_exempt_but_asked_to_confirm():
    facts = {"functions": ["public_benefits_eligibility"], "public_body": True}
    prepares = classify(_profile(**facts, decision_role="prepares", profiles_natural_persons=False))
    assert not prepares.art6_3_exempt and prepares.risk_class == "high_risk"
    assert any("Art. 6(3)(d)" in a.en for a in prepares.assumptions)
    answered = classify(
        _profile(
            **facts,
            decision_role="prepares",
            profiles_natural_persons=False,
            art6_3_conditions=["preparatory_task"],
        )
    )
    assert answered.art6_3_exempt and answered.art6_3_conditions == ["preparatory_task"]
    profiling = classify(_profile(**facts, decision_role="prepares", profiles_natural_persons=True))
    assert profiling.risk_class == "high_risk"


def test_diagnosis_support_is_read_as_a_medical_device_unless_said_otherwise():
    implied = classify(_profile(functions=["medical_diagnosis_therapy"]))
    assert implied.risk_class == "high_risk" and implied.annex_i == ["mdr"]
    assert any("Medical devices" in a.en for a in implied.assumptions)
    not_a_device = classify(_profile(functions=["medical_diagnosis_therapy"], annex_i_role="none"))
    assert not_a_device.risk_class == "minimal_risk"


def test_developing_for_use_at_ones_own_workplace_makes_provider_and_deployer():
    result = classify(_profile(**{**HR, "organisation_roles": ["develops"]}))
    assert result.roles == ["provider", "deployer"]
    assert {"art9", "art26_7"} <= {o.id for o in result.obligations}


def test_reasoning_names_the_questions_behind_its_facts():
    result = classify(_profile(**HR))
    match = next(s for s in result.reasoning if s.code == "annex_iii")
    assert match.questions == ["P-FUNCTIONS"]


def test_a_prohibited_system_gets_no_high_risk_duties():
    result = classify(
        _profile(functions=["emotion_recognition_workers"], affected_persons=["workers"])
    )
    ids = {o.id for o in result.obligations}
    assert result.risk_class == "prohibited" and "art5" in ids
    assert not ids & {"art26", "art50_3", "art9"}


def _art26_7(result):
    return next(o for o in result.obligations if o.id == "art26_7")


def test_art26_7_says_which_reading_applies_and_why():
    subject = classify(_profile(**HR, workers_relation=["subject", "operate"]))
    assert "narrow and the wide reading alike" in _art26_7(subject).note.en
    operate = classify(_profile(**HR, workers_relation=["operate"]))
    note = _art26_7(operate).note
    assert "Narrow reading" in note.en and "Wide reading" in note.en
    assert "Die Prüfung wendet die weite Lesart an" in note.de
    unknown = classify(_profile(**HR))
    assert "has not been answered" in _art26_7(unknown).note.en


def test_betrvg_90_rests_on_planning_work_procedures_not_on_80_3s_condition():
    def flags(**facts):
        result = classify(_profile(**{**HR, **facts}))
        return {f.id: f.status for f in result.codetermination}, result

    planned, _result = flags(plans_work_procedures=True)
    assert planned["betrvg_90"] == "applies" and planned["betrvg_80_3"] == "applies"
    not_planned, _result = flags(plans_work_procedures=False)
    assert "betrvg_90" not in not_planned and not_planned["betrvg_80_3"] == "applies"
    unknown, result = flags()
    assert unknown["betrvg_90"] == "applies"
    assert any("work procedures" in a.en for a in result.assumptions)
