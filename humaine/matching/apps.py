from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingAppConfig(AppConfig):
    name = "humaine.matching"
    label = "matching"
    verbose_name = _("Matching")
    default = True

    def ready(self) -> None:
        from . import contributions, signals  # noqa: F401

        contributions.register()
