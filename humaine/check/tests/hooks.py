"""The check's examples for the hub-wide common tests."""

from humaine.check import services
from humaine.tests.hooks import EXAMPLES, PersonalDataExample


def checks_example(person, marker, cast):
    created = services.start_check(
        title=f"Check {marker}",
        description=f"Beschreibung {marker}",
        notify_email=f"{marker}@example.org",
        respondents=[("user", f"Team {marker}")],
        actor=person.user,
    )
    services.save_document(
        created.check, "worker_notice", "de", f"Information {marker}", actor=person.user
    )


EXAMPLES.register(PersonalDataExample("ai_checks", checks_example))
