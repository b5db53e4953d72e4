"""What matching indexes: the kinds of indexed texts, and the sources of cases and methods.

Each kind (``expert``, ``inquiry``, ``method``) says which text to embed and how to find
its objects. Similar cases come from :data:`CASE_SOURCES` (inquiries now; the scenarios
app adds its own with :func:`register_case_source`), fitting methods from
:data:`METHOD_SOURCES` (the check's recommendations now; the knowledge base adds its
entries with :func:`register_method_source`).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db.models import Model, QuerySet
from django.urls import reverse

from humaine.contact.models import Discipline, Expert, Inquiry
from humaine.contact.search import INQUIRY_INDEX
from humaine.core.fulltext import FullTextIndex

from .search import EXPERT_INDEX


def expert_text(expert: Expert) -> str:
    """Topics and methods; an expert without either is described by their disciplines."""
    text = "\n".join(part.strip() for part in (expert.topics, expert.methods) if part.strip())
    if text:
        return text
    labels = dict(Discipline.choices)
    return "; ".join(str(labels.get(code, code)) for code in expert.disciplines)


def inquiry_text(inquiry: Inquiry) -> str:
    """The case in the inquirer's words: the work process, the problem, the data."""
    head = inquiry.work_process.strip().rstrip(".")
    body = "\n".join(p.strip() for p in (inquiry.problem, inquiry.data_available) if p.strip())
    return f"{head}.\n{body}" if head else body


@dataclass(frozen=True)
class IndexedKind:
    """A kind of indexed text (expert profiles, inquiries, methods) with stored embeddings."""

    kind: str
    text: Callable[[object], str]
    # the objects to index, all of them (the rebuild walks it in batches by primary key)
    queryset: Callable[[], QuerySet] | None = None
    # editing these fields re-embeds the document
    text_fields: tuple[str, ...] = ()
    fulltext: FullTextIndex | None = None
    # store the segments' texts (quoted as evidence); False for confidential texts
    keep_segments: bool = True
    model: type[Model] | None = None


KINDS: dict[str, IndexedKind] = {}


def register_kind(kind: IndexedKind) -> IndexedKind:
    KINDS[kind.kind] = kind
    return kind


EXPERTS = register_kind(
    IndexedKind(
        "expert",
        expert_text,
        queryset=lambda: Expert.objects.all(),
        text_fields=("topics", "methods", "disciplines"),
        fulltext=EXPERT_INDEX,
        model=Expert,
    )
)
INQUIRIES = register_kind(
    IndexedKind(
        "inquiry",
        inquiry_text,
        queryset=lambda: Inquiry.objects.all(),
        text_fields=("work_process", "problem", "data_available"),
        fulltext=INQUIRY_INDEX,
        keep_segments=False,
        model=Inquiry,
    )
)


# Similar cases ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseFacts:
    """What ranking and display need to know about one case (no confidential text)."""

    pk: int
    sector: str
    organisation_id: int | None


@dataclass(frozen=True)
class CaseSummary:
    """One case as a viewer who may open it sees it in the list of similar cases."""

    reference: str
    title: str
    organisation: str
    status: str
    url: str
    # whom to ask about the case: its staff contact (a name, or "" for the hub's staff)
    contact: str


@dataclass(frozen=True)
class CaseSource:
    """Where similar cases come from; one per kind of case (inquiries, scenarios)."""

    document: IndexedKind
    facts: Callable[[list[int]], dict[int, CaseFacts]]
    # the ids among ``ids`` that ``user`` may open
    visible: Callable[[object, list[int]], set[int]]
    describe: Callable[[list[int]], dict[int, CaseSummary]]
    # who to ask about cases the viewer may not open: {pk: name or ""}
    contacts: Callable[[list[int]], dict[int, str]] = field(default=lambda ids: {})

    @property
    def kind(self) -> str:
        return self.document.kind


def _inquiry_facts(ids: list[int]) -> dict[int, CaseFacts]:
    rows = Inquiry.objects.filter(pk__in=ids).values_list("pk", "sector__slug", "organisation_id")
    return {pk: CaseFacts(pk, sector or "", org) for pk, sector, org in rows}


