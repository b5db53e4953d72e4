"""Cross-language retrieval with the real multilingual encoder (the only tests that load it)."""

import pytest

from humaine.matching.encoders import Encoder, get_encoder
from humaine.matching.lexical import MemoryIndex
from humaine.matching.ranking import ExpertProfile, build_query, embed_texts, rank_experts

PROFILES = {
    "acceptance_en": (
        "Acceptance of AI in claims handling; trust of claims handlers in algorithmic "
        "recommendations. Surveys and interviews with insurance staff.",
        ("psychology",),
    ),
    "vibration_de": (
        "Zustandsüberwachung von Pressen und Pumpen; Schwingungsanalyse und Sensorik für "
        "die vorausschauende Instandhaltung.",
        ("engineering",),
    ),
    "failure_de": (
        "Schadensanalyse an Bauteilen; Bruchflächen und Ursachen von Materialversagen.",
        ("engineering",),
    ),
    "patents_en": (
        "Patent law; drafting patent claims for software inventions.",
        ("law",),
    ),
    "rostering_de": (
        "Dienstplanung in der Pflege; Schichtmodelle und Wunschdienste.",
        ("work_science",),
    ),
    "warehouse_en": (
        "Computer vision for warehouse robots; detecting pallets and parcels.",
        ("computer_science",),
    ),
}


@pytest.fixture(scope="module")
def encoder() -> Encoder:
    return get_encoder()


@pytest.fixture(scope="module")
def pool(encoder):
    texts = [text for text, _ in PROFILES.values()]
    vectors = embed_texts(texts, encoder)
    experts = [
        ExpertProfile(id=key, embedded=v, disciplines=d, languages=("de", "en"), free_hours=10)
        for (key, (_, d)), v in zip(PROFILES.items(), vectors)
    ]
    return experts, MemoryIndex((key, text) for key, (text, _) in PROFILES.items())


def test_real_encoder_returns_unit_float32_rows(encoder):
    vectors = encoder.encode(["Kfz-Schäden beurteilen", "car damage assessment"])
    assert vectors.dtype.name == "float32" and vectors.shape == (2, encoder.dim)
    assert abs(float((vectors**2).sum(axis=1).max()) - 1) < 1e-5


@pytest.mark.parametrize(
    ("inquiry", "expected"),
    [
        (
            "Unsere Sachbearbeiter in der Schadenbearbeitung vertrauen den Vorschlägen der KI "
            "nicht. Wie erhöhen wir die Akzeptanz?",
            "acceptance_en",
        ),
        (
            "Our presses and pumps fail unexpectedly; we want to predict failures from "
            "vibration sensor data.",
            "vibration_de",
        ),
    ],
)
def test_inquiry_finds_expert_described_in_the_other_language(encoder, pool, inquiry, expected):
    experts, index = pool
    query = build_query(inquiry, encoder)
    ranked = rank_experts(query, experts, index.search(inquiry))
    assert ranked[0].id == expected


CROWDED = {
    "vision_de": "Kamerabasierte Prüfung von Gussteilen; Erkennung von Rissen und Lunkern.",
    "vision_en": "Camera-based surface inspection of metal parts with deep learning.",
    "inline_de": "Inline-Prüfsysteme mit Kameras für Kunststoff- und Metallteile.",
    "anomaly_en": "Anomaly detection in images from production lines with few defect examples.",
    "xray_de": "Röntgenprüfung und Computertomografie von Gussbauteilen in der Gießerei.",
    "robots_en": "Computer vision for warehouse robots; detecting pallets and parcels.",
    "lawyer_en": "Employment law on workplace monitoring; works council co-determination and "
    "works agreements when cameras and AI are introduced.",
}


def test_a_german_inquiry_asking_for_legal_advice_has_the_lawyer_in_the_top_five(encoder):
    texts = list(CROWDED.values())
    experts = [
        ExpertProfile(
            id=key,
            embedded=v,
            disciplines=("law",) if key == "lawyer_en" else ("computer_science",),
            languages=("de", "en"),
            free_hours=10,
        )
        for key, v in zip(CROWDED, embed_texts(texts, encoder))
    ]
    inquiry = (
        "Wir wollen an der Putzerei Kameras installieren, die Gussteile automatisch auf Risse "
        "prüfen. Der Betriebsrat sagt, die Kameras dürfen nicht zur Überwachung genutzt werden; "
        "wir brauchen rechtliche Beratung, was erlaubt ist."
    )
    index = MemoryIndex((key, text) for key, text in CROWDED.items())
    ranked = rank_experts(build_query(inquiry, encoder), experts, index.search(inquiry))
    assert "lawyer_en" in [m.id for m in ranked[:5]]
