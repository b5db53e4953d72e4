"""Every registered kind of scenario item keeps the registry's contract."""

import pytest
from django.http import Http404
from django.template.loader import get_template

from humaine.scenarios.kinds import KINDS, item_of
from humaine.scenarios.models import Scenario

from .conftest import make_scenario

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("kind", KINDS.all(), ids=lambda k: k.key)
def test_a_kind_belongs_to_scenarios_and_has_its_page_and_section(kind, cast):
    assert kind.model._meta.get_field("scenario").related_model is Scenario
    assert kind.url(1, 2)
    if kind.section_template:
        get_template(kind.section_template)
    assert str(kind.label) and str(kind.label_plural)
    scenario = make_scenario(cast)
    other = make_scenario(cast, title="Anderes", organisation=cast.globex)
    assert list(kind.items(other)) == []
    with pytest.raises(Http404):
        item_of(scenario, kind.key, 2_000_000_000)
    with pytest.raises(Http404):
        item_of(scenario, "no-such-kind", 1)
