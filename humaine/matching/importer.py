"""Bulk import of expert profiles from CSV or YAML: parse, validate, and plan.

:func:`plan_import` reads a file and compares it with the database without writing
anything: per row it says what would be created, updated (which fields) or left
unchanged, and every problem with its row, its column and what was expected.
``services.import_experts`` applies a plan without errors, all rows or none.

Columns (CSV header, or keys of each YAML entry): ``email`` (required; matches existing
experts), ``name`` (required for new people), ``employer``, ``employer_kind``,
``employer_sector``, ``employer_segment``, ``disciplines``, ``topics``, ``methods``,
``sectors``, ``languages``, ``capacity_hours``, ``active``, and the relationships the
expert declares: ``clients``, ``vendors``, ``products`` (conflicts of interest). Lists
are separated by ``;`` or ``,`` in CSV and may be YAML lists. An empty
cell leaves the current value as it is. Disciplines, sectors and the employer's kind may
be written as their key (``psychology``) or their name in German or English
(``Psychologie``, ``Gesundheitswesen``, ``Kanzlei``), in any case. docs/examples/ has one
file of each format.
"""

import csv
import io
import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import translation
from django.utils.translation import gettext as _

from humaine.contact.models import Discipline, Expert, Organisation, Person, Sector
from humaine.core import safe_yaml

COLUMNS = (
    "email",
    "name",
    "employer",
    "employer_kind",
    "employer_sector",
    "employer_segment",
    "disciplines",
    "topics",
    "methods",
    "sectors",
    "languages",
    "capacity_hours",
    "active",
    "clients",
    "vendors",
    "products",
)
RELATIONSHIPS = {"clients": "client", "vendors": "vendor", "products": "product"}
MAX_ROWS = 5000
MAX_BYTES = 5 * 1024 * 1024
MAX_CAPACITY = 200
EMPLOYER_KINDS = tuple(k for k in Organisation.Kind.values if k != Organisation.Kind.HUB)
EMPLOYER_FIELDS = {
    "employer_kind": "kind",
    "employer_sector": "sector",
    "employer_segment": "segment",
}
_LANGUAGE = re.compile(r"^[a-z]{2}$")
_SPLIT = re.compile(r"[;,\n]")
_TRUE = {"yes", "true", "1", "ja", "y", "x"}
_FALSE = {"no", "false", "0", "nein", "n", ""}


@dataclass
class Problem:
    row: int | None
    column: str | None
    message: str
    # "row" for CSV lines (the header is row 1), "entry" for YAML list items
    unit: str = "row"

    def __str__(self) -> str:
        if self.row is None:
            return self.message
        where = (
            _("Row %(row)s") % {"row": self.row}
            if self.unit == "row"
            else _("Entry %(row)s") % {"row": self.row}
        )
        if self.column:
            where += ", " + _("column “%(column)s”") % {"column": self.column}
        return f"{where}: {self.message}"


@dataclass
class RowPlan:
    row: int
    email: str
    name: str
    action: str  # "create", "update", "unchanged"
    values: dict[str, Any]
    changes: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    person: Person | None = None
    expert: Expert | None = None


@dataclass
class ImportPlan:
    rows: list[RowPlan] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    new_organisations: dict[str, str] = field(default_factory=dict)  # name -> kind
    # per employer named in the file: the kind, sector and segment it should have
    employers: dict[str, dict[str, str]] = field(default_factory=dict)
    # existing organisations whose kind, sector or segment the file changes:
    # pk -> (name, {field: (before, after)})
    organisation_changes: dict[int, tuple[str, dict[str, tuple]]] = field(default_factory=dict)
    unit: str = "row"  # "entry" for YAML

    @property
    def ok(self) -> bool:
        return not self.problems

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)

    @property
    def summary(self) -> dict[str, int]:
        return {action: self.count(action) for action in ("create", "update", "unchanged")}


# --- reading files -----------------------------------------------------------------------


def read_rows(content: bytes, filename: str) -> tuple[list[tuple[int, dict]], str, list[Problem]]:
    """Return ``[(row number, {column: value})]``, the unit ("row"/"entry") and problems."""
    if len(content) > MAX_BYTES:
        return [], "row", [Problem(None, None, _("The file is larger than 5 MB."))]
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        if not filename.lower().endswith(".csv"):
            return [], "row", [Problem(None, None, _("The file is not UTF-8 text."))]
        try:
            # what Excel writes for "CSV (Trennzeichen-getrennt)" on a German Windows
            text = content.decode("cp1252")
        except UnicodeDecodeError:
            message = _("The file is neither UTF-8 nor Windows-1252 text.")
            return [], "row", [Problem(None, None, message)]
    if "\x00" in text:
        return [], "row", [Problem(None, None, _("The file contains NUL characters."))]
    if filename.lower().endswith((".yaml", ".yml")):
        rows, problems = _read_yaml(text)
        return rows, "entry", problems
    if filename.lower().endswith(".csv"):
        rows, problems = _read_csv(text)
        return rows, "row", problems
    message = _("Unknown file type: upload a .csv, .yaml or .yml file.")
    return [], "row", [Problem(None, None, message)]


