from django.urls import path

from .views import people, public, triage

app_name = "contact"

urlpatterns = [
    path("", public.home, name="home"),
    path("sectors/", public.sectors, name="sectors"),
    path("how-it-works/", public.how_it_works, name="how_it_works"),
    path("contact/", public.reach_us, name="reach_us"),
    path("imprint/", public.imprint, name="imprint"),
    path("privacy/", public.privacy, name="privacy"),
    path("inquiry/", public.inquiry_form, name="inquiry_form"),
    path("inquiry/privacy/", public.inquiry_privacy, name="inquiry_privacy"),
    path("inquiry/sent/", public.inquiry_sent, name="inquiry_sent"),
    path("status/<str:token>/", public.status, name="status"),
    path("status/<str:token>/emails/", public.status_emails, name="status_emails"),
    path("staff/inquiries/", triage.queue, name="queue"),
    path("inquiries/", triage.my_inquiries, name="my_inquiries"),
    path("inquiries/<int:pk>/", triage.inquiry_detail, name="inquiry_detail"),
    path("inquiries/<int:pk>/status/", triage.change_status, name="change_status"),
    path("inquiries/<int:pk>/assign/", triage.assign, name="assign"),
    path("inquiries/<int:pk>/notes/", triage.add_note, name="add_note"),
    path("inquiries/<int:pk>/messages/", triage.send_message, name="send_message"),
    path("staff/people/", people.person_search, name="person_search"),
    path("people/<int:pk>/", people.person_detail, name="person_detail"),
    path("people/<int:pk>/export/", people.person_export, name="person_export"),
    path("people/<int:pk>/erase/", people.person_erase, name="person_erase"),
]
