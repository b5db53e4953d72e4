"""Reading uploaded tables: a preview from the first rows, and the whole table in a job.

The web process only ever reads a sample (:func:`preview`): the first megabyte of a CSV
file, the first row group batch of a Parquet file, the first rows of a workbook's sheet.
The whole table is read by a background job (:func:`read_frame`), which converts it into
the engine's form. CSV files are read by the engine's own reader (``teaming.read_table``),
so the preview detects decimal commas, separators and encodings exactly as the engine will.
"""

from __future__ import annotations

import math
import re
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from teaming import DataError, read_table

from .uploads import CSV, PARQUET, XLSX

__all__ = ["Column", "Preview", "describe", "preview", "read_frame", "suggest_mapping"]

SAMPLE_BYTES = 1024 * 1024
SAMPLE_ROWS = 2000
PREVIEW_ROWS = 20
# A string column whose values are this long on average (or this many words) is free text.
TEXT_MIN_CHARS = 40
TEXT_MIN_WORDS = 6
_DATE = re.compile(
    r"^\s*(\d{4}-\d{1,2}-\d{1,2}([ T]\d{1,2}:\d{2}(:\d{2})?)?|\d{1,2}[./]\d{1,2}[./]\d{2,4}"
    r"( \d{1,2}:\d{2}(:\d{2})?)?)\s*$"
)


@dataclass
class Column:
    """One column as the sample shows it."""

    name: str
    kind: str  # number, category, text, date, empty
    missing: float  # share of empty values in the sample
    distinct: int
    unique: bool  # every sampled value present and different (a case id?)
    values: list[str] = field(default_factory=list)  # up to 12 distinct values, for small sets
    examples: list[str] = field(default_factory=list)


@dataclass
class Preview:
    """What the first rows of a file say."""

    kind: str
    columns: list[Column]
    rows: list[list[str]]
    n_rows: int
    n_rows_exact: bool
    read_options: dict[str, Any] = field(default_factory=dict)
    sheets: list[str] = field(default_factory=list)
    warning: str = ""

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Preview:
        columns = [Column(**c) for c in data.get("columns", [])]
        return cls(**{**data, "columns": columns})


# ----------------------------------------------------------------------------- reading


def _csv_sample(path: Path) -> tuple[Path, int, bool]:
    """A temporary file with the first whole lines of ``path``; its size and whether it is all."""
    with open(path, "rb") as handle:
        data = handle.read(SAMPLE_BYTES + 1)
    complete = len(data) <= SAMPLE_BYTES
    if not complete:
        data = data[: data.rfind(b"\n") + 1] or data[:SAMPLE_BYTES]
    sample = Path(tempfile.mkstemp(suffix=".csv", prefix="humaine-sample-")[1])
    sample.write_bytes(data)
    return sample, len(data), complete


def _csv_preview(path: Path, read_options: dict[str, Any]) -> tuple[pd.DataFrame, int, bool, dict]:
    sample, sample_bytes, complete = _csv_sample(path)
    try:
        frame = read_table(sample, **read_options)
        used = dict(frame.attrs.get("read_options") or {})
    finally:
        sample.unlink(missing_ok=True)
    if complete:
        return frame, len(frame), True, used
    per_row = sample_bytes / max(len(frame), 1)
    return frame, int(path.stat().st_size / per_row), False, used


def _parquet_preview(path: Path) -> tuple[pd.DataFrame, int, bool]:
    import pyarrow.parquet as pq

    parquet = pq.ParquetFile(path)
    batch = next(parquet.iter_batches(batch_size=SAMPLE_ROWS), None)
    frame = parquet.schema_arrow.empty_table().to_pandas() if batch is None else batch.to_pandas()
    return frame, parquet.metadata.num_rows, True


def _sheet(workbook, sheet: str | None):
    if sheet:
        if sheet not in workbook.sheetnames:
            raise DataError(f"the workbook has no sheet {sheet!r}; it has {workbook.sheetnames}")
        return workbook[sheet]
    return workbook[workbook.sheetnames[0]]


def _header(cells: tuple) -> list[str]:
    names = []
    for i, value in enumerate(cells):
        name = "" if value is None else str(value).strip()
        names.append(name or f"column_{i + 1}")
    return names


def _xlsx_preview(path: Path, sheet: str | None) -> tuple[pd.DataFrame, int, bool, list[str]]:
    from openpyxl import load_workbook

    handle = open(path, "rb")  # noqa: SIM115 - closed below; a handle skips openpyxl's suffix check
    workbook = load_workbook(handle, read_only=True, data_only=True)
    try:
        worksheet = _sheet(workbook, sheet)
        rows = worksheet.iter_rows(values_only=True)
        header = _header(next(rows, ()))
        body = []
        for row in rows:
            if len(body) >= SAMPLE_ROWS:
                break
            body.append(list(row[: len(header)]) + [None] * (len(header) - len(row)))
        n_rows = max((worksheet.max_row or 1) - 1, len(body))
        sheets = list(workbook.sheetnames)
    finally:
        workbook.close()
        handle.close()
    frame = pd.DataFrame(body, columns=header).convert_dtypes(dtype_backend="numpy_nullable")
    return _numbers_first(frame), n_rows, len(body) >= n_rows, sheets


