"""Turn an uploaded data set into the engine's form, pseudonymised, and check it.

Runs in a background job (it reads the whole file). The prepared cases table keeps only
the mapped columns; the people's identifiers (decision column names of a wide table, the
person column of a long decisions file) become pseudonyms under the scenario's key
(:mod:`humaine.human_ai.pseudonyms`). The engine's own data checks (``teaming.load_data``)
then run on the prepared tables; a problem tied to one feature column is recorded and the
check runs again without that column, so the user sees every such problem at once.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from teaming import DataError, DataWarning, TeamData, load_data

from .mapping import DECISION_COLUMNS, Mapping
from .problems import Problem, from_data_error
from .pseudonyms import pseudonym
from .tables import read_frame

__all__ = ["MIN_CASES", "Prepared", "check", "prepare", "summarise"]

MIN_CASES = 30
# A check stops after this many problems tied to single feature columns.
MAX_FEATURE_PROBLEMS = 20


@dataclass
class Prepared:
    """The prepared tables (None when they could not be built) and what the checks found."""

    cases: pd.DataFrame | None = None
    decisions: pd.DataFrame | None = None
    persons: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    summary: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems and self.cases is not None


def _read(path, kind, mapping: Mapping, sheet, source: str, columns=None):
    try:
        return read_frame(
            path, kind, sheet=sheet, read_options=mapping.table_read_options(), columns=columns
        ), None
    except DataError as exc:
        return None, from_data_error(exc, source=source)


def prepare(
    cases_path: Path | str,
    cases_kind: str,
    mapping: Mapping,
    key: bytes,
    decisions_path: Path | str | None = None,
    decisions_kind: str | None = None,
) -> Prepared:
    """Read, reduce to the mapped columns, pseudonymise, and run the engine's checks."""
    cases, problem = _read(cases_path, cases_kind, mapping, mapping.sheet, "cases")
    if problem:
        return Prepared(problems=[problem])
    decisions = None
    if mapping.decisions and decisions_path:
        decisions, problem = _read(
            decisions_path, decisions_kind, mapping, mapping.decisions_sheet, "decisions"
        )
        if problem:
            return Prepared(problems=[problem])
    decision_columns = None if decisions is None else [str(c) for c in decisions.columns]
    problems = mapping.problems([str(c) for c in cases.columns], decision_columns)
    if problems:
        return Prepared(problems=problems)
    cases = cases[mapping.case_columns].reset_index(drop=True)
    persons: list[str] = []
    if mapping.humans:
        cases, persons, problems = _pseudonymise_wide(cases, mapping.humans, key)
    elif decisions is not None:
        decisions, persons = _pseudonymise_long(decisions, mapping.decisions or {}, key)
    if problems:
        return Prepared(problems=problems)
    prepared = Prepared(cases=cases, decisions=decisions, persons=persons)
    data = check(prepared, mapping)
    if data is not None:
        keep_times(prepared, mapping, data)
    return prepared


def keep_times(prepared: Prepared, mapping: Mapping, data: TeamData) -> None:
    """Put the times the check read into the prepared cases table, so a build does not
    read (and detect the format of) every date again.

    A time column of text becomes the times the engine read (``datetime64``); numbers and
    times stay as they were. The reading options the engine detected for it (day first or
    month first) go into the table's ``read_options`` attribute, which is stored with the
    Parquet file and which the build's ``load_data`` reads back: the team keeps the same
    reading options as when it read the text itself.
    """
    cases = prepared.cases
    column = mapping.time
    if cases is None or not column or data.time is None or column not in cases:
        return
    values = cases[column]
    if pd.api.types.is_numeric_dtype(values) or pd.api.types.is_datetime64_any_dtype(values):
        return
    times = np.asarray(data.time)
    if not np.issubdtype(times.dtype, np.datetime64) or len(times) != len(cases):
        return
    options = dict(
        cases.attrs.get("read_options") or mapping.load_options().get("read_options") or {}
    )
    if data.read_options.get("dayfirst") is not None:
        options["dayfirst"] = data.read_options["dayfirst"]
    cases[column] = times.astype("datetime64[ns]")
    cases.attrs["read_options"] = options


def _pseudonymise_wide(
    cases: pd.DataFrame, humans: list[str], key: bytes
) -> tuple[pd.DataFrame, list[str], list[Problem]]:
    names = {column: pseudonym(key, column) for column in humans}
    taken: dict[str, str] = {}
    for column, name in names.items():
        if name in taken:
            # two columns for one person (e.g. "12" and "12.0")
            return (
                cases,
                [],
                [Problem("two_roles", column, params={"role": "humans", "other": "humans"})],
            )
        taken[name] = column
    return cases.rename(columns=names), list(names.values()), []


def _pseudonymise_long(
    decisions: pd.DataFrame, columns: dict[str, str], key: bytes
) -> tuple[pd.DataFrame, list[str]]:
    case, person, decision = columns["case"], columns["person"], columns["decision"]
    table = decisions[[case, person, decision]].copy()
    table.columns = list(DECISION_COLUMNS)
    people = table["person"]
    present = people.notna() & (people.astype(str).str.strip() != "")
    codes = {value: pseudonym(key, value) for value in people[present].astype(str).unique()}
    table["person"] = people.astype(str).map(codes).where(present, None)
    return table.reset_index(drop=True), sorted(set(codes.values()))


def check(prepared: Prepared, mapping: Mapping) -> TeamData | None:
    """Run the engine's checks on the prepared tables; fill problems, notes and summary."""
    assert prepared.cases is not None
    options = mapping.load_options(prepared.persons)
    dropped: list[str] = []
    for _ in range(MAX_FEATURE_PROBLEMS + 1):
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always", DataWarning)
                data = load_data(prepared.cases, decisions=prepared.decisions, **options)
        except DataError as exc:
            source = (
                "decisions" if prepared.decisions is not None and _about_decisions(exc) else "cases"
            )
            prepared.problems.append(from_data_error(exc, source=source))
            column = getattr(exc, "column", None)
            if column in options["features"] and len(options["features"]) > 1:
                options["features"] = [c for c in options["features"] if c != column]
                options["text_features"] = [c for c in options["text_features"] if c != column]
                dropped.append(column)
                continue
            return None
        prepared.notes += [str(w.message) for w in caught]
        break
    else:
        return None
    if prepared.problems:
        return None
    if data.n_cases < MIN_CASES:
        prepared.problems.append(
            Problem("too_few_cases", count=data.n_cases, params={"minimum": MIN_CASES})
        )
        return None
    prepared.summary = summarise(data)
    return data


def _about_decisions(exc: DataError) -> bool:
    text = str(exc)
    return text.startswith("decisions") or "decisions file" in text


def summarise(data: TeamData) -> dict[str, Any]:
    """Counts for the data set's page: cases, classes, people, decided cases per person."""
    classes, counts = np.unique(data.y, return_counts=True)
    labels = [str(data.classes_[int(c)]) for c in classes]
    decided = (data.H >= 0).sum(axis=0)
    summary: dict[str, Any] = {
        "n_cases": int(data.n_cases),
        "classes": labels,
        "class_counts": [int(c) for c in counts],
        "n_persons": int(data.n_persons),
        "decided": {p: int(n) for p, n in zip(data.persons, decided)},
        "n_decisions": int(decided.sum()),
        "features": {str(k): str(v) for k, v in data.feature_types.items()},
    }
    if data.time is not None and len(data.time):
        times = pd.to_datetime(pd.Series(data.time), errors="coerce").dropna()
        if len(times):
            summary["period"] = [times.min().date().isoformat(), times.max().date().isoformat()]
    return summary