def _inquiry_visible(user, ids: list[int]) -> set[int]:
    from humaine import policy

    return set(policy.inquiries_visible_to(user).filter(pk__in=ids).values_list("pk", flat=True))


def _staff_name(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else ""


def _inquiry_contacts(ids: list[int]) -> dict[int, str]:
    inquiries = Inquiry.objects.filter(pk__in=ids).select_related("assignee")
    return {i.pk: _staff_name(i.assignee) for i in inquiries.only("pk", "assignee")}


def _inquiry_describe(ids: list[int]) -> dict[int, CaseSummary]:
    inquiries = Inquiry.objects.filter(pk__in=ids).select_related("assignee")
    return {
        i.pk: CaseSummary(
            reference=i.reference,
            title=i.work_process,
            organisation=i.organisation_name,
            status=i.get_status_display(),
            url=reverse("contact:inquiry_detail", args=[i.pk]),
            contact=_staff_name(i.assignee),
        )
        for i in inquiries
    }


INQUIRY_CASES = CaseSource(
    INQUIRIES,
    facts=_inquiry_facts,
    visible=_inquiry_visible,
    describe=_inquiry_describe,
    contacts=_inquiry_contacts,
)
CASE_SOURCES: list[CaseSource] = [INQUIRY_CASES]


def register_case_source(source: CaseSource) -> CaseSource:
    """Add a kind of case (e.g. scenarios): register its kind too, and index it."""
    register_kind(source.document)
    if all(s.kind != source.kind for s in CASE_SOURCES):
        CASE_SOURCES.append(source)
    return source


# Fitting methods -------------------------------------------------------------------------


@dataclass(frozen=True)
class MethodEntry:
    """A method the hub can point to: a check recommendation, a knowledge-base entry."""

    key: str
    source: str  # "check", "knowledge_base", ...
    title: dict[str, str]
    summary: dict[str, str]
    # where it comes from, e.g. a citation; and a page in the hub, if any
    reference: str = ""
    url: str = ""
    # e.g. the check's priority or the knowledge base's maturity label
    label: dict[str, str] = field(default_factory=dict)

    @property
    def text(self) -> str:
        """The text to embed: title and summary in both languages (best segment wins)."""
        parts = [self.title.get("de"), self.title.get("en")]
        parts += [self.summary.get("de"), self.summary.get("en")]
        return "\n".join(p.strip() for p in parts if p and p.strip())


def check_recommendations() -> list[MethodEntry]:
    """The check's recommendations (``humaine.check.catalogue``), each naming a method."""
    try:
        from humaine.check.catalogue import default_catalogue

        catalogue = default_catalogue()
    except Exception:  # noqa: BLE001 - a broken catalogue must not break matching
        return []
    priorities = {
        "must": {"de": "Pflicht", "en": "must"},
        "should": {"de": "empfohlen", "en": "should"},
        "could": {"de": "möglich", "en": "could"},
    }
    return [
        MethodEntry(
            key=f"check:{rec.id}",
            source="check",
            title={"de": rec.title.de, "en": rec.title.en},
            summary={"de": rec.method.de, "en": rec.method.en},
            reference="; ".join(s.citation for s in rec.sources[:2]),
            label=priorities.get(rec.priority, {}),
        )
        for rec in catalogue.recommendations
    ]


# The knowledge base (capability 7) is not built yet: its app adds a loader here with
# register_method_source(knowledge_base_methods), returning MethodEntry(source=
# "knowledge_base", label=<maturity>, url=<entry page>) for each method of the toolbox.
METHOD_SOURCES: dict[str, Callable[[], Iterable[MethodEntry]]] = {
    "check": check_recommendations,
}


def register_method_source(name: str, loader: Callable[[], Iterable[MethodEntry]]) -> None:
    METHOD_SOURCES[name] = loader


def method_entries() -> dict[str, MethodEntry]:
    return {entry.key: entry for loader in METHOD_SOURCES.values() for entry in loader()}


METHODS = register_kind(IndexedKind("method", lambda entry: entry.text))
