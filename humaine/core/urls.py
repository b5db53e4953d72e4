from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("hub/logo", views.hub_logo, name="hub_logo"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("staff/jobs/", views.job_list, name="jobs"),
    path("staff/jobs/<uuid:pk>/rerun/", views.job_rerun, name="job_rerun"),
    path("staff/hub/", views.hub_settings, name="hub_settings"),
    path("jobs/progress/<int:pk>/", views.progress, name="progress"),
    path("account/tokens/", views.api_tokens, name="api_tokens"),
    path("account/tokens/<int:pk>/revoke/", views.api_token_revoke, name="api_token_revoke"),
]
