"""The encoders behind ``MATCHING_ENCODER``: multilingual-e5 and the combination of two
that the hub uses by default, experts in its whole space and everything else in its first
part (docs/matching.md, "Another encoder")."""

import os

import numpy as np
import pytest

from humaine.matching.encoders import (
    COMBINED_ENCODER,
    CombinedEncoder,
    E5Encoder,
    HashingEncoder,
    get_encoder,
)
from humaine.matching.reranker import for_config

TEXTS = [
    "Kfz-Schäden anhand von Fotos beurteilen",
    "assessing car damage from photos",
    "Arbeitsrecht und Mitbestimmung des Betriebsrats",
    "stress and strain of nurses on night shifts",
]


def test_combined_rows_are_unit_length_and_their_cosine_is_the_weighted_mean():
    first, second = HashingEncoder(64), HashingEncoder(16)
    both = CombinedEncoder([first, second], [1, 3])
    rows = both.encode(TEXTS)
    assert rows.shape == (4, 80) and rows.dtype == np.float32
    assert np.allclose(np.linalg.norm(rows, axis=1), 1.0, atol=1e-6)
    a, b = first.encode(TEXTS), second.encode(TEXTS)
    assert np.allclose(rows @ rows.T, 0.25 * (a @ a.T) + 0.75 * (b @ b.T), atol=1e-6)
    assert both.name == "hashing-64*0.25+hashing-16*0.75"
    assert both.encode([]).shape == (0, 80)


def test_combined_encoder_refuses_weights_that_do_not_fit():
    with pytest.raises(ValueError):
        CombinedEncoder([HashingEncoder()], [1, 1])
    with pytest.raises(ValueError):
        CombinedEncoder([HashingEncoder(), HashingEncoder(16)], [1, 0])


def test_e5_encoder_is_centred_multilingual_and_deterministic():
    e5 = E5Encoder()
    rows = e5.encode(TEXTS)
    assert rows.shape == (4, 384) and rows.dtype == np.float32
    assert np.allclose(np.linalg.norm(rows, axis=1), 1.0, atol=1e-5)
    sims = rows @ rows.T
    # the German and the English text on car damage are each other's nearest
    assert int(np.argsort(-sims[0])[1]) == 1 and int(np.argsort(-sims[1])[1]) == 0
    # centred: unrelated texts are not all 0.8 apart, as the raw model's rows are
    assert sims[0, 3] < 0.3
    assert np.allclose(E5Encoder().encode(TEXTS[:1]), rows[:1], atol=1e-5)
    assert e5.encode([]).shape == (0, 384)


def test_e5_leaves_the_process_thread_setting_alone(monkeypatch):
    monkeypatch.setenv("OMP_NUM_THREADS", "7")
    E5Encoder().encode(["Qualitätsprüfung"])
    assert os.environ["OMP_NUM_THREADS"] == "7"
    monkeypatch.delenv("OMP_NUM_THREADS")
    E5Encoder().encode(["Qualitätsprüfung"])
    assert "OMP_NUM_THREADS" not in os.environ


def test_the_combined_setting_is_shared_and_has_its_own_ranker():
    combined = get_encoder(COMBINED_ENCODER)
    assert combined is get_encoder(COMBINED_ENCODER)
    assert combined.dim == 512 + 384
    assert "usem3" in combined.name and "e5-small" in combined.name
    # its ranker was trained on the signals this encoder gives, and names no unknown one
    ranker = for_config({"kind": "learned", "file": "ranker-usem3-e5.yaml"})
    assert ranker is not None and ranker.signals[0] == "whole"


def test_unknown_encoder_is_refused():
    with pytest.raises(ValueError, match="unknown encoder"):
        get_encoder("e6")


def test_the_hub_uses_the_ranker_of_its_encoder_unless_its_settings_name_another(settings):
    from humaine.matching import store

    settings.MATCHING_CONFIG = None
    settings.MATCHING_ENCODER = COMBINED_ENCODER
    assert store.config().ranker["file"] == "ranker-usem3-e5.yaml"
    settings.MATCHING_ENCODER = "hashing"
    assert store.config().ranker["file"] == "ranker.yaml"
    settings.MATCHING_ENCODER = COMBINED_ENCODER
    settings.MATCHING_CONFIG = {"ranker": {"file": "/srv/hub/our-ranker.yaml"}}
    assert store.config().ranker["file"] == "/srv/hub/our-ranker.yaml"
    settings.MATCHING_CONFIG = {"ranker": {"kind": "fused"}}
    assert store.config().ranker["kind"] == "fused"


