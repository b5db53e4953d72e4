"""Operations of matching. Each owns its transaction and writes the audit trail.

Reading matches is ``matches.find_matches``; what changes data is here: accepting a
team, an expert's profile, importing profiles, rebuilding the indexes.
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from humaine.contact import services as contact_services
from humaine.contact.models import Assignment, Expert, Inquiry, Organisation, Person, Sector
from humaine.core import audit, fulltext, progress
from humaine.core.models import Progress
from humaine.notifications import services as notifications

from . import notifications as matching_notifications
from . import parties, sources, store
from .importer import RELATIONSHIPS, ImportPlan
from .matches import annotate_load
from .models import (
    ConflictOverride,
    Embedding,
    ExpertRelationship,
    InquiryTeamSettings,
)
from .ranking import embed_texts
from .signals import BATCH_SIZE, refresh_in_batches
from .teams import CORE, on_conflict, slot_hours_of


class TeamError(ValueError):
    """A team that cannot be accepted; the message says why, for the user."""


class AcceptedTeamExists(TeamError):
    """The choice would replace the inquiry's accepted team, which was not confirmed."""


# --- teams ---------------------------------------------------------------------------------


def conflicts_with(inquiry: Inquiry, expert_ids) -> dict:
    """The conflicts of interest of these experts with the inquiry, from the hub's data."""
    text = sources.inquiry_text(inquiry)
    embedded = store.current_vectors("inquiry", inquiry.pk, text)
    if embedded is None:
        [embedded] = embed_texts([text], store.encoder_for("inquiry"), store.config())
    return parties.conflicts_for(expert_ids, text, embedded, inquiry.organisation_id)


def hours_of(inquiry: Inquiry) -> dict:
    """Hours per month of each kind of place for this inquiry (the hub's, or its own)."""
    own = InquiryTeamSettings.objects.filter(inquiry=inquiry).values_list("slot_hours", flat=True)
    return slot_hours_of(store.config(), next(iter(own), None))


def _team_names(inquiry: Inquiry) -> list[str]:
    return sorted(
        inquiry.assignments.filter(active=True).values_list("expert__person__name", flat=True)
    )


@dataclass(frozen=True)
class TeamChange:
    """What accepting a choice of experts would do to an inquiry's accepted team."""

    leaving: list[Expert]
    joining: list[Expert]
    staying: list[Expert]

    @property
    def unchanged(self) -> bool:
        return bool(self.staying) and not (self.leaving or self.joining)

    @property
    def replaces(self) -> bool:
        """True when an accepted team would change: staff confirm that first."""
        return bool(self.leaving or self.staying) and bool(self.leaving or self.joining)


def team_change(inquiry: Inquiry, expert_ids) -> TeamChange:
    current = {
        a.expert_id: a.expert
        for a in inquiry.assignments.filter(active=True).select_related("expert__person")
    }
    chosen = list(dict.fromkeys(int(pk) for pk in expert_ids))
    new = Expert.objects.select_related("person").in_bulk(
        [pk for pk in chosen if pk not in current]
    )
    return TeamChange(
        leaving=[expert for pk, expert in current.items() if pk not in chosen],
        joining=[new[pk] for pk in chosen if pk in new],
        staying=[current[pk] for pk in chosen if pk in current],
    )


def _names(experts) -> str:
    return ", ".join(e.person.name for e in experts) or _("nobody")


def _twice_message(expert_ids: list[int]) -> str:
    names = Expert.objects.filter(pk__in=expert_ids).values_list("person__name", flat=True)
    listed = ", ".join(sorted(names)) or ", ".join(str(pk) for pk in expert_ids)
    return ngettext(
        "%(names)s is chosen more than once; an expert can take only one place in the team.",
        "%(names)s are each chosen more than once; an expert can take only one place in the team.",
        len(expert_ids),
    ) % {"names": listed}


def _replace_message(change: TeamChange) -> str:
    return _(
        "The inquiry already has an accepted team. This choice would take off %(leaving)s "
        "and put on %(joining)s; the accepted team is replaced only when you confirm it."
    ) % {"leaving": _names(change.leaving), "joining": _names(change.joining)}


