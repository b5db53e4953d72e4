"""Settings and operations: health check, production safety, security headers, migrations."""

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[3]


def run_python(code: str, tmp_path, **env) -> subprocess.CompletedProcess:
    """Run ``code`` in a fresh interpreter with a clean environment (no DEBUG, no secrets)."""
    clean = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DJANGO_SETTINGS_MODULE": "humaine.settings",
        "HUMAINE_DATA_DIR": str(tmp_path),
        "PYTHONPATH": str(ROOT),
    }
    return subprocess.run(
        [sys.executable, "-c", code],
        env=clean | env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_healthz_answers_ok_with_the_database(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    # the web tier is healthy without a job worker; /healthz/jobs says more about jobs
    assert response.json() == {"status": "ok", "database": "ok", "jobs": "error"}
    assert "no-cache" in response["Cache-Control"]


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = run_python("import django; django.setup()", tmp_path)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY is not set" in result.stderr


def test_production_defaults_are_safe(tmp_path):
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.ALLOWED_HOSTS, "
        "s.DATABASES['default']['ENGINE'])"
    )
    result = run_python(code, tmp_path, SECRET_KEY="x" * 50)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "True", "True", "[]", "django.db.backends.sqlite3"]


def test_debug_mode_and_postgresql_are_chosen_by_the_environment(tmp_path):
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.DATABASES['default']['ENGINE'], "
        "s.DATABASES['default']['NAME'])"
    )
    result = run_python(code, tmp_path, DEBUG="1", DATABASE_URL="postgres://u@db.example/hub")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "False", "django.db.backends.postgresql", "hub"]


def test_pages_carry_csp_and_security_headers(client, db):
    response = client.get("/")
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    for directive in ["default-src 'self'", "script-src 'self'", "frame-ancestors 'none'"]:
        assert directive in csp
    assert "unsafe-inline" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_api_responses_carry_a_csp_too(client, db):
    assert "default-src 'self'" in client.get("/api/v1/openapi.json")["Content-Security-Policy"]


def test_forms_carry_a_csrf_token(client, db):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert strict.post("/inquiry/", {}).status_code == 403
    assert "csrfmiddlewaretoken" in client.get("/inquiry/").content.decode()


def test_migrations_are_complete(db):
    out = StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit:  # pragma: no cover - only when a migration is missing
        pytest.fail(f"Missing migrations:\n{out.getvalue()}")


def test_cli_help_lists_its_commands(capsys):
    from humaine.cli import main

    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    for command in ["run", "migrate", "demo", "createadmin", "worker"]:
        assert f"humaine {command}" in out


def test_create_hub_admin_makes_a_hub_admin(db, monkeypatch):
    from django.contrib.auth import get_user_model
    from django.core.management.base import CommandError

    from humaine import policy

    monkeypatch.setenv("ADMIN_PASSWORD", "a long and unusual passphrase 42")
    call_command(
        "create_hub_admin",
        "--username=chef",
        "--email=chef@hub.example",
        "--password-from-env=ADMIN_PASSWORD",
        stdout=StringIO(),
    )
    user = get_user_model().objects.get(username="chef")
    assert policy.is_hub_admin(user) and policy.is_staff(user)
    assert user.check_password("a long and unusual passphrase 42")
    with pytest.raises(CommandError, match="exists already"):
        call_command("create_hub_admin", "--username=chef", "--password-from-env=ADMIN_PASSWORD")
    monkeypatch.setenv("WEAK", "123")
    with pytest.raises(CommandError):
        call_command("create_hub_admin", "--username=weak", "--password-from-env=WEAK")
    assert not get_user_model().objects.filter(username="weak").exists()
