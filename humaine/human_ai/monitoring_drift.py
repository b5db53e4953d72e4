"""Drift of a service's inputs against the training data: one reference per deployed
version, compared with the inputs of the recently routed cases.

The reference (:class:`MonitoringReference`) is the training rows' distribution of each
input, computed once per version and kept compactly: the deciles of a number with the share
of each bin, the shares of a category's (up to 30 most common) values, and the share of
missing values. Runs built since the profile exists wrote it from their training rows
(``profile.json``); for older runs it is computed from the data set's prepared table.

Each input is compared with the **population stability index** (PSI): the sum over the
bins of ``(recent - reference) * ln(recent / reference)``, with the missing values as one
more bin and shares floored at 0.0001. Below 0.1 a distribution is commonly taken as
stable, 0.1 to 0.25 as moved, above 0.25 as shifted. A category value the training data
did not have is counted (``unseen``) and goes in the bin of other values.

>>> ref = profile_of({"x": [float(i) for i in range(100)]}, {"x": "numeric"})
>>> same = compare(ref, {"x": [float(i) for i in range(0, 100, 2)]})
>>> moved = compare(ref, {"x": [float(i) + 50 for i in range(100)]})
>>> same["x"].psi < 0.1 < 0.25 < moved["x"].psi
True
>>> ref = profile_of({"k": ["a"] * 50 + ["b"] * 50}, {"k": "categorical"})
>>> d = compare(ref, {"k": ["a"] * 40 + ["b"] * 50 + ["c"] * 10})
>>> d["k"].unseen, d["k"].unseen_values
(10, ['c'])
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

__all__ = [
    "FLOOR",
    "MIN_RECENT",
    "RECENT_CASES",
    "Drift",
    "compare",
    "drift_of",
    "profile_of",
    "psi",
    "reference_for",
]

FLOOR = 1e-4
# the drift compares the latest this many cases of the window (a bounded read)
RECENT_CASES = 5000
# and says nothing with fewer
MIN_RECENT = 30
STABLE, SHIFTED = 0.1, 0.25
MAX_UNSEEN_SHOWN = 10


@dataclass
class Drift:
    column: str
    kind: str
    psi: float
    n: int
    missing: float = 0.0
    reference_missing: float = 0.0
    unseen: int = 0
    unseen_values: list[str] = field(default_factory=list)
    # numeric: the means now and in training
    mean: float | None = None
    reference_mean: float | None = None

    @property
    def level(self) -> str:
        if self.psi >= SHIFTED:
            return "shifted"
        return "moved" if self.psi >= STABLE else "stable"


def psi(expected: Iterable[float], actual: Iterable[float]) -> float:
    """The population stability index of two distributions over the same bins."""
    total = 0.0
    for e, a in zip(expected, actual, strict=True):
        e, a = max(float(e), FLOOR), max(float(a), FLOOR)
        total += (a - e) * math.log(a / e)
    return round(total, 6)


def profile_of(columns: Mapping[str, list], kinds: Mapping[str, str]) -> dict[str, Any]:
    """The reference of plain columns (lists), as :func:`fitting.feature_profile` makes it."""
    import pandas as pd

    from .fitting import feature_profile

    return feature_profile(pd.DataFrame(dict(columns)), dict(kinds))


def _is_missing(value) -> bool:
    return value is None or value == "" or (isinstance(value, float) and math.isnan(value))


def _numeric(reference: dict, values: list, column: str) -> Drift:
    import numpy as np

    present, missing = [], 0
    for v in values:
        if _is_missing(v):
            missing += 1
            continue
        try:
            number = float(v)
        except (TypeError, ValueError):
            missing += 1
            continue
        if math.isfinite(number):
            present.append(number)
        else:
            missing += 1
    n = len(values)
    edges = np.asarray(reference["edges"], dtype=float)
    counts = np.bincount(
        np.searchsorted(edges, np.asarray(present, dtype=float), side="right"),
        minlength=edges.size + 1,
    )
    ref_missing = float(reference.get("missing") or 0.0)
    expected = [s * (1 - ref_missing) for s in reference["shares"]] + [ref_missing]
    actual = [c / n for c in counts] + [missing / n]
    return Drift(
        column,
        "numeric",
        psi(expected, actual),
        n,
        missing=round(missing / n, 6),
        reference_missing=round(ref_missing, 6),
        mean=round(float(np.mean(present)), 6) if present else None,
        reference_mean=reference.get("mean"),
    )


def _categorical(reference: dict, values: list, column: str) -> Drift:
    shares: dict[str, float] = reference["shares"]
    counts: Counter = Counter()
    unseen: Counter = Counter()
    missing = 0
    for v in values:
        if _is_missing(v):
            missing += 1
            continue
        key = str(v)
        if key in shares:
            counts[key] += 1
        else:
            unseen[key] += 1
    n = len(values)
    ref_missing = float(reference.get("missing") or 0.0)
    other = float(reference.get("other") or 0.0)
    keys = list(shares)
    expected = [shares[k] * (1 - ref_missing) for k in keys]
    expected += [other * (1 - ref_missing), ref_missing]
    actual = [counts[k] / n for k in keys] + [sum(unseen.values()) / n, missing / n]
    return Drift(
        column,
        "categorical",
        psi(expected, actual),
        n,
        missing=round(missing / n, 6),
        reference_missing=round(ref_missing, 6),
        # a value outside the training data's common values; new when those were all of them
        unseen=sum(unseen.values()),
        unseen_values=[k for k, _n in unseen.most_common(MAX_UNSEEN_SHOWN)],
    )


def compare(reference: dict[str, Any], recent: Mapping[str, list]) -> dict[str, Drift]:
    """The drift of each input of ``reference`` in ``recent`` (column -> values)."""
    out: dict[str, Drift] = {}
    for column, ref in reference.items():
        values = list(recent.get(column) or [])
        if not values:
            continue
        if ref.get("kind") == "numeric" and ref.get("edges") is not None:
            out[column] = _numeric(ref, values, column)
        elif ref.get("kind") == "categorical":
            out[column] = _categorical(ref, values, column)
    return out


# ------------------------------------------------------------------- with the hub's data


def _reference_from_run(run) -> tuple[dict, str] | None:
    from .services import open_output

    if "profile.json" in (run.files or []):
        with open_output(run, "profile.json") as handle:
            return json.loads(handle.read()), "profile"
    dataset = run.dataset
    features = (run.result or {}).get("features") or {}
    if dataset.prepared_cases and features:
        import pandas as pd

        from .fitting import feature_profile

        with dataset.prepared_cases.open("rb") as handle:
            frame = pd.read_parquet(handle)
        kinds = {c: k for c, k in features.items() if c in frame.columns}
        return feature_profile(frame[list(kinds)], kinds), "prepared"
    return None


def reference_for(version):
    """The version's stored reference, computed the first time (None without training data)."""
    from django.db import IntegrityError, transaction

    from .models import MonitoringReference

    found = MonitoringReference.objects.filter(version=version).first()
    if found is not None:
        return found
    made = _reference_from_run(version.run)
    if made is None:
        return None
    features, source = made
    try:
        with transaction.atomic():
            return MonitoringReference.objects.create(
                version=version, features=features, source=source
            )
    except IntegrityError:  # made at the same time elsewhere
        return MonitoringReference.objects.get(version=version)


