"""What the contact point tells people (``humaine.notifications``): staff when an
inquirer replies or when they are made responsible, the inquirer (by email, without an
account) when their inquiry's status changes."""

from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from humaine import policy
from humaine.notifications.kinds import Kind

REPLY = "contact.reply_received"
ASSIGNED = "contact.inquiry_assigned"
STATUS = "contact.status_changed"


def _inquiry_link(notification) -> str:
    return reverse("contact:inquiry_detail", args=[notification.object_id])


def _reply_text(notification) -> str:
    return gettext("The inquirer of %(reference)s replied on the status page.") % {
        "reference": notification.params.get("reference", "")
    }


def _assigned_text(notification) -> str:
    return gettext("You are now responsible for inquiry %(reference)s.") % {
        "reference": notification.params.get("reference", "")
    }


def _status_text(notification) -> str:
    return gettext("The status of inquiry %(reference)s changed.") % {
        "reference": notification.params.get("reference", "")
    }


KINDS = [
    Kind(
        REPLY,
        label=_("an inquirer replies on their status page"),
        help=_("You hear of it when you are responsible for the inquiry, or while nobody is."),
        text=_reply_text,
        link=_inquiry_link,
        audience=policy.is_staff,
        order=10,
    ),
    Kind(
        ASSIGNED,
        label=_("someone makes you responsible for an inquiry"),
        text=_assigned_text,
        link=_inquiry_link,
        audience=policy.is_staff,
        order=20,
    ),
    Kind(
        STATUS,
        label=_("the status of the inquiry changes"),
        text=_status_text,
        accounts=False,
        email_template="contact/email/status_changed",
        order=30,
    ),
]
