from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "humaine.core"
    label = "core"
    verbose_name = _("Hub foundation")

    def ready(self) -> None:
        from . import contributions, signals  # noqa: F401

        contributions.register()
