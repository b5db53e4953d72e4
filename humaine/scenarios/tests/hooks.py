"""The scenarios' examples for the hub-wide common tests."""

from django.core.files.uploadedfile import SimpleUploadedFile

from humaine.scenarios import services
from humaine.scenarios.access import ScenarioAccess
from humaine.tests.hooks import EXAMPLES, PersonalDataExample


def scenarios_example(person, marker, cast):
    scenario = services.start_scenario(
        actor=cast.staff,
        title="Szenario",
        goal="Ziel",
        work_process="Prozess",
        organisation=cast.acme,
        sector=cast.sectors["insurance"],
    )
    invited = services.invite_member(
        scenario,
        role="works_council",
        name=f"Maria {marker}",
        email=f"{marker}@example.org",
        actor=cast.staff,
    )
    member = services.join(invited.member, user=person.user)
    decision = services.record_decision(
        scenario,
        actor=cast.staff,
        title="Entscheidung",
        decided_by="Lenkungskreis",
        decided_on="2026-01-01",
        reasons="Gründe",
    )
    services.add_comment(
        scenario, kind="decision", item=decision, text=f"Meinung {marker}", actor=person.user
    )
    services.record_position(
        scenario,
        role="staff",
        position="agree",
        statement="",
        access=ScenarioAccess(cast.staff, scenario),
        actor=cast.staff,
    )
    requirement = services.plan_literacy(
        scenario, role="works_council", topic="data", due_on="2026-06-01", actor=cast.staff
    )
    services.record_evidence(
        requirement,
        member=member,
        kind="attendance",
        completed_on="2026-05-01",
        note=f"Schulung {marker}",
        actor=cast.staff,
    )
    services.record_evidence(
        requirement,
        member=member,
        kind="certificate",
        completed_on="2026-05-02",
        certificate=SimpleUploadedFile(
            "bescheinigung.txt", f"Teilnahmebescheinigung für Maria {marker}".encode()
        ),
        actor=cast.staff,
    )


EXAMPLES.register(PersonalDataExample("scenarios", scenarios_example))


# The access matrix -------------------------------------------------------------------------

from django.utils import timezone  # noqa: E402

from humaine.contact import access as contact_access  # noqa: E402
from humaine.scenarios import access  # noqa: E402
from humaine.tests.hooks import once, route  # noqa: E402


def _world(cast):
    """Acme's scenario (from its inquiry) with one of every kind of object."""

    def make():
        staff = cast.staff
        scenario = services.start_scenario(
            actor=staff,
            inquiry=cast.acme_inquiry,
            title="Szenario",
            goal="Ziel",
            work_process="Prozess",
        )
        group = services.save_group(scenario, actor=staff, name="Team", headcount=10)
        pending = services.invite_member(scenario, role="user", name="Offen", actor=staff)
        joiner = services.invite_member(scenario, role="user", name="Neu", actor=staff)
        milestone = services.save_milestone(
            scenario, actor=staff, title="M", due_on=timezone.localdate()
        )
        decision = services.record_decision(
            scenario,
            actor=staff,
            title="D",
            decided_by="L",
            decided_on=timezone.localdate(),
            reasons="R",
        )
        upload = SimpleUploadedFile("plan.pdf", b"%PDF-1.4 x")
        version = services.upload_file(scenario, upload, actor=staff, title="Plan")
        first = services.start_check(scenario, actor=staff)
        second = services.start_check(scenario, actor=staff)
        items = {"trust": ["TRU-1", "TRU-2", "TRU-3", "TRU-4"]}
        survey = services.create_survey(
            scenario,
            title="B",
            scale_ids=list(items),
            open_question_ids=[],
            groups=[group],
            ask_code=False,
            actor=staff,
        )
        today = timezone.localdate()
        wave = services.schedule_wave(
            survey, kind="baseline", label="A", opens_on=today, closes_on=today, actor=staff
        )
        other = services.create_survey(
            scenario,
            title="C",
            scale_ids=list(items),
            open_question_ids=[],
            groups=[group],
            ask_code=False,
            actor=staff,
        )
        open_wave = services.schedule_wave(
            other, kind="baseline", label="O", opens_on=today, closes_on=today, actor=staff
        )
        link = services.issue_invitations(open_wave, group, count=1, actor=staff)[0]
        requirement = services.plan_literacy(
            scenario, role="expert", topic="data", due_on=today, actor=staff
        )
        expert_member = scenario.members.filter(role="expert").first()
        evidence = services.record_evidence(
            requirement,
            member=expert_member,
            kind="certificate",
            completed_on=today,
            certificate=SimpleUploadedFile("zertifikat.pdf", b"%PDF-1.4 z"),
            actor=staff,
        )
        return {
            "scenario": scenario,
            "group": group,
            "pending": pending.member,
            "join": joiner.token,
            "milestone": milestone,
            "decision": decision,
            "file": version.file,
            "checks": (first.ai_check, second.ai_check),
            "survey": survey,
            "wave": wave,
            "answer": link.token,
            "requirement": requirement,
            "evidence": evidence,
        }

    return once(cast, "scenarios", make)


