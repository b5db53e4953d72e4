"""API tokens may expire; their expiry and last use are shown to their owner."""

import re
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from humaine.core.models import ApiToken


def create(client, **data):
    page = client.post(reverse("core:api_tokens"), {"name": "Skript", **data})
    return page, re.search(r"hm_[\w-]+", page.content.decode()).group(0)


def test_a_token_valid_for_30_days_expires_then(client_for, cast):
    ui = client_for(cast.staff)
    _page, key = create(ui, valid_days="30")
    token = ApiToken.objects.get(user=cast.staff)
    expected = timezone.now() + timedelta(days=30)
    assert abs((token.expires_at - expected).total_seconds()) < 60
    page = ui.get(reverse("core:api_tokens")).content.decode()
    assert timezone.localtime(token.expires_at).strftime("%d.%m.%Y") in page


def test_an_expired_token_is_refused_and_shown_as_expired(client, client_for, cast):
    ui = client_for(cast.staff)
    _page, key = create(ui, valid_days="30")
    bearer = {"Authorization": f"Bearer {key}"}
    assert client.get("/api/v1/inquiries", headers=bearer).status_code == 200
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    ui.logout()
    assert client.get("/api/v1/inquiries", headers=bearer).status_code == 401
    page = client_for(cast.staff).get(reverse("core:api_tokens")).content.decode()
    assert "abgelaufen" in page


def test_a_token_without_expiry_works_until_revoked_and_shows_its_last_use(
    client, client_for, cast
):
    ui = client_for(cast.staff)
    _page, key = create(ui, valid_days="")
    token = ApiToken.objects.get(user=cast.staff)
    assert token.expires_at is None
    ui.logout()
    bearer = {"Authorization": f"Bearer {key}"}
    assert client.get("/api/v1/inquiries", headers=bearer).status_code == 200
    token.refresh_from_db()
    page = client_for(cast.staff).get(reverse("core:api_tokens")).content.decode()
    assert "nie" in page
    assert timezone.localtime(token.last_used_at).strftime("%d.%m.%Y %H:%M") in page
