"""Every registered kind, similar-case source and method source of matching, through one
contract each."""

import pytest

from humaine.core.fulltext import INDEXES
from humaine.matching.sources import (
    CASE_SOURCES,
    KINDS,
    METHOD_SOURCES,
    CaseFacts,
    CaseSummary,
    MethodEntry,
)
from humaine.tests import factories as f
from humaine.tests.registries import cast_users


@pytest.mark.parametrize("kind", KINDS.all(), ids=lambda k: k.kind)
def test_a_kind_describes_each_of_its_objects_by_a_text(kind, cast):
    assert (kind.model is None) == (kind.queryset is None), kind.kind
    if kind.fulltext is not None:
        assert kind.fulltext.signature in INDEXES, kind.kind
        assert kind.fulltext.model is kind.model, kind.kind
    if kind.model is None:
        return
    names = {field.name for field in kind.model._meta.get_fields()}
    assert set(kind.text_fields) <= names, kind.kind
    objects = list(kind.queryset())
    assert objects, f"the cast has no {kind.kind}"
    for obj in objects:
        assert isinstance(obj, kind.model)
        assert isinstance(kind.text(obj), str) and kind.text(obj).strip(), (kind.kind, obj)


@pytest.mark.parametrize("source", CASE_SOURCES.all(), ids=lambda s: s.kind)
def test_a_case_source_shows_each_viewer_only_the_cases_they_may_open(source, cast, client):
    assert KINDS.get(source.kind) is source.indexed
    f.assign_expert(cast.expert, cast.acme_inquiry)
    ids = list(source.indexed.queryset().values_list("pk", flat=True))
    facts = source.facts(ids)
    assert set(facts) == set(ids)
    assert all(isinstance(fact, CaseFacts) and fact.pk == pk for pk, fact in facts.items())
    assert set(source.contacts(ids)) <= set(ids)
    for role, user in cast_users(cast).items():
        visible = source.visible(user, ids)
        assert visible <= set(ids), role
        summaries = source.describe(sorted(visible))
        assert set(summaries) == visible, role
        client.logout()
        if user.is_authenticated:
            client.force_login(user)
        for pk in ids:
            summary = source.describe([pk])[pk]
            assert isinstance(summary, CaseSummary)
            status = client.get(summary.url).status_code
            # a case the viewer may not open is not found (or asks a visitor to log in)
            assert (status == 200) == (pk in visible), (role, pk, status)


@pytest.mark.parametrize("source", METHOD_SOURCES.all(), ids=lambda s: s.name)
def test_a_method_source_gives_entries_in_both_languages_with_unique_keys(source, cast):
    # the cast: a source may read its methods from the database (the knowledge base)
    entries = list(source.load())
    assert entries, source.name
    keys = [entry.key for entry in entries]
    assert len(keys) == len(set(keys)), source.name
    for entry in entries:
        assert isinstance(entry, MethodEntry)
        assert entry.key.startswith(f"{source.name}:") and entry.source == source.name
        assert entry.title.get("de") and entry.title.get("en"), entry.key
        assert entry.summary.get("de") and entry.summary.get("en"), entry.key
        assert entry.text.strip(), entry.key
