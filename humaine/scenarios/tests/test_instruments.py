"""The instrument library: sources and licences, staff items, uploads with errors, answers."""

import pytest

from humaine.scenarios.instruments import (
    AnswerError,
    InstrumentError,
    clean_answers,
    clean_texts,
    default_library,
    keyed_value,
    load_library,
    parse_instrument_file,
    scale_score,
)

LIBRARY = default_library()


def test_the_library_covers_the_constructs_the_hub_measures():
    ids = {s.id for s in LIBRARY.scales}
    assert {"acceptance", "trust", "workload", "agency", "skills", "health"} <= ids


def test_every_item_has_a_source_with_a_licence_in_both_languages():
    for scale in LIBRARY.scales:
        for item in scale.items:
            source = LIBRARY.source_of(item.id)
            assert source.citation and source.licence
            assert item.text.de and item.text.en


def test_workload_is_the_raw_nasa_tlx_with_its_source_and_our_translation_marked():
    scale = LIBRARY.scale("workload")
    assert len(scale.items) == 6 and not scale.higher_is_better
    response = LIBRARY.response_of("workload")
    assert (response.min, response.max, response.step) == (0, 100, 5)
    for item in scale.items:
        assert LIBRARY.source_of(item.id).id == "nasa_tlx"
        assert not LIBRARY.source_of(item.id).own
        assert LIBRARY.source(item.translation).own
    assert "17 U.S.C." in LIBRARY.source("nasa_tlx").licence


def test_our_own_items_are_marked_as_ours():
    for scale_id in ("acceptance", "trust", "agency", "skills", "health"):
        for item in LIBRARY.scale(scale_id).items:
            assert LIBRARY.is_own(item.id)


def test_staff_items_join_their_scale():
    extra = [
        {
            "id": "TRU-X1",
            "scale": "trust",
            "source": "humaine",
            "text": {"de": "Ich prüfe Vorschläge.", "en": "I check suggestions."},
        }
    ]
    library = load_library(extra=extra)
    assert [i.id for i in library.scale("trust").items][-1] == "TRU-X1"
    assert library.origin("items", "TRU-X1") == "database"


@pytest.mark.parametrize(
    ("text", "english", "german"),
    [
        (
            "items: [{id: TRU-1, scale: trust, source: humaine, text: {de: a, en: b}}]",
            "duplicate id",
            "doppelte id",
        ),
        (
            "items: [{id: N-1, scale: nope, source: humaine, text: {de: a, en: b}}]",
            "scale 'nope' does not exist",
            "scale 'nope' gibt es nicht",
        ),
        (
            "items: [{id: N-1, scale: trust, source: humaine, text: {de: a}}]",
            "missing translation 'en'",
            "Übersetzung 'en' fehlt",
        ),
        (
            "items: [{id: N-1, scale: trust, source: nobody, text: {de: a, en: b}}]",
            "source 'nobody' does not exist",
            "gibt es nicht",
        ),
        (
            "items: [{id: N-1, scale: workload, source: humaine, text: {de: a, en: b}}]",
            "needs anchors",
            "braucht anchors",
        ),
        ("items: [\n  {id: N-1\n", "not valid YAML", "kein gültiges YAML"),
        ("colours: []", "unknown section", "unbekannter Abschnitt"),
        ("- just a list", "top level", "oberste Ebene"),
    ],
)
def test_an_uploaded_file_with_an_error_is_refused_with_a_clear_message(text, english, german):
    with pytest.raises(InstrumentError) as error:
        parse_instrument_file(text, "upload.yaml")
    assert any(english in line for line in error.value.texts("en")), error.value.texts("en")
    assert any(german in line for line in error.value.texts("de")), error.value.texts("de")
    assert all(line.startswith("upload.yaml") for line in error.value.texts("en"))


def test_a_good_upload_adds_a_scale():
    text = """
scales:
  - id: usability
    title: {de: Bedienbarkeit, en: Usability}
    description: {de: d, en: d}
    response: agree5
    higher_is_better: true
    items:
      - {id: USE-1, source: humaine, text: {de: "Leicht.", en: "Easy."}}
"""
    library = parse_instrument_file(text)
    assert library.scale("usability").items[0].id == "USE-1"


def test_answers_are_checked_against_their_scale():
    items = ["ACC-1", "TLX-MENTAL"]
    assert clean_answers(LIBRARY, items, {"ACC-1": "4", "TLX-MENTAL": 55}) == {
        "ACC-1": 4,
        "TLX-MENTAL": 55,
    }
    assert clean_answers(LIBRARY, items, {"ACC-1": ""}) == {}
    for raw, code in [
        ({"ACC-1": 6}, "out_of_range"),
        ({"TLX-MENTAL": 52}, "out_of_range"),
        ({"ACC-1": "x"}, "not_a_number"),
        ({"TRU-1": 3}, "unknown_item"),
    ]:
        with pytest.raises(AnswerError) as error:
            clean_answers(LIBRARY, items, raw)
        assert error.value.code == code
        assert error.value.text("de") != error.value.text("en")


def test_texts_are_squashed_and_limited():
    assert clean_texts(["OPEN-WORK"], {"OPEN-WORK": "  gut \n so "}) == {"OPEN-WORK": "gut so"}
    with pytest.raises(AnswerError):
        clean_texts(["OPEN-WORK"], {"OPEN-WORK": "x" * 3000})


def test_scale_scores_use_complete_answers_and_turn_reversed_items():
    assert keyed_value(LIBRARY, "ACC-4", 1) == 5
    items = [i.id for i in LIBRARY.scale("acceptance").items]
    full = {"ACC-1": 4, "ACC-2": 4, "ACC-3": 4, "ACC-4": 2}
    assert scale_score(LIBRARY, items, full) == 4.0
    assert scale_score(LIBRARY, items, {"ACC-1": 4}) is None
    tlx = [i.id for i in LIBRARY.scale("workload").items]
    assert scale_score(LIBRARY, tlx, dict.fromkeys(tlx, 50)) == 50.0
