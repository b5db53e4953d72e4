"""Problems with a data set, each next to its column and rows, in the reader's language.

A problem is stored as a code with its parameters (:class:`Problem`), never as a sentence,
so the page shows it in the language of whoever reads it. The hub's own checks of a
mapping make problems directly; the engine's data checks raise ``teaming.DataError`` with
an English message, a column and the first rows, which :func:`from_data_error` turns into
the same codes (the engine's wording is kept as ``detail`` for what no code covers).
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

__all__ = ["Problem", "from_data_error", "message"]

TEMPLATES = {
    "missing_column": _("The column “%(column)s” named as %(role)s is not in the table."),
    "missing_decision_column": _(
        "The column “%(column)s” named as %(role)s is not in the decisions file."
    ),
    "no_target": _("Choose the column with the true outcome (the target)."),
    "two_roles": _("The column “%(column)s” is used twice: as %(role)s and as %(other)s."),
    "no_features": _("Choose at least one column the team may learn from (a feature)."),
    "decisions_twice": _(
        "Give the people's decisions either as columns or as a second file, not both."
    ),
    "id_for_long": _(
        "A decisions file needs the case id column, so that each decision finds its case."
    ),
    "decisions_file_missing": _("Upload the decisions file, or choose decision columns."),
    "one_class": _(
        "The target “%(column)s” has only one value (%(classes)s). A team needs cases with at "
        "least two different outcomes."
    ),
    "empty_target": _("The target “%(column)s” is empty in every row."),
    "target_missing_rows": _(
        "The target “%(column)s” is empty in %(count)s rows. Every case needs its true outcome: "
        "fill them or leave those rows out."
    ),
    "unknown_labels": _(
        "The column “%(column)s” holds values that are no outcome of the target: %(values)s "
        "(the target's outcomes are %(classes)s)."
    ),
    "empty_feature": _("The column “%(column)s” is empty in every row: leave it out or fill it."),
    "leak": _(
        "The column “%(column)s” gives away the true outcome (each of its values goes with one "
        "outcome). It is probably known only afterwards: leave it out of the features."
    ),
    "empty_decisions": _("The decision column “%(column)s” is empty in every row."),
    "decision_without_person": _(
        "%(count)s decisions in the decisions file have no person (column “%(column)s”)."
    ),
    "decided_twice": _(
        "%(count)s cases were decided twice by the same person. Keep one decision per case "
        "and person."
    ),
    "no_decision_matches": _(
        "None of the decisions matches a case: the case ids in the decisions file (column "
        "“%(column)s”) do not occur in the case id column of the table."
    ),
    "unknown_cases": _(
        "%(count)s decisions are for cases that are not in the table (for example %(values)s). "
        "Every decision must belong to a case of the table."
    ),
    "few_decisions": _(
        "%(count)s people decided fewer than %(minimum)s cases. A team learns a person's "
        "strengths only from enough decisions: lower the minimum or leave them out."
    ),
    "not_numeric": _(
        "The column “%(column)s” needs a number in every row; some are missing or text."
    ),
    "negative_cost": _("The cost column “%(column)s” holds negative costs."),
    "duplicate_ids": _("Case ids occur more than once in “%(column)s”; expected one row per case."),
    "decimal_values": _(
        "The column “%(column)s” holds values that are no numbers with the file's decimal mark: "
        "%(values)s."
    ),
    "decimal_conflict": _(
        "The column “%(column)s” writes numbers with a different decimal mark than the rest of the "
        "file. Choose the decimal mark below, and fix the column."
    ),
    "decimal_ambiguous": _(
        "The numbers in “%(column)s” read both with a decimal point and with a decimal comma. "
        "Choose the file's decimal mark below."
    ),
    "almost_numeric": _(
        "The column “%(column)s” holds numbers, but %(count)s values are words (%(values)s). "
        "Name them as 'no value' below, or fix them."
    ),
    "encoding": _(
        "The file has characters that are neither UTF-8 nor Windows-1252. Save it as UTF-8 "
        "(in Excel: CSV UTF-8) and upload it again."
    ),
    "date_ambiguous": _(
        "The dates in “%(column)s” read both day-first and month-first. Choose the date format "
        "below."
    ),
    "bad_times": _(
        "The time column “%(column)s” has %(count)s missing or unreadable dates. Give the date "
        "format below, or fix them."
    ),
    "unreadable": _("The file cannot be read as a table: %(detail)s"),
    "too_few_cases": _("The data set has only %(count)s cases; a team needs at least %(minimum)s."),
    "too_few_recorded": _(
        "Only %(count)s routed cases of the service have an outcome; a new run needs at least "
        "%(minimum)s (record outcomes through the API or on the cases' pages)."
    ),
    "rebuild_gone": _(
        "The service or the version to compare with no longer exists; start a new run from "
        "the service's page."
    ),
    "engine": _("The engine's data check found a problem: %(detail)s"),
}

ROLES = {
    "target": _("target"),
    "id": _("case id"),
    "feature": _("feature"),
    "features": _("feature"),
    "text_features": _("free text"),
    "humans": _("decision column"),
    "groups": _("group"),
    "group": _("group"),
    "time": _("time"),
    "cost": _("cost"),
    "case": _("case id of a decision"),
    "person": _("person"),
    "decision": _("decision"),
    "categorical": _("category"),
    "score": _("score"),
    "scores": _("score"),
}


# problems whose rows are the case ids the decisions name, not rows of a file
CASE_CODES = frozenset({"decided_twice", "unknown_cases", "no_decision_matches"})


@dataclass
class Problem:
    """One problem: a code from :data:`TEMPLATES`, its column and rows, its parameters."""

    code: str
    column: str | None = None
    rows: list[Any] = field(default_factory=list)
    count: int | None = None
    params: dict[str, Any] = field(default_factory=dict)
    source: str = "cases"  # or "decisions"
    detail: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Problem:
        return cls(**data)

    @property
    def message(self) -> str:
        return message(self)

    @property
    def rows_are_cases(self) -> bool:
        """Whether :attr:`rows` are case ids (problems of the decisions) rather than rows."""
        return self.code in CASE_CODES

    @property
    def rows_text(self) -> str:
        shown = ", ".join(str(r) for r in self.rows[:5])
        if self.count and self.count > len(self.rows[:5]):
            return f"{shown} … ({self.count})"
        return shown


def _role(value: Any) -> str:
    return str(ROLES.get(str(value), value))


def message(problem: Problem) -> str:
    """The problem as a sentence in the active language."""
    params = {"column": problem.column or "", "count": problem.count or 0, **problem.params}
    params["detail"] = problem.detail
    for key in ("role", "other"):
        if key in params:
            params[key] = _role(params[key])
    for key in ("column", "values", "classes"):
        if isinstance(params.get(key), list):
            params[key] = ", ".join(map(str, params[key]))
    template = TEMPLATES.get(problem.code, TEMPLATES["engine"])
    try:
        return str(template) % params
    except (KeyError, ValueError, TypeError):
        return str(TEMPLATES["engine"]) % {"detail": problem.detail or problem.code}


# ---------------------------------------------------------------- the engine's DataError

_COUNT = re.compile(r"\((\d+) in all\)")
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("missing_column", re.compile(r"^(?P<role>[\w ]+) column '.+' not found")),
    ("one_class", re.compile(r"^target column '.+' has only one class \((?P<classes>.*)\)")),
    ("empty_target", re.compile(r"^target column '.+' is empty in all")),
    ("target_missing_rows", re.compile(r"^target column '.+' is empty in rows")),
    ("unknown_labels", re.compile(r"labels (?P<values>\[.*?\]) are not among the target's")),
    ("empty_feature", re.compile(r"^feature column '.+' is empty in all")),
    ("leak", re.compile(r"determines the target exactly")),
    ("empty_decisions", re.compile(r"^decision column '.+' is empty in all")),
    ("decision_without_person", re.compile(r"^decisions column '.+' is empty in rows")),
    ("decided_twice", re.compile(r"^decisions: (?P<count>\d+) case\(s\) decided twice")),
    ("no_decision_matches", re.compile(r"^decisions: none of the")),
    ("unknown_cases", re.compile(r"^decisions: (?P<count>\d+) decision\(s\) for \d+ case id")),
    (
        "few_decisions",
        re.compile(
            r"^(?P<count>\d+) person\(s\) decided fewer than "
            r"min_person_cases=(?P<minimum>\d+)"
        ),
    ),
    ("negative_cost", re.compile(r"negative costs")),
    ("not_numeric", re.compile(r"missing or non-numeric values")),
    ("duplicate_ids", re.compile(r"case ids occur more than once")),
    ("decimal_values", re.compile(r"value\(s\) are not numbers written with decimal mark")),
    (
        "decimal_conflict",
        re.compile(
            r"(holds numbers written with decimal mark|writes numbers "
            r"with a decimal point)"
        ),
    ),
    ("decimal_ambiguous", re.compile(r"reads as .* with a decimal point and as")),
    ("almost_numeric", re.compile(r": (?P<count>\d+) of \d+ values are not numbers")),
    ("encoding", re.compile(r"(encoding|in neither UTF-8)")),
    ("date_ambiguous", re.compile(r"read both day-first and month-first")),
    ("bad_times", re.compile(r"^time column '.+': missing or unreadable times")),
    ("unreadable", re.compile(r"^cannot parse")),
]


def from_data_error(exc: Exception, *, source: str = "cases", row_offset: int = 1) -> Problem:
    """A :class:`Problem` for the engine's ``DataError`` (or any exception's message).

    Row labels of the table are shown counting from 1 (``row_offset``); rows of a decision
    problem are case ids and stay as they are.
    """
    text = str(exc)
    column = getattr(exc, "column", None)
    rows = list(getattr(exc, "rows", []) or [])
    count_match = _COUNT.search(text)
    count = int(count_match.group(1)) if count_match else (len(rows) or None)
    for code, pattern in _PATTERNS:
        found = pattern.search(text)
        if not found:
            continue
        params = {k: v for k, v in found.groupdict().items() if v is not None}
        if "count" in params:
            count = int(params.pop("count"))
        if code == "missing_column":
            params["role"] = params["role"].strip().split()[-1]
        by_case = code in CASE_CODES
        if code == "unknown_cases":
            params["values"] = ", ".join(map(str, rows[:3]))
        if by_case or source == "decisions":
            shown = rows
        else:
            shown = [r + row_offset if isinstance(r, int) else r for r in rows]
        if code == "almost_numeric":
            params["values"] = _quoted(text)
        return Problem(code, column, shown, count, params, source, detail=text)
    return Problem("engine", column, rows, count, {}, source, detail=text)


def _quoted(text: str) -> str:
    inside = re.search(r"values are not numbers \((.*?), rows", text)
    return inside.group(1) if inside else ""
