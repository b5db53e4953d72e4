"""Operations on scenarios. Each owns its transaction and writes the audit trail (and the
scenario's activity feed); views and the API call these, never save models themselves.

Survey answers are the exception to "every change is audited": recording who answered
when would undo their anonymity, so :func:`submit_response` writes no audit event.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from humaine.check import services as check_services
from humaine.check.models import Check
from humaine.contact import services as contact_services
from humaine.contact.models import Expert, Inquiry, Membership, Person
from humaine.core import audit
from humaine.core.i18n import active_language

from . import tasks
from .models import (
    Activity,
    Comment,
    Decision,
    Deliverable,
    FileVersion,
    GatePosition,
    InstrumentItem,
    Invitation,
    LiteracyEvidence,
    LiteracyRequirement,
    Member,
    Milestone,
    PhaseChange,
    Response,
    Scenario,
    ScenarioCheck,
    ScenarioFile,
    StakeholderGroup,
    Survey,
    Target,
    Wave,
)
from .process_model import default_process_model
from .selectors import gate_status

SCENARIO_FIELDS = ["title", "goal", "work_process", "people", "sector", "phase", "status"]


class ScenarioError(ValueError):
    """An operation cannot be done; the message says why, in the user's language."""


def _label(actor, actor_name: str | None = None) -> str:
    return actor_name or audit.actor_label(actor)


def log(
    actor,
    action: str,
    obj,
    scenario: Scenario,
    *,
    kind: str,
    verb: str,
    label: str,
    actor_name: str | None = None,
    before=None,
    after=None,
    item=None,
    **details,
) -> None:
    """Write the audit event and the line of the scenario's activity feed together."""
    audit.record(
        actor,
        action,
        obj,
        before=before,
        after=after,
        actor_name=actor_name,
        scenario=scenario.pk,
        **details,
    )
    Activity.objects.create(
        scenario=scenario,
        kind=kind,
        object_id=(item or obj).pk if isinstance((item or obj).pk, int) else None,
        verb=verb,
        label=str(label)[:300],
        actor_label=_label(actor, actor_name)[:200],
    )


# ------------------------------------------------------------------------------ scenario


def _member(scenario, role, *, user=None, person=None, expert=None, name="") -> Member:
    existing = scenario.members.filter(role=role, active=True)
    if user is not None and existing.filter(user=user).exists():
        return existing.get(user=user)
    if person is not None and existing.filter(person=person).exists():
        return existing.get(person=person)
    if person is None and user is not None:
        person = Person.objects.filter(user=user).first()
    return Member.objects.create(
        scenario=scenario,
        role=role,
        user=user,
        person=person,
        expert=expert,
        name=name,
        joined_at=timezone.now() if user is not None else None,
    )


def _walk_inquiry_to_scenario(inquiry: Inquiry, actor) -> None:
    path = {
        Inquiry.Status.NEW: [Inquiry.Status.TRIAGE, Inquiry.Status.MATCHED],
        Inquiry.Status.TRIAGE: [Inquiry.Status.MATCHED],
        Inquiry.Status.MATCHED: [],
    }
    if inquiry.status == Inquiry.Status.SCENARIO:
        # Moved to "scenario started" in triage already; the scenario itself is new.
        return
    if inquiry.status not in path:
        raise ScenarioError(_("A declined or closed inquiry gets no scenario."))
    for status in [*path[inquiry.status], Inquiry.Status.SCENARIO]:
        inquiry = contact_services.change_status(inquiry, status, actor=actor)


