"""The learned ranker: a small linear model over an expert's signals, shipped as data.

``bench/matching/train_ranker.py`` fits it on the *tuning* half of a labelled set
(pairwise logistic regression: for two experts of one inquiry with different grades, the
better one should score higher) and writes ``data/ranker.yaml``: the signal names, their
centre and scale, one weight per signal, and a linear calibration that puts the score on
the scale of grade / 3 (about 0 for an expert with nothing to offer, about 1 for a
specialist of the inquiry's main point), so team forming can use it as the fit. Nothing is
downloaded or fitted at run time; a hub may ship its own file (setting ``ranker.file``)
or switch back to the hand-set fusion (``ranker.kind: fused``).

Plain Python and numpy; no Django.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import yaml

DATA = Path(__file__).parent / "data"


class RankerError(ValueError):
    """A ranker file that does not fit the signals this version computes."""


@dataclass(frozen=True, eq=False)
class LinearRanker:
    """score = base + sum_i weight_i * (x_i - centre_i) / scale_i (weights calibrated)."""

    signals: tuple[str, ...]
    centre: np.ndarray
    scale: np.ndarray
    weights: np.ndarray
    base: float

    @classmethod
    def from_dict(cls, data: Mapping) -> "LinearRanker":
        signals = tuple(data["signals"])
        arrays = [np.asarray(data[k], dtype=float) for k in ("centre", "scale", "weights")]
        if any(a.shape != (len(signals),) for a in arrays):
            raise RankerError("centre, scale and weights need one number per signal")
        if np.any(arrays[1] <= 0):
            raise RankerError("every scale must be positive")
        return cls(signals, *arrays, float(data.get("base", 0.0)))

    def to_dict(self) -> dict:
        return {
            "kind": "linear",
            "signals": list(self.signals),
            "centre": [round(float(v), 6) for v in self.centre],
            "scale": [round(float(v), 6) for v in self.scale],
            "weights": [round(float(v), 6) for v in self.weights],
            "base": round(self.base, 6),
        }

    def _columns(self, names: Sequence[str]) -> list[int]:
        missing = [s for s in self.signals if s not in names]
        if missing:
            raise RankerError(f"the ranker needs signals this version does not compute: {missing}")
        return [list(names).index(s) for s in self.signals]

    def score(self, values: np.ndarray, names: Sequence[str]) -> np.ndarray:
        """One score per row of ``values`` (columns named by ``names``)."""
        x = np.asarray(values, dtype=float)[:, self._columns(names)]
        return self.base + ((x - self.centre) / self.scale) @ self.weights

    def contributions(
        self, values: np.ndarray, names: Sequence[str], groups: Mapping[str, str]
    ) -> list[dict[str, float]]:
        """Each row's score in parts: ``weight * signal / scale`` summed per group (a signal
        of 0 adds nothing), and the constant rest as ``base``; the parts add up to
        :meth:`score`."""
        x = np.asarray(values, dtype=float)[:, self._columns(names)]
        terms = x / self.scale * self.weights
        base = self.base - float((self.centre / self.scale) @ self.weights)
        order = list(dict.fromkeys(groups.get(s, s) for s in self.signals))
        rows = []
        for row in terms:
            parts = dict.fromkeys(order, 0.0)
            for signal, term in zip(self.signals, row):
                parts[groups.get(signal, signal)] += float(term)
            parts["base"] = base
            rows.append(parts)
        return rows


def load(path: str | Path) -> LinearRanker:
    """Read a ranker file (YAML written by bench/matching/train_ranker.py)."""
    path = Path(path)
    if not path.is_absolute():
        path = DATA / path
    return _load(str(path))


@cache
def _load(path: str) -> LinearRanker:
    with open(path, encoding="utf-8") as fh:
        data = yaml.safe_load(fh) or {}
    if data.get("kind", "linear") != "linear":
        raise RankerError(f"{path}: unknown kind of ranker {data.get('kind')!r}")
    return LinearRanker.from_dict(data)


def for_config(settings: Mapping | None) -> LinearRanker | None:
    """The ranker the hub's ``ranker`` setting names, or None for the hand-set fusion.

    >>> for_config({"kind": "fused"}) is None
    True
    >>> for_config({"kind": "learned", "file": "ranker.yaml"}).signals[0]
    'whole'
    """
    settings = settings or {}
    kind = settings.get("kind", "fused")
    if kind == "fused":
        return None
    if kind != "learned":
        raise RankerError(f"ranker.kind is 'learned' or 'fused', not {kind!r}")
    return load(settings.get("file") or "ranker.yaml")
