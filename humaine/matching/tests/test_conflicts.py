"""Conflicts of interest as data: employer's sector and segment, declared relationships."""

import pytest

from humaine.matching.conflicts import (
    ConflictRules,
    Declared,
    Party,
    conflicts_of,
    rules_from,
    texts_to_fit,
)

MOTOR = Party("Westfalen Auto", "company", "insurance", "Kfz-Versicherung", key=1)
RIVAL = Party("Rheinland Kfz", "company", "insurance", "Kfz-Versicherung", key=2)
LIFE = Party("Hellweg Leben", "company", "insurance", "Lebensversicherung", key=3)
HOSPITAL = Party("Klinikum Nord", "company", "health", "Akutkrankenhaus", key=4)
CARE_HOME = Party("Seniorenstift", "company", "health", "Altenpflege", key=5)
VENDOR = Party("VisionQ", "company", "industry", "Kamerasysteme für die Prüfung", key=6)
FOUNDRY = Party("Gießerei", "company", "industry", "Gießerei", key=7)
UNIVERSITY = Party("Universität Ruhrtal", "university", "", "", key=8)
RULES = ConflictRules()


def codes(employer, inquirer, declared=(), offers=None, rules=RULES, text="", systems=None):
    found = conflicts_of(employer, declared, inquirer, offers or {}, rules, text, systems)
    return [c.code for c in found]


def test_employer_of_the_same_sector_and_segment_is_a_competitor():
    assert codes(RIVAL, MOTOR) == ["competitor"]


@pytest.mark.parametrize(
    "employer, inquirer",
    [(LIFE, MOTOR), (HOSPITAL, CARE_HOME), (UNIVERSITY, MOTOR)],
    ids=["other segment", "a hospital is not a care home's competitor", "not a company"],
)
def test_same_sector_alone_is_no_conflict(employer, inquirer):
    assert codes(employer, inquirer) == []


def test_the_coarse_sector_rule_can_still_be_chosen():
    assert codes(HOSPITAL, CARE_HOME, rules=rules_from({"competitor": "sector"})) == ["competitor"]


def test_employed_by_the_inquirer_is_a_conflict_of_its_own():
    assert codes(MOTOR, MOTOR) == ["same_organisation"]


def test_employer_that_sells_what_the_inquiry_is_about_is_a_vendor_conflict():
    fits = {VENDOR.segment: 0.5}
    assert codes(VENDOR, FOUNDRY, offers=fits) == ["vendor"]
    assert codes(VENDOR, FOUNDRY, offers={VENDOR.segment: 0.1}) == []


def test_declared_relationships_raise_conflicts_with_their_reason():
    declared = [
        Declared("client", RIVAL.name, RIVAL),
        Declared("vendor", VENDOR.name, VENDOR),
        Declared("product", "Prüfsoftware X"),
    ]
    found = conflicts_of(
        UNIVERSITY,
        declared,
        MOTOR,
        {VENDOR.segment: 0.6, "Prüfsoftware X": 0.5},
        RULES,
    )
    assert [c.code for c in found] == ["client", "vendor_relationship", "product"]
    assert "Rheinland Kfz" in found[0].reason["de"] and "competitor" in found[0].reason["en"]


def test_a_vendor_the_inquiry_names_is_a_conflict_even_when_the_hub_does_not_know_it():
    declared = [Declared("vendor", "ClaimSense")]
    assert codes(UNIVERSITY, MOTOR, declared, text="Wir testen ClaimSense.") == [
        "vendor_relationship"
    ]


def test_texts_to_fit_are_the_segments_and_products_the_rules_compare():
    declared = [Declared("product", "Prüfsoftware X"), Declared("client", "A", CARE_HOME)]
    assert texts_to_fit(VENDOR, declared) == [VENDOR.segment, "Prüfsoftware X", "Altenpflege"]


def test_older_settings_are_still_read():
    assert rules_from({"competitor_same_sector": True, "policy": "flag"}).on_conflict == "flag"
    assert rules_from({"competitor_same_sector": False}).competitor == ""


def test_a_segment_in_the_other_language_fits_through_its_lexicon_terms():
    """A German market segment and an English inquiry about the same thing: the plain
    texts share no word (the tests' hashing encoder sees nothing in common); the segment's
    English terms from the lexicon ("predictive maintenance") fit the inquiry's part."""
    from humaine.matching import lexicon, parties
    from humaine.matching.ranking import embed_texts
    from humaine.matching.store import encoder

    segment = "Software für vorausschauende Instandhaltung"
    [query] = embed_texts(
        ["We run pumps in a chemical plant. We want predictive maintenance for them."],
        encoder(),
    )
    terms = lexicon.load()
    assert "predictive maintenance" in parties.renderings(segment, terms)[1]
    plain = parties.fits_of([segment], query)[segment]
    rendered = parties.fits_of([segment], query, terms)[segment]
    assert plain < RULES.vendor_similarity <= rendered
    employer = Party("Predicta", "company", "industry", segment, key=9)
    chemicals = Party("Chemiewerk", "company", "industry", "Chemie", key=10)
    assert codes(employer, chemicals, offers={segment: plain}) == []
    assert codes(employer, chemicals, offers={segment: rendered}) == ["vendor"]


