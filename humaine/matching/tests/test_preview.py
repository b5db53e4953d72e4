"""The preview API and the triage panel show the same result for the same text."""

from humaine.matching.api import MatchesOut, outcome_data
from humaine.matching.matches import MatchInput, find_matches
from humaine.matching.models import Embedding
from humaine.matching.sources import inquiry_text
from humaine.matching.tests.conftest import index_everything
from humaine.tests import factories as f


def test_preview_equals_the_triage_result_for_the_same_text(cast, pool, client_for):
    index_everything()
    # saved, its vectors not yet stored: the preview of the same text before saving it
    inquiry = f.make_inquiry(
        cast.acme,
        work_process="Posteingang der Schadenabteilung",
        problem="Briefe zu Schadenfällen automatisch dem zuständigen Team zuordnen.",
    )
    client = client_for(cast.staff)
    panel = client.get(f"/api/v1/inquiries/{inquiry.pk}/matches").json()
    preview = client.post(
        "/api/v1/matching/preview",
        {
            "text": inquiry_text(inquiry),
            "sector": inquiry.sector.slug,
            "language": inquiry.language,
            "organisation": inquiry.organisation_id,
        },
        content_type="application/json",
    ).json()
    assert preview == panel
    assert preview["experts"] and preview["cases"] and preview["team"]["slots"]
    assert preview["methods"]


def test_preview_saves_nothing(cast, pool, client_for):
    index_everything()
    stored = Embedding.objects.count()
    response = client_for(cast.staff).post(
        "/api/v1/matching/preview",
        {"text": "We want to classify the incoming claims letters with AI.", "sector": "insurance"},
        content_type="application/json",
    )
    assert response.status_code == 200
    body = response.json()
    assert body["experts"] and body["team"]["satisfied"] and body["language"] == "en"
    assert Embedding.objects.count() == stored


def test_panel_and_api_render_the_same_outcome(cast, pool, client_for):
    index_everything()
    outcome = find_matches(MatchInput.for_inquiry(cast.acme_inquiry), cast.staff)
    api = client_for(cast.staff).get(f"/api/v1/inquiries/{cast.acme_inquiry.pk}/matches").json()
    assert api == MatchesOut.model_validate(outcome_data(outcome)).model_dump(mode="json")


def test_preview_validates_sector_and_language(cast, client_for):
    response = client_for(cast.staff).post(
        "/api/v1/matching/preview",
        {"text": "x", "sector": "space", "language": "fr"},
        content_type="application/json",
    )
    assert response.status_code == 422
    fields = {error["loc"][-1] for error in response.json()["detail"]}
    assert fields == {"sector", "language"}


def test_hub_sectors_map_to_the_taxonomy_and_a_new_sector_does_not_break(cast, pool, client_for):
    health = cast.sectors["health"]
    pool["Psych"].sectors.add(health)
    clinic = f.make_organisation("Klinikum", sector=health)
    index_everything()
    inquiry = f.make_inquiry(
        clinic, work_process="Dienstplanung", problem="Stress der Pflegekräfte mit KI senken."
    )
    outcome = find_matches(MatchInput.for_inquiry(inquiry), cast.staff)
    assert outcome.sector == "health_care"
    covers = [label for slot in outcome.team.slots for label in slot.covers]
    assert "Erfahrung in der Branche" in covers

    new_sector = f.make_sectors() and type(health).objects.create(
        slug="agriculture", name_de="Landwirtschaft", name_en="Agriculture"
    )
    farm = f.make_organisation("Hof GmbH", sector=new_sector)
    pool["Work"].sectors.add(new_sector)
    farm_inquiry = f.make_inquiry(farm, work_process="Melkroboter", problem="Akzeptanz der KI.")
    outcome = find_matches(MatchInput.for_inquiry(farm_inquiry), cast.staff)
    assert outcome.sector == "agriculture" and outcome.team.slots
    other = f.make_inquiry(
        f.make_organisation("Laden", sector=cast.sectors["other"]), problem="Kasse mit KI"
    )
    assert find_matches(MatchInput.for_inquiry(other), cast.staff).sector is None
