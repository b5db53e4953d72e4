"""Staff change and retire the items they added to the instrument library."""

import pytest
from django.urls import reverse

from humaine.core.models import AuditEvent
from humaine.scenarios import services
from humaine.scenarios.library import current_library
from humaine.scenarios.models import InstrumentItem

from .conftest import make_survey

pytestmark = pytest.mark.django_db


def _add(cast, item_id="TRU-X1"):
    return services.add_instrument_item(
        item_id=item_id,
        scale="trust",
        text_de="Ich prüfe die Vorschläge.",
        text_en="I check the suggestions.",
        actor=cast.staff,
    )


def _form(item, **changes):
    data = {
        "scale": item.scale,
        "source": item.source,
        "text_de": item.text_de,
        "text_en": item.text_en,
    }
    if item.reverse:
        data["reverse"] = "on"
    return data | changes


def test_staff_correct_an_items_wording_and_the_library_shows_it(cast, client_for):
    item = _add(cast)
    client = client_for(cast.staff)
    url = reverse("scenarios:instrument_item", args=[item.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, _form(item, text_de="Ich prüfe jeden Vorschlag."))
    assert response.status_code == 302
    assert current_library().item("TRU-X1").text.de == "Ich prüfe jeden Vorschlag."
    event = AuditEvent.objects.get(action="instrument.item_changed")
    assert event.changes["fields"] == {
        "text_de": {"before": "Ich prüfe die Vorschläge.", "after": "Ich prüfe jeden Vorschlag."}
    }
    library = client.get(reverse("scenarios:instruments")).content.decode()
    assert "Ich prüfe jeden Vorschlag." in library and url in library


def test_bad_input_changes_nothing_and_says_why(cast, client_for):
    item = _add(cast)
    client = client_for(cast.staff)
    url = reverse("scenarios:instrument_item", args=[item.pk])
    empty = client.post(url, _form(item, text_en=""))
    assert empty.status_code == 400 and "Dieses Feld ist zwingend erforderlich" in (
        empty.content.decode()
    )
    # The workload scale has no labels: an item on it needs anchors (the library says so).
    anchors = client.post(url, _form(item, scale="workload", text_de="Neu"))
    assert anchors.status_code == 400 and "braucht anchors" in anchors.content.decode()
    english = client.post("/en" + url, _form(item, source="nobody"))
    assert english.status_code == 400 and "nobody" in english.content.decode()
    item.refresh_from_db()
    assert (item.scale, item.text_de, item.text_en, item.source) == (
        "trust",
        "Ich prüfe die Vorschläge.",
        "I check the suggestions.",
        "humaine",
    )
    assert not AuditEvent.objects.filter(action="instrument.item_changed").exists()


def test_scale_and_keying_stay_once_a_survey_asks_the_item(cast, world, client_for):
    item = _add(cast)
    make_survey(world.scenario, [world.north], cast.staff, scales=("trust",))
    client = client_for(cast.staff)
    url = reverse("scenarios:instrument_item", args=[item.pk])
    refused = client.post(url, _form(item, reverse="on"))
    assert refused.status_code == 400 and "Legen Sie es still" in refused.content.decode()
    item.refresh_from_db()
    assert item.reverse is False
    # The wording may still be corrected.
    assert client.post(url, _form(item, text_en="I check every suggestion.")).status_code == 302


def test_a_retired_item_is_left_out_of_new_surveys_and_kept_by_old_ones(cast, world, client_for):
    item = _add(cast)
    before = make_survey(world.scenario, [world.north], cast.staff, scales=("trust",))
    assert "TRU-X1" in before.items["trust"]
    client = client_for(cast.staff)
    retire = reverse("scenarios:instrument_item_retire", args=[item.pk])
    assert client.post(retire).status_code == 302
    item.refresh_from_db()
    assert item.is_retired and item.retired_by == cast.staff
    assert AuditEvent.objects.filter(action="instrument.item_retired").count() == 1
    after = make_survey(world.scenario, [world.north], cast.staff, scales=("trust",))
    assert "TRU-X1" not in after.items["trust"] and after.items["trust"]
    before.refresh_from_db()
    assert "TRU-X1" in before.items["trust"]
    # The survey that asks it still shows it, with texts, source and licence kept.
    library = current_library()
    assert library.item("TRU-X1").text.de == "Ich prüfe die Vorschläge."
    assert library.source_of("TRU-X1").licence
    page = client.get(reverse("scenarios:survey", args=[world.scenario.pk, before.pk]))
    assert page.status_code == 200
    listing = client.get(reverse("scenarios:instruments")).content.decode()
    assert "stillgelegt" in listing
    # Retiring twice says so and changes nothing; reinstating brings it back.
    again = client.post(retire, follow=True)
    assert "schon stillgelegt" in again.content.decode()
    assert AuditEvent.objects.filter(action="instrument.item_retired").count() == 1
    client.post(retire, {"action": "reinstate"})
    item.refresh_from_db()
    assert not item.is_retired
    assert AuditEvent.objects.filter(action="instrument.item_reinstated").count() == 1
    third = make_survey(world.scenario, [world.north], cast.staff, scales=("trust",))
    assert "TRU-X1" in third.items["trust"]


def test_only_staff_change_or_retire_items(cast, world, client_for):
    item = _add(cast)
    for user in (cast.member, world.lead_user):
        client = client_for(user)
        assert client.get(reverse("scenarios:instrument_item", args=[item.pk])).status_code == 403
        retire = reverse("scenarios:instrument_item_retire", args=[item.pk])
        assert client.post(retire).status_code == 403
    assert not InstrumentItem.objects.get().is_retired
    assert (
        client_for(cast.staff)
        .get(reverse("scenarios:instrument_item", args=[item.pk + 999]))
        .status_code
        == 404
    )
