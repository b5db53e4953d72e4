"""The reference cases through the questionnaire: stored answers, and the real forms."""

import json
from urllib.parse import urlsplit

import pytest

from humaine.check import services
from humaine.check.classify import classify
from humaine.check.models import Respondent
from humaine.check.profile import CaseProfile
from humaine.check.questionnaire import answers_for_profile
from humaine.check.selectors import check_result, current_profile

# A representative subset for the slower walk through the forms: HR, chatbot, emotion
# recognition at work, a medical device, claims assistance versus decision, and the
# quality camera with and without individual performance monitoring.
THROUGH_FORMS = [
    "hr-cv-screening-deployer",
    "callcentre-performance-evaluation",
    "insurer-chatbot-own",
    "emotion-recognition-agents",
    "radiology-device-hospital",
    "claims-handler-assistant",
    "claims-automatic-decision",
    "life-insurance-underwriting",
    "emergency-department-triage",
    "quality-camera-parts-only",
    "quality-camera-performance-evaluation",
    "research-prototype",
]


def test_every_reference_case_gives_the_same_result_through_stored_answers(db, reference_cases):
    for case in reference_cases:
        profile = CaseProfile.model_validate(case["profile"])
        created = services.create_check(title=case["id"], owner_role="manager")
        services.save_answers(created.respondent, answers_for_profile(profile))
        check = created.check
        assert current_profile(check) == profile, case["id"]
        result = check_result(check)
        direct = classify(profile, law=check.date_set)
        assert result.classification == direct, case["id"]
        assert result.classification.risk_class == case["expected"]["risk_class"], case["id"]


def walk_guided_path(client, token, answers, shown_ids, form_data) -> None:
    """Answer every page of the guided path, saving until no new question appears."""
    phase = client.get(f"/check/answer/{token}/").content.decode()
    for phase_id in ("development", "implementation", "use"):
        url = f"/check/answer/{token}/phase/{phase_id}/"
        if url not in phase:
            continue
        seen: list[str] = []
        for _round in range(5):
            ids = shown_ids(client.get(url).content.decode())
            if ids == seen:
                break
            response = client.post(url, {**form_data(answers, ids), "action": "save"})
            assert response.status_code == 302, response.content.decode()[:2000]
            seen = ids


@pytest.mark.parametrize("case_id", THROUGH_FORMS)
def test_reference_case_through_the_guided_forms_of_two_respondents(
    client, db, reference_cases, case_id, shown_ids, form_data
):
    case = next(c for c in reference_cases if c["id"] == case_id)
    profile = CaseProfile.model_validate(case["profile"])
    answers = answers_for_profile(profile)
    response = client.post(
        "/check/", {"title": case["title"], "owner_role": "manager", "language": "de"}
    )
    assert response.status_code == 302
    started = client.get("/check/started/").context
    owner = urlsplit(started["result_url"]).path.rstrip("/")
    respondent_token = urlsplit(started["answer_url"]).path.split("/")[3]
    client.post(f"{owner}/invite/", {"role": "developer", "label": "IT", "language": "de"})
    developer = Respondent.objects.get(label="IT")
    walk_guided_path(client, respondent_token, answers, shown_ids, form_data)
    walk_guided_path(client, developer.token(), answers, shown_ids, form_data)
    data = json.loads(client.get(f"{owner}/result.json").content)
    direct = classify(profile, law=data["check"]["date_set"]).model_dump(mode="json")
    assert data["result"]["profile"] == profile.model_dump(mode="json")
    assert data["result"]["classification"] == direct
    assert data["result"]["classification"]["risk_class"] == case["expected"]["risk_class"]
    page = client.get(f"{owner}/result/").content.decode()
    assert direct["risk_label"]["de"] in page
