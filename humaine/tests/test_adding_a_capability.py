"""A new capability slots in by registering, not by editing its neighbours.

The toy app ``humaine/tests/toy/`` follows docs/development.md, "Adding a capability":
installed for this test only, it puts a panel on the inquiry's page, an entry in the
menu, a section of a person's data and a job with its progress into the hub, with no
line changed in another app. The hub's common tests then cover it as they cover every
app: the access matrix calls its URLs as every user of the cast and checks its rule's
list against its predicate, and each registry's contract runs over its records.
"""

import importlib
import sys
from contextlib import ExitStack, contextmanager

import pytest
from django.apps import apps as django_apps
from django.db import connection
from django.test.utils import modify_settings, override_settings
from django.urls import reverse

from humaine import policy
from humaine.core import (
    audit,
    demo,
    figures,
    fulltext,
    navigation,
    panels,
    personal_data,
    progress,
)
from humaine.core.models import Progress
from humaine.tests import contracts
from humaine.tests import factories as f
from humaine.tests.access_matrix import check_pattern, rule_pairs_agree, unrouted, url_patterns
from humaine.tests.hooks import EXAMPLES, ROUTES, load_hooks

REGISTRIES = (
    panels.PANELS,
    navigation.NAV,
    navigation.DASHBOARD,
    personal_data.SECTIONS,
    progress.JOB_KINDS,
    policy.RULES,
    audit.ACTIONS,
    demo.DEMO_DATA,
    figures.FIGURES,
    fulltext.INDEXES,
    ROUTES,
    EXAMPLES,
)
TOY = "humaine.tests.toy"


def _import_hooks() -> None:
    """The toy's ``tests/hooks.py``, as ``load_hooks`` imports every installed app's."""
    name = f"{TOY}.tests.hooks"
    if name in sys.modules:
        importlib.reload(sys.modules[name])
    else:
        importlib.import_module(name)


@contextmanager
def installed_toy():
    """The toy installed (its ``ready()`` registers it), its table created; afterwards
    every registry is as it was and the toy is gone."""
    load_hooks()  # every installed app's examples and routes, before the toy's
    with ExitStack() as stack:
        for registry in REGISTRIES:
            stack.enter_context(registry.registered())
        stack.enter_context(modify_settings(INSTALLED_APPS={"append": TOY}))
        stack.enter_context(override_settings(ROOT_URLCONF=f"{TOY}.root_urls"))
        _import_hooks()
        from humaine.tests.toy.models import Remark

        with connection.schema_editor() as editor:
            editor.create_model(Remark)
        try:
            yield importlib.import_module(f"{TOY}.services")
        finally:
            with connection.schema_editor() as editor:
                editor.delete_model(Remark)


@pytest.fixture
def toy(transactional_db):
    with installed_toy() as services:
        yield services


@pytest.fixture
def remarked(toy, cast):
    """Remarks on both companies' inquiries (the rule has objects to decide on)."""
    writer = f.make_person()
    for inquiry in (cast.acme_inquiry, cast.globex_inquiry):
        toy.add_remark(inquiry, "Klingt nach Dunkelverarbeitung", author=writer, actor=cast.staff)
    return cast


def test_the_toy_is_in_every_registry_without_editing_another_app(toy):
    assert "toy" in panels.PANELS and "toy.remarks" in navigation.NAV
    assert "toy_remarks" in personal_data.SECTIONS and toy.WORD_COUNT in progress.JOB_KINDS
    assert "toy.remarks" in policy.RULES and "remark.added" in audit.ACTIONS


def test_the_registries_contracts_cover_the_toy(toy, remarked, client):
    contracts.panel_contract(panels.PANELS["toy"], remarked, client)
    contracts.nav_entry_contract(navigation.NAV["toy.remarks"], remarked, client)
    contracts.audit_action_contract(audit.ACTIONS["remark.added"])
    contracts.job_kind_contract(progress.JOB_KINDS[toy.WORD_COUNT])


def test_the_access_matrix_covers_the_toy(toy, remarked, client):
    f.assign_expert(remarked.expert, remarked.acme_inquiry)  # as the matrix's cast
    patterns = [p for p in url_patterns() if p.name.startswith("toy:")]
    assert {p.name for p in patterns} == {"toy:remarks", "toy:count_words"}
    assert unrouted(patterns) == []
    for pattern in patterns:
        problems = check_pattern(pattern, remarked, client)
        assert not problems, "\n".join(problems)
    assert rule_pairs_agree(remarked, [policy.RULES["toy.remarks"]]) == []


def test_the_toy_section_is_exported_and_erased_like_every_other(toy, cast):
    person = f.make_person(organisation=cast.acme, user=cast.member)
    contracts.personal_data_contract(personal_data.SECTIONS["toy_remarks"], cast, person)


def test_the_toy_job_shows_its_progress(toy, remarked, client, run_jobs):
    inquiry = remarked.acme_inquiry
    toy.add_remark(inquiry, "drei weitere Worte", author=None, actor=remarked.staff)
    client.force_login(remarked.staff)
    response = client.post(reverse("toy:count_words", args=[inquiry.pk]))
    record = Progress.objects.get(kind=toy.WORD_COUNT)
    assert response.url == reverse("core:progress", args=[record.pk])
    assert record.status == Progress.Status.QUEUED and record.requested_by == remarked.staff
    run_jobs()
    record.refresh_from_db()
    assert record.status == Progress.Status.DONE
    assert (record.done, record.total, record.counts) == (2, 2, {"words": 6})
    page = client.get(response.url).content.decode()
    assert "Wörter der Bemerkungen zählen" in page and "Wörter: 6" in page
    client.force_login(remarked.member)  # neither asked nor staff: no such job for them
    assert client.get(response.url).status_code == 404


def test_without_the_toy_the_hub_is_as_before(transactional_db):
    before = {registry.name: registry.keys() for registry in REGISTRIES}
    with installed_toy():
        assert [p for p in url_patterns() if p.name.startswith("toy:")]
    assert {registry.name: registry.keys() for registry in REGISTRIES} == before
    assert not [p for p in url_patterns() if p.name.startswith("toy:")]
    assert "toy" not in {config.label for config in django_apps.get_app_configs()}
