from django.urls import path

from .views import (
    answer,
    checks,
    instruments,
    items,
    literacy,
    members,
    process,
    results,
    surveys,
    workspace,
)

app_name = "scenarios"

S = "scenarios/<int:pk>/"

urlpatterns = [
    path("scenarios/", workspace.scenario_list, name="list"),
    path("scenarios/new/", workspace.new, name="new"),
    path("inquiries/<int:pk>/scenario/", workspace.start_from_inquiry, name="start_from_inquiry"),
    path("scenarios/join/<str:token>/", members.join, name="join"),
    path("s/answered/", answer.answered, name="answered"),
    path("s/<str:token>/", answer.answer, name="answer"),
    path("my-surveys/", surveys.my_surveys, name="my_surveys"),
    path("staff/instruments/", instruments.library, name="instruments"),
    path(S, workspace.workspace, name="workspace"),
    path(S + "edit/", workspace.edit, name="edit"),
    path(S + "activity/", workspace.activity, name="activity"),
    path(S + "go/<slug:kind>/<int:item_pk>/", workspace.item_url, name="item"),
    path(S + "process/", process.process, name="process"),
    path(S + "process/position/", process.position, name="position"),
    path(S + "process/advance/", process.advance, name="advance"),
    path(S + "process/deliverable/", process.deliverable, name="deliverable"),
    path(S + "members/", members.members, name="members"),
    path(S + "members/<int:member_pk>/remove/", members.remove, name="member_remove"),
    path(S + "members/<int:member_pk>/renew/", members.renew, name="member_renew"),
    path(S + "groups/", members.groups, name="groups"),
    path(S + "groups/<int:group_pk>/", members.group_edit, name="group"),
    path(S + "items/", items.items, name="items"),
    path(S + "milestones/<int:item_pk>/", items.milestone, name="milestone"),
    path(S + "decisions/<int:item_pk>/", items.decision, name="decision"),
    path(S + "files/<int:item_pk>/", items.file_detail, name="file"),
    path(S + "files/<int:item_pk>/v<int:number>/", items.download, name="download"),
    path(S + "comments/<slug:kind>/<int:item_pk>/", items.comment, name="comment"),
    path(S + "checks/", checks.check_list, name="checks"),
    path(S + "checks/start/", checks.check_start, name="check_start"),
    path(S + "checks/<int:check_pk>/", checks.check_detail, name="check"),
    path(
        S + "checks/<int:check_pk>/respondents/<int:respondent>/resend/",
        checks.check_resend,
        name="check_resend",
    ),
    path(
        S + "checks/<int:check_pk>/respondents/<int:respondent>/revoke/",
        checks.check_revoke,
        name="check_revoke",
    ),
    path(S + "checks/<int:check_pk>/since/<int:other_pk>/", checks.check_diff, name="check_diff"),
    path(S + "surveys/", surveys.survey_list, name="surveys"),
    path(S + "surveys/<int:survey_pk>/", surveys.survey_detail, name="survey"),
    path(S + "surveys/<int:survey_pk>/waves/", surveys.wave_add, name="wave_add"),
    path(S + "surveys/<int:survey_pk>/links/", surveys.wave_links, name="wave_links"),
    path(
        S + "surveys/<int:survey_pk>/waves/<int:wave_pk>/close/",
        surveys.wave_close,
        name="wave_close",
    ),
    path(S + "surveys/<int:survey_pk>/results/", results.results, name="results"),
    path(S + "surveys/<int:survey_pk>/results.csv", results.results_csv, name="results_csv"),
    path(S + "outcomes/", results.outcomes, name="outcomes"),
    path(S + "outcomes/targets/", results.target_add, name="target_add"),
    path(S + "report/", results.report, name="report"),
    path(S + "report.pdf", results.report_pdf, name="report_pdf"),
    path(S + "literacy/", literacy.literacy, name="literacy"),
    path(S + "literacy/plan/", literacy.plan, name="literacy_plan"),
    path(
        S + "literacy/<int:requirement_pk>/evidence/", literacy.evidence, name="literacy_evidence"
    ),
    path(S + "literacy/certificates/<int:evidence_pk>/", literacy.certificate, name="certificate"),
    path(S + "literacy/export.csv", literacy.export, name="literacy_export"),
]
