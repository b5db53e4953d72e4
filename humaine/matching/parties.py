"""Conflicts of interest of experts with an inquiry, read from the hub's data.

Reads who employs each expert (kind, sector, market segment), what they declared (clients,
vendors, products; the hub's organisation of the same name where there is one) and the
inquiring organisation, measures how well each segment or product fits a part of the
inquiry (the encoder, cached per process), and applies ``conflicts.conflicts_of``.
"""

from collections import OrderedDict
from collections.abc import Iterable

import numpy as np
from django.db.models.functions import Lower

from humaine.contact.models import Expert, Organisation

from . import lexicon, store
from .conflicts import Conflict, Declared, Party, conflicts_of, rules_from, texts_to_fit
from .encoders import first_part, part_rows
from .lexicon import Lexicon
from .ranking import EmbeddedText
from .text import detect_language

_VECTORS: OrderedDict = OrderedDict()
_CACHE_SIZE = 20_000


def _party(organisation: Organisation | None, taxonomy) -> Party | None:
    if organisation is None:
        return None
    sector = organisation.sector.slug if organisation.sector_id else ""
    return party_of(
        organisation.pk,
        organisation.name,
        organisation.kind,
        sector,
        organisation.segment,
        taxonomy,
    )


def party_of(pk, name, kind, sector, segment, taxonomy) -> Party:
    """A party from plain values (the hub's sector slug mapped through the taxonomy)."""
    sector = (taxonomy.sector_key(sector) or sector) if sector else ""
    return Party(name, kind or "", sector, segment or "", pk)


def inquirer(organisation_id: int | None) -> Party | None:
    if organisation_id is None:
        return None
    organisation = Organisation.objects.select_related("sector").filter(pk=organisation_id)
    return _party(organisation.first(), store.taxonomy())


def _encoder():
    """Fits are measured in the first part of a combined encoder, in whose units
    ``vendor_similarity`` was set (``sources.IndexedKind.full_space``)."""
    return first_part(store.encoder())


def _vectors(texts: list[str]) -> dict[str, np.ndarray]:
    encoder = _encoder()
    missing = [t for t in texts if (encoder.name, t) not in _VECTORS]
    if missing:
        for text, vector in zip(missing, encoder.encode(missing)):
            _VECTORS[(encoder.name, text)] = vector
        while len(_VECTORS) > _CACHE_SIZE:
            _VECTORS.popitem(last=False)
    return {t: _VECTORS[(encoder.name, t)] for t in texts}


def renderings(text: str, terms: Lexicon | None) -> list[str]:
    """A segment or product text as it is, and in the other language: the other
    language's terms of the concepts it names (``lexicon.Lexicon.translate``; none without
    a lexicon or when it names none).

    A short German segment ("Software für vorausschauende Instandhaltung") and an English
    inquiry about predicting a pump's failures are further apart for a multilingual
    encoder than the same two in one language; its English terms ("predictive
    maintenance") are not.
    """
    if terms is None:
        return [text]
    other = " ".join(terms.translate(text, detect_language(text)))
    return [text, other] if other and other != text else [text]


def fits_of(
    texts: Iterable[str], query: EmbeddedText, terms: Lexicon | None = None
) -> dict[str, float]:
    """How well each text fits the inquiry: the best cosine of the text, or of its
    rendering in the other language (``renderings``), with a part of the inquiry.

    In the encoder's own space: the inquiry's parts are encoded as they are, not glossed
    by the lexicon as its stored rows are (``ranking.embed_texts``), so the fit does not
    depend on the ranking's gloss. A gloss names the sector ("Versicherung insurance"),
    which would make every insurer's market segment fit every insurance inquiry; the
    threshold ``vendor_similarity`` is in these units.
    """
    texts = list(dict.fromkeys(t for t in texts if t))
    if not texts:
        return {}
    if query.segments:
        plain = _vectors(list(query.segments))
        parts = np.stack([plain[s] for s in query.segments])
    else:
        parts = part_rows(query.vectors[:1], _encoder())
    forms = {t: renderings(t, terms) for t in texts}
    vectors = _vectors(list(dict.fromkeys(f for group in forms.values() for f in group)))
    return {t: float(max((parts @ vectors[f]).max() for f in forms[t])) for t in texts}