@transaction.atomic
def accept_team(
    inquiry: Inquiry,
    expert_ids,
    *,
    actor,
    hours: int | None = None,
    roles: dict[int, str] | None = None,
    slots: dict[int, str] | None = None,
    notify: bool = True,
    replace_accepted: bool = False,
) -> list[Assignment]:
    """Make ``expert_ids`` the inquiry's active team and move it to ``matched``.

    A new member gets an ``Assignment`` of the hours of their place (``slots``: expert ->
    ``core`` or ``consultation``; core by default; the inquiry's own hours or the hub's),
    or ``hours`` for every new member when given; that lowers their free capacity.
    Members no longer in the team are released. Experts with an account are told
    (``notify=False``: not, e.g. the demo data). Nobody is put beyond their free capacity
    or, with the hub's conflict rules at ``on_conflict: exclude``, with a conflict of
    interest that staff have not overridden. An accepted team is changed only with
    ``replace_accepted`` (else :class:`AcceptedTeamExists`, saying who would leave and join).
    Recorded in the audit trail of the inquiry and of each expert whose load changes.
    """
    inquiry = Inquiry.objects.select_for_update().select_related("sector").get(pk=inquiry.pk)
    if not inquiry.is_open:
        raise TeamError(_("A declined or closed inquiry gets no team."))
    chosen = [int(pk) for pk in expert_ids]
    ids = list(dict.fromkeys(chosen))
    if not ids:
        raise TeamError(_("Choose at least one expert."))
    if len(ids) < len(chosen):
        raise TeamError(_twice_message([pk for pk in ids if chosen.count(pk) > 1]))
    place_hours = hours_of(inquiry)
    slots = {int(k): v for k, v in (slots or {}).items()}
    if any(kind not in place_hours for kind in slots.values()):
        raise TeamError(_("Unknown kind of place in the team."))

    def booked(pk: int) -> int:
        return int(hours or place_hours[slots.get(pk, CORE)])

    roles = roles or {}
    # lock the experts first: the load is summed below, and FOR UPDATE allows no aggregates
    locked = {
        e.pk: e
        for e in Expert.objects.select_for_update(of=("self",))
        .select_related("person__organisation__sector")
        .filter(pk__in=ids, active=True)
    }
    missing = [pk for pk in ids if pk not in locked]
    if missing:
        raise TeamError(_("Some of the chosen experts do not exist or are inactive."))
    loads = dict(annotate_load(Expert.objects.filter(pk__in=ids)).values_list("pk", "load"))
    current = {a.expert_id: a for a in inquiry.assignments.filter(active=True)}
    if current and set(current) != set(ids) and not replace_accepted:
        raise AcceptedTeamExists(_replace_message(team_change(inquiry, ids)))
    before = {"team": _team_names(inquiry)}
    handling = on_conflict(store.config().conflicts)
    joining = [pk for pk in ids if pk not in current]
    conflicted = conflicts_with(inquiry, joining) if handling == "exclude" else {}
    allowed = set(
        ConflictOverride.objects.filter(inquiry=inquiry, expert_id__in=joining).values_list(
            "expert_id", flat=True
        )
    )
    for pk in joining:
        expert = locked[pk]
        if pk in conflicted and pk not in allowed:
            raise TeamError(
                _(
                    "%(name)s has a conflict of interest (%(reason)s); the hub's staff can "
                    "allow it with a reason."
                )
                % {"name": expert.person.name, "reason": _reason(conflicted[pk])}
            )
        free = expert.capacity_hours - loads.get(pk, 0)
        if free < booked(pk):
            raise TeamError(
                _("%(name)s has %(free)s hours per month free; the place needs %(hours)s.")
                % {"name": expert.person.name, "free": max(0, free), "hours": booked(pk)}
            )
    released = []
    for pk, assignment in current.items():
        if pk not in ids:
            assignment.active = False
            assignment.save(update_fields=["active"])
            _record_load(actor, assignment.expert, inquiry, -assignment.hours_per_month, loads)
            released.append(assignment.expert)
    created = []
    for pk in ids:
        if pk in current:
            continue
        created.append(
            Assignment.objects.create(
                expert=locked[pk],
                inquiry=inquiry,
                role=roles.get(pk, "")[:200],
                hours_per_month=booked(pk),
                created_by=actor,
            )
        )
        _record_load(actor, locked[pk], inquiry, booked(pk), loads)
    _tell_experts(inquiry, created, released, notify)
    audit.record(
        actor,
        "inquiry.team_accepted",
        inquiry,
        before=before,
        after={"team": _team_names(inquiry)},
        hours={str(pk): booked(pk) for pk in joining},
    )
    if inquiry.status == Inquiry.Status.NEW:
        inquiry = contact_services.change_status(
            inquiry, Inquiry.Status.TRIAGE, actor=actor, notify=notify
        )
    if inquiry.status == Inquiry.Status.TRIAGE:
        contact_services.change_status(inquiry, Inquiry.Status.MATCHED, actor=actor, notify=notify)
    return created


