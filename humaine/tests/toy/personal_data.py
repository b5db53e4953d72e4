"""The remarks a person wrote: in their export, blanked by their erasure."""

from humaine.core import audit
from humaine.core.personal_data import Section

from .models import Remark


def export_remarks(person) -> list[dict]:
    return [
        {"inquiry": remark.inquiry.reference, "text": remark.text, "at": remark.created_at}
        for remark in Remark.objects.filter(author=person).select_related("inquiry")
    ]


def erase_remarks(person, placeholder: str) -> None:
    remarks = Remark.objects.filter(author=person)
    texts = list(remarks.values_list("text", flat=True))
    ids = list(remarks.values_list("pk", flat=True))
    remarks.update(text=placeholder, author=None)
    audit.redact(audit.events_of(Remark, ids), texts, placeholder)


SECTION = Section("toy_remarks", export=export_remarks, erase=erase_remarks)
