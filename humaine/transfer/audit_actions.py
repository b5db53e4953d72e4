"""What transfer and network record in the audit trail (registered in ``ready()``)."""

from django.utils.translation import gettext_lazy as _

from humaine.core.audit import Action

ACTIONS = (
    Action("entry.created", _("Entry created")),
    Action("entry.draft_saved", _("Draft saved")),
    Action("entry.submitted", _("Submitted for review")),
    Action("entry.returned", _("Returned for changes")),
    Action("entry.published", _("Published")),
    Action("entry.unpublished", _("Unpublished")),
    Action("entry.visibility_changed", _("Visibility changed")),
    Action("entry.consent_recorded", _("Consent to publish recorded")),
    Action("entry.consent_withdrawn", _("Consent to publish withdrawn")),
    Action("entry.attachment_added", _("Attachment added")),
    Action("entry.attachment_removed", _("Attachment removed")),
    Action("entry.attachment_removal_requested", _("Attachment marked for removal")),
    Action("entry.attachment_kept", _("Attachment's removal withdrawn")),
    Action("event.created", _("Event created")),
    Action("event.updated", _("Event changed")),
    Action("event.attendance_recorded", _("Attendance recorded")),
    Action("event.registrations_erased", _("Registrations erased after the event")),
    Action("registration.created", _("Registered for the event")),
    Action("registration.cancelled", _("Registration cancelled")),
    Action("registration.promoted", _("Moved up from the waiting list")),
    Action("network_member.added", _("Network member added")),
    Action("network_member.updated", _("Network member changed")),
    Action("network_member.left", _("Left the network")),
)
