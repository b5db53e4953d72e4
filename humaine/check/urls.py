from django.urls import path

from .views import owner, public, respond

app_name = "check"

# The owner's pages exist twice: behind a standalone check's private link, and by id
# for logged-in users who may see the check. Both share names; reverse() picks by kwargs.
OWNER_PAGES = [
    ("", owner.overview, "overview"),
    ("invite/", owner.invite, "invite"),
    ("respondents/<int:respondent>/resend/", owner.resend_invitation, "resend_invitation"),
    ("respondents/<int:respondent>/revoke/", owner.revoke_invitation, "revoke_invitation"),
    ("sharing/", owner.result_sharing, "result_sharing"),
    ("profile/", owner.profile, "profile"),
    ("result/", owner.result, "result"),
    ("result.pdf", owner.result_pdf, "result_pdf"),
    ("result.json", owner.result_json, "result_json"),
    ("documents/<slug:kind>/", owner.document, "document"),
    ("documents/<slug:kind>.pdf", owner.document_pdf, "document_pdf"),
]

urlpatterns = [
    path("check/", public.start, name="start"),
    path("check/started/", public.created, name="created"),
    path("checks/", public.my_checks, name="my_checks"),
    path("check/questions/", public.catalogue, name="catalogue"),
    path("check/recommendations/", public.catalogue_recommendations, name="recommendations"),
    path("check/answer/<str:token>/", respond.respond, name="respond"),
    path(
        "check/answer/<str:token>/phase/<slug:phase>/", respond.respond_phase, name="respond_phase"
    ),
    path("check/answer/<str:token>/browse/", respond.respond_browse, name="respond_browse"),
    path(
        "check/answer/<str:token>/recommendations/",
        respond.respond_recommendations,
        name="respond_recommendations",
    ),
    path("check/answer/<str:token>/submit/", respond.respond_submit, name="respond_submit"),
    path("check/answer/<str:token>/result/", respond.respond_result, name="respond_result"),
    path("inquiries/<int:pk>/check/", public.start_for_inquiry, name="start_for_inquiry"),
]
urlpatterns += [
    path(f"check/r/<str:token>/{route}", view, name=name) for route, view, name in OWNER_PAGES
]
urlpatterns += [
    path(f"checks/<int:pk>/{route}", view, name=name) for route, view, name in OWNER_PAGES
]
