"""Every estimator of the engine through the scikit-learn contract.

clone gives an unfitted copy with the same parameters; before fit, using it raises
NotFittedError (scikit-learn's ``check_is_fitted`` decides); fit returns ``self`` and sets
attributes ending in ``_``; nothing but fit sets them.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.utils.validation import check_is_fitted

from teaming import HumanAITeam
from teaming.ai import AIModel, Calibrator
from teaming.features import FeaturePreprocessor
from teaming.persons import PersonInputs, PersonModel

HAS_TORCH = importlib.util.find_spec("torch") is not None


@dataclass
class Case:
    """How to build, fit and use one estimator."""

    make: Any
    fit: Any  # (estimator) -> return value of fit
    use: Any  # (estimator) -> uses the fitted state


def _cases_frame(n: int = 240) -> tuple[pd.DataFrame, np.ndarray, pd.DataFrame]:
    rng = np.random.default_rng(0)
    X = pd.DataFrame({"a": rng.normal(size=n), "kind": rng.choice(["x", "y"], n)})
    y = (X.a + 0.3 * rng.normal(size=n) > 0).astype(int).to_numpy()
    decisions = pd.DataFrame({"anna": np.where(rng.random(n) < 0.85, y, 1 - y)})
    return X, y, decisions


X, Y, DECISIONS = _cases_frame()
Z = np.random.default_rng(1).normal(size=(240, 3))
P = np.column_stack([1 - (Z[:, 0] > 0) * 0.8 - 0.1, (Z[:, 0] > 0) * 0.8 + 0.1])
H = np.where(np.random.default_rng(2).random((240, 2)) < 0.8, Y[:, None], 1 - Y[:, None])
TYPES = {"a": "numeric", "kind": "categorical"}


def _surrogate():
    from teaming.surrogates import DeferralSurrogate

    return DeferralSurrogate(epochs=2, random_state=0)


ESTIMATORS = {
    "HumanAITeam": Case(
        lambda: HumanAITeam(method="combine"),
        lambda est: est.fit(X, Y, DECISIONS),
        lambda est: est.route(X.head(3), explain=False),
    ),
    "FeaturePreprocessor": Case(
        lambda: FeaturePreprocessor(TYPES),
        lambda est: est.fit(X),
        lambda est: est.transform(X),
    ),
    "AIModel": Case(
        lambda: AIModel(calibration="none"),
        lambda est: est.fit(Z, Y, n_classes=2),
        lambda est: est.predict_proba(Z),
    ),
    "Calibrator": Case(
        lambda: Calibrator("temperature"),
        lambda est: est.fit(P, Y),
        lambda est: est.transform(P),
    ),
    "PersonInputs": Case(
        lambda: PersonInputs(),
        lambda est: est.fit(Z),
        lambda est: est.transform(Z, P),
    ),
    "PersonModel": Case(
        lambda: PersonModel(),
        lambda est: est.fit(np.hstack([Z, P]), Y, H, n_classes=2, n_ai=2),
        lambda est: est.predict_correct(np.hstack([Z, P])),
    ),
    "DeferralSurrogate": Case(
        _surrogate,
        lambda est: est.fit(Z, Y, H),
        lambda est: est.predict_proba(Z),
    ),
}


def estimator_params():
    for name in ESTIMATORS:
        marks = [pytest.mark.torch] if name == "DeferralSurrogate" else []
        if name == "DeferralSurrogate" and not HAS_TORCH:
            marks.append(pytest.mark.skip(reason="needs the optional torch extra"))
        yield pytest.param(name, marks=marks, id=name)


@pytest.mark.parametrize("name", list(estimator_params()))
def test_every_estimator_follows_the_scikit_learn_contract(name):
    case = ESTIMATORS[name]
    estimator = case.make()
    # parameters only: nothing fitted before fit, and clone reproduces them
    assert not [k for k in vars(estimator) if k.endswith("_") and not k.startswith("__")]
    with pytest.raises(NotFittedError):
        check_is_fitted(estimator)
    with pytest.raises(NotFittedError):
        case.use(estimator)
    twin = clone(estimator)
    assert twin is not estimator and set(twin.get_params()) == set(estimator.get_params())
    assert case.fit(estimator) is estimator
    check_is_fitted(estimator)
    case.use(estimator)
    # a clone of a fitted estimator is unfitted again
    with pytest.raises(NotFittedError):
        check_is_fitted(clone(estimator))


@pytest.mark.parametrize("name", [n for n in ESTIMATORS if n != "DeferralSurrogate"])
def test_using_a_fitted_estimator_sets_no_fitted_attribute(name):
    case = ESTIMATORS[name]
    estimator = case.make()
    case.fit(estimator)
    before = {k for k in vars(estimator) if k.endswith("_")}
    case.use(estimator)
    case.use(estimator)
    assert {k for k in vars(estimator) if k.endswith("_")} == before


def test_route_one_sets_no_fitted_attribute_and_takes_the_callers_state():
    team = HumanAITeam(method="combine", capacity=0.5).fit(X, Y, DECISIONS)
    before = {k for k in vars(team) if k.endswith("_")}
    state = team.new_stream_state()
    for case in X.head(20).to_dict("records"):
        team.route_one(case, explain=False, state=state)
    team.set_params(capacity=0.2).route_one(X.iloc[0].to_dict(), explain=False)
    assert {k for k in vars(team) if k.endswith("_")} == before
    assert state.n_routed == 20 and state.seen == 20