def _on(**extra):
    def objects(cast):
        world = _world(cast)
        kwargs = {"pk": world["scenario"].pk}
        for key, value in extra.items():
            kwargs[key] = value(world)
        return [(kwargs, world["scenario"])]

    return objects


def _api(**extra):
    def objects(cast):
        world = _world(cast)
        kwargs = {"scenario_id": world["scenario"].pk}
        kwargs |= {key: value(world) for key, value in extra.items()}
        return [(kwargs, world["scenario"])]

    return objects


def _can(attribute):
    return lambda user, scenario: getattr(access.ScenarioAccess(user, scenario), attribute)


SEE = access.can_view_scenario
EDIT, MANAGE, SURVEYS = _can("can_edit"), _can("can_manage_members"), _can("can_manage_surveys")
PHASE, LITERACY, CHECKS = (
    _can("can_move_phase"),
    _can("can_manage_literacy"),
    _can("can_start_check"),
)
STAFF = lambda user, obj: access.can_start_scenario(user)  # noqa: E731

for name in ("answered",):
    route(f"scenarios:{name}", login=False)
route("scenarios:list")
route("scenarios:my_surveys")
route("scenarios:new", may=STAFF)
route("scenarios:instruments", may=STAFF)


def _hub_item(cast):
    def make():
        return services.add_instrument_item(
            item_id="TRU-M1",
            scale="trust",
            text_de="Ich prüfe Vorschläge.",
            text_en="I check suggestions.",
            actor=cast.staff,
        )

    item = once(cast, "scenarios-item", make)
    return [({"item_pk": item.pk}, item)]


route("scenarios:instrument_item", "item_pk", objects=_hub_item, may=STAFF)
route("scenarios:instrument_item", "item_pk", method="POST", objects=_hub_item, may=STAFF)
route("scenarios:instrument_item_retire", "item_pk", method="POST", objects=_hub_item, may=STAFF)
route(
    "scenarios:join", "token", login=False, objects=lambda c: [({"token": _world(c)["join"]}, None)]
)
route(
    "scenarios:answer",
    "token",
    login=False,
    objects=lambda c: [({"token": _world(c)["answer"]}, None)],
)
route(
    "scenarios:start_from_inquiry",
    "pk",
    objects=lambda c: [({"pk": c.acme_inquiry.pk}, c.acme_inquiry)],
    see=contact_access.can_view_inquiry,
    may=STAFF,
)

PK = _on()
for name in (
    "workspace",
    "activity",
    "process",
    "members",
    "groups",
    "items",
    "checks",
    "surveys",
    "outcomes",
    "report",
    "report_pdf",
    "literacy",
    "literacy_export",
):
    route(f"scenarios:{name}", "pk", objects=PK, see=SEE)
route("scenarios:edit", "pk", objects=PK, see=SEE, may=EDIT)
route("scenarios:edit", "pk", method="POST", objects=PK, see=SEE, may=EDIT)
route("scenarios:position", "pk", method="POST", objects=PK, see=SEE)
route("scenarios:advance", "pk", method="POST", objects=PK, see=SEE, may=PHASE)
route("scenarios:deliverable", "pk", method="POST", objects=PK, see=SEE, may=EDIT)
route("scenarios:members", "pk", method="POST", objects=PK, see=SEE, may=MANAGE)
route("scenarios:groups", "pk", method="POST", objects=PK, see=SEE, may=EDIT)
route(
    "scenarios:items",
    "pk",
    method="POST",
    objects=PK,
    see=SEE,
    may=EDIT,
    data={"form": "milestone"},
)
route("scenarios:surveys", "pk", method="POST", objects=PK, see=SEE, may=SURVEYS)
route("scenarios:check_start", "pk", method="POST", objects=PK, see=SEE, may=CHECKS)
route("scenarios:target_add", "pk", method="POST", objects=PK, see=SEE, may=EDIT)
route("scenarios:literacy_plan", "pk", method="POST", objects=PK, see=SEE, may=LITERACY)
route(
    "scenarios:item",
    "item_pk",
    "kind",
    "pk",
    see=SEE,
    objects=_on(kind=lambda w: "milestone", item_pk=lambda w: w["milestone"].pk),
)
MEMBER = _on(member_pk=lambda w: w["pending"].pk)
route(
    "scenarios:member_remove", "member_pk", "pk", method="POST", objects=MEMBER, see=SEE, may=MANAGE
)
route(
    "scenarios:member_renew", "member_pk", "pk", method="POST", objects=MEMBER, see=SEE, may=MANAGE
)
GROUP = _on(group_pk=lambda w: w["group"].pk)
route("scenarios:group", "group_pk", "pk", objects=GROUP, see=SEE, may=EDIT)
route("scenarios:group", "group_pk", "pk", method="POST", objects=GROUP, see=SEE, may=EDIT)
MILESTONE = _on(item_pk=lambda w: w["milestone"].pk)
route("scenarios:milestone", "item_pk", "pk", objects=MILESTONE, see=SEE)
route("scenarios:milestone", "item_pk", "pk", method="POST", objects=MILESTONE, see=SEE, may=EDIT)
route(
    "scenarios:decision", "item_pk", "pk", objects=_on(item_pk=lambda w: w["decision"].pk), see=SEE
)
FILE = _on(item_pk=lambda w: w["file"].pk)
route("scenarios:file", "item_pk", "pk", objects=FILE, see=SEE)
route("scenarios:file", "item_pk", "pk", method="POST", objects=FILE, see=SEE, may=EDIT)
route(
    "scenarios:download",
    "item_pk",
    "number",
    "pk",
    see=SEE,
    objects=_on(item_pk=lambda w: w["file"].pk, number=lambda w: 1),
)


