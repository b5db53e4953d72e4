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

    def check(self, X: pd.DataFrame) -> tuple[np.ndarray, list[list[dict[str, Any]]]]:
        """Which cases are unusual, and why.

        Parameters
        ----------
        X : pandas.DataFrame
            Cases with the training features.

        Returns
        -------
        (numpy.ndarray of bool, list of list of dict)
            The flags, and per case its reasons: ``{"kind": "unseen_category", "column",
            "value"}``, ``{"kind": "out_of_range", "column", "value", "low", "high"}`` or
            ``{"kind": "missing", "share", "limit"}``. Read them, do not change them: the
            usual cases share one empty list.
        """
        n = len(X)
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
        frame = pd.DataFrame({c: [case.get(c)] for c in self.feature_types})
        return self.check(frame)[1][0]


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
