"""Transfer's own figures for a period: events, registrations, attendance, the knowledge
base's use and the network. Registered as a figure source in ``apps.py``."""

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _

from humaine.core.figures import Figure

from .models import Entry, EntryUsage, Event, Kind, NetworkMember, Registration


def _labelled(counts: dict, choices) -> dict[str, int]:
    """The breakdown under its options' labels (in the active language), in their order."""
    return {str(label): counts[value] for value, label in choices if counts.get(value)}


def counts(start, end) -> list[Figure]:
    events = Event.objects.published().filter(starts_at__gte=start, starts_at__lt=end)
    by_kind = dict(events.values_list("kind").annotate(n=Count("pk")).order_by("kind"))
    registrations = Registration.objects.filter(event__in=events)
    by_status = dict(registrations.values_list("status").annotate(n=Count("pk")).order_by("status"))
    active = registrations.exclude(status=Registration.Status.CANCELLED)
    attended = active.filter(attended=True).count()
    # people: distinct addresses; an erased registration counts once on its own
    people = (
        active.exclude(email="").values("email").distinct().count()
        + active.filter(email="").count()
    )
    usage = EntryUsage.objects.filter(day__gte=start.date(), day__lt=end.date()).aggregate(
        views=Sum("views"), downloads=Sum("downloads")
    )
    published = Entry.objects.filter(first_published_at__gte=start, first_published_at__lt=end)
    by_entry_kind = dict(published.values_list("kind").annotate(n=Count("pk")).order_by("kind"))
    members = NetworkMember.objects.filter(
        Q(left_at__isnull=True) | Q(left_at__gte=start.date()), member_since__lt=end.date()
    )
    by_member_kind = dict(members.values_list("kind").annotate(n=Count("pk")).order_by("kind"))
    return [
        Figure(
            "transfer.events",
            _("events held"),
            sum(by_kind.values()),
            _labelled(by_kind, Event.Kind.choices),
        ),
        Figure(
            "transfer.registrations",
            _("registrations for events"),
            sum(by_status.values()),
            _labelled(by_status, Registration.Status.choices),
        ),
        Figure("transfer.attendance", _("participants who attended"), attended),
        Figure("transfer.people", _("people registered for events"), people),
        Figure(
            "transfer.entries",
            _("knowledge-base entries published"),
            sum(by_entry_kind.values()),
            _labelled(by_entry_kind, Kind.choices),
        ),
        Figure("transfer.views", _("knowledge-base views"), usage["views"] or 0),
        Figure("transfer.downloads", _("knowledge-base downloads"), usage["downloads"] or 0),
        Figure(
            "transfer.network",
            _("organisations in the network"),
            sum(by_member_kind.values()),
            _labelled(by_member_kind, NetworkMember.Kind.choices),
        ),
    ]
