from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "humaine.core"
    label = "core"
    verbose_name = _("Hub foundation")

    def ready(self) -> None:
        from django.contrib import admin

        from . import contributions, signals  # noqa: F401
        from .auth_views import AdminLoginForm, register_early_refusal

        contributions.register()
        register_early_refusal()
        admin.site.login_form = AdminLoginForm
