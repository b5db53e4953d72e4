"""What matching tells experts (``humaine.notifications``): that staff put them on an
inquiry's team, or took them off it."""

from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from humaine import policy
from humaine.notifications.kinds import Kind

PUT_ON_TEAM = "matching.put_on_team"
TAKEN_OFF_TEAM = "matching.taken_off_team"


def _inquiry_link(notification) -> str:
    return reverse("contact:inquiry_detail", args=[notification.object_id])


def _put_on_text(notification) -> str:
    params = notification.params
    return gettext(
        "You are on the team of inquiry %(reference)s, with %(hours)s hours a month."
    ) % {
        "reference": params.get("reference", ""),
        "hours": params.get("hours", ""),
    }


def _taken_off_text(notification) -> str:
    return gettext("You are no longer on the team of inquiry %(reference)s.") % {
        "reference": notification.params.get("reference", "")
    }


KINDS = [
    Kind(
        PUT_ON_TEAM,
        label=_("the hub's staff put you on an inquiry's team"),
        text=_put_on_text,
        link=_inquiry_link,
        audience=policy.is_expert,
        order=40,
    ),
    Kind(
        TAKEN_OFF_TEAM,
        label=_("the hub's staff take you off an inquiry's team"),
        # no link: the inquiry is no longer theirs to open
        text=_taken_off_text,
        audience=policy.is_expert,
        order=41,
    ),
]
