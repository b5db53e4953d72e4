"""Matching's examples for the hub-wide common tests."""

from humaine.contact.models import Expert
from humaine.matching import services, store
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
    # declared relationships, and staff's decision on a conflict they raise
    expert.relationships.create(kind="client", name=f"{marker} AG")
    expert.relationships.create(kind="product", name=f"Produkt {marker}")
    services.override_conflict(
        cast.acme_inquiry,
        expert,
        reason=f"{marker} berät Acme seit Jahren unabhängig",
        actor=cast.staff,
    )


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
    from humaine.matching import services

    build = services.request_rebuild(actor=cast.staff)
    return [({"build_id": build.pk}, build)]


route(
    "api:rebuild_progress", "build_id", objects=_builds,
    may=lambda user, obj: access.can_rebuild_matching(user),
)  # fmt: skip


def _with_expert(cast, key="pk", expert_key="expert_pk"):
    return [({key: i.pk, expert_key: cast.expert.pk}, i) for _, i in inquiries(cast)]


def _with_override(cast):
    from humaine.matching.models import ConflictOverride

    for _, inquiry in inquiries(cast):
        ConflictOverride.objects.get_or_create(
            inquiry=inquiry, expert=cast.expert, defaults={"reason": "allowed in a test"}
        )
    return _with_expert(cast, "inquiry_id", "expert_id")


REASON = {"reason": "Die Zusammenarbeit ist beendet."}
route(
    "matching:override_conflict", "pk", "expert_pk", method="POST", objects=_with_expert,
    see=contact_access.can_view_inquiry, may=access.can_accept_team, data=REASON,
)  # fmt: skip
route(
    "api:override_conflict", "inquiry_id", "expert_id", method="POST",
    objects=lambda c: _with_expert(c, "inquiry_id", "expert_id"),
    see=contact_access.can_view_inquiry, may=access.can_accept_team, data=REASON,
    # the cast's expert has no conflict with either inquiry: staff are told so
    accept=(422,),
)  # fmt: skip
route(
    "api:revoke_override", "inquiry_id", "expert_id", method="DELETE", objects=_with_override,
    see=contact_access.can_view_inquiry, may=access.can_accept_team,
)  # fmt: skip
route(
    "api:set_slot_hours", "inquiry_id", method="PUT", objects=lambda c: inquiries(c, "inquiry_id"),
    see=contact_access.can_view_inquiry, may=access.can_accept_team,
    data={"hours": {"consultation": 3}},
)  # fmt: skip
route("matching:index", may=lambda user, obj: access.can_rebuild_matching(user))
route("matching:index", method="POST", may=lambda user, obj: access.can_rebuild_matching(user))