def _tell_experts(inquiry: Inquiry, created, released, notify: bool) -> None:
    if not notify:
        return
    for assignment in created:
        notifications.notify(
            matching_notifications.PUT_ON_TEAM,
            [assignment.expert.person.user],
            inquiry,
            reference=inquiry.reference,
            hours=assignment.hours_per_month,
        )
    notifications.notify(
        matching_notifications.TAKEN_OFF_TEAM,
        [expert.person.user for expert in released],
        inquiry,
        reference=inquiry.reference,
    )


def _reason(conflicts) -> str:
    from .matches import pick

    return "; ".join(pick(c.reason) for c in conflicts)


@transaction.atomic
def override_conflict(inquiry: Inquiry, expert: Expert, *, reason: str, actor) -> ConflictOverride:
    """Let ``expert`` work on ``inquiry`` despite their conflicts of interest, for a reason
    staff give; the conflicts stay shown with the decision. Audited."""
    reason = (reason or "").strip()
    if len(reason) < 10:
        raise TeamError(_("Give a reason of at least 10 characters."))
    found = conflicts_with(inquiry, [expert.pk]).get(expert.pk, ())
    if not found:
        raise TeamError(
            _("%(name)s has no conflict of interest with this inquiry.")
            % {"name": expert.person.name}
        )
    shown = [{"code": c.code, "text": _reason([c])} for c in found]
    override, _created = ConflictOverride.objects.update_or_create(
        inquiry=inquiry,
        expert=expert,
        defaults={"reason": reason[:2000], "conflicts": shown, "created_by": actor},
    )
    audit.record(
        actor,
        "conflict.overridden",
        override,
        inquiry=inquiry.reference,
        expert=expert.pk,
        conflicts=shown,
        reason=override.reason,
    )
    return override


@transaction.atomic
def revoke_conflict_override(inquiry: Inquiry, expert: Expert, *, actor) -> bool:
    """Withdraw staff's decision; the expert's conflicts bar them again. Audited."""
    override = ConflictOverride.objects.filter(inquiry=inquiry, expert=expert).first()
    if override is None:
        return False
    audit.record(actor, "conflict.override_revoked", override, inquiry=inquiry.reference)
    override.delete()
    return True


@transaction.atomic
def set_slot_hours(inquiry: Inquiry, hours: dict, *, actor) -> dict:
    """Give an inquiry its own hours per month for kinds of place (empty: the hub's)."""
    known = slot_hours_of(store.config())
    unknown = sorted(set(hours) - set(known))
    if unknown:
        raise TeamError(_("Unknown kind of place: %(kinds)s.") % {"kinds": ", ".join(unknown)})
    if any(not 1 <= int(v) <= 200 for v in hours.values()):
        raise TeamError(_("Hours per month must be between 1 and 200."))
    settings, _created = InquiryTeamSettings.objects.select_for_update().get_or_create(
        inquiry=inquiry
    )
    before = dict(settings.slot_hours)
    settings.slot_hours = {k: int(v) for k, v in hours.items()}
    settings.save(update_fields=["slot_hours", "updated_at"])
    audit.record(
        actor,
        "inquiry.slot_hours_changed",
        inquiry,
        before={"slot_hours": before},
        after={"slot_hours": settings.slot_hours},
    )
    return hours_of(inquiry)


def _record_load(actor, expert: Expert, inquiry: Inquiry, delta: int, loads: dict) -> None:
    before = loads.get(expert.pk, 0)
    loads[expert.pk] = before + delta
    audit.record(
        actor,
        "expert.assigned" if delta > 0 else "expert.released",
        expert,
        before={"load_hours": before},
        after={"load_hours": before + delta},
        inquiry=inquiry.reference,
    )


