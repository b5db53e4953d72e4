"""The bilingual domain lexicon: finding its concepts in German and English texts, glossing
texts in both languages, and what the gloss does to stored vectors and rankings."""

import numpy as np
import pytest

from humaine.matching import lexicon
from humaine.matching.config import load_config
from humaine.matching.encoders import HashingEncoder
from humaine.matching.lexicon import Lexicon, LexiconError
from humaine.matching.ranking import (
    ExpertProfile,
    build_query,
    embed_texts,
    rank_experts,
    vector_space,
)
from humaine.matching.text import fingerprint

SHIPPED = lexicon.load()


def keywords(text: str, language: str) -> set[str]:
    return {SHIPPED.concepts[c].keyword(language) for c in SHIPPED.concepts_in(text)}


@pytest.mark.parametrize(
    ("german", "english", "concept"),
    [
        (
            "Wie beteiligen wir den Betriebsrat?",
            "How do we involve the works council?",
            "works council",
        ),
        (
            "Was verlangt die DSGVO?",
            "What does the GDPR require?",
            "General Data Protection Regulation",
        ),
        (
            "Die psychische Belastung steigt.",
            "The psychological strain rises.",
            "psychological strain",
        ),
        ("Wir regulieren Kfz-Schäden.", "We settle motor claims.", "claim"),
        (
            "Unsere Radiologen befunden Mammographien.",
            "Our radiologists read mammography.",
            "radiology",
        ),
        (
            "Vorausschauende Wartung der Pressen",
            "Predictive maintenance of presses",
            "predictive maintenance",
        ),
    ],
)
def test_the_same_concept_is_found_in_german_and_in_english(german, english, concept):
    assert concept in keywords(german, "en")
    assert concept in keywords(english, "en")


def test_expansion_works_both_ways():
    assert "works council" in SHIPPED.translate("Was muss der Betriebsrat wissen?", "de")
    assert "Betriebsrat" in SHIPPED.translate("What must the works council know?", "en")
    assert "data protection" in SHIPPED.translate("Fragen zum Datenschutz", "de")
    assert "Datenschutz" in SHIPPED.translate("questions on data protection", "en")


def test_the_gloss_is_the_same_for_a_german_and_an_english_text_on_one_topic():
    german = SHIPPED.gloss("Wie beteiligen wir den Betriebsrat bei der Einführung von KI?")
    english = SHIPPED.gloss("How do we involve the works council when introducing AI?")
    for words in ("Betriebsrat works council", "künstliche Intelligenz artificial intelligence"):
        assert words in german and words in english


def test_compounds_inflections_and_short_words():
    # the last part of a German compound, and a long first part
    assert "suggestion" in keywords("Die Befundvorschläge werden weggeklickt.", "en")
    assert "works council" in keywords("Der Betriebsratsvorsitz fragt nach.", "en")
    # inflected forms
    assert "works council" in keywords("Both works councils agreed.", "en")
    # short words only whole: "KI" is not "Kiosk", "AI" is not "aim"
    assert "AI" not in keywords("Der Kiosk am Eingang.", "en")
    assert "AI" not in keywords("We aim to be fast.", "en")
    # a long German word is not found at the beginning of an unrelated word
    assert "trust" not in keywords("Vertraulich: der Plan des Vorstands.", "en")


def test_a_text_is_matched_in_its_own_language_only():
    # the German verb "plant" (plans) is not the English "plant" (factory)
    assert "Fabrik" not in SHIPPED.gloss("Die Firma plant eine neue Software für Angebote.")
    assert "Fabrik" in SHIPPED.gloss("The plant runs three shifts a day.")


def test_a_lexicon_is_data_a_hub_can_extend():
    own = Lexicon.from_dict(
        {"domains": {"agriculture": [{"de": ["Melkroboter"], "en": ["milking robot"]}]}}
    )
    assert own.gloss("Unser Melkroboter meldet zu viele Fehler.") == "Melkroboter milking robot"
    with pytest.raises(LexiconError, match="agriculture, entry 1: no 'en' term"):
        Lexicon.from_dict({"domains": {"agriculture": [{"de": ["Melkroboter"]}]}})
    assert lexicon.for_config({"file": ""}) is None


