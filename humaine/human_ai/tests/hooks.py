"""The human-AI teams' examples for the hub-wide common tests: a data set and a finished run
in the cast, a person's pseudonym with figures, and the routes of the access matrix."""

from django.core.files.base import ContentFile

from humaine.human_ai import access
from humaine.human_ai.models import DataSet, PersonLink, Run, ScenarioKey
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
    return {"scenario": scenario, "dataset": dataset, "run": run}


def human_ai_example(person, marker, cast):
    scenario = _scenario(cast)
    _dataset_and_run(scenario, marker)
    PersonLink.objects.create(scenario=scenario, pseudonym=marker, user=person.user)


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
route(
    "human_ai:download",
    "pk",
    "run_pk",
    "what",
    see=SEE,
    objects=_on(run_pk=lambda r: r["run"].pk, what=lambda r: "report"),
)
