from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ToyConfig(AppConfig):
    name = "humaine.tests.toy"
    label = "toy"
    verbose_name = _("Remarks")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import contributions

        contributions.register()