def test_the_shipped_lexicon_has_every_domain_the_hub_works_in():
    domains = {c.domain for c in SHIPPED.concepts}
    assert {"ai", "law", "codetermination", "health", "insurance", "industry", "work"} <= domains
    assert len(SHIPPED.concepts) >= 250


def test_glossing_pulls_a_german_text_towards_english_texts_on_its_topic():
    encoder = HashingEncoder(512)
    plain = load_config({"lexicon": {"weight": 0}})
    glossed = load_config({"lexicon": {"weight": 0.8}})
    text = "Schichtplanung und Dienstplanung in der Pflege"
    [english] = encoder.encode(["duty roster nursing"])
    [before] = embed_texts([text], encoder, plain)
    [after] = embed_texts([text], encoder, glossed)
    assert after.vectors.shape == before.vectors.shape
    assert np.allclose(np.linalg.norm(after.vectors, axis=1), 1.0, atol=1e-5)
    assert after.vectors[0] @ english > before.vectors[0] @ english + 0.1
    # a text naming no concept of the lexicon keeps its vectors
    [none_before] = embed_texts(["Xylophon Zither Zimbel."], encoder, plain)
    [none_after] = embed_texts(["Xylophon Zither Zimbel."], encoder, glossed)
    assert np.array_equal(none_before.vectors, none_after.vectors)


def test_an_english_profile_rises_for_a_german_inquiry_on_its_topic():
    encoder = HashingEncoder(512)
    texts = {
        "roster_en": "Duty roster and shift schedule design for nursing; fair rostering.",
        "vision_en": "Computer vision for warehouse robots; detecting pallets.",
    }
    fused = {"ranker": {"kind": "fused"}, "coverage": {"weight": 0.0}, "feedback": {"depth": 0}}
    ranks = {}
    for weight in (0, 0.8):
        config = load_config({**fused, "lexicon": {"weight": weight}})
        experts = [
            ExpertProfile(id=key, embedded=vectors, disciplines=("work_science",))
            for key, vectors in zip(texts, embed_texts(list(texts.values()), encoder, config))
        ]
        query = build_query("Dienstplanung in der Pflege", encoder, config=config)
        ranks[weight] = {m.id: m.score for m in rank_experts(query, experts, config=config)}
    gap = {w: ranks[w]["roster_en"] - ranks[w]["vision_en"] for w in ranks}
    assert gap[0.8] > gap[0] + 0.1


def test_changing_the_lexicon_or_its_weight_makes_stored_vectors_stale():
    encoder = HashingEncoder(64)
    spaces = {
        vector_space(encoder, load_config({"lexicon": {"weight": 0}})),
        vector_space(encoder, load_config({"lexicon": {"weight": 0.8}})),
        vector_space(encoder, load_config({"lexicon": {"weight": 0.5}})),
    }
    assert len(spaces) == 3
    assert vector_space(encoder, load_config({"lexicon": {"weight": 0}})) == encoder.name
    assert len({fingerprint("Betriebsrat", space) for space in spaces}) == 3


@pytest.mark.django_db
def test_a_kind_searched_with_plain_query_vectors_is_stored_without_the_gloss(settings):
    from humaine.matching import sources, store
    from humaine.matching.models import Embedding

    settings.MATCHING_CONFIG = {"lexicon": {"weight": 0.8}}
    text = "Wie beteiligen wir den Betriebsrat bei der Einführung von KI?"
    assert sources.KINDS["expert"].glossed and not sources.KINDS["knowledge"].glossed
    for kind in ("expert", "knowledge"):
        store.store_texts(kind, {"1": text})
    stored = {
        row.kind: np.frombuffer(row.vectors, dtype=np.float32).reshape(-1, row.dim)
        for row in Embedding.objects.filter(object_id="1")
    }
    encoder = store.encoder()
    [glossed] = embed_texts([text], encoder, load_config({"lexicon": {"weight": 0.8}}))
    [plain] = embed_texts([text], encoder, load_config({"lexicon": {"weight": 0}}))
    assert np.allclose(stored["expert"], glossed.vectors)
    assert np.allclose(stored["knowledge"], plain.vectors)
    assert store.current_vectors("knowledge", 1, text) is not None
