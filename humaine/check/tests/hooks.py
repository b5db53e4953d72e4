"""The check's examples for the hub-wide common tests."""

from humaine.check import pdf, services
from humaine.tests.hooks import EXAMPLES, PersonalDataExample


def checks_example(person, marker, cast):
    created = services.start_check(
        title=f"Check {marker}",
        description=f"Beschreibung {marker}",
        notify_email=f"{marker}@example.org",
        respondents=[("user", f"Team {marker}")],
        actor=person.user,
    )
    services.save_document(
        created.check, "worker_notice", "de", f"Information {marker}", actor=person.user
    )
    # its PDF, kept in the cache
    pdf.render_pdf(
        "check/document_pdf.html",
        {"check": created.check, "title": "Information", "body": f"<p>Information {marker}</p>"},
        owner=pdf.pdf_owner(created.check),
    )


EXAMPLES.register(PersonalDataExample("ai_checks", checks_example))


# The access matrix -------------------------------------------------------------------------

from humaine.check import access  # noqa: E402
from humaine.contact import access as contact_access  # noqa: E402
from humaine.tests.hooks import once, route  # noqa: E402


def _checks(cast):
    """A check on Acme's inquiry and one a member started on their own (by id), and a
    standalone check with its private link and a respondent's invitation."""

    def make():
        on_inquiry = services.start_check(
            title="Check der Acme",
            inquiry=cast.acme_inquiry,
            actor=cast.member,
            respondents=[("user", "Team")],
        ).check
        own = services.start_check(
            title="Eigener Check", actor=cast.member, respondents=[("user", "Team")]
        ).check
        linked = services.start_check(
            title="Check per Link", respondents=[("user", "Team"), ("manager", "Leitung")]
        )
        services.submit_answers(linked.invitations[1].respondent)
        return on_inquiry, own, linked

    return once(cast, "checks", make)


def by_id(cast):
    on_inquiry, own, _linked = _checks(cast)
    return [({"pk": check.pk}, check) for check in (on_inquiry, own)]


def by_link(cast):
    linked = _checks(cast)[2]
    return [({"token": linked.token}, linked.check)]


def invitations(cast):
    invitation = _checks(cast)[2].invitations[0]
    return [({"token": invitation.token}, invitation.respondent)]


def submitted_invitations(cast):
    invitation = _checks(cast)[2].invitations[1]
    return [({"token": invitation.token}, invitation.respondent)]


def respondents_by_id(cast):
    on_inquiry, own, _linked = _checks(cast)
    return [
        ({"pk": check.pk, "respondent": check.respondents.first().pk}, check)
        for check in (on_inquiry, own)
    ]


def respondents_by_link(cast):
    linked = _checks(cast)[2]
    return [
        ({"token": linked.token, "respondent": linked.invitations[1].respondent.pk}, linked.check)
    ]


def with_kind(cases):
    return [({**kwargs, "kind": "worker_notice"}, obj) for kwargs, obj in cases]


def inquiries(cast):
    return [({"pk": i.pk}, i) for i in (cast.acme_inquiry, cast.globex_inquiry)]


OWNER_PAGES = (
    "overview", "invite", "profile", "result", "result_pdf", "result_json", "result_sharing",
)  # fmt: skip
OWNER_POSTS = ("invite", "result_sharing")

for name in ("start", "created", "catalogue", "recommendations"):
    route(f"check:{name}", login=False)
route("check:my_checks")
route(
    "check:start_for_inquiry",
    "pk",
    method="POST",
    objects=inquiries,
    see=contact_access.can_view_inquiry,
    may=access.can_start_check,
)
for name in OWNER_PAGES:
    method = "POST" if name in OWNER_POSTS else "GET"
    # a check's pages by id are not behind the login: a visitor finds nothing there
    route(f"check:{name}", "pk", method=method, objects=by_id, see=access.can_view_check,
          may=access.can_manage_check if method == "POST" else None, login=False)  # fmt: skip
    route(f"check:{name}", "token", method=method, objects=by_link, login=False)
route(
    "check:profile", "pk", method="POST", objects=by_id, see=access.can_view_check,
    may=access.can_manage_check, login=False,
)  # fmt: skip
for name in ("document", "document_pdf"):
    route(f"check:{name}", "pk", "kind", objects=lambda c: with_kind(by_id(c)),
          see=access.can_view_check, login=False)  # fmt: skip
    route(f"check:{name}", "token", "kind", objects=lambda c: with_kind(by_link(c)),
          login=False)  # fmt: skip
route(
    "check:document", "pk", "kind", method="POST", objects=lambda c: with_kind(by_id(c)),
    see=access.can_view_check, may=access.can_manage_check, login=False,
)  # fmt: skip
for name in ("respond", "respond_browse", "respond_recommendations"):
    route(f"check:{name}", "token", objects=invitations, login=False)
route("check:respond_submit", "token", method="POST", objects=invitations, login=False)
route("check:respond_result", "token", objects=submitted_invitations, login=False)
for name in ("resend_invitation", "revoke_invitation"):
    route(f"check:{name}", "pk", "respondent", method="POST", objects=respondents_by_id,
          see=access.can_view_check, may=access.can_manage_check, login=False)  # fmt: skip
    route(f"check:{name}", "respondent", "token", method="POST", objects=respondents_by_link,
          login=False)  # fmt: skip
route(
    "check:respond_phase", "phase", "token", login=False,
    objects=lambda c: [({**kw, "phase": "development"}, o) for kw, o in invitations(c)],
)  # fmt: skip

# The API
route("api:classify_profile", method="POST", login=False, data={})
route("api:create_check", method="POST", login=False, data={"title": "API-Check"})
route(
    "api:save_answers",
    method="POST",
    login=False,
    data=lambda c: {"token": invitations(c)[0][0]["token"], "answers": {}},
)
route(
    "api:get_check",
    "check_id",
    objects=lambda c: [({"check_id": kw["pk"]}, o) for kw, o in by_id(c)],
    see=access.can_view_check,
)
