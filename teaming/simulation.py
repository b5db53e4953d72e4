"""Synthetic cases and people with planted skill maps, to test whether a team finds them.

A data scientist cannot check a person model on real decisions: nobody knows where a real
claims handler is strong. Here the truth is planted. :func:`simulate` draws cases (a claims
story: driver age, vehicle value, region, kind of claim, two scores, the time the claim came
in) whose true class follows a known probability, and people whose probability of being
right depends on the case as their :class:`SimulatedPerson` says:

- ``rules``: the accuracy on a subgroup (``Rule("region", 0.95, equals="north")``) or on a
  range of a number (``Rule("vehicle_value", 0.55, low=35_000)``);
- ``lean``: a person who leans to one answer: right with ``lean_accuracy`` when the truth
  is that class, with ``accuracy`` otherwise, and then answers the class leaned to;
- ``improving``: accuracy rising linearly from a start to an end over the time span;
- ``decided`` and ``active``: which share of the cases they decided, and when.

:meth:`Simulation.correct_proba` gives each person's planted probability of being right on
any cases (per true class), so the fitted person models can be compared with the truth and
a router that knows the planted skills (:meth:`Simulation.expected_correct`) can be compared
with the team.

Examples
--------
>>> sim = simulate(n_cases=500, random_state=0)
>>> sim.frame.shape[0], sim.persons[:2]
(500, ['young_expert', 'value_averse'])
>>> truth = sim.expected_correct(sim.frame)
>>> truth.shape, bool(0 < truth.min() and truth.max() < 1)
((500, 6), True)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["DEFAULT_PERSONS", "Rule", "SimulatedPerson", "Simulation", "simulate"]

REGIONS = ("north", "south", "east", "west")
KINDS = ("glass", "collision", "theft", "weather")


@dataclass(frozen=True)
class Rule:
    """A person's accuracy on part of the cases: a subgroup or a range of a number.

    Parameters
    ----------
    column : str
        A column of the cases.
    accuracy : float
        Probability of being right on the cases the rule covers.
    equals : object, optional
        The rule covers cases whose column equals this value (a subgroup).
    low, high : float, optional
        The rule covers cases with ``low <= value < high`` (either end may be open).

    Examples
    --------
    >>> frame = pd.DataFrame({"age": [19, 40, 70]})
    >>> Rule("age", 0.95, high=25).covers(frame).tolist()
    [True, False, False]
    """

    column: str
    accuracy: float
    equals: Any = None
    low: float | None = None
    high: float | None = None

    def covers(self, frame: pd.DataFrame) -> np.ndarray:
        """Which cases of ``frame`` the rule covers.

        Parameters
        ----------
        frame : pandas.DataFrame
            Cases with the rule's column.

        Returns
        -------
        numpy.ndarray of bool
        """
        values = frame[self.column]
        if self.equals is not None:
            return (values == self.equals).to_numpy()
        numbers = values.to_numpy(dtype=float)
        mask = np.ones(len(frame), dtype=bool)
        if self.low is not None:
            mask &= numbers >= self.low
        if self.high is not None:
            mask &= numbers < self.high
        return mask


@dataclass(frozen=True)
class SimulatedPerson:
    """One synthetic person and their planted skill map.

    Parameters
    ----------
    name : str
        The person's id (a decision column).
    accuracy : float
        Probability of being right where no rule applies.
    rules : tuple of Rule
        Accuracies on subgroups or ranges (a later rule wins where rules overlap).
    lean : int, optional
        Index of the class the person leans to: right with ``lean_accuracy`` when that is
        the truth, with the accuracy of the rules otherwise, and then answering ``lean``.
    lean_accuracy : float
        See ``lean``.
    improving : (float, float), optional
        Accuracy rising linearly from the first to the second value over the time span
        (replaces ``accuracy``; rules still apply on top).
    decided : float or int
        Share of the cases (float) or number of cases (int) the person decided.
    active : (float, float)
        Share of the time span in which the person decided cases (``(0.9, 1.0)``: a
        newcomer who started near the end).

    Examples
    --------
    >>> anna = SimulatedPerson("anna", 0.7, rules=(Rule("age", 0.95, high=25),))
    >>> frame = pd.DataFrame({"age": [20, 50], "time": [0.0, 1.0]})
    >>> anna.accuracy_on(frame).tolist()
    [0.95, 0.7]
    """

    name: str
    accuracy: float = 0.75
    rules: tuple[Rule, ...] = ()
    lean: int | None = None
    lean_accuracy: float = 0.97
    improving: tuple[float, float] | None = None
    decided: float | int = 0.5
    active: tuple[float, float] = (0.0, 1.0)

    def accuracy_on(self, frame: pd.DataFrame) -> np.ndarray:
        """Probability of being right on each case when the truth is not the leaned class.

        Parameters
        ----------
        frame : pandas.DataFrame
            Cases (with a ``time`` column in [0, 1] when the person improves).

        Returns
        -------
        numpy.ndarray of float
        """
        n = len(frame)
        if self.improving is None:
            acc = np.full(n, float(self.accuracy))
        else:
            start, end = self.improving
            t = np.clip(frame["time"].to_numpy(dtype=float), 0.0, 1.0)
            acc = start + (end - start) * t
        for rule in self.rules:
            acc = np.where(rule.covers(frame), rule.accuracy, acc)
        return acc

    def correct_proba(self, frame: pd.DataFrame, n_classes: int) -> np.ndarray:
        """Probability of being right on each case for each possible true class.

        Parameters
        ----------
        frame : pandas.DataFrame
            Cases.
        n_classes : int
            Number of classes.

        Returns
        -------
        numpy.ndarray of shape (n_cases, n_classes)
        """
        acc = self.accuracy_on(frame)
        out = np.repeat(acc[:, None], n_classes, axis=1)
        if self.lean is not None:
            out[:, self.lean] = self.lean_accuracy
        return out


DEFAULT_PERSONS: tuple[SimulatedPerson, ...] = (
    # excellent on young drivers, mediocre elsewhere
    SimulatedPerson("young_expert", 0.66, rules=(Rule("age", 0.96, high=25),), decided=0.5),
    # good, but weak on expensive vehicles
    SimulatedPerson(
        "value_averse", 0.86, rules=(Rule("vehicle_value", 0.55, low=35_000),), decided=0.5
    ),
    # says "yes" (the last class) too readily
    SimulatedPerson("yes_sayer", 0.62, lean=-1, lean_accuracy=0.97, decided=0.5),
    # strong in one region
    SimulatedPerson("north_expert", 0.68, rules=(Rule("region", 0.95, equals="north"),)),
    # learns on the job
    SimulatedPerson("improving", improving=(0.58, 0.93), decided=0.5),
    # new: few decisions, at the end
    SimulatedPerson("newcomer", 0.85, decided=15, active=(0.9, 1.0)),
)


@dataclass
class Simulation:
    """Cases, decisions and the planted truth of one simulation (see :func:`simulate`).

    Attributes
    ----------
    frame : pandas.DataFrame
        One row per case: ``case_id``, the features, ``time`` (in [0, 1], cases in time
        order), the target ``y`` (class labels ``c0, c1, ...``) and one decision column per
        person (missing where the person did not decide).
    features : list of str
        The feature columns.
    persons : list of str
        The decision columns.
    people : tuple of SimulatedPerson
        The planted people.
    proba : numpy.ndarray of shape (n_cases, n_classes)
        The true class probabilities of the cases.
    classes : list of str
        The class labels.

    Parameters
    ----------
    frame, features, persons, people, proba, classes
        As described under Attributes.

    Examples
    --------
    >>> sim = simulate(n_cases=300, random_state=1)
    >>> sim.correct_proba(sim.frame).shape
    (300, 6, 2)
    """

    frame: pd.DataFrame
    features: list[str]
    persons: list[str]
    people: tuple[SimulatedPerson, ...]
    proba: np.ndarray
    classes: list[str] = field(default_factory=list)

    def correct_proba(self, frame: pd.DataFrame) -> np.ndarray:
        """Each person's planted probability of being right, per case and true class.

        Parameters
        ----------
        frame : pandas.DataFrame
            Cases (e.g. ``sim.frame`` or a part of it).

        Returns
        -------
        numpy.ndarray of shape (n_cases, n_persons, n_classes)
        """
        K = len(self.classes)
        return np.stack([p.correct_proba(frame, K) for p in self.people], axis=1)

    def expected_correct(self, frame: pd.DataFrame, proba: np.ndarray | None = None) -> np.ndarray:
        """Each person's probability of being right on each case, the class unknown.

        What a router that knows the planted skills (but not the cases' outcomes) expects:
        ``sum_k p(k | case) P(person right | case, k)``.

        Parameters
        ----------
        frame : pandas.DataFrame
            Cases; rows of ``sim.frame`` (matched by index) unless ``proba`` is given.
        proba : numpy.ndarray of shape (n_cases, n_classes), optional
            Class probabilities to average over (default: the true ones).

        Returns
        -------
        numpy.ndarray of shape (n_cases, n_persons)
        """
        if proba is None:
            positions = self.frame.index.get_indexer(frame.index)
            proba = self.proba[positions]
        return np.einsum("nk,nmk->nm", proba, self.correct_proba(frame))


def simulate(
    n_cases: int = 4000,
    *,
    n_classes: int = 2,
    people: tuple[SimulatedPerson, ...] = DEFAULT_PERSONS,
    noise: float = 1.0,
    random_state: int = 0,
) -> Simulation:
    """Draw synthetic claims with a known class probability and people with planted skills.

    Parameters
    ----------
    n_cases : int
        Number of cases.
    n_classes : int
        Number of classes (2: the last class is "justified").
    people : tuple of SimulatedPerson
        The people and their planted skill maps (default :data:`DEFAULT_PERSONS`).
    noise : float
        Temperature of the true class probabilities: larger makes cases harder for
        everyone (the AI included).
    random_state : int
        Seed.

    Returns
    -------
    Simulation

    Examples
    --------
    >>> sim = simulate(n_cases=200, n_classes=3, random_state=0)
    >>> sorted(sim.frame.y.unique())
    ['c0', 'c1', 'c2']
    >>> int(sim.frame.newcomer.notna().sum())
    15
    """
    rng = np.random.default_rng(random_state)
    frame = _cases(n_cases, rng)
    proba = _class_proba(frame, n_classes, noise, rng)
    y = (proba.cumsum(axis=1) < rng.random(n_cases)[:, None]).sum(axis=1)
    y = np.minimum(y, n_classes - 1)
    classes = [f"c{k}" for k in range(n_classes)]
    labels = np.array(classes, dtype=object)
    frame["y"] = labels[y]
    persons = []
    for person in people:
        lean = None if person.lean is None else person.lean % n_classes
        planted = SimulatedPerson(**{**person.__dict__, "lean": lean})
        right = rng.random(n_cases) < planted.correct_proba(frame, n_classes)[np.arange(n_cases), y]
        other = (y + rng.integers(1, n_classes, n_cases)) % n_classes
        if lean is not None:
            other = np.where(y == lean, other, lean)
        answer = np.where(right, y, other)
        decided = _decided(planted, frame["time"].to_numpy(), rng)
        frame[planted.name] = pd.Series(np.where(decided, labels[answer], None), dtype=object)
        persons.append(planted.name)
    people = tuple(
        SimulatedPerson(**{**p.__dict__, "lean": None if p.lean is None else p.lean % n_classes})
        for p in people
    )
    features = ["age", "vehicle_value", "region", "kind", "score_a", "score_b"]
    return Simulation(frame, features, persons, people, proba, classes)


def _cases(n: int, rng: np.random.Generator) -> pd.DataFrame:
    # a fifth of the drivers are young (under 25)
    young = rng.random(n) < 0.2
    age = np.where(young, rng.uniform(18, 25, n), np.clip(25 + rng.gamma(3.0, 10.0, n), 25, 90))
    age = np.floor(age)
    value = np.round(np.exp(rng.normal(10.1, 0.55, n)), -2)
    return pd.DataFrame(
        {
            "case_id": np.arange(n),
            "age": age,
            "vehicle_value": value,
            "region": rng.choice(REGIONS, n, p=[0.3, 0.3, 0.2, 0.2]),
            "kind": rng.choice(KINDS, n, p=[0.35, 0.35, 0.15, 0.15]),
            "score_a": rng.normal(size=n).round(3),
            "score_b": rng.normal(size=n).round(3),
            "time": np.linspace(0.0, 1.0, n).round(6),
        }
    )


def _class_proba(
    frame: pd.DataFrame, n_classes: int, noise: float, rng: np.random.Generator
) -> np.ndarray:
    """True class probabilities: a softmax of nonlinear scores of the features.

    ``noise`` is the softmax's temperature: the class stays uncertain given the features,
    so the AI cannot be right on every case, and neither can a person.
    """
    n = len(frame)
    a, b = frame.score_a.to_numpy(), frame.score_b.to_numpy()
    young = (frame.age.to_numpy() < 25).astype(float)
    value = np.log(frame.vehicle_value.to_numpy()) - 10.1
    theft = (frame.kind == "theft").to_numpy(dtype=float)
    north = (frame.region == "north").to_numpy(dtype=float)
    base = 1.3 * a + 0.8 * np.sin(2 * b) - 0.7 * young + 0.6 * value + 0.9 * theft - 0.4 * north
    scores = np.zeros((n, n_classes))
    for k in range(1, n_classes):
        # each further class: the base score shifted, plus a little of its own
        scores[:, k] = k * base - 0.5 * k * (k - 1) + 0.4 * rng.normal() * b
    scores /= max(float(noise), 1e-6)
    scores -= scores.max(axis=1, keepdims=True)
    proba = np.exp(scores)
    return proba / proba.sum(axis=1, keepdims=True)


def _decided(person: SimulatedPerson, time: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    start, end = person.active
    pool = np.flatnonzero((time >= start) & (time <= end))
    if isinstance(person.decided, int | np.integer) and not isinstance(person.decided, bool):
        count = min(int(person.decided), pool.size)
    else:
        count = int(round(float(person.decided) * pool.size))
    chosen = np.zeros(time.size, dtype=bool)
    chosen[rng.choice(pool, count, replace=False)] = True
    return chosen
