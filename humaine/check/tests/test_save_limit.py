"""Saving a check's documents is limited per address; once used up, saves are refused at
the top of the middleware chain, before the check is even looked up."""

from humaine.check.models import Check


def save(client, standalone, text, address="198.51.100.4", prefix=""):
    url = f"{prefix}/check/r/{standalone.token}/documents/worker_notice/"
    return client.post(url, {"text": text}, REMOTE_ADDR=address)


def saved_text(standalone) -> str:
    documents = Check.objects.get(pk=standalone.check.pk).documents
    return documents.get("worker_notice", {}).get("de", {}).get("text", "")


def test_saves_are_limited_per_address_and_refused_early_once_used_up(client, standalone, settings):
    settings.CHECK_SAVES_PER_MINUTE = 2
    assert save(client, standalone, "# Eins").status_code == 302
    assert save(client, standalone, "").status_code == 400  # not saved: does not count
    assert save(client, standalone, "# Zwei").status_code == 302
    refused = save(client, standalone, "# Drei")
    assert refused.status_code == 429 and 0 < int(refused["Retry-After"]) <= 60
    assert "Zu viele gespeicherte Dokumente" in refused.content.decode()
    early = save(client, standalone, "# Vier")
    assert early.status_code == 429 and 0 < int(early["Retry-After"]) <= 60
    assert "Zu viele gespeicherte Dokumente" in early.content.decode()
    assert not early.templates
    assert saved_text(standalone) == "# Zwei"
    # another address saves
    assert save(client, standalone, "# Fünf", address="192.0.2.77").status_code == 302
    assert saved_text(standalone) == "# Fünf"


def test_the_early_refusal_speaks_the_pages_language(client, standalone, settings):
    settings.CHECK_SAVES_PER_MINUTE = 1
    save(client, standalone, "# Eins", prefix="/en")
    save(client, standalone, "# Zwei", prefix="/en")
    early = save(client, standalone, "# Drei", prefix="/en")
    assert early.status_code == 429 and "Too many saved documents" in early.content.decode()
    assert not early.templates
