"""The contract of each registry, as functions one record at a time.

Each registry's common test (``humaine/core/tests/test_<registry>.py``) runs every
registered record through its contract; a capability defined elsewhere (the toy in
``humaine/tests/test_adding_a_capability.py``) runs its own records through the same
functions while they are registered.
"""

import re

from django.apps import apps
from django.urls import reverse

from humaine.core import fulltext
from humaine.core.figures import Figure
from humaine.core.navigation import AREAS, start_page

from . import factories as f
from .registries import cast_users, objects_of


def _login(client, user):
    client.logout()
    if user.is_authenticated:
        client.force_login(user)
    return client


def panel_contract(panel, cast, client) -> None:
    """On its host's page exactly for the users it is visible to, for every object."""
    model = apps.get_model(panel.host)
    assert hasattr(model, "get_absolute_url"), f"{panel.host} has no page for {panel.name}"
    f.assign_expert(cast.expert, cast.acme_inquiry)
    pages = 0
    for role, user in cast_users(cast).items():
        _login(client, user)
        for obj in objects_of(panel.host):
            response = client.get(obj.get_absolute_url())
            if response.status_code != 200:
                continue
            pages += 1
            visible = panel.visible(user, obj)
            assert isinstance(visible, bool), (panel.name, role)
            shown = re.search(rf'data-panel="{panel.name}"', response.content.decode())
            assert bool(shown) == visible, (panel.name, role, obj)
    assert pages, f"no user of the cast could open a page of {panel.host}"


def _main_nav(client) -> str:
    page = client.get(reverse("contact:home"))
    return page.content.decode().split('class="wrap main-nav"')[1].split("</nav>")[0]


def nav_entry_contract(entry, cast, client) -> None:
    """Its URL resolves; the menu shows it exactly to the users it is visible to."""
    assert entry.area in AREAS, entry.name
    href = reverse(entry.url)
    for role, user in cast_users(cast).items():
        visible = entry.visible(user)
        assert isinstance(visible, bool), (entry.name, role)
        shown = f'href="{href}"' in _main_nav(_login(client, user))
        if entry.area == "account" and not user.is_authenticated:
            assert not shown, (entry.name, role)
        else:
            assert shown == visible, (entry.name, role)
        if shown:
            assert _login(client, user).get(href).status_code < 400, (entry.name, role)


def dashboard_card_contract(card, cast, client) -> None:
    href = reverse(card.url)
    for role, user in cast_users(cast).items():
        if not user.is_authenticated or start_page(user):
            continue
        page = _login(client, user).get(reverse("core:dashboard"))
        assert page.status_code == 200
        cards = page.content.decode().split('class="cards"')[1]
        assert (f'href="{href}"' in cards) == card.visible(user), (card.name, role)


def fulltext_index_contract(index) -> None:
    """A word written into each of its fields is found, by the filter and by ``rank``."""
    model = index.model
    rows = objects_of(model._meta.label_lower)
    assert rows, f"the test cast has no {model._meta.label_lower}"
    for number, name in enumerate(index.fields):
        field = model._meta.get_field(name)
        assert field.get_internal_type() in ("CharField", "TextField"), name
        word = f"zyxquorum{number}"
        row = rows[number % len(rows)]
        model.objects.filter(pk=row.pk).update(**{name: f"{getattr(row, name)} {word}"})
        found = fulltext.filter_matching(model.objects.all(), index, word)
        assert list(found.values_list("pk", flat=True)) == [row.pk], name
        assert [pk for pk, _score in fulltext.rank(index, word)] == [row.pk], name


def figure_source_contract(source, now) -> None:
    """Zero before anything happened; keys ``<source>.<what>``; counts are non-negative."""
    from datetime import timedelta

    long_ago = now - timedelta(days=3650)
    before = source.counts(long_ago, now - timedelta(days=3000))
    since = source.counts(long_ago, now + timedelta(minutes=1))
    assert before and all(isinstance(figure, Figure) for figure in before), source.name
    assert [f.key for f in before] == [f.key for f in since], source.name
    for figure in before:
        assert figure.key.startswith(f"{source.name}."), figure.key
        assert figure.value == 0 and not any(figure.by.values()), figure.key
    for figure in since:
        assert isinstance(figure.value, int) and figure.value >= 0, figure.key
        assert all(isinstance(v, int) and v >= 0 for v in figure.by.values()), figure.key
    assert any(figure.value > 0 for figure in since), f"{source.name} counted nothing"


def audit_action_contract(action) -> None:
    """Named ``<object>.<past verb>``; its label has words in English and in German."""
    from django.utils import translation

    from humaine.core.action_registry import is_action_name

    assert is_action_name(action.name), action.name
    with translation.override("en"):
        english = str(action.label)
    with translation.override("de"):
        german = str(action.label)
    assert english.strip() and english != action.name, action.name
    assert german != english, f"{action.name}: no German for {english!r}"


def job_kind_contract(kind) -> None:
    """Named ``<app label>.<job>`` after an installed app, labelled, its counts labelled."""
    app, _, job = kind.name.partition(".")
    assert job and app in {config.label for config in apps.get_app_configs()}, kind.name
    assert str(kind.label), kind.name
    assert all(key and str(label) for key, label in kind.counts), kind.name


def personal_data_contract(section, cast, person) -> None:
    """The section's example data is in the person's export and nowhere after erasure."""
    import json

    from humaine.contact import services

    from .hooks import EXAMPLES
    from .leaks import assert_nowhere, find_everywhere

    marker = f"zqmarker{section.name.replace('_', '')}"
    EXAMPLES[section.name].make(person, marker, cast)
    assert find_everywhere(marker), f"{section.name}: the example stored nothing with the marker"
    exported = services.export_person(person, actor=cast.staff)
    assert marker in json.dumps(exported.get(section.name), ensure_ascii=False), section.name
    services.erase_person(person, actor=cast.staff)
    assert_nowhere(marker)
