from dataclasses import replace

from humaine.matching.encoders import HashingEncoder
from humaine.matching.lexical import MemoryIndex
from humaine.matching.pipeline import match_inquiry
from humaine.matching.ranking import CaseRecord, ExpertProfile, embed_texts

ENCODER = HashingEncoder()
PROFILES = [
    ("cs", "Text classification of claims letters at insurers.", ("computer_science",)),
    ("psy", "Acceptance and trust of claims handlers in AI suggestions.", ("psychology",)),
    ("eng", "Vibration sensors on presses for predictive maintenance.", ("engineering",)),
    ("law", "Works agreements and data protection for AI systems.", ("law",)),
]
CASES = [
    ("c1", "Routing incoming claims mail with a text classifier.", "insurance"),
    ("c2", "Predictive maintenance of presses.", "industry"),
]


def experts(texts=None):
    texts = texts or {key: text for key, text, _ in PROFILES}
    vectors = embed_texts([texts[key] for key, _, _ in PROFILES], ENCODER)
    return [
        ExpertProfile(key, v, d, ("insurance",), ("de", "en"), 10)
        for (key, _, d), v in zip(PROFILES, vectors)
    ]


def cases():
    vectors = embed_texts([text for _, text, _ in CASES], ENCODER)
    return [CaseRecord(key, v, sector) for (key, _, sector), v in zip(CASES, vectors)]


INQUIRY = "Claims handlers must classify incoming claims letters; do they trust AI suggestions?"


def test_match_inquiry_ranks_cases_and_proposes_an_interdisciplinary_team():
    pool = experts()
    lexical = MemoryIndex((key, text) for key, text, _ in PROFILES).search(INQUIRY)
    result = match_inquiry(
        INQUIRY,
        ENCODER,
        pool,
        cases(),
        sector="insurance",
        expert_lexical=lexical,
    )
    assert result.experts[0].id in {"cs", "psy"}
    assert result.cases[0].id == "c1"
    team = {m.id for m in result.team.members}
    assert result.team.satisfied and {"psy"} <= team and team & {"cs", "eng"}


def test_re_embedding_an_edited_profile_changes_the_ranking():
    before = match_inquiry(INQUIRY, ENCODER, experts(), [], sector="insurance")
    edited = {key: text for key, text, _ in PROFILES}
    edited["eng"] = "Classification of incoming claims letters; trust of claims handlers in AI."
    after = match_inquiry(INQUIRY, ENCODER, experts(edited), [], sector="insurance")
    rank = {m.id: k for k, m in enumerate(before.experts)}
    rank_after = {m.id: k for k, m in enumerate(after.experts)}
    assert rank_after["eng"] < rank["eng"]


def test_without_capacity_nobody_is_proposed():
    pool = [replace(e, free_hours=0) for e in experts()]
    result = match_inquiry(INQUIRY, ENCODER, pool, [], sector="insurance")
    assert result.team.members == () and not result.team.satisfied
    assert len(result.team.unavailable) == len(pool)
