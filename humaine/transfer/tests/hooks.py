"""Transfer's examples, cast rows and routes for the hub-wide common tests."""

from django.utils import timezone

from humaine import policy
from humaine.tests.hooks import (
    CAST_ADDITIONS,
    EXAMPLES,
    CastAddition,
    PersonalDataExample,
    once,
    route,
)
from humaine.transfer import access


def transfer_example(person, marker, cast):
    from humaine.transfer import services
    from humaine.transfer.tests.factories import make_event, make_member

    person.email = f"{marker}.alt@example.org"
    person.save(update_fields=["email"])
    registration = {
        "name": f"Erika {marker}",
        "email": f"  {marker.upper()}.ALT@Example.ORG ",  # matched to the person normalised
        "organisation_name": f"Firma {marker}",
        "accessibility_needs": f"Bedarf {marker}",
    }
    services.register_for_event(make_event(cast.staff), registration)
    # The person's address changes: only the link still finds that first registration.
    person.email = f"{marker}@example.org"
    person.save(update_fields=["email"])
    services.register_for_event(make_event(cast.staff), registration | {"email": person.email})
    member = make_member()
    services.update_member_profile(
        cast.staff, member, {"contact_name": f"Kontakt {marker}", "contact_email": person.email}
    )


def cast_rows(cast) -> dict:
    """A published method, a published event with a registration, a network member: a few
    rows written directly (the full-text index, the access rules and the matrix need them)."""
    from datetime import timedelta

    from humaine.tests import factories as f
    from humaine.transfer.models import Entry, EntryVersion, Event, NetworkMember, Registration

    now = timezone.now()
    entry = Entry.objects.create(slug="cast-method", kind="method", created_by=cast.staff)
    version = EntryVersion.objects.create(
        entry=entry, number=1, status="published", maturity=3, title_de="Methode der Besetzung",
        summary_de="Kurz.", search_text="Methode der Besetzung", author=cast.staff,
        reviewer=cast.admin, published_at=now,
    )  # fmt: skip
    Entry.objects.filter(pk=entry.pk).update(
        published_version=version, maturity=3, first_published_at=now
    )
    entry.refresh_from_db()
    event = Event.objects.create(
        slug="cast-workshop", title_de="Werkstatt der Besetzung", description_de="Text",
        starts_at=now + timedelta(days=7), ends_at=now + timedelta(days=7, hours=2),
        venue="Raum 1", capacity=5, published=True,
    )  # fmt: skip
    registration = Registration(event=event, status="confirmed", name="Gast", email="gast@x.org")
    token = registration.new_token()
    registration.save()
    member = NetworkMember.objects.create(
        organisation=f.make_organisation("Netzwerkpartner der Besetzung", kind="research"),
        kind="partner", member_since=now.date(),
    )  # fmt: skip
    return {"entry": entry, "event": event, "registration": registration, "token": token,
            "member": member}  # fmt: skip


EXAMPLES.register(PersonalDataExample("transfer", transfer_example))
CAST_ADDITIONS.register(CastAddition("transfer", cast_rows))


# The access matrix -------------------------------------------------------------------------


def _rows(cast) -> dict:
    return cast.extras["transfer"]


def _draft(cast):
    from humaine.transfer.tests.factories import make_entry

    return once(cast, "transfer.draft", lambda: make_entry(cast.staff, publish=False))


def _members_only(cast):
    from humaine.transfer.tests.factories import make_entry

    return once(cast, "transfer.members_only",
                lambda: make_entry(cast.staff, visibility="members"))  # fmt: skip


def _case_study(cast):
    from humaine.transfer.tests.factories import make_entry

    return once(cast, "transfer.case_study", lambda: make_entry(cast.staff, kind="case_study"))


def _in_review(cast):
    from humaine.transfer import services
    from humaine.transfer.tests.factories import make_entry

    def make():
        entry = make_entry(cast.staff, publish=False)
        return services.submit_for_review(cast.staff, services.open_version(entry))

    return once(cast, "transfer.in_review", make)


def _attachment(cast):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from humaine.transfer import services

    def make():
        upload = SimpleUploadedFile("vorlage.pdf", b"%PDF-1.4", content_type="application/pdf")
        return services.add_attachment(cast.staff, _rows(cast)["entry"], upload, "Vorlage")

    return once(cast, "transfer.attachment", make)


def entry_pages(cast):
    entries = [_rows(cast)["entry"], _members_only(cast), _draft(cast)]
    return [({"slug": e.slug}, e) for e in entries]


def editor_pages(cast):
    return [({"pk": e.pk}, e) for e in (_rows(cast)["entry"], _draft(cast))]


def events(cast):
    from humaine.transfer.tests.factories import make_event

    draft = once(cast, "transfer.draft_event", lambda: make_event(cast.staff, published=False))
    return [({"slug": e.slug}, e) for e in (_rows(cast)["event"], draft)]


