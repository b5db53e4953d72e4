"""The foundation's routes for the access matrix."""

from humaine.core import access, services
from humaine.tests.hooks import route


def _jobs(cast):
    from django_tasks_db.models import DBTaskResult

    from humaine.contact import tasks

    tasks.send_inquiry_confirmation.enqueue(cast.acme_inquiry.pk)
    result = DBTaskResult.objects.order_by("-enqueued_at").first()
    return [({"pk": result.pk}, result)]


def _tokens(cast):
    token, _key = services.issue_api_token(cast.member, "Skript")
    return [({"pk": token.pk}, token)]


route("core:dashboard")
route("core:jobs", may=lambda user, obj: access.can_view_jobs(user))
route(
    "core:job_rerun", "pk", method="POST", objects=_jobs,
    may=lambda user, obj: access.can_view_jobs(user),
)  # fmt: skip
route("core:hub_settings", may=lambda user, obj: access.can_edit_hub(user))
route("core:api_tokens", may=lambda user, obj: access.can_use_api_tokens(user))
route(
    "core:api_token_revoke", "pk", method="POST", objects=_tokens,
    see=lambda user, token: token.user_id == user.pk,
)  # fmt: skip
# Without a logo, the logo is not found, for anyone.
route("core:hub_logo", login=False, see=lambda user, obj: False)
for name in ("healthz", "login", "set_language"):
    route(name, login=False, method="POST" if name == "set_language" else "GET")
# 503 while no worker is alive (as in most tests)
route("healthz_jobs", login=False, accept=(503,))
route("api:api-root", login=False, accept=(404,))
route("api:openapi-json", login=False)
route("api:openapi-view", login=False)


def _progress(cast):
    from humaine.core.models import Progress

    # a kind no app registers: the default rule (whoever asked, and staff) applies
    asked = Progress.objects.create(kind="core.matrix", requested_by=cast.member)
    return [({"pk": asked.pk}, asked)]


route("core:progress", "pk", objects=_progress, see=access.can_view_progress)
