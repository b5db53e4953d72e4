"""Every registered full-text index finds a word written into each of its fields."""

import pytest

from humaine.core.fulltext import INDEXES
from humaine.tests.contracts import fulltext_index_contract


@pytest.mark.parametrize("index", INDEXES.all(), ids=lambda i: i.model._meta.label_lower)
def test_an_index_finds_a_word_in_each_of_its_fields(index, cast):
    cast.expert.topics = "Arbeitsgestaltung"
    cast.expert.save()
    fulltext_index_contract(index)
