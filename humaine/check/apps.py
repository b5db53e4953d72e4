from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CheckConfig(AppConfig):
    name = "humaine.check"
    label = "check"
    verbose_name = _("Human-centred AI check")
    default = True

    @property
    def catalogue(self):
        """The catalogue the check runs on (``catalogue.default_catalogue()``, loaded once)."""
        from .catalogue import default_catalogue

        return default_catalogue()

    def ready(self) -> None:
        from django.conf import settings
        from django.core.exceptions import ImproperlyConfigured

        from . import contributions
        from .catalogue import default_catalogue
        from .views.owner import register_early_refusal

        contributions.register()
        register_early_refusal()

        date_set = getattr(settings, "HUMAINE_AI_ACT_DATES", None)
        if date_set and date_set not in default_catalogue().ids("date_sets"):
            raise ImproperlyConfigured(
                f"HUMAINE_AI_ACT_DATES={date_set!r} is not a date set of the check's "
                f"catalogue; choose one of {default_catalogue().ids('date_sets')}"
            )
