"""A plain factory for tests: ``make_*`` functions with sensible defaults."""

import itertools

from django.contrib.auth import get_user_model
from django.utils import timezone

from humaine.contact.models import (
    Assignment,
    Expert,
    Inquiry,
    Membership,
    Organisation,
    Person,
    Sector,
)
from humaine.core.models import Hub

PASSWORD = "correct horse battery staple"
_counter = itertools.count(1)

SECTORS = [
    ("industry", "Industrie", "Industry"),
    ("health", "Gesundheitswesen", "Health care"),
    ("insurance", "Versicherungen", "Insurance"),
    ("other", "Weitere Branchen", "Other sectors"),
]


def make_sectors() -> dict[str, Sector]:
    return {
        slug: Sector.objects.get_or_create(
            slug=slug, defaults={"name_de": de, "name_en": en, "order": i}
        )[0]
        for i, (slug, de, en) in enumerate(SECTORS)
    }


def make_hub(**fields) -> Hub:
    defaults = {
        "name": "Testzentrum Ruhr",
        "short_name": "TZR",
        "city": "Bochum",
        "street": "Teststraße 1",
        "postal_code": "44801",
        "imprint_de": "Impressum des Testzentrums",
        "imprint_en": "Test legal notice",
        "privacy_de": "Datenschutz im Testzentrum",
        "privacy_en": "Test privacy policy",
    }
    return Hub.objects.create(**(defaults | fields))


def make_organisation(name=None, *, kind=Organisation.Kind.COMPANY, sector=None, **fields):
    if sector is None and kind == Organisation.Kind.COMPANY:
        sector = make_sectors()["industry"]
    return Organisation.objects.create(
        name=name or f"Organisation {next(_counter)}", kind=kind, sector=sector, **fields
    )


def hub_organisation() -> Organisation:
    return Organisation.objects.filter(kind=Organisation.Kind.HUB).first() or make_organisation(
        "Das Zentrum", kind=Organisation.Kind.HUB
    )


def make_user(username=None, *, organisation=None, role=Membership.Role.MEMBER, **fields):
    username = username or f"user{next(_counter)}"
    user = get_user_model().objects.create_user(
        username=username, password=PASSWORD, email=f"{username}@example.org", **fields
    )
    if organisation is not None:
        Membership.objects.create(user=user, organisation=organisation, role=role)
    return user


def make_staff(username=None, **fields):
    return make_user(
        username, organisation=hub_organisation(), role=Membership.Role.STAFF, **fields
    )


def make_hub_admin(username=None, **fields):
    return make_user(
        username, organisation=hub_organisation(), role=Membership.Role.ADMIN, **fields
    )


def make_person(name=None, **fields) -> Person:
    number = next(_counter)
    defaults = {"name": name or f"Person {number}", "email": f"person{number}@example.org"}
    return Person.objects.create(**(defaults | fields))


def make_expert(name=None, *, user=None, disciplines=("computer_science",), **fields) -> Expert:
    person = make_person(name, user=user)
    return Expert.objects.create(person=person, disciplines=list(disciplines), **fields)


def make_inquiry(organisation=None, **fields) -> Inquiry:
    sectors = make_sectors()
    organisation = organisation or make_organisation()
    number = next(_counter)
    contact = fields.pop("contact", None) or make_person(organisation=organisation)
    defaults = {
        "organisation_name": organisation.name,
        "sector": organisation.sector or sectors["other"],
        "size_band": "50-249",
        "contact": contact,
        "work_process": f"Prozess {number}",
        "problem": "Wir möchten die Sachbearbeitung entlasten.",
        "data_available": "",
        "employees_affected": 10,
        "works_council": "yes",
        "language": "de",
        "consent_at": timezone.now(),
        "reference": f"T-{number:05d}",
    }
    inquiry = Inquiry(organisation=organisation, **(defaults | fields))
    inquiry.new_token()
    inquiry.save()
    return inquiry


def assign_expert(expert: Expert, inquiry: Inquiry) -> Assignment:
    return Assignment.objects.create(expert=expert, inquiry=inquiry)


def inquiry_form_data(**overrides) -> dict:
    """A valid POST body for the public inquiry form."""
    make_sectors()
    data = {
        "organisation": "Musterwerk GmbH",
        "sector": "industry",
        "size_band": "50-249",
        "contact_name": "Erika Muster",
        "email": "erika@musterwerk.example",
        "phone": "",
        "work_process": "Sichtprüfung von Gussteilen",
        "problem": "Unsere Prüfer übersehen seltene Fehler am Ende der Schicht.",
        "data_available": "Bilder von Ausschussteilen",
        "employees_affected": "12",
        "works_council": "yes",
        "language": "de",
        "consent": "on",
        "website": "",
    }
    return data | overrides
