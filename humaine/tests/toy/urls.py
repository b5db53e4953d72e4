from django.urls import path

from . import views

app_name = "toy"
urlpatterns = [
    path("toy/remarks/", views.remarks, name="remarks"),
    path("toy/inquiries/<int:pk>/word-count/", views.count_words, name="count_words"),
]
