"""Demo data of the human-AI teams: per sector a data set, a finished run and a service in use.

Every demo scenario (insurance, industry, health; :mod:`humaine.scenarios.demo`) gets the
generated data set of its sector (:mod:`humaine.human_ai.synthetic`: documented simulated
people, no third-party data), uploaded, mapped and checked through the services as a data
scientist would. A team is built from it in this process (few bootstrap resamples, so
that loading stays quick) and deployed as a service. A few hundred new cases of the same
generator are routed through the service as a machine client would post them, spread over
the last four weeks; the simulated people record their final decisions on the cases that
came to them (each answers as the generator says they would) and the true outcome is
recorded for most older cases. The newest cases are still open.

One demo account per scenario is linked to a simulated person's pseudonym, so that
"My worklist" shows open cases: ``mitarbeiterin`` (insurance, Anna Berger), ``pflege``
(health, Frieda Lang) and ``pruefer`` (industry, Jonas Weber). Should the team send that
person no open case, the account is linked to the person with the most open cases.
"""

from __future__ import annotations

import io
import json
import logging
import random
import shutil
from dataclasses import dataclass
from datetime import timedelta

SERVICE_CASES = 300  # cases routed through each service
BATCH = 50  # cases per request, as a client's queue would send them
DAYS = 28  # the cases arrive over the last four weeks
OPEN_SHARE = 0.2  # the newest cases: no final decision yet
OUTCOME_SHARE = 0.85  # of the cases older than a week: the outcome is known
BOOTSTRAP = 5


@dataclass(frozen=True)
class Plan:
    title: str
    file: str
    service: str
    text: bool  # whether the free text is a feature (industry's note names the finding)
    seed: int
    account: tuple[str, str, str]  # username, member name, the person it is linked to


PLANS = {
    "insurance": Plan(
        "Kfz-Schäden 2024/25 (simuliert)",
        "kfz-schaeden.csv",
        "Vorprüfung Kfz-Schäden",
        True,
        101,
        ("mitarbeiterin", "", "Anna Berger"),
    ),
    "health": Plan(
        "Ersteinschätzung Notaufnahme (simuliert)",
        "notaufnahme.csv",
        "Ersteinschätzung",
        True,
        102,
        ("pflege", "Frieda Lang (Pflege)", "Frieda Lang"),
    ),
    "industry": Plan(
        "Oberflächenprüfung Bleche (simuliert)",
        "bleche.csv",
        "Sichtprüfung Bleche",
        False,
        103,
        ("pruefer", "Jonas Weber (Endprüfung)", "Jonas Weber"),
    ),
}
ACCOUNTS = (("person in a human-AI team", "pflege"), ("person in a human-AI team", "pruefer"))


def present() -> bool:
    from .models import DataSet

    return DataSet.objects.exists()


def load(demo) -> None:
    engine_log = logging.getLogger("teaming")
    level = engine_log.level
    engine_log.setLevel(logging.WARNING)  # the builds' steps are not news when loading
    try:
        _load(demo)
    finally:
        engine_log.setLevel(level)


def _load(demo) -> None:
    users = demo.objects["contact"]["users"]
    scenarios = demo.objects["scenarios"]
    rng = random.Random(12)
    made = {}
    for sector, plan in PLANS.items():
        scenario = scenarios[sector]["scenario"]
        staff = users["staff2"] if sector == "insurance" and "staff2" in users else users["staff"]
        made[sector] = _sector(demo, sector, plan, scenario, staff, rng)
    demo.objects["human_ai"] = made


def _csv(frame) -> bytes:
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False)
    return buffer.getvalue().encode("utf-8")


def _mapping(sector: str, plan: Plan, columns):
    from . import synthetic
    from .mapping import Mapping

    spec = synthetic.SPECS[sector]
    persons = synthetic.PERSONS[sector]
    skip = {spec.target, spec.id, spec.time, spec.group, spec.text, *persons}
    return Mapping(
        target=spec.target,
        id=spec.id,
        features=[c for c in columns if c not in skip],
        text_features=[spec.text] if plan.text else [],
        humans=list(persons),
        groups=[spec.group],
        time=spec.time,
        min_person_cases=3,  # the newcomers decided few cases (synthetic.SHARE)
    )


