"""Bulk import of expert profiles: validated, dry run first, matched by email."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from humaine.contact.models import Expert, Organisation, Person
from humaine.core.models import AuditEvent
from humaine.matching.importer import plan_import

EXAMPLES = Path(__file__).resolve().parents[3] / "docs" / "examples"

GOOD = (
    "email,name,employer,disciplines,topics,sectors,languages,capacity_hours\n"
    "neu@example.org,Nina Neu,Neues Institut,psychology;law,Akzeptanz von KI,insurance,de;en,10\n"
)
BAD = (
    "email,name,disciplines,capacity_hours,languages\n"
    "ok@example.org,Ok,psychology,10,de\n"
    "kaputt,Kaputt,physics,zwölf,deutsch\n"
)


def snapshot():
    return (
        list(Expert.objects.values_list("pk", "topics", "capacity_hours")),
        Person.objects.count(),
        Organisation.objects.count(),
        AuditEvent.objects.count(),
    )


def test_dry_run_reports_and_changes_nothing(cast, tmp_path, capsys):
    path = tmp_path / "experts.csv"
    path.write_text(GOOD, encoding="utf-8")
    before = snapshot()
    call_command("import_experts", str(path), "--dry-run")
    out = capsys.readouterr().out
    assert "row 2: create neu@example.org" in out
    assert "1 to create, 0 to update, 0 unchanged" in out and "Nothing was changed" in out
    assert snapshot() == before


def test_disciplines_sectors_and_kinds_may_be_written_by_their_names(cast):
    content = (
        b"email;name;employer;employer_kind;employer_sector;disciplines;sectors\n"
        b"namen@example.org;Nora Namen;Kanzlei Namen;Kanzlei;health care;"
        b"Psychologie, LAW, Computer Science;Versicherungen, industry\n"
    )
    plan = plan_import(content, "experts.csv")
    assert plan.ok, [str(p) for p in plan.problems]
    (row,) = plan.rows
    assert row.values["employer_kind"] == "law_firm"
    assert row.values["employer_sector"] == "health"
    assert row.values["disciplines"] == ["psychology", "law", "computer_science"]
    assert row.values["sectors"] == ["insurance", "industry"]


def test_a_csv_saved_by_excel_in_windows_1252_is_read(cast):
    content = (
        "email;name;employer;topics;disciplines\n"
        "juergen@example.org;Jürgen Müßig;Universität Süd;Belastung und Gefährdungsbeurteilung;"
        "Psychologie\n"
    ).encode("cp1252")
    plan = plan_import(content, "experts.csv")
    assert plan.ok, [str(p) for p in plan.problems]
    (row,) = plan.rows
    assert row.name == "Jürgen Müßig"
    assert row.values["topics"] == "Belastung und Gefährdungsbeurteilung"
    # bytes that are text in neither encoding are refused with a message
    refused = plan_import(b"email,name\n\x81\x8d@example.org,X\n", "experts.csv")
    assert [str(p) for p in refused.problems] == [
        "Die Datei ist weder UTF-8- noch Windows-1252-Text."
    ]


def test_an_unknown_kind_or_sector_names_the_keys_to_use(cast):
    content = (
        "email,name,employer,employer_kind,employer_sector\n"
        "x@example.org,X,Firma X,Behörde,Raumfahrt\n"
    ).encode()
    messages = [str(problem) for problem in plan_import(content, "experts.csv").problems]
    assert any(
        m.startswith("Zeile 2, Spalte „employer_kind“: unbekannter Wert „Behörde“")
        and "law_firm" in m
        for m in messages
    ), messages
    assert any(
        m.startswith("Zeile 2, Spalte „employer_sector“: unbekannter Wert „Raumfahrt“")
        and "insurance" in m
        for m in messages
    ), messages


def test_bad_csv_names_row_column_and_what_was_expected(cast):
    plan = plan_import(BAD.encode(), "experts.csv")
    messages = [str(problem) for problem in plan.problems]
    assert not plan.ok
    assert "Zeile 3, Spalte „email“: „kaputt“ ist keine E-Mail-Adresse" in messages
    assert any(
        m.startswith("Zeile 3, Spalte „disciplines“: unbekannter Wert „physics“") for m in messages
    )
    assert any(
        m.startswith("Zeile 3, Spalte „capacity_hours“") and "0 bis 200" in m and "zwölf" in m
        for m in messages
    )
    assert any(m.startswith("Zeile 3, Spalte „languages“") for m in messages)
    assert not any(m.startswith("Zeile 2") for m in messages)


def test_bad_file_imports_nothing_through_the_command(cast, tmp_path):
    path = tmp_path / "experts.csv"
    path.write_text(BAD, encoding="utf-8")
    before = snapshot()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_experts", str(path))
    assert snapshot() == before


def test_import_creates_then_updates_by_email_and_audits(cast, tmp_path):
    path = tmp_path / "experts.csv"
    path.write_text(GOOD, encoding="utf-8")
    call_command("import_experts", str(path))
    expert = Expert.objects.get(person__email="neu@example.org")
    assert expert.disciplines == ["psychology", "law"]
    assert [s.slug for s in expert.sectors.all()] == ["insurance"]
    assert expert.person.organisation.name == "Neues Institut"
    assert expert.person.organisation.kind == "institute"
    assert AuditEvent.objects.filter(action="expert.imported", object_id=str(expert.pk)).exists()

    path.write_text(GOOD.replace(",10\n", ",14\n").replace("neu@", "NEU@"), encoding="utf-8")
    plan = plan_import(path.read_bytes(), "experts.csv")
    assert plan.summary == {"create": 0, "update": 1, "unchanged": 0}
    assert plan.rows[0].changes == {"capacity_hours": (10, 14)}
    call_command("import_experts", str(path))
    expert.refresh_from_db()
    assert expert.capacity_hours == 14 and Expert.objects.count() == 2


def test_cast_expert_is_matched_by_email_and_empty_cells_keep_values(cast):
    email = cast.expert.person.email
    data = f"email,topics,capacity_hours\n{email},,12\n".encode()
    plan = plan_import(data, "update.csv")
    assert plan.ok and plan.rows[0].action == "update"
    assert plan.rows[0].changes == {"capacity_hours": (8, 12)}


def test_shipped_examples_are_valid(cast):
    for name in ("experts.csv", "experts.yaml"):
        plan = plan_import((EXAMPLES / name).read_bytes(), name)
        assert plan.ok, [str(p) for p in plan.problems]
        assert plan.count("create") >= 2


def test_yaml_problems_name_the_entry(cast):
    data = b"experts:\n  - {email: a@example.org, name: A, capacity_hours: 500}\n  - 7\n"
    messages = [str(p) for p in plan_import(data, "x.yaml").problems]
    assert messages[0].startswith("Eintrag 1, Spalte „capacity_hours“")
    assert messages[1].startswith("Eintrag 2")


def test_staff_upload_page_dry_run_then_import(cast, client_for):
    client = client_for(cast.staff)
    url = reverse("matching:import_experts")
    upload = SimpleUploadedFile("experts.csv", GOOD.encode(), content_type="text/csv")
    page = client.post(url, {"file": upload, "dry_run": "on"}).content.decode()
    assert "neu@example.org" in page and not Expert.objects.filter(person__email="neu@example.org")
    upload = SimpleUploadedFile("experts.csv", GOOD.encode(), content_type="text/csv")
    client.post(url, {"file": upload})
    assert Expert.objects.filter(person__email="neu@example.org").exists()
    bad = SimpleUploadedFile("experts.csv", BAD.encode(), content_type="text/csv")
    page = client.post(url, {"file": bad}).content.decode()
    assert "Zeile 3, Spalte „capacity_hours“" in page


BOMB = b"experts:\n  - name: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + b"".join(
    f"    x{i}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 9)}]\n".encode() for i in range(6)
)


def test_a_yaml_file_that_expands_beyond_the_limit_is_refused_with_a_short_page(cast, client_for):
    assert len(BOMB) < 600
    plan = plan_import(BOMB, "experts.yaml")
    assert not plan.ok and "mehr als" in str(plan.problems[0])
    upload = SimpleUploadedFile("experts.yaml", BOMB, content_type="application/yaml")
    response = client_for(cast.staff).post(reverse("matching:import_experts"), {"file": upload})
    assert response.status_code in (200, 400)
    assert len(response.content) < 100_000


def test_a_csv_file_with_nul_characters_is_refused(cast, client_for):
    data = GOOD.replace("Neu", "Ne\x00u").encode()
    plan = plan_import(data, "experts.csv")
    assert [str(p) for p in plan.problems] == ["Die Datei enthält NUL-Zeichen."]
    upload = SimpleUploadedFile("experts.csv", data, content_type="text/csv")
    response = client_for(cast.staff).post(reverse("matching:import_experts"), {"file": upload})
    assert response.status_code in (200, 400)
    assert not Expert.objects.filter(person__email="neu@example.org").exists()


CONFLICT_DATA = """\
experts:
  - email: kruse@kfz.example
    name: Dr. Tobias Kruse
    employer: Rheinland Kfz-Versicherung AG
    employer_kind: company
    employer_sector: insurance
    employer_segment: Kfz-Versicherung
    disciplines: [computer_science]
    topics: Schadenfotos in der Kfz-Versicherung
    capacity_hours: 8
  - email: okafor@kanzlei.example
    name: Chidi Okafor
    employer: Kanzlei Brandt & Okafor
    employer_kind: law_firm
    disciplines: [law]
    topics: Employment law on workplace monitoring
    capacity_hours: 3
    clients: [VisionQ GmbH, Rheinland Kfz-Versicherung AG]
    vendors: Kamera AG
    products: [Prüfsoftware X]
