"""Every registered source of method pages answers only for the keys asked, with pages the
user may open."""

import pytest

from humaine.core.methods import METHOD_PAGES, MethodPage
from humaine.tests.registries import cast_users


@pytest.mark.parametrize("source", METHOD_PAGES.all(), ids=lambda s: s.name)
def test_a_source_answers_only_for_the_keys_asked_with_pages_that_open(source, cast, client):
    keys = ["check:REC-HC-SURVEYS", "check:NO-SUCH-RECOMMENDATION", "other:1"]
    for role, user in cast_users(cast).items():
        answer = source.pages(user, keys)
        assert set(answer) <= set(keys), (source.name, role)
        client.logout()
        if user.is_authenticated:
            client.force_login(user)
        for pages in answer.values():
            for page in pages:
                assert isinstance(page, MethodPage) and page.title, source.name
                assert client.get(page.url).status_code == 200, (source.name, role, page.url)
