"""The human-AI teams' examples for the hub-wide common tests: a data set and a finished run
in the cast, a person's pseudonym with figures, and the routes of the access matrix."""

from django.core.files.base import ContentFile

from humaine.human_ai import access, deployment
from humaine.human_ai.models import (
    Absence,
    CaseRequest,
    DataSet,
    PersonLink,
    Run,
    ScenarioKey,
    Service,
    ServiceCase,
    ServiceVersion,
)
from humaine.human_ai.pseudonyms import new_key
from humaine.scenarios import services as scenario_services
from humaine.scenarios.access import ScenarioAccess, can_view_scenario
from humaine.scenarios.storage import private_storage
from humaine.tests.hooks import EXAMPLES, PersonalDataExample, once, route

PREVIEW = {
    "kind": "csv",
    "columns": [
        {"name": n, "kind": k, "missing": 0.0, "distinct": 2, "unique": False}
        for n, k in (("fall_nr", "number"), ("betrag", "number"), ("berechtigt", "category"))
    ],
    "rows": [["1", "100", "ja"], ["2", "250", "nein"]],
    "n_rows": 2,
    "n_rows_exact": True,
}


def _figures(person: str) -> dict:
    return {
        "n_cases": 40,
        "team": {"accuracy": 0.8, "accuracy_ci": [0.7, 0.9], "human_share": 0.3},
        "ai": {"accuracy": 0.7, "accuracy_ci": [0.6, 0.8], "ece": 0.05},
        "persons": {
            person: {"accuracy": 0.9, "n_decided": 12, "workload": 0.2, "n_routed": 5},
        },
        "deployment": {"message_de": f"{person} erhält 60 % der Fälle."},
    }


def _scenario(cast):
    return scenario_services.start_scenario(
        actor=cast.staff,
        title="Teams",
        goal="Ziel",
        work_process="Prozess",
        organisation=cast.acme,
        sector=cast.sectors["insurance"],
    )


def _dataset_and_run(scenario, person: str):
    ScenarioKey.objects.get_or_create(scenario=scenario, defaults={"key": new_key()})
    dataset = DataSet.objects.create(
        scenario=scenario,
        title="Fälle",
        cases_name="faelle.csv",
        cases_kind="csv",
        cases_sha256="0" * 64,
        cases_preview=PREVIEW,
        mapping={"target": "berechtigt", "id": "fall_nr", "features": ["betrag"]},
        status=DataSet.Status.READY,
        persons=[person],
        summary={"n_cases": 40, "decided": {person: 12}},
    )
    run = Run.objects.create(
        scenario=scenario,
        dataset=dataset,
        status=Run.Status.DONE,
        evaluation=_figures(person),
        result={"method": "combine", "persons": [person]},
    )
    return dataset, run


def cast_rows(cast) -> dict:
    scenario = _scenario(cast)
    dataset, run = _dataset_and_run(scenario, "P-000000000001")
    service = Service.objects.create(scenario=scenario, title="Schäden")
    version = ServiceVersion.objects.create(service=service, run=run)
    token, _key = deployment.issue_token(service, name="Schadensystem", actor=cast.staff)
    case = ServiceCase.objects.create(
        service=service,
        version=version,
        reference="S-1",
        inputs={"betrag": 100},
        ai_decision="ja",
        ai_confidence=0.7,
        person="P-000000000001",
    )
    # the Acme member decides in this team: the case is in their worklist
    PersonLink.objects.get_or_create(
        scenario=scenario, pseudonym="P-000000000001", defaults={"user": cast.member}
    )
    absence = Absence.objects.create(scenario=scenario, pseudonym="P-000000000001")
    return {
        "scenario": scenario,
        "dataset": dataset,
        "run": run,
        "service": service,
        "token": token,
        "case": case,
        "absence": absence,
    }


