"""The check's pages: start, answer (guided and free), result, exports, documents."""

import io
import json
import re

import pytest
from django.core import mail
from pypdf import PdfReader

from humaine.check import services
from humaine.check.catalogue import default_catalogue
from humaine.check.models import Check, Respondent
from humaine.core.models import AuditEvent
from humaine.tests.leaks import sessions_text


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_public_form_starts_a_check_and_shows_the_private_link_once(client, cast):
    response = client.post(
        "/check/",
        {"title": "Schichtplanung", "owner_role": "manager", "language": "de", "email": ""},
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    check = Check.objects.get(title="Schichtplanung")
    assert check.token() in page
    assert check.respondents.get().token() in page
    again = client.get("/check/started/").content.decode()
    assert check.token() not in again
    assert AuditEvent.objects.filter(action="check.created", object_id=str(check.pk)).exists()
    assert AuditEvent.objects.filter(action="check.respondent_invited").count() == 1


def test_public_form_with_bad_input_saves_nothing_and_says_why(client, cast):
    response = client.post(
        "/check/", {"title": "", "owner_role": "astronaut", "language": "de", "email": "kaputt"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Dieses Feld ist zwingend erforderlich." in page
    assert "Bitte gültige E-Mail-Adresse eingeben." in page
    assert "Bitte eine gültige Auswahl treffen." in page
    english = client.post("/en/check/", {"title": "x" * 201, "language": "de"})
    assert "Ensure this value has at most 200 characters" in english.content.decode()
    assert Check.objects.count() == 0


def test_the_private_link_is_emailed_once_and_the_address_forgotten(client, cast, run_jobs):
    client.post("/check/", {"title": "Chatbot", "language": "en", "email": "owner@example.org"})
    check = Check.objects.get(title="Chatbot")
    assert check.notify_email == "owner@example.org"
    run_jobs()
    assert len(mail.outbox) == 1
    assert check.token() in mail.outbox[0].body
    check.refresh_from_db()
    assert check.notify_email == ""


def test_owner_invites_by_role_and_the_invitation_can_be_emailed(client, standalone, run_jobs):
    token = standalone.token
    response = client.post(
        f"/check/r/{token}/invite/",
        {
            "role": "employee_rep",
            "label": "Betriebsrat",
            "email": "br@example.org",
            "language": "de",
        },
    )
    assert response.status_code == 302
    respondent = Respondent.objects.get(label="Betriebsrat")
    assert respondent.role == "employee_rep"
    run_jobs()
    assert respondent.token() in mail.outbox[0].body
    respondent.refresh_from_db()
    assert respondent.invite_email == ""
    overview = client.get(f"/check/r/{token}/").content.decode()
    # emailed: the link is theirs, the owner's page does not show it
    assert "Betriebsrat" in overview and respondent.token() not in overview


def test_invitation_with_unknown_role_or_no_label_saves_nothing(client, standalone):
    response = client.post(
        f"/check/r/{standalone.token}/invite/", {"role": "king", "label": "", "language": "de"}
    )
    assert response.status_code == 400
    assert "Bitte eine gültige Auswahl treffen." in response.content.decode()
    assert Respondent.objects.count() == 1


def test_guided_path_saves_each_page_and_comes_back(client, standalone):
    token = standalone.respondent_token
    home = client.get(f"/check/answer/{token}/")
    assert home.status_code == 200
    assert "Führungskraft" in home.content.decode()
    page = client.get(f"/check/answer/{token}/phase/development/")
    assert page.status_code == 200
    response = client.post(
        f"/check/answer/{token}/phase/development/",
        {
            "shown": "P-SECTOR,P-DECISION-ROLE,P-PURPOSE",
            "P-SECTOR": "industry",
            "P-DECISION-ROLE": "assists",
            "P-PURPOSE": "",
            "action": "next",
        },
    )
    assert response.status_code == 302
    assert response["Location"].endswith("/phase/implementation/")
    respondent = standalone.respondent
    respondent.refresh_from_db()
    assert respondent.answers == {"P-SECTOR": "industry", "P-DECISION-ROLE": "assists"}
    assert respondent.last_saved_at is not None
    again = client.get(f"/check/answer/{token}/phase/development/").content.decode()
    assert re.search(r'value="industry"[^>]*checked', again)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"shown": "DEV-HC-01", "DEV-HC-01": "vielleicht"}, "Bitte eine gültige Auswahl treffen."),
        ({"shown": "USE-WL-01", "USE-WL-01": "7"}, "Bitte eine gültige Auswahl treffen."),
        ({"shown": "P-EMPLOYEES", "P-EMPLOYEES": "-3"}, "größer oder gleich 0"),
        ({"shown": "P-PURPOSE", "P-PURPOSE": "x" * 5001}, "höchstens 5000 Zeichen"),
        ({"shown": "NO-SUCH-QUESTION,P-SECTOR", "P-SECTOR": "industry"}, "Unbekannte Frage"),
    ],
)
def test_bad_answers_are_refused_with_a_message_and_nothing_is_saved(
    client, standalone, data, message
):
    token = standalone.respondent_token
    response = client.post(f"/check/answer/{token}/browse/?scope=all", data)
    assert response.status_code == 400
    assert message in response.content.decode()
    standalone.respondent.refresh_from_db()
    assert standalone.respondent.answers == {}


