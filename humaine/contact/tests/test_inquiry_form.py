"""The public inquiry form, its confirmation, and the inquirer's private status page."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from humaine.contact.models import Inquiry, InquiryMessage, Organisation, Person
from humaine.core.models import AuditEvent
from humaine.tests.factories import inquiry_form_data, make_inquiry
from humaine.tests.leaks import sessions_text

FORM_DE = "/inquiry/"
FORM_EN = "/en/inquiry/"


def stored() -> tuple[int, int, int]:
    return Inquiry.objects.count(), Person.objects.count(), Organisation.objects.count()


# Success -----------------------------------------------------------------------------------


def test_form_page_is_german_by_default_and_english_under_en(client, cast):
    german = client.get(FORM_DE)
    english = client.get(FORM_EN)
    assert german.status_code == english.status_code == 200
    assert '<html lang="de">' in german.content.decode()
    assert '<html lang="en">' in english.content.decode()
    assert "Send an inquiry" in english.content.decode()


def test_submission_creates_inquiry_organisation_and_contact_person(client, cast):
    before = stored()
    response = client.post(FORM_DE, inquiry_form_data(organisation="  Musterwerk   GmbH "))
    assert response.status_code == 302
    assert response["Location"] == reverse("contact:inquiry_sent")
    assert stored() == (before[0] + 1, before[1] + 1, before[2] + 1)
    inquiry = Inquiry.objects.get(organisation_name="Musterwerk GmbH")
    assert inquiry.status == Inquiry.Status.NEW
    assert inquiry.reference.startswith("HM-")
    assert inquiry.organisation.name == "Musterwerk GmbH"
    assert inquiry.contact.email == "erika@musterwerk.example"
    assert inquiry.sector == cast.sectors["industry"]
    assert inquiry.employees_affected == 12
    assert inquiry.consent_at is not None
    assert AuditEvent.objects.filter(action="inquiry.submitted", object_id=str(inquiry.pk)).exists()


def test_confirmation_page_shows_the_status_link_that_opens_the_status_page(client, cast):
    response = client.post(FORM_DE, inquiry_form_data(), follow=True)
    inquiry = Inquiry.objects.get(organisation_name="Musterwerk GmbH")
    page = response.content.decode()
    assert inquiry.reference in page
    status_path = reverse("contact:status", args=[inquiry.token()])
    assert f"http://testserver{status_path}" in page
    status = client.get(status_path)
    assert status.status_code == 200
    assert "Sichtprüfung von Gussteilen" in status.content.decode()


def test_confirmation_page_without_a_submission_shows_a_general_thank_you(client, cast):
    response = client.get(reverse("contact:inquiry_sent"))
    assert response.status_code == 200
    assert "/status/" not in response.content.decode()


def test_worker_emails_the_confirmation_with_the_status_link(client, cast, run_jobs):
    client.post(FORM_DE, inquiry_form_data())
    inquiry = Inquiry.objects.get(organisation_name="Musterwerk GmbH")
    assert mail.outbox == []
    run_jobs()
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["erika@musterwerk.example"]
    assert inquiry.reference in email.subject
    assert inquiry.status_url() in email.body
    assert client.get(inquiry.status_url().removeprefix("http://127.0.0.1:8000")).status_code == 200


def test_english_inquiry_gets_an_english_status_link(client, cast, run_jobs):
    client.post(FORM_EN, inquiry_form_data(language="en"))
    run_jobs()
    assert "/en/status/" in mail.outbox[0].body
    assert "Hello Erika Muster" in mail.outbox[0].body


def test_logged_in_member_inquiry_belongs_to_their_organisation(client_for, cast):
    client = client_for(cast.member)
    organisations = Organisation.objects.count()
    client.post(FORM_DE, inquiry_form_data(organisation="Acme"))
    inquiry = Inquiry.objects.get(organisation_name="Acme")
    assert inquiry.organisation == cast.acme
    assert Organisation.objects.count() == organisations


# Bad input: a clear message in the user's language, nothing saved, never a 500 --------------


def post_bad(client, url, **overrides):
    before = stored()
    response = client.post(url, inquiry_form_data(**overrides))
    assert response.status_code == 400
    assert stored() == before
    return response.content.decode()


@pytest.mark.parametrize(
    "field", ["organisation", "contact_name", "email", "work_process", "problem", "works_council"]
)
def test_missing_required_field_is_refused_in_german(client, cast, field):
    page = post_bad(client, FORM_DE, **{field: ""})
    assert "Dieses Feld ist zwingend erforderlich." in page
    assert 'aria-invalid="true"' in page


def test_missing_required_field_is_refused_in_english(client, cast):
    page = post_bad(client, FORM_EN, contact_name="")
    assert "This field is required." in page


def test_missing_fields_altogether_are_refused(client, cast):
    before = stored()
    response = client.post(FORM_DE, {})
    assert response.status_code == 400
    assert stored() == before


def test_invalid_email_is_refused_in_german(client, cast):
    page = post_bad(client, FORM_DE, email="erika-at-musterwerk")
    assert "Bitte gültige E-Mail-Adresse eingeben." in page


def test_invalid_email_is_refused_in_english(client, cast):
    page = post_bad(client, FORM_EN, email="erika@")
    assert "Enter a valid email address." in page


def test_one_megabyte_description_is_refused(client, cast):
    page = post_bad(client, FORM_DE, problem="x" * 1_048_576)
    assert "höchstens 5000 Zeichen" in page


def test_one_megabyte_description_is_refused_in_english(client, cast):
    page = post_bad(client, FORM_EN, problem="x" * 1_048_576)
    assert "Ensure this value has at most 5000 characters" in page


def test_request_body_over_the_upload_limit_is_a_bad_request_not_a_server_error(client, cast):
    before = stored()
    response = client.post(FORM_DE, inquiry_form_data(problem="x" * 3_000_000))
    assert response.status_code == 400
    assert stored() == before


def test_non_numeric_employee_count_is_refused(client, cast):
    page = post_bad(client, FORM_DE, employees_affected="zwölf")
    assert "Bitte eine ganze Zahl eingeben." in page


def test_negative_employee_count_is_refused(client, cast):
    page = post_bad(client, FORM_EN, employees_affected="-5")
    assert "Ensure this value is greater than or equal to 0." in page


def test_absurd_employee_count_is_refused(client, cast):
    post_bad(client, FORM_DE, employees_affected="9" * 30)


def test_unknown_sector_is_refused(client, cast):
    page = post_bad(client, FORM_DE, sector="aerospace")
    assert "Bitte eine gültige Auswahl treffen." in page


def test_unknown_size_band_and_language_are_refused(client, cast):
    page = post_bad(client, FORM_EN, size_band="huge", language="fr")
    # Each error appears twice: in the summary at the top and at its field.
    assert page.count("Select a valid choice.") == 4


def test_missing_consent_is_refused_with_its_own_message(client, cast):
    page = post_bad(client, FORM_EN, consent="")
    assert "Please agree to the processing of your data." in page


def test_missing_consent_is_refused_in_german(client, cast):
    page = post_bad(client, FORM_DE, consent="")
    assert "Bitte stimmen Sie der Verarbeitung Ihrer Daten zu." in page


def test_form_with_errors_keeps_what_the_user_typed(client, cast):
    page = post_bad(client, FORM_DE, email="nope", work_process="Schichtplanung im Lager")
    assert "Schichtplanung im Lager" in page


# Spam ----------------------------------------------------------------------------------------


def test_filled_honeypot_saves_nothing_and_answers_like_success(client, cast):
    before = stored()
    response = client.post(FORM_DE, inquiry_form_data(website="http://spam.example"))
    assert response.status_code == 302
    assert response["Location"] == reverse("contact:inquiry_sent")
    assert stored() == before
    assert mail.outbox == []


def test_spam_burst_past_the_rate_limit_is_refused_with_429(client, cast, settings):
    settings.INQUIRY_RATE_LIMIT = 3
    for number in range(3):
        assert client.post(FORM_DE, inquiry_form_data(organisation=f"Burst {number}")).status_code
    before = stored()
    response = client.post(FORM_EN, inquiry_form_data(organisation="One too many"))
    assert response.status_code == 429
    assert "Too many inquiries from your address" in response.content.decode()
    assert stored() == before
    assert not Inquiry.objects.filter(organisation_name="One too many").exists()
    german = client.post(FORM_DE, inquiry_form_data(organisation="One too many"))
    assert german.status_code == 429
    assert "Zu viele Anfragen von Ihrer Adresse in kurzer Zeit." in german.content.decode()
    assert "Bitte versuchen Sie es in" in german.content.decode()
    assert 0 < int(german["Retry-After"]) <= settings.INQUIRY_RATE_WINDOW_SECONDS
    assert stored() == before


def test_submissions_with_mistakes_do_not_count_against_the_limit(client, cast, settings):
    settings.INQUIRY_RATE_LIMIT = 2
    for _typo in range(3):
        assert client.post(FORM_DE, inquiry_form_data(email="not-an-address")).status_code == 400
    assert client.post(FORM_DE, inquiry_form_data(organisation="First")).status_code == 302
    assert client.post(FORM_DE, inquiry_form_data(organisation="Second")).status_code == 302
    assert client.post(FORM_DE, inquiry_form_data(organisation="Third")).status_code == 429


def test_rate_limit_counts_per_client_address(client, cast, settings):
    settings.INQUIRY_RATE_LIMIT = 1
    assert client.post(FORM_DE, inquiry_form_data(), REMOTE_ADDR="10.0.0.1").status_code == 302
    assert client.post(FORM_DE, inquiry_form_data(), REMOTE_ADDR="10.0.0.1").status_code == 429
    assert client.post(FORM_DE, inquiry_form_data(), REMOTE_ADDR="10.0.0.2").status_code == 302


# The status page -----------------------------------------------------------------------------


def test_wrong_status_token_is_not_found(client, cast):
    assert client.get(reverse("contact:status", args=["not-a-real-token"])).status_code == 404
    assert client.get(reverse("contact:status", args=["a" * 500])).status_code == 404


def test_expired_status_token_is_not_found(client, cast):
    inquiry = cast.acme_inquiry
    token = inquiry.token()
    assert client.get(reverse("contact:status", args=[token])).status_code == 200
    Inquiry.objects.filter(pk=inquiry.pk).update(
        token_expires_at=timezone.now() - timedelta(minutes=1)
    )
    assert client.get(reverse("contact:status", args=[token])).status_code == 404


def test_posting_to_a_wrong_status_token_saves_nothing(client, cast):
    response = client.post(reverse("contact:status", args=["forged"]), {"text": "Hallo"})
    assert response.status_code == 404
    assert not InquiryMessage.objects.exists()


def test_inquirer_replies_on_the_status_page(client, client_for, cast):
    inquiry = cast.acme_inquiry
    url = reverse("contact:status", args=[inquiry.token()])
    response = client.post(url, {"text": "Wir haben noch Fragen zum Datenschutz."}, follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Wir haben noch Fragen zum Datenschutz." in page
    assert "Ihre Nachricht wurde an das Zentrum gesendet." in page
    message = InquiryMessage.objects.get(inquiry=inquiry)
    assert message.direction == InquiryMessage.Direction.FROM_INQUIRER
    assert AuditEvent.objects.filter(
        action="inquiry.reply_received", object_id=str(inquiry.pk)
    ).exists()
    staff_page = client_for(cast.staff).get(inquiry.get_absolute_url()).content.decode()
    assert "Wir haben noch Fragen zum Datenschutz." in staff_page


def test_empty_reply_on_the_status_page_is_refused(client, cast):
    url = reverse("contact:status", args=[cast.acme_inquiry.token()])
    response = client.post(url, {"text": "   "})
    assert response.status_code == 400
    assert "Dieses Feld ist zwingend erforderlich." in response.content.decode()
    assert not InquiryMessage.objects.exists()


def test_status_page_of_a_closed_inquiry_offers_no_reply_form(client, cast):
    Inquiry.objects.filter(pk=cast.acme_inquiry.pk).update(status=Inquiry.Status.CLOSED)
    page = client.get(reverse("contact:status", args=[cast.acme_inquiry.token()]))
    assert page.status_code == 200
    assert "<textarea" not in page.content.decode()


def test_status_page_does_not_leak_into_another_inquiry(client, cast):
    other = make_inquiry(cast.globex, work_process="Geheimer Prozess")
    page = client.get(reverse("contact:status", args=[cast.acme_inquiry.token()]))
    assert "Geheimer Prozess" not in page.content.decode()
    assert other.reference not in page.content.decode()


def test_markup_in_an_inquiry_is_shown_as_text_never_run(client, client_for, cast):
    script = "<script>alert('x')</script>"
    client.post(FORM_DE, inquiry_form_data(work_process=f"Prozess {script}", problem=script))
    inquiry = Inquiry.objects.get(organisation_name="Musterwerk GmbH")
    status = client.get(reverse("contact:status", args=[inquiry.token()]))
    staff = client_for(cast.staff)
    for page in [status, staff.get(inquiry.get_absolute_url()), staff.get("/staff/inquiries/")]:
        assert "<script>alert" not in page.content.decode()
        assert "&lt;script&gt;" in page.content.decode()


def test_behind_a_proxy_the_rate_limit_counts_the_forwarded_address(client, cast, settings):
    settings.NUM_PROXIES = 1
    settings.INQUIRY_RATE_LIMIT = 1

    def post(forwarded_for):
        return client.post(
            FORM_DE, inquiry_form_data(), REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR=forwarded_for
        ).status_code

    assert post("198.51.100.7") == 302
    assert post("198.51.100.8") == 302
    # A client cannot escape the limit by prepending addresses of its own.
    assert post("203.0.113.1, 198.51.100.7") == 429


def test_the_inquiry_sent_page_shows_the_link_that_the_session_does_not_hold(client, cast):
    data = inquiry_form_data()
    response = client.post(reverse("contact:inquiry_form"), data)
    assert response.status_code == 302
    page = client.get(response["Location"])
    token = Inquiry.objects.get(contact__email=data["email"]).token()
    assert token in page.content.decode() and data["email"] in page.content.decode()
    assert "no-store" in page["Cache-Control"]
    stored = sessions_text()
    assert token not in stored and data["email"] not in stored
    # shown again on reload, as long as the link is valid; not once it is revoked
    assert token in client.get(response["Location"]).content.decode()
    inquiry = Inquiry.objects.get(contact__email=data["email"])
    inquiry.revoke_token()
    inquiry.save()
    assert token not in client.get(response["Location"]).content.decode()
