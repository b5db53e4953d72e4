"""The process model: shipped data is valid, gates follow co-determination, errors are clear."""

import pytest

from humaine.check.catalogue import default_catalogue
from humaine.scenarios.process_model import (
    ProcessModelError,
    default_process_model,
    parse_process_model,
)

PHASES = ["orientation", "analysis", "design", "development", "implementation", "use", "evaluation"]


def test_shipped_model_has_the_seven_phases_in_order():
    model = default_process_model()
    assert model.phase_ids() == PHASES
    assert model.next_phase("use").id == "evaluation"
    assert model.next_phase("evaluation") is None


def test_every_method_is_a_recommendation_of_the_check_with_sources():
    catalogue = default_catalogue()
    for phase in default_process_model().phases:
        assert phase.methods, phase.id
        for method in phase.methods:
            assert catalogue.get("recommendations", method).sources


def test_every_phase_has_texts_in_both_languages():
    for phase in default_process_model().phases:
        for text in [phase.title, phase.description, *phase.goals, *phase.questions]:
            assert text.get("de") and text.get("en")
        assert phase.deliverables


@pytest.mark.parametrize("flag", ["betrvg_87_1_6", "betrvg_90", "betrvg_95_2a"])
def test_a_codetermination_flag_puts_the_works_council_on_the_gates_it_concerns(flag):
    model = default_process_model()
    concerned = [p.id for p in model.phases if flag in p.gate.codetermination]
    assert concerned
    for phase in model.phases:
        roles = model.gate_roles(phase.id, [flag])
        assert ("works_council" in roles) == (phase.id in concerned)
        assert "works_council" not in model.gate_roles(phase.id, [])


def test_monitoring_flag_concerns_the_go_live_gate():
    model = default_process_model()
    assert "works_council" in model.gate_roles("implementation", ["betrvg_87_1_6"])
    assert model.codetermination_reasons("implementation", ["betrvg_87_1_6", "x"]) == [
        "betrvg_87_1_6"
    ]


BROKEN = """
meta: {version: "1", representatives_role: works_council}
roles:
  - {id: lead, title: {de: L, en: L}, description: {de: d, en: d}}
  - {id: works_council, title: {de: B, en: W}, description: {de: d, en: d}}
phases:
  - id: orientation
    title: {de: Orientierung}
    description: {de: d, en: d}
    goals: [{de: g, en: g}]
    questions: [{de: q, en: q}]
    gate: {roles: [lead]}
"""


def test_a_missing_translation_is_named_with_its_place():
    with pytest.raises(ProcessModelError) as error:
        parse_process_model(BROKEN)
    assert "missing translation 'en' at title.en" in str(error.value)
    assert "Übersetzung 'en' fehlt" in error.value.texts("de")[0]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ("gate: {roles: [lead]}", None),
        ("gate: {roles: [boss]}", "gate role 'boss' does not exist"),
        ("gate: {roles: [lead], codetermination: [betrvg_1]}", "flag 'betrvg_1' does not exist"),
        ("gate: {roles: [lead]}\n    methods: [REC-NOPE]", "recommendation 'REC-NOPE'"),
        ("gate: {roles: [lead]}\n    colour: red", "unknown field 'colour'"),
    ],
)
def test_references_are_checked(change, expected):
    text = BROKEN.replace("{de: Orientierung}", "{de: Orientierung, en: Orientation}")
    text = text.replace("gate: {roles: [lead]}", change)
    if expected is None:
        assert parse_process_model(text).gate_roles("orientation") == ["lead"]
        return
    with pytest.raises(ProcessModelError) as error:
        parse_process_model(text)
    assert expected in str(error.value)


def test_invalid_yaml_says_where():
    with pytest.raises(ProcessModelError) as error:
        parse_process_model("phases: [\n  - id: x\n  bad")
    assert "not valid YAML" in str(error.value)
    assert "kein gültiges YAML" in error.value.texts("de")[0]
