"""Matching's test pool: experts of several disciplines, indexed with the hashing encoder."""

import pytest

from humaine.matching import store
from humaine.tests import factories as f

# The hashing encoder of the tests gives near-zero similarities; the hub's fit floor is
# in the real encoder's units (tests of the floor set it themselves).
TEST_CONFIG = {"team": {"fit_floor": -1.0}}


@pytest.fixture(autouse=True)
def _floor_for_the_test_encoder(settings):
    settings.MATCHING_CONFIG = TEST_CONFIG


@pytest.fixture(autouse=True)
def _fresh_matrices():
    # the per-process vector matrices would outlive each test's rolled-back database
    store.forget_matrices()
    yield
    store.forget_matrices()


def index_everything(methods: bool = True):
    """Embed every expert, inquiry and method now (what the jobs do after each save)."""
    from humaine.contact.models import Expert, Inquiry

    store.refresh_objects("expert", Expert.objects.values_list("pk", flat=True))
    store.refresh_objects("inquiry", Inquiry.objects.values_list("pk", flat=True))
    if methods:
        store.refresh_methods()


POOL = [
    # name, disciplines, sectors, capacity, topics, methods
    (
        "Dr. Carla Code",
        ["computer_science"],
        ["insurance"],
        20,
        "Text classification of claims letters at insurers; routing incoming mail with AI.",
        "Machine learning, language models, calibration",
    ),
    (
        "Prof. Paul Psych",
        ["psychology"],
        ["insurance"],
        20,
        "Acceptance and trust of claims handlers in AI suggestions.",
        "Surveys, interviews, acceptance studies",
    ),
    (
        "Dr. Wanda Work",
        ["work_science"],
        ["industry"],
        20,
        "Work design when claims handling is automated; workload of case handlers.",
        "Task analysis, workload assessment",
    ),
    (
        "Eng. Erik Press",
        ["engineering"],
        ["industry"],
        20,
        "Vibration sensors on presses for predictive maintenance.",
        "Condition monitoring, signal processing",
    ),
    (
        "Dr. Lena Law",
        ["law"],
        ["insurance"],
        20,
        "Works agreements and data protection for AI systems.",
        "Legal review, GDPR impact assessments",
    ),
]


@pytest.fixture
def pool(cast):
    """The cast's experts plus five more, with a research institute as employer."""
    institute = f.make_organisation("Institut Ruhr", kind="research")
    experts = {}
    for name, disciplines, sectors, capacity, topics, methods in POOL:
        expert = f.make_expert(
            name,
            disciplines=disciplines,
            topics=topics,
            methods=methods,
            languages=["de", "en"],
            capacity_hours=capacity,
        )
        expert.person.organisation = institute
        expert.person.save(update_fields=["organisation"])
        expert.sectors.set([cast.sectors[s] for s in sectors])
        experts[name.split()[-1]] = expert
    return experts