def test_without_a_lexicon_a_segment_is_compared_as_it_is():
    from humaine.matching import lexicon, parties

    assert parties.renderings("Software für vorausschauende Instandhaltung", None) == [
        "Software für vorausschauende Instandhaltung"
    ]
    # a text that names no concept has no other rendering
    assert parties.renderings("Zahnräder aus Messing", lexicon.load()) == ["Zahnräder aus Messing"]


@pytest.mark.parametrize(
    "segment, inquiry",
    [
        (
            "Chatbots für den Kundenservice",
            "Our call centre wants to answer routine questions with a chatbot.",
        ),
        (
            "Collaborative robots and gripper systems",
            "Wir wollen in der Montage einen kollaborativen Roboter einsetzen.",
        ),
        (
            "Software für vorausschauende Instandhaltung",
            "Wie setzen wir vorausschauende Wartung für unsere Pumpen ein?",
        ),
    ],
    ids=["German segment, English inquiry", "English segment, German inquiry", "German, German"],
)
def test_a_segment_that_names_the_inquirys_kind_of_system_is_a_vendor_conflict(segment, inquiry):
    """The concept rule: the segment and the inquiry name the same specific kind of system
    of the lexicon, in either language; no similarity needed, the concept is the reason."""
    from humaine.matching import lexicon, parties

    systems = parties.systems_of([segment], inquiry, lexicon.load())
    assert systems[segment]
    employer = Party("Anbieter GmbH", "company", "industry", segment, key=11)
    [found] = conflicts_of(employer, [], FOUNDRY, {segment: 0.0}, RULES, inquiry, systems)
    assert found.code == "vendor"
    keyword = systems[segment][0]
    assert f"„{keyword['de']}“" in found.reason["de"]
    assert f"“{keyword['en']}”" in found.reason["en"]
    # the rule can be turned off; then only the similarity decides
    off = ConflictRules(vendor_concepts=False)
    assert conflicts_of(employer, [], FOUNDRY, {segment: 0.0}, off, inquiry, systems) == ()


@pytest.mark.parametrize(
    "segment, inquiry",
    [
        (
            "KI-Software für den Kundenservice",
            "We want to use AI software in our customer service.",
        ),
        ("Datenanalyse und Software", "Wir wollen unsere Daten mit KI-Software auswerten."),
        ("Software für die Radiologie", "How do our radiologists work with AI triage software?"),
    ],
    ids=["AI, software and a setting", "data and software", "a setting is no kind of system"],
)
def test_broad_concepts_alone_make_no_vendor_conflict(segment, inquiry):
    from humaine.matching import lexicon, parties

    assert parties.systems_of([segment], inquiry, lexicon.load()) == {}
    employer = Party("Anbieter GmbH", "company", "industry", segment, key=12)
    assert codes(employer, FOUNDRY, offers={segment: 0.0}, text=inquiry) == []


def test_a_declared_product_of_the_inquirys_kind_of_system_is_named_in_its_reason():
    from humaine.matching import lexicon, parties

    product = "Sturzerkennungssysteme für Pflegeheime"
    inquiry = "Our care home is testing fall detection sensors in the residents' rooms."
    systems = parties.systems_of([product], inquiry, lexicon.load())
    [found] = conflicts_of(
        UNIVERSITY, [Declared("product", product)], CARE_HOME, {}, RULES, inquiry, systems
    )
    assert found.code == "product"
    assert "(both: “fall”)" in found.reason["en"] and "(beide: „Sturz“)" in found.reason["de"]


def test_kinds_of_system_not_words_decide_and_a_vendor_sells_in_its_own_sector():
    """ "Bildverarbeitungssysteme" and a camera-based inspection are both the lexicon's
    kind "vision"; an industrial vision vendor is no conflict for a care home's cameras
    (other sector) by the concept rule, a vendor of sector "other" is for every sector."""
    from humaine.matching import lexicon, parties

    segment = "Bildverarbeitungssysteme für die Qualitätsprüfung"
    factory = "Wir wollen die Sichtprüfung der Gussteile mit einer Kamera automatisieren."
    care = "Wir überlegen, in den Zimmern Kameras zur Sturzerkennung einzusetzen."
    terms = lexicon.load()
    vendor = Party("VisionQ", "company", "industry", segment, key=13)
    systems = parties.systems_of([segment], factory, terms)
    assert {c["en"] for c in systems[segment]} >= {"visual inspection", "camera"}
    assert codes(vendor, FOUNDRY, offers={segment: 0.0}, text=factory, systems=systems) == [
        "vendor"
    ]
    systems = parties.systems_of([segment], care, terms)
    assert systems[segment]
    assert codes(vendor, CARE_HOME, offers={segment: 0.0}, text=care, systems=systems) == []
    anywhere = Party("VisionQ", "company", "other", segment, key=14)
    assert codes(anywhere, CARE_HOME, offers={segment: 0.0}, text=care, systems=systems) == [
        "vendor"
    ]
