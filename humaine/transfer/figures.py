"""Transfer's own figures for a period: events, registrations, attendance, the knowledge
base's use and the network. Registered as a figure source in ``apps.py``."""

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _

from humaine.core import reach
from humaine.core.figures import Figure

from .models import Entry, EntryUsage, Event, Kind, NetworkMember, Registration


def _labelled(counts: dict, choices) -> dict[str, int]:
    """The breakdown under its options' labels (in the active language), in their order."""
    return {str(label): counts[value] for value, label in choices if counts.get(value)}


def _active_registrations(start, end):
    events = Event.objects.published().filter(starts_at__gte=start, starts_at__lt=end)
    return Registration.objects.filter(event__in=events).exclude(
        status=Registration.Status.CANCELLED
    )


def people_reached(start, end) -> list[str]:
    """Identity keys (core.reach) of the people registered for the period's events: the
    linked person's address first; an erased registration counts once on its own."""
    rows = _active_registrations(start, end).values_list(
        "pk", "email", "person_id", "person__email", "user_id", "user__email"
    )
    return [
        reach.person_key(
            email=email,
            person_id=person,
            person_email=person_email,
            user_id=user,
            user_email=user_email,
            row=f"transfer.registration:{pk}",
        )
        for pk, email, person, person_email, user, user_email in rows
    ]


def organisations_reached(start, end) -> list[int]:
    """Organisations of the linked people registered for the period's events."""
    return list(
        _active_registrations(start, end)
        .filter(person__organisation__isnull=False)
        .values_list("person__organisation_id", flat=True)
        .distinct()
    )


def reach_counts(start, end) -> list[Figure]:
    """Organisations and people reached, each counted once across the hub's capabilities."""
    return [
        Figure(
            "reach.organisations",
            _("organisations reached (each once, across the hub)"),
            reach.organisations_reached(start, end),
        ),
        Figure(
            "reach.people",
            _("people reached (each once, across the hub)"),
            reach.people_reached(start, end),
        ),
    ]


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
