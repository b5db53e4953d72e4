from django.urls import path

from . import views

app_name = "matching"

urlpatterns = [
    path("staff/matching/inquiries/<int:pk>/", views.panel, name="panel"),
    path("staff/matching/inquiries/<int:pk>/team/", views.accept_team, name="accept_team"),
    path(
        "staff/matching/inquiries/<int:pk>/conflicts/<int:expert_pk>/override/",
        views.override_conflict,
        name="override_conflict",
    ),
    path("staff/experts/import/", views.import_experts, name="import_experts"),
    path("staff/matching/index/", views.index, name="index"),
    path("experts/me/", views.my_profile, name="my_profile"),
    path("experts/<int:pk>/profile/", views.expert_profile, name="expert_profile"),
]
