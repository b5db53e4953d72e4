from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HumanAIConfig(AppConfig):
    name = "humaine.human_ai"
    label = "human_ai"
    verbose_name = _("Human-AI teams")

    def ready(self) -> None:
        from . import contributions

        contributions.register()