def systems_of(
    texts: Iterable[str], inquiry_text: str, terms: Lexicon | None
) -> dict[str, list[dict[str, str]]]:
    """For each segment or product text that names a kind of system the inquiry names too
    (``lexicon.Concept.system``: "Bildverarbeitungssysteme" and "Sichtprüfung" are both
    "vision"), the inquiry's concepts of those kinds, as keywords per language (only texts
    with any).

    The inquiry is read in its own language (``text.detect_language``), a short segment in
    either: "Chatbots für den Kundenservice" and "our customer service chatbot" share
    "chatbot"; "Software für den Kundenservice" and a chatbot inquiry share nothing
    specific ("software" and "customer service" name no kind of system).
    """
    if terms is None or not inquiry_text:
        return {}
    asked: dict[str, list[int]] = {}
    for c in terms.systems_in(inquiry_text, detect_language(inquiry_text)):
        asked.setdefault(terms.concepts[c].system, []).append(c)
    if not asked:
        return {}
    found = {}
    for text in dict.fromkeys(t for t in texts if t):
        kinds = dict.fromkeys(terms.concepts[c].system for c in terms.systems_in(text))
        shared = [c for kind in kinds if kind in asked for c in asked[kind]]
        if shared:
            found[text] = [
                {lang: terms.concepts[c].keyword(lang) for lang in ("de", "en")} for c in shared
            ]
    return found


def facts(
    expert_ids: Iterable[int], employers: dict | None = None
) -> dict[int, tuple[Party | None, tuple[Declared, ...]]]:
    """Each expert's employer and declared relationships, in at most three queries of plain
    values (``employers``: the employers the caller read already)."""
    from .models import ExpertRelationship

    taxonomy = store.taxonomy()
    if employers is not None:
        return _with_declared(employers, taxonomy, ExpertRelationship)
    rows = Expert.objects.filter(pk__in=list(expert_ids)).values_list(
        "pk",
        "person__organisation_id",
        "person__organisation__name",
        "person__organisation__kind",
        "person__organisation__sector__slug",
        "person__organisation__segment",
    )
    employers = {
        pk: party_of(org, name, kind, sector, segment, taxonomy) if org else None
        for pk, org, name, kind, sector, segment in rows
    }
    return _with_declared(employers, taxonomy, ExpertRelationship)


def _with_declared(employers, taxonomy, ExpertRelationship):  # noqa: N803
    declared = list(
        ExpertRelationship.objects.filter(expert_id__in=list(employers)).values_list(
            "expert_id", "kind", "name"
        )
    )
    names = {name.lower() for _, kind, name in declared if kind != "product"}
    known = {}
    if names:
        for pk, name, kind, sector, segment, lname in (
            Organisation.objects.annotate(lname=Lower("name"))
            .filter(lname__in=names)
            .values_list("pk", "name", "kind", "sector__slug", "segment", "lname")
        ):
            known[lname] = party_of(pk, name, kind, sector, segment, taxonomy)
    by_expert: dict[int, list[Declared]] = {pk: [] for pk in employers}
    for pk, kind, name in declared:
        party = None if kind == "product" else known.get(name.lower())
        by_expert[pk].append(Declared(kind, name, party))
    return {pk: (employers[pk], tuple(by_expert[pk])) for pk in employers}


def conflicts_for(
    expert_ids: Iterable[int],
    text: str,
    query: EmbeddedText,
    organisation_id: int | None,
    *,
    employers: dict | None = None,
) -> dict[int, tuple[Conflict, ...]]:
    """The conflicts of interest of each expert with one inquiry (only those with any)."""
    config = store.config()
    rules = rules_from(config.conflicts)
    party = inquirer(organisation_id)
    known = facts(expert_ids, employers)
    terms = lexicon.for_config(config.lexicon)
    texts = [t for employer, declared in known.values() for t in texts_to_fit(employer, declared)]
    offers = fits_of(texts, query, terms)
    systems = systems_of(texts, text, terms) if rules.vendor_concepts else {}
    found = {}
    for pk, (employer, declared) in known.items():
        conflicts = conflicts_of(employer, declared, party, offers, rules, text, systems)
        if conflicts:
            found[pk] = conflicts
    return found