def test_free_browsing_filters_and_fills_the_same_answers(client, standalone):
    token = standalone.respondent_token
    page = client.get(f"/check/answer/{token}/browse/?phase=use&criterion=workload&scope=all")
    html = page.content.decode()
    assert "USE-WL-01" in html and "DEV-HC-01" not in html
    response = client.post(
        f"/check/answer/{token}/browse/?phase=use&criterion=workload&scope=all",
        {"shown": "USE-WL-01", "USE-WL-01": "2"},
    )
    assert response.status_code == 302
    standalone.respondent.refresh_from_db()
    assert standalone.respondent.answers == {"USE-WL-01": 2}
    search = client.get(f"/check/answer/{token}/browse/?q=Stopptaste&scope=all").content.decode()
    assert "USE-HC-01" in search
    recs = client.get(f"/check/answer/{token}/recommendations/?priority=must").content.decode()
    assert "REC-AIA-LITERACY" in recs


def test_submitted_answers_stay_fixed(client, standalone):
    token = standalone.respondent_token
    client.post(f"/check/answer/{token}/browse/", {"shown": "P-SECTOR", "P-SECTOR": "health_care"})
    assert client.post(f"/check/answer/{token}/submit/").status_code == 302
    client.post(f"/check/answer/{token}/browse/", {"shown": "P-SECTOR", "P-SECTOR": "industry"})
    respondent = Respondent.objects.get(pk=standalone.respondent.pk)
    assert respondent.answers == {"P-SECTOR": "health_care"}
    assert respondent.is_submitted
    assert AuditEvent.objects.filter(action="check.answers_submitted").count() == 1


def hr_answers(respondent, **extra):
    answers = {
        "P-SECTOR": "industry",
        "P-FUNCTIONS": ["recruitment_selection"],
        "P-AFFECTED": ["applicants"],
        "P-DECISION-ROLE": "assists",
        "P-PROFILING": "yes",
        "P-ORG-ROLES": ["uses"],
        "P-WORKPLACE": "yes",
        "P-WORKS-COUNCIL": "yes",
        "P-EMPLOYEES": 800,
    }
    services.save_answers(respondent, answers | extra)


def test_result_page_shows_class_reasoning_obligations_scores_and_disclaimer(client, standalone):
    hr_answers(standalone.respondent, **{"USE-HC-01": "no"})
    html = client.get(f"/check/r/{standalone.token}/result/").content.decode()
    for text in [
        "Hochrisiko-KI-System",
        "Anhang III",
        "Art. 26 Abs. 7",
        "§ 95",
        "keine Rechtsberatung",
        "<svg",
        "Offene Fragen",
        "Muss",
    ]:
        assert text in html, text
    assert "Art. 26(7)" not in html  # the law as German cites it, also among the sources
    english = client.get(f"/en/check/r/{standalone.token}/result/").content.decode()
    assert "high-risk AI system" in english and "not legal advice" in english


