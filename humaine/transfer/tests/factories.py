"""``make_*`` functions for transfer's tests, through the services where an operation matters."""

import itertools
from datetime import timedelta

from django.utils import timezone

from humaine.tests import factories as f
from humaine.transfer import services
from humaine.transfer.models import Entry, Event, Kind, NetworkMember, Visibility

_counter = itertools.count(1)


def make_entry(
    author=None,
    reviewer=None,
    *,
    kind=Kind.METHOD,
    visibility=Visibility.PUBLIC,
    publish=True,
    maturity=3,
    sectors=(),
    disciplines=(),
    **texts,
) -> Entry:
    """An entry written by ``author`` and (with ``publish``) approved by ``reviewer``."""
    author = author or f.make_staff()
    number = next(_counter)
    texts = {
        "title_de": f"Eintrag {number}",
        "summary_de": "Kurzfassung.",
        "maturity": maturity,
    } | texts
    data = services.EntryData(
        texts=texts, sectors=list(sectors), disciplines=list(disciplines), visibility=visibility
    )
    entry = services.create_entry(author, kind, data)
    if publish:
        version = services.open_version(entry)
        services.submit_for_review(author, version)
        if kind == Kind.CASE_STUDY and not entry.has_consent:
            services.record_consent(
                reviewer or f.make_staff(), entry, released=["goal"], given_by="CEO"
            )
        services.approve_version(reviewer or f.make_staff(), version)
        entry.refresh_from_db()
    return entry


def make_event(user=None, *, capacity=10, days=14, published=True, **fields) -> Event:
    starts = timezone.now() + timedelta(days=days)
    number = next(_counter)
    data = {
        "kind": Event.Kind.WORKSHOP,
        "title_de": f"Werkstatt {number}",
        "title_en": f"Workshop {number}",
        "description_de": "Wir arbeiten gemeinsam an **Fällen**.",
        "description_en": "We work on **cases** together.",
        "starts_at": starts,
        "ends_at": starts + timedelta(hours=3),
        "venue": "Zentrum, Raum 1",
        "capacity": capacity,
        "published": published,
    } | fields
    return services.create_event(user or f.make_staff(), data)


def register(event, name=None, email=None, **fields):
    number = next(_counter)
    data = {
        "name": name or f"Teilnehmende {number}",
        "email": email or f"teilnehmende{number}@example.org",
        "organisation_name": "Beispiel GmbH",
        "accessibility_needs": "",
        "language": "de",
    } | fields
    return services.register_for_event(event, data)


def make_member(organisation=None, *, kind=NetworkMember.Kind.MEMBER, **fields) -> NetworkMember:
    organisation = organisation or f.make_organisation()
    data = {"kind": kind, "member_since": timezone.localdate() - timedelta(days=400),
            "offers_de": "Daten und Fälle", "seeks_de": "Partner für KI"} | fields  # fmt: skip
    return services.add_network_member(None, organisation, data)