"""


def test_fresh_hub_starts_with_the_four_sectors_as_data(db):
    from humaine.contact.models import Sector

    assert list(Sector.objects.values_list("slug", flat=True)) == [
        "industry",
        "health",
        "insurance",
        "other",
    ]


def test_import_on_a_fresh_hub_sets_employer_sector_kind_segment_and_relationships(db, tmp_path):
    path = tmp_path / "experts.yaml"
    path.write_text(CONFLICT_DATA, encoding="utf-8")
    call_command("import_experts", str(path), stdout=__import__("io").StringIO())
    insurer = Organisation.objects.get(name="Rheinland Kfz-Versicherung AG")
    assert (insurer.kind, insurer.sector.slug, insurer.segment) == (
        "company",
        "insurance",
        "Kfz-Versicherung",
    )
    assert Organisation.objects.get(name="Kanzlei Brandt & Okafor").kind == "law_firm"
    okafor = Expert.objects.get(person__email="okafor@kanzlei.example")
    assert sorted(okafor.relationships.values_list("kind", "name")) == [
        ("client", "Rheinland Kfz-Versicherung AG"),
        ("client", "VisionQ GmbH"),
        ("product", "Prüfsoftware X"),
        ("vendor", "Kamera AG"),
    ]
    event = AuditEvent.objects.filter(action="expert.imported", object_id=str(okafor.pk)).get()
    assert event.changes["fields"]["clients"]["after"] == [
        "Rheinland Kfz-Versicherung AG",
        "VisionQ GmbH",
    ]


def test_reimport_replaces_declared_relationships_and_reports_organisation_changes(db, tmp_path):
    path = tmp_path / "experts.yaml"
    path.write_text(CONFLICT_DATA, encoding="utf-8")
    call_command("import_experts", str(path), stdout=__import__("io").StringIO())
    changed = CONFLICT_DATA.replace(
        "employer_segment: Kfz-Versicherung", "employer_segment: Sach"
    ).replace("clients: [VisionQ GmbH, Rheinland Kfz-Versicherung AG]", "clients: [VisionQ GmbH]")
    plan = plan_import(changed.encode(), "experts.yaml")
    assert plan.ok
    assert [row.action for row in plan.rows] == ["unchanged", "update"]
    assert "clients" in plan.rows[1].changes
    [(name, changes)] = plan.organisation_changes.values()
    assert name == "Rheinland Kfz-Versicherung AG"
    assert changes == {"segment": ("Kfz-Versicherung", "Sach")}
    path.write_text(changed, encoding="utf-8")
    call_command("import_experts", str(path), stdout=__import__("io").StringIO())
    okafor = Expert.objects.get(person__email="okafor@kanzlei.example")
    assert list(okafor.relationships.filter(kind="client").values_list("name", flat=True)) == [
        "VisionQ GmbH"
    ]
    assert Organisation.objects.get(name="Rheinland Kfz-Versicherung AG").segment == "Sach"
    assert AuditEvent.objects.filter(action="organisation.updated").count() == 1


@pytest.mark.parametrize(
    "row, column, words",
    [
        ("employer: A\n    employer_kind: spaceship", "employer_kind", "law_firm"),
        ("employer: A\n    employer_sector: space", "employer_sector", "insurance"),
        ("employer_segment: Kfz", "employer_segment", "employer"),
        ("clients: [" + "x" * 201 + "]", "clients", "200"),
    ],
)
def test_bad_employer_and_relationship_cells_name_entry_column_and_expectation(
    db, row, column, words
):
    text = f"experts:\n  - email: a@example.org\n    name: A\n    {row}\n"
    plan = plan_import(text.encode(), "experts.yaml")
    [problem] = plan.problems
    assert (problem.row, problem.column) == (1, column)
    assert words in str(problem)


def test_two_rows_contradicting_each_other_about_one_employer_are_refused(db):
    text = (
        "email,name,employer,employer_sector\n"
        "a@example.org,A,Klinikum Nord,health\n"
        "b@example.org,B,Klinikum Nord,insurance\n"
    )
    plan = plan_import(text.encode(), "experts.csv")
    [problem] = plan.problems
    assert (problem.row, problem.column) == (3, "employer_sector")


def test_staff_page_imports_relationships(cast, client_for):
    upload = SimpleUploadedFile("experts.yaml", CONFLICT_DATA.encode(), "application/x-yaml")
    response = client_for(cast.staff).post(
        reverse("matching:import_experts"), {"file": upload, "dry_run": ""}
    )
    assert response.status_code == 200
    assert Expert.objects.get(person__email="okafor@kanzlei.example").relationships.count() == 4
