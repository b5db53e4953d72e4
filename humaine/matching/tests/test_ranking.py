import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from humaine.matching.config import load_config
from humaine.matching.encoders import HashingEncoder, normalise_rows
from humaine.matching.ranking import (
    CaseRecord,
    EmbeddedText,
    ExpertProfile,
    MatchQuery,
    build_query,
    capacity_signal,
    embed_texts,
    lexical_boost,
    normalise_lexical,
    rank_cases,
    rank_experts,
    redact_case,
    top_k_by_vector,
)

GERMAN = {"de": 1.0, "en": 0.0}
ENGLISH = {"de": 0.0, "en": 1.0}
DIM = 64


def unit_at(similarity: float, axis: int) -> np.ndarray:
    """A unit vector with the given cosine to axis 0, the rest along its own ``axis``."""
    v = np.zeros(DIM, dtype=np.float32)
    v[0], v[axis] = similarity, np.sqrt(max(0.0, 1 - similarity**2))
    return v


def text_with(similarity: float, axis: int, language: dict) -> EmbeddedText:
    v = unit_at(similarity, axis)
    return EmbeddedText(np.stack([v, v]), ("segment",), language)


def german_query() -> MatchQuery:
    q = np.zeros(DIM, dtype=np.float32)
    q[0] = 1
    return MatchQuery(
        text="Anfrage",
        language="de",
        embedded=EmbeddedText(q[None, :], (), GERMAN),
        needs={},
        sectors={},
    )


def ndcg(order, grades, k=5):
    gains = [(2 ** grades.get(i, 0) - 1) / np.log2(r + 2) for r, i in enumerate(order[:k])]
    ideal = sorted(grades.values(), reverse=True)[:k]
    best = sum((2**g - 1) / np.log2(r + 2) for r, g in enumerate(ideal))
    return sum(gains) / best


def rrf(orders, k=60):
    score = {}
    for order in orders:
        for rank, i in enumerate(order):
            score[i] = score.get(i, 0) + 1 / (k + rank + 1)
    return sorted(score, key=lambda i: -score[i])


# A German inquiry; the relevant experts wrote their profiles in English, and German
# profiles share the inquiry's words without being relevant (distractors).
CROSS_LANGUAGE_CASE = [
    # id, similarity, language, lexical score, grade
    ("rel_en_1", 0.62, ENGLISH, 0.0, 3),
    ("rel_en_2", 0.55, ENGLISH, 0.0, 3),
    ("rel_de", 0.50, GERMAN, 0.5, 2),
    ("distractor_de_1", 0.42, GERMAN, 1.0, 0),
    ("distractor_de_2", 0.38, GERMAN, 0.9, 0),
    ("other_en", 0.30, ENGLISH, 0.0, 0),
    ("other_de", 0.25, GERMAN, 0.1, 0),
]


def test_fusion_is_not_worse_than_embeddings_on_cross_language_case_where_naive_fusion_is():
    experts = [
        ExpertProfile(id=i, embedded=text_with(s, k + 1, lang))
        for k, (i, s, lang, _, _) in enumerate(CROSS_LANGUAGE_CASE)
    ]
    lexical = {i: lex for i, _, _, lex, _ in CROSS_LANGUAGE_CASE if lex > 0}
    grades = {i: g for i, _, _, _, g in CROSS_LANGUAGE_CASE if g}
    # the hand-set fusion, whose weights switch signals off
    fused = {"kind": "fused"}
    config = load_config(
        {
            "weights": {"discipline": 0, "sector": 0, "language": 0, "capacity": 0},
            "ranker": fused,
        }
    )
    embeddings_only = load_config({"weights": {"lexical": 0}, "ranker": fused})
    query = german_query()

    by_embedding = [m.id for m in rank_experts(query, experts, config=embeddings_only)]
    hybrid = [m.id for m in rank_experts(query, experts, lexical, config=config)]
    by_words = sorted(lexical, key=lambda i: -lexical[i])

    assert ndcg(hybrid, grades) >= ndcg(by_embedding, grades)
    assert ndcg(rrf([by_embedding, by_words]), grades) < ndcg(by_embedding, grades)
    assert hybrid[:2] == ["rel_en_1", "rel_en_2"]
    # the learned ranker (the default) keeps the English specialists on top as well
    learned = [m.id for m in rank_experts(query, experts, lexical)]
    assert learned[:2] == ["rel_en_1", "rel_en_2"]


similarities = st.lists(st.floats(0.0, 1.0), min_size=2, max_size=30)


@settings(max_examples=200, deadline=None)
@given(similarities, st.data(), st.floats(0.0, 0.3))
def test_lexical_boost_is_bounded_and_sums_to_zero(sims, data, weight):
    n = len(sims)
    lexical = np.array(data.draw(st.lists(st.floats(0, 1), min_size=n, max_size=n)))
    reach = np.array(data.draw(st.lists(st.sampled_from([0.0, 0.3, 1.0]), min_size=n, max_size=n)))
    boost = lexical_boost(lexical, reach, weight, np.array(sims))
    assert np.all(np.abs(boost) <= weight + 1e-12)
    assert abs(boost.sum()) < 1e-9


@settings(max_examples=200, deadline=None)
@given(similarities, st.data())
def test_pairs_further_apart_than_the_lexical_weight_keep_their_embedding_order(sims, data):
    n, weight = len(sims), 0.08
    sims = np.array(sims)
    lexical = np.array(data.draw(st.lists(st.floats(0, 1), min_size=n, max_size=n)))
    reach = np.array(data.draw(st.lists(st.sampled_from([0.0, 1.0]), min_size=n, max_size=n)))
    fused = sims + lexical_boost(lexical, reach, weight, sims)
    for a in range(n):
        for b in range(n):
            if sims[a] - sims[b] > weight:
                assert fused[a] > fused[b]


