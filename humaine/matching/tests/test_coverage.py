"""The top of the ranked list covers every part of an inquiry (issue 14)."""

import numpy as np
import pytest

from humaine.matching.config import load_config
from humaine.matching.coverage import aspect_fits, query_aspects, topical_gate, xquad
from humaine.matching.ranking import EmbeddedText, ExpertProfile, MatchQuery, rank_experts
from humaine.matching.taxonomy import Taxonomy, asked, asking_words
from humaine.matching.text import search_terms

DIM = 32
BOTH = {"de": 0.5, "en": 0.5}


def unit(*weights) -> np.ndarray:
    v = np.zeros(DIM, dtype=np.float32)
    v[: len(weights)] = weights
    return v / np.linalg.norm(v)


def profile(pk, vector, disciplines, sectors=()) -> ExpertProfile:
    embedded = EmbeddedText(np.stack([vector, vector]), ("profile",), BOTH)
    return ExpertProfile(pk, embedded, tuple(disciplines), tuple(sectors), ("de", "en"), 20)


def two_part_query(taxonomy) -> MatchQuery:
    """An inquiry mostly about camera inspection (axis 1) that also asks for legal advice
    on the works council (axis 2)."""
    inspection, legal = unit(0, 1), unit(0, 0, 1)
    whole = unit(0, 0.9, 0.3)
    parts = (
        "Wir wollen Gussteile mit Kameras automatisch auf Risse prüfen.",
        "Wir brauchen rechtliche Beratung zur Mitbestimmung des Betriebsrats.",
    )
    return MatchQuery(
        text=" ".join(parts),
        language="de",
        embedded=EmbeddedText(np.stack([whole, inspection, legal]), parts, BOTH),
        needs={},
        sectors={"industry": 1.0},
        aspects=query_aspects(parts, taxonomy),
        asked=tuple(asked(list(parts), taxonomy)),
    )


@pytest.fixture(scope="module")
def taxonomy():
    return Taxonomy.load()


def test_explicit_asks_are_found_in_german_and_english(taxonomy):
    german = ["Wir prüfen Gussteile.", "Wir brauchen rechtliche Beratung zum Betriebsrat."]
    english = ["We inspect castings.", "We need someone to assess the psychological strain."]
    assert asked(german, taxonomy) == {"law": (1,)}
    assert asked(english, taxonomy) == {"psychology": (1,)}
    assert asked(["Wir prüfen Gussteile mit Kameras."], taxonomy) == {}


def test_full_text_query_keeps_the_words_that_name_what_is_asked(taxonomy):
    text = (
        "Unser Kundenservice soll eine Software zur Emotionserkennung in Telefonaten "
        "einsetzen, die Mitarbeitende automatisch bewertet und Verbesserungsvorschläge "
        "erzeugt; ist Emotion erkennen nach dem AI Act erlaubt, und was sagt der Betriebsrat "
        "zu dieser Leistungsüberwachung durch Künstliche Intelligenz?"
    )
    terms = search_terms(text, 12, keep=asking_words(text, taxonomy))
    assert {"emotion", "ai", "act", "betriebsrat"} <= set(terms)
    # longest-first alone, as before, would lose them
    assert not {"emotion", "ai", "act", "betriebsrat"} <= set(search_terms(text, 12))


def test_sector_experience_adds_nothing_without_a_topical_fit(taxonomy):
    query = two_part_query(taxonomy)
    off_topic = profile("legacy-it", unit(1, 0, 0, 1), ["computer_science"], ["industry"])
    on_topic = profile("inspection", unit(0, 1), ["computer_science"], ["industry"])
    ranked = {m.id: m for m in rank_experts(query, [off_topic, on_topic], taxonomy=taxonomy)}
    assert ranked["legacy-it"].contributions["sector"] == 0
    assert ranked["inspection"].contributions["sector"] > 0


def test_gate_is_zero_below_the_floor_and_full_from_the_top():
    gate = topical_gate(np.array([0.0, 0.19, 0.2, 0.35, 0.9]), {"floor": 0.2, "full": 0.35})
    assert gate.tolist() == [0.0, 0.0, 0.0, 1.0, 1.0]


def test_asked_discipline_brings_its_best_person_near_the_top(taxonomy):
    query = two_part_query(taxonomy)
    inspectors = [
        profile(f"inspection-{k}", unit(0.1 * k, 1), ["computer_science"], ["industry"])
        for k in range(4)
    ]
    lawyer = profile("labour-lawyer", unit(0, 0.2, 1), ["law"])
    patent_lawyer = profile("patent-lawyer", unit(1, 0, 0.1), ["law"])
    pool = [*inspectors, lawyer, patent_lawyer]
    # the hand-set fusion, under which the lawyer is far down by score alone
    plain = load_config({"coverage": {"weight": 0}, "ranker": {"kind": "fused"}})
    fused = load_config({"ranker": {"kind": "fused"}})
    by_score = [m.id for m in rank_experts(query, pool, config=plain, taxonomy=taxonomy)]
    covering = [m.id for m in rank_experts(query, pool, config=fused, taxonomy=taxonomy)]
    assert by_score.index("labour-lawyer") >= 3
    assert covering.index("labour-lawyer") <= 1
    assert covering[0].startswith("inspection")
    assert covering.index("patent-lawyer") > covering.index("labour-lawyer")


def test_reason_names_the_part_of_the_inquiry_a_person_covers(taxonomy):
    query = two_part_query(taxonomy)
    lawyer = profile("labour-lawyer", unit(0, 0.2, 1), ["law"])
    inspector = profile("inspection", unit(0, 1), ["computer_science"])
    ranked = {m.id: m for m in rank_experts(query, [lawyer, inspector], taxonomy=taxonomy)}
    assert "Mitbestimmung" in ranked["labour-lawyer"].reason["de"]
    assert "Mitbestimmung" in ranked["labour-lawyer"].reason["en"]


def test_single_topic_keeps_the_score_order():
    relevance = np.array([1.0, 0.8, 0.6, 0.4])
    fits = np.array([[1.0], [0.9], [0.8], [0.1]])
    assert xquad(relevance, fits, np.array([1.0]), lam=0.5, depth=4) == [0, 1, 2, 3]


def test_only_people_of_an_asked_discipline_cover_its_part():
    similarities = np.array([[0.6], [0.5]])
    aspects = query_aspects(["Wir brauchen eine Rechtsberatung."], Taxonomy.load())
    ask = [a for a in aspects if a.disciplines]
    fits = aspect_fits(similarities, ask, [frozenset({"psychology"}), frozenset({"law"})], 0.1)
    assert fits[0, 0] == 0 and fits[1, 0] == 1