def test_pdf_export_contains_the_risk_class(client, standalone):
    hr_answers(standalone.respondent)
    response = client.get(f"/check/r/{standalone.token}/result.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert "Hochrisiko-KI-System" in pdf_text(response.content)
    english = client.get(f"/en/check/r/{standalone.token}/result.pdf")
    assert "high-risk AI system" in pdf_text(english.content)


def test_json_export_has_the_result_and_no_answers_of_individuals(client, standalone):
    hr_answers(standalone.respondent)
    data = json.loads(client.get(f"/check/r/{standalone.token}/result.json").content)
    assert data["result"]["classification"]["risk_class"] == "high_risk"
    assert data["respondents"] == [
        {
            "label": "Führungskraft",
            "role": "manager",
            "answers": 9,
            "last_saved_at": data["respondents"][0]["last_saved_at"],
            "submitted_at": None,
        }
    ]


def test_documents_are_generated_edited_saved_and_exported(client, standalone):
    hr_answers(standalone.respondent)
    base = f"/check/r/{standalone.token}/documents/worker_notice/"
    page = client.get(base).content.decode()
    assert "Art. 26 Abs. 7" in page
    response = client.post(base, {"action": "save", "text": "# Unsere Info\n\n- Punkt eins"})
    assert response.status_code == 302
    check = Check.objects.get(pk=standalone.check.pk)
    assert check.edited_document("worker_notice", "de")["text"].startswith("# Unsere Info")
    assert "<h1>Unsere Info</h1>" in client.get(base).content.decode()
    pdf = client.get(f"/check/r/{standalone.token}/documents/worker_notice.pdf")
    assert "Unsere Info" in pdf_text(pdf.content)
    client.post(base, {"action": "reset"})
    check.refresh_from_db()
    assert check.edited_document("worker_notice", "de") is None
    steps = client.get(f"/check/r/{standalone.token}/documents/codetermination_steps.pdf")
    assert "§ 90" in pdf_text(steps.content)
    agreement = client.get(f"/check/r/{standalone.token}/documents/works_agreement/")
    assert "Betriebsvereinbarung" in agreement.content.decode()
    too_long = client.post(base, {"action": "save", "text": "x" * 50_001})
    assert too_long.status_code == 400
    assert AuditEvent.objects.filter(action="check.document_saved").count() == 1


def test_profile_entered_as_json_replaces_the_profile_questions(client, standalone):
    url = f"/check/r/{standalone.token}/profile/"
    bad = client.post(url, {"action": "save", "profile": '{"functions": ["telepathy"]}'})
    assert bad.status_code == 400
    assert "Unbekannter Wert" in bad.content.decode()
    assert Check.objects.get().profile is None
    profile = {
        "sector": "insurance",
        "functions": ["emotion_recognition_workers"],
        "affected_persons": ["workers"],
        "used_at_workplace": True,
    }
    assert client.post(url, {"action": "save", "profile": json.dumps(profile)}).status_code == 302
    check = Check.objects.get()
    assert check.profile["functions"] == ["emotion_recognition_workers"]
    result = client.get(f"/check/r/{standalone.token}/result/").content.decode()
    assert "Verbotene Praxis" in result
    phase = client.get(f"/check/answer/{standalone.respondent_token}/phase/development/")
    assert "P-SECTOR" not in phase.content.decode()
    client.post(url, {"action": "clear"})
    assert Check.objects.get().profile is None
    assert AuditEvent.objects.filter(action="check.profile_changed").count() == 2


def test_member_starts_a_check_from_the_inquiry_page(client_for, cast):
    client = client_for(cast.member)
    page = client.get(f"/inquiries/{cast.acme_inquiry.pk}/").content.decode()
    assert 'id="check-panel"' in page
    response = client.post(
        f"/inquiries/{cast.acme_inquiry.pk}/check/",
        {"title": "Schadenprüfung", "owner_role": ""},
    )
    check = Check.objects.get(inquiry=cast.acme_inquiry)
    assert response["Location"] == f"/checks/{check.pk}/"
    assert check.token_hash is None and check.created_by == cast.member
    assert client.get(f"/checks/{check.pk}/").status_code == 200
    assert "Schadenprüfung" in client.get(f"/inquiries/{cast.acme_inquiry.pk}/").content.decode()


def test_the_date_set_in_force_follows_the_setting(client, db, settings):
    settings.HUMAINE_AI_ACT_DATES = "art113"
    created = services.create_check(title="HR", owner_role="manager")
    hr_answers(created.respondent)
    assert created.check.date_set == "art113"
    data = json.loads(client.get(f"/check/r/{created.token}/result.json").content)
    dates = {o["id"]: o["applies_from"] for o in data["result"]["classification"]["obligations"]}
    assert dates["art26"] == "2026-08-02"
    settings.HUMAINE_AI_ACT_DATES = "omnibus"
    later = services.create_check(title="HR", owner_role="manager")
    hr_answers(later.respondent)
    data = json.loads(client.get(f"/check/r/{later.token}/result.json").content)
    dates = {o["id"]: o["applies_from"] for o in data["result"]["classification"]["obligations"]}
    assert dates["art26"] == "2027-12-02"


def test_an_unknown_date_set_stops_the_hub_at_start(settings):
    from django.apps import apps
    from django.core.exceptions import ImproperlyConfigured

    settings.HUMAINE_AI_ACT_DATES = "lex-futura"
    with pytest.raises(ImproperlyConfigured, match="lex-futura"):
        apps.get_app_config("check").ready()


def test_questions_follow_the_active_language(client, standalone):
    token = standalone.respondent_token
    english = client.get(f"/en/check/answer/{token}/phase/development/").content.decode()
    assert "In which sector is the AI used?" in english and "don&#x27;t know" in english
    german = client.get(f"/check/answer/{token}/phase/development/").content.decode()
    assert "In welcher Branche wird die KI eingesetzt?" in german and "weiß nicht" in german


def test_the_german_result_cites_the_law_in_german_and_shows_no_internal_names(client, standalone):
    services.save_answers(
        standalone.respondent,
        {
            "P-FUNCTIONS": ["recruitment_selection"],
            "P-AFFECTED": ["applicants"],
            "P-DECISION-ROLE": "assists",
            "P-ORG-ROLES": ["uses"],
        },
    )
    page = client.get(f"/check/r/{standalone.check.token()}/result/").content.decode()
    assert "Anhang III Nr. 4 Buchst. a" in page
    assert "Art. 6 Abs. 2" in page
    assert "Noch nicht beantwortet: „Setzen Sie das System" in page
    text = re.sub(r"<[^>]+>", " ", page)
    for internal in ("Annex III point", "used_at_workplace", " = True", "(P-", "REC-"):
        assert internal not in text, internal


def test_without_the_deciding_answers_the_result_gives_no_class_and_names_them(client, standalone):
    owner = f"/check/r/{standalone.check.token()}"
    page = client.get(f"{owner}/result/").content.decode()
    assert "Die Risikoklasse kann noch nicht bestimmt werden." in page
    assert "minimales Risiko" not in page and "Hochrisiko" not in page
    assert "Was tut die KI?" in page and "Wie werden die Ergebnisse der KI verwendet?" in page
    assert "noch nicht bestimmbar" in client.get(f"{owner}/").content.decode()
    data = json.loads(client.get(f"{owner}/result.json").content)
    assert data["result"]["class_given"] is False
    assert [q["id"] for q in data["result"]["missing_for_class"]][:1] == ["P-FUNCTIONS"]
    hr_answers(standalone.respondent)
    assert "Hochrisiko-KI-System" in client.get(f"{owner}/result/").content.decode()


def test_contradictory_answers_are_shown_with_the_answers_and_no_class(client, standalone):
    hr_answers(standalone.respondent, **{"P-WORKPLACE": "no", "P-MONITORING-CAPABLE": "yes"})
    page = client.get(f"/check/r/{standalone.check.token()}/result/").content.decode()
    assert "widersprechen sich" in page
    assert "könnte aber Verhalten oder Leistung von Beschäftigten überwachen" in page
    assert "Setzen Sie das System in Ihrem eigenen Betrieb ein" in page
    assert "Hochrisiko-KI-System" not in page


def test_the_last_button_of_the_guided_path_saves_and_submits(client, standalone, shown_ids):
    token = standalone.respondent.token()
    last = f"/check/answer/{token}/phase/use/"
    page = client.get(last).content.decode()
    assert 'value="finish"' in page and "Speichern und abschließen" in page
    assert 'value="next"' not in page
    cat = default_catalogue()
    first = next(q for q in shown_ids(page) if cat.question(q).type == "yes_no")
    bad = client.post(last, {"shown": first, first: "vielleicht", "action": "finish"})
    assert bad.status_code == 400
    standalone.respondent.refresh_from_db()
    assert not standalone.respondent.is_submitted
    response = client.post(last, {"shown": first, first: "yes", "action": "finish"})
    assert response.status_code == 302
    assert response["Location"] == f"/check/answer/{token}/"
    standalone.respondent.refresh_from_db()
    assert standalone.respondent.is_submitted
    assert standalone.respondent.answers[first] == "yes"


def test_the_owner_sees_an_invitation_link_once_and_never_the_respondents_own(client, standalone):
    owner = f"/check/r/{standalone.check.token()}"
    overview = client.get(f"{owner}/").content.decode()
    assert standalone.respondent.token() not in overview
    client.post(f"{owner}/invite/", {"role": "employee_rep", "label": "BR", "language": "de"})
    rep = Respondent.objects.get(label="BR")
    # the session holds the link's hash only, neither the token nor the label
    assert rep.token() not in sessions_text() and '"BR"' not in sessions_text()
    once = client.get(f"{owner}/").content.decode()
    assert rep.token() in once and "nur dieses eine Mal" in once
    assert rep.token() not in client.get(f"{owner}/").content.decode()


def test_the_owner_revokes_an_invitation_and_its_link_opens_nothing(client, standalone):
    owner = f"/check/r/{standalone.check.token()}"
    respondent = standalone.respondent
    link = f"/check/answer/{respondent.token()}/"
    assert client.get(link).status_code == 200
    response = client.post(f"{owner}/respondents/{respondent.pk}/revoke/")
    assert response.status_code == 302
    assert client.get(link).status_code == 404
    respondent.refresh_from_db()
    assert respondent.is_revoked
    assert AuditEvent.objects.filter(action="check.invitation_revoked").count() == 1
    page = client.get(f"{owner}/").content.decode()
    assert "widerrufen" in page


def test_the_owner_resends_an_invitation_by_email_until_it_is_answered(
    client, standalone, run_jobs
):
    owner = f"/check/r/{standalone.check.token()}"
    respondent = standalone.respondent
    url = f"{owner}/respondents/{respondent.pk}/resend/"
    prefix = f"r{respondent.pk}"
    bad = client.post(url, {f"{prefix}-email": "kaputt", f"{prefix}-language": "de"})
    assert bad.status_code == 400 and "gültige E-Mail-Adresse" in bad.content.decode()
    for _ in range(2):
        client.post(url, {f"{prefix}-email": "br@example.org", f"{prefix}-language": "de"})
        run_jobs()
    assert [m.to for m in mail.outbox] == [["br@example.org"], ["br@example.org"]]
    assert respondent.token() in mail.outbox[1].body
    services.submit_answers(respondent)
    client.post(url, {f"{prefix}-email": "br@example.org", f"{prefix}-language": "de"})
    run_jobs()
    assert len(mail.outbox) == 2


def test_a_respondent_sees_the_result_once_submitted_unless_the_owner_turned_it_off(
    client, standalone
):
    token = standalone.respondent.token()
    owner = f"/check/r/{standalone.check.token()}"
    result = f"/check/answer/{token}/result/"
    assert client.get(result).status_code == 404
    hr_answers(standalone.respondent)
    services.submit_answers(standalone.respondent)
    start = client.get(f"/check/answer/{token}/").content.decode()
    assert result in start
    assert "Hochrisiko-KI-System" in client.get(result).content.decode()
    client.post(f"{owner}/sharing/", {"share": "no"})
    assert client.get(result).status_code == 404
    assert "nicht freigegeben" in client.get(f"/check/answer/{token}/").content.decode()
    client.post(f"{owner}/sharing/", {"share": "yes"})
    assert client.get(result).status_code == 200


def test_the_check_started_page_shows_its_links_that_the_session_does_not_hold(client, cast):
    form = {"title": "Schichtplanung", "owner_role": "manager", "language": "de", "email": ""}
    response = client.post("/check/", form)
    stored = sessions_text()
    page = client.get(response["Location"])
    check = Check.objects.get(title="Schichtplanung")
    assert check.token() in page.content.decode()
    assert check.respondents.get().token() in page.content.decode()
    assert "no-store" in page["Cache-Control"]
    for secret in (check.token(), check.respondents.get().token(), "Schichtplanung"):
        assert secret not in stored
