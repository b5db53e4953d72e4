from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Hub

MAX_LOGO_BYTES = 1024 * 1024


class HubForm(forms.ModelForm):
    class Meta:
        model = Hub
        fields = [f.name for f in Hub._meta.fields if f.name not in ("id", "updated_at")]
        widgets = {
            name: forms.Textarea(attrs={"rows": 8})
            for name in [
                "about_de",
                "about_en",
                "imprint_de",
                "imprint_en",
                "privacy_de",
                "privacy_en",
                "inquiry_privacy_de",
                "inquiry_privacy_en",
            ]
        }

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if logo and getattr(logo, "size", 0) > MAX_LOGO_BYTES:
            raise forms.ValidationError(_("The logo may be at most 1 MB."))
        return logo


class ApiTokenForm(forms.Form):
    name = forms.CharField(label=_("Name of the token"), max_length=100)
    valid_days = forms.TypedChoiceField(
        label=_("Valid for"),
        choices=[
            ("30", _("30 days")),
            ("90", _("90 days")),
            ("365", _("one year")),
            ("", _("until revoked")),
        ],
        initial="90",
        required=False,
        coerce=int,
        empty_value=None,
    )

    def expires_at(self):
        days = self.cleaned_data.get("valid_days")
        return timezone.now() + timedelta(days=days) if days else None
