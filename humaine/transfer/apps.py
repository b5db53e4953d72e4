from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TransferConfig(AppConfig):
    name = "humaine.transfer"
    label = "transfer"
    verbose_name = _("Transfer and network")
    default = True

    def ready(self) -> None:
        from . import contributions

        contributions.register()
