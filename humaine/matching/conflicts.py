"""Conflicts of interest of an expert with an inquiry, decided from data.

An expert has a conflict when

* ``same_organisation``: their employer is the inquiring organisation;
* ``competitor``: their employer is a company of the inquirer's sector *and* market
  segment (a motor insurer's lab for another motor insurer; a hospital is not every care
  home's competitor). Without a segment on both sides no competitor is assumed, unless the
  hub's rules say ``competitor: sector`` (the coarse rule: any company of the sector);
* ``vendor``: their employer (a company) sells what the inquiry is about: its market
  segment fits a part of the inquiry;
* ``product``: they declared a product of the kind the inquiry is about;
* ``vendor_relationship``: they declared working with a vendor of it (the vendor's
  segment fits the inquiry, or the inquiry names the vendor);
* ``client``: they declared a client that competes with the inquirer or sells what the
  inquiry is about.

A segment or a product "fits the inquiry" on either of two paths the caller computes:

* by concept (``systems``, ``ConflictRules.vendor_concepts``): it names a kind of system
  of the lexicon (``lexicon.Concept.system``: vision, speech, language, ...) that the
  inquiry names too, in either language; broad concepts (AI, software, data) and settings
  (customer service, radiology) are no kind of system. A company sells its kind of system
  in its own sector: the concept path needs the seller's and the inquirer's sectors to be
  the same (or either unknown or "other"). The reason names the inquiry's concept;
* by similarity (``offers``): the best cosine of its text with a part of the inquiry, from
  ``ConflictRules.vendor_similarity`` on (short segment texts of a few words fit only
  roughly: the second path).

Everything here is plain Python.
"""

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Party:
    """An organisation as the conflict rules see it."""

    name: str
    kind: str = ""
    sector: str = ""
    segment: str = ""
    key: Hashable | None = None

    def same_as(self, other: "Party | None") -> bool:
        if other is None:
            return False
        if self.key is not None and other.key is not None:
            return self.key == other.key
        return self.name.casefold() == other.name.casefold()


@dataclass(frozen=True)
class Declared:
    """A relationship an expert declared: ``client``, ``vendor`` or ``product``; ``party``
    is the organisation when the hub knows it."""

    kind: str
    name: str
    party: Party | None = None


@dataclass(frozen=True)
class Conflict:
    code: str
    reason: Mapping[str, str]


@dataclass(frozen=True)
class ConflictRules:
    same_organisation: bool = True
    # "segment" (same sector and market segment), "sector" (any company of the sector), ""
    competitor: str = "segment"
    vendor: bool = True
    client: bool = True
    # a segment or product fits the inquiry from this similarity on
    vendor_similarity: float = 0.25
    # ... or when it names a specific kind of system the inquiry names too (the lexicon's
    # concepts marked ``system``)
    vendor_concepts: bool = True
    # "exclude": never proposed (listed as flagged); "flag": may be proposed, flagged
    on_conflict: str = "exclude"


# the sector of organisations of every other kind
OTHER = "other"


def rules_from(config: Mapping) -> ConflictRules:
    """Read the hub's ``conflicts:`` settings (older keys too).

    >>> rules_from({"competitor_same_sector": False, "policy": "flag"})
    ConflictRules(same_organisation=True, competitor='', vendor=True, client=True, \
vendor_similarity=0.25, vendor_concepts=True, on_conflict='flag')
    """
    competitor = config.get("competitor", config.get("competitor_same_sector", "segment"))
    if competitor is True:
        competitor = "segment"
    return ConflictRules(
        same_organisation=bool(config.get("same_organisation", True)),
        competitor=str(competitor or ""),
        vendor=bool(config.get("vendor", True)),
        client=bool(config.get("client", True)),
        vendor_similarity=float(config.get("vendor_similarity", 0.25)),
        vendor_concepts=bool(config.get("vendor_concepts", True)),
        on_conflict=str(config.get("on_conflict", config.get("policy", "exclude"))),
    )


def competes(party: Party | None, inquirer: Party | None, rule: str) -> bool:
    """Whether ``party`` is a company competing with the inquirer under ``rule``.

    >>> a = Party("A", "company", "insurance", "Kfz-Versicherung")
    >>> competes(a, Party("B", "company", "insurance", "kfz-versicherung"), "segment")
    True
    >>> competes(a, Party("C", "company", "insurance", "Lebensversicherung"), "segment")
    False
    """
    if party is None or inquirer is None or not rule or party.same_as(inquirer):
        return False
    if party.kind != "company" or not party.sector or party.sector != inquirer.sector:
        return False
    if rule == "sector":
        return True
    return bool(party.segment) and party.segment.casefold() == inquirer.segment.casefold()


