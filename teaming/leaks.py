"""Leaks: a feature that alone predicts the target almost perfectly.

A column recorded only after the decision (the final claim amount, the date a claim was
closed, a status set by the decision itself) makes the AI look nearly perfect on history and
useless on new cases, where the column is not known yet. :func:`find_leaks` measures, per
feature, how well the feature alone predicts the target on cases it was not counted on: the
feature's values are put into bins (quantiles of a number, the categories of a category,
one bin for missing values), each bin predicts its most frequent class on the other half of
the cases (a bin not seen there predicts the most frequent class overall), and the two
halves swap. A feature is reported when that accuracy is at least :data:`LEAK_ACCURACY` and
leaves at most :data:`LEAK_ERROR_SHARE` of the errors of always answering the most frequent
class (so a rare class cannot make a weak feature look perfect).

A feature that maps each of its values to exactly one class is refused outright by
:func:`teaming.load_data`; this finer check runs at fit time, warns (``leaks="warn"``) or
leaves the features out (``leaks="drop"``), and the model card lists what it found.

Examples
--------
>>> import numpy as np, pandas as pd
>>> from teaming import load_data
>>> rng = np.random.default_rng(0)
>>> df = pd.DataFrame({"a": rng.normal(size=500)})
>>> df["y"] = (df.a + rng.normal(size=500) > 0).astype(int)
>>> df["paid"] = np.where(df.y == 1, 0.0, rng.uniform(100, 900, 500))
>>> [leak["column"] for leak in find_leaks(load_data(df, target="y"))]
['paid']
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

__all__ = ["LEAK_ACCURACY", "LEAK_ERROR_SHARE", "LeakWarning", "describe_leak", "find_leaks"]


class LeakWarning(UserWarning):
    """A feature alone predicts the target almost perfectly (see :func:`find_leaks`).

    Examples
    --------
    >>> issubclass(LeakWarning, UserWarning)
    True
    """


# A feature alone right on at least this share of the cases ...
LEAK_ACCURACY = 0.98
# ... with at most this share of the errors of always answering the most frequent class.
LEAK_ERROR_SHARE = 0.2
# Quantile bins of a numeric feature; categories beyond this many count as one bin.
LEAK_BINS = 100
# Cases looked at at most (a random sample).
LEAK_MAX_CASES = 50_000
# Fewer cases with a known class than this: no check (too few to tell).
LEAK_MIN_CASES = 50


def _bins(values: pd.Series, kind: str) -> np.ndarray:
    """Bin index per case (0 = missing)."""
    if kind == "numeric":
        x = pd.to_numeric(values, errors="coerce").to_numpy(dtype=np.float64)
        known = np.isfinite(x)
        out = np.zeros(x.size, dtype=np.int64)
        if known.any():
            edges = np.unique(np.quantile(x[known], np.linspace(0, 1, LEAK_BINS + 1)[1:-1]))
            distinct = np.unique(x[known])
            if distinct.size <= LEAK_BINS:
                # few distinct values: each value its own bin
                out[known] = np.searchsorted(distinct, x[known]) + 1
            else:
                out[known] = np.searchsorted(edges, x[known], side="right") + 1
        return out
    text = values.astype("string")
    missing = text.isna().to_numpy()
    counts = text[~missing].value_counts()
    keep = {v: i + 1 for i, v in enumerate(counts.index[:LEAK_BINS])}
    other = len(keep) + 1
    out = np.array([keep.get(v, other) for v in text.fillna("").to_numpy()], dtype=np.int64)
    out[missing] = 0
    return out


def _holdout_accuracy(bins: np.ndarray, y: np.ndarray, half: np.ndarray, n_classes: int) -> float:
    """Accuracy of each bin's most frequent class, learned on one half, scored on the other."""
    n_bins = int(bins.max()) + 1
    overall = int(np.bincount(y, minlength=n_classes).argmax())
    right = 0
    for part in (False, True):
        learn, score = half == part, half != part
        table = np.zeros((n_bins, n_classes), dtype=np.int64)
        np.add.at(table, (bins[learn], y[learn]), 1)
        guess = np.where(table.sum(axis=1) > 0, table.argmax(axis=1), overall)
        right += int((guess[bins[score]] == y[score]).sum())
    return right / y.size


def find_leaks(data: Any, random_state: int = 0) -> list[dict[str, Any]]:
    """The features that alone predict the target almost perfectly.

    Parameters
    ----------
    data : TeamData
        The training cases.
    random_state : int
        Seed of the sample and the halves.

    Returns
    -------
    list of dict
        Per suspicious feature (strongest first): ``column``, ``accuracy`` (the feature
        alone, on cases it was not counted on) and ``base_rate`` (always answering the most
        frequent class). Text features are not checked.

    Examples
    --------
    See the module.
    """
    known = np.flatnonzero(data.y >= 0)
    if known.size < LEAK_MIN_CASES or len(data.classes_) < 2:
        return []
    rng = np.random.default_rng(random_state)
    if known.size > LEAK_MAX_CASES:
        known = np.sort(rng.choice(known, LEAK_MAX_CASES, replace=False))
    y = data.y[known]
    n_classes = len(data.classes_)
    base_rate = float(np.bincount(y, minlength=n_classes).max() / y.size)
    base_error = 1.0 - base_rate
    if base_error <= 0:
        return []
    half = rng.permutation(known.size) % 2 == 1
    found = []
    for col, kind in data.feature_types.items():
        if kind == "text":
            continue
        bins = _bins(data.X[col].iloc[known], kind)
        accuracy = _holdout_accuracy(bins, y, half, n_classes)
        if accuracy >= LEAK_ACCURACY and 1.0 - accuracy <= LEAK_ERROR_SHARE * base_error:
            found.append({"column": str(col), "accuracy": accuracy, "base_rate": base_rate})
    return sorted(found, key=lambda leak: -leak["accuracy"])


def describe_leak(leak: dict[str, Any], language: str = "en") -> str:
    """One sentence about a suspected leak.

    Parameters
    ----------
    leak : dict
        One item of :func:`find_leaks` (``dropped`` too when the team left it out).
    language : {"en", "de"}

    Returns
    -------
    str

    Examples
    --------
    >>> describe_leak({"column": "paid", "accuracy": 0.999, "base_rate": 0.5}, "de")[:26]
    'Merkmal paid sagt allein 9'
    """
    acc = 100 * leak["accuracy"]
    base = 100 * leak["base_rate"]
    col = leak["column"]
    if language == "de":
        acc_de, base_de = f"{acc:.1f}".replace(".", ","), f"{base:.1f}".replace(".", ",")
        text = (
            f"Merkmal {col} sagt allein {acc_de} % der Fälle richtig voraus (häufigste Klasse: "
            f"{base_de} %): vermutlich ein Leck, ein Wert, der erst nach der Entscheidung "
            "bekannt ist"
        )
        return text + (
            "; es wurde weggelassen."
            if leak.get("dropped")
            else "; ist er bei neuen Fällen nicht bekannt, mit leaks='drop' "
            "(--leaks drop) weglassen."
        )
    text = (
        f"feature {col} alone predicts {acc:.1f} % of the cases correctly (most frequent "
        f"class: {base:.1f} %): probably a leak, a value known only after the decision"
    )
    return text + (
        "; it was left out."
        if leak.get("dropped")
        else "; if it is not known for new cases, leave it out with leaks='drop' (--leaks drop)."
    )
