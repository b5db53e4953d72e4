from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContactConfig(AppConfig):
    name = "humaine.contact"
    label = "contact"
    verbose_name = _("Contact point")

    def ready(self) -> None:
        from . import contributions

        contributions.register()
