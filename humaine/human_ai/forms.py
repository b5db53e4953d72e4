"""Forms of the human-AI teams: upload, column mapping, a run, the works agreement."""

from django import forms
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .mapping import Mapping
from .services import METHODS

METHOD_LABELS = {
    "auto": _("automatic (the best on held-out cases)"),
    "ai_only": _("AI alone (persons only audit)"),
    "confidence_threshold": _("the AI's least confident cases to persons"),
    "compare_confidence": _("compare the AI's and the persons' confidence"),
    "combine": _("combine AI and person"),
    "learned_ce": _("learned deferral (cross-entropy)"),
    "learned_ova": _("learned deferral (one-vs-all)"),
}


class UploadForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    cases = forms.FileField(
        label=_("Cases (CSV, Parquet or Excel)"),
        help_text=_(
            "One row per case: its data, the true outcome, and possibly one column of "
            "decisions per person."
        ),
    )
    decisions = forms.FileField(
        label=_("Decisions as a second file (optional)"),
        required=False,
        help_text=_("One row per decision: case id, person, decision."),
    )


# what a column is for (Mapping.roles), in words
ROLE_LABELS = {
    "target": _("target"),
    "id": _("case id"),
    "features": _("feature"),
    "text_features": _("free text"),
    "humans": _("a person's decisions"),
    "groups": _("group"),
    "time": _("time"),
    "cost": _("cost"),
}


# what kind of values a column holds: the preview's words (Column.kind) and the engine's
# feature types (a run's inputs), in words
KIND_LABELS = {
    "number": pgettext_lazy("kind of values", "number"),
    "numeric": pgettext_lazy("kind of values", "number"),
    "category": pgettext_lazy("kind of values", "category"),
    "categorical": pgettext_lazy("kind of values", "category"),
    "text": pgettext_lazy("kind of values", "free text"),
    "date": pgettext_lazy("kind of values", "date"),
    "empty": pgettext_lazy("kind of values", "empty"),
}


def kind_label(kind: str) -> str:
    """A column's kind in the reader's language (an unknown kind as it is)."""
    return str(KIND_LABELS.get(kind, kind))


def _choices(names, empty=True):
    """A column per choice; its name is the file's, not to be translated."""
    out = [("", _("— none —"))] if empty else []
    return out + [(n, format_html('<span translate="no">{}</span>', n)) for n in names]


def _select(label, names, required=True):
    """One column to choose (the names are the file's: the browser must not translate them)."""
    return forms.ChoiceField(
        label=label,
        choices=[("", _("— none —")), *[(n, n) for n in names]],
        required=required,
        widget=forms.Select(attrs={"translate": "no"}),
    )


class MappingForm(forms.Form):
    """What each column means; the choices are the columns the preview found."""

    def __init__(self, *args, columns, decision_columns=None, initial_mapping=None, **kwargs):
        mapping = initial_mapping or Mapping()
        initial = {
            "target": mapping.target,
            "id": mapping.id or "",
            "features": mapping.features,
            "text_features": mapping.text_features,
            "humans": mapping.humans,
            "groups": mapping.groups,
            "time": mapping.time or "",
            "cost": mapping.cost or "",
            "min_person_cases": mapping.min_person_cases,
        }
        for role in ("case", "person", "decision"):
            initial[f"decisions_{role}"] = (mapping.decisions or {}).get(role, "")
        super().__init__(*args, initial=initial, **kwargs)
        many = {"widget": forms.CheckboxSelectMultiple, "required": False}
        self.fields["target"] = _select(_("Target (the true outcome)"), columns)
        self.fields["id"] = _select(_("Case id"), columns, required=False)
        self.fields["features"] = forms.MultipleChoiceField(
            label=_("Features (what the team may learn from)"),
            choices=_choices(columns, False),
            **many,
        )
        self.fields["text_features"] = forms.MultipleChoiceField(
            label=_("Free-text columns"), choices=_choices(columns, False), **many
        )
        self.fields["humans"] = forms.MultipleChoiceField(
            label=_("Decision columns (one per person)"), choices=_choices(columns, False), **many
        )
        self.fields["groups"] = forms.MultipleChoiceField(
            label=_("Group columns for fairness figures"), choices=_choices(columns, False), **many
        )
        self.fields["time"] = _select(_("Time"), columns, required=False)
        self.fields["cost"] = _select(_("Cost of a wrong decision"), columns, required=False)
        self.fields["min_person_cases"] = forms.IntegerField(
            label=_("Fewest decisions per person"), min_value=0, max_value=100000
        )
        self.decision_columns = decision_columns
        if decision_columns:
            labels = {
                "case": _("Decisions file: case id"),
                "person": _("Decisions file: person"),
                "decision": _("Decisions file: decision"),
            }
            for role, label in labels.items():
                self.fields[f"decisions_{role}"] = _select(label, decision_columns, required=False)

    def mapping(self, read_options=None) -> Mapping:
        data = self.cleaned_data
        decisions = None
        if self.decision_columns:
            chosen = {r: data.get(f"decisions_{r}") or "" for r in ("case", "person", "decision")}
            decisions = chosen if any(chosen.values()) else None
        return Mapping(
            target=data["target"],
            id=data["id"] or None,
            features=list(data["features"]),
            text_features=list(data["text_features"]),
            humans=list(data["humans"]),
            decisions=decisions,
            groups=list(data["groups"]),
            time=data["time"] or None,
            cost=data["cost"] or None,
            min_person_cases=data["min_person_cases"],
            read_options=dict(read_options or {}),
        )


class RunForm(forms.Form):
    method = forms.ChoiceField(
        label=_("Method"), choices=[(m, METHOD_LABELS[m]) for m in METHODS], initial="auto"
    )
    capacity = forms.FloatField(
        label=_("Capacity (share of cases people decide)"), min_value=0, max_value=1, initial=0.3
    )
    audit = forms.FloatField(
        label=_("Audit share (AI decisions checked by a person)"),
        min_value=0,
        max_value=0.5,
        initial=0.05,
    )
    person_capacity = forms.FloatField(
        label=_("Limit per person (share of cases, optional)"),
        min_value=0.01,
        max_value=1,
        required=False,
    )


class WorksAgreementForm(forms.Form):
    works_agreement = forms.CharField(
        label=_("Works agreement allowing per-person figures (reference)"),
        max_length=300,
        required=False,
        help_text=_("Leave empty when there is none: the company then sees aggregates only."),
    )


class PersonLinkForm(forms.Form):
    def __init__(self, *args, users, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"] = forms.ChoiceField(
            label=_("Account"),
            choices=[(u.pk, u.get_full_name() or u.get_username()) for u in users],
        )
        self.fields["identifier"] = forms.CharField(
            label=_("The person's identifier in the data (name or staff number)"), max_length=200
        )
