"""Writing the knowledge base: drafts, review by someone else, consent, visibility, files."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from humaine import policy
from humaine.core import audit

from .. import access, case_studies, markup, services
from ..forms import AttachmentForm, ConsentForm, EntryForm, ReturnForm
from ..models import Entry, EntryAttachment, EntryVersion, Kind, Visibility


@login_required
def manage(request):
    """The entries the user may edit, and (for staff) the versions waiting for their review."""
    policy.require(access.can_author_entries(request.user))
    entries = (
        access.entries_editable_by(request.user)
        .select_related("published_version")
        .prefetch_related("versions")
        .order_by("-updated_at", "-pk")[:200]
    )
    reviews = []
    if policy.is_staff(request.user):
        reviews = (
            EntryVersion.objects.filter(status=EntryVersion.Status.IN_REVIEW)
            .exclude(author=request.user)
            .select_related("entry", "author")
            .order_by("submitted_at")
        )
    return render(
        request,
        "transfer/manage.html",
        {
            "entries": entries,
            "reviews": reviews,
            "scenario_sources": case_studies.available(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def entry_new(request):
    user = request.user
    policy.require(access.can_author_entries(user))
    kind = request.POST.get("kind") or request.GET.get("kind") or Kind.METHOD
    if kind not in Kind.values or (kind == Kind.CASE_STUDY and not policy.is_staff(user)):
        kind = Kind.METHOD
    form = EntryForm(
        request.POST or None,
        kind=kind,
        may_set_visibility=access.can_set_visibility(user),
        initial={"visibility": Visibility.PUBLIC},
    )
    if request.method == "POST" and form.is_valid():
        try:
            entry = services.create_entry(user, kind, form.entry_data())
        except services.EntryError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The draft is saved."))
            return redirect("transfer:entry_edit", entry.pk)
    status = 400 if request.method == "POST" else 200
    kinds = [(value, label) for value, label in Kind.choices
             if value != Kind.CASE_STUDY or policy.is_staff(user)]  # fmt: skip
    context = {"form": form, "kind": kind, "kinds": kinds}
    return render(request, "transfer/entry_form.html", context, status=status)


def _waiting(version) -> list[tuple[str, str]]:
    """The classification changes waiting for the version's review, in words."""
    from humaine.contact.models import Discipline, Sector

    waiting = (version.classification or {}) if version is not None else {}
    sectors = {s.slug: str(s) for s in Sector.objects.all()} if "sectors" in waiting else {}
    words = {
        "sectors": (_("Sectors"), lambda v: ", ".join(str(sectors.get(s, s)) for s in v)),
        "disciplines": (
            _("Disciplines"),
            lambda v: ", ".join(str(dict(Discipline.choices).get(d, d)) for d in v),
        ),
        "recommendation_ids": (_("The check's recommendations"), lambda v: ", ".join(v)),
        "visibility": (_("Visible to"), lambda v: str(dict(Visibility.choices).get(v, v))),
    }
    return [
        (str(words[key][0]), words[key][1](value) or "–")
        for key, value in waiting.items()
        if key in words
    ]


def _editor_context(entry: Entry, user) -> dict:
    version = services.open_version(entry)
    return {
        "entry": entry,
        "version": version,
        "waiting": _waiting(version),
        "versions": entry.versions.select_related("author", "reviewer").order_by("-number"),
        "attachments": entry.attachments.all(),
        "waiting_files": [a for a in entry.attachments.all() if a.change],
        "attachment_form": AttachmentForm(),
        "may_review": version is not None and access.can_review_version(user, version),
        "may_manage": access.can_set_visibility(user, entry),
        "visibilities": Visibility.choices,
        "trail": audit.trail_for(entry)[:30],
    }