def _read_csv(text: str) -> tuple[list[tuple[int, dict]], list[Problem]]:
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    header = [name.strip().lower() for name in reader.fieldnames or []]
    problems = _header_problems(header)
    if problems:
        return [], problems
    reader.fieldnames = header
    rows = []
    try:
        for record in reader:
            if len(rows) >= MAX_ROWS:
                message = _("More than %(max)s rows; split the file.") % {"max": MAX_ROWS}
                return rows, [Problem(None, None, message)]
            if None in record:
                problems.append(
                    Problem(reader.line_num, None, _("more cells than the header has columns"))
                )
                continue
            if any((value or "").strip() for value in record.values()):
                rows.append((reader.line_num, {k: (v or "").strip() for k, v in record.items()}))
    except csv.Error as error:
        problems.append(
            Problem(reader.line_num, None, _("unreadable CSV: %(error)s") % {"error": error})
        )
    return rows, problems


def _read_yaml(text: str) -> tuple[list[tuple[int, dict]], list[Problem]]:
    try:
        # Refuses documents whose aliases expand beyond a limit (a "billion laughs").
        data = safe_yaml.load(text)
    except safe_yaml.TooLarge:
        message = _("The file expands to more than %(max)s values (through YAML aliases).")
        return [], [Problem(None, None, message % {"max": safe_yaml.MAX_VALUES})]
    except yaml.YAMLError as error:
        return [], [Problem(None, None, _("unreadable YAML: %(error)s") % {"error": error})]
    if isinstance(data, dict):
        data = data.get("experts")
    if not isinstance(data, list):
        message = _("Expected a list of experts (or “experts:” with a list).")
        return [], [Problem(None, None, message)]
    if len(data) > MAX_ROWS:
        return [], [
            Problem(None, None, _("More than %(max)s rows; split the file.") % {"max": MAX_ROWS})
        ]
    rows, problems = [], []
    for number, entry in enumerate(data, start=1):
        if not isinstance(entry, dict):
            problems.append(Problem(number, None, _("expected a mapping of columns"), "entry"))
            continue
        keys = [str(k).strip().lower() for k in entry]
        for key in keys:
            if key not in COLUMNS:
                problems.append(Problem(number, key, _unknown_column(), "entry"))
        rows.append((number, {str(k).strip().lower(): v for k, v in entry.items()}))
    return rows, problems


def _unknown_column() -> str:
    return _("unknown column; expected one of: %(columns)s") % {"columns": ", ".join(COLUMNS)}


def _header_problems(header: list[str]) -> list[Problem]:
    problems = [Problem(1, name, _unknown_column()) for name in header if name not in COLUMNS]
    if "email" not in header:
        problems.append(Problem(1, "email", _("the column is missing; it identifies each expert")))
    return problems


# --- validating values -------------------------------------------------------------------


def _as_list(value) -> list[str]:
    if value is None:
        return []
    items = [str(v) for v in value] if isinstance(value, list | tuple) else _SPLIT.split(str(value))
    return [item.strip() for item in items if item.strip()]


