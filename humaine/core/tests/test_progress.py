"""Progress of long jobs: one record, one partial that polls it, one small API for jobs."""

import pytest
from django.urls import reverse

from humaine.core import progress
from humaine.core.models import Progress
from humaine.core.progress import JOB_KINDS, JobKind
from humaine.tests import factories as f
from humaine.tests.contracts import job_kind_contract

EXAMPLE = JobKind(
    "core.example",
    "Example job",
    counts=(("files", "files read"),),
    steps=(("read", "Reading the files"),),
)


@pytest.fixture
def example_kind():
    with JOB_KINDS.registered(EXAMPLE):
        yield EXAMPLE


@pytest.mark.parametrize("kind", JOB_KINDS.all(), ids=lambda k: k.name)
def test_every_job_kind_is_named_after_its_app_and_labelled(kind):
    job_kind_contract(kind)


def test_a_job_reports_start_steps_counts_and_end(cast, example_kind):
    record = progress.create("core.example", actor=cast.member, source="upload.csv")
    assert record.status == "queued" and record.requested_by == cast.member
    heard = []
    with progress.tracking(record.pk, listener=heard.append) as report:
        report.start(total=4)
        report.advance(2, files=2)
        report.advance(1, message="almost", files=1)
    record.refresh_from_db()
    assert record.status == "done" and record.finished_at and record.started_at
    assert (record.done, record.total, record.percent) == (3, 4, 100)
    assert record.counts == {"files": 3} and record.details["source"] == "upload.csv"
    assert record.message == "almost" and len(heard) >= 4


def test_a_failing_job_is_marked_failed_with_its_message(cast, example_kind):
    record = progress.create("core.example", actor=cast.member)
    with pytest.raises(ValueError), progress.tracking(record.pk) as report:
        report.start(total=2)
        raise ValueError("the file has no header row")
    record.refresh_from_db()
    assert record.status == "failed" and "no header row" in record.message


def test_a_retried_job_starts_again_from_zero(cast, example_kind):
    record = progress.create("core.example", actor=cast.member)
    with pytest.raises(RuntimeError), progress.tracking(record.pk) as report:
        report.start(total=3)
        report.advance(2, files=2)
        raise RuntimeError
    with progress.tracking(record.pk) as report:
        report.start(total=3)
        report.advance(3, files=3)
    record.refresh_from_db()
    assert record.status == "done" and record.done == 3 and record.counts == {"files": 3}


def test_an_unregistered_kind_is_refused(cast):
    with pytest.raises(ValueError, match="JobKind"):
        progress.create("core.unknown", actor=cast.member)


def test_a_cancel_request_reaches_the_running_job(cast, example_kind):
    record = progress.create("core.example", actor=cast.member)
    with progress.tracking(record.pk) as report:
        assert not report.cancel_requested
        progress.request_cancel(record)
        assert report.cancel_requested
        report.finish("stopped", status=Progress.Status.CANCELLED)
    record.refresh_from_db()
    assert record.status == "cancelled"


def test_the_partial_polls_until_the_job_has_ended(cast, client_for, example_kind):
    record = progress.create("core.example", actor=cast.member, total=10)
    client = client_for(cast.member)
    url = reverse("core:progress", args=[record.pk])
    running = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert f'hx-get="{url}"' in running and "Example job" in running and "<html" not in running
    with progress.tracking(record.pk) as report:
        report.advance(10, files=7)
    ended = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "hx-get" not in ended and "files read: 7" in ended
    page = client.get(url)
    assert page.status_code == 200 and "<html" in page.content.decode()


def test_a_step_is_shown_by_its_label_and_other_messages_as_written(cast, client_for, example_kind):
    record = progress.create("core.example", actor=cast.member, total=10)
    client = client_for(cast.member)
    url = reverse("core:progress", args=[record.pk])
    with progress.tracking(record.pk) as report:
        report.update(done=1, message="read")
        shown = client.get(url, HTTP_HX_REQUEST="true").content.decode()
        assert "Reading the files" in shown and ">read<" not in shown
        report.update(done=2, message="3 files left")
        assert "3 files left" in client.get(url, HTTP_HX_REQUEST="true").content.decode()


def test_every_step_a_build_reports_has_a_label_for_people():
    from humaine.human_ai import contributions, fitting

    labelled = dict(contributions.BUILD_STEPS)
    assert set(fitting.STEPS) <= set(labelled)
    assert {step for _, step in fitting._ENGINE_STEPS} <= set(labelled)


def test_only_whoever_asked_and_staff_see_a_jobs_progress(cast, client_for, example_kind):
    record = progress.create("core.example", actor=cast.member)
    url = reverse("core:progress", args=[record.pk])
    assert client_for(cast.member).get(url).status_code == 200
    assert client_for(cast.staff).get(url).status_code == 200
    assert client_for(cast.other_member).get(url).status_code == 404
    assert client_for(cast.expert_user).get(url).status_code == 404
    other = f.make_user("late", organisation=cast.acme)
    assert client_for(other).get(url).status_code == 404
