"""Forms of the scenarios app: validation only; services do the work."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.utils.translation import gettext_lazy as _

from humaine.contact.models import Language, Organisation, Sector

from .instruments import AnswerError, clean_answers, clean_texts
from .library import current_library
from .literacy import topics
from .models import GatePosition, LiteracyEvidence, Target, Wave
from .process_model import default_process_model
from .selectors import lang

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def role_choices(include_employee: bool = True):
    return [
        (role.id, role.title.get(lang()))
        for role in default_process_model().roles
        if include_employee or role.id != "employee"
    ]


def phase_choices(blank: bool = True):
    choices = [(p.id, p.title.get(lang())) for p in default_process_model().phases]
    return ([("", "—")] if blank else []) + choices


class ScenarioForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    goal = forms.CharField(label=_("Goal"), widget=forms.Textarea(attrs={"rows": 3}))
    work_process = forms.CharField(label=_("Work process concerned"), max_length=300)
    people = forms.CharField(
        label=_("The people who work in it"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Who does this work today, in which teams, how many."),
    )


class NewScenarioForm(ScenarioForm):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.exclude(kind=Organisation.Kind.HUB),
    )
    sector = forms.ModelChoiceField(label=_("Sector"), queryset=Sector.objects.all())


class InviteForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"))
    name = forms.CharField(label=_("Name"), max_length=200)
    email = forms.EmailField(
        label=_("Email"),
        required=False,
        help_text=_("The one-time link is sent there; without an address it is shown once."),
    )
    language = forms.ChoiceField(label=_("Language"), choices=Language.choices)
    group = forms.ModelChoiceField(
        label=_("Stakeholder group (affected employees)"), queryset=None, required=False
    )

    def __init__(self, *args, scenario, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = role_choices()
        self.fields["group"].queryset = scenario.groups.all()

    def clean(self):
        data = super().clean()
        if data.get("role") == "employee" and not data.get("group"):
            self.add_error("group", _("An affected employee belongs to a stakeholder group."))
        return data


class AccountChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user) -> str:
        return user.get_full_name() or user.get_username()


class AddMemberForm(forms.Form):
    """Add someone who has an account already (no invitation link needed)."""

    account = AccountChoiceField(label=_("Person with an account"), queryset=None)
    role = forms.ChoiceField(label=_("Role"))
    group = forms.ModelChoiceField(
        label=_("Stakeholder group (affected employees)"), queryset=None, required=False
    )

    def __init__(self, *args, scenario, candidates, **kwargs):
        super().__init__(*args, prefix="add", **kwargs)
        self.fields["account"].queryset = candidates
        self.fields["role"].choices = role_choices()
        self.fields["group"].queryset = scenario.groups.all()

    def clean(self):
        data = super().clean()
        if data.get("role") == "employee" and not data.get("group"):
            self.add_error("group", _("An affected employee belongs to a stakeholder group."))
        return data


class JoinForm(forms.Form):
    username = forms.CharField(label=_("User name"), max_length=150)
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput)

    def clean_password(self):
        password = self.cleaned_data["password"]
        validate_password(password)
        return password


class PositionForm(forms.Form):
    role = forms.ChoiceField(label=_("As"))
    position = forms.ChoiceField(
        label=_("Position"), choices=GatePosition.Position.choices, widget=forms.RadioSelect
    )
    statement = forms.CharField(
        label=_("Statement"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, roles, **kwargs):
        super().__init__(*args, **kwargs)
        model = default_process_model()
        self.fields["role"].choices = [(r, model.role(r).title.get(lang())) for r in roles]


class GroupForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    headcount = forms.IntegerField(label=_("Headcount"), min_value=1, max_value=100_000)


class MilestoneForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    due_on = forms.DateField(label=_("Due on"), widget=DATE)
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=None, required=False)
    phase = forms.ChoiceField(label=_("Phase"), required=False)
    done_on = forms.DateField(label=_("Done on"), required=False, widget=DATE)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, scenario, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = scenario.members.filter(active=True).exclude(
            role="employee"
        )
        self.fields["phase"].choices = phase_choices()


class DecisionForm(forms.Form):
    title = forms.CharField(label=_("What was decided"), max_length=300)
    decided_by = forms.CharField(label=_("Decided by"), max_length=300)
    decided_on = forms.DateField(label=_("Decided on"), widget=DATE)
    alternatives = forms.CharField(
        label=_("Alternatives considered"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    reasons = forms.CharField(label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 3}))
    phase = forms.ChoiceField(label=_("Phase"), required=False)
    evidence = forms.ModelMultipleChoiceField(
        label=_("Evidence (files)"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, scenario, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evidence"].queryset = scenario.files.filter(retired_at__isnull=True)
        self.fields["phase"].choices = phase_choices()


def upload_help() -> str:
    return _("At most %(mb)s MB; types: %(types)s.") % {
        "mb": round(settings.SCENARIO_MAX_FILE_BYTES / 1_048_576, 1),
        "types": ", ".join(settings.SCENARIO_FILE_TYPES),
    }


class FileForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    upload = forms.FileField(label=_("File"))
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    phase = forms.ChoiceField(label=_("Phase"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phase"].choices = phase_choices()
        self.fields["upload"].help_text = upload_help()


class RetireFileForm(forms.Form):
    """Retire a file, or one version of it (``version``)."""

    version = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Why (kept in the audit trail)"), max_length=300, required=False
    )


class VersionForm(forms.Form):
    upload = forms.FileField(label=_("New version"))
    note = forms.CharField(label=_("What changed"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["upload"].help_text = upload_help()


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Comment"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )


class SurveyForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    scales = forms.MultipleChoiceField(label=_("Scales"), widget=forms.CheckboxSelectMultiple)
    open_questions = forms.MultipleChoiceField(
        label=_("Open questions"), required=False, widget=forms.CheckboxSelectMultiple
    )
    groups = forms.ModelMultipleChoiceField(
        label=_("Stakeholder groups"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    ask_code = forms.BooleanField(
        label=_("Ask for a self-generated code (pairs answers across waves anonymously)"),
        required=False,
        initial=True,
    )

    def __init__(self, *args, scenario, **kwargs):
        super().__init__(*args, **kwargs)
        library = current_library()
        self.fields["scales"].choices = [(s.id, s.title.get(lang())) for s in library.scales]
        self.fields["open_questions"].choices = [
            (q.id, q.text.get(lang())) for q in library.open_questions
        ]
        self.fields["groups"].queryset = scenario.groups.all()


class WaveForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Wave.Kind.choices)
    label = forms.CharField(label=_("Label"), max_length=100)
    opens_on = forms.DateField(label=_("Opens on"), widget=DATE)
    closes_on = forms.DateField(label=_("Closes on"), widget=DATE)
    remind_after_days = forms.IntegerField(
        label=_("Remind after (days)"), min_value=1, max_value=60, initial=7
    )


class LinksForm(forms.Form):
    wave = forms.ModelChoiceField(label=_("Wave"), queryset=None)
    group = forms.ModelChoiceField(label=_("Group"), queryset=None)
    emails = forms.CharField(
        label=_("Email addresses (one per line)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    count = forms.IntegerField(
        label=_("Links without an address (to hand out)"),
        min_value=0,
        max_value=2000,
        initial=0,
        required=False,
    )
    language = forms.ChoiceField(label=_("Language"), choices=Language.choices)

    def __init__(self, *args, survey, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["wave"].queryset = survey.waves.filter(closed_at__isnull=True)
        self.fields["group"].queryset = survey.groups.all()

    def clean_emails(self):
        emails = [line.strip() for line in self.cleaned_data["emails"].splitlines()]
        emails = [e for e in emails if e]
        validator = forms.EmailField()
        for email in emails:
            validator.clean(email)
        return emails


class TargetForm(forms.Form):
    scale = forms.ChoiceField(label=_("Scale"))
    group = forms.ModelChoiceField(label=_("Group (empty: all)"), queryset=None, required=False)
    kind = forms.ChoiceField(label=_("Target"), choices=Target.Kind.choices)
    value = forms.FloatField(label=_("Value"), required=False)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, scenario, **kwargs):
        super().__init__(*args, **kwargs)
        library = current_library()
        self.fields["scale"].choices = [(s.id, s.title.get(lang())) for s in library.scales]
        self.fields["group"].queryset = scenario.groups.all()


class LiteracyPlanForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"))
    topic = forms.ChoiceField(label=_("Topic"))
    due_on = forms.DateField(label=_("By"), widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = role_choices(include_employee=False)
        self.fields["topic"].choices = [(t.id, t.title.get(lang())) for t in topics().values()]


class EvidenceForm(forms.Form):
    member = forms.ModelChoiceField(label=_("Person"), queryset=None)
    kind = forms.ChoiceField(label=_("Evidence"), choices=LiteracyEvidence.Kind.choices)
    completed_on = forms.DateField(label=_("Completed on"), widget=DATE)
    score = forms.IntegerField(
        label=_("Self-check score (%)"), min_value=0, max_value=100, required=False
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)
    certificate = forms.FileField(label=_("Certificate"), required=False)

    def __init__(self, *args, requirement, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = requirement.scenario.members.filter(
            active=True, role=requirement.role
        )
        self.fields["certificate"].help_text = upload_help()

    def clean(self):
        data = super().clean()
        if data.get("kind") == LiteracyEvidence.Kind.CERTIFICATE and not data.get("certificate"):
            self.add_error("certificate", _("Upload the certificate."))
        if data.get("kind") == LiteracyEvidence.Kind.SELF_CHECK and data.get("score") is None:
            self.add_error("score", _("Give the self-check's score."))
        return data


class InstrumentItemForm(forms.Form):
    item_id = forms.RegexField(
        label=_("Item id"),
        regex=r"^[A-Z][A-Z0-9-]{1,38}$",
        max_length=40,
        help_text=_("Capital letters, digits and hyphens, e.g. TRU-9."),
    )
    scale = forms.ChoiceField(label=_("Scale"))
    text_de = forms.CharField(label=_("Text (German)"), max_length=500)
    text_en = forms.CharField(label=_("Text (English)"), max_length=500)
    reverse = forms.BooleanField(label=_("Reverse-keyed"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        library = current_library()
        self.fields["scale"].choices = [(s.id, s.title.get(lang())) for s in library.scales]


class InstrumentItemEditForm(forms.Form):
    """Change an item staff added: wording, source (and so licence), scale and keying."""

    scale = forms.ChoiceField(label=_("Scale"))
    source = forms.ChoiceField(label=_("Source and licence"))
    text_de = forms.CharField(label=_("Text (German)"), max_length=500)
    text_en = forms.CharField(label=_("Text (English)"), max_length=500)
    reverse = forms.BooleanField(label=_("Reverse-keyed"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        library = current_library()
        self.fields["scale"].choices = [(s.id, s.title.get(lang())) for s in library.scales]
        self.fields["source"].choices = [
            (s.id, f"{s.citation} – {s.licence}"[:200]) for s in library.sources
        ]


class InstrumentFileForm(forms.Form):
    upload = forms.FileField(label=_("Instrument file (YAML)"))


# ------------------------------------------------------------------------------ answering


class AnswerForm(forms.Form):
    """The survey itself: every item of the survey's scales, its open questions, the code.

    Items may be skipped (a scale counts only for complete answers); every answer given
    must be one of its scale's values.
    """

    def __init__(self, *args, survey, **kwargs):
        super().__init__(*args, **kwargs)
        self.survey = survey
        library = current_library()
        language = lang()
        self.sections = []
        for scale_id, item_ids in survey.items.items():
            if not library.has_scale(scale_id):
                continue
            scale = library.scale(scale_id)
            response = library.response_of(scale_id)
            names = []
            for item_id in item_ids:
                if not library.has_item(item_id):
                    continue
                item = library.item(item_id)
                name = f"item_{item_id}"
                names.append(name)
                self.fields[name] = self._item_field(item, response, language)
            self.sections.append({"scale": scale, "names": names, "language": language})
        self.open_names = []
        for question_id in survey.open_questions:
            if library.has_open_question(question_id):
                question = library.open_question(question_id)
                name = f"text_{question_id}"
                self.open_names.append(name)
                self.fields[name] = forms.CharField(
                    label=question.text.get(language),
                    required=False,
                    max_length=2000,
                    widget=forms.Textarea(attrs={"rows": 3}),
                )
        self.code_names = []
        if survey.ask_code:
            for question in library.code_questions:
                name = f"code_{question.id}"
                self.code_names.append(name)
                self.fields[name] = forms.CharField(
                    label=question.text.get(language),
                    required=False,
                    max_length=question.length + 20,
                    widget=forms.TextInput(attrs={"autocomplete": "off", "size": 6}),
                )

    @staticmethod
    def _item_field(item, response, language):
        if response.labels:
            choices = [(str(v), response.label(v, language)) for v in response.values()]
            return forms.ChoiceField(
                label=item.text.get(language),
                choices=choices,
                required=False,
                widget=forms.RadioSelect,
            )
        low = item.anchors.low.get(language) if item.anchors else ""
        high = item.anchors.high.get(language) if item.anchors else ""
        choices = [("", "—")]
        for v in response.values():
            text = str(v)
            if v == response.min and low:
                text = f"{v} ({low})"
            elif v == response.max and high:
                text = f"{v} ({high})"
            choices.append((str(v), text))
        return forms.ChoiceField(label=item.text.get(language), choices=choices, required=False)

    def clean(self):
        data = super().clean()
        library = current_library()
        raw = {name[5:]: data.get(name) for name in self.fields if name.startswith("item_")}
        texts = {name[5:]: data.get(name) for name in self.open_names}
        try:
            self.answers = clean_answers(library, self.survey.item_ids, raw)
            self.texts = clean_texts(self.survey.open_questions, texts)
        except AnswerError as error:
            field = f"item_{error.item_id}" if f"item_{error.item_id}" in self.fields else None
            self.add_error(field, error.text(lang()))
        self.code_answers = {name[5:]: data.get(name, "") for name in self.code_names}
        return data
