"""Answering by one-time link, anonymity of the stored rows, waves, results and withholding."""

from datetime import timedelta

import pytest
from django.db import models
from django.urls import reverse
from django.utils import timezone

from humaine.core.models import AuditEvent
from humaine.scenarios import services
from humaine.scenarios.models import Invitation, Response
from humaine.scenarios.results import ALL, group_key, survey_results

from .conftest import TRUST, make_survey, open_wave, plant, trust

pytestmark = pytest.mark.django_db


def form_data(value=4, tlx=50, code=None):
    data = {f"item_{i}": str(value) for i in TRUST}
    data["item_TRU-4"] = str(6 - value)
    data |= {
        f"item_TLX-{d}": str(tlx)
        for d in ("MENTAL", "PHYSICAL", "TEMPORAL", "PERFORMANCE", "EFFORT", "FRUSTRATION")
    }
    if code:
        data |= {"code_mother": code[0], "code_birthday": code[1], "code_birthplace": code[2]}
    return data


@pytest.fixture
def wave(cast, world):
    survey = make_survey(
        world.scenario, [world.north, world.south], cast.staff, open_questions=["OPEN-WORK"]
    )
    return open_wave(survey, cast.staff)


def link(wave, group):
    issued = services.issue_invitations(wave, group, count=1, actor=None)[0]
    return reverse("scenarios:answer", args=[issued.token]), issued.invitation


def test_an_employee_answers_once_and_the_row_keeps_nothing_personal(cast, world, wave, client):
    url, invitation = link(wave, world.north)
    page = client.get(url)
    assert page.status_code == 200 and "Anonym" in page.content.decode()
    events_before = AuditEvent.objects.count()
    response = client.post(url, form_data(code=("Anna", "3", "Essen")) | {"text_OPEN-WORK": "Gut"})
    assert response.status_code == 302
    row = Response.objects.get()
    assert row.group == world.north and row.answered_on == timezone.localdate()
    assert row.answers["TRU-1"] == 4 and row.texts == {"OPEN-WORK": "Gut"}
    assert len(row.code_hash) == 64 and "ANNA" not in row.code_hash.upper()
    # No field of a response points to a person, a member, an invitation or a moment.
    for field in Response._meta.get_fields():
        assert not isinstance(field, models.DateTimeField), field.name
        if field.is_relation:
            assert field.related_model.__name__ in {"Wave", "StakeholderGroup"}, field.name
    assert isinstance(Response._meta.pk, models.UUIDField)
    invitation.refresh_from_db()
    assert invitation.used
    assert not any(isinstance(f, models.DateTimeField) for f in Invitation._meta.get_fields())
    assert AuditEvent.objects.count() == events_before
    again = client.post(url, form_data())
    assert again.status_code == 410
    assert "schon benutzt" in again.content.decode()
    assert Response.objects.count() == 1


def test_bad_answers_are_shown_again_and_nothing_is_stored(cast, world, wave, client):
    url, invitation = link(wave, world.north)
    for bad in (
        form_data() | {"item_TRU-1": "9"},
        form_data() | {"item_TLX-MENTAL": "52"},
        form_data(code=("A", "3", "Essen")),
        form_data() | {"code_mother": "An"},
    ):
        response = client.post(url, bad)
        assert response.status_code == 400
        assert "answer-errors" in response.content.decode()
    english = client.post("/en" + url, form_data() | {"item_TRU-1": "9"})
    assert "Please choose" in english.content.decode() or "Please check" in english.content.decode()
    assert not Response.objects.exists()
    invitation.refresh_from_db()
    assert not invitation.used


def test_closed_and_unknown_links_are_refused_clearly(cast, world, wave, client):
    url, _invitation = link(wave, world.north)
    services.close_wave(wave, actor=cast.staff)
    closed = client.get(url)
    assert closed.status_code in (403, 404)
    assert client.get(reverse("scenarios:answer", args=["x" * 43])).status_code == 404
    assert client.post(url, form_data()).status_code in (403, 404)
    assert not Response.objects.exists()


def test_a_follow_up_needs_a_baseline_before_it(cast, world):
    survey = make_survey(world.scenario, [world.north], cast.staff)
    today = timezone.localdate()
    with pytest.raises(services.ScenarioError) as error:
        services.schedule_wave(
            survey,
            kind="follow_up",
            label="3 Monate",
            opens_on=today,
            closes_on=today,
            actor=cast.staff,
        )
    assert "Ausgangsbefragung" in str(error.value) or "baseline" in str(error.value)
    open_wave(survey, cast.staff)
    with pytest.raises(services.ScenarioError):
        services.schedule_wave(
            survey,
            kind="follow_up",
            label="zu früh",
            opens_on=today,
            closes_on=today + timedelta(days=3),
            actor=cast.staff,
        )
    with pytest.raises(services.ScenarioError):
        services.schedule_wave(
            survey,
            kind="baseline",
            label="zweite",
            opens_on=today,
            closes_on=today,
            actor=cast.staff,
        )
    assert survey.waves.count() == 1


def test_a_wave_before_its_baseline_is_refused_over_http(cast, world, client_for):
    survey = make_survey(world.scenario, [world.north], cast.staff)
    open_wave(survey, cast.staff)
    url = reverse("scenarios:wave_add", args=[world.scenario.pk, survey.pk])
    today = timezone.localdate()
    response = client_for(cast.staff).post(
        url,
        {
            "kind": "follow_up",
            "label": "früh",
            "opens_on": today.isoformat(),
            "closes_on": today.isoformat(),
            "remind_after_days": 7,
        },
    )
    assert response.status_code == 400
    assert "Folgebefragung muss nach" in response.content.decode()
    assert survey.waves.count() == 1


