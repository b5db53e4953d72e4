import re
from collections import Counter

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from humaine.contact.models import Discipline, Expert, Sector

from .importer import MAX_BYTES, MAX_CAPACITY

MAX_TEXT = 5000
_LANGUAGE = re.compile(r"^[a-z]{2}$")


class ExpertProfileForm(forms.Form):
    disciplines = forms.MultipleChoiceField(
        label=gettext_lazy("Disciplines"),
        choices=Discipline.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    topics = forms.CharField(
        label=gettext_lazy("Topics"),
        max_length=MAX_TEXT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy(
            "What you work on, in German or English, a sentence per topic. "
            "Matching compares inquiries with these sentences."
        ),
    )
    methods = forms.CharField(
        label=gettext_lazy("Methods"),
        max_length=MAX_TEXT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy(
            "The methods you bring, e.g. interviews, task analysis, deep learning."
        ),
    )
    sectors = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Sectors of experience"),
        queryset=Sector.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    languages = forms.CharField(
        label=gettext_lazy("Languages"),
        max_length=100,
        required=False,
        help_text=gettext_lazy("Two-letter codes separated by commas, e.g. de, en"),
    )
    capacity_hours = forms.IntegerField(
        label=gettext_lazy("Capacity (hours per month)"),
        validators=[MinValueValidator(0), MaxValueValidator(MAX_CAPACITY)],
        help_text=gettext_lazy("How many hours a month you can give to the hub's projects."),
    )

    @classmethod
    def for_expert(cls, expert: Expert, data=None) -> "ExpertProfileForm":
        initial = {
            "disciplines": expert.disciplines,
            "topics": expert.topics,
            "methods": expert.methods,
            "sectors": list(expert.sectors.all()),
            "languages": ", ".join(expert.languages),
            "capacity_hours": expert.capacity_hours,
        }
        return cls(data=data, initial=initial)

    def clean_languages(self) -> list[str]:
        codes = [c.strip().lower() for c in re.split(r"[,;\s]+", self.cleaned_data["languages"])]
        codes = [c for c in codes if c]
        wrong = [c for c in codes if not _LANGUAGE.match(c)]
        if wrong:
            raise forms.ValidationError(
                _("“%(value)s” is not a two-letter language code such as de or en.")
                % {"value": ", ".join(wrong)}
            )
        return list(dict.fromkeys(codes))


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File (CSV or YAML)"),
        help_text=gettext_lazy("One expert per row, matched by email; the columns are below."),
    )
    dry_run = forms.BooleanField(
        label=gettext_lazy("Dry run: only show what would change"), required=False, initial=True
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        if not upload.name.lower().endswith((".csv", ".yaml", ".yml")):
            raise forms.ValidationError(_("Upload a .csv, .yaml or .yml file."))
        return upload


class TeamForm(forms.Form):
    """One choice per slot of the proposed team: its member or one of the alternatives."""

    def __init__(self, team, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.slots = team.slots if team else []
        for index, slot in enumerate(self.slots):
            options = [slot.member, *slot.alternatives]
            self.fields[f"slot_{index}"] = forms.TypedChoiceField(
                label=", ".join(slot.covers) or slot.member.expert.person.name,
                choices=[(str(c.expert.pk), c.expert.person.name) for c in options],
                coerce=int,
                initial=str(slot.member.expert.pk),
                widget=forms.RadioSelect,
            )

    def clean(self):
        data = super().clean()
        chosen = [data[name] for name in self.fields if name in data]
        twice = [pk for pk, n in Counter(chosen).items() if n > 1]
        if twice:
            names = {
                c.expert.pk: c.expert.person.name
                for slot in self.slots
                for c in [slot.member, *slot.alternatives]
            }
            raise forms.ValidationError(
                ngettext(
                    "%(names)s is chosen for more than one place; an expert can take only one "
                    "place in the team. Choose someone else for one of the places.",
                    "%(names)s are each chosen for more than one place; an expert can take "
                    "only one place in the team. Choose someone else for one of the places.",
                    len(twice),
                )
                % {"names": ", ".join(names[pk] for pk in twice)},
                code="chosen_twice",
            )
        return data

    def refusal(self) -> str:
        """Why a submitted choice cannot be accepted, for the user (after ``is_valid()``)."""
        if any(name in self.errors for name in self.fields):
            # a choice the proposal no longer offers: it changed since the page was shown
            return _("The proposal has changed in the meantime; please review it and choose again.")
        return " ".join(self.non_field_errors())

    def rows(self) -> list[dict]:
        """Per slot: its field name and its options with whether each is chosen."""
        rows = []
        for index, slot in enumerate(self.slots):
            name = f"slot_{index}"
            chosen = str(self[name].value())
            options = [
                {
                    "candidate": candidate,
                    "id": f"id_{name}_{position}",
                    "checked": str(candidate.expert.pk) == chosen,
                    "is_member": position == 0,
                }
                for position, candidate in enumerate([slot.member, *slot.alternatives])
            ]
            rows.append({"slot": slot, "name": name, "options": options})
        return rows

    def members(self) -> list[int]:
        return [self.cleaned_data[name] for name in self.fields]

    def slot_kinds(self) -> dict[int, str]:
        """Per chosen expert: the kind of place (core or consultation) they take."""
        return {self.cleaned_data[f"slot_{i}"]: slot.kind for i, slot in enumerate(self.slots)}

    def roles(self) -> dict[int, str]:
        return {
            self.cleaned_data[f"slot_{i}"]: ", ".join(slot.covers)
            for i, slot in enumerate(self.slots)
        }