def test_needs_are_told_by_the_first_encoder_of_a_combined_one():
    from humaine.matching.config import load_config
    from humaine.matching.ranking import build_query, embed_texts

    text = (
        "Wir möchten Schadenmeldungen mit KI sortieren. Wie beteiligen wir den Betriebsrat, "
        "und was sagt das Arbeitsrecht?"
    )
    first = HashingEncoder(256)
    both = CombinedEncoder([first, HashingEncoder(64)], [1, 1])
    alone = build_query(text, first, sector="insurance")
    posted = build_query(text, both, sector="insurance")
    [stored] = embed_texts([text], both)
    saved = build_query(text, both, sector="insurance", embedded=stored)
    assert posted.needs == alone.needs == saved.needs
    # stored rows without a gloss: the needs come from their first encoder's part
    plain = load_config({"lexicon": {"weight": 0}})
    [unglossed] = embed_texts([text], both, plain)
    saved_plain = build_query(text, both, sector="insurance", config=plain, embedded=unglossed)
    assert saved_plain.needs == build_query(text, first, sector="insurance", config=plain).needs
    assert posted.embedded.vectors.shape[1] == 256 + 64  # matching itself sees both


def test_e5_encodes_inquiries_as_queries_with_the_same_model():
    passages = E5Encoder()
    queries = passages.for_queries()
    assert queries is passages.for_queries() and queries.for_queries() is queries
    assert queries.name == passages.name + "-query" and queries._shared is passages._shared
    rows, asked = passages.encode(TEXTS), queries.encode(TEXTS[:1])
    assert not np.allclose(asked[0], rows[0], atol=1e-3)  # another prefix, another row
    # the German query finds the English passage on car damage among the others
    assert int(np.argsort(-(rows[1:] @ asked[0]))[0]) == 0
    both = CombinedEncoder([HashingEncoder(64), passages], [1, 1])
    assert both.for_queries().encoders == [both.encoders[0], queries]
    alone = CombinedEncoder([HashingEncoder(64), HashingEncoder(16)], [1, 1])
    assert alone.for_queries() is alone


class AskingHashingEncoder(HashingEncoder):
    """A test encoder with a variant for queries, as e5 has (here only its name differs)."""

    def __init__(self, dim: int):
        super().__init__(dim)
        self._queries = HashingEncoder(dim)
        self._queries.name = f"hashing-{dim}-query"

    def for_queries(self):
        return self._queries


@pytest.fixture
def combined(monkeypatch):
    """The hub on a combined encoder of two test encoders, the second with a variant for
    queries."""
    from humaine.matching import store

    both = CombinedEncoder([HashingEncoder(256), AskingHashingEncoder(64)], [1, 1])
    monkeypatch.setattr(store, "encoder", lambda: both)
    return both


def _case_scores(outcome):
    return [(hit.kind, hit.pk, hit.score) for hit in outcome.cases]


def test_only_experts_are_compared_in_the_whole_space_of_a_combined_encoder(
    cast, pool, combined, monkeypatch
):
    """Experts and inquiries are stored with both parts; cases, methods and conflicts
    are compared in the first part, exactly as the first encoder alone compares them."""
    from humaine.matching import store
    from humaine.matching.matches import MatchInput, find_matches
    from humaine.matching.models import Embedding
    from humaine.matching.tests.conftest import index_everything

    index_everything()
    dims = dict(Embedding.objects.values_list("kind", "dim").distinct())
    assert dims == {"expert": 320, "inquiry": 320, "method": 256}
    names = dict(Embedding.objects.values_list("kind", "encoder").distinct())
    assert names["expert"] == combined.name and names["method"] == "hashing-256"
    assert names["inquiry"] == combined.for_queries().name != combined.name
    matrices = store.matrices(["expert", "inquiry", "method"])
    assert matrices["expert"].matrix.shape[1] == 320
    assert matrices["inquiry"].matrix.shape[1] == matrices["method"].matrix.shape[1] == 256
    text = "Wir wollen eingehende Schadenbriefe mit KI sortieren. Was sagt der Betriebsrat?"
    posted = find_matches(MatchInput(text=text, sector="insurance"), cast.staff)
    saved = find_matches(MatchInput.for_inquiry(cast.acme_inquiry), cast.staff)
    assert posted.experts and posted.cases and posted.methods

    first = combined.encoders[0]
    monkeypatch.setattr(store, "encoder", lambda: first)
    store.forget_matrices()
    index_everything()
    posted_first = find_matches(MatchInput(text=text, sector="insurance"), cast.staff)
    saved_first = find_matches(MatchInput.for_inquiry(cast.acme_inquiry), cast.staff)
    for a, b in ((posted, posted_first), (saved, saved_first)):
        assert [(k, p) for k, p, _ in _case_scores(a)] == [(k, p) for k, p, _ in _case_scores(b)]
        assert np.allclose([s for *_, s in _case_scores(a)], [s for *_, s in _case_scores(b)])
        assert [(m.entry.key, round(m.score, 4)) for m in a.methods] == [
            (m.entry.key, round(m.score, 4)) for m in b.methods
        ]
        assert a.needs == b.needs