def recent_inputs(
    version, since, columns, limit: int = RECENT_CASES, until=None
) -> dict[str, list]:
    """The inputs of the latest ``limit`` cases of the window, column by column."""
    from .monitoring import cases_in

    rows = (
        cases_in(version, since, until)
        .order_by("-created_at", "-pk")
        .values_list("inputs", flat=True)
    )
    out: dict[str, list] = {c: [] for c in columns}
    for inputs in rows[:limit]:
        for column in columns:
            out[column].append((inputs or {}).get(column))
    return out


def drift_of(version, since, until=None) -> dict[str, Any]:
    """The drift of each input of ``version`` in its recent cases, as plain data:
    ``{"reference": bool, "n": cases compared, "features": [Drift as dict, ...]}``."""
    reference = reference_for(version)
    if reference is None:
        return {"reference": False, "n": 0, "features": []}
    recent = recent_inputs(version, since, list(reference.features), until=until)
    n = len(next(iter(recent.values()), []))
    if n < MIN_RECENT:
        return {"reference": True, "n": n, "features": []}
    drifts = compare(reference.features, recent)
    ordered = sorted(drifts.values(), key=lambda d: (-d.psi, d.column))
    return {
        "reference": True,
        "n": n,
        "features": [asdict(d) | {"level": d.level} for d in ordered],
    }