def members(cast):
    from humaine.transfer.tests.factories import make_member

    hidden = once(cast, "transfer.hidden_member", lambda: make_member(cast.acme, listed=False))
    return [({"pk": m.pk}, m) for m in (_rows(cast)["member"], hidden)]


def _staff_only(user, obj) -> bool:
    return access.can_manage_events(user)


route("transfer:entry", "slug", objects=entry_pages, see=access.can_view_entry, login=False)


def attachments(cast):
    attachment = _attachment(cast)
    return [({"slug": attachment.entry.slug, "pk": attachment.pk}, attachment)]


route("transfer:download", "pk", "slug", login=False, objects=attachments,
      see=access.can_download_attachment)  # fmt: skip
for name in ("entry_edit", "entry_preview"):
    route(f"transfer:{name}", "pk", objects=editor_pages, see=access.can_edit_entry)
route("transfer:entry_submit", "pk", method="POST", objects=editor_pages,
      see=access.can_edit_entry)  # fmt: skip
for name in ("entry_visibility", "entry_unpublish"):
    route(f"transfer:{name}", "pk", method="POST", objects=editor_pages,
          see=access.can_edit_entry, may=access.can_set_visibility)  # fmt: skip
route("transfer:attachment_add", "pk", method="POST", objects=editor_pages,
      see=access.can_edit_entry)  # fmt: skip
route(
    "transfer:attachment_remove", "attachment_pk", "pk", method="POST",
    objects=lambda c: [({"pk": _attachment(c).entry_id, "attachment_pk": _attachment(c).pk},
                        _attachment(c).entry)],
    see=access.can_edit_entry,
    accept=(404,),  # the first who may removes the file; the others find it gone
)  # fmt: skip
route(
    "transfer:attachment_keep", "attachment_pk", "pk", method="POST",
    objects=lambda c: [({"pk": _attachment(c).entry_id, "attachment_pk": _attachment(c).pk},
                        _attachment(c).entry)],
    see=access.can_edit_entry,
    accept=(404,),  # the file may be gone (see attachment_remove)
)  # fmt: skip
for name, method in (("entry_consent", "GET"), ("entry_consent_withdraw", "POST")):
    route(f"transfer:{name}", "pk", method=method,
          objects=lambda c: [({"pk": _case_study(c).pk}, _case_study(c))],
          see=access.can_edit_entry,
          may=lambda user, e: access.can_manage_case_studies(user))  # fmt: skip
for name in ("version_approve", "version_return"):
    route(f"transfer:{name}", "pk", method="POST",
          objects=lambda c: [({"pk": _in_review(c).pk}, _in_review(c))],
          see=lambda user, v: policy.is_staff(user), may=access.can_review_version)  # fmt: skip
for name in ("event", "registered", "event_ics"):
    route(f"transfer:{name}", "slug", objects=events, see=access.can_view_event, login=False)
for name in ("event_manage", "event_edit", "check_in_csv", "check_in_pdf"):
    route(f"transfer:{name}", "slug", objects=events, see=_staff_only, login=False)
route("transfer:attendance", "slug", method="POST", objects=events, see=_staff_only, login=False)
route(
    "transfer:staff_cancel", "pk", "slug", method="POST", see=_staff_only, login=False,
    objects=lambda c: [({"slug": _rows(c)["event"].slug, "pk": _rows(c)["registration"].pk},
                        _rows(c)["registration"])],
)  # fmt: skip
route("transfer:cancel", "token", login=False,
      objects=lambda c: [({"token": _rows(c)["token"]}, _rows(c)["registration"])])  # fmt: skip
route("transfer:member", "pk", objects=members, see=access.can_view_member, login=False)
route("transfer:member_edit", "pk", objects=members, see=access.can_edit_member)
route("transfer:member_leave", "pk", method="POST", objects=members, see=access.can_edit_member,
      may=lambda user, m: access.can_manage_network(user))  # fmt: skip
route("transfer:figures_export", "fmt", objects=lambda c: [({"fmt": "csv"}, None)],
      may=lambda user, obj: access.can_view_figures(user))  # fmt: skip

# The API
route("api:get_entry", "slug", objects=entry_pages, see=access.can_view_entry, login=False)
route("api:get_event", "slug", objects=events, see=access.can_view_event, login=False)
route("api:register", "slug", method="POST", objects=events, see=access.can_view_event,
      login=False, data={"name": "Gast", "email": "m@example.org", "privacy": True})  # fmt: skip
route("api:list_registrations", "slug", objects=events, see=_staff_only)
route("api:cancel", method="POST", login=False, data={"token": "f" * 43}, accept=(404,))
route("api:figures", may=lambda user, obj: access.can_view_figures(user), accept=(422,))
