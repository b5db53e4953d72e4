"""The contact point's examples for the hub-wide common tests."""

from humaine.contact import services
from humaine.contact.models import InquiryMessage
from humaine.tests import factories as f
from humaine.tests.hooks import EXAMPLES, PersonalDataExample


def person_example(person, marker, cast):
    person.name = f"Erika {marker}"
    person.email = f"{marker}@example.org"
    person.phone = f"+49 {marker}"
    person.job_title = f"Leiterin {marker}"
    person.save()


def inquiries_example(person, marker, cast):
    inquiry = f.make_inquiry(
        cast.acme,
        contact=person,
        work_process=f"Prozess {marker}",
        problem=f"Problem {marker}",
        data_available=f"Daten {marker}",
    )
    services.send_message(inquiry, f"Nachricht an {marker}", actor=cast.staff)
    InquiryMessage.objects.create(
        inquiry=inquiry, direction=InquiryMessage.Direction.FROM_INQUIRER, text=f"{marker} sagt"
    )


EXAMPLES.register(PersonalDataExample("person", person_example))
EXAMPLES.register(PersonalDataExample("inquiries", inquiries_example))


# The access matrix -------------------------------------------------------------------------

from humaine.contact import access  # noqa: E402
from humaine.tests.hooks import route  # noqa: E402


def inquiries(cast):
    return [({"pk": i.pk}, i) for i in (cast.acme_inquiry, cast.globex_inquiry)]


def status_links(cast):
    return [({"token": cast.acme_inquiry.token()}, cast.acme_inquiry)]


def people(cast):
    return [({"pk": cast.acme_inquiry.contact_id}, cast.acme_inquiry.contact)]


for name in ("home", "sectors", "how_it_works", "reach_us", "imprint", "privacy"):
    route(f"contact:{name}", login=False)
for name in ("inquiry_privacy", "inquiry_sent"):
    route(f"contact:{name}", login=False)
route("contact:inquiry_form", login=False)
route("contact:status", "token", objects=status_links, login=False)
route("contact:status_emails", "token", method="POST", objects=status_links, login=False)
route("contact:queue", may=lambda user, obj: access.can_view_triage_queue(user))
route("contact:my_inquiries")
route("contact:inquiry_detail", "pk", objects=inquiries, see=access.can_view_inquiry)
for name in ("change_status", "assign", "add_note", "send_message"):
    route(
        f"contact:{name}",
        "pk",
        method="POST",
        objects=inquiries,
        see=access.can_view_inquiry,
        may=access.can_manage_inquiry,
    )
route("contact:person_search", may=lambda user, obj: access.can_manage_personal_data(user))
route("contact:person_detail", "pk", objects=people, see=access.can_view_person)
for name in ("person_export", "person_erase"):
    route(f"contact:{name}", "pk", method="POST", objects=people, see=access.can_view_person)

# The API
route("api:create_inquiry", method="POST", login=False, data={})
route("api:list_inquiries")
route("api:get_inquiry", "inquiry_id", objects=lambda c: _ids("inquiry_id", inquiries(c)),
      see=access.can_view_inquiry)  # fmt: skip
route(
    "api:update_inquiry",
    "inquiry_id",
    method="PATCH",
    objects=lambda c: _ids("inquiry_id", inquiries(c)),
    see=access.can_view_inquiry,
    may=access.can_manage_inquiry,
    data={},
)
route("api:list_organisations")
route(
    "api:get_organisation",
    "organisation_id",
    objects=lambda c: [({"organisation_id": o.pk}, o) for o in (c.acme, c.globex)],
    see=access.can_view_organisation,
)
route("api:list_experts")
route(
    "api:get_expert",
    "expert_id",
    objects=lambda c: [({"expert_id": c.expert.pk}, c.expert)],
    see=access.can_view_expert,
)


def _ids(key, cases):
    return [({key: kwargs["pk"]}, obj) for kwargs, obj in cases]
