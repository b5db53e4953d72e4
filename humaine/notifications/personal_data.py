"""A person's notifications and choice of emails (GDPR art. 15 and 17)."""

from humaine.core.personal_data import Section

from .kinds import KINDS
from .models import Notification, Preferences


def _preferences(person):
    queryset = Preferences.objects.none()
    if person.user_id:
        queryset |= Preferences.objects.filter(user_id=person.user_id)
    if person.email:
        queryset |= Preferences.objects.filter(address__iexact=person.email.strip())
    return queryset


def export(person) -> dict:
    notifications = []
    if person.user_id:
        for n in Notification.objects.filter(recipient_id=person.user_id):
            kind = KINDS.get(n.kind)
            notifications.append(
                {
                    "kind": n.kind,
                    "text": kind.text(n) if kind and kind.text else n.kind,
                    "about": f"{n.object_type} {n.object_id}".strip(),
                    "details": n.params,
                    "created_at": n.created_at,
                    "read_at": n.read_at,
                    "emailed_at": n.emailed_at,
                }
            )
    preferences = [
        {"address": p.address, "language": p.language, "emails": p.emails}
        for p in _preferences(person)
    ]
    if not notifications and not preferences:
        return {}
    return {"notifications": notifications, "email_preferences": preferences}


def erase(person, placeholder: str) -> None:
    if person.user_id:
        Notification.objects.filter(recipient_id=person.user_id).delete()
    _preferences(person).delete()


NOTIFICATIONS = Section("notifications", export=export, erase=erase, order=100)
