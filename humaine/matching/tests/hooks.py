"""Matching's examples for the hub-wide common tests."""

from humaine.contact.models import Expert
from humaine.matching import store
from humaine.tests.hooks import EXAMPLES, PersonalDataExample


def profile_example(person, marker, cast):
    expert = Expert.objects.create(
        person=person,
        disciplines=["psychology"],
        topics=f"Akzeptanz von KI bei {marker}",
        methods=f"Interviews mit {marker}",
    )
    # the profile's vectors and quoted segments, as the refresh job stores them
    store.refresh_objects("expert", [expert.pk])


EXAMPLES.register(PersonalDataExample("expert_profile", profile_example))
