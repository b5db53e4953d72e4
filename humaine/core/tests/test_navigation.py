"""Every registered menu entry and overview card, for every user of the cast."""

import pytest
from django.urls import reverse

from humaine.core.navigation import DASHBOARD, NAV, start_page
from humaine.tests.contracts import dashboard_card_contract, nav_entry_contract
from humaine.tests.registries import cast_users


@pytest.mark.parametrize("entry", NAV.all(), ids=lambda e: e.name)
def test_a_menu_entry_is_shown_exactly_to_the_users_it_is_visible_to(entry, cast, client):
    nav_entry_contract(entry, cast, client)


@pytest.mark.parametrize("card", DASHBOARD.all(), ids=lambda c: c.name)
def test_an_overview_card_is_shown_exactly_to_the_users_it_is_visible_to(card, cast, client):
    dashboard_card_contract(card, cast, client)


def test_a_user_with_a_start_page_lands_there_from_the_overview(cast, client):
    for role, user in cast_users(cast).items():
        if not user.is_authenticated:
            continue
        client.force_login(user)
        response = client.get(reverse("core:dashboard"))
        start = start_page(user)
        if start:
            assert response.status_code == 302 and response.url == start, role
        else:
            assert response.status_code == 200, role
