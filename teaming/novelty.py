"""What the team has not seen: cases unlike the training data, and why.

A case is *unusual* when it has a category no training case had, many more missing values
than training cases had, or a number far outside the range of the training values. Such a
case goes to a person by default (see :class:`teaming.HumanAITeam`'s ``unusual_cases``),
and the AI's confidence on it is flattened: a model is often most confident exactly where
it has seen nothing (an unseen category falls into whatever branch its codes lead to).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from .single_case import FAST_MAX_ROWS, few_columns

__all__ = ["NoveltyProfile", "describe_reason", "flatten_confidence"]

# a number is far outside when it lies this many training ranges (0.1 % to 99.9 %) beyond it
_RANGE_MARGIN = 0.5
# categories remembered per column; a column with more distinct values is not checked
_MAX_CATEGORIES = 10_000
# temperature applied to the AI's probabilities on unusual cases (keeps the decided class)
UNUSUAL_TEMPERATURE = 2.0


def _key(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float | np.floating):
        if np.isnan(value):
            return None
        if float(value).is_integer():
            return str(int(value))
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return str(value).strip()


class NoveltyProfile:
    """What the training cases looked like, to say which new cases are unlike them.

    Parameters
    ----------
    feature_types : dict
        ``{column: "numeric" | "categorical" | "text"}``.
    missing_share : float
        A case is unusual when more than this share of its features is missing and more
        than in 99 % of the training cases.
    read_options : dict, optional
        The team's reading options: numbers given as text are read with them.

    Attributes
    ----------
    ranges_ : dict
        Per numeric column ``(low, high)``: its 0.1 % and 99.9 % training quantiles.
    categories_ : dict
        Per categorical column, the values seen in training, sorted (None: too many to
        check).
    missing_limit_ : float
        The share of missing features above which a case is unusual.

    Examples
    --------
    >>> import pandas as pd
    >>> train = pd.DataFrame({"amount": [10.0, 20, 30, 40], "kind": ["Glas", "Sturm"] * 2})
    >>> profile = NoveltyProfile({"amount": "numeric", "kind": "categorical"}).fit(train)
    >>> flags, reasons = profile.check(pd.DataFrame({"amount": [25.0, 900], "kind": ["Hagel",
    ...                                               "Glas"]}))
    >>> flags.tolist(), [r["kind"] for r in reasons[0]], [r["kind"] for r in reasons[1]]
    ([True, True], ['unseen_category'], ['out_of_range'])
    """

    def __init__(
        self,
        feature_types: dict[str, str],
        missing_share: float = 0.5,
        read_options: dict[str, Any] | None = None,
    ) -> None:
        self.feature_types = dict(feature_types)
        self.missing_share = missing_share
        self.read_options = read_options

    def _numbers(self, values: pd.Series, column: str) -> np.ndarray:
        from .reading import numbers_as_trained

        return numbers_as_trained(values, column, self.read_options).astype(np.float64)

    def fit(self, X: pd.DataFrame) -> NoveltyProfile:
        """Learn ranges, categories and missing shares from the training cases.

        Parameters
        ----------
        X : pandas.DataFrame
            Training cases (features).

        Returns
        -------
        NoveltyProfile
            ``self``.
        """
        self.ranges_: dict[str, tuple[float, float]] = {}
        self.categories_: dict[str, list[str] | None] = {}
        for col, kind in self.feature_types.items():
            values = X[col]
            if kind == "numeric":
                numbers = self._numbers(values, col)
                numbers = numbers[np.isfinite(numbers)]
                if numbers.size:
                    low, high = np.quantile(numbers, [0.001, 0.999])
                    self.ranges_[col] = (float(low), float(high))
            elif kind == "categorical":
                seen = {k for k in map(_key, values.dropna().unique()) if k is not None}
                self.categories_[col] = sorted(seen) if len(seen) <= _MAX_CATEGORIES else None
        share = self._missing(X)
        limit = float(np.quantile(share, 0.99)) if share.size else 0.0
        self.missing_limit_ = max(self.missing_share, limit)
        return self

    def _missing(self, X: pd.DataFrame, numbers: dict[str, np.ndarray] | None = None) -> np.ndarray:
        """Each case's share of empty features (``numbers``: numeric columns already read)."""
        if not self.feature_types:
            return np.zeros(len(X))
        numbers = {} if numbers is None else numbers
        empty = np.zeros(len(X), dtype=np.int64)
        for col, kind in self.feature_types.items():
            if kind == "numeric":
                values = numbers[col] if col in numbers else self._numbers(X[col], col)
                empty += np.isnan(values)
            else:
                text = X[col].astype("string").str.strip()
                empty += X[col].isna().to_numpy() | (text == "").fillna(True).to_numpy(dtype=bool)
        return empty / len(self.feature_types)

    def check(
        self, X: pd.DataFrame, columns: dict[str, list[Any]] | None = None
    ) -> tuple[np.ndarray, list[list[dict[str, Any]]]]:
        """Which cases are unusual, and why.

        Parameters
        ----------
        X : pandas.DataFrame
            Cases with the training features.
        columns : dict, optional
            For a few cases: ``few_columns(X, self.feature_types)`` already taken
            (:func:`~teaming.single_case.few_columns`).

        Returns
        -------
        (numpy.ndarray of bool, list of list of dict)
            The flags, and per case its reasons: ``{"kind": "unseen_category", "column",
            "value"}``, ``{"kind": "out_of_range", "column", "value", "low", "high"}`` or
            ``{"kind": "missing", "share", "limit"}``. Read them, do not change them: the
            usual cases share one empty list.
        """
        n = len(X)
        few = self._check_few(X, columns) if n <= FAST_MAX_ROWS else None
        if few is not None:
            return np.array([bool(r) for r in few], dtype=bool), few
        # lists only for the unusual cases; every usual case shares one empty list
        found: dict[int, list[dict[str, Any]]] = {}
        numbers: dict[str, np.ndarray] = {}  # numeric columns read once, for both checks
        for col, known in self.categories_.items():
            if known is None or col not in X.columns:
                continue
            seen = set(known)
            keys = [_key(v) for v in X[col].to_numpy(dtype=object)]
            for i, key in enumerate(keys):
                if key is not None and key not in seen:
                    found.setdefault(i, []).append(
                        {"kind": "unseen_category", "column": col, "value": key}
                    )
        for col, (low, high) in self.ranges_.items():
            if col not in X.columns:
                continue
            values = numbers[col] = self._numbers(X[col], col)
            margin = _RANGE_MARGIN * max(high - low, abs(high), abs(low), 1e-12)
            with np.errstate(invalid="ignore"):
                far = (values < low - margin) | (values > high + margin)
            for i in np.flatnonzero(far).tolist():
                found.setdefault(i, []).append(
                    {
                        "kind": "out_of_range",
                        "column": col,
                        "value": float(values[i]),
                        "low": low,
                        "high": high,
                    }
                )
        share = self._missing(X.reindex(columns=list(self.feature_types)), numbers)
        for i in np.flatnonzero(share > self.missing_limit_).tolist():
            found.setdefault(i, []).append(
                {"kind": "missing", "share": float(share[i]), "limit": self.missing_limit_}
            )
        none: list[dict[str, Any]] = []
        reasons = [none] * n
        flags = np.zeros(n, dtype=bool)
        for i, items in found.items():
            reasons[i] = items
            flags[i] = True
        return flags, reasons

    def check_one(self, case: Mapping[str, Any]) -> list[dict[str, Any]]:
        """The reasons one case (a mapping of column values) is unusual; empty if none.

        Examples
        --------
        >>> import pandas as pd
        >>> train = pd.DataFrame({"kind": ["Glas", "Sturm"]})
        >>> NoveltyProfile({"kind": "categorical"}).fit(train).check_one({"kind": "Glas"})
        []
        """
        reasons = self._check_one_fast(case)
        if reasons is None:
            frame = pd.DataFrame({c: [case.get(c)] for c in self.feature_types})
            reasons = self.check(frame)[1][0]
        return reasons

    def _check_few(
        self, X: pd.DataFrame, columns: dict[str, list[Any]] | None = None
    ) -> list[list[dict[str, Any]]] | None:
        """:meth:`check` of a few cases row by row without pandas, or None when a column
        needs pandas to be read the same way (text in a numeric column, numpy scalars).
        ``columns``: the frame's columns from :func:`~teaming.single_case.few_columns`."""
        if columns is None or any(
            col in X.columns and col not in columns for col in self.feature_types
        ):
            columns = few_columns(X, self.feature_types)
            if columns is None:
                return None
        out: list[list[dict[str, Any]]] = []
        for i in range(len(X)):
            reasons = self._check_one_fast(
                {col: columns[col][i] for col in self.feature_types if col in columns}
            )
            if reasons is None:
                return None
            out.append(reasons)
        return out

    def _lookups(self) -> tuple[dict[str, frozenset[str]], list[tuple[str, float, float, float]]]:
        """Known categories as sets and each range with its margin (built once, not saved)."""
        cached = self.__dict__.get("_lookups_cache")
        if cached is None:
            known = {
                col: frozenset(cats) for col, cats in self.categories_.items() if cats is not None
            }
            ranges = [
                (col, low, high, _RANGE_MARGIN * max(high - low, abs(high), abs(low), 1e-12))
                for col, (low, high) in self.ranges_.items()
            ]
            cached = self.__dict__["_lookups_cache"] = (known, ranges)
        return cached

    def _check_one_fast(self, case: Mapping[str, Any]) -> list[dict[str, Any]] | None:
        """:meth:`check` of the one-row frame of ``case`` without pandas, or None where a
        value needs pandas to be read the same way (text in a numeric column, other types)."""
        numbers: dict[str, float] = {}
        keys: dict[str, str | None] = {}
        empty = 0
        for col, kind in self.feature_types.items():
            value = case.get(col)
            if isinstance(value, np.generic):
                # a one-row frame holds it in a column of its dtype, read back as Python
                value = value.item()
            if value is not None and not isinstance(value, str | int | float):
                return None
            if isinstance(value, int) and abs(value) >= 2**63:
                return None  # beyond int64: the frame holds it as objects
            if kind == "numeric":
                if isinstance(value, str):
                    return None
                # read as float32, as the frame path does (numbers_as_trained)
                number = float("nan") if value is None else float(np.float32(value))
                numbers[col] = number
                empty += number != number
                continue
            keys[col] = key = _key(value)
            if isinstance(value, str):
                stripped = value.strip()
                if not stripped and value.strip(" \t\n\r\x0b\x0c"):
                    return None  # only unusual whitespace: let pandas decide as before
                empty += not stripped
            else:
                empty += key is None
        known, ranges = self._lookups()
        found: list[dict[str, Any]] = []
        for col, seen in known.items():
            key = keys.get(col)
            if key is not None and key not in seen:
                found.append({"kind": "unseen_category", "column": col, "value": key})
        for col, low, high, margin in ranges:
            value = numbers.get(col)
            if value is not None and (value < low - margin or value > high + margin):
                reason = {"kind": "out_of_range", "column": col, "value": value}
                found.append({**reason, "low": low, "high": high})
        share = empty / len(self.feature_types) if self.feature_types else 0.0
        if share > self.missing_limit_:
            found.append({"kind": "missing", "share": share, "limit": self.missing_limit_})
        return found

    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        state.pop("_lookups_cache", None)
        return state