def _numbers_first(frame: pd.DataFrame) -> pd.DataFrame:
    """Mixed object columns of a workbook as numbers where every value is one."""
    for column in frame.columns:
        if frame[column].dtype == object:
            converted = pd.to_numeric(frame[column], errors="coerce")
            if converted.notna().sum() == frame[column].notna().sum():
                frame[column] = converted
            else:
                frame[column] = frame[column].map(lambda v: None if v is None else str(v))
    return frame


def preview(
    path: Path | str,
    kind: str,
    *,
    sheet: str | None = None,
    read_options: dict[str, Any] | None = None,
) -> Preview:
    """The first rows of the file at ``path`` and its detected columns.

    Raises :class:`teaming.DataError` when even the sample cannot be read.
    """
    path = Path(path)
    options = {k: v for k, v in (read_options or {}).items() if v not in (None, "")}
    sheets: list[str] = []
    used: dict[str, Any] = {}
    if kind == CSV:
        frame, n_rows, exact, used = _csv_preview(path, options)
    elif kind == PARQUET:
        frame, n_rows, exact = _parquet_preview(path)
    elif kind == XLSX:
        frame, n_rows, exact, sheets = _xlsx_preview(path, sheet)
    else:
        raise DataError(f"cannot read files of kind {kind!r}")
    frame.columns = [str(c) for c in frame.columns]
    if frame.columns.duplicated().any():
        twice = sorted(set(frame.columns[frame.columns.duplicated()]))
        raise DataError(f"column names occur more than once: {twice}", column=twice[0])
    rows = [[_cell(v) for v in row] for row in frame.head(PREVIEW_ROWS).itertuples(index=False)]
    return Preview(
        kind=kind,
        columns=describe(frame),
        rows=rows,
        n_rows=int(n_rows),
        n_rows_exact=bool(exact),
        read_options=_plain_options(used),
        sheets=sheets,
    )


def _plain_options(used: dict[str, Any]) -> dict[str, Any]:
    keep = ("sep", "encoding", "decimal", "thousands", "dayfirst", "date_format")
    return {k: used.get(k) for k in keep if used.get(k) not in (None, "", [])}


