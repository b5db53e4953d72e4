"""Who may see and do what with remarks: the rules next to their objects."""

from humaine import policy
from humaine.contact import access as contact_access

from .models import Remark


def remarks_visible_to(user):
    return Remark.objects.visible_to(user)


def can_view_remark(user, remark: Remark) -> bool:
    return contact_access.can_view_inquiry(user, remark.inquiry)


def can_remark_on(user, inquiry=None) -> bool:
    """Hub staff remark on inquiries and count their words."""
    return policy.is_staff(user)


RULES = (policy.Rule("toy.remarks", "toy.remark", remarks_visible_to, can_view_remark),)