def flatten_confidence(P: np.ndarray, unusual: np.ndarray) -> np.ndarray:
    """The AI's probabilities with unusual cases' flattened (temperature 2; same decision).

    Parameters
    ----------
    P : numpy.ndarray of shape (n_cases, n_classes)
        Calibrated probabilities.
    unusual : numpy.ndarray of bool
        Which cases are unusual.

    Returns
    -------
    numpy.ndarray

    Examples
    --------
    >>> import numpy as np
    >>> flatten_confidence(np.array([[0.18, 0.82]]), np.array([True])).round(2).tolist()
    [[0.32, 0.68]]
    """
    if not np.any(unusual):
        return P
    out = np.array(P, dtype=np.float64, copy=True)
    flat = np.clip(out[unusual], 1e-12, 1.0) ** (1.0 / UNUSUAL_TEMPERATURE)
    out[unusual] = flat / flat.sum(axis=1, keepdims=True)
    return out


def _number(value: float, language: str) -> str:
    text = f"{value:,.4g}" if abs(value) < 1e6 else f"{value:,.0f}"
    if language == "de":
        text = text.replace(",", "_").replace(".", ",").replace("_", ".")
    return text


def describe_reason(reason: dict[str, Any], language: str = "en") -> str:
    """One reason as a phrase in English or German.

    Examples
    --------
    >>> describe_reason({"kind": "unseen_category", "column": "kind", "value": "Hagel"}, "de")
    "kind = 'Hagel' kam in den Trainingsdaten nicht vor"
    """
    kind = reason["kind"]
    if kind == "unseen_category":
        if language == "de":
            return f"{reason['column']} = {reason['value']!r} kam in den Trainingsdaten nicht vor"
        return f"{reason['column']} = {reason['value']!r} never occurred in the training data"
    if kind == "out_of_range":
        value, low, high = (_number(reason[k], language) for k in ("value", "low", "high"))
        if language == "de":
            return (
                f"{reason['column']} = {value} liegt weit außerhalb der Trainingswerte "
                f"({low} bis {high})"
            )
        return (
            f"{reason['column']} = {value} lies far outside the training values ({low} to {high})"
        )
    share, limit = round(100 * reason["share"]), round(100 * reason["limit"])
    if language == "de":
        return f"{share} % der Merkmale fehlen (in den Trainingsdaten höchstens {limit} %)"
    return f"{share} % of the features are missing (training cases: at most {limit} %)"