def store_team(run, persons: list[str], n: int = 160) -> list[str]:
    """Fit a small team whose persons are ``persons`` and store it as the run's saved team
    (as a build does: ``team/`` in the run's storage); returns the stored file names."""
    import tempfile
    from pathlib import Path

    import numpy as np
    import pandas as pd

    import teaming

    rng = np.random.default_rng(7)
    frame = pd.DataFrame({"betrag": rng.normal(size=n)})
    frame["berechtigt"] = np.where(frame.betrag > 0, "ja", "nein")
    for k, person in enumerate(persons):
        right = rng.random(n) < 0.9 - 0.1 * k
        frame[person] = np.where(right, frame.berechtigt, "ja")
    data = teaming.load_data(frame, target="berechtigt", humans=persons)
    team = teaming.HumanAITeam(method="combine", capacity=0.5, random_state=0).fit(data)
    names = []
    with tempfile.TemporaryDirectory() as folder:
        saved = teaming.save_team(team, Path(folder) / "team")
        for path in sorted(saved.iterdir()):
            name = f"team/{path.name}"
            private_storage().save(f"{run.storage_prefix}/{name}", ContentFile(path.read_bytes()))
            names.append(name)
    return names


def human_ai_example(person, marker, cast):
    scenario = _scenario(cast)
    _dataset, run = _dataset_and_run(scenario, marker)
    # the run's report names the person's pseudonym (a table of every person's figures)
    private_storage().save(
        f"{run.storage_prefix}/report.html",
        ContentFile(f"<table><tr><td>{marker}</td><td>0.9</td></tr></table>".encode()),
    )
    # and so does its saved team (deployed below): the model knows the person by name
    run.files = ["report.html", *store_team(run, [marker, "P-00000000000B"])]
    run.save(update_fields=["files"])
    PersonLink.objects.create(scenario=scenario, pseudonym=marker, user=person.user)
    # a deployed service routed a case to the person, who decided it, and knows them away
    service = Service.objects.create(
        scenario=scenario, title="Schäden", stream_state={"used": [1], "persons": [marker]}
    )
    version = ServiceVersion.objects.create(service=service, run=run)
    request = CaseRequest.objects.create(
        service=service, key="k-1", body_hash="0" * 64, response={"person": marker}
    )
    ServiceCase.objects.create(
        service=service,
        version=version,
        request=request,
        reference="S-1",
        ai_decision="ja",
        ai_confidence=0.6,
        person=marker,
        explanation={"de": f"An {marker} übergeben.", "data": {"capacity_left": {marker: 3}}},
        decision="nein",
        decided_by=marker,
    )
    Absence.objects.create(scenario=scenario, pseudonym=marker)


EXAMPLES.register(PersonalDataExample("human_ai", human_ai_example))


# The access matrix -------------------------------------------------------------------------


def _rows(cast) -> dict:
    # made when a route needs them, not for every cast: a scenario more in every test's
    # cast would change other apps' counts
    rows = once(cast, "human_ai_rows", lambda: cast_rows(cast))

    def store_files():
        run = rows["run"]
        for name in ("report_aggregate.html", "report.html"):
            private_storage().save(
                f"{run.storage_prefix}/{name}", ContentFile(b"<html><svg></svg></html>")
            )
        run.files = ["report_aggregate.html", "report.html"]
        run.save(update_fields=["files"])
        return run

    once(cast, "human_ai_files", store_files)
    return rows


def _on(**extra):
    def objects(cast):
        rows = _rows(cast)
        kwargs = {"pk": rows["scenario"].pk}
        kwargs |= {key: value(rows) for key, value in extra.items()}
        return [(kwargs, rows["scenario"])]

    return objects


SEE = can_view_scenario


def EDIT(user, scenario):  # noqa: N802 - a rule, named like the scenarios' ones
    return ScenarioAccess(user, scenario).can_edit


def STAFF(user, scenario):  # noqa: N802
    return access.TeamAccess(ScenarioAccess(user, scenario)).can_manage


PK = _on()
DATASET = _on(dataset_pk=lambda r: r["dataset"].pk)
RUN = _on(run_pk=lambda r: r["run"].pk)

