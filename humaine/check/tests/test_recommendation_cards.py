"""The catalogue's list of recommendations, the dearest public page to render, renders its
cards once per process for each list, language and set of method pages (views.common)."""

import re
from collections import OrderedDict

import pytest

from humaine.check.views import common

pytestmark = pytest.mark.django_db

CARD = "check/_recommendation.html"


def cards_of(response) -> list[str]:
    return re.findall(r'<article class="card recommendation".*?</article>', response.text, re.S)


def cards_rendered(response) -> int:
    assert response.status_code == 200
    return sum(t.name == CARD for t in response.templates)


@pytest.fixture
def no_cards_yet(monkeypatch):
    monkeypatch.setattr(common, "_cards", OrderedDict())


def test_the_cards_are_rendered_once_per_list_and_language(client, standalone, no_cards_yet):
    first = client.get("/check/recommendations/")
    assert cards_rendered(first) > 10
    again = client.get("/check/recommendations/")
    assert cards_rendered(again) == 0 and cards_of(again) == cards_of(first)
    must = client.get("/check/recommendations/?priority=must")  # another list
    assert 0 < cards_rendered(must) < cards_rendered(first)
    assert cards_rendered(client.get("/check/recommendations/?priority=must")) == 0
    english = client.get("/en/check/recommendations/")  # another language
    assert cards_rendered(english) == cards_rendered(first)
    assert "Method:" in cards_of(english)[0] and "Methode:" in cards_of(first)[0]
    # the respondents' list is the same list: no new render
    respondent = client.get(f"/check/answer/{standalone.respondent_token}/recommendations/")
    assert cards_rendered(respondent) == 0
    assert cards_of(respondent) == cards_of(first)


def test_only_the_last_lists_are_kept(client, no_cards_yet, monkeypatch):
    monkeypatch.setattr(common, "CARDS_KEPT", 2)
    for query in ("", "?priority=must", "?priority=should"):
        assert cards_rendered(client.get(f"/check/recommendations/{query}")) > 0
    assert len(common._cards) == 2
    assert cards_rendered(client.get("/check/recommendations/")) > 0  # the oldest was dropped
