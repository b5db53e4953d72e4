"""Forms of transfer: entries, review and consent, events and registration, network, period."""

from datetime import date, datetime, time, timedelta
from pathlib import Path

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from humaine.contact.models import Discipline, Organisation, Sector

from .models import (
    CASE_FIELDS,
    Entry,
    EntryVersion,
    Event,
    Kind,
    Maturity,
    NetworkMember,
    Visibility,
)

LANGUAGES = (("de", _("German")), ("en", _("English")))
ATTACHMENT_TYPES = {
    ".pdf", ".docx", ".odt", ".xlsx", ".ods", ".pptx", ".odp", ".txt", ".md", ".csv", ".zip",
}  # fmt: skip


def _recommendation_choices() -> list[tuple[str, str]]:
    try:
        from humaine.check.catalogue import default_catalogue
        from humaine.core.i18n import active_language

        lang = active_language()
        return [(rec.id, rec.title.get(lang)) for rec in default_catalogue().recommendations]
    except Exception:  # noqa: BLE001 - without the check's catalogue nothing can be linked
        return []


class EntryForm(forms.Form):
    """An entry's texts in both languages and its classification."""

    title_de = forms.CharField(label=_("Title (German)"), max_length=200, required=False)
    title_en = forms.CharField(label=_("Title (English)"), max_length=200, required=False)
    summary_de = forms.CharField(
        label=_("Summary (German)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    summary_en = forms.CharField(
        label=_("Summary (English)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    problem_de = forms.CharField(
        label=_("Problem addressed (German)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    problem_en = forms.CharField(
        label=_("Problem addressed (English)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    body_de = forms.CharField(
        label=_("Text (German, Markdown)"),
        max_length=100_000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 12}),
    )
    body_en = forms.CharField(
        label=_("Text (English, Markdown)"),
        max_length=100_000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 12}),
    )
    evidence_de = forms.CharField(
        label=_("Evidence (German, Markdown)"),
        max_length=10_000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Where and how the method was tried, evaluated, with what result."),
    )
    evidence_en = forms.CharField(
        label=_("Evidence (English, Markdown)"),
        max_length=10_000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    sources = forms.CharField(
        label=_("Sources (Markdown, one per line)"),
        max_length=10_000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    maturity = forms.TypedChoiceField(
        label=_("Maturity"), choices=Maturity.choices, coerce=int, initial=Maturity.FOUNDED
    )
    sectors = forms.ModelMultipleChoiceField(
        label=_("Sectors"),
        queryset=Sector.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        to_field_name="slug",
    )
    disciplines = forms.MultipleChoiceField(
        label=_("Disciplines"),
        choices=Discipline.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    recommendation_ids = forms.MultipleChoiceField(
        label=_("The check's recommendations this method serves"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    visibility = forms.ChoiceField(label=_("Visible to"), choices=Visibility.choices)

    def __init__(self, *args, kind: str, may_set_visibility: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.fields["recommendation_ids"].choices = _recommendation_choices()
        if not may_set_visibility:
            del self.fields["visibility"]
        if kind != Kind.METHOD:
            del self.fields["recommendation_ids"]
        if kind == Kind.CASE_STUDY:
            for name in ("problem_de", "problem_en", "body_de", "body_en"):
                del self.fields[name]
            for name, label in CASE_FIELDS.items():
                for lang, lang_label in LANGUAGES:
                    self.fields[f"case_{name}_{lang}"] = forms.CharField(
                        label=f"{label} ({lang_label})",
                        max_length=10_000,
                        required=False,
                        widget=forms.Textarea(attrs={"rows": 3}),
                    )

    @classmethod
    def initial_for(cls, entry: Entry, version) -> dict:
        initial = {
            "sectors": list(entry.sectors.values_list("slug", flat=True)),
            "disciplines": entry.discipline_codes,
            "recommendation_ids": entry.recommendation_ids,
            "visibility": entry.visibility,
        }
        if version is not None:
            for name in ("title", "summary", "problem", "body", "evidence"):
                for lang in ("de", "en"):
                    initial[f"{name}_{lang}"] = getattr(version, f"{name}_{lang}")
            initial["sources"] = version.sources
            initial["maturity"] = version.maturity
            for name, texts in (version.case_fields or {}).items():
                for lang in ("de", "en"):
                    initial[f"case_{name}_{lang}"] = (texts or {}).get(lang, "")
            if version.status in (EntryVersion.Status.DRAFT, EntryVersion.Status.IN_REVIEW):
                # changes of the classification waiting for this version's review
                initial |= version.classification or {}
        return initial

    def clean(self):
        data = super().clean()
        if not (data.get("title_de", "").strip() or data.get("title_en", "").strip()):
            raise forms.ValidationError(_("Give the entry a title in German or English."))
        return data

    def entry_data(self):
        from .services import EntryData

        data = self.cleaned_data
        texts = {name: data[name] for name in data if name.split("_")[0] in (
            "title", "summary", "problem", "body", "evidence")}  # fmt: skip
        texts["sources"] = data.get("sources", "")
        texts["maturity"] = data["maturity"]
        if self.kind == Kind.CASE_STUDY:
            texts["case_fields"] = {
                name: {lang: data.get(f"case_{name}_{lang}", "") for lang in ("de", "en")}
                for name in CASE_FIELDS
            }
        return EntryData(
            texts=texts,
            sectors=list(data["sectors"]),
            disciplines=data["disciplines"],
            recommendation_ids=data.get("recommendation_ids"),
            visibility=data.get("visibility"),
        )


class ReturnForm(forms.Form):
    note = forms.CharField(
        label=_("What should the author change?"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ConsentForm(forms.Form):
    released = forms.MultipleChoiceField(
        label=_("Fields the company released for publication"),
        choices=[(name, label) for name, label in CASE_FIELDS.items()],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The title and the summary are always published with the case study."),
    )
    given_by = forms.CharField(
        label=_("Consent given by (name and function at the company)"), max_length=200
    )
    note = forms.CharField(
        label=_("Note (how and when consent was given)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AttachmentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    file = forms.FileField(label=_("File"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.TRANSFER_MAX_UPLOAD_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file is %(size)s; files may be at most %(limit)s.")
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)}
            )
        if Path(upload.name).suffix.lower() not in ATTACHMENT_TYPES:
            raise forms.ValidationError(
                _("Files of this type cannot be attached. Allowed: %(types)s.")
                % {"types": ", ".join(sorted(ATTACHMENT_TYPES))}
            )
        return upload


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=300, required=False)
    kind = forms.MultipleChoiceField(choices=Kind.choices, required=False)
    sector = forms.MultipleChoiceField(required=False)
    discipline = forms.MultipleChoiceField(choices=Discipline.choices, required=False)
    maturity = forms.TypedMultipleChoiceField(choices=Maturity.choices, coerce=int, required=False)
    page = forms.IntegerField(min_value=1, max_value=10_000, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sector"].choices = [(s.slug, s.name) for s in Sector.objects.all()]

    def filters(self):
        from .search import Filters

        if not self.is_valid():
            return Filters()
        data = self.cleaned_data
        return Filters(
            query=data["q"],
            kinds=data["kind"],
            sectors=data["sector"],
            disciplines=data["discipline"],
            maturities=data["maturity"],
        )


# Events ------------------------------------------------------------------------------------


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def format_value(self, value):
        if isinstance(value, datetime):
            if timezone.is_aware(value):
                value = timezone.localtime(value)
            return value.strftime("%Y-%m-%dT%H:%M")
        return value


class EventForm(forms.ModelForm):
    class Meta:
        model = Event
        fields = [
            "kind", "title_de", "title_en", "description_de", "description_en", "starts_at",
            "ends_at", "venue", "accessibility_de", "accessibility_en", "capacity",
            "registration_closes_at", "published",
        ]  # fmt: skip
        widgets = {
            "starts_at": DateTimeInput(),
            "ends_at": DateTimeInput(),
            "registration_closes_at": DateTimeInput(),
            "description_de": forms.Textarea(attrs={"rows": 6}),
            "description_en": forms.Textarea(attrs={"rows": 6}),
            "accessibility_de": forms.Textarea(attrs={"rows": 2}),
            "accessibility_en": forms.Textarea(attrs={"rows": 2}),
        }

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends < starts:
            self.add_error("ends_at", _("The event cannot end before it starts."))
        closes = data.get("registration_closes_at")
        if starts and closes and closes > starts:
            self.add_error(
                "registration_closes_at", _("Registration must close before the event starts.")
            )
        if data.get("capacity") is not None and data["capacity"] < 1:
            self.add_error("capacity", _("An event needs at least one place."))
        return data


class RegistrationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    email = forms.EmailField(label=_("Email"), max_length=254)
    organisation_name = forms.CharField(label=_("Organisation"), max_length=200, required=False)
    accessibility_needs = forms.CharField(
        label=_("Accessibility needs"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "For example step-free access, a sign-language interpreter, induction loop, "
            "large print or dietary needs. We use this only to prepare the event."
        ),
    )
    privacy = forms.BooleanField(
        label=_(
            "I agree that the hub stores my registration to run the event; my personal data "
            "is erased after the event."
        )
    )
    # a field people leave empty and simple bots fill in
    website = forms.CharField(required=False, label=_("Leave this field empty"))

    @property
    def is_spam(self) -> bool:
        return bool(self.data.get("website"))


# The network -------------------------------------------------------------------------------


class MemberProfileForm(forms.ModelForm):
    class Meta:
        model = NetworkMember
        fields = [
            "description_de", "description_en", "offers_de", "offers_en", "seeks_de",
            "seeks_en", "contact_name", "contact_email", "listed",
        ]  # fmt: skip
        widgets = {
            name: forms.Textarea(attrs={"rows": 3})
            for name in ("description_de", "description_en", "offers_de", "offers_en",
                         "seeks_de", "seeks_en")
        }  # fmt: skip


class StaffMemberForm(MemberProfileForm):
    class Meta(MemberProfileForm.Meta):
        fields = ["kind", "member_since", *MemberProfileForm.Meta.fields]
        widgets = MemberProfileForm.Meta.widgets | {
            "member_since": forms.DateInput(attrs={"type": "date"})
        }


class NewMemberForm(StaffMemberForm):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.exclude(kind=Organisation.Kind.HUB).filter(
            network_member__isnull=True
        ),
    )

    class Meta(StaffMemberForm.Meta):
        fields = ["organisation", *StaffMemberForm.Meta.fields]


class DirectoryForm(forms.Form):
    q = forms.CharField(label=_("Offers, seeks or name"), max_length=200, required=False)
    kind = forms.ChoiceField(
        label=_("Member or partner"),
        required=False,
        choices=[("", _("all")), *NetworkMember.Kind.choices],
    )
    sector = forms.ChoiceField(label=_("Sector"), required=False)
    organisation_kind = forms.ChoiceField(
        label=_("Kind of organisation"),
        required=False,
        choices=[("", _("all")), *[c for c in Organisation.Kind.choices if c[0] != "hub"]],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sector"].choices = [("", _("all"))] + [
            (s.slug, s.name) for s in Sector.objects.all()
        ]


# Figures -----------------------------------------------------------------------------------


def quarter_of(day: date) -> tuple[date, date]:
    first_month = 3 * ((day.month - 1) // 3) + 1
    start = date(day.year, first_month, 1)
    end = date(day.year + (first_month == 10), (first_month + 2) % 12 + 1, 1) - timedelta(days=1)
    return start, end


class PeriodForm(forms.Form):
    """A period of whole days, both ends included; at most ten years."""

    start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To (including)"), widget=forms.DateInput(attrs={"type": "date"}))

    MAX_DAYS = 3660

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            raise forms.ValidationError(
                _(
                    "The period ends before it starts: choose a 'to' date on or after "
                    "the 'from' date."
                )
            )
        if start and end and (end - start).days > self.MAX_DAYS:
            raise forms.ValidationError(_("Choose a period of at most ten years."))
        return data

    def bounds(self) -> tuple[datetime, datetime]:
        """The period as aware datetimes, ``start <= t < end``."""
        tz = timezone.get_current_timezone()
        start = datetime.combine(self.cleaned_data["start"], time.min, tzinfo=tz)
        end = datetime.combine(self.cleaned_data["end"] + timedelta(days=1), time.min, tzinfo=tz)
        return start, end

    @classmethod
    def default_initial(cls, today: date | None = None) -> dict:
        today = today or timezone.localdate()
        return {"start": date(today.year, 1, 1), "end": today}
