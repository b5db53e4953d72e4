"""Notifications' examples for the hub-wide common tests."""

from humaine.notifications import access
from humaine.notifications.models import Notification, Preferences
from humaine.tests import factories as f
from humaine.tests.hooks import EXAMPLES, PersonalDataExample, once, route


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
    Preferences.objects.create(address=person.email, emails={"contact.status_changed": False})


EXAMPLES.register(PersonalDataExample("notifications", notifications_example))


def notifications(cast):
    def make():
        made = []
        for user in (cast.staff, cast.expert_user):
            notification = Notification.objects.create(
                recipient=user,
                kind="contact.reply_received",
                object_type="contact.inquiry",
                object_id=str(cast.acme_inquiry.pk),
                params={"reference": cast.acme_inquiry.reference},
            )
            made.append(({"pk": notification.pk}, notification))
        return made

    return once(cast, "notifications", make)


route("notifications:list")
route("notifications:mark_all_read", method="POST")
route("notifications:preferences")
route("notifications:open", "pk", objects=notifications, see=access.can_view_notification)
