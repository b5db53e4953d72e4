"""One toolbox: the check's recommendations and matching's fitting methods point to the
knowledge base's entries of their methods."""

from humaine.core.methods import pages_for
from humaine.matching import sources
from humaine.transfer.tests.factories import make_entry


def test_a_recommendation_links_to_the_entries_of_its_method(cast, client):
    entry = make_entry(cast.staff, title_de="Belastungsbefragung", maturity=5)
    before = client.get("/check/recommendations/").content.decode()
    assert f'href="/knowledge/{entry.slug}/"' not in before
    # linked now: the list shows it at once (its cards are kept per set of method pages)
    entry.recommendation_ids = ["REC-HC-SURVEYS"]
    entry.save(update_fields=["recommendation_ids"])
    hidden = make_entry(cast.staff, title_de="Interne Befragung", visibility="staff")
    hidden.recommendation_ids = ["REC-HC-SURVEYS"]
    hidden.save(update_fields=["recommendation_ids"])
    page = client.get("/check/recommendations/").content.decode()
    card = page.split('id="rec-REC-HC-SURVEYS"', 1)[1].split("</article>", 1)[0]
    assert f'href="/knowledge/{entry.slug}/"' in card and "praxisreif" in card
    assert hidden.slug not in card
    pages = pages_for(cast.staff, ["check:REC-HC-SURVEYS"])["check:REC-HC-SURVEYS"]
    assert {p.url for p in pages} == {entry.get_absolute_url(), hidden.get_absolute_url()}


def test_public_methods_are_matchings_fitting_methods_with_maturity_and_page(cast):
    entry = make_entry(cast.staff, title_en="Think aloud", summary_en="Users think aloud.",
                       title_de="Lautes Denken", maturity=2)  # fmt: skip
    make_entry(cast.staff, title_de="Nur für Mitglieder", visibility="members")
    make_entry(cast.staff, title_de="Ein Leitfaden", kind="guideline")
    entries = {e.key: e for e in sources.METHOD_SOURCES.get("knowledge_base").load()}
    mine = entries[f"knowledge_base:{entry.pk}"]
    assert mine.url == f"/knowledge/{entry.slug}/"
    assert mine.label == {"de": "entwickelt und spezifiziert", "en": "developed and specified"}
    assert mine.title == {"de": "Lautes Denken", "en": "Think aloud"}
    assert all("Mitglieder" not in e.title["de"] and "Leitfaden" not in e.title["de"]
               for e in entries.values())  # fmt: skip