def _sector(demo, sector, plan, scenario, staff, rng) -> dict:
    from django.conf import settings
    from django.core.files.uploadedfile import SimpleUploadedFile

    from humaine.core import progress as core_progress

    from . import deployment, engine, monitoring_alerts, monitoring_store, services, synthetic

    cases = synthetic.make(sector, settings.HUMAN_AI_DEMO_CASES, seed=plan.seed)
    upload = SimpleUploadedFile(plan.file, _csv(cases), content_type="text/csv; charset=utf-8")
    dataset = services.upload_dataset(scenario, cases=upload, title=plan.title, actor=staff)
    record = services.save_mapping(dataset, _mapping(sector, plan, cases.columns), actor=staff)
    with core_progress.tracking(record.pk) as report:
        dataset = services.check_now(dataset.pk, report)
    if not dataset.is_ready:
        raise RuntimeError(f"demo data set {sector} did not pass its checks: {dataset.problems}")
    run = services.start_run(dataset, method="combine", capacity=0.3, audit=0.05, actor=staff)
    with core_progress.tracking(run.progress_id) as report:
        run = services.build_now(run.pk, report, in_process=True, n_bootstrap=BOOTSTRAP)
    # a new run has no local copy yet; one left by a database loaded before is not its own
    shutil.rmtree(services.local_folder(run), ignore_errors=True)
    engine.forget_teams()
    service = deployment.create_service(scenario, title=plan.service, run=run, actor=staff)
    routed = _route(demo, sector, plan, service)
    user = _account(demo, sector, plan, scenario, staff, routed)
    _decide_and_resolve(demo, sector, plan, service, routed, user, rng)
    # the page never counts: the default window and the cases with an outcome are counted
    # here, so it shows figures at once
    monitoring_store.count(service.active_version, monitoring_alerts.window_days())
    monitoring_store.count_outcomes(service)
    return {"dataset": dataset, "run": run, "service": service, "user": user}


def _route(demo, sector, plan, service) -> list:
    """Post the new cases to the service in batches, as a machine client would."""
    from . import routing_api, synthetic

    spec = synthetic.SPECS[sector]
    fresh = synthetic.make(sector, SERVICE_CASES, seed=plan.seed + 1000, everyone=True)
    team = routing_api.team_of(service.active_version.run)
    schema = routing_api.schema_of(team)
    inputs = []
    for row in fresh.to_dict("records"):
        data = {column: routing_api.plain(row[column]) for column in schema.columns}
        inputs.append(routing_api.CaseInput(f"{sector[:3].upper()}-{row[spec.id]}", data))
    routed = []
    for start in range(0, len(inputs), BATCH):
        batch = inputs[start : start + BATCH]
        body = json.dumps({"cases": [{"id": c.reference, "data": c.data} for c in batch]}).encode()
        routing_api.route(service, batch, key=f"demo-{sector}-{start}", body=body, actor=None)
    truth = dict(zip(fresh[spec.id], fresh.to_dict("records")))
    for case in service.cases.order_by("pk"):
        routed.append((case, truth[int(case.reference.split("-", 1)[1])]))
    return routed


def _account(demo, sector, plan, scenario, staff, routed):
    """The demo account of this scenario's person, linked to their pseudonym."""
    from django.contrib.auth import get_user_model

    from humaine.scenarios import services as scenario_services

    from . import pseudonyms, services, synthetic

    username, name, person = plan.account
    key = bytes(services.scenario_key(scenario).key)
    opening = len(routed) - int(len(routed) * OPEN_SHARE)
    waiting = [case.person for case, _truth in routed[opening:] if case.person]
    if pseudonyms.pseudonym(key, person) not in waiting and waiting:
        by_name = {pseudonyms.pseudonym(key, p): p for p in synthetic.PERSONS[sector]}
        person = by_name[max(set(waiting), key=lambda p: (waiting.count(p), p))]
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        invited = scenario_services.invite_member(scenario, role="employee", name=name, actor=None)
        user = scenario_services.join(
            invited.member, username=username, password=demo.password
        ).user
    services.link_person(scenario, user=user, identifier=person, actor=staff)
    return user


def _decide_and_resolve(demo, sector, plan, service, routed, user, rng) -> None:
    """The people's final decisions and the outcomes, dated over the last weeks."""
    from . import pseudonyms, services, synthetic, worklist
    from .models import ServiceCase

    spec = synthetic.SPECS[sector]
    key = bytes(services.scenario_key(service.scenario).key)
    names = {pseudonyms.pseudonym(key, p): p for p in synthetic.PERSONS[sector]}
    linked = {link.pseudonym for link in user.team_pseudonyms.filter(scenario=service.scenario)}
    total = len(routed)
    opening = total - int(total * OPEN_SHARE)
    changed = []
    for index, (case, truth) in enumerate(routed):
        arrived = demo.now - timedelta(minutes=int((total - index) * DAYS * 24 * 60 / total))
        if case.person and index < opening:
            decision = truth[names[case.person]]
            actor = user if case.person in linked else None
            case = worklist.record_decision(case, decision, actor=actor)
        resolved = arrived < demo.now - timedelta(days=7) and rng.random() < OUTCOME_SHARE
        if resolved:
            case = worklist.record_outcome(
                case, truth[spec.target], actor=None, actor_name="demo data"
            )
        case.created_at = arrived
        if case.decided_at:
            late = case.person and case.decided_by == case.person
            case.decided_at = arrived + timedelta(minutes=rng.randint(5, 600) if late else 0)
        if case.outcome_at:
            case.outcome_at = arrived + timedelta(days=rng.randint(2, 6))
        changed.append(case)
    ServiceCase.objects.bulk_update(changed, ["created_at", "decided_at", "outcome_at"])
