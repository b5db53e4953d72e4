"""The hub's URLs with the toy's (a new app adds its line to ``humaine/urls.py``)."""

from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path

from humaine.urls import urlpatterns as hub

urlpatterns = [
    *hub,
    *i18n_patterns(path("", include("humaine.tests.toy.urls")), prefix_default_language=False),
]
