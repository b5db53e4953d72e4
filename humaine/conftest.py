"""The hub's test cast: one hub, two companies, and a user in every role."""

import os
import threading
from dataclasses import dataclass, field

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.utils import translation

from humaine.tests import factories as f


@pytest.fixture(autouse=True)
def _default_language():
    # The active language is thread-local: a request under /en/ would leak into the next test.
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _clear_cache(request):
    # Rate limits and the cached hub live in the cache, which transactions don't undo.
    uses_db = {"db", "transactional_db", "live_server"} & set(request.fixturenames)
    if not uses_db and not request.node.get_closest_marker("django_db"):
        yield
        return
    request.getfixturevalue("transactional_db" if "live_server" in uses_db else "db")
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _private_storage(request, tmp_path):
    # Every database test keeps its uploads in a folder of its own: the auditor's search
    # (tests/leaks.py) reads every stored file, and finds only this test's.
    uses_db = {"db", "transactional_db", "live_server"} & set(request.fixturenames)
    if not uses_db and not request.node.get_closest_marker("django_db"):
        yield
        return
    settings = request.getfixturevalue("settings")
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "private")},
        },
    }
    settings.MEDIA_ROOT = tmp_path / "media"
    # machine-local copies (a run's team fetched for routing) likewise: one folder per test
    settings.DATA_DIR = tmp_path / "data"
    yield


@pytest.fixture
def renders(monkeypatch):
    """The WeasyPrint renders so far (each still really renders), one entry per render: the
    name of the thread it ran in and that thread's scheduling priority (nice; None where
    the system has no thread priorities)."""
    import weasyprint

    done = []
    original = weasyprint.HTML.write_pdf

    def recorded(self, *args, **kwargs):
        nice = None
        if hasattr(os, "getpriority"):
            nice = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
        done.append((threading.current_thread().name, nice))
        return original(self, *args, **kwargs)

    monkeypatch.setattr(weasyprint.HTML, "write_pdf", recorded)
    return done


@dataclass
class Cast:
    hub: object
    sectors: dict
    acme: object  # a company with a member
    globex: object  # a competitor with its own member
    staff: object
    admin: object
    member: object
    other_member: object
    expert: object  # expert profile (with account)
    expert_user: object
    acme_inquiry: object
    globex_inquiry: object
    # objects other apps add (humaine.tests.hooks.CAST_ADDITIONS), by app
    extras: dict = field(default_factory=dict)


@pytest.fixture
def cast(db) -> Cast:
    sectors = f.make_sectors()
    hub = f.make_hub()
    acme = f.make_organisation("Acme Versicherung AG", sector=sectors["insurance"])
    globex = f.make_organisation("Globex Assekuranz", sector=sectors["insurance"])
    expert_user = f.make_user("expert")
    expert = f.make_expert("Dr. Erika Expertin", user=expert_user)
    cast = Cast(
        hub=hub,
        sectors=sectors,
        acme=acme,
        globex=globex,
        staff=f.make_staff("staff", first_name="Tina", last_name="Transfer"),
        admin=f.make_hub_admin("admin"),
        member=f.make_user("member", organisation=acme),
        other_member=f.make_user("other", organisation=globex),
        expert=expert,
        expert_user=expert_user,
        acme_inquiry=f.make_inquiry(
            acme,
            work_process="Kfz-Schadenprüfung bei Acme",
            problem="Vertraulich: Acme plant einen KI-Piloten.",
        ),
        globex_inquiry=f.make_inquiry(
            globex,
            work_process="Betrugserkennung bei Globex",
            problem="Vertraulich: Globex prüft Betrugsfälle.",
        ),
    )
    from humaine.tests.hooks import CAST_ADDITIONS, load_hooks

    load_hooks()
    for addition in CAST_ADDITIONS:
        cast.extras[addition.name] = addition.make(cast)
    return cast


@pytest.fixture
def client_for(client):
    """``client_for(user)``: the test client logged in as ``user``."""

    def login(user):
        client.force_login(user)
        return client

    return login


@pytest.fixture
def run_jobs(transactional_db):
    """Run the real job worker until the queue is empty.

    Needs real commits (the worker sees only committed jobs, and closes connections
    that sit in a transaction), hence ``transactional_db``.
    """

    def run():
        call_command("run_worker", "--batch", "--no-startup-delay", "--interval", "0", verbosity=0)

    return run


