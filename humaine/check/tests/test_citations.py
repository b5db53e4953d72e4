"""Citations of the law read as each language cites it."""

import re

import pytest

from humaine.check.citations import cite


@pytest.mark.parametrize(
    ("english", "german"),
    [
        ("Art. 6(2), Annex III point 4(a)", "Art. 6 Abs. 2, Anhang III Nr. 4 Buchst. a"),
        ("Art. 6(1), Annex I Section B", "Art. 6 Abs. 1, Anhang I Abschnitt B"),
        ("Art. 6(3), third subparagraph", "Art. 6 Abs. 3 Unterabs. 3"),
        ("Art. 6(3)(d)", "Art. 6 Abs. 3 Buchst. d"),
        ("Art. 5(1)(ba)", "Art. 5 Abs. 1 Buchst. ba"),
        ("Art. 3(14)", "Art. 3 Nr. 14"),
        ("Art. 6(1), Art. 3(14)", "Art. 6 Abs. 1, Art. 3 Nr. 14"),
        ("Art. 26(1) to (6)", "Art. 26 Abs. 1 bis 6"),
        ("Art. 11 and Annex IV", "Art. 11 und Anhang IV"),
        ("Art. 50(4), second subparagraph", "Art. 50 Abs. 4 Unterabs. 2"),
        ("GDPR Art. 13, 14 and 15", "DSGVO Art. 13, 14 und 15"),
        ("§ 87 Abs. 1 Nr. 6 BetrVG", "§ 87 Abs. 1 Nr. 6 BetrVG"),
        ("Art. 113", "Art. 113"),
    ],
)
def test_german_citations(english, german):
    assert cite(english, "de") == german
    assert cite(english, "en") == english


def test_the_law_is_named_in_the_language():
    assert cite("Art. 26(7)", "de", law="AI Act") == "Art. 26 Abs. 7 KI-VO"
    assert cite("Art. 26(7)", "en", law="AI Act") == "AI Act Art. 26(7)"
    assert cite("GDPR Art. 35", "de", law="GDPR") == "DSGVO Art. 35"
    assert cite("§ 5 ArbSchG", "de", law="ArbSchG") == "§ 5 ArbSchG"


def _law_sources():
    from humaine.check.catalogue.loading import load_catalogue

    catalogue = load_catalogue()
    recommendations = catalogue.recommendations
    if isinstance(recommendations, dict):
        recommendations = recommendations.values()
    return [s for rec in recommendations for s in rec.sources if s.kind == "law"]


def test_every_law_source_is_cited_in_german_on_german_pages():
    """No English words of explanation, no English-style paragraph brackets ('(4)', '(2)(g)')
    and no 'Annex'/'Regulation' left when a German reader sees a law among the sources."""
    from humaine.tests.german import findings

    sources = _law_sources()
    assert len(sources) > 40
    for source in sources:
        text, written_in = source.shown("de")
        assert written_in == "de"
        assert not findings(f"<p>{text}</p>"), text
        assert not re.search(r"\(\d+\)|\)\(|\bAnnex|\bRegulation|\bCJEU|\bjudgment", text), text
        assert source.shown("en") == (source.citation, "en")


def test_the_recommendations_page_cites_the_law_in_the_readers_language(client, standalone):
    token = standalone.respondent_token
    url = f"/check/answer/{token}/recommendations/?priority=must"
    german = client.get(url, HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Verordnung (EU) 2024/1689 (KI-VO), Art. 4 und Art. 3 Nr. 56" in german
    assert "(AI Act), Art. 4 and" not in german
    english = client.get(f"/en{url}").content.decode()
    assert "Regulation (EU) 2024/1689 (AI Act), Art. 4 and Art. 3(56)" in english