@transaction.atomic
def start_scenario(
    *,
    actor,
    title: str,
    goal: str,
    work_process: str,
    organisation=None,
    sector=None,
    people: str = "",
    inquiry: Inquiry | None = None,
) -> Scenario:
    """Start a scenario for an organisation, or from an inquiry.

    From an inquiry, its organisation, sector and contact come along, the accepted team's
    experts become members, the inquiry's checks become the scenario's, and the inquiry's
    status becomes "scenario started".
    """
    if inquiry is not None:
        inquiry = Inquiry.objects.select_for_update().get(pk=inquiry.pk)
        if Scenario.objects.filter(inquiry=inquiry).exists():
            raise ScenarioError(_("This inquiry already has a scenario."))
        organisation, sector = inquiry.organisation, inquiry.sector
    if organisation is None or sector is None:
        raise ScenarioError(_("A scenario needs an organisation and a sector."))
    scenario = Scenario.objects.create(
        title=title,
        goal=goal,
        work_process=work_process,
        people=people,
        organisation=organisation,
        sector=sector,
        inquiry=inquiry,
        contact=inquiry.contact if inquiry else None,
        phase=default_process_model().first_phase().id,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    if getattr(actor, "is_authenticated", False):
        _member(scenario, "staff", user=actor)
    if inquiry is not None:
        _bring_along(scenario, inquiry, actor)
    log(
        actor,
        "scenario.started",
        scenario,
        scenario,
        kind="scenario",
        verb="started",
        label=scenario.title,
        inquiry=inquiry.reference if inquiry else None,
    )
    return scenario


def _bring_along(scenario: Scenario, inquiry: Inquiry, actor) -> None:
    contact = inquiry.contact
    if contact is not None and not contact.is_erased:
        _member(scenario, "lead", person=contact, user=contact.user, name=contact.name)
    for assignment in inquiry.assignments.filter(active=True).select_related("expert__person"):
        expert = assignment.expert
        _member(
            scenario,
            "expert",
            expert=expert,
            person=expert.person,
            user=expert.person.user,
            name=expert.person.name,
        )
    for check in Check.objects.filter(inquiry=inquiry):
        ScenarioCheck.objects.get_or_create(scenario=scenario, ai_check=check)
    _walk_inquiry_to_scenario(inquiry, actor)


@transaction.atomic
def update_scenario(scenario: Scenario, data: dict, *, actor) -> Scenario:
    scenario = Scenario.objects.select_for_update().get(pk=scenario.pk)
    before = audit.snapshot(scenario, SCENARIO_FIELDS)
    for field in ("title", "goal", "work_process", "people", "sector"):
        if field in data:
            setattr(scenario, field, data[field])
    scenario.save()
    log(
        actor,
        "scenario.updated",
        scenario,
        scenario,
        kind="scenario",
        verb="updated",
        label=scenario.title,
        before=before,
        after=audit.snapshot(scenario, SCENARIO_FIELDS),
    )
    return scenario


# ------------------------------------------------------------------------------ members


@dataclass
class Invited:
    member: Member
    token: str


def _person_by_email(email: str) -> Person | None:
    """The hub's record of whoever has ``email`` (one with an account first), if any."""
    if not email:
        return None
    people = Person.objects.not_erased().filter(email__iexact=email.strip())
    return people.order_by(models.F("user_id").desc(nulls_last=True), "-created_at").first()


def person_for_user(user, *, name: str = "", language: str = "de", organisation=None) -> Person:
    """The contact record of ``user``'s account; made from the account when it has none,
    so the hub knows its people in one place (export, erasure, people reached)."""
    person = Person.objects.filter(user=user).first()
    if person is not None:
        return person
    return Person.objects.create(
        name=(name or user.get_full_name() or user.get_username())[:200],
        email=user.email or "",
        user=user,
        organisation=organisation,
        language=language,
    )


def _link_person(member: Member, user) -> None:
    """Tie a joining member to their contact record: the account's own; else the record
    their invitation was sent to, which gets the account; else a new one."""
    own = Person.objects.filter(user=user).first()
    if own is not None:
        member.person = own
        return
    if member.person_id and member.person.user_id is None and not member.person.is_erased:
        Person.objects.filter(pk=member.person_id).update(user=user)
        return
    in_organisation = Membership.objects.filter(
        user=user, organisation=member.scenario.organisation
    ).exists()
    member.person = person_for_user(
        user,
        name=member.name,
        language=member.language,
        organisation=member.scenario.organisation if in_organisation else None,
    )


@transaction.atomic
def invite_member(
    scenario: Scenario,
    *,
    role: str,
    name: str,
    email: str = "",
    language: str = "de",
    group: StakeholderGroup | None = None,
    actor,
) -> Invited:
    """Invite someone in ``role`` by a one-time link (emailed when an address is given)."""
    if not default_process_model().has_role(role):
        raise ScenarioError(_("Unknown role."))
    if group is not None and group.scenario_id != scenario.pk:
        raise ScenarioError(_("The group belongs to another scenario."))
    member = Member(
        scenario=scenario,
        role=role,
        name=name,
        invite_email=email,
        language=language,
        group=group,
        person=_person_by_email(email),
    )
    token = member.issue_invitation()
    member.save()
    log(
        actor,
        "scenario.member_invited",
        scenario,
        scenario,
        kind="member",
        verb="invited",
        label=f"{name} ({member.role_title})",
        item=member,
        role=role,
        emailed=bool(email),
    )
    if email:
        transaction.on_commit(lambda: tasks.send_member_invitation.enqueue(member.pk))
    return Invited(member, token)


@transaction.atomic
def renew_invitation(member: Member, *, actor) -> Invited:
    member = Member.objects.select_for_update().get(pk=member.pk)
    if not member.is_pending:
        raise ScenarioError(_("This person has already joined."))
    token = member.issue_invitation()
    member.save(update_fields=["token_nonce", "token_hash", "invited_at", "invitation_expires_at"])
    log(
        actor,
        "scenario.invitation_renewed",
        member.scenario,
        member.scenario,
        kind="member",
        verb="renewed",
        label=member.display_name,
        item=member,
    )
    return Invited(member, token)


def _join_user(member: Member, user) -> None:
    taken = member.scenario.members.filter(user=user, role=member.role, active=True)
    if taken.exclude(pk=member.pk).exists():
        raise ScenarioError(_("You already have this role in the scenario."))
    member.user = user
    member.joined_at = timezone.now()
    member.token_hash = None
    member.token_nonce = ""
    if not member.name:
        member.name = user.get_full_name() or user.get_username()
    _link_person(member, user)
    member.save(update_fields=["user", "joined_at", "token_hash", "token_nonce", "name", "person"])


@transaction.atomic
def join(member: Member, *, user=None, username: str = "", password: str = "") -> Member:
    """Accept an invitation: as the logged-in ``user``, or with a new account.

    The link works once and until it expires; the caller found ``member`` by its token.
    """
    member = Member.objects.select_for_update().select_related("scenario").get(pk=member.pk)
    if member.joined_at is not None or member.token_hash is None:
        raise ScenarioError(_("This invitation has already been used."))
    if member.invitation_expires_at is None or member.invitation_expires_at < timezone.now():
        raise ScenarioError(
            _("This invitation has expired. Ask the scenario's team for a new one.")
        )
    if user is None:
        User = get_user_model()
        if User.objects.filter(username__iexact=username).exists():
            raise ScenarioError(_("This user name is taken; choose another one."))
        user = User.objects.create_user(
            username=username, password=password, first_name=member.name[:150]
        )
    _join_user(member, user)
    log(
        user,
        "scenario.member_joined",
        member.scenario,
        member.scenario,
        kind="member",
        verb="joined",
        label=member.role_title,
        item=member,
        role=member.role,
    )
    return member


@transaction.atomic
def add_member(
    scenario: Scenario, *, user, role: str, group: StakeholderGroup | None = None, actor
) -> Member:
    """Add someone who has an account already, in ``role``, without an invitation link."""
    if not default_process_model().has_role(role):
        raise ScenarioError(_("Unknown role."))
    if group is not None and group.scenario_id != scenario.pk:
        raise ScenarioError(_("The group belongs to another scenario."))
    if role == "employee" and group is None:
        raise ScenarioError(_("An affected employee belongs to a stakeholder group."))
    if not user.is_active:
        raise ScenarioError(_("This account is not active."))
    if scenario.members.filter(user=user, role=role, active=True).exists():
        raise ScenarioError(_("This person has this role in the scenario already."))
    in_organisation = Membership.objects.filter(user=user, organisation=scenario.organisation)
    person = person_for_user(
        user, organisation=scenario.organisation if in_organisation.exists() else None
    )
    member = Member.objects.create(
        scenario=scenario,
        role=role,
        user=user,
        person=person,
        expert=Expert.objects.filter(person=person, active=True).first()
        if role == "expert"
        else None,
        group=group,
        name=person.name if not person.is_erased else user.get_username(),
        language=person.language,
        joined_at=timezone.now(),
    )
    log(
        actor,
        "scenario.member_added",
        scenario,
        scenario,
        kind="member",
        verb="added",
        label=f"{member.display_name} ({member.role_title})",
        item=member,
        role=role,
    )
    return member


@transaction.atomic
def remove_member(member: Member, *, actor) -> None:
    member = Member.objects.select_for_update().get(pk=member.pk)
    if not member.active:
        return
    member.active = False
    member.token_hash = None
    member.save(update_fields=["active", "token_hash"])
    log(
        actor,
        "scenario.member_removed",
        member.scenario,
        member.scenario,
        kind="member",
        verb="removed",
        label=f"{member.display_name} ({member.role_title})",
        item=member,
    )


# ------------------------------------------------------------------------------ process


def _topic_title(topic: str) -> str:
    from .literacy import topics

    known = topics()
    return known[topic].title.get(active_language()) if topic in known else topic


def _role_title(role: str) -> str:
    """A scenario role's title in the active language (its key if the model has none)."""
    model = default_process_model()
    return model.role(role).title.get(active_language()) if model.has_role(role) else role


@transaction.atomic
def record_position(
    scenario: Scenario, *, role: str, position: str, statement: str, access, actor
) -> GatePosition:
    """Record a role's position on the gate of the current phase; only holders of the role."""
    scenario = Scenario.objects.select_for_update().get(pk=scenario.pk)
    if role not in gate_status(scenario).roles:
        raise ScenarioError(_("This role has no say on the current gate."))
    if not access.holds(role):
        raise ScenarioError(_("Only a member with this role can state its position."))
    if position not in GatePosition.Position.values:
        raise ScenarioError(_("Unknown position."))
    entry = GatePosition.objects.create(
        scenario=scenario,
        phase=scenario.phase,
        role=role,
        position=position,
        statement=statement,
        member=access.member_for(role),
        author_label=audit.actor_label(actor),
    )
    log(
        actor,
        "scenario.gate_position_recorded",
        scenario,
        scenario,
        kind="gate",
        verb=f"position_{position}",
        label=f"{scenario.phase_title} ({_role_title(role)})",
        phase=scenario.phase,
        role=role,
        position=position,
        statement=statement,
    )
    return entry


@transaction.atomic
def advance_phase(scenario: Scenario, *, actor) -> Scenario:
    """Move to the next phase once every role of the gate agrees."""
    scenario = Scenario.objects.select_for_update().get(pk=scenario.pk)
    status = gate_status(scenario)
    if status.next_phase is None:
        raise ScenarioError(_("This is the last phase."))
    if not status.passed:
        raise ScenarioError(
            _("The gate is not passed yet: waiting for %(roles)s.")
            % {"roles": ", ".join(status.missing_titles)}
        )
    before = scenario.phase
    PhaseChange.objects.create(
        scenario=scenario,
        from_phase=before,
        to_phase=status.next_phase.id,
        gate=status.snapshot(),
        actor_label=audit.actor_label(actor),
    )
    scenario.phase = status.next_phase.id
    scenario.save(update_fields=["phase", "updated_at"])
    log(
        actor,
        "scenario.phase_changed",
        scenario,
        scenario,
        kind="gate",
        verb="moved",
        label=scenario.phase_title,
        before={"phase": before},
        after={"phase": scenario.phase},
    )
    return scenario


@transaction.atomic
def set_deliverable(scenario: Scenario, *, phase: str, key: str, done: bool, actor) -> None:
    model = default_process_model()
    if not model.has_phase(phase) or key not in {d.id for d in model.phase(phase).deliverables}:
        raise ScenarioError(_("Unknown deliverable."))
    existing = Deliverable.objects.filter(scenario=scenario, phase=phase, key=key)
    if done and not existing.exists():
        Deliverable.objects.create(
            scenario=scenario, phase=phase, key=key, done_by_label=audit.actor_label(actor)
        )
    elif not done:
        existing.delete()
    log(
        actor,
        "scenario.deliverable_marked",
        scenario,
        scenario,
        kind="gate",
        verb="deliverable_done" if done else "deliverable_open",
        label=f"{phase}/{key}",
    )


# ------------------------------------------------------------------------------ items


@transaction.atomic
def save_group(scenario, *, actor, group=None, **fields) -> StakeholderGroup:
    if scenario.groups.filter(name=fields["name"]).exclude(pk=getattr(group, "pk", None)).exists():
        raise ScenarioError(_("A group with this name exists already."))
    created = group is None
    group = group or StakeholderGroup(scenario=scenario)
    for name, value in fields.items():
        setattr(group, name, value)
    group.save()
    log(
        actor,
        "scenario.group_saved",
        group,
        scenario,
        kind="group",
        verb="added" if created else "changed",
        label=group.name,
        **fields,
    )
    return group


@transaction.atomic
def save_milestone(scenario, *, actor, milestone=None, **fields) -> Milestone:
    owner = fields.get("owner")
    if owner is not None and owner.scenario_id != scenario.pk:
        raise ScenarioError(_("The owner is not a member of this scenario."))
    created = milestone is None
    milestone = milestone or Milestone(scenario=scenario)
    before = audit.snapshot(milestone, list(fields)) if not created else None
    for name, value in fields.items():
        setattr(milestone, name, value)
    milestone.save()
    log(
        actor,
        "scenario.milestone_saved",
        milestone,
        scenario,
        kind="milestone",
        verb="added" if created else "changed",
        label=milestone.title,
        before=before,
        after=audit.snapshot(milestone, list(fields)),
    )
    return milestone


def _delete_content(version: FileVersion) -> None:
    """Delete a version's stored content once the transaction has committed."""
    name, storage = version.content.name, version.content.storage
    if name:
        transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def retire_file(scenario, file: ScenarioFile, *, reason: str = "", actor) -> ScenarioFile:
    """Retire a file: hidden from lists and pages, every version's stored content deleted;
    the rows stay (name, size, checksum, who and why) for the trail and the decision log."""
    file = ScenarioFile.objects.select_for_update().get(pk=file.pk, scenario=scenario)
    if file.is_retired:
        raise ScenarioError(_("This file is retired already."))
    now, label = timezone.now(), audit.actor_label(actor)
    file.retired_at, file.retired_by_label, file.retire_reason = now, label[:200], reason[:300]
    file.save(update_fields=["retired_at", "retired_by_label", "retire_reason"])
    for version in file.versions.filter(retired_at__isnull=True):
        version.retired_at, version.retired_by_label = now, label[:200]
        version.save(update_fields=["retired_at", "retired_by_label"])
        _delete_content(version)
    log(
        actor,
        "scenario.file_retired",
        file,
        scenario,
        kind="file",
        verb="retired",
        label=file.title,
        reason=reason,
    )
    # The feed names the file still, without a link to a page that is gone.
    Activity.objects.filter(scenario=scenario, kind="file", object_id=file.pk).update(
        object_id=None
    )
    return file


@transaction.atomic
def retire_version(scenario, file: ScenarioFile, number: int, *, reason: str = "", actor):
    """Retire one version (its stored content deleted); the file keeps its other versions.
    The last version left is not retired alone: retire the file instead."""
    file = ScenarioFile.objects.select_for_update().get(pk=file.pk, scenario=scenario)
    kept = file.versions.filter(retired_at__isnull=True)
    version = kept.filter(number=number).first()
    if file.is_retired or version is None:
        raise ScenarioError(_("This version is retired already."))
    if kept.count() == 1:
        raise ScenarioError(_("This is the file's only version left: retire the file instead."))
    version.retired_at, version.retired_by_label = timezone.now(), audit.actor_label(actor)[:200]
    version.save(update_fields=["retired_at", "retired_by_label"])
    _delete_content(version)
    log(
        actor,
        "scenario.file_version_retired",
        file,
        scenario,
        kind="file",
        verb="version_retired",
        label=f"{file.title} (v{number})",
        item=file,
        version=number,
        reason=reason,
    )
    return version


@transaction.atomic
def record_decision(scenario, *, actor, evidence=(), **fields) -> Decision:
    evidence = list(evidence)
    if any(f.scenario_id != scenario.pk or f.is_retired for f in evidence):
        raise ScenarioError(_("Evidence must be a file of this scenario."))
    decision = Decision.objects.create(
        scenario=scenario, created_by=actor if actor.is_authenticated else None, **fields
    )
    decision.evidence.set(evidence)
    log(
        actor,
        "scenario.decision_recorded",
        decision,
        scenario,
        kind="decision",
        verb="decided",
        label=decision.title,
        reasons=decision.reasons,
        alternatives=decision.alternatives,
        evidence=[f.title for f in evidence],
    )
    return decision


def _checked_upload(uploaded) -> tuple[str, str]:
    """The (extension, sha256) of an upload within the limits; ScenarioError otherwise."""
    limit = settings.SCENARIO_MAX_FILE_BYTES
    if uploaded.size > limit:
        raise ScenarioError(
            _("The file is too large: %(size)s MB; at most %(limit)s MB.")
            % {"size": round(uploaded.size / 1_048_576, 1), "limit": round(limit / 1_048_576, 1)}
        )
    if uploaded.size == 0:
        raise ScenarioError(_("The file is empty."))
    name = uploaded.name or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in settings.SCENARIO_FILE_TYPES:
        raise ScenarioError(
            _("Files of this type are not accepted. Allowed: %(types)s.")
            % {"types": ", ".join(settings.SCENARIO_FILE_TYPES)}
        )
    digest = hashlib.sha256()
    for chunk in uploaded.chunks():
        digest.update(chunk)
    uploaded.seek(0)
    return extension, digest.hexdigest()


@transaction.atomic
def upload_file(
    scenario,
    uploaded,
    *,
    actor,
    title: str = "",
    description: str = "",
    phase: str = "",
    file: ScenarioFile | None = None,
    note: str = "",
) -> FileVersion:
    """Store an upload as a new file or as the next version of ``file``.

    Size and type are checked before anything is written; if saving the row fails, the
    stored content is removed again, so nothing is half-saved.
    """
    _extension, sha256 = _checked_upload(uploaded)
    if file is None:
        file = ScenarioFile.objects.create(
            scenario=scenario,
            title=title or uploaded.name[:200],
            description=description,
            phase=phase,
            created_by=actor if actor.is_authenticated else None,
        )
    else:
        file = ScenarioFile.objects.select_for_update().get(pk=file.pk, scenario=scenario)
        if file.is_retired:
            raise ScenarioError(_("This file is retired; upload it as a new file."))
    number = (file.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    version = FileVersion(
        file=file,
        number=number,
        original_name=uploaded.name[:255],
        size=uploaded.size,
        content_type=(getattr(uploaded, "content_type", "") or "application/octet-stream")[:120],
        sha256=sha256,
        note=note,
        uploaded_by=actor if actor.is_authenticated else None,
        uploaded_by_label=audit.actor_label(actor),
    )
    version.content.save(uploaded.name, uploaded, save=False)
    try:
        version.save()
        log(
            actor,
            "scenario.file_uploaded",
            file,
            scenario,
            kind="file",
            verb="uploaded",
            label=f"{file.title} (v{number})",
            size=uploaded.size,
            sha256=sha256,
        )
    except Exception:
        # Nothing half-saved: the stored content goes with the failed row.
        version.content.storage.delete(version.content.name)
        raise
    return version


@transaction.atomic
def add_comment(scenario, *, kind: str, item, text: str, actor) -> Comment:
    if not text.strip():
        raise ScenarioError(_("The comment is empty."))
    comment = Comment.objects.create(
        scenario=scenario,
        kind=kind,
        object_id=item.pk,
        text=text.strip(),
        author=actor if actor.is_authenticated else None,
        author_label=audit.actor_label(actor),
    )
    log(
        actor,
        "scenario.comment_added",
        comment,
        scenario,
        kind=kind,
        verb="commented",
        label=str(item),
    )
    return comment


# ------------------------------------------------------------------------------ checks


@transaction.atomic
def start_check(scenario: Scenario, *, actor, language: str = "de") -> ScenarioCheck:
    """Start a check in the scenario, prefilled from its latest check (the profile and
    each role's answers, to review and submit again) or from the scenario's facts."""
    from .checks import prefill

    previous = scenario.checks.select_related("ai_check").first()
    created = check_services.create_check(
        title=scenario.title,
        description=scenario.goal,
        inquiry=scenario.inquiry,
        language=language,
        actor=actor,
    )
    link = ScenarioCheck.objects.create(
        scenario=scenario,
        ai_check=created.check,
        phase=scenario.phase,
        based_on=previous.ai_check if previous else None,
    )
    prefill(scenario, created.check, previous.ai_check if previous else None, actor, language)
    log(
        actor,
        "scenario.check_started",
        scenario,
        scenario,
        kind="check",
        verb="check_started",
        label=f"{scenario.phase_title}",
        check=created.check.pk,
        based_on=previous.ai_check_id if previous else None,
    )
    return link


# ------------------------------------------------------------------------------ surveys


@transaction.atomic
def create_survey(
    scenario, *, title, scale_ids, open_question_ids, groups, ask_code, actor
) -> Survey:
    from .library import current_library, retired_item_ids

    library = current_library()
    unknown = [s for s in scale_ids if not library.has_scale(s)]
    if unknown or not scale_ids:
        raise ScenarioError(_("Choose at least one scale of the library."))
    groups = list(groups)
    if not groups or any(g.scenario_id != scenario.pk for g in groups):
        raise ScenarioError(_("Choose at least one stakeholder group of this scenario."))
    retired = retired_item_ids()
    items = {s: [i.id for i in library.scale(s).items if i.id not in retired] for s in scale_ids}
    if not all(items.values()):
        raise ScenarioError(_("Every item of a chosen scale is retired; choose another scale."))
    survey = Survey.objects.create(
        scenario=scenario,
        title=title,
        items=items,
        open_questions=[q for q in open_question_ids if library.has_open_question(q)],
        ask_code=ask_code,
        created_by=actor if actor.is_authenticated else None,
    )
    survey.groups.set(groups)
    log(
        actor,
        "scenario.survey_created",
        survey,
        scenario,
        kind="survey",
        verb="survey_created",
        label=title,
        scales=scale_ids,
        groups=[g.name for g in groups],
    )
    return survey


@transaction.atomic
def schedule_wave(
    survey: Survey, *, kind: str, label: str, opens_on, closes_on, remind_after_days: int = 7, actor
) -> Wave:
    """Add a wave; a follow-up needs a baseline and must open after the baseline closes."""
    Survey.objects.select_for_update().get(pk=survey.pk)
    if closes_on < opens_on:
        raise ScenarioError(_("A wave cannot close before it opens."))
    baseline = survey.waves.filter(kind=Wave.Kind.BASELINE).first()
    if kind == Wave.Kind.BASELINE:
        if baseline is not None:
            raise ScenarioError(_("This survey has its baseline already."))
        later = survey.waves.filter(opens_on__lte=closes_on).exists()
        if later:
            raise ScenarioError(_("The baseline must close before every follow-up opens."))
    else:
        if baseline is None:
            raise ScenarioError(_("Schedule the baseline first: a follow-up compares with it."))
        if opens_on <= baseline.closes_on:
            raise ScenarioError(
                _("A follow-up must open after the baseline closes (%(day)s).")
                % {"day": baseline.closes_on.isoformat()}
            )
    wave = Wave.objects.create(
        survey=survey,
        kind=kind,
        label=label,
        opens_on=opens_on,
        closes_on=closes_on,
        remind_after_days=remind_after_days,
    )
    log(
        actor,
        "scenario.wave_scheduled",
        wave,
        survey.scenario,
        kind="survey",
        verb="wave_scheduled",
        label=f"{survey.title}: {label}",
        opens_on=opens_on,
        closes_on=closes_on,
        wave_kind=kind,
    )
    return wave


@dataclass
class IssuedLink:
    invitation: Invitation
    token: str


@transaction.atomic
def issue_invitations(
    wave: Wave, group: StakeholderGroup, *, emails=(), count: int = 0, language: str = "de", actor
) -> list[IssuedLink]:
    """One-time answer links for a group: one per email address (sent by a job), plus
    ``count`` links without an address to hand out (shown once, e.g. printed)."""
    if wave.is_closed:
        raise ScenarioError(_("This wave is closed."))
    if not wave.survey.groups.filter(pk=group.pk).exists():
        raise ScenarioError(_("The survey does not go to this group."))
    emails = list(dict.fromkeys(e.strip().lower() for e in emails if e.strip()))
    total = len(emails) + count
    already = wave.invitations.filter(group=group).count()
    if total == 0:
        raise ScenarioError(_("Give email addresses or a number of links."))
    if already + total > max(group.headcount, 1) * 2:
        raise ScenarioError(
            _("That would be more links than twice the group's headcount (%(n)s).")
            % {"n": group.headcount}
        )
    issued = []
    for email in [*emails, *[""] * count]:
        invitation = Invitation(wave=wave, group=group, email=email, language=language)
        token = invitation.new_token()
        invitation.save()
        issued.append(IssuedLink(invitation, token))
    log(
        actor,
        "scenario.invitations_issued",
        wave,
        wave.survey.scenario,
        kind="survey",
        verb="links_issued",
        label=f"{wave}: {group.name}",
        emailed=len(emails),
        links=count,
    )
    ids = [i.invitation.pk for i in issued if i.invitation.email]
    if ids:
        transaction.on_commit(lambda: tasks.send_survey_invitations.enqueue(ids))
    return issued


@transaction.atomic
def invite_group_members(wave: Wave, group: StakeholderGroup, *, actor) -> int:
    """A link for each member of the group with an account (shown on "my surveys")."""
    members = list(group.members.filter(active=True, role="employee", user__isnull=False))
    taken = set(wave.invitations.filter(member__in=members).values_list("member_id", flat=True))
    created = 0
    for member in members:
        if member.pk in taken:
            continue
        invitation = Invitation(wave=wave, group=group, member=member, language=member.language)
        invitation.new_token()
        invitation.save()
        created += 1
    if created:
        log(
            actor,
            "scenario.invitations_issued",
            wave,
            wave.survey.scenario,
            kind="survey",
            verb="links_issued",
            label=f"{wave}: {group.name}",
            members=created,
        )
    return created


class AlreadyAnswered(ScenarioError):
    pass


def submit_response(
    invitation: Invitation, *, answers: dict, texts: dict, code_hash: str | None
) -> None:
    """Store an anonymous response and use up the link, together or not at all.

    The response gets the group and today's date only; the invitation is marked used
    without a time. Neither points to the other, and no audit event is written.
    """
    today = timezone.localdate()
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update().select_related("wave").get(pk=invitation.pk)
        )
        if invitation.used:
            raise AlreadyAnswered(_("This link has been used already. Each link answers once."))
        wave = invitation.wave
        if not wave.is_open_on(today):
            raise ScenarioError(_("This survey is not open for answers at the moment."))
        invitation.used = True
        invitation.save(update_fields=["used"])
        Response.objects.create(
            wave=wave,
            group_id=invitation.group_id,
            answered_on=today,
            answers=answers,
            texts=texts,
            code_hash=code_hash or "",
        )


@transaction.atomic
def close_wave(wave: Wave, *, actor) -> Wave:
    """Close a wave: no more answers, results appear, stored addresses are forgotten."""
    wave = Wave.objects.select_for_update().get(pk=wave.pk)
    if wave.is_closed:
        return wave
    wave.closed_at = timezone.now()
    wave.save(update_fields=["closed_at"])
    wave.invitations.exclude(email="").update(email="")
    wave.invitations.filter(used=False).update(token_hash=None)
    survey_id = wave.survey_id
    transaction.on_commit(lambda: tasks.warm_results.enqueue(survey_id))
    log(
        actor,
        "scenario.wave_closed",
        wave,
        wave.survey.scenario,
        kind="survey",
        verb="wave_closed",
        label=str(wave),
        responses=wave.responses.count(),
    )
    return wave


@transaction.atomic
def save_target(scenario, *, actor, **fields) -> Target:
    from .library import current_library

    if not current_library().has_scale(fields["scale"]):
        raise ScenarioError(_("Unknown scale."))
    if (
        fields["kind"] in (Target.Kind.AT_LEAST, Target.Kind.AT_MOST)
        and fields.get("value") is None
    ):
        raise ScenarioError(_("This target needs a value."))
    group = fields.get("group")
    if group is not None and group.scenario_id != scenario.pk:
        raise ScenarioError(_("The group belongs to another scenario."))
    target = Target.objects.create(scenario=scenario, **fields)
    log(
        actor,
        "scenario.target_set",
        target,
        scenario,
        kind="outcome",
        verb="target_set",
        label=str(target),
    )
    return target


@transaction.atomic
def add_instrument_item(
    *, item_id: str, scale: str, text_de: str, text_en: str, reverse: bool = False, actor
) -> InstrumentItem:
    """Add an item (source: HUMAINE's own) to a scale of the library, validated with it."""
    from .instruments import load_library

    if InstrumentItem.objects.filter(item_id=item_id).exists():
        raise ScenarioError(_("An item with this id exists already."))
    entry = {
        "id": item_id,
        "scale": scale,
        "source": "humaine",
        "reverse": reverse,
        "text": {"de": text_de, "en": text_en},
    }
    load_library(extra=[*(i.as_entry() for i in InstrumentItem.objects.all()), entry])
    item = InstrumentItem.objects.create(
        item_id=item_id,
        scale=scale,
        text_de=text_de,
        text_en=text_en,
        reverse=reverse,
        created_by=actor if actor.is_authenticated else None,
    )
    audit.record(actor, "instrument.item_added", item, scale=scale)
    return item


ITEM_FIELDS = ["scale", "source", "text_de", "text_en", "reverse"]


@transaction.atomic
def edit_instrument_item(
    item: InstrumentItem,
    *,
    text_de: str,
    text_en: str,
    source: str,
    scale: str,
    reverse: bool,
    actor,
) -> InstrumentItem:
    """Change an item staff added, validated with the whole library; every change audited.

    The wording and the source (with its licence) may be corrected at any time; the
    scale and the keying only while no survey asks the item, since its answers would
    otherwise count differently after the change.
    """
    from .instruments import load_library
    from .library import items_in_surveys

    item = InstrumentItem.objects.select_for_update().get(pk=item.pk)
    if (scale != item.scale or reverse != item.reverse) and items_in_surveys(item.item_id):
        raise ScenarioError(
            _(
                "Surveys ask this item already: its scale and keying stay. Retire it and add "
                "a new item instead."
            )
        )
    before = audit.snapshot(item, ITEM_FIELDS)
    changed = {
        "scale": scale,
        "source": source,
        "text_de": text_de,
        "text_en": text_en,
        "reverse": reverse,
    }
    for field, value in changed.items():
        setattr(item, field, value)
    others = [i.as_entry() for i in InstrumentItem.objects.exclude(pk=item.pk)]
    load_library(extra=[*others, item.as_entry()])  # raises InstrumentError: nothing saved
    item.changed_at = timezone.now()
    item.save(update_fields=[*ITEM_FIELDS, "changed_at"])
    after = audit.snapshot(item, ITEM_FIELDS)
    if before != after:
        audit.record(actor, "instrument.item_changed", item, before=before, after=after)
    return item


@transaction.atomic
def retire_instrument_item(item: InstrumentItem, *, retire: bool = True, actor) -> InstrumentItem:
    """Retire an item (new surveys leave it out; surveys that ask it keep it and its
    results), or bring a retired item back."""
    item = InstrumentItem.objects.select_for_update().get(pk=item.pk)
    if retire == item.is_retired:
        raise ScenarioError(
            _("The item is retired already.") if retire else _("The item is not retired.")
        )
    item.retired_at = timezone.now() if retire else None
    item.retired_by = actor if retire and actor.is_authenticated else None
    item.save(update_fields=["retired_at", "retired_by"])
    action = "instrument.item_retired" if retire else "instrument.item_reinstated"
    audit.record(actor, action, item, scale=item.scale)
    return item


@transaction.atomic
def import_instrument_file(text: str, name: str, *, actor) -> list[InstrumentItem]:
    """Add the new items of an instrument file (all or nothing, validated with the library).

    Raises :class:`~humaine.scenarios.instruments.InstrumentError` listing every problem;
    a file that defines new scales or sources is refused (those are a developer's change).
    """
    from .instruments import default_library, parse_instrument_file

    stored = [i.as_entry() for i in InstrumentItem.objects.all()]
    library = parse_instrument_file(text, name, extra=stored)
    base = default_library()
    if {s.id for s in library.scales} - {s.id for s in base.scales} or (
        {s.id for s in library.sources} - {s.id for s in base.sources}
    ):
        raise ScenarioError(
            _("New scales or sources need a developer; a file may add items to existing scales.")
        )
    known = {i.id for s in base.scales for i in s.items} | {e["id"] for e in stored}
    created = []
    for scale in library.scales:
        for item in scale.items:
            if item.id in known:
                continue
            created.append(
                InstrumentItem.objects.create(
                    item_id=item.id,
                    scale=scale.id,
                    source=item.source,
                    text_de=item.text.de,
                    text_en=item.text.en,
                    reverse=item.reverse,
                    created_by=actor if actor.is_authenticated else None,
                )
            )
    if not created:
        raise ScenarioError(_("The file adds no new items."))
    for item in created:
        audit.record(actor, "instrument.item_added", item, scale=item.scale, file=name)
    return created


# ------------------------------------------------------------------------------ literacy


@transaction.atomic
def plan_literacy(scenario, *, role: str, topic: str, due_on, actor) -> LiteracyRequirement:
    from .literacy import topics

    if topic not in topics() or not default_process_model().has_role(role):
        raise ScenarioError(_("Unknown role or topic."))
    requirement, created = LiteracyRequirement.objects.update_or_create(
        scenario=scenario, role=role, topic=topic, defaults={"due_on": due_on}
    )
    log(
        actor,
        "scenario.literacy_planned",
        requirement,
        scenario,
        kind="literacy",
        verb="literacy_planned",
        label=f"{_role_title(role)}: {topics()[topic].title.get(active_language())}",
        due_on=due_on,
    )
    return requirement


@transaction.atomic
def record_evidence(
    requirement: LiteracyRequirement,
    *,
    member: Member,
    kind: str,
    completed_on,
    note: str = "",
    score=None,
    certificate=None,
    actor,
) -> LiteracyEvidence:
    scenario = requirement.scenario
    if member.scenario_id != scenario.pk or member.role != requirement.role:
        raise ScenarioError(_("This person does not have the role this topic is planned for."))
    if certificate is not None:
        _checked_upload(certificate)
    evidence = LiteracyEvidence(
        requirement=requirement,
        member=member,
        kind=kind,
        completed_on=completed_on,
        note=note,
        score=score,
        recorded_by_label=audit.actor_label(actor),
    )
    if certificate is not None:
        evidence.certificate.save(certificate.name, certificate, save=False)
    try:
        evidence.save()
    except IntegrityError:
        if certificate is not None:
            evidence.certificate.delete(save=False)
        raise
    log(
        actor,
        "scenario.literacy_evidence_recorded",
        evidence,
        scenario,
        kind="literacy",
        verb="evidence_recorded",
        label=f"{member.display_name}: {_topic_title(requirement.topic)}",
        evidence=kind,
    )
    return evidence
