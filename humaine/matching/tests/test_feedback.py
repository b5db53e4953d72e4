"""Pseudo-relevance feedback: the inquiry is ranked again, moved towards its best profiles."""

from humaine.matching.config import load_config
from humaine.matching.encoders import HashingEncoder
from humaine.matching.ranking import ExpertProfile, build_query, embed_texts, rank_experts

# feedback alone: no lexicon (it glosses "Dienstplanung" with "duty roster" too)
FUSED = {"ranker": {"kind": "fused"}, "coverage": {"weight": 0.0}, "lexicon": {"weight": 0}}
PLAIN = load_config(FUSED)


def _pool(encoder):
    texts = {
        # shares the inquiry's words, and the vocabulary of a neighbouring profile
        "rostering_de": "Schichtplanung Dienstplanung Pflege; roster rostering nurses fairness",
        # shares no word with the inquiry, only the best profile's English words
        "rostering_en": "roster rostering nurses fairness wishes",
        # shares nothing with either
        "vision_en": "pallet detection warehouse robots cameras",
    }
    return [
        ExpertProfile(id=key, embedded=vectors, disciplines=("work_science",))
        for key, vectors in zip(texts, embed_texts(list(texts.values()), encoder, PLAIN))
    ]


def test_a_profile_sharing_the_best_profiles_meaning_but_no_word_rises():
    encoder = HashingEncoder(512)
    experts = _pool(encoder)
    query = build_query("Schichtplanung Dienstplanung Pflege", encoder, config=PLAIN)
    without = load_config({**FUSED, "feedback": {"depth": 0}})
    with_it = load_config({**FUSED, "feedback": {"depth": 1, "weight": 0.5}})
    before = {m.id: m.score for m in rank_experts(query, experts, config=without)}
    after = {m.id: m.score for m in rank_experts(query, experts, config=with_it)}
    assert before["rostering_en"] - before["vision_en"] < 0.05
    assert after["rostering_en"] - after["vision_en"] > 0.2
    assert [m.id for m in rank_experts(query, experts, config=with_it)][:2] == [
        "rostering_de",
        "rostering_en",
    ]


def test_feedback_needs_more_candidates_than_its_depth():
    encoder = HashingEncoder(512)
    experts = _pool(encoder)[:2]
    query = build_query("Schichtplanung Dienstplanung Pflege", encoder, config=PLAIN)
    plain = load_config({**FUSED, "feedback": {"depth": 0}})
    deep = load_config({**FUSED, "feedback": {"depth": 2, "weight": 0.5}})
    assert [m.score for m in rank_experts(query, experts, config=deep)] == [
        m.score for m in rank_experts(query, experts, config=plain)
    ]
