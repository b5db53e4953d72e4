from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScenariosConfig(AppConfig):
    name = "humaine.scenarios"
    label = "scenarios"
    verbose_name = _("Application scenarios")

    def ready(self) -> None:
        from . import contributions
        from .instruments import default_library
        from .process_model import default_process_model

        # A broken data file stops the hub at start, with every problem listed.
        default_process_model()
        default_library()
        contributions.register()
        self._register_kinds()

    @staticmethod
    def _register_kinds() -> None:
        from .kinds import ItemKind, register
        from .models import Decision, Milestone, ScenarioFile

        register(
            ItemKind(
                key="milestone",
                model=Milestone,
                label=_("milestone"),
                label_plural=_("milestones"),
                detail_url="scenarios:milestone",
                section_template="scenarios/sections/_milestones.html",
                order=10,
            )
        )
        register(
            ItemKind(
                key="decision",
                model=Decision,
                label=_("decision"),
                label_plural=_("decisions"),
                detail_url="scenarios:decision",
                section_template="scenarios/sections/_decisions.html",
                order=20,
            )
        )
        register(
            ItemKind(
                key="file",
                model=ScenarioFile,
                label=_("file"),
                label_plural=_("files"),
                detail_url="scenarios:file",
                section_template="scenarios/sections/_files.html",
                order=30,
                queryset=lambda scenario: scenario.files.filter(
                    retired_at__isnull=True
                ).prefetch_related("versions"),
            )
        )
