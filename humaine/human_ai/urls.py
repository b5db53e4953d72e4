from django.urls import path

from . import views

app_name = "human_ai"

S = "scenarios/<int:pk>/teams/"

urlpatterns = [
    path(S, views.datasets, name="datasets"),
    path(f"{S}upload/", views.upload, name="upload"),
    path(f"{S}works-agreement/", views.works_agreement, name="works_agreement"),
    path(f"{S}persons/", views.link_person, name="link_person"),
    path(f"{S}data/<int:dataset_pk>/", views.dataset, name="dataset"),
    path(f"{S}data/<int:dataset_pk>/runs/", views.run_new, name="run_new"),
    path(f"{S}data/<int:dataset_pk>/compare/", views.compare, name="compare"),
    path(f"{S}runs/<int:run_pk>/", views.run, name="run"),
    path(f"{S}runs/<int:run_pk>/cancel/", views.run_cancel, name="run_cancel"),
    path(f"{S}runs/<int:run_pk>/retry/", views.run_retry, name="run_retry"),
    path(f"{S}runs/<int:run_pk>/files/<slug:what>/", views.download, name="download"),
    path("teams/my-figures/", views.my_figures, name="my_figures"),
]
