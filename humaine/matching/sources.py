"""What matching indexes: the kinds of indexed texts, and the sources of cases and methods.

Three registries (:mod:`humaine.core.registry`), filled in ``AppConfig.ready()``:

- :data:`KINDS`: each :class:`IndexedKind` (``expert``, ``inquiry``, ``method``) says
  which text to embed and how to find its objects. Saving an object of a registered
  kind's model re-embeds it (``signals``); the rebuild walks every kind with a queryset.
- :data:`CASE_SOURCES`: where similar cases come from (inquiries; the scenarios app
  registers its own :class:`CaseSource` and its kind).
- :data:`METHOD_SOURCES`: where fitting methods come from (the check's recommendations;
  the knowledge base registers a :class:`MethodSource` returning :class:`MethodEntry`).

Matching registers its own entries in :func:`register` (called from its ``ready()``).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db.models import Model, QuerySet
from django.urls import reverse

from humaine.contact.models import Discipline, Expert, Inquiry
from humaine.contact.search import INQUIRY_INDEX
from humaine.core.fulltext import FullTextIndex
from humaine.core.registry import Registry

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
    # editing these fields re-embeds the text (or removes it, when the object leaves the
    # queryset)
    text_fields: tuple[str, ...] = ()
    fulltext: FullTextIndex | None = None
    # store the segments' texts (quoted as evidence); False for confidential texts
    keep_segments: bool = True
    model: type[Model] | None = None
    # embed with the bilingual lexicon's gloss, in the space matching's queries are in
    # (``ranking.embed_texts``); False for a kind searched with plain query vectors
    glossed: bool = True
    # compared in the whole space of the hub's encoder: with a combined encoder
    # (``encoders.CombinedEncoder``) only expert profiles are, where it was measured; other
    # kinds are stored and compared in its first part (``store.encoder_for``)
    full_space: bool = False
    # stored in the whole space, as queries (``store.query_encoder``), although compared in
    # the first part: inquiries, whose stored vectors are also a saved inquiry's query
    # against the experts
    stored_full: bool = False


KINDS: Registry[IndexedKind] = Registry("matching kinds", key="kind")


def kind_of_model(model) -> IndexedKind | None:
    """The registered kind whose objects are instances of ``model``, if any."""
    return next((kind for kind in KINDS if kind.model is model), None)


# Only active profiles are indexed: deactivating (or erasing) one removes its vectors.
EXPERTS = IndexedKind(
    "expert",
    expert_text,
    queryset=lambda: Expert.objects.filter(active=True),
    text_fields=("topics", "methods", "disciplines", "active"),
    fulltext=EXPERT_INDEX,
    model=Expert,
    full_space=True,
)
INQUIRIES = IndexedKind(
    "inquiry",
    inquiry_text,
    queryset=lambda: Inquiry.objects.all(),
    text_fields=("work_process", "problem", "data_available"),
    fulltext=INQUIRY_INDEX,
    keep_segments=False,
    model=Inquiry,
    stored_full=True,
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

    indexed: IndexedKind
    facts: Callable[[list[int]], dict[int, CaseFacts]]
    # the ids among ``ids`` that ``user`` may open
    visible: Callable[[object, list[int]], set[int]]
    describe: Callable[[list[int]], dict[int, CaseSummary]]
    # who to ask about cases the viewer may not open: {pk: name or ""}
    contacts: Callable[[list[int]], dict[int, str]] = field(default=lambda ids: {})

    @property
    def kind(self) -> str:
        return self.indexed.kind


def _inquiry_facts(ids: list[int]) -> dict[int, CaseFacts]:
    rows = Inquiry.objects.filter(pk__in=ids).values_list("pk", "sector__slug", "organisation_id")
    return {pk: CaseFacts(pk, sector or "", org) for pk, sector, org in rows}


def _inquiry_visible(user, ids: list[int]) -> set[int]:
    return set(Inquiry.objects.visible_to(user).filter(pk__in=ids).values_list("pk", flat=True))


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
CASE_SOURCES: Registry[CaseSource] = Registry("similar-case sources", key="kind")


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


@dataclass(frozen=True)
class MethodSource:
    """Where fitting methods come from; ``load()`` returns its entries (keys unique)."""

    name: str
    load: Callable[[], Iterable[MethodEntry]]


# The knowledge base (capability 7) is not built yet: its app registers a MethodSource
# returning MethodEntry(source="knowledge_base", label=<maturity>, url=<entry page>).
METHOD_SOURCES: Registry[MethodSource] = Registry("method sources")
CHECK_METHODS = MethodSource("check", check_recommendations)


def method_entries() -> dict[str, MethodEntry]:
    return {entry.key: entry for source in METHOD_SOURCES for entry in source.load()}


METHODS = IndexedKind("method", lambda entry: entry.text)


def register() -> None:
    """Matching's own entries: experts, inquiries, methods; inquiries as similar cases;
    the check's recommendations as methods."""
    for kind in (EXPERTS, INQUIRIES, METHODS):
        KINDS.register(kind)
    CASE_SOURCES.register(INQUIRY_CASES)
    METHOD_SOURCES.register(CHECK_METHODS)
