"""An erased expert is gone from matching: never ranked, quoted or proposed again."""

from humaine.contact.services import erase_person
from humaine.matching.matches import MatchInput, find_matches
from humaine.matching.models import Embedding
from humaine.matching.tests.conftest import index_everything
from humaine.tests.leaks import Identity, find_everywhere

REQUEST = "We need help with the calibration of our language models."


def test_an_erased_expert_no_longer_ranks_and_leaves_no_evidence(cast, pool):
    carla = pool["Code"]
    carla.topics = "Dr. Carla Code calibrates language models and text classifiers."
    carla.save()
    index_everything()
    before = find_matches(MatchInput(text=REQUEST), cast.staff)
    assert carla.pk in {hit.expert.pk for hit in before.experts}
    identity = Identity.of(carla.person)

    erase_person(carla.person, actor=cast.staff)
    index_everything()

    after = find_matches(MatchInput(text=REQUEST), cast.staff)
    assert carla.pk not in {hit.expert.pk for hit in after.experts}
    assert all("Carla" not in hit.evidence for hit in after.experts)
    assert after.team is None or carla.pk not in {m.pk for m in _team(after)}
    carla.refresh_from_db()
    assert not carla.active and carla.topics == "" and carla.methods == ""
    assert not Embedding.objects.filter(kind="expert", object_id=str(carla.pk)).exists()
    assert not find_everywhere(*identity.needles())


def _team(outcome):
    return [
        candidate.expert
        for slot in outcome.team.slots
        for candidate in (slot.member, *slot.alternatives)
    ] + [candidate.expert for candidate in outcome.team.flagged]
