"""Forms of the check. Answer forms are built from the catalogue's questions."""

import json

from django import forms
from django.utils.translation import gettext_lazy as _

from humaine.contact.models import Language
from humaine.core.i18n import active_language as _lang
from humaine.core.text import squash as _squash

from .catalogue import Question, default_catalogue
from .questionnaire import AnswerError, validate_answer
from .validation import MAX_PROFILE_BYTES, ProfileError, parse_profile

MAX_TEXT = 5000
NONE_OF_THESE = "__none__"


def role_choices():
    return [(r.id, r.title.get(_lang())) for r in default_catalogue().section("roles")]


class CheckForm(forms.Form):
    """Start a standalone check from the public site. ``website`` is a honeypot."""

    title = forms.CharField(
        label=_("Name of the AI solution or case"),
        max_length=200,
        help_text=_("For example: pre-sorting of claims, CV screening, visual inspection."),
    )
    description = forms.CharField(
        label=_("Short description of the case (optional)"),
        max_length=MAX_TEXT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    owner_role = forms.ChoiceField(
        label=_("I answer myself as"),
        required=False,
        help_text=_("Leave empty if you only want to invite others."),
    )
    email = forms.EmailField(
        label=_("Email for the private link (optional)"),
        max_length=254,
        required=False,
        help_text=_("We send the link once and do not keep the address."),
    )
    language = forms.ChoiceField(label=_("Language"), choices=Language.choices)
    website = forms.CharField(label=_("Leave this field empty"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_role"].choices = [("", _("(I do not answer myself)")), *role_choices()]
        self.fields["language"].initial = _lang()
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})

    @property
    def is_spam(self) -> bool:
        return bool(self.data.get("website"))

    def clean_title(self):
        return _squash(self.cleaned_data["title"])


class InquiryCheckForm(forms.Form):
    """Start a check on an inquiry."""

    title = forms.CharField(label=_("Name of the AI solution or case"), max_length=200)
    owner_role = forms.ChoiceField(label=_("I answer myself as"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_role"].choices = [("", _("(I do not answer myself)")), *role_choices()]

    def clean_title(self):
        return _squash(self.cleaned_data["title"])


class InviteForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"))
    label = forms.CharField(
        label=_("Label"),
        max_length=100,
        help_text=_(
            "How you recognise this respondent, without a name, e.g. 'works council' or "
            "'claims handler 1'."
        ),
    )
    email = forms.EmailField(
        label=_("Email the invitation to (optional)"),
        max_length=254,
        required=False,
        help_text=_("The address is used once for this email and not kept."),
    )
    language = forms.ChoiceField(label=_("Language of the invitation"), choices=Language.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = role_choices()
        self.fields["language"].initial = _lang()

    def clean_label(self):
        return _squash(self.cleaned_data["label"])


class ResendForm(forms.Form):
    """Email a respondent's invitation link again."""

    email = forms.EmailField(
        label=_("Email the invitation to"),
        max_length=254,
        help_text=_("The address is used once for this email and not kept."),
    )
    language = forms.ChoiceField(label=_("Language of the invitation"), choices=Language.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].initial = _lang()


class ProfileForm(forms.Form):
    """An explicit case profile as JSON (the schema of POST /api/v1/checks/classify)."""

    profile = forms.CharField(
        label=_("Case profile (JSON)"),
        max_length=MAX_PROFILE_BYTES,
        widget=forms.Textarea(attrs={"rows": 18, "spellcheck": "false"}),
        help_text=_(
            "The facts the classification rests on, as in the API's CaseProfile schema. "
            "Fields you leave out take their default."
        ),
    )

    def clean_profile(self):
        try:
            return parse_profile(self.cleaned_data["profile"])
        except ProfileError as exc:
            raise forms.ValidationError(exc.messages) from None

    @staticmethod
    def initial_text(profile) -> str:
        return json.dumps(profile.model_dump(mode="json"), indent=2, ensure_ascii=False)


class DocumentForm(forms.Form):
    text = forms.CharField(
        label=_("Text of the document"),
        max_length=50_000,
        widget=forms.Textarea(attrs={"rows": 24}),
        help_text=_("Headings start with #, list items with -; **bold** and _italic_ work."),
    )


# Answers ----------------------------------------------------------------------------------


def _question_field(question: Question, lang: str) -> forms.Field:
    label = question.text.get(lang)
    help_text = question.help.get(lang)
    if question.type == "multiple":
        choices = [(o.id, o.label.get(lang)) for o in question.options]
        choices.append((NONE_OF_THESE, _("none of these")))
        return forms.MultipleChoiceField(
            label=label,
            help_text=help_text,
            choices=choices,
            required=False,
            widget=forms.CheckboxSelectMultiple,
        )
    one = _one_of(question, lang)
    if one is not None:
        return forms.ChoiceField(
            label=label,
            help_text=help_text,
            choices=[*one, ("unknown", _("don't know"))],
            required=False,
            widget=forms.RadioSelect,
        )
    if question.type == "number":
        return forms.IntegerField(
            label=label, help_text=help_text, required=False, min_value=0, max_value=10_000_000
        )
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def _one_of(question: Question, lang: str) -> list[tuple[str, str]] | None:
    """The choices of a question answered with one of them (yes/no, single, scale), before
    "don't know"; None for the other kinds."""
    if question.type == "yes_no":
        return [("yes", _("yes")), ("no", _("no"))]
    if question.type == "single":
        return [(o.id, o.label.get(lang)) for o in question.options]
    if question.type == "scale":
        low = question.anchors.low.get(lang) if question.anchors else ""
        high = question.anchors.high.get(lang) if question.anchors else ""
        ends = {1: low, 5: high}
        return [(str(i), f"{i} – {ends[i]}" if ends.get(i) else str(i)) for i in range(1, 6)]
    return None


def _option_groups(question: Question, sector: str | None, lang: str) -> list[dict]:
    """The groups the options of "What does the AI do?" are shown in, those typical of the
    case's ``sector`` first; empty for every other question."""
    if question.options_from != "functions":
        return []
    cat = default_catalogue()
    # The catalogue's order (``order``) and each group's sectors let the page reorder the
    # groups at once when the sector is changed on it (check/options.js).
    order = {group.id: i for i, group in enumerate(cat.function_groups(None))}
    return [
        {
            "id": group.id,
            "title": group.title.get(lang),
            "options": group.functions,
            "typical": sector in group.sectors,
            "sectors": list(group.sectors),
            "order": order[group.id],
        }
        for group in cat.function_groups(sector)
    ]


class AnswerForm(forms.Form):
    """The answers to a list of questions. After ``is_valid()``: ``answers`` (question id
    -> answer in normal form) and ``cleared`` (questions left empty)."""

    def __init__(
        self,
        questions: list[Question],
        *args,
        answers: dict | None = None,
        sector: str | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.questions = {q.id: q for q in questions}
        lang = _lang()
        answers = answers or {}
        for question in questions:
            field = _question_field(question, lang)
            field.question = question
            field.groups = _option_groups(question, sector, lang)
            self.fields[question.id] = field
            if question.id in answers:
                self.initial[question.id] = self._initial(question, answers[question.id])
        self.answers: dict = {}
        self.cleared: list[str] = []

    @staticmethod
    def _initial(question: Question, value):
        if question.type == "multiple":
            return list(value) if value else [NONE_OF_THESE]
        if question.type == "scale":
            return str(value)
        return value

    def clean(self):
        cleaned = super().clean()
        lang = _lang()
        for qid, question in self.questions.items():
            if qid not in cleaned:
                continue  # the field has its own error already
            value = cleaned[qid]
            if value in (None, "", []):
                self.cleared.append(qid)
                continue
            if question.type == "multiple":
                value = [] if NONE_OF_THESE in value else value
            try:
                self.answers[qid] = validate_answer(question, value)
            except AnswerError as exc:
                self.add_error(qid, exc.message.get(lang))
        return cleaned


class _CatalogueFilterForm(forms.Form):
    """Filters shared by the question and the recommendation lists: phase and criterion."""

    phase = forms.ChoiceField(label=_("Phase"), required=False)
    criterion = forms.ChoiceField(label=_("Criterion"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        lang = _lang()
        cat = default_catalogue()
        every = [("", _("all"))]
        self.fields["phase"].choices = every + [
            (p.id, p.title.get(lang)) for p in cat.section("phases")
        ]
        self.fields["criterion"].choices = every + [
            (c.id, c.title.get(lang)) for c in cat.section("criteria")
        ]

    def _filter(self, items, haystack) -> list:
        """The items of the chosen phase and criterion whose ``haystack(item)`` has the text."""
        data = self.cleaned_data if self.is_valid() else {}
        text = (data.get("q") or "").strip().lower()
        return [
            item
            for item in items
            if all(
                not data.get(name) or getattr(item, name) == data[name]
                for name in ("phase", "criterion", "priority")
                if name in self.fields
            )
            and (not text or text in haystack(item).lower())
        ]


class QuestionFilterForm(_CatalogueFilterForm):
    """Free browsing: filter the questions."""

    q = forms.CharField(label=_("Text contains"), required=False, max_length=100)
    scope = forms.ChoiceField(
        label=_("Questions"),
        required=False,
        choices=[("mine", _("for my role")), ("all", _("for all roles"))],
    )

    def __init__(self, *args, with_scope: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_scope:
            del self.fields["scope"]

    def filtered(self, questions: list[Question]) -> list[Question]:
        lang = _lang()
        return self._filter(questions, lambda q: f"{q.id} {q.text.get(lang)} {q.help.get(lang)}")


class RecommendationFilterForm(_CatalogueFilterForm):
    priority = forms.ChoiceField(
        label=_("Priority"),
        required=False,
        choices=[
            ("", _("all")),
            ("must", _("must")),
            ("should", _("should")),
            ("could", _("could")),
        ],
    )
    q = forms.CharField(label=_("Text contains"), required=False, max_length=100)

    def filtered(self, recommendations):
        lang = _lang()
        return self._filter(
            recommendations,
            lambda rec: " ".join(
                [rec.id, rec.title.get(lang), rec.text.get(lang), rec.method.get(lang)]
                + [s.shown(lang)[0] for s in rec.sources]
                + [s.citation for s in rec.sources]
            ),
        )
