from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path
from django.views.generic import RedirectView
from django.views.static import serve

from humaine.api import api, api_not_found
from humaine.core.auth_views import LoginView, admin_login
from humaine.core.views import healthz, healthz_jobs

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("healthz/jobs", healthz_jobs, name="healthz_jobs"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/login/", admin_login, name="admin_login"),
    path("admin/", admin.site.urls),
    path("api/v1/", RedirectView.as_view(url="/api/v1/docs"), name="api_root"),
    path("api/v1/", api.urls),
    re_path(r"^api/", api_not_found),
]
urlpatterns += i18n_patterns(
    path("accounts/login/", LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("humaine.core.urls")),
    path("", include("humaine.notifications.urls")),
    path("", include("humaine.contact.urls")),
    path("", include("humaine.matching.urls")),
    path("", include("humaine.check.urls")),
    path("", include("humaine.scenarios.urls")),
    path("", include("humaine.human_ai.urls")),
    path("", include("humaine.transfer.urls")),
    prefix_default_language=False,
)
if settings.DEBUG:
    urlpatterns += [path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT})]
