from django.urls import path

from .views import editing, events, figures, knowledge, network

app_name = "transfer"

urlpatterns = [
    # knowledge base
    path("knowledge/", knowledge.knowledge_base, name="knowledge_base"),
    path("knowledge/manage/", editing.manage, name="manage"),
    path("knowledge/manage/new/", editing.entry_new, name="entry_new"),
    path("knowledge/manage/from-scenario/", editing.case_study_from_scenario, name="from_scenario"),
    path("knowledge/manage/<int:pk>/", editing.entry_edit, name="entry_edit"),
    path("knowledge/manage/<int:pk>/preview/", editing.entry_preview, name="entry_preview"),
    path("knowledge/manage/<int:pk>/submit/", editing.entry_submit, name="entry_submit"),
    path(
        "knowledge/manage/<int:pk>/visibility/", editing.entry_visibility, name="entry_visibility"
    ),
    path("knowledge/manage/<int:pk>/unpublish/", editing.entry_unpublish, name="entry_unpublish"),
    path("knowledge/manage/<int:pk>/consent/", editing.entry_consent, name="entry_consent"),
    path(
        "knowledge/manage/<int:pk>/consent/withdraw/",
        editing.entry_consent_withdraw,
        name="entry_consent_withdraw",
    ),
    path("knowledge/manage/<int:pk>/files/", editing.attachment_add, name="attachment_add"),
    path(
        "knowledge/manage/<int:pk>/files/<int:attachment_pk>/remove/",
        editing.attachment_remove,
        name="attachment_remove",
    ),
    path(
        "knowledge/manage/<int:pk>/files/<int:attachment_pk>/keep/",
        editing.attachment_keep,
        name="attachment_keep",
    ),
    path("knowledge/versions/<int:pk>/approve/", editing.version_approve, name="version_approve"),
    path("knowledge/versions/<int:pk>/return/", editing.version_return, name="version_return"),
    path("knowledge/<slug:slug>/", knowledge.entry_detail, name="entry"),
    path("knowledge/<slug:slug>/files/<int:pk>/", knowledge.attachment_download, name="download"),
    # events
    path("events/", events.event_list, name="events"),
    path("events/calendar.ics", events.event_feed, name="event_feed"),
    path("events/new/", events.event_new, name="event_new"),
    path("events/cancel/<str:token>/", events.cancel, name="cancel"),
    path("events/<slug:slug>/", events.event_detail, name="event"),
    path("events/<slug:slug>/registered/", events.registered, name="registered"),
    path("events/<slug:slug>/event.ics", events.event_ics, name="event_ics"),
    path("staff/events/<slug:slug>/", events.event_manage, name="event_manage"),
    path("staff/events/<slug:slug>/edit/", events.event_edit, name="event_edit"),
    path("staff/events/<slug:slug>/attendance/", events.attendance, name="attendance"),
    path(
        "staff/events/<slug:slug>/registrations/<int:pk>/cancel/",
        events.staff_cancel,
        name="staff_cancel",
    ),
    path("staff/events/<slug:slug>/check-in.csv", events.check_in_csv, name="check_in_csv"),
    path("staff/events/<slug:slug>/check-in.pdf", events.check_in_pdf, name="check_in_pdf"),
    # network
    path("network/", network.directory, name="directory"),
    path("network/new/", network.member_new, name="member_new"),
    path("network/profile/", network.my_profile, name="my_profile"),
    path("network/<int:pk>/", network.member_detail, name="member"),
    path("network/<int:pk>/edit/", network.member_edit, name="member_edit"),
    path("network/<int:pk>/leave/", network.member_leave, name="member_leave"),
    # figures
    path("figures/", figures.public_figures, name="public_figures"),
    path("staff/figures/", figures.figures_dashboard, name="figures"),
    path("staff/figures/export.<str:fmt>", figures.figures_export, name="figures_export"),
]