def _is_empty(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or value == []


def _in_both_languages(label) -> list[str]:
    with translation.override("de"):
        german = str(label)
    with translation.override("en"):
        english = str(label)
    return [german, english]


def _spellings(names: dict[str, list[str]]) -> dict[str, str]:
    """Each accepted spelling of a value (its key or one of its names, in any case) -> key."""
    found = {}
    for key, labels in names.items():
        for label in labels:
            # "neuroinformatics / computer science": the whole name and each of its halves
            for spelling in (label, *label.split("/")):
                if spelling.strip():
                    found.setdefault(spelling.strip().casefold(), key)
    # a key always means itself, even where another value's name is spelt like it
    found.update({key.casefold(): key for key in names})
    return found


class Spellings:
    """What a file may write for a discipline, a sector and an employer's kind: the key
    (``psychology``, ``health``, ``law_firm``) or its name in German or English
    (``Psychologie``, ``Gesundheitswesen``, ``Kanzlei``), in any case."""

    def __init__(self, sectors: dict[str, Sector]):
        self.disciplines = _spellings(
            {code: _in_both_languages(label) for code, label in Discipline.choices}
        )
        self.sectors = _spellings(
            {slug: [sector.name_de, sector.name_en] for slug, sector in sectors.items()}
        )
        self.kinds = _spellings(
            {
                kind: _in_both_languages(label)
                for kind, label in Organisation.Kind.choices
                if kind in EMPLOYER_KINDS
            }
        )


class _Row:
    """Validates one row's cells, collecting problems with their column."""

    def __init__(self, number: int, unit: str, spellings: Spellings):
        self.number, self.unit, self.spellings = number, unit, spellings
        self.problems: list[Problem] = []

    def one_of(self, record, column, spellings: dict[str, str]) -> str | None:
        """The key a single-value cell spells, or None (with a problem when unknown)."""
        value = self.text(record, column)
        if value is None:
            return None
        key = spellings.get(value.casefold())
        if key is None:
            allowed = ", ".join(dict.fromkeys(spellings.values())) or _("(none defined yet)")
            self.problem(
                column,
                _("unknown value “%(value)s”; expected one of: %(allowed)s")
                % {"value": value, "allowed": allowed},
            )
        return key

    def problem(self, column: str, message: str) -> None:
        self.problems.append(Problem(self.number, column, message, self.unit))

    def text(self, record, column, max_length=None) -> str | None:
        value = record.get(column)
        if _is_empty(value):
            return None
        value = str(value).strip()
        if max_length and len(value) > max_length:
            self.problem(column, _("at most %(max)s characters") % {"max": max_length})
        return value

    def choices(self, record, column, spellings: dict[str, str]) -> list[str] | None:
        value = record.get(column)
        if _is_empty(value):
            return None
        items = _as_list(value)
        unknown = [item for item in items if item.casefold() not in spellings]
        if unknown:
            self.problem(
                column,
                _("unknown value “%(value)s”; expected one or more of: %(allowed)s")
                % {
                    "value": ", ".join(unknown),
                    "allowed": ", ".join(dict.fromkeys(spellings.values()))
                    or _("(none defined yet)"),
                },
            )
        keys = (spellings.get(item.casefold()) for item in items)
        return list(dict.fromkeys(key for key in keys if key is not None))

    def languages(self, record) -> list[str] | None:
        value = record.get("languages")
        if _is_empty(value):
            return None
        items = [item.lower() for item in _as_list(value)]
        wrong = [item for item in items if not _LANGUAGE.match(item)]
        if wrong:
            self.problem(
                "languages",
                _("“%(value)s” is not a two-letter language code such as de or en")
                % {"value": ", ".join(wrong)},
            )
        return list(dict.fromkeys(item for item in items if _LANGUAGE.match(item)))

    def names(self, record, column) -> list[str] | None:
        """A list of organisations or products (each at most 200 characters)."""
        value = record.get(column)
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        items = list(dict.fromkeys(_as_list(value)))
        if any(len(item) > 200 for item in items):
            self.problem(column, _("each entry at most %(max)s characters") % {"max": 200})
        return items

    def capacity(self, record) -> int | None:
        value = record.get("capacity_hours")
        if _is_empty(value):
            return None
        try:
            number = int(str(value).strip())
        except ValueError:
            number = -1
        if not 0 <= number <= MAX_CAPACITY:
            self.problem(
                "capacity_hours",
                _("expected a whole number of hours per month from 0 to %(max)s, got “%(value)s”")
                % {"max": MAX_CAPACITY, "value": value},
            )
            return None
        return number

    def flag(self, record, column) -> bool | None:
        value = record.get(column)
        if value is None or isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return None if text == "" else False
        self.problem(column, _("expected yes or no, got “%(value)s”") % {"value": value})
        return None


def _values(record: dict, row: _Row) -> dict[str, Any]:
    email = row.text(record, "email", 254)
    if email is None:
        row.problem("email", _("required: the expert's email address"))
    else:
        try:
            validate_email(email)
        except ValidationError:
            row.problem("email", _("“%(value)s” is not an email address") % {"value": email})
    kind = row.one_of(record, "employer_kind", row.spellings.kinds)
    employer = row.text(record, "employer", 200)
    sector = row.one_of(record, "employer_sector", row.spellings.sectors)
    segment = row.text(record, "employer_segment", 200)
    if employer is None and (kind or sector or segment):
        column = "employer_kind" if kind else "employer_sector" if sector else "employer_segment"
        row.problem(column, _("needs an employer in the column “employer”"))
    return {
        "email": (email or "").lower(),
        "name": row.text(record, "name", 200),
        "employer": employer,
        "employer_kind": kind,
        "employer_sector": sector,
        "employer_segment": segment,
        "disciplines": row.choices(record, "disciplines", row.spellings.disciplines),
        "topics": row.text(record, "topics", 5000),
        "methods": row.text(record, "methods", 5000),
        "sectors": row.choices(record, "sectors", row.spellings.sectors),
        "languages": row.languages(record),
        "capacity_hours": row.capacity(record),
        "active": row.flag(record, "active"),
        **{column: row.names(record, column) for column in RELATIONSHIPS},
    }


# --- the plan ----------------------------------------------------------------------------


def plan_import(content: bytes, filename: str) -> ImportPlan:
    """Validate a file and say what importing it would change; writes nothing."""
    records, unit, problems = read_rows(content, filename)
    plan = ImportPlan(problems=list(problems), unit=unit)
    sectors = {s.slug: s for s in Sector.objects.all()}
    spellings = Spellings(sectors)
    seen: dict[str, int] = {}
    for number, record in records:
        row = _Row(number, unit, spellings)
        values = _values(record, row)
        email = values["email"]
        if email and email in seen:
            row.problem("email", _("the same email as row %(row)s") % {"row": seen[email]})
        seen.setdefault(email, number)
        if not row.problems:
            _plan_row(plan, row, values)
        plan.problems.extend(row.problems)
    plan.problems.sort(key=lambda problem: problem.row or 0)
    return plan


def _plan_row(plan: ImportPlan, row: _Row, values: dict) -> None:
    people = list(
        Person.objects.filter(email__iexact=values["email"]).select_related(
            "expert", "organisation"
        )[:2]
    )
    if len(people) > 1:
        row.problem("email", _("several people have this email; merge them in the admin first"))
        return
    person = people[0] if people else None
    if person is not None and person.is_erased:
        row.problem("email", _("this person's data was erased; they cannot be imported again"))
        return
    if person is None and not values["name"]:
        row.problem("name", _("required for a new expert"))
        return
    expert = getattr(person, "expert", None) if person else None
    if not _plan_employer(plan, row, values):
        return
    if expert is None:
        plan.rows.append(
            RowPlan(
                row.number,
                values["email"],
                values["name"] or person.name,
                "create",
                values,
                person=person,
            )
        )
        return
    changes = _changes(expert, values)
    plan.rows.append(
        RowPlan(
            row.number,
            values["email"],
            person.name,
            "update" if changes else "unchanged",
            values,
            changes,
            person=person,
            expert=expert,
        )
    )


def _plan_employer(plan: ImportPlan, row: _Row, values: dict) -> bool:
    """Record what the row says about its employer; a contradiction is a problem."""
    employer = values["employer"]
    if not employer:
        return True
    wanted = {
        target: values[column]
        for column, target in EMPLOYER_FIELDS.items()
        if values.get(column) is not None
    }
    known = plan.employers.setdefault(employer.lower(), {})
    for target, value in wanted.items():
        if known.get(target, value) != value:
            column = next(c for c, t in EMPLOYER_FIELDS.items() if t == target)
            row.problem(
                column,
                _("“%(value)s” contradicts “%(other)s” given for the same employer above")
                % {"value": value, "other": known[target]},
            )
            return False
        known[target] = value
    existing = Organisation.objects.filter(name__iexact=employer).select_related("sector").first()
    if existing is None:
        plan.new_organisations[employer] = known.get("kind") or Organisation.Kind.INSTITUTE
        return True
    current = {
        "kind": existing.kind,
        "sector": existing.sector.slug if existing.sector else None,
        "segment": existing.segment,
    }
    changes = {k: (current[k], v) for k, v in known.items() if current[k] != v}
    if changes:
        plan.organisation_changes[existing.pk] = (existing.name, changes)
    return True


def _changes(expert: Expert, values: dict) -> dict[str, tuple[Any, Any]]:
    person = expert.person
    current = {
        "name": person.name,
        "employer": person.organisation.name if person.organisation else None,
        "disciplines": list(expert.disciplines),
        "topics": expert.topics,
        "methods": expert.methods,
        "sectors": sorted(s.slug for s in expert.sectors.all()),
        "languages": list(expert.languages),
        "capacity_hours": expert.capacity_hours,
        "active": expert.active,
    }
    declared = list(expert.relationships.values_list("kind", "name")) if expert.pk else []
    for column, kind in RELATIONSHIPS.items():
        current[column] = sorted(name for k, name in declared if k == kind)
    changes = {}
    for key, before in current.items():
        after = values.get(key)
        if after is None:
            continue
        if key == "sectors" or key in RELATIONSHIPS:
            after = sorted(after)
        if key == "employer" and before and after.lower() == before.lower():
            continue
        if after != before:
            changes[key] = (before, after)
    return changes