# Browser tests ---------------------------------------------------------------------------

CHROMIUM = "/usr/bin/chromium"
# what a browser test waits for a download the server renders first (a PDF by WeasyPrint:
# a few seconds on a quiet machine, beyond the pages' 15 s when the machine is busy)
RENDERED_DOWNLOAD_MS = 120_000
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _browser_available() -> str | None:
    """Why browser tests cannot run here, or None when they can."""
    import os

    if not os.path.exists(CHROMIUM):
        return f"{CHROMIUM} is not installed (scripts/test.sh installs it)"
    if not os.environ.get("AXE_CORE_JS") or not os.path.exists(os.environ["AXE_CORE_JS"]):
        return "axe-core is not installed (scripts/test.sh installs it; set AXE_CORE_JS)"
    return None


@pytest.fixture(scope="session")
def browser():
    import os

    reason = _browser_available()
    if reason:
        # The test command requires the browser; a developer's quick run may skip it.
        if os.environ.get("HUMAINE_REQUIRE_BROWSER") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests
    # make around it are still synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser, live_server):
    """``new_page(locale="de-DE")``: a fresh browser context and page on the live server.

    Every page a test loads is checked for ids used more than once (a label must lead to
    its own field); the test fails at its end if one did."""
    contexts = []
    watch = IdWatch()

    def open_page(locale: str = "de-DE"):
        # axe-core is injected as an inline script, which our CSP would block.
        context = browser.new_context(base_url=live_server.url, locale=locale, bypass_csp=True)
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        watch.attach(page)
        return page

    yield open_page
    for context in contexts:
        for page in context.pages:
            page.wait_for_timeout(0)  # hand over the console messages still on their way
        context.close()
    assert not watch.found, "ids used more than once:\n" + "\n".join(watch.found)


DUPLICATE_IDS_JS = """() => {
    const counts = {};
    for (const element of document.querySelectorAll('[id]')) {
        counts[element.id] = (counts[element.id] || 0) + 1;
    }
    return Object.keys(counts).filter((id) => counts[id] > 1);
}"""


class IdWatch:
    """Checks every page it is attached to, on each load, for ids used more than once.

    The check runs in the page itself when it has loaded and reports through the console,
    so pages the test has already left are still counted."""

    MARK = "humaine-duplicate-ids"
    SCRIPT = (
        "window.addEventListener('load', () => { const counts = {};"
        " for (const e of document.querySelectorAll('[id]'))"
        " counts[e.id] = (counts[e.id] || 0) + 1;"
        " const twice = Object.keys(counts).filter((id) => counts[id] > 1);"
        " if (twice.length) console.warn('"
        + MARK
        + " ' + location.href + ' ' + JSON.stringify(twice)); });"
    )

    def __init__(self):
        self.found: list[str] = []

    def attach(self, page) -> None:
        page.add_init_script(self.SCRIPT)
        page.on("console", self.heard)

    def heard(self, message) -> None:
        if message.text.startswith(self.MARK):
            self.found.append(message.text[len(self.MARK) + 1 :])


def assert_unique_ids(page, label: str = "") -> None:
    """Every ``id`` on the page once: a label leads to its own field, a link to its target."""
    duplicates = page.evaluate(DUPLICATE_IDS_JS)
    assert not duplicates, f"ids used more than once on {label or page.url}: {duplicates}"


@pytest.fixture
def axe_check():
    """``axe_check(page)``: fail on serious or critical WCAG 2.1 A/AA violations and on ids
    used more than once (axe-core no longer checks those)."""
    import os

    def check(page, label: str = "") -> list:
        # a click that navigates returns before the new page has a document to inject into
        page.wait_for_load_state("load")
        assert_unique_ids(page, label)
        page.add_script_tag(path=os.environ["AXE_CORE_JS"])
        result = page.evaluate(
            """async () => await axe.run(document, {runOnly: {type: 'tag',
                values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"""
        )
        bad = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
        details = [
            f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
            for v in bad
        ]
        assert not bad, f"accessibility violations on {label or page.url}:\n" + "\n".join(details)
        return result["violations"]

    return check
