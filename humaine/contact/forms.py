"""Forms of the contact point; the API validates through the same forms."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from humaine.core.text import squash as _squash

from .models import Inquiry, Language, Sector, SizeBand

MAX_TEXT = 5000
MAX_SHORT = 300


class InquiryForm(forms.Form):
    """The public inquiry form. ``website`` is a honeypot that people never see."""

    organisation = forms.CharField(label=_("Organisation"), max_length=200)
    sector = forms.ModelChoiceField(
        label=_("Sector"), queryset=Sector.objects.all(), to_field_name="slug", empty_label=None
    )
    size_band = forms.ChoiceField(label=_("Size of the organisation"), choices=SizeBand.choices)
    contact_name = forms.CharField(label=_("Contact person"), max_length=200)
    email = forms.EmailField(label=_("Email"), max_length=254)
    phone = forms.CharField(label=_("Phone (optional)"), max_length=50, required=False)
    work_process = forms.CharField(
        label=_("Work process concerned"),
        max_length=MAX_SHORT,
        help_text=_("For example: claims handling, quality inspection, shift planning."),
    )
    problem = forms.CharField(
        label=_("Problem or goal"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What should get better, and for whom?"),
    )
    data_available = forms.CharField(
        label=_("What data exists?"),
        max_length=MAX_TEXT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    employees_affected = forms.IntegerField(
        label=_("How many employees are affected?"), min_value=0, max_value=10_000_000
    )
    works_council = forms.ChoiceField(
        label=_("Is there a works council?"),
        choices=Inquiry.WorksCouncil.choices,
        widget=forms.RadioSelect,
    )
    language = forms.ChoiceField(
        label=_("Preferred language"), choices=Language.choices, initial=Language.GERMAN
    )
    consent = forms.BooleanField(
        label=_("I agree that the hub processes my data to answer this inquiry."),
        error_messages={"required": _("Please agree to the processing of your data.")},
    )
    website = forms.CharField(label=_("Leave this field empty"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sector"].label_from_instance = lambda sector: sector.name
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["contact_name"].widget.attrs["autocomplete"] = "name"
        self.fields["organisation"].widget.attrs["autocomplete"] = "organization"
        self.fields["phone"].widget.attrs["autocomplete"] = "tel"
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})

    @property
    def is_spam(self) -> bool:
        """Filled honeypot: a bot. The caller pretends success and stores nothing."""
        return bool(self.data.get("website"))

    def clean_organisation(self):
        return _squash(self.cleaned_data["organisation"])

    def clean_contact_name(self):
        return _squash(self.cleaned_data["contact_name"])

    def clean_work_process(self):
        return _squash(self.cleaned_data["work_process"])


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=Inquiry.Status.choices)

    def __init__(self, *args, inquiry: Inquiry, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = Inquiry.TRANSITIONS[Inquiry.Status(inquiry.status)]
        self.fields["status"].choices = [
            (value, label) for value, label in Inquiry.Status.choices if value in allowed
        ]


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(
        label=_("Responsible transfer specialist"),
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label=_("nobody"),
    )

    def __init__(self, *args, **kwargs):
        from .selectors import staff_users

        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = staff_users()
        self.fields["assignee"].label_from_instance = lambda user: (
            user.get_full_name() or user.username
        )


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Internal note"), max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 3})
    )


class MessageForm(forms.Form):
    text = forms.CharField(
        label=_("Message"), max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 4})
    )


class QueueFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    sector = forms.ModelChoiceField(
        label=_("Sector"),
        queryset=Sector.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("all sectors"),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("all open")), ("all", _("all")), *Inquiry.Status.choices],
    )
    assignee = forms.ChoiceField(label=_("Assignee"), required=False)

    def __init__(self, *args, **kwargs):
        from .selectors import staff_users

        super().__init__(*args, **kwargs)
        self.fields["sector"].label_from_instance = lambda sector: sector.name
        self.fields["assignee"].choices = [
            ("", _("anyone")),
            ("me", _("me")),
            ("none", _("nobody")),
            *[(str(u.pk), u.get_full_name() or u.username) for u in staff_users()],
        ]


class PersonSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Name or email address"),
        max_length=200,
        required=False,
        error_messages={"max_length": _("Search for at most %(limit_value)d characters.")},
    )


class EraseForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I understand that this person's personal data will be erased for good.")
    )