def _file_to_retire(cast):
    world = _world(cast)

    def make():
        upload = SimpleUploadedFile("alt.pdf", b"%PDF-1.4 alt")
        return services.upload_file(world["scenario"], upload, actor=cast.staff, title="Alt")

    version = once(cast, "scenarios-file-to-retire", make)
    return [({"pk": world["scenario"].pk, "item_pk": version.file.pk}, world["scenario"])]


route(
    "scenarios:file_retire",
    "item_pk",
    "pk",
    method="POST",
    see=SEE,
    may=EDIT,
    objects=_file_to_retire,
)
route(
    "scenarios:comment",
    "item_pk",
    "kind",
    "pk",
    method="POST",
    see=SEE,
    objects=_on(kind=lambda w: "decision", item_pk=lambda w: w["decision"].pk),
    data={"text": "Ein Kommentar"},
)
route(
    "scenarios:check", "check_pk", "pk", see=SEE, objects=_on(check_pk=lambda w: w["checks"][1].pk)
)
for name in ("check_resend", "check_revoke"):
    route(
        f"scenarios:{name}",
        "check_pk",
        "pk",
        "respondent",
        method="POST",
        see=SEE,
        may=CHECKS,
        objects=_on(
            check_pk=lambda w: w["checks"][1].pk,
            respondent=lambda w: w["checks"][1].respondents.first().pk,
        ),
    )
route(
    "scenarios:check_diff",
    "check_pk",
    "other_pk",
    "pk",
    see=SEE,
    objects=_on(check_pk=lambda w: w["checks"][1].pk, other_pk=lambda w: w["checks"][0].pk),
)
SURVEY = _on(survey_pk=lambda w: w["survey"].pk)
for name in ("survey", "results", "results_csv"):
    route(f"scenarios:{name}", "pk", "survey_pk", objects=SURVEY, see=SEE)
route("scenarios:wave_add", "pk", "survey_pk", method="POST", objects=SURVEY, see=SEE, may=SURVEYS)
route(
    "scenarios:wave_links", "pk", "survey_pk", method="POST", objects=SURVEY, see=SEE, may=SURVEYS
)
route(
    "scenarios:wave_close",
    "pk",
    "survey_pk",
    "wave_pk",
    method="POST",
    see=SEE,
    may=SURVEYS,
    objects=_on(survey_pk=lambda w: w["survey"].pk, wave_pk=lambda w: w["wave"].pk),
)
route(
    "scenarios:literacy_evidence",
    "pk",
    "requirement_pk",
    method="POST",
    see=SEE,
    may=LITERACY,
    objects=_on(requirement_pk=lambda w: w["requirement"].pk),
)
route(
    "scenarios:certificate",
    "evidence_pk",
    "pk",
    see=SEE,
    objects=_on(evidence_pk=lambda w: w["evidence"].pk),
)

route("api:list_scenarios")
for name in ("get_scenario", "list_members", "list_milestones", "list_decisions", "list_surveys"):
    route(f"api:{name}", "scenario_id", objects=_api(), see=SEE)
route(
    "api:add_milestone",
    "scenario_id",
    method="POST",
    objects=_api(),
    see=SEE,
    may=EDIT,
    data={"title": "Aus der API", "due_on": "2026-09-01"},
)
route(
    "api:add_member",
    "scenario_id",
    method="POST",
    objects=_api(),
    see=SEE,
    may=MANAGE,
    data={"role": "user", "name": "Aus der API"},
)
route(
    "api:add_decision",
    "scenario_id",
    method="POST",
    objects=_api(),
    see=SEE,
    may=EDIT,
    data={"title": "T", "decided_by": "L", "decided_on": "2026-09-01", "reasons": "R"},
)
route(
    "api:survey_results",
    "scenario_id",
    "survey_id",
    see=SEE,
    objects=_api(survey_id=lambda w: w["survey"].pk),
)
