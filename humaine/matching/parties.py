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

from . import store
from .conflicts import Conflict, Declared, Party, conflicts_of, rules_from, texts_to_fit
from .ranking import EmbeddedText

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


def _vectors(texts: list[str]) -> dict[str, np.ndarray]:
    encoder = store.encoder()
    missing = [t for t in texts if (encoder.name, t) not in _VECTORS]
    if missing:
        for text, vector in zip(missing, encoder.encode(missing)):
            _VECTORS[(encoder.name, text)] = vector
        while len(_VECTORS) > _CACHE_SIZE:
            _VECTORS.popitem(last=False)
    return {t: _VECTORS[(encoder.name, t)] for t in texts}


def fits_of(texts: Iterable[str], query: EmbeddedText) -> dict[str, float]:
    """How well each text fits the inquiry: its best cosine with a part of it.

    Both in the encoder's own space: the inquiry's parts are encoded as they are, not
    glossed by the lexicon as its stored rows are (``ranking.embed_texts``). A gloss names
    the sector ("Versicherung insurance"), which would make every insurer's market segment
    fit every insurance inquiry; the threshold ``vendor_similarity`` is in these units.
    """
    texts = list(dict.fromkeys(t for t in texts if t))
    if not texts:
        return {}
    if query.segments:
        plain = _vectors(list(query.segments))
        parts = np.stack([plain[s] for s in query.segments])
    else:
        parts = query.vectors[:1]
    vectors = _vectors(texts)
    return {t: float((parts @ vectors[t]).max()) for t in texts}


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
    rules = rules_from(store.config().conflicts)
    party = inquirer(organisation_id)
    known = facts(expert_ids, employers)
    offers = fits_of(
        (t for employer, declared in known.values() for t in texts_to_fit(employer, declared)),
        query,
    )
    found = {}
    for pk, (employer, declared) in known.items():
        conflicts = conflicts_of(employer, declared, party, offers, rules, text)
        if conflicts:
            found[pk] = conflicts
    return found
