"""A check's PDF is rendered once per version of its answers, and renders are limited;
every PDF of the hub is rendered in the low-priority thread (check.pdf.write_pdf)."""

from pathlib import Path

import humaine
from humaine.check import services


def test_the_pdf_is_rendered_in_the_low_priority_thread(client, standalone, renders, settings):
    settings.LOW_PRIORITY_NICE = 19
    response = client.get(f"/check/r/{standalone.token}/result.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    [(thread, nice)] = renders
    assert thread.startswith("humaine-low-priority") and nice in (19, None)


def test_only_check_pdf_runs_weasyprint():
    """Every PDF goes through write_pdf (a render place, low priority): no other module of
    the hub renders one itself."""
    root = Path(humaine.__file__).parent
    renderers = {
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if not ({"tests"} & set(path.parts) or path.name == "conftest.py")
        and "weasyprint" in path.read_text()
    }
    assert renderers == {"check/pdf.py"}


def test_the_same_answers_render_the_pdf_once(client, standalone, renders):
    url = f"/check/r/{standalone.token}/result.pdf"
    first = client.get(url)
    second = client.get(url)
    assert first.status_code == second.status_code == 200
    assert first.content == second.content
    assert len(renders) == 1
    services.save_answers(standalone.respondent, {"P-SECTOR": "industry"})
    third = client.get(url)
    assert third.status_code == 200 and third.content != first.content
    assert len(renders) == 2
    # another language is another version
    client.get(f"/en{url}")
    assert len(renders) == 3


def test_an_edited_document_is_a_new_pdf(client, standalone, renders):
    url = f"/check/r/{standalone.token}/documents/worker_notice.pdf"
    client.get(url)
    client.get(url)
    services.save_document(
        standalone.check, "worker_notice", "de", "# Neu", actor=None, actor_name="test"
    )
    client.get(url)
    assert len(renders) == 2


def test_pdf_renders_are_limited_per_address_but_rendered_ones_are_served(
    client, standalone, renders, settings
):
    settings.PDF_RATE_LIMIT = 2
    # one long window: a fixed window that ends between two requests would let the
    # second through (seen under load)
    settings.PDF_RATE_WINDOW_SECONDS = 10**6
    url = f"/check/r/{standalone.token}/documents/worker_notice.pdf"

    def edit(text):
        services.save_document(
            standalone.check, "worker_notice", "de", text, actor=None, actor_name="test"
        )

    edit("# Erste Fassung")
    assert client.get(url).status_code == 200
    edit("# Zweite Fassung")
    assert client.get(url).status_code == 200
    edit("# Dritte Fassung")
    refused = client.get(url)
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert "Bitte versuchen Sie es in" in refused.content.decode()
    assert client.get(url, REMOTE_ADDR="192.0.2.9").status_code == 200  # another address
    edit("# Erste Fassung")
    assert client.get(url).status_code == 200  # rendered before: served from the cache
    assert len(renders) == 3


def test_while_all_renderers_are_busy_a_new_pdf_waits_and_does_not_count(
    client, standalone, renders, settings
):
    from django.core.cache import cache

    settings.PDF_RATE_LIMIT = 1
    # one long window: a fixed window that ends between two requests would let the
    # second through (seen under load)
    settings.PDF_RATE_WINDOW_SECONDS = 10**6
    url = f"/check/r/{standalone.token}/result.pdf"
    cache.add("slot:check.pdf:0", 1)  # another process is rendering
    busy = client.get(url)
    assert busy.status_code == 429 and busy["Retry-After"] == "5"
    assert "Gerade werden andere PDFs erstellt." in busy.content.decode()
    cache.delete("slot:check.pdf:0")
    assert client.get(url).status_code == 200
    assert len(renders) == 1


def test_a_pdf_served_from_the_cache_does_not_touch_its_checks_list(
    client, standalone, renders, monkeypatch
):
    from django.core.cache import cache

    from humaine.check import pdf

    url = f"/check/r/{standalone.token}/documents/worker_notice.pdf"
    assert client.get(url).status_code == 200
    listed = f"check.pdf.of:check:{standalone.check.pk}"
    assert len(cache.get(listed)) == 1
    read = []
    original_get = pdf.cache.get
    monkeypatch.setattr(pdf.cache, "get", lambda key, *a: read.append(key) or original_get(key, *a))
    assert client.get(url).status_code == 200
    assert listed not in read and len(renders) == 1


def test_every_cached_pdf_of_a_check_is_listed_the_oldest_beyond_the_limit_deleted(
    client, standalone, renders, monkeypatch
):
    from django.core.cache import cache

    from humaine.check import pdf

    monkeypatch.setattr(pdf, "KEPT_PER_OWNER", 2)
    url = f"/check/r/{standalone.token}/documents/worker_notice.pdf"
    for text in ("# Eins", "# Zwei", "# Drei"):
        services.save_document(
            standalone.check, "worker_notice", "de", text, actor=None, actor_name="test"
        )
        assert client.get(url).status_code == 200
    keys = cache.get(f"check.pdf.of:check:{standalone.check.pk}")
    assert len(keys) == 2 and all(cache.get(key) for key in keys)
    # the first version's PDF is gone with its entry: rendered anew when asked again
    services.save_document(
        standalone.check, "worker_notice", "de", "# Eins", actor=None, actor_name="test"
    )
    client.get(url)
    assert len(renders) == 4


def test_a_pdf_asked_for_again_is_served_without_running_the_check(
    client, standalone, renders, monkeypatch
):
    from humaine.check.views import owner

    reports = []
    original = owner._report
    monkeypatch.setattr(owner, "_report", lambda access: reports.append(1) or original(access))
    for url in (
        f"/check/r/{standalone.token}/result.pdf",
        f"/check/r/{standalone.token}/documents/worker_notice.pdf",
    ):
        first = client.get(url)
        assert client.get(url).content == first.content
    assert len(reports) == 2 and len(renders) == 2
    # new answers: the check runs again, and the result is a new PDF
    services.save_answers(standalone.respondent, {"P-SECTOR": "industry"})
    changed = client.get(f"/check/r/{standalone.token}/result.pdf")
    assert changed.status_code == 200 and len(reports) == 3 and len(renders) == 3
    # another language too
    client.get(f"/en/check/r/{standalone.token}/documents/worker_notice.pdf")
    assert len(reports) == 4
