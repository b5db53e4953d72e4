"""Every registered panel, for every user of the cast, on every page of its host model."""

import pytest

from humaine.core import panels
from humaine.core.panels import PANELS
from humaine.tests.contracts import panel_contract


@pytest.mark.parametrize("panel", PANELS.all(), ids=lambda p: p.name)
def test_a_panel_is_on_its_host_page_exactly_for_the_users_it_is_visible_to(panel, cast, client):
    panel_contract(panel, cast, client)


def test_a_panel_the_user_may_not_see_is_not_rendered(cast, client_for):
    hidden = panels.Panel(
        "hidden", host="contact.inquiry", template="core/_field.html", visible=lambda u, o: False
    )
    with PANELS.registered(hidden):
        page = client_for(cast.staff).get(cast.acme_inquiry.get_absolute_url())
    assert 'data-panel="hidden"' not in page.content.decode()