# --- expert profiles -----------------------------------------------------------------------

PROFILE_FIELDS = ["disciplines", "topics", "methods", "languages", "capacity_hours"]


def _profile_snapshot(expert: Expert) -> dict:
    data = audit.snapshot(expert, PROFILE_FIELDS)
    data["sectors"] = sorted(s.slug for s in expert.sectors.all())
    declared = expert.relationships.values_list("kind", "name") if expert.pk else []
    for column, kind in RELATIONSHIPS.items():
        data[column] = sorted(name for k, name in declared if k == kind)
    return data


def _declare(expert: Expert, kind: str, names: list[str]) -> None:
    """Make ``names`` the expert's declared relationships of ``kind``."""
    expert.relationships.filter(kind=kind).exclude(name__in=names).delete()
    for name in names:
        ExpertRelationship.objects.get_or_create(expert=expert, kind=kind, name=name)


@transaction.atomic
def update_expert_profile(expert: Expert, data: dict, *, actor) -> Expert:
    """Save an expert's own description of their work; the vectors follow in a job."""
    expert = Expert.objects.select_for_update().get(pk=expert.pk)
    before = _profile_snapshot(expert)
    for name in PROFILE_FIELDS:
        setattr(expert, name, data[name])
    expert.save()
    expert.sectors.set(data["sectors"])
    audit.record(
        actor, "expert.profile_updated", expert, before=before, after=_profile_snapshot(expert)
    )
    return expert


# --- import --------------------------------------------------------------------------------


@transaction.atomic
def import_experts(plan: ImportPlan, *, actor, actor_name: str | None = None) -> dict[str, int]:
    """Apply a validated import plan: all rows or none. Returns the counts per action."""
    if not plan.ok:
        raise ValueError("the plan has problems")
    sectors = {s.slug: s for s in Sector.objects.all()}
    organisations = {}
    for name, kind in plan.new_organisations.items():
        wanted = plan.employers.get(name.lower(), {})
        organisations[name.lower()] = Organisation.objects.create(
            name=name,
            kind=kind,
            sector=sectors.get(wanted.get("sector") or ""),
            segment=wanted.get("segment") or "",
        )
        audit.record(
            actor, "organisation.imported", organisations[name.lower()], actor_name=actor_name
        )
    for pk, (_name, changes) in plan.organisation_changes.items():
        _update_organisation(pk, changes, sectors, actor, actor_name)
    with refresh_in_batches():
        for row in plan.rows:
            if row.action != "unchanged":
                _apply_row(row, organisations, sectors, actor, actor_name)
    return plan.summary


def _update_organisation(pk, changes, sectors, actor, actor_name) -> None:
    organisation = Organisation.objects.select_for_update().get(pk=pk)
    for name, (_before, after) in changes.items():
        setattr(organisation, name, sectors[after] if name == "sector" else after)
    organisation.save(update_fields=list(changes))
    audit.record(
        actor,
        "organisation.updated",
        organisation,
        before={name: before for name, (before, _after) in changes.items()},
        after={name: after for name, (_before, after) in changes.items()},
        actor_name=actor_name,
    )


def _organisation(name: str | None, created: dict):
    if not name:
        return None
    return created.get(name.lower()) or Organisation.objects.filter(name__iexact=name).first()


def _apply_row(row, organisations, sectors, actor, actor_name) -> None:
    values = row.values
    person = row.person
    employer = _organisation(values["employer"], organisations)
    if person is None:
        person = Person.objects.create(
            name=values["name"], email=values["email"], organisation=employer
        )
    else:
        person = Person.objects.select_for_update().get(pk=person.pk)
        fields = []
        if values["name"] and values["name"] != person.name:
            person.name, fields = values["name"], [*fields, "name"]
        if employer is not None and employer != person.organisation:
            person.organisation, fields = employer, [*fields, "organisation"]
        if fields:
            person.save(update_fields=fields)
    expert = Expert.objects.filter(person=person).first() or Expert(person=person)
    before = _profile_snapshot(expert) if expert.pk else {}
    for name in ("disciplines", "topics", "methods", "languages", "capacity_hours", "active"):
        if values.get(name) is not None:
            setattr(expert, name, values[name])
    expert.save()
    if values.get("sectors") is not None:
        expert.sectors.set([sectors[slug] for slug in values["sectors"]])
    for column, kind in RELATIONSHIPS.items():
        if values.get(column) is not None:
            _declare(expert, kind, values[column])
    audit.record(
        actor,
        "expert.imported",
        expert,
        before=before,
        after=_profile_snapshot(expert),
        actor_name=actor_name,
        row=row.row,
        result=row.action,
    )


