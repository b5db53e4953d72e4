"""The hub's email: plain text as written, from the hub's identity, through core.mail only."""

import ast
from pathlib import Path

import pytest
from django.apps import apps
from django.core import mail as outbox

from humaine.check import services as check_services
from humaine.contact import services as contact_services
from humaine.core import mail
from humaine.scenarios import services as scenario_services
from humaine.tests import factories as f

NAME = "A & B <x>"


class Anything:
    """A template value that has every attribute and prints as a name with & and <."""

    def __str__(self) -> str:
        return NAME

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return self

    def __getitem__(self, key):
        return self

    def __iter__(self):
        return iter(())

    def __call__(self, *args, **kwargs):
        return self


def email_templates() -> list[str]:
    """Every ``<app>/email/<name>`` of every installed app of the hub (without suffix)."""
    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("humaine."):
            continue
        for path in sorted(Path(config.path, "templates").glob("*/email/*_subject.txt")):
            relative = path.relative_to(Path(config.path, "templates")).as_posix()
            found.append(relative.removesuffix("_subject.txt"))
    return found


def test_the_hub_has_email_templates_to_check():
    assert {"contact/email/confirmation", "check/email/invitation"} <= set(email_templates())


@pytest.mark.parametrize("template", email_templates())
@pytest.mark.parametrize("language", ["de", "en"])
def test_every_email_template_keeps_names_as_written(template, language, db):
    context = {name: Anything() for name in ("inquiry", "message", "check", "respondent", "url")}
    context |= {"hub": Anything()}

    class Context(dict):
        def __missing__(self, key):
            return Anything()

    subject, body = mail.render(template, Context(context), language)
    for text in (subject, body):
        assert "&amp;" not in text and "&lt;" not in text and "&gt;" not in text, template
    assert NAME in subject + body, template


def test_only_core_mail_sends_email():
    """Every email takes the hub's sender and is not escaped: none goes around core.mail."""
    root = Path(__file__).resolve().parents[2]
    offenders = []
    for path in root.rglob("*.py"):
        if "tests" in path.parts or path == root / "core" / "mail.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
                "django.core.mail"
            ):
                offenders.append(str(path.relative_to(root)))
    assert offenders == []


def test_emails_come_from_the_hub_and_replies_go_to_it(cast, run_jobs, settings):
    settings.MAIL_FROM = ""
    cast.hub.name, cast.hub.email = "Zentrum A & B", "kontakt@zentrum.example"
    cast.hub.save()
    data = f.inquiry_form_data(contact_name=NAME, organisation=NAME)
    form_data = {**data, "sector": cast.sectors["industry"], "employees_affected": 3}
    contact_services.submit_inquiry(form_data)
    run_jobs()
    [email] = outbox.outbox
    assert email.from_email == "Zentrum A & B <kontakt@zentrum.example>"
    assert email.reply_to == ["Zentrum A & B <kontakt@zentrum.example>"]
    assert "noreply@localhost" not in email.message().as_string()
    assert f"Guten Tag {NAME}," in email.body


def test_a_configured_sender_address_keeps_the_hubs_name(cast, settings):
    settings.MAIL_FROM = "HUMAINE <versand@mail.example>"
    cast.hub.email = "kontakt@zentrum.example"
    cast.hub.save()
    assert mail.from_address() == f"{cast.hub.name} <versand@mail.example>"
    assert mail.reply_to() == [f"{cast.hub.name} <kontakt@zentrum.example>"]


def test_without_any_address_the_sender_is_the_sites_host(cast, settings):
    settings.MAIL_FROM, settings.SITE_URL = "", "https://hub.example.org"
    assert mail.from_address() == f"{cast.hub.name} <noreply@hub.example.org>"
    assert mail.reply_to() == []


def test_every_email_sent_shows_names_with_ampersands_and_brackets(cast, run_jobs):
    """The senders of the contact point, the check and the scenarios, with real jobs."""
    data = f.inquiry_form_data(contact_name=NAME, organisation=NAME)
    submitted = contact_services.submit_inquiry(
        {**data, "sector": cast.sectors["industry"], "employees_affected": 3}
    )
    contact_services.send_message(submitted.inquiry, f"Gruß an {NAME}", actor=cast.staff)
    created = check_services.create_check(
        title=NAME, notify_email="owner@example.org", actor_name="test"
    )
    check_services.invite_respondent(
        created.check, role="employee_rep", label=NAME, email="br@example.org"
    )
    scenario = scenario_services.start_scenario(
        actor=cast.staff,
        title=NAME,
        goal="Ziel",
        work_process="Prozess",
        organisation=cast.acme,
        sector=cast.sectors["insurance"],
    )
    scenario_services.invite_member(
        scenario, role="works_council", name=NAME, email="m@example.org", actor=cast.staff
    )
    run_jobs()
    assert len(outbox.outbox) == 5
    for email in outbox.outbox:
        text = email.subject + email.body
        assert "&amp;" not in text and "&lt;" not in text, email.subject
        assert NAME in text, email.subject