def _cell(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return ""
    if isinstance(value, float):
        # every digit as read (``:g`` kept six: 18745.74 showed as 18745.7, 1234567 as
        # 1.23457e+06); whole numbers without ".0"
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    return str(value)[:200]


def read_frame(
    path: Path | str,
    kind: str,
    *,
    sheet: str | None = None,
    read_options: dict[str, Any] | None = None,
    columns: list[str] | None = None,
) -> pd.DataFrame:
    """The whole table (in a background job, never in the web process)."""
    path = Path(path)
    options = {k: v for k, v in (read_options or {}).items() if v not in (None, "")}
    if kind == CSV:
        frame = read_table(path, **options)
    elif kind == PARQUET:
        frame = pd.read_parquet(path, columns=columns)
    elif kind == XLSX:
        frame = _read_xlsx(path, sheet)
    else:
        raise DataError(f"cannot read files of kind {kind!r}")
    frame.columns = [str(c) for c in frame.columns]
    if columns is not None:
        missing = [c for c in columns if c not in frame.columns]
        if missing:
            raise DataError(f"column {missing[0]!r} not found", column=missing[0])
        frame = frame[columns]
    return frame


def _read_xlsx(path: Path, sheet: str | None) -> pd.DataFrame:
    from openpyxl import load_workbook

    handle = open(path, "rb")  # noqa: SIM115 - closed below
    workbook = load_workbook(handle, read_only=True, data_only=True)
    try:
        rows = _sheet(workbook, sheet).iter_rows(values_only=True)
        header = _header(next(rows, ()))
        width = len(header)
        body = [list(row[:width]) + [None] * (width - len(row)) for row in rows]
    finally:
        workbook.close()
        handle.close()
    body = [row for row in body if any(v is not None for v in row)]
    return _numbers_first(pd.DataFrame(body, columns=header))


# ---------------------------------------------------------------------------- columns


def _looks_like_dates(values: pd.Series) -> bool:
    text = values.astype(str)
    return bool(len(text)) and text.map(lambda v: bool(_DATE.match(v))).mean() >= 0.95


def _kind(values: pd.Series) -> str:
    present = values.dropna()
    if present.empty:
        return "empty"
    if pd.api.types.is_bool_dtype(values):
        return "category"
    if pd.api.types.is_datetime64_any_dtype(values):
        return "date"
    if pd.api.types.is_numeric_dtype(values):
        return "number"
    text = present.astype(str)
    if _looks_like_dates(text):
        return "date"
    long_text = text.str.len().mean() >= TEXT_MIN_CHARS
    wordy = text.str.split().str.len().mean() >= TEXT_MIN_WORDS
    if (long_text or wordy) and text.nunique() > 0.3 * len(text):
        return "text"
    return "category"


def describe(frame: pd.DataFrame) -> list[Column]:
    """Each column's kind, empty share and distinct values in the sample."""
    out = []
    for name in frame.columns:
        values = frame[name]
        present = values.dropna()
        if pd.api.types.is_string_dtype(values) or values.dtype == object:
            present = present[present.astype(str).str.strip() != ""]
        distinct = present.astype(str).unique()
        missing = 1.0 - len(present) / len(values) if len(values) else 0.0
        out.append(
            Column(
                name=str(name),
                kind=_kind(values),
                missing=round(float(missing), 4),
                distinct=int(len(distinct)),
                unique=bool(len(values)) and missing == 0 and len(distinct) == len(values),
                values=sorted(map(str, distinct))[:12] if len(distinct) <= 12 else [],
                examples=[_cell(v) for v in list(distinct[:3])],
            )
        )
    return out


# --------------------------------------------------------------------------- suggestions

_NAMES = {
    "id": r"^(id|.*_id|case|case_?no|fall|fall_?nr|fallnummer|nr|nummer|key|schlüssel|vorgang.*)$",
    "target": r"^(target|outcome|label|truth|ground_?truth|y|class|result|ergebnis|korrekt|"
    r"richtig|berechtigt|justified|diagnosis|diagnose|defect|defekt|fraud|betrug)$",
    "time": r"^(time|date|datum|zeit|received|eingang|created|erstellt|timestamp)$",
    "cost": r"^(cost|costs|kosten|error_?cost|fehlerkosten)$",
    "groups": r"^(region|gender|geschlecht|sex|group|gruppe|age_?group|altersgruppe|"
    r"department|abteilung|site|standort|branch|filiale|nationality|nationalität|linie|line)$",
    "case": r"^(case|case_?id|fall|fall_?id|fall_?nr|id)$",
    "person": r"^(person|person_?id|user|clerk|handler|reviewer|rater|bearbeiter.*|"
    r"sachbearbeiter.*|name|mitarbeiter.*|employee)$",
    "decision": r"^(decision|entscheidung|answer|antwort|label|vote|urteil)$",
}


_SENSITIVE = r"^(gender|geschlecht|sex|nationality|nationalität|religion|ethnicity|herkunft)$"


def _named(column: Column, role: str) -> bool:
    return bool(re.match(_NAMES[role], column.name.strip().lower()))


def suggest_mapping(columns: list[Column]) -> dict[str, Any]:
    """A first guess at each column's role, for the user to correct."""
    by_name = {c.name: c for c in columns}
    id_col = next((c.name for c in columns if _named(c, "id") and c.unique), None)
    target = next((c.name for c in columns if _named(c, "target") and 2 <= c.distinct <= 20), None)
    time = next((c.name for c in columns if c.kind == "date"), None)
    cost = next((c.name for c in columns if _named(c, "cost") and c.kind == "number"), None)
    groups = [c.name for c in columns if _named(c, "groups") and c.kind == "category"]
    humans = []
    if target:
        classes = set(by_name[target].values)
        for c in columns:
            if c.name == target or not c.values or c.kind not in {"category", "number"}:
                continue
            if set(c.values) <= classes and c.missing > 0:
                humans.append(c.name)
    # a protected attribute is a group for fairness figures, never something to learn from
    sensitive = {g for g in groups if re.match(_SENSITIVE, g.strip().lower())}
    taken = {id_col, target, time, cost, *sensitive, *humans}
    text = [c.name for c in columns if c.kind == "text" and c.name not in taken]
    features = [
        c.name for c in columns if c.name not in taken and c.name not in text and c.kind != "empty"
    ]
    return {
        "id": id_col,
        "target": target,
        "features": features,
        "text_features": text,
        "humans": humans,
        "groups": groups,
        "time": time,
        "cost": cost,
    }


def suggest_decision_columns(columns: list[Column]) -> dict[str, str | None]:
    """A first guess at the case, person and decision columns of a long decisions file."""

    def first(role: str) -> str | None:
        return next((c.name for c in columns if _named(c, role)), None)

    names = [c.name for c in columns]
    guess = {"case": first("case"), "person": first("person"), "decision": first("decision")}
    if not all(guess.values()) and len(names) == 3:
        return dict(zip(("case", "person", "decision"), names))
    return guess
