"""Searches of the knowledge base with a text are limited per address, page and API
together, with a clear 429 in German and English; browsing by filters alone is not."""

import pytest

from humaine.transfer.tests.factories import make_entry


@pytest.fixture(autouse=True)
def _fresh_matrices():
    from humaine.matching import store

    store.forget_matrices()
    yield
    store.forget_matrices()


@pytest.fixture
def limited(settings, cast):
    settings.TRANSFER_SEARCH_RATE_LIMIT = 3
    settings.TRANSFER_SEARCH_RATE_WINDOW_SECONDS = 10**6  # no window ends between the requests
    return make_entry(
        cast.staff, title_de="Belastungsbefragung", summary_de="Befragung zur Arbeitsbelastung."
    )


def test_searches_past_the_limit_get_a_clear_429_on_the_page_and_in_the_api(client, limited):
    for _ in range(2):
        page = client.get("/knowledge/", {"q": "Befragung"})
        assert page.status_code == 200 and "Belastungsbefragung" in page.content.decode()
    assert client.get("/api/v1/entries", {"q": "Befragung"}).status_code == 200
    # the fourth search from the address, page or API: refused, saying when to try again
    refused = client.get("/knowledge/", {"q": "Befragung"})
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    text = refused.content.decode()
    assert "Zu viele Suchanfragen von Ihrer Adresse in kurzer Zeit." in text
    assert 'id="search-limited"' in text and "Belastungsbefragung" not in text
    assert 'value="Befragung"' in text  # the text stays in the field
    english = client.get("/en/knowledge/", {"q": "Befragung"})
    assert english.status_code == 429
    assert "Too many searches from your address in a short time." in english.content.decode()
    api = client.get("/api/v1/entries", {"q": "Befragung"}, HTTP_ACCEPT_LANGUAGE="en")
    assert api.status_code == 429 and int(api["Retry-After"]) > 0
    assert api.json()["detail"].startswith("Too many searches from your address")
    # browsing without a text is not limited
    listing = client.get("/knowledge/")
    assert listing.status_code == 200 and "Belastungsbefragung" in listing.content.decode()
    assert client.get("/api/v1/entries").status_code == 200


def test_the_limit_counts_per_address(client, limited):
    for _ in range(3):
        assert client.get("/knowledge/", {"q": "Befragung"}).status_code == 200
    assert client.get("/knowledge/", {"q": "Befragung"}).status_code == 429
    other = client.get("/knowledge/", {"q": "Befragung"}, REMOTE_ADDR="192.0.2.7")
    assert other.status_code == 200
