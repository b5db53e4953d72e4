"""Every registered source of the hub's figures counts what happened in a period."""

from datetime import timedelta

import pytest
from django.utils import timezone

from humaine.core.figures import FIGURES, hub_figures
from humaine.tests.contracts import figure_source_contract


@pytest.fixture
def demo_hub(db):
    from humaine.core.demo import load_demo

    load_demo()


@pytest.mark.parametrize("source", FIGURES.all(), ids=lambda s: s.name)
def test_a_source_counts_nothing_before_anything_happened_and_something_since(source, demo_hub):
    figure_source_contract(source, timezone.now())


def test_figure_keys_are_unique_across_the_hub(demo_hub):
    now = timezone.now()
    keys = [f.key for f in hub_figures(now - timedelta(days=365), now)]
    assert len(keys) == len(set(keys))
