"""Every registered section of personal data: exported, then erased without a trace.

Each app registers an example of its data about a person (``tests/hooks.py``) with a
marker in every text it holds; the export must contain the marker in that section, and
after staff erase the person, no text or JSON column of any table holds it any more.
"""

import json

import pytest

from humaine.contact import services
from humaine.core.personal_data import SECTIONS
from humaine.tests import factories as f
from humaine.tests.hooks import EXAMPLES, load_hooks
from humaine.tests.leaks import assert_nowhere, find_everywhere

load_hooks()


@pytest.fixture
def person(cast):
    """A person with an account: a company member who also works as an expert."""
    return f.make_person(organisation=cast.acme, user=cast.member)


def test_every_section_has_an_example_of_its_data():
    missing = [s.name for s in SECTIONS if s.name not in EXAMPLES]
    assert not missing, f"register a PersonalDataExample in the app's tests/hooks.py: {missing}"


@pytest.mark.parametrize("section", SECTIONS.all(), ids=lambda s: s.name)
def test_a_section_exports_its_data_and_erasure_leaves_none_of_it(section, cast, person):
    marker = f"zqmarker{section.name.replace('_', '')}"
    EXAMPLES[section.name].make(person, marker, cast)
    assert find_everywhere(marker), "the example stored nothing with the marker"
    exported = services.export_person(person, actor=cast.staff)
    assert marker in json.dumps(exported.get(section.name), ensure_ascii=False), section.name
    services.erase_person(person, actor=cast.staff)
    assert_nowhere(marker)


def test_all_sections_together_leave_nothing(cast, person):
    for section in SECTIONS:
        EXAMPLES[section.name].make(person, "zqmarkerall", cast)
    services.erase_person(person, actor=cast.staff)
    assert_nowhere("zqmarkerall")


# The auditor's test ------------------------------------------------------------------------


def _places_the_issue_found(person, cast):
    """Where an erasure once left a person behind: staff notes naming her, the check
    staff started on her inquiry with her as a respondent, the audit of it."""
    from humaine.check import services as check_services

    inquiry = person.inquiries.first()
    services.add_note(
        inquiry, f"Rückruf {person.name}, Tel. {person.phone}, {person.email}", actor=cast.staff
    )
    services.add_note(
        cast.globex_inquiry, f"Empfohlen von {person.name} ({person.email})", actor=cast.staff
    )
    check_services.start_check(
        title=f"Check für {person.name}",
        description=inquiry.problem,
        inquiry=inquiry,
        respondents=[("user", f"{person.name} (Sachbearbeitung)")],
        actor=cast.staff,
    )


def test_an_erased_person_is_found_nowhere_by_an_auditor(cast, client, django_user_model):
    """A person with data in every app, a login session, an API token and links: after
    staff erase her, no table and no session holds her name, email or phone."""
    from django.contrib.sessions.models import Session
    from django.test import Client
    from django.urls import reverse

    from humaine.check.models import Check
    from humaine.core import services as core_services
    from humaine.core.models import AuditEvent
    from humaine.tests.leaks import Identity, assert_person_gone

    person = f.make_person(organisation=cast.acme, user=cast.member)
    for section in SECTIONS:
        EXAMPLES[section.name].make(person, "Zqmuster", cast)
    person.refresh_from_db()
    person.phone = "+49 201 5550199"
    person.save(update_fields=["phone"])
    _places_the_issue_found(person, cast)
    token, _key = core_services.issue_api_token(cast.member, "Skript")
    first = person.inquiries.first()
    status_token = first.new_token()
    first.save()
    # She is logged in, and submits another inquiry with the public form.
    browser = Client()
    browser.force_login(cast.member)
    form = f.inquiry_form_data(contact_name=person.name, email=person.email, phone=person.phone)
    assert browser.post(reverse("contact:inquiry_form"), form).status_code == 302
    links = [c.pk for c in Check.objects.filter(inquiry__contact=person)]
    identity = Identity.of(person)

    staff = Client()
    staff.force_login(cast.staff)
    response = staff.post(
        reverse("contact:person_erase", args=[person.pk]), {"confirm": "on"}, follow=True
    )
    assert response.status_code == 200

    assert_person_gone(identity, "Zqmuster")
    assert not Session.objects.filter(session_key=browser.session.session_key).exists()
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert Client().get(reverse("contact:status", args=[status_token])).status_code == 404
    assert links and not Check.objects.filter(pk__in=links, token_hash__isnull=False).exists()
    member = django_user_model.objects.get(pk=cast.member.pk)
    assert not member.is_active and not member.has_usable_password()
    # The trail keeps that an erasure happened and who did it.
    erased = AuditEvent.objects.get(action="person.erased", object_id=str(person.pk))
    assert erased.actor == cast.staff


def test_the_auditor_reads_every_stored_file_and_the_cache(db):
    """Stored uploads (text, a spreadsheet's cells, a PDF's text) and cached values (a
    check's PDF) are searched too, not only the database's columns."""
    import io

    import openpyxl
    from django.core.cache import cache
    from django.core.files.base import ContentFile
    from django.core.files.storage import storages
    from weasyprint import HTML

    private = storages["private"]
    private.save("scenarios/1/liste.csv", ContentFile(b"name;telefon\nErika Zqa;+49 201 1\n"))
    book = openpyxl.Workbook()
    book.active["B2"] = "Erika Zqb"
    sheet = io.BytesIO()
    book.save(sheet)
    private.save("human_ai/1/faelle.xlsx", ContentFile(sheet.getvalue()))
    document = HTML(string="<p>Bescheinigung für Erika Zqc</p>").write_pdf()
    storages["default"].save("logo/nachweis.pdf", ContentFile(document))
    cache.set("check.pdf:abc", HTML(string="<p>Erika Zqd</p>").write_pdf())

    where = {(leak.table, leak.column) for leak in find_everywhere("Erika Zqa", "erika zqb")}
    assert where == {
        ("storage 'private'", "scenarios/1/liste.csv"),
        ("storage 'private'", "human_ai/1/faelle.xlsx"),
    }
    assert [leak.table for leak in find_everywhere("Erika Zqc")] == ["storage 'default'"]
    assert [(leak.table, leak.column) for leak in find_everywhere("Erika Zqd")] == [
        ("cache", ":1:check.pdf:abc")
    ]
