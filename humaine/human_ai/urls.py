from django.urls import path

from . import rebuild_views as rv
from . import report_pdf, views
from . import service_views as sv

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
    path(f"{S}runs/<int:run_pk>/replace/", rv.run_replace, name="run_replace"),
    path(f"{S}runs/<int:run_pk>/report.pdf", report_pdf.run_pdf, name="run_pdf"),
    path("teams/my-figures/", views.my_figures, name="my_figures"),
    path(f"{S}services/", sv.services, name="services"),
    path(f"{S}services/<int:service_pk>/", sv.service, name="service"),
    path(f"{S}services/<int:service_pk>/deploy/", sv.service_deploy, name="service_deploy"),
    path(f"{S}services/<int:service_pk>/settings/", sv.service_settings, name="service_settings"),
    path(f"{S}services/<int:service_pk>/rebuild/", rv.service_rebuild, name="service_rebuild"),
    path(f"{S}services/<int:service_pk>/limits/", sv.service_limits, name="service_limits"),
    path(f"{S}services/<int:service_pk>/tokens/", sv.token_new, name="token_new"),
    path(
        f"{S}services/<int:service_pk>/tokens/<int:token_pk>/revoke/",
        sv.token_revoke,
        name="token_revoke",
    ),
    path(
        f"{S}services/<int:service_pk>/cases/<int:case_pk>/", sv.service_case, name="service_case"
    ),
    path(f"{S}absences/", sv.absences, name="absences"),
    path(f"{S}absences/<int:absence_pk>/remove/", sv.absence_remove, name="absence_remove"),
    path(f"{S}records/", sv.records_export, name="records"),
    path("teams/worklist/", sv.my_worklist, name="worklist"),
    path("teams/worklist/<int:case_pk>/", sv.worklist_case, name="worklist_case"),
]
