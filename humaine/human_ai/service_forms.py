"""Forms of deployed teams: a service and its versions, tokens, absences, the worklist's
decision, an outcome, and the period of a records export."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ServiceThresholds


def _run_choices(runs):
    return [
        (
            str(r.pk),
            f"{r.dataset.title} · {_('run')} {r.number} ({r.result.get('method', r.method)})",
        )
        for r in runs
    ]


class ServiceForm(forms.Form):
    title = forms.CharField(label=_("Title of the service"), max_length=200)
    run = forms.ChoiceField(label=_("Run to deploy"))

    def __init__(self, *args, runs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["run"].choices = _run_choices(runs)


class DeployForm(forms.Form):
    run = forms.ChoiceField(label=_("Run to deploy"))

    def __init__(self, *args, runs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["run"].choices = _run_choices(runs)


class SuggestionForm(forms.Form):
    show_suggestion = forms.BooleanField(
        label=_("Show the AI's suggestion before the person decides"),
        required=False,
        help_text=_(
            "Showing it invites people to follow the AI without checking (automation bias); "
            "by default a person sees it only after recording their decision."
        ),
    )


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the token"),
        max_length=100,
        help_text=_("E.g. the system that posts the cases."),
    )


class AbsenceForm(forms.Form):
    pseudonym = forms.ChoiceField(label=_("Person (pseudonym)"))
    starts = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    ends = forms.DateField(
        label=_("Until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Without dates the person is away until the absence is removed."),
    )

    def __init__(self, *args, persons, labels=None, **kwargs):
        super().__init__(*args, **kwargs)
        labels = labels or {}
        self.fields["pseudonym"].choices = [(p, labels.get(p, p)) for p in persons]

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts"), data.get("ends")
        if starts and ends and ends < starts:
            self.add_error("ends", _("The absence cannot end before it starts."))
        return data


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Your decision"))

    def __init__(self, *args, classes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].choices = [(c, c) for c in classes]


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label=_("True outcome"))

    def __init__(self, *args, classes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outcome"].choices = [(c, c) for c in classes]


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("Until"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("The period cannot end before it starts."))
        return data


class LimitsForm(forms.ModelForm):
    """The limits of a service's figures; an empty field is no limit."""

    SHARES = ("min_agreement", "max_human_share", "max_person_share", "min_ai_accuracy")

    class Meta:
        model = ServiceThresholds
        fields = [
            "min_cases",
            "min_agreement",
            "max_drift",
            "max_human_share",
            "max_person_share",
            "min_ai_accuracy",
            "max_fairness_gap",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.Meta.fields[1:]:
            field = self.fields[name]
            field.widget.attrs.update({"step": "0.01", "min": "0"})
            if name in self.SHARES or name == "max_fairness_gap":
                field.widget.attrs["max"] = "1"
            if not field.help_text:
                field.help_text = _("A share between 0 and 1; empty: no limit.")

    def clean(self):
        data = super().clean()
        for name in self.Meta.fields[1:]:
            value = data.get(name)
            if value is None:
                continue
            if value < 0:
                self.add_error(name, _("Give a value of 0 or more."))
            elif value > 1 and name != "max_drift":
                self.add_error(name, _("Give a share between 0 and 1."))
        return data
