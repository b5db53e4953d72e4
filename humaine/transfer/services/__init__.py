"""Operations of transfer and network. Each owns its transaction and writes the audit trail."""

from .entries import (  # noqa: F401
    EntryData,
    EntryError,
    add_attachment,
    approve_version,
    count_use,
    create_entry,
    default_release,
    delete_orphan_files,
    files_changed_by,
    keep_attachment,
    open_version,
    record_consent,
    remove_attachment,
    return_version,
    save_draft,
    set_visibility,
    shown_case_fields,
    submit_for_review,
    unpublish_entry,
)
from .events import (  # noqa: F401
    AlreadyRegistered,
    EventError,
    LinkExpired,
    RegistrationClosed,
    RegistrationError,
    RegistrationResult,
    cancel_registration,
    create_event,
    erase_past_registrations,
    fill_places,
    record_attendance,
    register_for_event,
    update_event,
)
from .network import (  # noqa: F401
    NetworkError,
    add_network_member,
    end_membership,
    update_member_profile,
)
