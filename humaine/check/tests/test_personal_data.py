"""A person's checks are part of their data export and erasure (GDPR art. 15 and 17)."""

import json

from django.urls import reverse

from humaine.check import services
from humaine.check.models import Check, Respondent
from humaine.contact.services import ERASED
from humaine.tests import factories as f


def _person_with_checks(cast):
    person = f.make_person("Mia Mitglied", organisation=cast.acme, user=cast.member)
    inquiry = f.make_inquiry(cast.acme, contact=person)
    own = services.create_check(
        title="Mias Bewerbervorauswahl",
        description="Mia beschreibt das Tool von Frau Beispiel",
        owner_role="manager",
        owner_label="Mia",
        notify_email="mia@acme.example",
        actor=cast.member,
    )
    services.invite_respondent(own.check, role="employee_rep", label="Herr Rat", actor=cast.member)
    by_staff = services.create_check(
        title="Schadenprüfung (Hub)",
        description="vom Hub angelegt",
        inquiry=inquiry,
        actor=cast.staff,
    ).check
    stranger = services.create_check(title="Globex", actor=cast.other_member).check
    return person, own, by_staff, stranger


def test_export_lists_the_checks_a_person_started_and_those_on_their_inquiries(client_for, cast):
    person, own, by_staff, stranger = _person_with_checks(cast)
    response = client_for(cast.staff).post(reverse("contact:person_export", args=[person.pk]))
    checks = json.loads(response.content)["ai_checks"]
    assert [c["title"] for c in checks] == ["Mias Bewerbervorauswahl", "Schadenprüfung (Hub)"]
    assert checks[0]["started_by_person"] and not checks[1]["started_by_person"]
    assert checks[0]["description"] == "Mia beschreibt das Tool von Frau Beispiel"
    assert {r["label"] for r in checks[0]["respondents"]} == {"Mia", "Herr Rat"}
    assert "Globex" not in response.content.decode()


def test_erasure_blanks_the_persons_checks_and_their_links_and_keeps_the_rest(client_for, cast):
    person, own, by_staff, stranger = _person_with_checks(cast)
    assert client_for(cast.staff).get(f"/check/r/{own.token}/").status_code == 200
    old_hash = Check.objects.get(pk=own.check.pk).token_hash
    old_respondent_hashes = set(own.check.respondents.values_list("token_hash", flat=True))
    response = client_for(cast.staff).post(
        reverse("contact:person_erase", args=[person.pk]), {"confirm": "on"}, follow=True
    )
    assert response.status_code == 200
    erased = Check.objects.get(pk=own.check.pk)
    assert (erased.title, erased.description, erased.notify_email) == (ERASED, ERASED, "")
    assert erased.token_hash != old_hash
    respondents = Respondent.objects.filter(ai_check=erased)
    assert {r.label for r in respondents} == {ERASED}
    assert old_respondent_hashes.isdisjoint(respondents.values_list("token_hash", flat=True))
    # the answers stay (they describe the AI system, and count in the hub's figures)
    assert respondents.count() == 2
    # the old private links no longer open the check or the questionnaire
    assert client_for(cast.staff).get(f"/check/answer/{own.respondent_token}/").status_code == 404
    assert client_for(cast.staff).get(f"/check/r/{own.token}/").status_code == 404
    # the check staff started on the person's inquiry copied her texts: blanked as well
    on_inquiry = Check.objects.get(pk=by_staff.pk)
    assert (on_inquiry.title, on_inquiry.description) == (ERASED, ERASED)
    # a stranger's check is untouched
    assert Check.objects.get(pk=stranger.pk).title == "Globex"


def test_erasure_deletes_the_cached_pdfs_that_showed_the_persons_texts(client, client_for, cast):
    from django.core.cache import cache

    person, own, by_staff, stranger = _person_with_checks(cast)
    other = services.create_check(title="Initech", actor=cast.other_member)
    listed = {}
    for created in (own, other):
        assert client.get(f"/check/r/{created.token}/result.pdf").status_code == 200
        listed[created.check.pk] = cache.get(f"check.pdf.of:check:{created.check.pk}")
        assert listed[created.check.pk] and cache.get(listed[created.check.pk][0]) is not None
    client_for(cast.staff).post(
        reverse("contact:person_erase", args=[person.pk]), {"confirm": "on"}
    )
    assert cache.get(f"check.pdf.of:check:{own.check.pk}") is None
    assert all(cache.get(key) is None for key in listed[own.check.pk])
    # another person's check keeps its PDF
    assert all(cache.get(key) is not None for key in listed[other.check.pk])
