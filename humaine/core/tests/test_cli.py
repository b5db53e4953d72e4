"""``humaine run ADDRESS``: links in emails point to the address the hub is served on."""

import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from humaine.cli import site_url_for

ROOT = Path(__file__).resolve().parents[3]
TIMEOUT = 120


def test_the_site_address_follows_the_served_address():
    assert site_url_for("127.0.0.1:9123") == "http://127.0.0.1:9123"
    assert site_url_for("9123") == "http://127.0.0.1:9123"
    assert site_url_for("hub.example.org:80") == "http://hub.example.org:80"
    assert site_url_for("0.0.0.0:9000") == f"http://{socket.getfqdn()}:9000"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(condition, what: str):
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        try:
            value = condition()
        except OSError:
            value = None
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.mark.skipif("sqlite" not in os.environ.get("DATABASE_URL", "sqlite"), reason="SQLite")
def test_run_on_another_port_sends_links_to_that_port(tmp_path):
    port = free_port()
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONPATH": str(ROOT),
        "DEBUG": "1",
        "HUMAINE_DATA_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'hub.sqlite3'}",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "humaine.cli", "run", f"127.0.0.1:{port}", "--noreload"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        page = wait_until(lambda: opener.open(f"{base}/inquiry/").read().decode(), "the server")
        csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        form = {
            "csrfmiddlewaretoken": csrf,
            "organisation": "Musterwerk GmbH",
            "sector": "industry",
            "size_band": "50-249",
            "contact_name": "Erika Muster",
            "email": "erika@musterwerk.example",
            "work_process": "Sichtprüfung von Gussteilen",
            "problem": "Unsere Prüfer übersehen seltene Fehler am Ende der Schicht.",
            "employees_affected": "12",
            "works_council": "yes",
            "language": "de",
            "consent": "on",
        }
        request = urllib.request.Request(  # noqa: S310 - our own http server
            f"{base}/inquiry/",
            data=urllib.parse.urlencode(form).encode(),
            headers={"Referer": f"{base}/inquiry/"},
        )
        assert "/inquiry/sent/" in opener.open(request).url
        mails = tmp_path / "mail"
        text = wait_until(
            lambda: "".join(p.read_text() for p in mails.glob("*.log")), "the confirmation email"
        )
        assert f"{base}/status/" in text
        assert ":8000" not in text
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