@login_required
@require_http_methods(["GET", "POST"])
def entry_edit(request, pk):
    user = request.user
    entry = access.get_entry_for_editor(user, pk)
    version = services.open_version(entry) or entry.published_version
    form = EntryForm(
        request.POST or None,
        kind=entry.kind,
        may_set_visibility=access.can_set_visibility(user, entry),
        initial=EntryForm.initial_for(entry, version),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.save_draft(user, entry, form.entry_data())
        except services.EntryError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The draft is saved."))
            return redirect("transfer:entry_edit", entry.pk)
    context = _editor_context(entry, user) | {"form": form}
    return render(request, "transfer/entry_edit.html", context, status=400 if form.errors else 200)


@login_required
def entry_preview(request, pk):
    """The open version (or the published one) as readers would see it, for its editors."""
    entry = access.get_entry_for_editor(request.user, pk)
    version = services.open_version(entry) or entry.published_version
    if version is None:
        return redirect("transfer:entry_edit", entry.pk)
    from .knowledge import lang

    language = lang()
    shown = services.shown_case_fields(entry, version)
    return render(
        request,
        "transfer/entry_preview.html",
        {
            "entry": entry,
            "version": version,
            "body": markup.render(version.text_in("body", language)),
            "evidence": markup.render(version.text_in("evidence", language)),
            "sources": markup.render(version.sources),
            "problem": version.text_in("problem", language),
            "case_fields": [
                (label, markup.render(texts.get(language) or ""), name)
                for name, label, texts in shown
            ],
            "withheld": [
                label
                for name, label in services.entries.CASE_FIELDS.items()
                if entry.is_case_study and name not in entry.released_fields
            ],
            "may_review": access.can_review_version(request.user, version),
        },
    )


@login_required
@require_POST
def entry_submit(request, pk):
    entry = access.get_entry_for_editor(request.user, pk)
    version = services.open_version(entry)
    if version is None or version.status != EntryVersion.Status.DRAFT:
        messages.error(request, _("There is no draft to submit."))
    else:
        services.submit_for_review(request.user, version)
        messages.success(request, _("Submitted for review by another member of the hub's staff."))
    return redirect("transfer:entry_edit", entry.pk)


def _version_in_review(request, pk) -> EntryVersion:
    if not policy.is_staff(request.user):
        from django.http import Http404

        raise Http404
    version = get_object_or_404(
        EntryVersion.objects.select_related("entry"), pk=pk, status=EntryVersion.Status.IN_REVIEW
    )
    policy.require(access.can_review_version(request.user, version))
    return version


@login_required
@require_POST
def version_approve(request, pk):
    version = _version_in_review(request, pk)
    try:
        services.approve_version(request.user, version)
    except services.EntryError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The version is published."))
    return redirect("transfer:entry_edit", version.entry_id)


@login_required
@require_POST
def version_return(request, pk):
    version = _version_in_review(request, pk)
    form = ReturnForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say what the author should change."))
    else:
        services.return_version(request.user, version, form.cleaned_data["note"])
        messages.success(request, _("The version went back to its author as a draft."))
    return redirect("transfer:entry_edit", version.entry_id)


@login_required
@require_POST
def entry_visibility(request, pk):
    entry = access.get_entry_for_editor(request.user, pk)
    policy.require(access.can_set_visibility(request.user, entry))
    visibility = request.POST.get("visibility")
    if visibility not in Visibility.values:
        messages.error(request, _("Choose who may see the entry."))
    else:
        try:
            services.set_visibility(request.user, entry, visibility)
        except services.EntryError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Visibility changed."))
    return redirect("transfer:entry_edit", entry.pk)


@login_required
@require_POST
def entry_unpublish(request, pk):
    entry = access.get_entry_for_editor(request.user, pk)
    policy.require(access.can_set_visibility(request.user, entry))
    services.unpublish_entry(request.user, entry)
    messages.success(request, _("The entry is no longer published."))
    return redirect("transfer:entry_edit", entry.pk)


@login_required
@require_http_methods(["GET", "POST"])
def entry_consent(request, pk):
    entry = access.get_entry_for_editor(request.user, pk)
    policy.require(access.can_manage_case_studies(request.user) and entry.is_case_study)
    initial = {
        "released": entry.released_fields if entry.has_consent else services.default_release(),
        "given_by": entry.consent_by,
        "note": entry.consent_note,
    }
    form = ConsentForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.record_consent(
            request.user,
            entry,
            released=data["released"],
            given_by=data["given_by"],
            note=data["note"],
        )
        messages.success(request, _("The company's consent is recorded."))
        return redirect("transfer:entry_edit", entry.pk)
    return render(
        request,
        "transfer/entry_consent.html",
        {"entry": entry, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def entry_consent_withdraw(request, pk):
    entry = access.get_entry_for_editor(request.user, pk)
    policy.require(access.can_manage_case_studies(request.user) and entry.is_case_study)
    services.record_consent(request.user, entry, released=[], given_by="", note=_("withdrawn"))
    messages.success(request, _("Consent withdrawn; the case study is no longer published."))
    return redirect("transfer:entry_edit", entry.pk)


@login_required
@require_POST
def attachment_add(request, pk):
    entry = access.get_entry_for_editor(request.user, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        services.add_attachment(
            request.user, entry, form.cleaned_data["file"], form.cleaned_data["title"]
        )
        if entry.is_published:
            messages.success(
                request,
                _(
                    "The file is attached to the next version: readers see it once someone "
                    "other than you approves that version."
                ),
            )
        else:
            messages.success(request, _("The file is attached."))
        return redirect("transfer:entry_edit", entry.pk)
    version = services.open_version(entry) or entry.published_version
    context = _editor_context(entry, request.user) | {
        "attachment_form": form,
        "form": EntryForm(
            kind=entry.kind,
            may_set_visibility=access.can_set_visibility(request.user, entry),
            initial=EntryForm.initial_for(entry, version),
        ),
    }
    return render(request, "transfer/entry_edit.html", context, status=400)


@login_required
@require_POST
def attachment_remove(request, pk, attachment_pk):
    entry = access.get_entry_for_editor(request.user, pk)
    attachment = get_object_or_404(EntryAttachment, pk=attachment_pk, entry=entry)
    services.remove_attachment(request.user, attachment)
    if entry.is_published and EntryAttachment.objects.filter(pk=attachment.pk).exists():
        messages.success(
            request,
            _(
                "The file is marked for removal: readers see it until someone other than "
                "you approves the next version."
            ),
        )
    else:
        messages.success(request, _("The file is removed."))
    return redirect("transfer:entry_edit", entry.pk)


@login_required
@require_POST
def attachment_keep(request, pk, attachment_pk):
    entry = access.get_entry_for_editor(request.user, pk)
    attachment = get_object_or_404(EntryAttachment, pk=attachment_pk, entry=entry)
    services.keep_attachment(request.user, attachment)
    messages.success(request, _("The file stays."))
    return redirect("transfer:entry_edit", entry.pk)


@login_required
@require_POST
def case_study_from_scenario(request):
    """Draft a case study from a scenario (staff), through the scenarios app's hook."""
    policy.require(access.can_manage_case_studies(request.user))
    try:
        entry = case_studies.draft_from_scenario(request.user, request.POST.get("scenario", ""))
    except case_studies.NoScenario as error:
        messages.error(request, str(error))
        return redirect("transfer:manage")
    messages.success(
        request,
        _(
            "A draft case study is ready. Confidential fields are not released; record the "
            "company's consent before it is published."
        ),
    )
    return redirect("transfer:entry_edit", entry.pk)
