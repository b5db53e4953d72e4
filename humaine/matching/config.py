"""The hub's matching settings: fusion weights, baseline needs, team rules, conflict rules.

Defaults live in ``data/defaults.yaml``; a hub overrides any part with a YAML file or a
dict of the same shape (missing keys keep their defaults).
"""

from copy import deepcopy
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path

import yaml

from .encoders import RANKER_FILES

DEFAULTS = Path(__file__).parent / "data" / "defaults.yaml"
# the learned ranker's file in defaults.yaml (an encoder may have its own: encoders.RANKER_FILES)
DEFAULT_RANKER_FILE = "ranker.yaml"


@dataclass(frozen=True)
class Weights:
    """How much each signal may add to a candidate's score (see ``ranking``)."""

    lexical: float = 0.08
    discipline: float = 0.06
    sector: float = 0.1
    language: float = 0.01
    capacity: float = 0.01
    case_sector: float = 0.06


@dataclass(frozen=True)
class MatchingConfig:
    weights: Weights
    baseline_needs: dict[str, float]
    need_threshold: float
    team: dict
    conflicts: dict
    # how the top of the list covers an inquiry's parts (see ``coverage``)
    coverage: dict = field(default_factory=dict)
    # from which topical similarity sector and discipline bonuses count (``coverage.topical_gate``)
    topical: dict = field(default_factory=dict)
    # which ranker orders the experts: ``kind`` learned (``file``) or fused (``reranker``)
    ranker: dict = field(default_factory=dict)
    # pseudo-relevance feedback: rank again towards the best ``depth`` profiles (``ranking``)
    feedback: dict = field(default_factory=dict)
    # the bilingual domain lexicon: ``file``, and how much an inquiry's parts are pulled
    # towards their concepts' keywords in both languages (``weight``; ``lexicon``)
    lexicon: dict = field(default_factory=dict)


def _merge(base: dict, override: dict) -> dict:
    merged = deepcopy(base)
    for key, value in (override or {}).items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = deepcopy(value)
    return merged


def load_config(override: dict | str | Path | None = None) -> MatchingConfig:
    """Return the defaults, overridden by a dict or by a YAML file of the same shape.

    >>> load_config({"weights": {"lexical": 0.0}}).weights.lexical
    0.0
    >>> load_config().team["max_size"]
    4
    """
    if not override:
        return _default_config()
    data = _defaults()
    if isinstance(override, str | Path):
        with open(override, encoding="utf-8") as fh:
            override = yaml.safe_load(fh) or {}
    return _build(_merge(data, override or {}))


@cache
def _defaults() -> dict:
    with open(DEFAULTS, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


@cache
def _default_config() -> MatchingConfig:
    return _build(deepcopy(_defaults()))


def _build(data: dict) -> MatchingConfig:
    needs = data.get("needs") or {}
    return MatchingConfig(
        weights=Weights(**(data.get("weights") or {})),
        baseline_needs=dict(needs.get("baseline") or {}),
        need_threshold=float(needs.get("threshold", 0.5)),
        team=dict(data.get("team") or {}),
        conflicts=dict(data.get("conflicts") or {}),
        coverage=dict(data.get("coverage") or {}),
        topical=dict(data.get("topical") or {}),
        ranker=dict(data.get("ranker") or {}),
        feedback=dict(data.get("feedback") or {}),
        lexicon=dict(data.get("lexicon") or {}),
    )


def for_encoder(settings: MatchingConfig, encoder_name: str) -> MatchingConfig:
    """An encoder with a learned ranker of its own (fitted on the signals it gives:
    ``encoders.RANKER_FILES``) gets that ranker, unless ``settings`` name a file other than
    the default one."""
    own = RANKER_FILES.get(encoder_name)
    ranker = settings.ranker
    if own and ranker.get("kind") == "learned" and ranker.get("file") == DEFAULT_RANKER_FILE:
        return replace(settings, ranker={**ranker, "file": own})
    return settings
