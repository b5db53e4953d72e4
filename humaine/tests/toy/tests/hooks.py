"""The toy's examples for the hub-wide common tests (as ``humaine/<app>/tests/hooks.py``)."""

from humaine.contact import access as contact_access
from humaine.tests.hooks import EXAMPLES, PersonalDataExample, route
from humaine.tests.toy import access, services


def remarks_example(person, marker, cast):
    services.add_remark(cast.acme_inquiry, f"Bemerkung {marker}", author=person, actor=cast.staff)


EXAMPLES.register(PersonalDataExample("toy_remarks", remarks_example))

route(
    "toy:count_words",
    "pk",
    method="POST",
    objects=lambda cast: [({"pk": cast.acme_inquiry.pk}, cast.acme_inquiry)],
    see=contact_access.can_view_inquiry,
    may=access.can_remark_on,
)
