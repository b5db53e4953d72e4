"""Every page a browser test loads is checked for ids used more than once (new_page)."""

import pytest

from humaine.conftest import IdWatch

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_the_id_watch_reports_a_page_with_an_id_twice(browser):
    context = browser.new_context()
    try:
        page = context.new_page()
        watch = IdWatch()
        watch.attach(page)
        page.goto('data:text/html,<label for="t">Notiz</label><textarea id="t"></textarea>')
        page.goto('data:text/html,<textarea id="text"></textarea><textarea id="text"></textarea>')
        page.goto('data:text/html,<p id="a">weiter</p>')
        assert len(watch.found) == 1 and '["text"]' in watch.found[0]
    finally:
        context.close()