@settings(max_examples=200, deadline=None)
@given(similarities, st.data())
def test_lexical_evidence_changes_nothing_when_no_candidate_is_in_the_query_language(sims, data):
    n = len(sims)
    sims = np.array(sims)
    lexical = np.array(data.draw(st.lists(st.floats(0, 1), min_size=n, max_size=n)))
    fused = sims + lexical_boost(lexical, np.zeros(n), 0.2, sims)
    assert list(np.argsort(-fused, kind="stable")) == list(np.argsort(-sims, kind="stable"))


def test_cross_language_candidate_gets_the_boost_of_a_same_language_one_at_equal_similarity():
    sims = np.array([0.2, 0.4, 0.6, 0.8, 0.6])
    lexical = np.array([0.0, 0.3, 0.6, 0.9, 0.0])
    reach = np.array([1.0, 1.0, 1.0, 1.0, 0.0])
    boost = lexical_boost(lexical, reach, 0.1, sims)
    assert boost[4] == pytest.approx(boost[2])


def test_normalise_lexical_handles_bm25_and_ts_rank():
    assert normalise_lexical({"a": -2.0, "b": -1.0}, lower_is_better=True) == {"a": 1.0, "b": 0.5}
    assert normalise_lexical({"a": 0.2, "b": 0.1}, lower_is_better=False) == {"a": 1.0, "b": 0.5}
    assert normalise_lexical({"a": 0.0}, lower_is_better=False) == {"a": 0.0}


def test_structured_signals_reorder_equally_similar_experts():
    """The hand-set fusion (``ranker.kind: fused``); the learned ranker's own tests are in
    test_reranker.py."""
    same = text_with(0.5, 1, GERMAN)
    experts = [
        ExpertProfile("outsider", same, ("law",), ("retail",), ("en",), 0),
        ExpertProfile("fit", same, ("psychology",), ("insurance",), ("de",), 20),
    ]
    query = german_query()
    query = MatchQuery(
        **{**query.__dict__, "needs": {"psychology": 1.0}, "sectors": {"insurance": 1.0}}
    )
    ranked = rank_experts(query, experts, config=load_config({"ranker": {"kind": "fused"}}))
    assert [m.id for m in ranked] == ["fit", "outsider"]
    parts = ranked[0].contributions
    assert parts["discipline"] > 0 and parts["sector"] > 0 and parts["capacity"] > 0
    assert ranked[0].score == pytest.approx(sum(parts.values()), abs=1e-5)


def test_capacity_signal_is_the_share_of_needed_hours():
    assert capacity_signal(4, 8) == 0.5
    assert capacity_signal(20, 8) == 1.0
    assert capacity_signal(0, 8) == 0.0


def test_reasons_come_in_german_and_english_and_name_the_fitting_segment():
    encoder = HashingEncoder()
    profile = "Acceptance of AI in claims handling. Patent searches for software inventions."
    [embedded] = embed_texts([profile], encoder)
    expert = ExpertProfile("e", embedded, ("psychology",), ("insurance",), ("de", "en"), 12)
    query = build_query("Acceptance of AI in claims handling by staff", encoder, sector="insurance")
    [match] = rank_experts(query, [expert])
    assert match.evidence == "Acceptance of AI in claims handling."
    assert "Acceptance of AI" in match.reason["en"] and "Versicherung" in match.reason["de"]
    assert "12 h/month free" in match.reason["en"]


def test_case_hits_never_quote_the_case_and_redaction_keeps_only_the_score():
    encoder = HashingEncoder()
    secret = "Confidential: Hanse AG loses money on household claims."
    [embedded] = embed_texts([secret], encoder)
    case = CaseRecord("c", embedded, sector="insurance", kind="scenario")
    query = build_query("household claims handling", encoder, sector="insurance")
    [hit] = rank_cases(query, [case])
    assert "Hanse" not in hit.evidence + hit.reason["en"] + hit.reason["de"]
    hidden = redact_case(hit)
    assert hidden.score == hit.score and hidden.evidence == ""


def test_embedded_text_survives_a_round_trip_through_storage():
    [embedded] = embed_texts(["Eins zwei drei. Vier fünf sechs."], HashingEncoder())
    again = EmbeddedText.from_record(embedded.to_record())
    assert np.array_equal(again.vectors, embedded.vectors)
    assert again.segments == embedded.segments and again.language == embedded.language


def test_top_k_by_vector_returns_the_nearest_rows_best_first():
    rng = np.random.default_rng(0)
    matrix = normalise_rows(rng.normal(size=(500, DIM)))
    query = EmbeddedText(matrix[[42]], (), GERMAN)
    top = top_k_by_vector(query, matrix, 5)
    assert top[0] == 42 and len(top) == 5
    scores = matrix[top] @ matrix[42]
    assert np.all(np.diff(scores) <= 0)


def test_only_the_explained_places_get_a_reason_and_the_order_is_the_same():
    encoder = HashingEncoder(256)
    texts = [
        "Claims letters classified by machine learning.",
        "Acceptance of AI among claims handlers.",
        "Shift planning in hospitals.",
        "Works council and labour law on AI.",
    ]
    experts = [
        ExpertProfile(id=i, embedded=e, disciplines=("computer_science",))
        for i, e in enumerate(embed_texts(texts, encoder))
    ]
    query = build_query("Machine learning for claims letters and their acceptance.", encoder)
    full = rank_experts(query, experts)
    short = rank_experts(query, experts, explain=2)
    assert [m.id for m in short] == [m.id for m in full]
    assert all(m.reason for m in short[:2]) and not any(m.reason for m in short[2:])
    assert [m.reason for m in short[:2]] == [m.reason for m in full[:2]]
