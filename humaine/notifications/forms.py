from django import forms
from django.utils.translation import gettext_lazy as _

from .kinds import for_user
from .models import Preferences


class PreferencesForm(forms.Form):
    """One checkbox per kind of notification the user may receive: email me or not."""

    language = forms.ChoiceField(
        label=_("Language of the emails"),
        choices=Preferences._meta.get_field("language").choices,
    )

    def __init__(self, user, preferences: Preferences, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kinds = for_user(user)
        self.fields["language"].initial = preferences.language
        for kind in self.kinds:
            self.fields[self.field_name(kind)] = forms.BooleanField(
                label=kind.label,
                help_text=kind.help,
                required=False,
                initial=preferences.wants(kind),
            )

    @staticmethod
    def field_name(kind) -> str:
        return "email_" + kind.name.replace(".", "__")

    def email_fields(self) -> list:
        return [self[self.field_name(kind)] for kind in self.kinds]

    def emails(self) -> dict[str, bool]:
        return {kind.name: self.cleaned_data[self.field_name(kind)] for kind in self.kinds}
