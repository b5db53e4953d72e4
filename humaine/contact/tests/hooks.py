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