# --- rebuilding the indexes ----------------------------------------------------------------

REBUILD = "matching.rebuild"


@transaction.atomic
def request_rebuild(*, actor, force: bool = False) -> Progress:
    """Queue a rebuild of every matching index; a job does it and reports its progress."""
    from . import tasks

    record = progress.create(REBUILD, actor=actor, force=force)
    audit.record(actor, "index.rebuild_requested", record, force=force)
    transaction.on_commit(lambda: tasks.rebuild_indexes.enqueue(record.pk))
    return record


def rebuild_if_encoder_changed() -> Progress | None:
    """Queue a rebuild when every stored vector of the expert profiles is of another
    encoder than the hub's: ``MATCHING_ENCODER`` changed, e.g. with an upgrade that
    changed its default. Until the rebuild, matching finds experts by their words only.
    Nothing when a rebuild is queued or running already; returns the queued one."""
    current = store.encoder_for("expert").name
    experts = Embedding.objects.filter(kind="expert")
    if experts.filter(encoder=current).exists() or not experts.exists():
        return None
    if Progress.objects.filter(kind=REBUILD).exclude(status__in=Progress.ENDED).exists():
        return None
    from . import tasks

    with transaction.atomic():
        record = progress.create(REBUILD, reason="encoder")
        audit.record(None, "index.rebuild_requested", record, actor_name="matching", to=current)
        transaction.on_commit(lambda: tasks.rebuild_indexes.enqueue(record.pk))
    return record


def rebuild_now(*, force: bool = False, batch_size: int = BATCH_SIZE, listener=None) -> Progress:
    """Rebuild at once, in this process (``manage.py rebuild_matching_index``), recorded
    and audited as a rebuild staff asked for; ``listener(progress)`` hears every report."""
    with transaction.atomic():
        record = progress.create(REBUILD, force=force)
        audit.record(None, "index.rebuild_requested", record, actor_name="manage.py", force=force)
    with progress.tracking(record.pk, listener) as report:
        rebuild_indexes(report, force=force, batch_size=batch_size)
    record.refresh_from_db()
    return record


def rebuild_indexes(report, *, force: bool = False, batch_size: int = BATCH_SIZE) -> None:
    """Re-embed every indexed text that changed (all with ``force``), drop vectors of
    deleted objects, and rebuild the full-text indexes.

    Runs in batches, each in its own transaction, and reports after each (``report`` is a
    :class:`humaine.core.progress.Reporter`), so the progress is visible while it runs and
    a failure keeps what was done.
    """
    kinds = [kind for kind in sources.KINDS if kind.queryset is not None]
    methods = sources.method_entries()
    report.start(total=sum(kind.queryset().count() for kind in kinds) + len(methods))
    for kind in kinds:
        _rebuild_kind(report, kind, batch_size, force)
    result = store.refresh_methods(force=force)
    report.advance(len(methods), embedded=result.embedded, removed=result.removed)
    # vectors of an encoder the hub no longer uses (the current ones are all stored now)
    for kind in [*kinds, sources.KINDS["method"]]:
        store.drop_other_encoders(kind.kind)
    fulltext.ensure_indexes()
    for index in fulltext.INDEXES:
        fulltext.rebuild(index)


def _rebuild_kind(report, kind, batch_size: int, force: bool) -> None:
    last = 0
    existing = set()
    while True:
        pks = list(
            kind.queryset()
            .filter(pk__gt=last)
            .order_by("pk")
            .values_list("pk", flat=True)[:batch_size]
        )
        if not pks:
            break
        result = store.refresh_objects(kind.kind, pks, force=force)
        existing.update(str(pk) for pk in pks)
        report.advance(len(pks), embedded=result.embedded, removed=result.removed)
        last = pks[-1]
    stored = set(Embedding.objects.filter(kind=kind.kind).values_list("object_id", flat=True))
    if stored - existing:
        report.advance(0, removed=store.remove(kind.kind, stored - existing))
