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


# The access matrix -------------------------------------------------------------------------

from humaine.contact import access as contact_access  # noqa: E402
from humaine.matching import access  # noqa: E402
from humaine.tests.hooks import route  # noqa: E402


def inquiries(cast, key="pk"):
    return [({key: i.pk}, i) for i in (cast.acme_inquiry, cast.globex_inquiry)]


route(
    "matching:panel", "pk", objects=inquiries, see=contact_access.can_view_inquiry,
    may=access.can_view_matches,
)  # fmt: skip
route(
    "matching:accept_team", "pk", method="POST", objects=inquiries,
    see=contact_access.can_view_inquiry, may=access.can_accept_team,
)  # fmt: skip
route("matching:import_experts", may=lambda user, obj: access.can_import_experts(user))
route("matching:my_profile")
route(
    "matching:expert_profile",
    "pk",
    objects=lambda c: [({"pk": c.expert.pk}, c.expert)],
    see=contact_access.can_edit_expert,
)

# The API
route(
    "api:inquiry_matches", "inquiry_id", objects=lambda c: inquiries(c, "inquiry_id"),
    see=contact_access.can_view_inquiry, may=access.can_view_matches,
)  # fmt: skip
route(
    "api:accept_team", "inquiry_id", method="POST", objects=lambda c: inquiries(c, "inquiry_id"),
    see=contact_access.can_view_inquiry, may=access.can_accept_team, data={"members": [0]},
)  # fmt: skip
route(
    "api:preview", method="POST", data={"text": "Schadenprüfung"},
    may=lambda user, obj: access.can_preview_matching(user),
)  # fmt: skip
route(
    "api:rebuild", method="POST", data={"force": False},
    may=lambda user, obj: access.can_rebuild_matching(user),
)  # fmt: skip


def _builds(cast):
    from humaine.matching.models import IndexBuild

    build = IndexBuild.objects.create(requested_by=cast.staff)
    return [({"build_id": build.pk}, build)]


route(
    "api:rebuild_progress", "build_id", objects=_builds,
    may=lambda user, obj: access.can_rebuild_matching(user),
)  # fmt: skip
