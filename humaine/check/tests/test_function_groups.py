"""'What does the AI do?' shows the AI functions in groups, those of the case's sector first."""

import re
import shutil
import textwrap

import pytest

from humaine.check.catalogue import CATALOGUE_DIR, CatalogueError, default_catalogue, load_catalogue
from humaine.check.models import Respondent


def _legends(html: str) -> list[str]:
    """The titles of the function groups on an answer page, in page order."""
    block = html[html.index('id="question-P-FUNCTIONS"') :]
    block = block[: block.index('id="question-', 10)] if 'id="question-' in block[10:] else block
    return [
        re.sub(r"<[^>]+>.*", "", legend).strip()
        for legend in re.findall(r'class="option-group[^"]*"[^>]*><legend>(.*?)</legend>', block)
    ]


def test_every_function_is_in_exactly_one_group_with_german_and_english_names():
    cat = default_catalogue()
    grouped = [f for g in cat.section("function_groups") for f in g.functions]
    assert sorted(grouped) == sorted(cat.ids("functions"))
    for group in cat.section("function_groups"):
        assert (
            group.title.de
            and group.title.en
            and group.title.de != group.title.en
            or (group.id == "other")
        )


def test_the_groups_of_the_sector_come_first():
    cat = default_catalogue()
    assert [g.id for g in cat.function_groups("insurance")][0] == "insurance_finance"
    assert [g.id for g in cat.function_groups("health_care")][0] == "health"
    assert [g.id for g in cat.function_groups("industry")][0] == "production"
    unsorted = [g.id for g in cat.section("function_groups")]
    assert [g.id for g in cat.function_groups(None)] == unsorted
    insurance = [g.id for g in cat.function_groups("insurance")]
    assert insurance.index("authorities") > insurance.index("work") > 0


@pytest.fixture
def catalogue_copy(tmp_path):
    target = tmp_path / "catalogue"
    shutil.copytree(CATALOGUE_DIR, target, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return target


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (
            """
            function_groups:
              - id: mine
                title: {de: Meine, en: Mine}
                functions: [no_such_function]
            """,
            "unknown function 'no_such_function'",
        ),
        (
            """
            function_groups:
              - id: twice
                title: {de: Doppelt, en: Twice}
                functions: [claims_assessment]
            """,
            "function 'claims_assessment' is already in group",
        ),
        (
            """
            function_groups:
              - id: elsewhere
                title: {de: Anderswo, en: Elsewhere}
                sectors: [logistics]
                functions: [claims_assessment]
            """,
            "unknown sector 'logistics'",
        ),
        (
            """
            functions:
              - id: drone_delivery
                title: {de: Drohnenzustellung, en: Drone delivery}
                description: {de: Stellt zu., en: Delivers.}
            """,
            "the function is in no function group",
        ),
        (
            """
            function_groups:
              - id: nameless
                title: {de: Ohne, en: ""}
                functions: [claims_assessment]
            """,
            "en",
        ),
    ],
)
def test_a_bad_function_group_stops_the_catalogue_from_loading(catalogue_copy, extra, message):
    (catalogue_copy / "extra.yaml").write_text(textwrap.dedent(extra), encoding="utf-8")
    with pytest.raises(CatalogueError) as info:
        load_catalogue(catalogue_copy)
    assert message in str(info.value)


def test_the_answer_page_groups_the_functions_with_the_sector_first(client, standalone):
    token = standalone.respondent_token
    url = f"/check/answer/{token}/phase/development/"
    before = _legends(client.get(url).content.decode())
    assert before[:2] == ["Büro, Dokumente und Kundenkontakt", "Arbeit und Personal"]
    client.post(url, {"shown": "P-SECTOR", "P-SECTOR": "insurance", "action": "save"})
    html = client.get(url).content.decode()
    after = _legends(html)
    assert after[0] == "Versicherung, Leistungen und Finanzen"
    assert "typisch für Ihre Branche" in html
    assert sorted(after) == sorted(before)
    assert after.index("Behörden: Strafverfolgung, Migration und Justiz") > 3
    # each function is shown once, in its group; "none of these" still offered
    boxes = re.findall(r'name="P-FUNCTIONS" value="([^"]+)"', html)
    assert sorted(boxes) == sorted([*default_catalogue().ids("functions"), "__none__"])
    first_group = html[html.index("Versicherung, Leistungen und Finanzen") :]
    first_group = first_group[: first_group.index("</fieldset>")]
    assert 'value="claims_assessment"' in first_group
    assert "law_enforcement" not in first_group
    # the search box is made by the script; without it the page has none
    assert 'type="search"' not in html
    assert "check/options.js" in html


def test_the_english_page_names_the_groups_in_english(client, standalone):
    token = standalone.respondent_token
    html = client.get(f"/en/check/answer/{token}/phase/development/").content.decode()
    assert _legends(html)[:2] == ["Office, documents and customer contact", "Work and staff"]
    assert 'data-option-search="Search the list"' in html


def test_the_grouped_list_submits_the_functions_without_javascript(client, standalone):
    token = standalone.respondent_token
    url = f"/check/answer/{token}/phase/development/"
    response = client.post(
        url,
        {
            "shown": "P-SECTOR,P-FUNCTIONS",
            "P-SECTOR": "insurance",
            "P-FUNCTIONS": ["claims_assessment", "document_processing"],
            "action": "save",
        },
    )
    assert response.status_code == 302
    respondent = Respondent.objects.get(pk=standalone.respondent.pk)
    assert sorted(respondent.answers["P-FUNCTIONS"]) == ["claims_assessment", "document_processing"]
    html = client.get(url).content.decode()
    assert re.search(r'value="claims_assessment"[^>]*checked', html)
    bad = client.post(url, {"shown": "P-FUNCTIONS", "P-FUNCTIONS": ["no_such"], "action": "save"})
    assert bad.status_code == 400
    respondent.refresh_from_db()
    assert sorted(respondent.answers["P-FUNCTIONS"]) == ["claims_assessment", "document_processing"]
