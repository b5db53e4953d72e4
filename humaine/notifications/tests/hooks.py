"""Notifications' examples for the hub-wide common tests."""

from django.utils import timezone

from humaine.notifications import access, services
from humaine.notifications.models import Notification, Preferences
from humaine.tests import factories as f
from humaine.tests.hooks import (
    CAST_ADDITIONS,
    EXAMPLES,
    CastAddition,
    PersonalDataExample,
    route,
)


def notifications_example(person, marker, cast):
    if person.user is None:
        person.user = f.make_user(f"user-{marker}")
    person.email = f"{marker}@example.org"
    person.save(update_fields=["user", "email"])
    Notification.objects.create(
        recipient=person.user,
        kind="contact.reply_received",
        object_type="contact.inquiry",
        object_id=str(cast.acme_inquiry.pk),
        params={"reference": f"REF-{marker}"},
    )
    Preferences.objects.update_or_create(
        user=person.user, defaults={"language": "en", "emails": {"contact.reply_received": False}}
    )
    services.choose_email_at(person.email, "contact.status_changed", False, actor_name="test")


EXAMPLES.register(PersonalDataExample("notifications", notifications_example))


# Every cast has a notification of staff and of the expert, read already and of a kind no
# app registers (shown as one the hub no longer sends), so no test's counts change.
CAST_KIND = "tests.cast_example"


def cast_notifications(cast):
    return [
        Notification.objects.create(
            recipient=user, kind=CAST_KIND, read_at=timezone.now(), params={"n": i}
        )
        for i, user in enumerate((cast.staff, cast.expert_user))
    ]


CAST_ADDITIONS.register(CastAddition("notifications", cast_notifications))


def notifications(cast):
    return [({"pk": n.pk}, n) for n in cast.extras["notifications"]]


route("notifications:list")
route("notifications:mark_all_read", method="POST")
route("notifications:preferences")
route("notifications:open", "pk", objects=notifications, see=access.can_view_notification)
