"""Stored embeddings: refreshed by jobs after edits, rebuilt on demand, cached per process."""

from django.core.management import call_command
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from humaine.contact.models import Expert
from humaine.core.models import AuditEvent, Progress
from humaine.matching import store
from humaine.matching.matches import MatchInput, find_matches
from humaine.matching.models import Embedding
from humaine.tests import factories as f


def rebuilds():
    return Progress.objects.filter(kind="matching.rebuild")


def refresh_jobs():
    return DBTaskResult.objects.filter(task_path__endswith="refresh_embeddings")


def test_saving_a_text_enqueues_a_refresh_after_commit(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        cast.expert.topics = "Schichtplanung in der Pflege"
        cast.expert.save()
    assert len(callbacks) == 1
    job = refresh_jobs().get()
    assert job.args_kwargs["args"] == ["expert", [cast.expert.pk]]


def test_a_save_without_text_fields_enqueues_nothing(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        cast.acme_inquiry.status = "triage"
        cast.acme_inquiry.save(update_fields=["status"])
    assert not refresh_jobs().exists()


def test_reindexing_after_an_edit_changes_the_results(transactional_db, run_jobs):
    cast_sectors = f.make_sectors()
    staff = f.make_staff("staff2")
    company = f.make_organisation("Kunde AG", sector=cast_sectors["industry"])
    inquiry = f.make_inquiry(
        company,
        work_process="Schichtplanung in der Pflege",
        problem="Dienstpläne und Wunschdienste der Pflegekräfte automatisch abstimmen.",
    )
    nurse = f.make_expert(
        "Nora Nurse", disciplines=["work_science"], topics="Robotik in der Montage."
    )
    other = f.make_expert("Otto Other", disciplines=["work_science"], topics="Lackieranlagen.")
    run_jobs()
    assert Embedding.objects.filter(kind="expert").count() == 2
    before = find_matches(MatchInput.for_inquiry(inquiry), staff).experts
    assert {hit.expert.pk for hit in before} == {nurse.pk, other.pk}

    nurse.topics = "Schichtplanung in der Pflege; Dienstpläne und Wunschdienste abstimmen."
    nurse.save()
    run_jobs()
    after = find_matches(MatchInput.for_inquiry(inquiry), staff).experts
    assert after[0].expert.pk == nurse.pk
    assert after[0].score > next(h.score for h in before if h.expert.pk == nurse.pk)


def test_rebuild_command_embeds_everything_and_reports_progress(cast, capsys):
    call_command("rebuild_matching_index", "--batch-size", "1")
    out = capsys.readouterr().out
    build = rebuilds().get()
    assert build.status == "done" and build.done == build.total > 3
    assert "1/" in out and "Rebuild" in out
    assert Embedding.objects.filter(kind="expert").count() == Expert.objects.count()
    assert Embedding.objects.filter(kind="inquiry").count() == 2
    assert Embedding.objects.filter(kind="method").exists()
    # unchanged texts are skipped the second time, unless forced
    call_command("rebuild_matching_index")
    assert rebuilds().latest("pk").counts["embedded"] == 0
    call_command("rebuild_matching_index", "--force")
    assert rebuilds().latest("pk").counts["embedded"] == build.counts["embedded"]


def test_rebuild_drops_vectors_of_deleted_objects(cast):
    call_command("rebuild_matching_index")
    Embedding.objects.create(
        kind="expert",
        object_id="999999",
        encoder=store.encoder().name,
        fingerprint="x",
        dim=1,
        whole=b"\0\0\0\0",
        vectors=b"\0\0\0\0",
    )
    call_command("rebuild_matching_index")
    assert rebuilds().latest("pk").counts["removed"] == 1
    assert not Embedding.objects.filter(object_id="999999").exists()


def test_rebuild_through_the_api_runs_as_a_job_with_progress(transactional_db, run_jobs, client):
    f.make_sectors()
    staff = f.make_staff("staff3")
    f.make_expert("Erna Expert", topics="Akzeptanz von KI")
    client.force_login(staff)
    response = client.post(
        "/api/v1/matching/rebuild", {"force": True}, content_type="application/json"
    )
    assert response.status_code == 202
    build_id = response.json()["id"]
    assert response.json()["status"] == "queued"
    run_jobs()
    progress = client.get(f"/api/v1/matching/rebuild/{build_id}").json()
    assert progress["status"] == "done" and progress["percent"] == 100
    assert progress["embedded"] >= 1
    assert AuditEvent.objects.filter(action="index.rebuild_requested", actor=staff).exists()
    assert client.get("/api/v1/matching/rebuild/999999").status_code == 404


def test_matrix_loads_new_rows_and_reloads_after_removals(cast):
    store.refresh_objects("expert", [cast.expert.pk])
    first = store.matrices(["expert"])["expert"]
    assert first.keys == [str(cast.expert.pk)]
    new = f.make_expert("Neu Neumann", topics="Predictive maintenance of pumps")
    store.refresh_objects("expert", [new.pk])
    again = store.matrices(["expert"])["expert"]
    assert again.keys == [str(cast.expert.pk), str(new.pk)]
    assert again.matrix.shape[0] == 2
    new.delete()
    assert store.matrices(["expert"])["expert"].keys == [str(cast.expert.pk)]


def test_an_edited_text_replaces_its_row_in_the_matrix(cast):
    store.refresh_objects("expert", [cast.expert.pk])
    before = store.matrices(["expert"])["expert"].matrix.copy()
    Expert.objects.filter(pk=cast.expert.pk).update(topics="Etwas ganz anderes: Lackieranlagen")
    store.refresh_objects("expert", [cast.expert.pk])
    after = store.matrices(["expert"])["expert"].matrix
    assert after.shape == before.shape and not (after == before).all()


def test_inquiry_segments_are_not_copied_into_the_index(cast):
    store.refresh_objects("inquiry", [cast.acme_inquiry.pk])
    row = Embedding.objects.get(kind="inquiry", object_id=str(cast.acme_inquiry.pk))
    assert row.segments == [] and "Acme" not in str(row.language)


def test_staff_page_shows_the_panel_without_javascript(cast, client_for):
    response = client_for(cast.staff).get(
        reverse("contact:inquiry_detail", args=[cast.acme_inquiry.pk])
    )
    page = response.content.decode()
    panel_url = reverse("matching:panel", args=[cast.acme_inquiry.pk])
    assert f'hx-get="{panel_url}"' in page and f'href="{panel_url}"' in page
    full = client_for(cast.staff).get(panel_url)
    assert full.status_code == 200 and "<html" in full.content.decode()


def test_full_text_hits_of_the_database_count_in_the_ranking(cast, pool):
    from humaine.matching.tests.conftest import index_everything

    index_everything()
    request = MatchInput(text="We need help with the calibration of our language models.")
    hits = {hit.expert.person.name: hit for hit in find_matches(request, cast.staff).experts}
    assert hits["Dr. Carla Code"].contributions["lexical"] > 0
    assert hits["Eng. Erik Press"].contributions["lexical"] <= 0


def test_staff_rebuild_the_index_on_its_page_and_watch_the_progress(
    transactional_db, run_jobs, client
):
    f.make_sectors()
    staff = f.make_staff("staff4")
    f.make_expert("Erna Expert", topics="Akzeptanz von KI")
    client.force_login(staff)
    assert "matching-index" not in client.get(reverse("matching:index")).content.decode()
    response = client.post(reverse("matching:index"), {"force": "on"})
    assert response.status_code == 302
    record = rebuilds().get()
    assert record.requested_by == staff and record.details["force"] is True
    page = client.get(reverse("matching:index")).content.decode()
    assert f'hx-get="{reverse("core:progress", args=[record.pk])}"' in page
    run_jobs()
    partial = client.get(reverse("core:progress", args=[record.pk]), HTTP_HX_REQUEST="true")
    text = partial.content.decode()
    assert "hx-get" not in text and "100" in text and "<html" not in text


def test_members_may_not_rebuild_the_index(cast, client_for):
    client = client_for(cast.member)
    assert client.get(reverse("matching:index")).status_code == 403
    assert client.post(reverse("matching:index")).status_code == 403
    assert not rebuilds().exists()


def test_stored_vectors_are_read_once_and_again_after_the_text_changed(
    cast, django_assert_num_queries
):
    store.refresh_objects("expert", [cast.expert.pk])
    key = str(cast.expert.pk)
    first = store.load_embedded("expert", [key])[key]
    # cached: one query for the fingerprints, none for the vectors
    with django_assert_num_queries(1):
        again = store.load_embedded("expert", [key])[key]
    assert again.vectors is first.vectors
    # the kind's current matrix knows the fingerprints: no query at all
    matrix = store.matrices(["expert"])["expert"]
    with django_assert_num_queries(0):
        assert store.load_embedded("expert", [key], matrix=matrix)[key].vectors is first.vectors
    cast.expert.topics = "Schichtplanung und Dienstpläne in der stationären Pflege"
    cast.expert.save()
    store.refresh_objects("expert", [cast.expert.pk])
    changed = store.load_embedded("expert", [key])[key]
    assert changed.vectors is not first.vectors
    matrix = store.matrices(["expert"])["expert"]
    assert store.load_embedded("expert", [key], matrix=matrix)[key].vectors is changed.vectors
    assert "Schichtplanung und Dienstpläne in der stationären Pflege" in changed.segments


def test_a_changed_encoder_queues_one_rebuild_that_replaces_the_old_vectors(
    transactional_db, run_jobs, monkeypatch
):
    """An upgrade that changes MATCHING_ENCODER leaves vectors of the old encoder: the first
    match request queues a rebuild (once), which stores the new ones and drops the old."""
    from humaine.matching import tasks
    from humaine.matching.encoders import HashingEncoder

    f.make_sectors()
    staff = f.make_staff("staff4")
    expert = f.make_expert("Erna Expert", topics="Akzeptanz von KI in der Pflege")
    store.refresh_objects("expert", [expert.pk])
    old = set(Embedding.objects.values_list("encoder", flat=True))
    new = HashingEncoder(128)
    monkeypatch.setattr(store, "encoder", lambda: new)
    store.forget_matrices()
    tasks._encoder_checked.clear()
    text = "Wie gewinnen wir das Vertrauen der Pflegekräfte in KI?"
    find_matches(MatchInput(text=text), staff)
    find_matches(MatchInput(text=text), staff)
    assert rebuilds().count() == 1 and rebuilds().get().status == "queued"
    run_jobs()
    assert rebuilds().get().status == "done"
    assert set(Embedding.objects.values_list("encoder", flat=True)) == {new.name} != old
    store.forget_matrices()
    names = [hit.expert.person.name for hit in find_matches(MatchInput(text=text), staff).experts]
    assert names == ["Erna Expert"]
    tasks._encoder_checked.clear()
    find_matches(MatchInput(text=text), staff)
    assert rebuilds().count() == 1  # current vectors: nothing more to do