def conflicts_of(
    employer: Party | None,
    declared: Sequence[Declared],
    inquirer: Party | None,
    offers: Mapping[str, float],
    rules: ConflictRules,
    inquiry_text: str = "",
    systems: Mapping[str, Sequence[Mapping[str, str]]] | None = None,
) -> tuple[Conflict, ...]:
    """The expert's conflicts of interest with an inquiry, each with its reason.

    ``offers`` maps a segment or product text to how well it fits the inquiry;
    ``systems`` maps it to the specific kinds of system it names that the inquiry names
    too (each as its keyword per language: ``{"de": "Chatbot", "en": "chatbot"}``). A
    text fits when either says so (``vendor_similarity``, ``vendor_concepts``); a shared
    kind of system is named in the reason.

    >>> rules = ConflictRules()
    >>> vendor = Party("VisionQ GmbH", "company", "industry", "Kamerasysteme für die Prüfung")
    >>> inquirer = Party("Gießerei", "company", "industry", "Gießerei")
    >>> [c.code for c in conflicts_of(vendor, [], inquirer,
    ...                               {"Kamerasysteme für die Prüfung": 0.5}, rules)]
    ['vendor']
    """
    found: list[Conflict] = []

    systems = systems or {}

    def same_kind(text: str, seller: Party | None) -> bool:
        # a company sells its kind of system in its own sector: an industrial camera
        # vendor is no conflict for a hospital's imaging question (unknown sectors and
        # "other" compare with every sector)
        if not (rules.vendor_concepts and systems.get(text)):
            return False
        here = seller.sector if seller is not None else ""
        there = inquirer.sector if inquirer is not None else ""
        return not here or not there or here == there or OTHER in (here, there)

    def fits(text: str, seller: Party | None = None) -> bool:
        if not text:
            return False
        return same_kind(text, seller) or offers.get(text, 0.0) >= rules.vendor_similarity

    def about(text: str, seller: Party | None = None) -> Sequence[Mapping[str, str]]:
        return systems.get(text, ()) if same_kind(text, seller) else ()

    if employer is not None and inquirer is not None:
        if rules.same_organisation and employer.same_as(inquirer):
            found.append(_same_organisation(employer))
        elif competes(employer, inquirer, rules.competitor):
            found.append(_competitor(employer))
    sells = employer is not None and employer.kind == "company" and fits(employer.segment, employer)
    if rules.vendor and sells and not employer.same_as(inquirer):
        found.append(_vendor(employer, about(employer.segment, employer)))
    for relation in declared:
        party = relation.party
        if rules.vendor and relation.kind == "product" and fits(relation.name):
            found.append(_product(relation.name, about(relation.name)))
        elif rules.vendor and relation.kind == "vendor":
            named = relation.name.casefold() in inquiry_text.casefold()
            if named or (party is not None and fits(party.segment, party)):
                found.append(_vendor_relationship(relation.name, party))
        elif rules.client and relation.kind == "client":
            if competes(party, inquirer, rules.competitor or "segment"):
                found.append(_client(relation.name, None))
            elif party is not None and party.kind == "company" and fits(party.segment, party):
                found.append(_client(relation.name, party.segment))
    return tuple(found)


def texts_to_fit(employer: Party | None, declared: Sequence[Declared]) -> list[str]:
    """The segment and product texts whose fit to the inquiry the rules need."""
    texts = [employer.segment] if employer is not None and employer.kind == "company" else []
    for relation in declared:
        if relation.kind == "product":
            texts.append(relation.name)
        elif relation.party is not None:
            texts.append(relation.party.segment)
    return [t for t in dict.fromkeys(texts) if t]


def _same_organisation(employer: Party) -> Conflict:
    return Conflict(
        "same_organisation",
        {
            "de": f"beschäftigt bei der anfragenden Organisation ({employer.name})",
            "en": f"employed by the inquiring organisation ({employer.name})",
        },
    )


def _competitor(employer: Party) -> Conflict:
    where = employer.segment or employer.sector
    return Conflict(
        "competitor",
        {
            "de": f"beschäftigt bei {employer.name}, einem Wettbewerber („{where}“)",
            "en": f"employed by {employer.name}, a competitor (“{where}”)",
        },
    )


def _named(shared: Sequence[Mapping[str, str]]) -> dict[str, str]:
    """The reason's words for the kinds of system both name ("" when none)."""
    if not shared:
        return {"de": "", "en": ""}
    de = ", ".join(f"„{c['de']}“" for c in shared)
    en = ", ".join(f"“{c['en']}”" for c in shared)
    return {"de": f" (beide: {de})", "en": f" (both: {en})"}


def _vendor(employer: Party, shared: Sequence[Mapping[str, str]] = ()) -> Conflict:
    named = _named(shared)
    return Conflict(
        "vendor",
        {
            "de": f"beschäftigt bei {employer.name}, Anbieter von „{employer.segment}“, "
            f"worum es in der Anfrage geht{named['de']}",
            "en": f"employed by {employer.name}, which sells “{employer.segment}”, "
            f"what the inquiry is about{named['en']}",
        },
    )


def _product(name: str, shared: Sequence[Mapping[str, str]] = ()) -> Conflict:
    named = _named(shared)
    return Conflict(
        "product",
        {
            "de": f"eigenes Produkt dieser Art angegeben: „{name}“{named['de']}",
            "en": f"declared a product of this kind: “{name}”{named['en']}",
        },
    )


def _vendor_relationship(name: str, party: Party | None) -> Conflict:
    what = f" („{party.segment}“)" if party is not None and party.segment else ""
    what_en = f" (“{party.segment}”)" if party is not None and party.segment else ""
    return Conflict(
        "vendor_relationship",
        {
            "de": f"arbeitet laut eigener Angabe mit {name}, einem Anbieter dafür{what}",
            "en": f"declared working with {name}, a vendor of it{what_en}",
        },
    )


def _client(name: str, segment: str | None) -> Conflict:
    if segment is None:
        de = f"berät laut eigener Angabe {name}, einen Wettbewerber der anfragenden Organisation"
        en = f"declared {name}, a competitor of the inquirer, as a client"
    else:
        de = f"berät laut eigener Angabe {name}, einen Anbieter von „{segment}“"
        en = f"declared {name}, a vendor of “{segment}”, as a client"
    return Conflict("client", {"de": de, "en": en})