route("human_ai:datasets", "pk", objects=PK, see=SEE)
route("human_ai:upload", "pk", objects=PK, see=SEE, may=EDIT)
route("human_ai:upload", "pk", method="POST", objects=PK, see=SEE, may=EDIT)
route("human_ai:works_agreement", "pk", method="POST", objects=PK, see=SEE, may=STAFF)
route("human_ai:link_person", "pk", method="POST", objects=PK, see=SEE, may=STAFF)
route("human_ai:dataset", "dataset_pk", "pk", objects=DATASET, see=SEE)
route("human_ai:dataset", "dataset_pk", "pk", method="POST", objects=DATASET, see=SEE, may=EDIT)
route("human_ai:run_new", "dataset_pk", "pk", method="POST", objects=DATASET, see=SEE, may=EDIT)
route("human_ai:compare", "dataset_pk", "pk", objects=DATASET, see=SEE)
route("human_ai:run", "pk", "run_pk", objects=RUN, see=SEE)
route("human_ai:run_cancel", "pk", "run_pk", method="POST", objects=RUN, see=SEE, may=EDIT)
route("human_ai:run_retry", "pk", "run_pk", method="POST", objects=RUN, see=SEE, may=EDIT)
route("human_ai:run_replace", "pk", "run_pk", method="POST", objects=RUN, see=SEE, may=EDIT)
route("human_ai:run_pdf", "pk", "run_pk", objects=RUN, see=SEE)
route(
    "human_ai:download",
    "pk",
    "run_pk",
    "what",
    see=SEE,
    objects=_on(run_pk=lambda r: r["run"].pk, what=lambda r: "report"),
)

SERVICE = _on(service_pk=lambda r: r["service"].pk)
route("human_ai:services", "pk", objects=PK, see=SEE)
route("human_ai:services", "pk", method="POST", objects=PK, see=SEE, may=EDIT)
route("human_ai:service", "pk", "service_pk", objects=SERVICE, see=SEE)
SERVICE_POSTS = ("service_deploy", "service_settings", "service_limits", "token_new")
for name in (*SERVICE_POSTS, "service_rebuild"):
    route(f"human_ai:{name}", "pk", "service_pk", method="POST", objects=SERVICE, see=SEE, may=EDIT)
route(
    "human_ai:token_revoke",
    "pk",
    "service_pk",
    "token_pk",
    method="POST",
    see=SEE,
    may=EDIT,
    objects=_on(service_pk=lambda r: r["service"].pk, token_pk=lambda r: r["token"].pk),
)
CASE = _on(service_pk=lambda r: r["service"].pk, case_pk=lambda r: r["case"].pk)
route("human_ai:service_case", "pk", "service_pk", "case_pk", objects=CASE, see=SEE)
route(
    "human_ai:service_case",
    "pk",
    "service_pk",
    "case_pk",
    method="POST",
    objects=CASE,
    see=SEE,
    may=EDIT,
)
route("human_ai:absences", "pk", objects=PK, see=SEE, may=EDIT)
route("human_ai:absences", "pk", method="POST", objects=PK, see=SEE, may=EDIT)
route(
    "human_ai:absence_remove",
    "absence_pk",
    "pk",
    method="POST",
    see=SEE,
    may=EDIT,
    objects=_on(absence_pk=lambda r: r["absence"].pk),
)
route("human_ai:records", "pk", objects=PK, see=SEE, may=EDIT)


def _linked(user, case):
    """The worklist: only the person the case was routed to (linked to its pseudonym)."""
    return PersonLink.objects.filter(
        user__pk=getattr(user, "pk", None),
        scenario=case.service.scenario,
        pseudonym=case.person,
    ).exists()


def _cases(cast):
    rows = _rows(cast)
    return [({"case_pk": rows["case"].pk}, rows["case"])]


route("human_ai:worklist_case", "case_pk", objects=_cases, see=_linked)
route("human_ai:worklist_case", "case_pk", method="POST", objects=_cases, see=_linked)


def _api_service(cast):
    rows = _rows(cast)
    return [({"service_id": rows["service"].pk}, rows["scenario"])]


def _api_case(cast):
    rows = _rows(cast)
    return [({"service_id": rows["service"].pk, "case_id": rows["case"].pk}, rows["scenario"])]


# people (session) read a service as the scenario does and post as its editors; machine
# clients use the service's token
route("api:get_service", "service_id", objects=_api_service, see=SEE)
route("api:post_cases", "service_id", method="POST", objects=_api_service, see=SEE, may=EDIT)
route(
    "api:post_outcome",
    "case_id",
    "service_id",
    method="POST",
    objects=_api_case,
    see=SEE,
    may=EDIT,
)
