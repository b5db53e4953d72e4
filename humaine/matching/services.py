"""Operations of matching. Each owns its transaction and writes the audit trail.

Reading matches is ``matches.find_matches``; what changes data is here: accepting a
team, an expert's profile, importing profiles, rebuilding the indexes.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from humaine.contact import services as contact_services
from humaine.contact.models import Assignment, Expert, Inquiry, Organisation, Person, Sector
from humaine.core import audit, fulltext

from . import sources, store
from .importer import ImportPlan
from .matches import annotate_load
from .models import Embedding, IndexBuild
from .signals import refresh_in_batches
from .teams import ConflictRules, Inquirer, TeamCandidate, conflicts_of, on_conflict


class TeamError(ValueError):
    """A team that cannot be accepted; the message says why, for the user."""


# --- teams ---------------------------------------------------------------------------------


def _conflicts(expert: Expert, inquiry: Inquiry) -> tuple:
    taxonomy, rules = store.taxonomy(), store.config().conflicts
    employer = expert.person.organisation
    candidate = TeamCandidate(
        expert.pk,
        0.0,
        employer=employer.pk if employer else None,
        employer_kind=employer.kind if employer else "",
        employer_sector=taxonomy.sector_key(employer.sector.slug)
        if employer and employer.sector
        else "",
    )
    inquirer = Inquirer(inquiry.organisation_id, taxonomy.sector_key(inquiry.sector.slug))
    return conflicts_of(
        candidate,
        inquirer,
        ConflictRules(
            competitor_same_sector=bool(rules.get("competitor_same_sector", True)),
            same_organisation=bool(rules.get("same_organisation", True)),
            on_conflict=on_conflict(rules),
        ),
    )


def _team_names(inquiry: Inquiry) -> list[str]:
    return sorted(
        inquiry.assignments.filter(active=True).values_list("expert__person__name", flat=True)
    )


@transaction.atomic
def accept_team(
    inquiry: Inquiry,
    expert_ids,
    *,
    actor,
    hours: int | None = None,
    roles: dict[int, str] | None = None,
) -> list[Assignment]:
    """Make ``expert_ids`` the inquiry's active team and move it to ``matched``.

    New members get an ``Assignment`` of ``hours`` per month (the hub's hours per member
    by default), which lowers their free capacity; members no longer in the team are
    released. Nobody is put beyond their free capacity or, with the hub's conflict rules at
    ``on_conflict: exclude``, with a conflict of interest. Recorded in the audit trail of
    the inquiry and of each expert whose load changes.
    """
    inquiry = Inquiry.objects.select_for_update().select_related("sector").get(pk=inquiry.pk)
    if not inquiry.is_open:
        raise TeamError(_("A declined or closed inquiry gets no team."))
    ids = list(dict.fromkeys(int(pk) for pk in expert_ids))
    if not ids:
        raise TeamError(_("Choose at least one expert."))
    hours = int(hours or store.config().team.get("hours_per_member", 8))
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
    before = {"team": _team_names(inquiry)}
    handling = on_conflict(store.config().conflicts)
    for pk in ids:
        expert = locked[pk]
        if pk in current:
            continue
        free = expert.capacity_hours - loads.get(pk, 0)
        if free < hours:
            raise TeamError(
                _("%(name)s has %(free)s hours per month free; the team needs %(hours)s.")
                % {"name": expert.person.name, "free": max(0, free), "hours": hours}
            )
        if handling == "exclude" and _conflicts(expert, inquiry):
            raise TeamError(
                _("%(name)s has a conflict of interest with the inquiring organisation.")
                % {"name": expert.person.name}
            )
    for pk, assignment in current.items():
        if pk not in ids:
            assignment.active = False
            assignment.save(update_fields=["active"])
            _record_load(actor, assignment.expert, inquiry, -assignment.hours_per_month, loads)
    created = []
    for pk in ids:
        if pk in current:
            continue
        created.append(
            Assignment.objects.create(
                expert=locked[pk],
                inquiry=inquiry,
                role=roles.get(pk, "")[:200],
                hours_per_month=hours,
                created_by=actor,
            )
        )
        _record_load(actor, locked[pk], inquiry, hours, loads)
    audit.record(
        actor,
        "matching.team_accepted",
        inquiry,
        before=before,
        after={"team": _team_names(inquiry)},
        hours_per_member=hours,
    )
    if inquiry.status == Inquiry.Status.NEW:
        inquiry = contact_services.change_status(inquiry, Inquiry.Status.TRIAGE, actor=actor)
    if inquiry.status == Inquiry.Status.TRIAGE:
        contact_services.change_status(inquiry, Inquiry.Status.MATCHED, actor=actor)
    return created


def _record_load(actor, expert: Expert, inquiry: Inquiry, delta: int, loads: dict) -> None:
    before = loads.get(expert.pk, 0)
    loads[expert.pk] = before + delta
    audit.record(
        actor,
        "matching.assigned" if delta > 0 else "matching.released",
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
    return data


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
    organisations = {}
    for name, kind in plan.new_organisations.items():
        organisations[name.lower()] = Organisation.objects.create(name=name, kind=kind)
        audit.record(
            actor, "organisation.imported", organisations[name.lower()], actor_name=actor_name
        )
    sectors = {s.slug: s for s in Sector.objects.all()}
    with refresh_in_batches():
        for row in plan.rows:
            if row.action != "unchanged":
                _apply_row(row, organisations, sectors, actor, actor_name)
    return plan.summary


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


@transaction.atomic
def request_rebuild(*, actor, force: bool = False) -> IndexBuild:
    """Queue a rebuild of every matching index; a job does it and reports progress."""
    from . import tasks

    build = IndexBuild.objects.create(requested_by=actor, force=force)
    audit.record(actor, "matching.rebuild_requested", build, force=force)
    transaction.on_commit(lambda: tasks.rebuild_indexes.enqueue(build.pk))
    return build


def rebuild_indexes(build: IndexBuild, *, batch_size: int = 200, progress=None) -> IndexBuild:
    """Re-embed every indexed text that changed (all with ``build.force``), drop vectors
    of deleted objects, and rebuild the full-text indexes.

    Runs in batches, each in its own transaction, and saves the progress after each, so
    it is visible while it runs and a failure keeps what was done. ``progress(build)``
    is called after each batch (the command prints it).
    """
    kinds = [kind for kind in sources.KINDS if kind.queryset is not None]
    methods = sources.method_entries()
    build.status, build.started_at = IndexBuild.Status.RUNNING, timezone.now()
    build.total = sum(kind.queryset().count() for kind in kinds) + len(methods)
    build.done = build.embedded = build.removed = 0
    _save_progress(build, progress, "status", "started_at", "total")
    try:
        for kind in kinds:
            _rebuild_kind(build, kind, batch_size, progress)
        result = store.refresh_methods(force=build.force)
        build.done += len(methods)
        build.embedded += result.embedded
        build.removed += result.removed
        fulltext.ensure_indexes()
        for index in fulltext.INDEXES:
            fulltext.rebuild(index)
    except Exception as error:
        build.status, build.message = IndexBuild.Status.FAILED, str(error)[:2000]
        build.finished_at = timezone.now()
        _save_progress(build, progress, "status", "message", "finished_at")
        raise
    build.status, build.finished_at = IndexBuild.Status.DONE, timezone.now()
    _save_progress(build, progress, "status", "finished_at")
    return build


def _rebuild_kind(build: IndexBuild, kind, batch_size: int, progress) -> None:
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
        result = store.refresh_objects(kind.kind, pks, force=build.force)
        existing.update(str(pk) for pk in pks)
        build.done += len(pks)
        build.embedded += result.embedded
        build.removed += result.removed
        last = pks[-1]
        _save_progress(build, progress)
    stored = set(Embedding.objects.filter(kind=kind.kind).values_list("object_id", flat=True))
    if stored - existing:
        build.removed += store.remove(kind.kind, stored - existing)


def _save_progress(build: IndexBuild, progress, *fields) -> None:
    build.save(update_fields=["done", "embedded", "removed", *fields])
    if progress is not None:
        progress(build)
