"""The main pages, in German with the demo data, read as German for visitors, members and
staff: no internal names, no untranslated keys, no English where German belongs.

The pages are the hub's main pages for each role and every page they link to (one step),
plus a check's guided path and result; the API's docs page is left out (it documents
code). The detector is :mod:`humaine.tests.german`.
"""

from __future__ import annotations

import re
from io import StringIO
from urllib.parse import urldefrag, urlparse

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from humaine.check import services as check_services
from humaine.tests.german import findings

SKIP = re.compile(
    r"^/(?:en/|api/|admin/|i18n/|media/|static/|accounts/logout)"
    r"|\.(?:pdf|csv|ics|json|xlsx|zip|png|svg)$|/(?:export|download|files)/|\.(?:csv|pdf)\b"
)

SEEDS = {
    None: ["/", "/inquiry/", "/sectors/", "/how-it-works/", "/contact/", "/check/",
           "/check/questions/", "/check/recommendations/", "/knowledge/", "/events/",
           "/network/", "/figures/", "/accounts/login/"],
    "member": ["/dashboard/", "/inquiries/", "/checks/", "/scenarios/", "/notifications/",
               "/notifications/emails/", "/account/tokens/", "/my-surveys/", "/network/profile/",
               "/teams/my-figures/"],
    "betriebsrat": ["/dashboard/", "/scenarios/", "/notifications/", "/my-surveys/"],
    "staff": ["/dashboard/", "/staff/inquiries/?status=all", "/staff/jobs/", "/staff/people/",
              "/notifications/", "/notifications/emails/", "/scenarios/", "/knowledge/manage/",
              "/staff/figures/", "/staff/instruments/", "/checks/", "/staff/experts/import/"],
}  # fmt: skip
MAX_PAGES = 160


def _links(html: str) -> list[str]:
    out = []
    for href in re.findall(r'<a\s[^>]*href="([^"#][^"]*)"', html):
        href = urldefrag(href.replace("&amp;", "&"))[0]
        parsed = urlparse(href)
        if parsed.scheme or parsed.netloc or not href.startswith("/") or SKIP.search(href):
            continue
        out.append(href)
    return out


def _crawl(client, seeds: list[str]) -> dict[str, str]:
    """The seeds and the pages they link to, as German HTML by address."""
    pages: dict[str, str] = {}
    queue = [(url, 0) for url in seeds]
    while queue and len(pages) < MAX_PAGES:
        url, depth = queue.pop(0)
        if url in pages:
            continue
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="de")
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            pages[url] = ""
            continue
        html = response.content.decode()
        pages[url] = html
        if depth == 0:
            queue += [(link, 1) for link in _links(html) if link not in pages]
    return {url: html for url, html in pages.items() if html}


SCENARIO_PAGES = ("", "process/", "members/", "items/", "checks/", "surveys/", "activity/",
                  "teams/")  # fmt: skip
# What each role's pages must include (as patterns of their addresses).
REQUIRED = {
    None: [r"^/$", r"^/inquiry/$", r"^/check/answer/\w+/phase/", r"^/check/r/\w+/result/$",
           r"^/knowledge/[\w-]+/$", r"^/events/[\w-]+/$"],
    "member": [r"^/dashboard/$", r"^/inquiries/\d+/$", r"^/staff/matching/inquiries/\d+/$",
               r"^/notifications/$", r"^/notifications/emails/$", r"^/account/tokens/$"],
    # a works council member of a scenario: its workspace and human-AI pages
    "betriebsrat": [r"^/scenarios/\d+/$", r"^/scenarios/\d+/process/$",
                    r"^/scenarios/\d+/teams/$", r"^/scenarios/\d+/activity/$"],
    "staff": [r"^/staff/inquiries/", r"^/inquiries/\d+/$", r"^/staff/matching/inquiries/\d+/$",
              r"^/scenarios/\d+/$", r"^/scenarios/\d+/process/$", r"^/scenarios/\d+/teams/$",
              r"^/knowledge/manage/\d+/$", r"^/staff/events/[\w-]+/$", r"^/notifications/$",
              r"^/people/\d+/$", r"^/staff/jobs/$"],
}  # fmt: skip


def _data_seeds(user) -> list[str]:
    """Pages of the demo's objects the user may open: scenarios with their human-AI pages,
    an inquiry with its matching panel, their own person's page, an event's staff page."""
    from humaine.contact.access import inquiries_visible_to
    from humaine.contact.models import Person
    from humaine.scenarios.access import scenarios_visible_to
    from humaine.transfer.models import Event

    urls = []
    for scenario in scenarios_visible_to(user).order_by("pk")[:2]:
        urls += [f"/scenarios/{scenario.pk}/{page}" for page in SCENARIO_PAGES]
    inquiries = inquiries_visible_to(user).order_by("pk")
    inquiry = inquiries.filter(assignments__active=True).first() or inquiries.first()
    if inquiry is not None:
        urls += [f"/inquiries/{inquiry.pk}/", f"/staff/matching/inquiries/{inquiry.pk}/"]
        if inquiry.contact_id:
            urls.append(f"/people/{inquiry.contact_id}/")
    person = Person.objects.filter(user=user).first()
    if person is not None:
        urls.append(f"/people/{person.pk}/")
    event = Event.objects.order_by("pk").first()
    if event is not None:
        urls.append(f"/staff/events/{event.slug}/")
    return urls


@pytest.fixture
def demo_hub(db):
    call_command("load_demo_data", stdout=StringIO())


def _check_pages(client) -> list[str]:
    """A check answered in part, as the demo's member would: its guided path and result."""
    created = check_services.create_check(
        title="Vorauswahl von Bewerbungen", owner_role="manager", actor_name="Demo"
    )
    check_services.save_answers(
        created.respondent,
        {"P-SECTOR": "insurance", "P-FUNCTIONS": ["recruitment_selection"],
         "P-AFFECTED": ["applicants"], "P-DECISION-ROLE": "assists"},
    )  # fmt: skip
    answer = f"/check/answer/{created.respondent_token}/"
    owner = f"/check/r/{created.token}/"
    return [answer, f"{answer}phase/development/", f"{answer}browse/", owner, f"{owner}result/"]


@pytest.mark.parametrize("role", [None, "member", "betriebsrat", "staff"])
def test_the_main_pages_read_as_german(demo_hub, client, role):
    seeds = list(SEEDS[role])
    if role is None:
        seeds += _check_pages(client)
    else:
        user = get_user_model().objects.get(username=role)
        client.force_login(user)
        seeds += _data_seeds(user)
    pages = _crawl(client, seeds)
    missing = [p for p in REQUIRED[role] if not any(re.search(p, url) for url in pages)]
    assert not missing, f"pages not reached: {missing}"
    report = {url: found for url, html in pages.items() if (found := findings(html))}
    lines = [f"{url}: {item}" for url, found in report.items() for item in found]
    assert not lines, f"{len(lines)} findings on {len(report)} pages:\n" + "\n".join(lines)
