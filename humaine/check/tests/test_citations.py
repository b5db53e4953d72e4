"""Citations of the law read as each language cites it."""

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
