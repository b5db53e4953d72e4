"""What application scenarios record in the audit trail (registered in ``ready()``)."""

from django.utils.translation import gettext_lazy as _

from humaine.core.audit import Action

ACTIONS = (
    Action("scenario.started", _("Scenario started")),
    Action("scenario.updated", _("Scenario changed")),
    Action("scenario.phase_changed", _("Phase changed")),
    Action("scenario.gate_position_recorded", _("Position at the gate recorded")),
    Action("scenario.decision_recorded", _("Decision recorded")),
    Action("scenario.check_started", _("Check started")),
    Action("scenario.comment_added", _("Comment added")),
    Action("scenario.deliverable_marked", _("Deliverable marked")),
    Action("scenario.file_uploaded", _("File uploaded")),
    Action("scenario.file_retired", _("File retired")),
    Action("scenario.file_version_retired", _("File version retired")),
    Action("scenario.group_saved", _("Stakeholder group saved")),
    Action("scenario.member_invited", _("Member invited")),
    Action("scenario.member_added", _("Member added")),
    Action("scenario.member_joined", _("Member joined")),
    Action("scenario.member_removed", _("Member removed")),
    Action("scenario.invitation_renewed", _("Invitation renewed")),
    Action("scenario.invitations_issued", _("Survey invitations issued")),
    Action("scenario.literacy_planned", _("AI-literacy plan saved")),
    Action("scenario.literacy_evidence_recorded", _("AI-literacy evidence recorded")),
    Action("scenario.milestone_saved", _("Milestone saved")),
    Action("scenario.survey_created", _("Survey created")),
    Action("scenario.target_set", _("Target agreed")),
    Action("scenario.wave_scheduled", _("Survey wave scheduled")),
    Action("scenario.wave_closed", _("Survey wave closed")),
    Action("instrument.item_added", _("Item added to the instrument library")),
    Action("instrument.item_changed", _("Item of the instrument library changed")),
    Action("instrument.item_retired", _("Item of the instrument library retired")),
    Action("instrument.item_reinstated", _("Retired item of the instrument library reinstated")),
)