def test_results_appear_with_six_answers_and_are_withheld_with_four(cast, world, wave, client_for):
    plant(wave, world.north, [trust(v) for v in (3, 4, 4, 5, 3, 4)])
    plant(wave, world.south, [trust(v) for v in (2, 2, 3, 3)])
    client = client_for(world.council_user)
    url = reverse("scenarios:results", args=[world.scenario.pk, wave.survey.pk])
    assert "no-closed-wave" in client.get(url).content.decode()
    services.close_wave(wave, actor=cast.staff)
    results = survey_results(wave.survey)
    trust_block = results.scale("trust").waves[0]
    cells = {c.key: c for c in trust_block.cells}
    assert cells[group_key(world.south.pk)].reason == "too_few"
    # "all" minus north would be south: one of the two must go; the "all" row stays.
    assert cells[ALL].shown and cells[ALL].n == 10
    assert cells[group_key(world.north.pk)].reason == "protects_others"
    page = client.get(url).content.decode()
    assert "Weniger als 5 Antworten" in page
    assert "herausrechnen" in page


def test_change_from_baseline_is_paired_by_code(cast, world):
    survey = make_survey(world.scenario, [world.north], cast.staff, scales=["trust"])
    baseline = open_wave(survey, cast.staff, start=timezone.localdate() - timedelta(days=60))
    codes = [f"{i:064x}" for i in range(8)]
    plant(baseline, world.north, [trust(v) for v in (2, 2, 3, 3, 2, 3, 2, 3)], codes)
    services.close_wave(baseline, actor=cast.staff)
    follow = open_wave(survey, cast.staff, kind="follow_up", label="3 Monate")
    plant(follow, world.north, [trust(v) for v in (3, 3, 4, 4, 3, 4, 3, 4)], codes)
    services.close_wave(follow, actor=cast.staff)
    block = survey_results(survey).scale("trust").waves[1]
    change = next(c for c in block.changes if c.key == group_key(world.north.pk)).change
    assert change.paired and change.n_pairs == 8 and change.difference == pytest.approx(1)


def test_reminders_go_to_those_who_have_not_answered_and_addresses_go_at_close(
    cast, world, mailoutbox
):
    from humaine.scenarios import tasks

    survey = make_survey(world.scenario, [world.north], cast.staff)
    wave = open_wave(survey, cast.staff, start=timezone.localdate() - timedelta(days=7))
    issued = services.issue_invitations(
        wave, world.north, emails=["a@example.org", "b@example.org"], actor=cast.staff
    )
    services.submit_response(issued[0].invitation, answers={}, texts={}, code_hash=None)
    assert tasks.remind_wave.call(wave.pk) == 1
    assert [m.to for m in mailoutbox] == [["b@example.org"]]
    assert "/s/" in mailoutbox[0].body
    services.close_wave(wave, actor=cast.staff)
    assert not Invitation.objects.exclude(email="").exists()
    assert tasks.remind_wave.call(wave.pk) == 0


def test_reminders_go_out_once_when_due_however_often_the_job_runs(cast, world, mailoutbox):
    import io

    from django.core.management import call_command

    from humaine.scenarios import tasks

    survey = make_survey(world.scenario, [world.north], cast.staff)
    wave = open_wave(survey, cast.staff, start=timezone.localdate() - timedelta(days=3))
    issued = services.issue_invitations(
        wave, world.north, emails=["c@example.org"], actor=cast.staff
    )
    pk = issued[0].invitation.pk
    # not yet due: the wave reminds after 7 days
    assert tasks.remind_wave.call(wave.pk) == 0
    type(wave).objects.filter(pk=wave.pk).update(opens_on=timezone.localdate() - timedelta(days=8))
    out = io.StringIO()
    call_command("send_survey_reminders", stdout=out)
    assert out.getvalue().startswith("1 wave")
    # the job run twice, and the sending job retried: one reminder
    assert tasks.remind_wave.call(wave.pk) == 1
    assert tasks.remind_wave.call(wave.pk) == 0
    assert tasks.send_survey_invitations.call([pk], reminder=True) == 0
    assert Invitation.objects.get(pk=pk).reminders_sent == 1
    assert [m.to for m in mailoutbox] == [["c@example.org"]]
    # the second reminder is due another 7 days later, and there is no third
    type(wave).objects.filter(pk=wave.pk).update(
        opens_on=timezone.localdate() - timedelta(days=30), closes_on=timezone.localdate()
    )
    assert tasks.remind_wave.call(wave.pk) == 1
    assert tasks.remind_wave.call(wave.pk) == 0
    assert Invitation.objects.get(pk=pk).reminders_sent == 2
    assert len(mailoutbox) == 2


def test_a_survey_invitation_is_emailed_once_even_when_its_job_runs_again(
    cast, world, wave, mailoutbox
):
    from humaine.scenarios import tasks

    issued = services.issue_invitations(
        wave, world.north, emails=["d@example.org"], actor=cast.staff
    )
    ids = [issued[0].invitation.pk]
    assert tasks.send_survey_invitations.call(ids) == 1
    assert tasks.send_survey_invitations.call(ids) == 0
    assert len(mailoutbox) == 1
